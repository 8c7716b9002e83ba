"""The outbox sender: sends what the bot says on its own, most urgent first, and marks it.

Rows are written to the outbox in the same transaction as their event (storage.alerts.outbox);
this task claims the due ones, sends them through Telegram at the pace Telegram allows and
records the outcome of each:

- sent: marked sent with its message id (an alert copy that went out with buttons while its
  report was being answered gets its edit queued, see storage.alerts.alerts.Alerts.copy_sent);
- flood control (429): only that chat waits for the time Telegram says (its other rows and
  the application's replies to it wait too; every other chat carries on), and the row is
  retried afterwards without counting as a failed attempt;
- network errors, timeouts, 5xx: retried with exponential backoff (2 s, 4 s, … up to 5 min);
- blocked (403): marked undeliverable, and for an alert the admins are told who missed it;
- refused (400): marked undeliverable with Telegram's reason ("message is not modified" for
  an edit counts as sent).

No row is dropped before it is sent or marked undeliverable. Leases (Outbox.claim_due) keep
two instances from sending the same row; a crash between sending and marking can send one
message a second time after the lease runs out (TCAG_OUTBOX_LEASE_SECONDS, 60 s by default):
at least once, never silently lost.

Alerts, escalations and their edits are rendered at send time from the report's current
state and for their recipient (bot.jobs.alert_messages), so a copy sent after a response
already shows it; an alert's map pin (`alert_pin`) is a venue message sent after the copy.
A referral's copies for outreach and their edits (`referral`, `referral_edit`) are rendered
at send time too (bot.jobs.referral_messages); a copy whose referral someone took first is
marked sent without sending.
Other rows are sent as stored: `text` (HTML, split above 4096 characters), `reply_markup`
as JSON (`json.dumps(markup.to_dict())`), `attachment_kind` photo or document with
`attachment_ref` a file path, a Telegram file id or "b64:<base64 bytes>" (a chart the
scheduler drew; `text` is its caption when it fits), `edit_message_id` to edit an earlier
message instead.

Every send takes its turn in the bot's one send budget (bot.jobs.send_budget), shared with
the application's replies: alerts, escalations, their pins and edits as urgent, notices to
one member as replies, briefings and digests as bulk. The sender has its own Bot without a
rate limiter of its own (same token, server, connection pool and Defaults) and asks the
budget itself, so a flood-controlled chat's rows go back to the queue instead of holding a
lease while they wait.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.context import Services
from bot.domain.alerts.outbox_types import (
    ALERT,
    ALERT_EDIT,
    ALERT_PIN,
    ALERT_PURPOSES,
    CONCERN_PURPOSES,
    ESCALATION,
    NOTICE,
    REFERRAL_COPY,
    REFERRAL_EDIT,
    SAFETY,
    SAFETY_EDIT,
    SAFETY_PIN,
    Priority,
    send_level,
)
from bot.domain.alerts.send_budget import Level, SendRates
from bot.domain.reports.incidents import reference
from bot.jobs.alert_messages import SendBatch, alert_message, ladder_of
from bot.jobs.concern_messages import concern_row_message
from bot.jobs.referral_messages import referral_copy
from bot.jobs.safety_messages import Undeliverable as SafetyUndeliverable
from bot.jobs.safety_messages import deliver_safety, deliver_safety_pin
from bot.jobs.send_budget import SendBudget, retry_seconds
from bot.texts import alerts as alert_texts
from bot.texts.split import CAPTION_LIMIT, split_message, units
from storage.alerts.alert_copies import AlertState
from storage.alerts.outbox import LEASE, FollowUp, Outbox
from storage.models import OutboxMessage
from storage.outreach import ReferralState
from storage.safety.alerts import SafetyState

log = logging.getLogger(__name__)

T = TypeVar("T")

RENDERED = (ALERT, ESCALATION, ALERT_EDIT)
SAFETY_RENDERED = (SAFETY, SAFETY_EDIT)
MAX_BACKOFF = timedelta(minutes=5)
MIN_PAUSE = timedelta(seconds=1)
# A row whose chat cannot take it for longer than this (its group's minute is full, or
# Telegram paused it) goes back to the queue until then, rather than hold its lease.
MAX_WAIT_IN_BATCH = 5.0
# A chat gets at most this many rows per claimed batch; the rest go back to the queue at
# once. It bounds how long one batch can wait on a chat's limit (a group allows 20 a
# minute), so no claimed row waits anywhere near its 60 s lease.
ROWS_PER_CHAT_PER_BATCH = 4
# attachment_ref "b64:<base64>" carries the file itself (a chart the scheduler drew).
INLINE_ATTACHMENT = "b64:"


class _Undeliverable(SafetyUndeliverable):
    """A row that can never be sent as it stands (its report is gone, its file is missing)."""


class _Withdrawn(Exception):
    """A referral's copy no longer worth sending: someone took it (or it closed) first."""


def backoff(attempts: int) -> timedelta:
    """2 s after the first failed attempt, then 4, 8, … capped at 5 minutes."""
    return min(timedelta(seconds=2 ** min(max(attempts, 1), 16)), MAX_BACKOFF)


def _read_attachment(ref: str, kind: str = "photo") -> InputFile | str:
    """Inline bytes ("b64:…") or a file on disk are uploaded; anything else is a file id."""
    if ref.startswith(INLINE_ATTACHMENT):  # checked first: base64 has "/" and is long
        try:
            content = base64.b64decode(ref[len(INLINE_ATTACHMENT) :], validate=True)
        except ValueError:  # binascii.Error
            raise _Undeliverable("attachment data unreadable") from None
        if not content:
            raise _Undeliverable("attachment data empty")
        return InputFile(content, filename="chart.png" if kind == "photo" else "attachment")
    path = Path(ref)
    if path.is_file():
        return InputFile(path.read_bytes(), filename=path.name)
    if "/" in ref or "\\" in ref:
        raise _Undeliverable("attachment file missing")
    return ref


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        services: Services,
        *,
        budget: SendBudget | None = None,
        rates: SendRates | None = None,
        batch_size: int = 100,
        concurrency: int = 16,
        poll_seconds: float = 5.0,
        stop_timeout: float = 10.0,
        lease: timedelta = LEASE,
    ) -> None:
        self.bot = bot
        self.services = services
        self.budget = budget or SendBudget(rates or SendRates())
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._stop_timeout = stop_timeout
        self._lease = lease
        self._in_flight = asyncio.Semaphore(concurrency)
        self._safety_lane = asyncio.Lock()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    @property
    def rates(self) -> SendRates:
        return self.budget.rates

    @property
    def _outbox(self) -> Outbox:
        return self.services.store.outbox

    # ---- running in the background -------------------------------------------------
    def start(self) -> None:
        if self._task is not None and not self._task.done():
            return
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        """Finish the messages in flight, give the rest back to the queue, and end."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self.services.outbox_wakeup.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), self._stop_timeout)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        wakeup = self.services.outbox_wakeup
        while not self._stopping:
            wakeup.clear()
            try:
                await self.drain()
            except Exception:  # the database may be down: keep the loop alive, try again
                log.exception("outbox: sending failed; retrying at the next poll")
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), await self._seconds_to_next())

    async def _seconds_to_next(self) -> float:
        now = self.services.clock.now()
        wait = self._poll_seconds
        try:
            due = await self._outbox.next_due_at()
        except Exception:
            return wait
        if isinstance(due, str):  # SQLite returns an aggregate's datetime as text
            due = datetime.fromisoformat(due)
        if isinstance(due, datetime):
            if due.tzinfo is None:
                due = due.replace(tzinfo=UTC)
            wait = min(wait, (due - now).total_seconds())
        return max(0.1, wait)

    # ---- sending -------------------------------------------------------------------
    async def drain(self) -> int:
        """Send everything due now, staff safety first; the number of rows delivered."""
        delivered = 0
        while not self._stopping:
            if self.services.safety_wakeup.is_set():
                delivered += await self._staff_safety_first()
            # (Safety rows found here, after a restart, are claimed first all the same.)
            rows = await self._outbox.claim_due(limit=self._batch_size, lease=self._lease)
            if not rows:
                break
            delivered += await self._send_batch(rows)
        return delivered

    async def _staff_safety_first(self) -> int:
        """Send every staff-safety row due (a "Need help", a missed check-in: copies, then
        pins) before anything else is claimed; a batch already being sent calls this
        between its sends when one is queued (Services.safety_wakeup), so the alarm never
        waits for a digest or a fan-out to finish."""
        delivered = 0
        async with self._safety_lane:
            self.services.safety_wakeup.clear()
            while not self._stopping:
                rows = await self._outbox.claim_due(
                    limit=self._batch_size,
                    lease=self._lease,
                    most_urgent=Priority.STAFF_SAFETY_PIN,
                )
                if not rows:
                    break
                delivered += await self._send_batch(rows, safety_lane=True)
        return delivered

    async def _send_batch(self, rows: list[OutboxMessage], *, safety_lane: bool = False) -> int:
        by_chat: dict[int, list[OutboxMessage]] = {}
        for row in rows:  # claimed most urgent first; each chat keeps that order
            by_chat.setdefault(row.chat_id, []).append(row)
        batch = SendBatch(self.services, rows)
        results = await asyncio.gather(
            *(self._send_chat(chat_rows, batch, safety_lane) for chat_rows in by_chat.values()),
            return_exceptions=True,
        )
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            raise failures[0]  # the rows concerned stay leased and are retried after it
        return sum(r for r in results if isinstance(r, int))

    async def _send_chat(
        self, rows: list[OutboxMessage], batch: SendBatch, safety_lane: bool = False
    ) -> int:
        delivered = 0
        for index, row in enumerate(rows):
            if not safety_lane and (
                self.services.safety_wakeup.is_set() or self._safety_lane.locked()
            ):
                # Staff safety is queued, or being sent: this chat waits until it has gone.
                delivered += await self._staff_safety_first()
            wait = self.budget.ready_in(row.chat_id, send_level(row.purpose))
            paused = self.budget.paused_for(row.chat_id)
            if paused > 0:
                # Telegram paused this chat (a 429): its rows go back together, in their
                # order, rather than a later one overtaking the refused one.
                wait = max(wait, paused)
            if (
                self._stopping
                or index >= ROWS_PER_CHAT_PER_BATCH
                or wait > MAX_WAIT_IN_BATCH
                or paused > 0
            ):
                at = self.services.clock.now() + timedelta(seconds=wait)
                for later in rows[index:]:
                    await self._outbox.release(later.id or 0, at)
                break
            if await self._send_row(row, batch):
                delivered += 1
        return delivered

    async def _send_row(self, row: OutboxMessage, batch: SendBatch) -> bool:
        row_id = row.id or 0
        try:
            message_id, shown = await self._deliver(row, batch)
        except RetryAfter as error:
            # Only this chat waits: the budget holds its sends (the application's too).
            pause = max(timedelta(seconds=retry_seconds(error)), MIN_PAUSE)
            self.budget.pause_chat(row.chat_id, pause.total_seconds())
            log.warning(
                "outbox: flood control for one chat, pausing it %.0f s (row %s)",
                pause.total_seconds(),
                row_id,
            )
            await self._outbox.release(
                row_id, self.services.clock.now() + pause, "flood control (429)"
            )
            return False
        except Forbidden:
            log.warning(
                "outbox: chat %s cannot be reached; row %s undeliverable", row.chat_id, row_id
            )
            await self._outbox.give_up(
                row_id,
                "Forbidden: blocked or never started",
                follow_ups=await self._unreachable_notices(row),
            )
            return False
        except BadRequest as error:
            if row.edit_message_id is not None and "not modified" in error.message.lower():
                await self._outbox.mark_sent(row_id, row.edit_message_id)
                return True
            log.warning("outbox: Telegram refused row %s for chat %s", row_id, row.chat_id)
            await self._outbox.give_up(row_id, f"BadRequest: {error.message}")
            return False
        except ChatMigrated:
            log.warning(
                "outbox: chat %s became a supergroup; row %s undeliverable", row.chat_id, row_id
            )
            await self._outbox.give_up(row_id, "ChatMigrated: the group's id changed")
            return False
        except SafetyUndeliverable as error:  # and _Undeliverable
            log.warning("outbox: row %s undeliverable (%s)", row_id, error)
            await self._outbox.give_up(row_id, str(error))
            return False
        except _Withdrawn:
            await self._outbox.mark_sent(row_id, None)  # nothing went: nothing to edit later
            return False
        except (NetworkError, TelegramError) as error:  # timeouts, 5xx, connection errors
            await self._retry_later(row, type(error).__name__)
            return False
        except Exception as error:  # a bug here must not lose the row: log it, retry later
            log.error(
                "outbox: unexpected %s sending row %s", type(error).__name__, row_id, exc_info=True
            )
            await self._retry_later(row, type(error).__name__)
            return False
        if row.purpose in (ALERT, ESCALATION) and isinstance(shown, AlertState):
            await self.services.store.alerts.copy_sent(row, message_id, shown)
        elif row.purpose == REFERRAL_COPY and isinstance(shown, ReferralState):
            await self.services.store.referrals.copy_sent(row, message_id, shown)
        elif row.purpose == SAFETY and isinstance(shown, SafetyState):
            await self.services.store.safety.copy_sent(row, message_id, shown)
        else:
            await self._outbox.mark_sent(row_id, message_id)
        return True

    async def _retry_later(self, row: OutboxMessage, reason: str) -> None:
        delay = backoff(row.attempts)
        log.info(
            "outbox: row %s failed (%s); retrying in %.0f s", row.id, reason, delay.total_seconds()
        )
        await self._outbox.retry_later(row.id or 0, delay, reason)

    async def _deliver(
        self, row: OutboxMessage, batch: SendBatch
    ) -> tuple[int, AlertState | ReferralState | SafetyState | None]:
        """Send one row; (message id, the state it showed, for alert, referral and staff-safety
        copies)."""
        if row.purpose in RENDERED:
            return await self._deliver_alert(row, batch)
        if row.purpose in (REFERRAL_COPY, REFERRAL_EDIT):
            return await self._deliver_referral(row)
        if row.purpose in SAFETY_RENDERED:
            member = await batch.member_of(row.chat_id)
            return await deliver_safety(row, self.services, self.bot, self._paced, member)
        if row.purpose == SAFETY_PIN:
            return await deliver_safety_pin(row, self.services, self.bot, self._paced), None
        if row.purpose == ALERT_PIN:
            return await self._deliver_pin(row, batch), None
        if row.purpose in CONCERN_PURPOSES:  # a safeguarding concern, as it stands now
            if (rendered := await concern_row_message(self.services, row)) is None:
                raise _Undeliverable("concern gone, or the recipient no longer reads concerns")
            return await self._deliver_stored(row, rendered), None
        return await self._deliver_stored(row), None

    async def _deliver_alert(
        self, row: OutboxMessage, batch: SendBatch
    ) -> tuple[int, AlertState | None]:
        view = await batch.view(row.report_id)
        if view is None:
            raise _Undeliverable("report no longer exists")
        settings = self.services.settings
        message = alert_message(
            view,
            tz=settings.tz,
            ladder=ladder_of(settings),
            step=row.alert_step or 0,
            recipient=await batch.recipient(row.chat_id, view),
        )
        sent = await self._send_or_edit(row, message.text, message.markup, Level.URGENT)
        return sent, None if row.purpose == ALERT_EDIT else view.alert_state

    async def _deliver_referral(self, row: OutboxMessage) -> tuple[int, ReferralState | None]:
        """A referral's copy for one outreach worker, or its edit, rendered from it now."""
        try:
            rendered = await referral_copy(self.services, row)
        except LookupError:
            raise _Undeliverable("referral no longer exists") from None
        if rendered is None:
            raise _Withdrawn
        message, shown = rendered
        sent = await self._send_or_edit(row, message.text, message.markup, Level.REPLY)
        return sent, shown

    async def _send_or_edit(
        self, row: OutboxMessage, text: str, markup: InlineKeyboardMarkup | None, level: Level
    ) -> int:
        """A rendered row: a new message, or the edit of the one it names; its message id."""
        bot, chat_id, message_id = self.bot, row.chat_id, row.edit_message_id
        if row.purpose in (ALERT_EDIT, REFERRAL_EDIT):
            if message_id is None:
                raise _Undeliverable("edit without a message id")
            await self._paced(
                chat_id,
                lambda: bot.edit_message_text(
                    text, chat_id=chat_id, message_id=message_id, reply_markup=markup
                ),
                level,
            )
            return message_id
        call = lambda: bot.send_message(chat_id, text, reply_markup=markup)  # noqa: E731
        return (await self._paced(chat_id, call, level)).message_id

    async def _deliver_pin(self, row: OutboxMessage, batch: SendBatch) -> int:
        """The alert's place as a map pin (a venue: the place's name on it), after the copy."""
        view = await batch.view(row.report_id)
        if view is None:
            raise _Undeliverable("report no longer exists")
        point = view.coordinates
        if point is None:
            raise _Undeliverable("the alert's place has no coordinates")
        bot, chat_id = self.bot, row.chat_id
        sent = await self._paced(
            chat_id,
            lambda: bot.send_venue(
                chat_id,
                latitude=point[0],
                longitude=point[1],
                title=alert_texts.pin_title(view.place),
                address=alert_texts.pin_address(reference(view.report.id or 0)),
            ),
            Level.URGENT,
        )
        return sent.message_id

    async def _deliver_stored(
        self, row: OutboxMessage, rendered: tuple[str, InlineKeyboardMarkup | None] | None = None
    ) -> int:
        bot, chat_id, (text, markup) = self.bot, row.chat_id, rendered or (row.text or "", None)
        level = send_level(row.purpose)
        if rendered is None and row.reply_markup:
            markup = InlineKeyboardMarkup.de_json(json.loads(row.reply_markup), bot)
        if row.edit_message_id is not None:
            message_id = row.edit_message_id
            await self._paced(
                chat_id,
                lambda: bot.edit_message_text(
                    text, chat_id=chat_id, message_id=message_id, reply_markup=markup
                ),
                level,
            )
            return message_id
        parts = split_message(text)
        last: Message | None = None
        if row.attachment_kind is not None:
            if not row.attachment_ref:
                raise _Undeliverable("attachment without a file")
            caption = parts.pop(0) if len(parts) == 1 and units(parts[0]) <= CAPTION_LIMIT else None
            last = await self._send_attachment(
                row.attachment_kind,
                chat_id,
                row.attachment_ref,
                caption,
                None if parts else markup,
                level,
            )
        elif not parts:
            raise _Undeliverable("nothing to send")
        for index, part in enumerate(parts):
            part_markup = markup if index == len(parts) - 1 else None
            last = await self._paced(
                chat_id,
                lambda part=part, part_markup=part_markup: bot.send_message(  # type: ignore[misc]
                    chat_id, part, reply_markup=part_markup
                ),
                level,
            )
        assert last is not None
        return last.message_id

    async def _send_attachment(
        self,
        kind: str,
        chat_id: int,
        ref: str,
        caption: str | None,
        markup: InlineKeyboardMarkup | None,
        level: Level,
    ) -> Message:
        content = await asyncio.to_thread(_read_attachment, ref, kind)
        bot = self.bot
        if kind == "photo":
            return await self._paced(
                chat_id,
                lambda: bot.send_photo(chat_id, content, caption=caption, reply_markup=markup),
                level,
            )
        if kind == "document":
            return await self._paced(
                chat_id,
                lambda: bot.send_document(chat_id, content, caption=caption, reply_markup=markup),
                level,
            )
        raise _Undeliverable(f"unknown attachment kind {kind[:16]}")

    async def _paced(self, chat_id: int, call: Callable[[], Awaitable[T]], level: Level) -> T:
        """One Bot API call, when the bot's one send budget lets it through.

        The budget is asked last, right before the call: a send granted and then held up
        (here, waiting for a free slot) would reach Telegram later, bunched with the next
        second's.
        """
        async with self._in_flight:
            await self.budget.acquire(chat_id, level)
            return await call()

    # ---- telling the admins --------------------------------------------------------
    async def _unreachable_notices(self, row: OutboxMessage) -> list[FollowUp]:
        """An alert that could not reach someone: admins learn who (name and role only).

        Queued with the row's undeliverable mark, in one transaction (Outbox.give_up), so a
        crash between the two cannot leave the admins untold.
        """
        safety = row.purpose == SAFETY and row.safety_alert_id is not None
        if not safety and (row.purpose not in ALERT_PURPOSES or row.report_id is None):
            return []
        store = self.services.store
        ref = "for staff safety" if safety else reference(row.report_id or 0)
        key = f"safety-{row.safety_alert_id}" if safety else str(row.report_id)
        if row.chat_id < 0:
            text = alert_texts.group_unreachable(ref)
        else:
            member = await store.members.by_telegram_id(row.chat_id)
            if member is None:
                return []
            text = alert_texts.member_unreachable(member.name, member.role, ref)
        return [
            FollowUp(
                chat_id=admin.telegram_id,
                purpose=NOTICE,
                text=text,
                report_id=row.report_id,
                dedupe_key=f"unreachable:{key}:{row.chat_id}:{admin.telegram_id}",
            )
            for admin in await store.members.active_admins()
            if admin.telegram_id != row.chat_id
        ]
