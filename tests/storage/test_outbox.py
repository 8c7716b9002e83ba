"""The outbox sender: every alert delivered exactly once, through faults, floods and crashes."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import build_application
from bot.config import SettingsError, load_settings
from bot.domain.alerts.outbox_types import OutboxStatus, Priority
from bot.domain.alerts.send_budget import SendRates
from bot.domain.reports.incidents import AckKind
from bot.jobs.outbox_sender import OutboxSender, backoff
from bot.jobs.send_budget import BudgetRateLimiter
from bot.jobs.update_order import ChatOrderedProcessor
from bot.offline.bot_api import ApiCall, Fault, LocalBotAPI, LocalRequest, SentMessage
from bot.texts import alerts as alerts_texts
from bot.texts import common as common_texts
from storage.alerts.alert_copies import Outcome, Pressed
from storage.alerts.outbox import LEASE
from tests.support.alerting import (
    ALERTED,
    COORDINATOR,
    DESCRIPTION,
    NOT_ALERTED,
    OFFICER,
    WARDEN,
    alert_copy,
    button_labels,
    delivered,
    drain,
    file_urgent,
    team,
)
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness, make_settings


def sends_to(bot: BotHarness, chat_id: int) -> int:
    return len(delivered(bot, chat_id))


async def rows_of(bot: BotHarness, report_id: int, purpose: str = "alert") -> list:
    return [r for r in await bot.store.outbox.for_report(report_id) if r.purpose == purpose]


# ---- delivery ---------------------------------------------------------------------------
async def test_urgent_report_reaches_group_and_each_patrol_once_with_buttons(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)

    assert await drain(bot) == len(ALERTED)

    # Acknowledge is offered where it may be used: the group, the coordinator and the admin.
    may_acknowledge = {COORDINATORS_CHAT, ADMIN.telegram_id, COORDINATOR.telegram_id}
    for chat_id in ALERTED:
        assert sends_to(bot, chat_id) == 1, chat_id
        copy = alert_copy(bot, chat_id)
        if chat_id == COORDINATORS_CHAT:
            assert button_labels(copy) == ["✅ Acknowledge", "🚶 Attending"]
            assert [b["callback_data"] for b in copy.inline_buttons] == ["inc:ack:1", "inc:att:1"]
        elif chat_id in may_acknowledge:  # their own copy: they may ask the control room too
            assert button_labels(copy) == [
                "✅ Acknowledge",
                "🚶 Attending",
                "📹 Request CCTV review",
            ]
            assert [b["callback_data"] for b in copy.inline_buttons] == [
                "inc:ack:1",
                "inc:att:1",
                "cr:new:1",
            ]
        else:
            assert button_labels(copy) == ["🚶 Attending"]
            assert [b["callback_data"] for b in copy.inline_buttons] == ["inc:att:1"]
    for chat_id in NOT_ALERTED:
        assert sends_to(bot, chat_id) == 0
    text = alert_copy(bot, COORDINATORS_CHAT).plain
    assert "Weapon seen · R-0001" in text
    assert "📍 Elmer Square, by the fountain" in text
    assert "🕒 21:00 · 👥 2-3 people" in text  # local time (GMT in November)
    assert "Reported by Rita Reporter (Police officer)" in text
    assert f"“{DESCRIPTION}”" in text  # escaped on the way, shown as typed
    assert common_texts.IF_LIFE_AT_RISK in text
    assert all(r.status is OutboxStatus.SENT for r in await rows_of(bot, report.id or 0))
    assert await drain(bot) == 0  # nothing is sent twice


async def test_long_description_is_cut_in_the_alert(bot: BotHarness) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter, description="a" * 500)
    await drain(bot)
    text = alert_copy(bot, OFFICER.telegram_id).plain
    assert "“" + "a" * alerts_texts.ALERT_DESCRIPTION_LIMIT + "…”" in text
    assert "a" * (alerts_texts.ALERT_DESCRIPTION_LIMIT + 1) not in text


async def test_alert_sent_after_the_first_response_goes_out_acknowledged(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    await bot.store.reports.acknowledge(
        report.id or 0, by=members.coordinator, kind=AckKind.ACKNOWLEDGED
    )
    await drain(bot)
    for chat_id in ALERTED:
        copy = alert_copy(bot, chat_id)
        assert "Acknowledged by Cora Coordinator at 21:00" in copy.plain
        # Others may still go; nobody acks. Coordinators' and admins' own copies keep the
        # way to the control room.
        own_copy = chat_id in (ADMIN.telegram_id, COORDINATOR.telegram_id)
        assert button_labels(copy) == ["🚶 Attending"] + (
            ["📹 Request CCTV review"] if own_copy else []
        )
        assert copy.edits == 0


async def test_acknowledgement_racing_the_sends_still_edits_every_copy(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report is acknowledged while its alerts are going out (rendered with buttons)."""
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    send = bot.api.call
    acknowledged: list[bool] = []

    async def acknowledge_during_first_send(
        method: str, params: dict, files: dict | None = None
    ) -> object:
        if method == "sendMessage" and not acknowledged:
            acknowledged.append(True)
            await bot.store.reports.acknowledge(
                report.id or 0, by=members.coordinator, kind=AckKind.ACKNOWLEDGED
            )
        return await send(method, params, files)

    monkeypatch.setattr(bot.api, "call", acknowledge_during_first_send)
    await drain(bot)

    for chat_id in ALERTED:
        assert sends_to(bot, chat_id) == 1
        copy = alert_copy(bot, chat_id)
        assert "Acknowledged by Cora Coordinator at 21:00" in copy.plain, chat_id
        assert "✅ Acknowledge" not in button_labels(copy)


async def test_attending_racing_the_sends_still_edits_every_copy(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone attends from the first copy while the others are going out."""
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    send = bot.api.call
    attended: list[bool] = []

    async def attend_after_first_send(
        method: str, params: dict, files: dict | None = None
    ) -> object:
        result = await send(method, params, files)
        if method == "sendMessage" and not attended:
            attended.append(True)
            # The group's copy has just gone out: marked sent (as a quick sender would),
            # a member attends from it while the other copies are still going out.
            first = next(r for r in await rows_of(bot, report.id or 0) if r.chat_id == chat)
            await bot.store.outbox.mark_sent(first.id or 0, result["message_id"])
            outcome = await bot.store.alerts.attend(
                report.id or 0,
                member=members.officer,
                pressed=Pressed(chat, result["message_id"]),
            )
            assert outcome.outcome is Outcome.DONE
        return result

    chat = COORDINATORS_CHAT
    monkeypatch.setattr(bot.api, "call", attend_after_first_send)
    await drain(bot)
    await drain(bot)

    for chat_id in ALERTED:
        assert sends_to(bot, chat_id) == 1
        copy = alert_copy(bot, chat_id)
        assert "🚶 Attending: Olly Officer" in copy.plain, chat_id


async def test_urgent_rows_go_before_normal_ones(bot: BotHarness) -> None:
    members = await team(bot)
    await bot.store.outbox.add(chat_id=ADMIN.telegram_id, purpose="notice", text="Briefing")
    await file_urgent(bot, members.reporter)
    assert bot.app.outbox_sender is not None
    one_at_a_time = OutboxSender(  # batches of one: the order of claims is the order sent
        bot.app.outbox_sender.bot, bot.app.services, rates=SendRates.unpaced(), batch_size=1
    )
    before = len(bot.api.calls)
    await one_at_a_time.drain()
    texts_sent = [str(c.params.get("text")) for c in bot.api.calls[before:]]
    assert len(texts_sent) == len(ALERTED) + 1
    assert texts_sent[-1] == "Briefing"
    assert all("Urgent incident" in t for t in texts_sent[:-1])


async def test_an_edit_that_changes_nothing_counts_as_sent(bot: BotHarness) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    await drain(bot)
    await bot.store.reports.acknowledge(
        report.id or 0, by=members.coordinator, kind=AckKind.ACKNOWLEDGED
    )
    await drain(bot)
    group_copy = alert_copy(bot, COORDINATORS_CHAT)
    assert group_copy.edits == 1
    again = await bot.store.outbox.add(
        chat_id=COORDINATORS_CHAT,
        purpose="alert_edit",
        priority=Priority.URGENT,
        report_id=report.id,
        edit_message_id=group_copy.message_id,
    )
    assert await drain(bot) == 1
    stored = await bot.store.outbox.get(again.id or 0)
    assert stored is not None and stored.status is OutboxStatus.SENT
    assert group_copy.edits == 1


# ---- faults -----------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own
async def test_flood_control_pauses_that_chat_and_delivers_later_exactly_once(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    bot.api.faults.append(
        Fault(status=429, retry_after=3, method="sendMessage", chat_id=OFFICER.telegram_id)
    )
    await drain(bot)
    assert sends_to(bot, OFFICER.telegram_id) == 0
    for chat_id in ALERTED:  # a 429 for one chat delays only that chat
        assert sends_to(bot, chat_id) == (0 if chat_id == OFFICER.telegram_id else 1), chat_id

    assert await drain(bot) == 0  # the officer's row waits the time Telegram said
    bot.clock.advance(seconds=3)
    await drain(bot)

    for chat_id in ALERTED:
        assert sends_to(bot, chat_id) == 1, chat_id
    officer_row = next(
        r for r in await rows_of(bot, report.id or 0) if r.chat_id == OFFICER.telegram_id
    )
    assert officer_row.status is OutboxStatus.SENT
    assert officer_row.attempts == 1  # the refused attempt did not count as a failure


@pytest.mark.parametrize("failures", [[500, 500, 0], [502, 0, 0]])
async def test_server_errors_and_timeouts_are_retried_with_backoff(
    bot: BotHarness, failures: list[int]
) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    for status in failures:  # 0: the request times out
        bot.api.faults.append(
            Fault(status=status, method="sendMessage", chat_id=WARDEN.telegram_id)
        )

    delays = []
    await drain(bot)
    for _ in failures:
        row = next(r for r in await rows_of(bot, report.id or 0) if r.chat_id == WARDEN.telegram_id)
        assert row.status is OutboxStatus.PENDING and sends_to(bot, WARDEN.telegram_id) == 0
        delay = row.next_attempt_at - bot.clock.now()
        delays.append(delay.total_seconds())
        assert await drain(bot) == 0  # not due yet
        bot.clock.advance(delay)
        await drain(bot)

    assert delays == [2, 4, 8]
    for chat_id in ALERTED:
        assert sends_to(bot, chat_id) == 1, chat_id


def test_backoff_doubles_up_to_five_minutes() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 8, 9, 50)] == [
        2, 4, 8, 16, 256, 300, 300,
    ]  # fmt: skip


async def test_member_who_blocked_the_bot_is_reported_to_admins_and_others_get_it(
    bot: BotHarness,
) -> None:
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    bot.api.blocked_chats.add(WARDEN.telegram_id)

    await drain(bot)

    warden_row = next(
        r for r in await rows_of(bot, report.id or 0) if r.chat_id == WARDEN.telegram_id
    )
    assert warden_row.status is OutboxStatus.UNDELIVERABLE
    for chat_id in ALERTED:
        if chat_id != WARDEN.telegram_id:
            assert sends_to(bot, chat_id) == 1, chat_id
    notice = bot.last(ADMIN).plain
    assert notice == (
        "⚠️ Wendy Warden (Street warden) cannot be reached by the bot (blocked or never "
        "started it); alert R-0001 was not delivered to them."
    )
    assert "knife" not in notice
    backlog = await bot.store.outbox.backlog()
    assert backlog.pending == 0 and backlog.undeliverable == 1
    await drain(bot)  # told once
    assert [m.plain for m in bot.api.sent_to(ADMIN.telegram_id)].count(notice) == 1


async def test_an_undeliverable_alert_and_the_admins_notice_are_recorded_together(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash while queueing the notice leaves the row to be tried again, never untold."""
    members = await team(bot)
    report = await file_urgent(bot, members.reporter)
    bot.api.blocked_chats.add(WARDEN.telegram_id)

    def crash(*args: object, **kwargs: object) -> None:
        raise ConnectionError("database went away")

    monkeypatch.setattr("storage.alerts.outbox.enqueue", crash)
    with pytest.raises(ConnectionError):
        await drain(bot)
    monkeypatch.undo()
    warden_row = next(
        r for r in await rows_of(bot, report.id or 0) if r.chat_id == WARDEN.telegram_id
    )
    assert warden_row.status is OutboxStatus.PENDING  # not marked without its notice

    bot.clock.advance(LEASE + timedelta(seconds=1))
    await drain(bot)
    warden_row = next(
        r for r in await rows_of(bot, report.id or 0) if r.chat_id == WARDEN.telegram_id
    )
    assert warden_row.status is OutboxStatus.UNDELIVERABLE
    assert "Wendy Warden (Street warden) cannot be reached" in bot.last(ADMIN).plain


async def test_refused_message_is_given_up_without_stopping_the_rest(bot: BotHarness) -> None:
    await bot.store.outbox.add(chat_id=ADMIN.telegram_id, purpose="notice", text="<b>broken")
    await bot.store.outbox.add(chat_id=ADMIN.telegram_id, purpose="notice", text="fine")
    assert await drain(bot) == 1
    assert bot.last(ADMIN).plain == "fine"
    backlog = await bot.store.outbox.backlog()
    assert backlog.pending == 0 and backlog.undeliverable == 1


async def test_crash_before_sending_loses_nothing(bot: BotHarness) -> None:
    """Rows claimed by a sender that died are sent once its lease runs out."""
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    claimed = await bot.store.outbox.claim_due()
    assert len(claimed) == len(ALERTED)

    assert await drain(bot) == 0  # still leased to the dead sender
    bot.clock.advance(LEASE + timedelta(seconds=1))
    assert await drain(bot) == len(ALERTED)
    for chat_id in ALERTED:
        assert sends_to(bot, chat_id) == 1


async def test_crash_between_send_and_mark_resends_at_most_once(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = await team(bot)
    await file_urgent(bot, members.reporter)
    alerts = bot.store.alerts
    mark = alerts.copy_sent
    crashed: list[int] = []

    async def crash_once(row, message_id, shown):  # type: ignore[no-untyped-def]
        if not crashed:
            crashed.append(row.chat_id)
            raise ConnectionError("database went away")
        return await mark(row, message_id, shown)

    monkeypatch.setattr(alerts, "copy_sent", crash_once)
    with pytest.raises(ConnectionError):
        await drain(bot)
    monkeypatch.setattr(alerts, "copy_sent", mark)

    bot.clock.advance(LEASE + timedelta(seconds=1))
    await drain(bot)
    for chat_id in ALERTED:
        expected = 2 if chat_id in crashed else 1  # the one unmarked copy goes out again
        assert sends_to(bot, chat_id) == expected, chat_id
    assert await drain(bot) == 0


# ---- stored messages --------------------------------------------------------------------
async def test_stored_text_with_buttons_and_a_long_text_split(bot: BotHarness) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Help", callback_data="menu:help")]])
    long_text = "\n".join(f"line {n} " + "x" * 90 for n in range(100))
    await bot.store.outbox.add(
        chat_id=ADMIN.telegram_id,
        purpose="digest",
        text=long_text,
        reply_markup=json.dumps(markup.to_dict()),
    )
    assert await drain(bot) == 1
    sent = [m for m in bot.api.sent_to(ADMIN.telegram_id) if m.plain.startswith("line")]
    assert len(sent) == 3
    assert "\n".join(m.text or "" for m in sent) == long_text
    assert [m.inline_buttons for m in sent[:-1]] == [[], []]
    assert button_labels(sent[-1]) == ["Help"]


async def test_stored_photo_from_a_file_and_document_by_file_id(
    bot: BotHarness, tmp_path: Path
) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"\x89PNG fake chart")
    await bot.store.outbox.add(
        chat_id=COORDINATORS_CHAT,
        purpose="digest",
        text="<b>Digest</b> chart",
        attachment_kind="photo",
        attachment_ref=str(chart),
    )
    await bot.store.outbox.add(
        chat_id=COORDINATORS_CHAT,
        purpose="report",
        attachment_kind="document",
        attachment_ref="BQACAgQAAxkBAAIB",
    )
    await bot.store.outbox.add(
        chat_id=COORDINATORS_CHAT,
        purpose="digest",
        attachment_kind="photo",
        attachment_ref=str(tmp_path / "gone.png"),
    )
    assert await drain(bot) == 2
    photo, document = bot.api.sent_to(COORDINATORS_CHAT)
    assert photo.kind == "photo" and photo.caption == "<b>Digest</b> chart"
    assert photo.file_bytes == b"\x89PNG fake chart"
    assert document.kind == "document" and document.file_name == "BQACAgQAAxkBAAIB"
    assert (await bot.store.outbox.backlog()).undeliverable == 1  # the missing file


# ---- the sender itself ------------------------------------------------------------------
@pytest.mark.app
async def test_one_send_budget_for_the_application_and_the_sender(store, clock) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(TCAG_SEND_RATE_PER_SECOND="25", TCAG_GROUP_BULK_PER_MINUTE="12")
    application = build_application(
        settings, store=store, clock=clock, request=LocalRequest(LocalBotAPI()), rate_limit=True
    )
    sender = application.outbox_sender
    assert isinstance(sender, OutboxSender)
    limiter = application.bot.rate_limiter
    assert isinstance(limiter, BudgetRateLimiter)  # not PTB's AIORateLimiter
    assert limiter.budget is sender.budget is application.send_budget  # one budget
    # The sender's own Bot has no limiter of its own: it asks the budget itself.
    assert sender.bot is not application.bot and sender.bot.rate_limiter is None
    assert sender.bot.token == application.bot.token
    assert sender.bot.defaults is application.bot.defaults  # HTML parse mode, time zone
    assert sender.bot.request is application.bot.request
    assert sender.rates == SendRates(
        overall_per_second=25, group_bulk_per_minute=12, reply_share=0.33
    )
    assert isinstance(application.update_processor, ChatOrderedProcessor)


def test_telegram_limits_are_the_default_pace() -> None:
    rates = SendRates()
    assert rates.overall_limit == 30  # in any second, bursts included
    assert rates.spacing == pytest.approx(1.06 / 30)  # evenly spaced: never a burst
    assert (rates.group_per_minute, rates.group_bulk_per_minute) == (20, 15)
    assert rates.private_burst == 3  # 3 in any 3 seconds: one a second, an alert and its pin
    assert rates.reply_reserve == 10  # a third of the budget is kept for replies


async def test_running_sender_sends_when_woken_and_stops_cleanly(bot: BotHarness) -> None:
    members = await team(bot)
    sender = bot.app.outbox_sender
    assert sender is not None
    delivered = asyncio.Event()

    def watch(call: ApiCall, message: SentMessage | None) -> None:
        if message is not None and all(sends_to(bot, chat_id) for chat_id in ALERTED):
            delivered.set()

    bot.api.listeners.append(watch)
    sender.start()
    try:
        await file_urgent(bot, members.reporter)
        bot.app.services.outbox_wakeup.set()
        await asyncio.wait_for(delivered.wait(), timeout=5)
    finally:
        await sender.stop()
    assert not sender.running
    for chat_id in ALERTED:
        assert sends_to(bot, chat_id) == 1


# ---- settings ---------------------------------------------------------------------------
def test_alert_settings_have_defaults_and_friendly_ranges() -> None:
    settings = load_settings(_env_file=None)
    assert settings.alert_escalate_minutes == 5 and settings.send_rate_per_second == 30
    names = (
        "TCAG_ALERT_ESCALATE_MINUTES",
        "TCAG_SEND_RATE_PER_SECOND",
        "TCAG_OUTBOX_RATE_PER_SECOND",  # the older name of the same budget still works
        "TCAG_GROUP_BULK_PER_MINUTE",
        "TCAG_ALERT_ESCALATE_REPEAT_MINUTES",
    )
    for name in names:
        with pytest.raises(SettingsError) as raised:
            load_settings(_env_file=None, **{name: "0"})
        assert str(raised.value).startswith(f"Setting {name}:")
    assert (
        load_settings(_env_file=None, TCAG_OUTBOX_RATE_PER_SECOND="12").send_rate_per_second == 12
    )
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    for line in (
        "TCAG_ALERT_ESCALATE_MINUTES=5",
        "TCAG_ALERT_ESCALATE_SECOND_MINUTES=10",
        "TCAG_ALERT_ESCALATE_REPEAT_MINUTES=10",
        "TCAG_ALERT_ESCALATE_REPEATS=6",
        "TCAG_ALERT_NEAREST_M=500",
        "TCAG_SEND_RATE_PER_SECOND=30",
        "TCAG_SEND_REPLY_SHARE_PERCENT=33",
        "TCAG_GROUP_BULK_PER_MINUTE=15",
        "TCAG_UPDATE_CONCURRENCY=32",
    ):
        assert line in example
