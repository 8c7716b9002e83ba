"""Fuzzing the real Application: random and malformed updates from everyone, in any order.

Each Hypothesis example is a fresh bot on a fresh database with members of every role,
strangers, a pending, a suspended and a rejected person, hotspots, a shift, an open urgent
incident with its alerts, a referral and a person record. It then gets a batch of updates
(tests/fuzz_updates.py): text full of markup and odd characters, commands with bad
arguments, real, stale and forged button presses, every other kind of message, updates
without a user or chat, and the clock moving on with the background jobs running.

What must hold, after every update and at the end:
- nothing reaches the error handler and nothing is logged at ERROR;
- Telegram refuses nothing the bot sends (LocalBotAPI checks HTML, lengths and buttons);
- every callback query is answered exactly once;
- every button the bot sends parses as ours (bot.callbacks);
- the database has no half-written rows (SQL invariants below).

`TCAG_FUZZ_UPDATES` sets how many updates in all on SQLite (1,500 by default; CI runs
10,000), `TCAG_FUZZ_PG_UPDATES` how many on PostgreSQL (500). With CI=true the examples
are derandomized, so a CI failure reproduces locally with
`CI=true TCAG_FUZZ_UPDATES=10000 pytest tests/e2e/test_fuzz.py`; a failure names the step and
the update that broke things. What the fuzzing found is replayed at the end of this file.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import math
import os
import shutil
import time
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import time as wall_time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from sqlalchemy import event, text

from bot.config import Settings
from bot.domain import callbacks
from bot.domain.access.roles import Role
from bot.domain.clock import ManualClock
from bot.domain.shifts.shift_windows import ShiftPattern
from bot.jobs.draft_expiry import expire_drafts
from bot.jobs.duty_close import close_stale_duty
from bot.jobs.escalation import escalate_overdue
from bot.offline.bot_api import ApiError, LocalBotAPI, SentMessage
from bot.offline.chat import Person, group_chat, private_chat
from bot.texts import common as common_texts
from storage.catalog import HotspotIn
from storage.db import create_engine
from storage.models import ReportIn
from storage.outreach.inputs import ContactIn, PersonIn, SightingIn
from storage.store import Store
from tests.support.databases import IN_CI, TestDatabases, require_postgres
from tests.support.fuzz_updates import ACTOR_KINDS, ELMER, FOCUS, Batch, Step, batch
from tests.support.harness import ADMIN, COORDINATORS_CHAT, START, BotHarness, make_settings

FUZZ_UPDATES = int(os.environ.get("TCAG_FUZZ_UPDATES", "1500"))
BATCH = 100  # updates per Hypothesis example: enough for flows to get somewhere
# A smaller run on PostgreSQL, whose SQL differs (types, limits).
POSTGRES_UPDATES = int(os.environ.get("TCAG_FUZZ_PG_UPDATES", "500"))

OTHER_GROUP = -100_999_000
CHANNEL = {"id": -100_777_000, "type": "channel", "title": "Town news <b>"}
ANONYMOUS_ADMIN = {
    "id": 1_087_968_824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
OTHER_BOT = {"id": 7_000_000_002, "is_bot": True, "first_name": "Other", "username": "other_bot"}

PEOPLE: dict[str, Person] = {
    "stranger": Person(5005, "Sam", "Stranger", username="sam_s"),
    "stranger2": Person(5006, "\u202eEve <b>&", None),
    "pending": Person(5101, "Pat", "Pending"),
    "suspended": Person(5102, "Sue", "Suspended"),
    "rejected": Person(5103, "Rex", "Rejected"),
    "officer": Person(2002, "Olly", "<i>Officer</i>"),
    "warden": Person(2003, "Wendy & Co", "Warden", username="wendy"),
    "outreach": Person(2004, "Omar", "Outreach"),
    "coordinator": Person(3003, "Cat", "Coordinator"),
    "admin": ADMIN,
}
assert tuple(PEOPLE) == ACTOR_KINDS

# Telegram answers this to an edit that changes nothing; handlers expect and absorb it.
TOLERATED_REFUSALS = ("message is not modified",)


# ---- the world each example starts from ----------------------------------------------------
async def seed(bot: BotHarness) -> None:
    store = bot.store
    await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name, ADMIN.username)
    admin = await store.members.by_telegram_id(ADMIN.telegram_id)
    assert admin is not None
    roles = {"officer": Role.OFFICER, "warden": Role.WARDEN, "outreach": Role.OUTREACH}
    roles |= {"coordinator": Role.COORDINATOR, "suspended": Role.WARDEN}
    for kind, role in roles.items():
        await bot.member(PEOPLE[kind], role)
    suspended = await store.members.by_telegram_id(PEOPLE["suspended"].telegram_id)
    assert suspended is not None
    await store.members.suspend(suspended.id or 0, by=admin)
    lead = await store.members.by_telegram_id(PEOPLE["coordinator"].telegram_id)
    assert lead is not None  # the safeguarding lead: concerns' buttons and /concerns are theirs
    await store.members.set_safeguarding_lead(lead.id or 0, True, by=admin)
    for kind in ("pending", "rejected"):
        await bot.tg.send(PEOPLE[kind], "/start")
    rejected = await store.members.by_telegram_id(PEOPLE["rejected"].telegram_id)
    assert rejected is not None
    await store.members.reject(rejected.id or 0, by=admin)

    elmer, _ = await store.hotspots.upsert(
        HotspotIn(
            name="Elmer Square", lat=ELMER[0], lon=ELMER[1], radius_m=150, aliases=("the fountain",)
        )
    )
    await store.hotspots.upsert(
        HotspotIn(name="Market <Street> & Co", lat=51.5085, lon=-0.1257, radius_m=80)
    )
    await store.shifts.add(
        ShiftPattern("Late", frozenset({4, 5}), wall_time(20, 0), wall_time(3, 0))
    )
    officer = await store.members.by_telegram_id(PEOPLE["officer"].telegram_id)
    warden = await store.members.by_telegram_id(PEOPLE["warden"].telegram_id)
    outreach = await store.members.by_telegram_id(PEOPLE["outreach"].telegram_id)
    assert officer is not None and warden is not None and outreach is not None
    await store.duty.start(warden.id or 0)
    weapon = await store.categories.by_slug("weapon")
    assert weapon is not None
    await store.reports.file(
        ReportIn(
            category_id=weapon.id or 0,
            hotspot_id=elmer.id,
            description="Knife <seen> & run",
            people_count="2-3",
            urgent=True,
        ),
        reporter=officer,
        group_chat_id=COORDINATORS_CHAT,
    )
    await store.referrals.add_sighting(
        SightingIn(hotspot_id=elmer.id, seen_at=bot.clock.now(), appearance="Red coat <x>"),
        reporter=warden,
    )
    await store.contacts.log_contact(
        ContactIn(new_person=PersonIn(alias="Ali <the> & fountain"), hotspot_id=elmer.id),
        worker=outreach,
    )
    await store.notes.add(admin, "Watch <the> market & square")
    # The alerts stay in the outbox: each example's bot delivers them, so they have buttons.


# ---- running a batch -----------------------------------------------------------------------
@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)  # what reached the error handler
    logged: list[str] = field(default_factory=list)  # ERROR records
    refusals: list[str] = field(default_factory=list)  # what Telegram would have refused


class _ErrorLog(logging.Handler):
    def __init__(self, findings: Findings) -> None:
        super().__init__(level=logging.ERROR)
        self.findings = findings

    def emit(self, record: logging.LogRecord) -> None:
        self.findings.logged.append(f"{record.name}: {record.getMessage()[:2000]}")


class Fuzzer:
    """Turns abstract steps into updates against what the bot has sent so far."""

    def __init__(self, bot: BotHarness) -> None:
        self.bot = bot
        self.api: LocalBotAPI = bot.api
        self.findings = Findings()
        self.updates = 0
        self.actor = self.focus = PEOPLE["officer"]
        self._callback_ids = itertools.count(1)
        self._record_errors()
        # What a person looks at: the message the bot sent or edited last, not the oldest.
        self._touched: dict[tuple[int, int], int] = {}
        self._touches = itertools.count()

        def touched(_call: Any, message: SentMessage | None) -> None:
            if message is not None:
                self._touched[(message.chat_id, message.message_id)] = next(self._touches)

        self.api.listeners.append(touched)

    def _record_errors(self) -> None:
        findings = self.findings

        async def record(update: object, context: Any) -> None:
            error = context.error
            lines = traceback.format_exception(type(error), error, error.__traceback__)
            findings.errors.append("".join(lines))

        self.bot.app.add_error_handler(record)
        self.error_log = _ErrorLog(findings)
        logging.getLogger().addHandler(self.error_log)
        original = self.api.call

        async def call(method: str, params: dict[str, Any], files: Any = None) -> Any:
            try:
                return await original(method, params, files)
            except ApiError as error:
                if not any(t in error.description for t in TOLERATED_REFUSALS):
                    findings.refusals.append(f"{method} {error.status} {error.description}")
                raise

        self.api.call = call  # type: ignore[method-assign]

    # ---- people and places ----------------------------------------------------------------
    def _who(self, s: Step) -> Person:
        if s.who == FOCUS:
            self.actor = self.focus
        elif s.who is not None:
            self.actor = PEOPLE[ACTOR_KINDS[s.who]]
        person = self.actor
        if s.rename is not None:
            person = Person(person.telegram_id, s.rename, None, person.username)
        return person

    @staticmethod
    def _chat(person: Person, where: str) -> dict[str, Any]:
        if where == "group":
            return group_chat(COORDINATORS_CHAT)
        if where == "other":
            return group_chat(OTHER_GROUP, "Pub quiz <team>")
        return private_chat(person)

    def _messages(self, chat_id: int, *, buttons: bool = False) -> list[SentMessage]:
        """Newest (sent or edited) first."""
        sent = sorted(
            self.api.sent_to(chat_id),
            key=lambda m: self._touched.get((m.chat_id, m.message_id), -1),
            reverse=True,
        )
        return [m for m in sent if m.inline_buttons or not buttons]

    def _all_button_data(self) -> list[str]:
        return [
            b["callback_data"]
            for m in self.api.messages.values()
            for b in m.inline_buttons
            if "callback_data" in b
        ]

    def _callback(
        self, person: Person, message: SentMessage | None, data: str | None, **extra: Any
    ) -> dict[str, Any]:
        query: dict[str, Any] = {
            "id": f"cq{next(self._callback_ids)}",
            "from": person.as_user(),
            "chat_instance": str(message.chat_id if message else 0),
            **extra,
        }
        if message is not None:
            query["message"] = message.as_message(self.api.bot_user, int(time.time()))
        if data is not None:
            query["data"] = data
        return {"callback_query": query}

    # ---- steps ----------------------------------------------------------------------------
    async def run(self, focus: int, steps: list[Step], ticks: list[tuple[int, int]]) -> None:
        self.focus = PEOPLE[ACTOR_KINDS[focus]]
        for index, s in enumerate(steps):
            await self.process(s, self.build(s))
            for after, minutes in ticks:
                if after % len(steps) == index:
                    await self.tick(minutes)

    def build(self, s: Step) -> dict[str, Any]:
        person = self._who(s)
        chat = self._chat(person, s.where)
        tg = self.bot.tg
        if s.kind in ("text", "command"):
            return tg.text_update(person, s.text, chat=chat)
        if s.kind == "press":
            return self._press(person, chat, s)
        if s.kind == "forged":
            return self._forged(person, chat, s)
        if s.kind == "content":
            return {"message": tg.message(person, chat=chat, **s.content)}
        if s.kind == "edited":
            message = tg.message(person, chat=chat, **s.content)
            message["edit_date"] = int(time.time())
            return {"edited_message": message}
        if s.kind == "forwarded":
            content, origin = s.content
            message = tg.message(person, chat=chat, **content)
            message["forward_origin"] = _origin(origin, message["date"])
            return {"message": message}
        if s.kind == "reply":
            message = tg.message(person, chat=chat, **s.content)
            targets = self._messages(chat["id"])
            if targets:
                target = targets[s.pick % len(targets)]
                message["reply_to_message"] = target.as_message(self.api.bot_user, message["date"])
            return {"message": message}
        if s.kind == "userless":
            return self._userless(person, chat, s)
        raise AssertionError(f"unknown step {s.kind}")

    def _press(self, person: Person, chat: dict[str, Any], s: Step) -> dict[str, Any]:
        """A real button: on the newest message with buttons, or an older one (stale)."""
        tg = self.bot.tg
        keyboard = self._reply_keyboard(chat["id"])
        if keyboard and s.button % 4 == 3:
            button = keyboard[s.pick % len(keyboard)]
            if button.get("request_location"):
                lat, lon = ELMER
                return {"message": tg.message(person, location={"latitude": lat, "longitude": lon})}
            return tg.text_update(person, button["text"], chat=chat)
        candidates = self._messages(chat["id"], buttons=True)
        if not candidates:
            return tg.text_update(person, "/start", chat=chat)
        message = candidates[0 if s.pick < 20 else s.pick % len(candidates)]
        buttons = message.inline_buttons
        if s.button % 3:  # mostly go on with the flow rather than cancel it
            buttons = [b for b in buttons if not _goes_back(b)] or buttons
        if s.button % 4 == 1:  # and now and then straight on: Done, Save, Confirm
            buttons = [b for b in buttons if _goes_on(b)] or buttons
        button = buttons[s.button % len(buttons)]
        if "callback_data" not in button:
            return tg.text_update(person, "/help", chat=chat)
        return self._callback(person, message, button["callback_data"])

    def _reply_keyboard(self, chat_id: int) -> list[dict[str, Any]]:
        for message in self._messages(chat_id):
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                return message.keyboard_buttons
            if markup.get("remove_keyboard"):
                return []
        return []

    def _forged(self, person: Person, chat: dict[str, Any], s: Step) -> dict[str, Any]:
        """Made-up callback data on a message the bot did send to that chat."""
        messages = self._messages(chat["id"])
        if not messages:
            return self.bot.tg.text_update(person, "hello", chat=chat)
        message = messages[s.pick % len(messages)]
        data = s.data
        if data == "mutate":
            pool = self._all_button_data()
            data = _mutate(pool[s.pick % len(pool)], s.button) if pool else "menu:help"
        return self._callback(person, message, data)

    def _userless(self, person: Person, chat: dict[str, Any], s: Step) -> dict[str, Any]:
        now = int(time.time())
        user = person.as_user()
        bot_user = self.api.bot_user
        kind = s.content
        channel_message = {
            "message_id": self.api.next_incoming_message_id(),
            "date": now,
            "chat": CHANNEL,
            "sender_chat": CHANNEL,
            "text": s.text,
        }
        member_change = {
            "chat": chat,
            "from": user,
            "date": now,
            "old_chat_member": {"status": "member", "user": bot_user},
            "new_chat_member": {"status": "kicked", "user": bot_user, "until_date": 0},
        }
        if kind == "channel_post":
            return {"channel_post": channel_message}
        if kind == "edited_channel_post":
            return {"edited_channel_post": {**channel_message, "edit_date": now}}
        if kind == "poll":
            return {
                "poll": {
                    "id": "poll1",
                    "question": s.text[:300],
                    "options": [
                        {"text": "a", "voter_count": 1, "persistent_id": "a"},
                        {"text": "b", "voter_count": 0, "persistent_id": "b"},
                    ],
                    "total_voter_count": 1,
                    "is_closed": True,
                    "is_anonymous": False,
                    "type": "quiz",
                    "allows_multiple_answers": False,
                    "allows_revoting": False,
                    "members_only": False,
                }
            }
        if kind == "poll_answer":
            return {
                "poll_answer": {
                    "poll_id": "poll1",
                    "user": user,
                    "option_ids": [0],
                    "option_persistent_ids": ["a"],
                }
            }
        if kind == "my_chat_member":
            return {"my_chat_member": member_change}
        if kind == "chat_member":
            new = {"status": "left", "user": user}
            return {"chat_member": {**member_change, "new_chat_member": new}}
        if kind == "chat_join_request":
            request = {"chat": chat, "from": user, "user_chat_id": person.telegram_id, "date": now}
            return {"chat_join_request": request}
        if kind == "message_reaction":
            return {
                "message_reaction": {
                    "chat": chat,
                    "message_id": 1,
                    "date": now,
                    "user": user,
                    "old_reaction": [],
                    "new_reaction": [{"type": "emoji", "emoji": "👍"}],
                }
            }
        if kind == "message_reaction_count":
            return {
                "message_reaction_count": {
                    "chat": chat,
                    "message_id": 1,
                    "date": now,
                    "reactions": [{"type": {"type": "emoji", "emoji": "👍"}, "total_count": 3}],
                }
            }
        if kind == "inline_query":
            return {"inline_query": {"id": "iq", "from": user, "query": s.text[:256], "offset": ""}}
        if kind == "chosen_inline_result":
            return {"chosen_inline_result": {"result_id": "r", "from": user, "query": "q"}}
        if kind == "inline_callback":
            data = s.data if s.data != "mutate" else "menu:help"
            return self._callback(person, None, data, inline_message_id="inline-1")
        if kind == "game_callback":
            messages = self._messages(chat["id"])
            return self._callback(
                person, messages[0] if messages else None, None, game_short_name="game"
            )
        if kind == "bot_message":
            message = self.bot.tg.message(person, chat=chat, text=s.text)
            return {"message": {**message, "from": OTHER_BOT}}
        if kind == "anonymous_admin":
            group = group_chat(COORDINATORS_CHAT)
            message = self.bot.tg.message(person, chat=group, text=s.text)
            return {"message": {**message, "from": ANONYMOUS_ADMIN, "sender_chat": group}}
        if kind == "removed_chat_boost":
            source = {"source": "premium", "user": user}
            boost = {"chat": CHANNEL, "boost_id": "b1", "remove_date": now, "source": source}
            return {"removed_chat_boost": boost}
        return {}  # an update with nothing we know in it

    async def process(self, s: Step, update: dict[str, Any]) -> None:
        before = len(self.api.calls)
        self.updates += 1
        calls = await self.bot.tg.process(update)
        assert len(self.api.calls) - before == len(calls)
        self.check(s, update)
        query = update.get("callback_query")
        if query is not None:
            answers = [
                c
                for c in calls
                if c.method == "answerCallbackQuery"
                and c.params.get("callback_query_id") == query["id"]
            ]
            assert len(answers) == 1, _explain(
                f"callback query answered {len(answers)} times", s, update
            )

    def check(self, s: Step, update: dict[str, Any]) -> None:
        findings = self.findings
        if findings.errors or findings.logged or findings.refusals:
            details = "\n".join([*findings.errors, *findings.logged, *findings.refusals])
            raise AssertionError(_explain(details, s, update))

    async def tick(self, minutes: int) -> None:
        """Time passes: escalations, duty closing, draft expiry and the outbox run."""
        clock = self.bot.clock
        assert isinstance(clock, ManualClock)
        clock.advance(timedelta(minutes=minutes))
        services = self.bot.app.services
        await escalate_overdue(services)
        await close_stale_duty(services)
        await expire_drafts(self.bot.app)
        await self.drain()
        self.check(Step("tick", pick=minutes), {})

    async def drain(self) -> None:
        for _ in range(20):
            if not await self.bot.app.outbox_sender.drain():
                return


def _goes_back(button: dict[str, Any]) -> bool:
    parsed = callbacks.parse(button.get("callback_data"))
    label = str(button.get("text", "")).casefold()
    return (parsed is not None and parsed.action == "x") or "cancel" in label or "back" in label


def _goes_on(button: dict[str, Any]) -> bool:
    label = str(button.get("text", "")).casefold()
    return any(word in label for word in ("done", "save", "confirm", "skip", "next", "yes"))


def _origin(kind: str, date: int) -> dict[str, Any]:
    if kind == "user":
        return {"type": "user", "date": date, "sender_user": PEOPLE["officer"].as_user()}
    if kind == "hidden_user":
        return {"type": "hidden_user", "date": date, "sender_user_name": "Hidden <b> &"}
    if kind == "channel":
        return {"type": "channel", "date": date, "chat": CHANNEL, "message_id": 5}
    return {"type": "chat", "date": date, "sender_chat": group_chat(OTHER_GROUP)}


_REPLACEMENTS = ("0", "-1", "99999999999999999999", "", "x", "2", "coordinator", "1:1", "😀")


def _mutate(data: str, which: int) -> str:
    parts = data.split(":")
    index = 1 + which % max(len(parts) - 1, 1)
    replacement = _REPLACEMENTS[which % len(_REPLACEMENTS)]
    if index < len(parts):
        parts[index] = replacement
    else:
        parts.append(replacement)
    return ":".join(parts)


def _explain(problem: str, s: Step, update: dict[str, Any]) -> str:
    """The problem's last lines first (a traceback ends with the error), then the input."""
    shown = json.dumps(update, ensure_ascii=True, default=str)
    if len(shown) > 3000:
        shown = shown[:3000] + "…"
    tail = "\n".join(problem.strip().splitlines()[-3:])
    data = (update.get("callback_query") or {}).get("data")
    pressed = f"\ncallback data: {data!r}" if data is not None else ""
    return f"{tail}\nstep: {s!r}"[:3000] + f"{pressed}\nupdate: {shown}\n\n{problem[-4000:]}"


# ---- the end state ------------------------------------------------------------------------
INVARIANTS: dict[str, str] = {
    "report without a category or reporter": """
        SELECT count(*) FROM reports r
        LEFT JOIN categories c ON c.id = r.category_id
        LEFT JOIN members m ON m.id = r.reporter_id
        WHERE c.id IS NULL OR m.id IS NULL""",
    "report closed without a time, or a time without closing": """
        SELECT count(*) FROM reports
        WHERE (status = 'closed' AND closed_at IS NULL)
           OR (status <> 'closed' AND closed_at IS NOT NULL)""",
    "report acknowledged half-way": """
        SELECT count(*) FROM reports
        WHERE (acknowledged_at IS NULL) <> (acknowledged_by_id IS NULL)
           OR (acknowledged_at IS NULL) <> (ack_kind IS NULL)""",
    "attachment without its report": """
        SELECT count(*) FROM report_attachments a
        LEFT JOIN reports r ON r.id = a.report_id WHERE r.id IS NULL""",
    "note without its report": """
        SELECT count(*) FROM report_notes n
        LEFT JOIN reports r ON r.id = n.report_id WHERE r.id IS NULL""",
    "outreach contact without a worker": """
        SELECT count(*) FROM outreach_contacts WHERE worker_id IS NULL""",
    "person record without an alias": """
        SELECT count(*) FROM people WHERE alias IS NULL OR trim(alias) = ''""",
    "referral closed or taken half-way": """
        SELECT count(*) FROM referrals
        WHERE (status = 'closed' AND (closed_at IS NULL OR outcome IS NULL))
           OR (status = 'taken' AND (taken_by_id IS NULL OR taken_at IS NULL))""",
    "outbox row without a chat or anything to send": """
        SELECT count(*) FROM outbox
        WHERE chat_id IS NULL
           OR (text IS NULL AND attachment_ref IS NULL AND report_id IS NULL
               AND referral_id IS NULL AND safety_alert_id IS NULL AND concern_id IS NULL)""",
    "referral attached to nothing": """
        SELECT count(*) FROM referrals
        WHERE (status = 'attached') <> (attached_to_id IS NOT NULL)""",
    "safeguarding concern acknowledged or done half-way": """
        SELECT count(*) FROM concerns
        WHERE (acknowledged_at IS NULL) <> (acknowledged_by_id IS NULL)
           OR (status = 'open' AND acknowledged_at IS NOT NULL)
           OR (status <> 'open' AND acknowledged_at IS NULL)
           OR ((status = 'done') <> (action IS NOT NULL AND action_at IS NOT NULL))""",
    "outbox row pending forever": """
        SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts > 8""",
    "outbox row Telegram refused": """
        SELECT count(*) FROM outbox
        WHERE status = 'undeliverable' AND last_error LIKE 'BadRequest%'""",
    "member on duty twice at once": """
        SELECT count(*) FROM (
            SELECT member_id FROM duty_sessions WHERE ended_at IS NULL
            GROUP BY member_id HAVING count(*) > 1) AS twice""",
    "active member without a role": """
        SELECT count(*) FROM members WHERE status = 'active' AND role IS NULL""",
    "briefing note without text or author": """
        SELECT count(*) FROM briefing_notes WHERE cleared_at IS NULL AND text IS NULL""",
}


# How far the fuzzing got (rows at the end of each example, summed): printed with -s.
REACHED: Counter[str] = Counter(
    dict.fromkeys(
        ("reports", "report_notes", "report_attachments", "outreach_contacts", "people",
         "referrals", "briefing_notes", "shift_patterns", "hotspots", "categories",
         "audit_log", "duty_sessions", "outbox", "invites"),
        0,
    )
)  # fmt: skip


async def check_invariants(fuzzer: Fuzzer) -> None:
    bot = fuzzer.bot
    await fuzzer.drain()
    await bot.app.update_persistence()  # drafts and conversation states, as JSON
    fuzzer.check(Step("end"), {})
    async with bot.store.engine.connect() as connection:
        broken = {
            name: count
            for name, sql in INVARIANTS.items()
            if (count := (await connection.execute(text(sql))).scalar_one())
        }
    assert not broken, f"half-written rows after {fuzzer.updates} updates: {broken}"
    async with bot.store.engine.connect() as connection:
        for table in REACHED:
            count = (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
            REACHED[table] += count
    for message in bot.api.messages.values():
        for button in message.inline_buttons:
            data = button.get("callback_data")
            assert data is None or callbacks.parse(data) is not None, (
                f"a button the bot sent does not parse as ours: {data!r}"
            )


# ---- databases for each example ------------------------------------------------------------
def _fast_sqlite(url: str) -> Any:
    """No fsync per commit: durability is not what this test is about, speed is."""
    engine = create_engine(url)

    def no_sync(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    event.listen(engine.sync_engine, "connect", no_sync)
    return engine


@dataclass
class Database:
    kind: str
    databases: TestDatabases
    template: Path | None = None  # SQLite: a seeded file, copied for each example

    async def open(self, clock: ManualClock, tmp: Path) -> tuple[Store, Any]:
        if self.kind == "sqlite":
            path = tmp / f"fuzz-{uuid.uuid4().hex[:8]}.db"
            assert self.template is not None
            shutil.copyfile(self.template, path)
            return Store(_fast_sqlite(f"sqlite+aiosqlite:///{path}"), clock), path
        url = await self.databases.postgres_copy()  # migrated; seeded with the bot below
        store = Store(create_engine(url), clock)
        await store.categories.seed_defaults()
        return store, url

    async def drop(self, where: Any) -> None:
        if self.kind == "sqlite":
            _remove_sqlite(where)
            return
        self.databases.release(where)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _settings() -> Settings:
    # Settings name the admin too, as in production: they cannot lock themselves out.
    return make_settings(TCAG_ADMIN_IDS=str(ADMIN.telegram_id))


async def _seeded_sqlite(path: Path) -> None:
    clock = ManualClock(START)
    store = Store(_fast_sqlite(f"sqlite+aiosqlite:///{path}"), clock)
    await store.categories.seed_defaults()  # a copy of the migrated template, as Store.upgrade
    bot = BotHarness(store, clock, _settings())
    await bot.start()
    await seed(bot)
    await bot.stop()
    await store.close()


async def fuzz_once(database: Database, tmp: Path, steps: Batch) -> int:
    clock = ManualClock(START)
    store, where = await database.open(clock, tmp)
    bot = BotHarness(store, clock, _settings())
    fuzzer: Fuzzer | None = None
    try:
        await bot.start()
        if database.template is None:
            await seed(bot)
        fuzzer = Fuzzer(bot)
        await fuzzer.drain()  # the seeded alerts
        await fuzzer.run(*steps)
        await check_invariants(fuzzer)
        return fuzzer.updates
    finally:
        if fuzzer is not None:
            logging.getLogger().removeHandler(fuzzer.error_log)
        await bot.stop()
        await store.close()
        await database.drop(where)


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=IN_CI,
        database=None if IN_CI else settings.default.database,
        # No shrinking: a failure names the update that broke things, and shrinking batches
        # of whole-application runs takes minutes.
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.function_scoped_fixture,
        ],
    )


batches = batch(BATCH)


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory, databases: TestDatabases) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "template.db"
    databases.sqlite_copy(path)
    asyncio.run(_seeded_sqlite(path))
    return path


def test_fuzz_sqlite(sqlite_template: Path, databases: TestDatabases, tmp_path: Path) -> None:
    database = Database("sqlite", databases, sqlite_template)
    examples = max(1, math.ceil(FUZZ_UPDATES / BATCH))
    counted: list[int] = []

    @fuzz_settings(examples)
    @given(batches)
    def fuzz(steps: Batch) -> None:
        counted.append(asyncio.run(fuzz_once(database, tmp_path, steps)))

    started = time.monotonic()
    fuzz()
    took = time.monotonic() - started
    total = sum(counted)
    print(f"fuzz: {total} updates in {len(counted)} examples, {took:.1f} s; rows: {REACHED}")
    assert total >= FUZZ_UPDATES


def test_fuzz_postgresql(databases: TestDatabases, tmp_path: Path) -> None:
    require_postgres()
    database = Database("postgresql", databases)

    @fuzz_settings(max(1, math.ceil(POSTGRES_UPDATES / BATCH)))
    @given(batches)
    def fuzz(steps: Batch) -> None:
        asyncio.run(fuzz_once(database, tmp_path, steps))

    fuzz()


# ---- what the fuzzing found, replayed on both databases ------------------------------------
@pytest.fixture
def errors(bot: BotHarness) -> list[str]:
    """What reaches the error handler while a test runs."""
    found: list[str] = []

    async def record(update: object, context: Any) -> None:
        found.append(f"{type(context.error).__name__}: {context.error}")

    bot.app.add_error_handler(record)
    return found


async def test_location_off_the_map_gets_a_reply_not_a_crash(
    bot: BotHarness, errors: list[str]
) -> None:
    officer = await bot.member(PEOPLE["officer"], Role.OFFICER)
    await bot.tg.share_location(officer, 602.067, -0.1276)  # a quick report at a place
    assert bot.last(officer).plain == common_texts.LOCATION_NOT_A_POINT
    await bot.tg.send(officer, "/report")
    await bot.tg.press(officer, bot.last(officer), "Antisocial behaviour")
    await bot.tg.share_location(officer, 51.5, 181.5)  # the guided report's location step
    assert bot.last(officer).plain == common_texts.LOCATION_NOT_A_POINT
    await bot.tg.share_location(officer, *ELMER)  # a real place goes on to the next step
    assert "What happened?" in bot.last(officer).plain
    assert errors == [] and await _reports_by(bot, officer) == []


async def test_button_of_an_inline_message_is_answered_as_stale(
    bot: BotHarness, errors: list[str]
) -> None:
    coordinator = await bot.member(PEOPLE["coordinator"], Role.COORDINATOR)
    query = {
        "id": "inline-press",
        "from": coordinator.as_user(),
        "chat_instance": "1",
        "inline_message_id": "inline-1",
        "data": callbacks.report_button("ok", "abc123"),
    }
    await bot.tg.process({"callback_query": query})
    assert bot.api.callback_answers()[-1]["text"] == common_texts.STALE_BUTTON
    assert errors == []


@pytest.mark.parametrize(
    "data",
    [
        "mem:card:99999999999999999999",
        "aud:p:-99999999999999999999",
        "per:show:99999999999999999999",
        "cat:show:99999999999999999999",
    ],
)
@pytest.mark.pg_smoke
async def test_forged_twenty_digit_ids_reach_no_database(
    bot: BotHarness, errors: list[str], data: str
) -> None:
    await bot.member(PEOPLE["outreach"], Role.OUTREACH)  # /person's buttons are theirs
    for person in (ADMIN, PEOPLE["outreach"]):
        await bot.tg.send(person, "/start")
        calls = await bot.tg.press_data(person, bot.last(person), data)
        assert [c.method for c in calls].count("answerCallbackQuery") == 1
    await bot.tg.send(PEOPLE["outreach"], "/report")
    draft_button = bot.last(PEOPLE["outreach"]).inline_buttons[0]["callback_data"]
    forged = draft_button.rsplit(":", 1)[0] + ":99999999999999999999"
    await bot.tg.press_data(PEOPLE["outreach"], bot.last(PEOPLE["outreach"]), forged)
    assert errors == []


async def test_audit_echoes_no_more_than_a_line_of_what_was_typed(
    bot: BotHarness, errors: list[str]
) -> None:
    await bot.tg.send(ADMIN, "/audit " + "20:00ËÐD" * 500)
    reply = bot.last(ADMIN).plain
    assert reply.startswith("No member or action matches") and len(reply) < 400
    assert errors == []


@pytest.mark.pg_smoke
async def test_text_with_a_nul_character_is_stored_without_it(
    bot: BotHarness, errors: list[str]
) -> None:
    """PostgreSQL text cannot hold U+0000 (storage.db drops it); SQLite keeps it."""
    await seed_elmer_only(bot)
    officer = await bot.member(PEOPLE["officer"], Role.OFFICER)
    await bot.tg.send(officer, "3 lads drinking by the fountain\x00 now")
    await bot.tg.press(officer, bot.last(officer), "Confirm")
    assert "stored" in bot.last(officer).plain
    (view,) = await _reports_by(bot, officer)
    assert errors == []
    description = view.report.description or ""
    assert description.replace("\x00", "") == "3 lads drinking by the fountain now"


async def _reports_by(bot: BotHarness, person: Person) -> list[Any]:
    member = await bot.store.members.by_telegram_id(person.telegram_id)
    assert member is not None
    return await bot.store.reports.by_reporter(member.id or 0)


async def seed_elmer_only(bot: BotHarness) -> None:
    await bot.store.hotspots.upsert(
        HotspotIn(
            name="Elmer Square", lat=ELMER[0], lon=ELMER[1], radius_m=150, aliases=("the fountain",)
        )
    )
