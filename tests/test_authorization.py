"""The authorisation matrix: every command and button prefix × everyone who might use it.

The rows come from the handlers REGISTERED in a built Application (conversation entry
points, states and fallbacks included), so a command or button added without a rule in
bot.commands / bot.callbacks fails here. The expected cells come from DESIGN.md's Roles
table, written out below on its own (not read from bot.roles): bot.roles is checked
against it too.

Each cell is a fresh person of that standing, so no conversation of an earlier cell gets
in the way. Refused: the fixed reply (non-members) or "not available for your role"
(members), nothing else sent and no row written. Allowed: the gate lets it through.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlmodel import SQLModel
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

import storage.models  # noqa: F401  (every table, for the row snapshots)
from bot import texts
from bot.domain import callbacks
from bot.domain.callbacks import PREFIX_PERMISSIONS
from bot.domain.callbacks.reports import AlertAction, AlertResponse
from bot.domain.clock import ManualClock
from bot.domain.commands import BY_NAME, COMMANDS
from bot.domain.roles import Permission, Role, Status, permissions_for
from bot.offline.bot_api import ApiCall, SentMessage
from bot.offline.chat import Person
from bot.texts import alerts as alert_texts
from storage.db import create_engine
from storage.models import Member, ReportIn
from storage.store import Store
from tests.conftest import ADMIN, START, BotHarness, make_settings

# ---- DESIGN.md's Roles table -----------------------------------------------------------
NON_MEMBERS = ("stranger", "pending", "suspended", "rejected")
MEMBERS = ("officer", "warden", "outreach", "coordinator", "admin")
STANDINGS = NON_MEMBERS + MEMBERS

# Who may do what. "admin" is the admin flag on a patrol role (an officer here), so the
# flag's own grants are what this column shows.
ALLOWED: dict[Permission, frozenset[str]] = {
    Permission.PUBLIC: frozenset(STANDINGS),  # /start: ask for access, or the menu
    Permission.MEMBER: frozenset(MEMBERS),
    Permission.OUTREACH: frozenset({"outreach"}),
    Permission.COORDINATE: frozenset({"coordinator"}),
    Permission.INVITE: frozenset({"coordinator", "admin"}),  # "an admin or coordinator"
    Permission.ADMIN: frozenset({"admin"}),
}
_STANDING: dict[str, tuple[Role, Status, bool]] = {
    "pending": (Role.OFFICER, Status.PENDING, False),
    "suspended": (Role.OFFICER, Status.SUSPENDED, False),
    "rejected": (Role.OFFICER, Status.REJECTED, False),
    "officer": (Role.OFFICER, Status.ACTIVE, False),
    "warden": (Role.WARDEN, Status.ACTIVE, False),
    "outreach": (Role.OUTREACH, Status.ACTIVE, False),
    "coordinator": (Role.COORDINATOR, Status.ACTIVE, False),
    "admin": (Role.OFFICER, Status.ACTIVE, True),
}

# Which row of the table each command and button belongs to: written here a second time,
# so a change of rule is a deliberate change in two places, not a slip in one.
_M, _O, _C = Permission.MEMBER, Permission.OUTREACH, Permission.COORDINATE
_I, _A = Permission.INVITE, Permission.ADMIN
EXPECTED_COMMANDS: dict[str, Permission] = {
    "start": Permission.PUBLIC,
    # report incidents and sightings, see own reports
    "help": _M, "cancel": _M, "report": _M, "mine": _M, "update": _M, "show": _M,
    # go on/off duty; flag a rough sleeper seen
    "on": _M, "off": _M, "duty": _M, "roughsleeper": _M,
    # outreach: contacts, person records and history, the referral queue
    "contact": _O, "person": _O, "people": _O, "referrals": _O,
    # coordinators: acknowledge/close incidents, digests and stats, briefing notes, exports
    "open": _C, "close": _C, "brief": _C, "digest": _C, "stats": _C, "export": _C,
    "quarter": _C,
    # "an admin or coordinator creates an invite"
    "invite": _I,
    # admins: members, categories ("admins can add, rename, retire"), hotspots, shifts,
    # the audit log, erasure of a person on request
    "members": _A, "categories": _A, "hotspots": _A, "shifts": _A, "audit": _A, "erase": _A,
}  # fmt: skip
EXPECTED_PREFIXES: dict[str, Permission] = {
    callbacks.MENU: _M, callbacks.REPORT: _M, callbacks.QUICK: _M,
    callbacks.INCIDENT: _M,  # "every member on duty … get the alert with buttons Acknowledge"
    callbacks.ROUGH_SLEEPER: _M, callbacks.DUTY: _M,
    callbacks.OUTREACH: _O, callbacks.PERSON: _O, callbacks.REFERRAL: _O,
    callbacks.STATS: _C,
    callbacks.INVITE: _I,
    callbacks.ACCESS: _A, callbacks.MEMBERS: _A, callbacks.CATEGORIES: _A,
    callbacks.HOTSPOTS: _A, callbacks.ERASE: _A, callbacks.SHIFTS: _A, callbacks.AUDIT: _A,
}  # fmt: skip

# Plausible data for a press of each prefix, built as the bot builds its buttons.
SAMPLE_PRESS: dict[str, str] = {
    callbacks.ACCESS: callbacks.reject(999),
    callbacks.MEMBERS: callbacks.members_page(0),
    callbacks.INVITE: callbacks.new_invite(Role.OFFICER),
    callbacks.MENU: callbacks.menu("help"),
    callbacks.REPORT: callbacks.report_button("cat", "abc123", 1),
    callbacks.QUICK: callbacks.quick_button("ok", "abc123"),
    callbacks.INCIDENT: callbacks.incident_ack(1),
    callbacks.CATEGORIES: callbacks.categories_page(0),
    callbacks.HOTSPOTS: callbacks.hotspots_page(0),
    callbacks.OUTREACH: callbacks.outreach("new"),
    callbacks.PERSON: callbacks.person("show", 1),
    callbacks.REFERRAL: callbacks.referral("list"),
    callbacks.ROUGH_SLEEPER: callbacks.rough_sleeper("new"),
    callbacks.ERASE: callbacks.erase("x"),
    callbacks.SHIFTS: callbacks.shifts_list(),
    callbacks.DUTY: callbacks.duty_location(1),
    callbacks.AUDIT: callbacks.audit_page(0),
    callbacks.STATS: callbacks.stats_period("7d"),
}
_GATE_ANSWERS = {texts.NOT_A_MEMBER, texts.NOT_ALLOWED_BUTTON, texts.STALE_BUTTON}


def allowed(permission: Permission, standing: str) -> bool:
    return standing in ALLOWED[permission]


# ---- what the Application registers ------------------------------------------------------
def _all_handlers(
    handlers: list[BaseHandler[Any, Any, Any]],
) -> Iterator[BaseHandler[Any, Any, Any]]:
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            yield from _all_handlers(list(handler.entry_points))
            for state in handler.states.values():
                yield from _all_handlers(list(state))
            yield from _all_handlers(list(handler.fallbacks))
        else:
            yield handler


_PREFIX_RE = re.compile(r"^\^([a-z]+):")


@dataclass(frozen=True)
class Registered:
    commands: frozenset[str]
    prefixes: frozenset[str]
    unprefixed: tuple[str, ...]  # button handlers whose pattern names no prefix


def registered(harness: BotHarness) -> Registered:
    commands: set[str] = set()
    prefixes: set[str] = set()
    unprefixed: list[str] = []
    for group in harness.app.handlers.values():
        for handler in _all_handlers(list(group)):
            if isinstance(handler, CommandHandler):
                commands |= set(handler.commands)
            elif isinstance(handler, CallbackQueryHandler):
                pattern = getattr(handler.pattern, "pattern", handler.pattern)
                match = _PREFIX_RE.match(pattern) if isinstance(pattern, str) else None
                if match is None:
                    unprefixed.append(repr(pattern))
                else:
                    prefixes.add(match.group(1))
    return Registered(frozenset(commands), frozenset(prefixes), tuple(unprefixed))


# ---- a bot and fresh people of each standing ------------------------------------------------
class Matrix:
    """One bot; each cell gets a new person of the standing under test."""

    def __init__(self, harness: BotHarness) -> None:
        self.bot = harness
        self._ids = itertools.count(700_001)

    async def person(self, standing: str) -> Person:
        person = Person(next(self._ids), "Pat", standing.capitalize())
        if standing == "stranger":
            return person
        store = self.bot.store
        role, status, is_admin = _STANDING[standing]
        if is_admin:
            await store.members.ensure_admin(person.telegram_id, person.name, role=role)
            return person
        member, _ = await store.members.request_access(person.telegram_id, person.name, None)
        admin = await store.members.by_telegram_id(ADMIN.telegram_id)
        assert admin is not None and member.id is not None
        if status is Status.REJECTED:
            await store.members.reject(member.id, by=admin)
        elif status is not Status.PENDING:
            await store.members.approve(member.id, role, by=admin)
            if status is Status.SUSPENDED:
                await store.members.suspend(member.id, by=admin)
        found = await store.members.by_telegram_id(person.telegram_id)
        assert found is not None and _standing_of(found) == standing
        return person

    async def rows(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table: a refused update must change none."""
        snapshot: dict[str, list[tuple[Any, ...]]] = {}
        async with self.bot.store.engine.connect() as connection:
            for table in SQLModel.metadata.sorted_tables:
                result = await connection.execute(text(f'SELECT * FROM "{table.name}"'))
                snapshot[table.name] = sorted(map(tuple, result.all()), key=repr)
        return snapshot

    async def message_to(self, person: Person) -> SentMessage:
        """A message of the bot's in the person's chat, to press a button on."""
        await self.bot.app.bot.send_message(person.telegram_id, "Menu")
        return self.bot.last(person)


def _standing_of(member: Member) -> str:
    if member.status is not Status.ACTIVE:
        return member.status.value
    return "admin" if member.is_admin else member.role.value


async def _harness(store: Store, clock: ManualClock) -> BotHarness:
    harness = BotHarness(store, clock, make_settings())
    await harness.start()
    await store.members.ensure_admin(ADMIN.telegram_id, ADMIN.name, ADMIN.username)
    return harness


def _no_fsync(dbapi_connection: Any, _record: Any) -> None:
    """Durability is not under test here; hundreds of small commits are."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


@pytest.fixture
async def matrix() -> AsyncIterator[Matrix]:
    """SQLite only: the whole matrix on both databases adds nothing the gate does not do
    the same way on each (test_matrix_row_on_both_databases samples a row on both)."""
    with tempfile.TemporaryDirectory() as folder:
        clock = ManualClock(START)
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'm.db'}")
        event.listen(engine.sync_engine, "connect", _no_fsync)
        store = Store(engine, clock)
        await store.upgrade()
        harness = await _harness(store, clock)
        yield Matrix(harness)
        await harness.stop()
        await store.close()


# ---- the rules are complete and agree with DESIGN.md ---------------------------------------
async def test_every_registered_command_and_prefix_has_a_rule_and_vice_versa(
    matrix: Matrix,
) -> None:
    found = registered(matrix.bot)
    assert found.unprefixed == (), "button handlers must match one callback prefix"
    assert found.commands == set(BY_NAME), "registered commands ≠ bot.commands.COMMANDS"
    assert found.prefixes == set(PREFIX_PERMISSIONS), "registered prefixes ≠ PREFIX_PERMISSIONS"
    assert set(SAMPLE_PRESS) == set(PREFIX_PERMISSIONS), "a new prefix needs a sample press"
    for prefix, data in SAMPLE_PRESS.items():
        parsed = callbacks.parse(data)
        assert parsed is not None and parsed.prefix == prefix


def test_each_command_and_prefix_needs_what_design_md_says() -> None:
    assert {s.name: s.permission for s in COMMANDS} == EXPECTED_COMMANDS
    assert PREFIX_PERMISSIONS == EXPECTED_PREFIXES


@pytest.mark.parametrize("standing", STANDINGS)
def test_bot_roles_grants_what_design_md_says(standing: str) -> None:
    if standing == "stranger":
        return  # no member row: the gate refuses before any permission is read
    role, status, is_admin = _STANDING[standing]
    granted = permissions_for(role, is_admin=is_admin, status=status)
    assert granted == {p for p in Permission if allowed(p, standing)}


# ---- the matrix ------------------------------------------------------------------------------
def _sent(calls: list[ApiCall]) -> list[str]:
    return [str(c.params.get("text", "")) for c in calls if c.method == "sendMessage"]


async def check_command(matrix: Matrix, standing: str, name: str) -> None:
    person = await matrix.person(standing)
    refused = not allowed(EXPECTED_COMMANDS[name], standing)
    before = await matrix.rows() if refused else {}
    calls = await matrix.bot.tg.send(person, f"/{name}")
    where = f"/{name} by {standing}"
    refusal = texts.NOT_A_MEMBER if standing in NON_MEMBERS else None
    if refusal is None:
        refusal = texts.NOT_ALLOWED_COMMAND.format(command=name)
    if not refused:
        assert calls, f"{where}: no answer at all"
        assert refusal not in _sent(calls) and texts.UNKNOWN_COMMAND not in _sent(calls), where
        return
    assert [c.method for c in calls] == ["sendMessage"], f"{where}: more than the refusal"
    assert _sent(calls) == [refusal], where
    if standing in MEMBERS:
        assert "not available for your role" in refusal
    assert await matrix.rows() == before, f"{where}: rows written"


async def check_press(matrix: Matrix, standing: str, prefix: str) -> None:
    person = await matrix.person(standing)
    message = await matrix.message_to(person)
    refused = not allowed(EXPECTED_PREFIXES[prefix], standing)
    before = await matrix.rows() if refused else {}
    calls = await matrix.bot.tg.press_data(person, message, SAMPLE_PRESS[prefix])
    where = f"{SAMPLE_PRESS[prefix]} pressed by {standing}"
    answers = [c.params for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1, f"{where}: answered {len(answers)} times"
    answer = str(answers[0].get("text") or "")
    if not refused:
        assert answer not in _GATE_ANSWERS, f"{where}: refused with {answer!r}"
        return
    expected = texts.NOT_A_MEMBER if standing in NON_MEMBERS else texts.NOT_ALLOWED_BUTTON
    assert answer == expected, where
    assert answers[0].get("show_alert") is True, where
    assert [c.method for c in calls] == ["answerCallbackQuery"], f"{where}: more than the refusal"
    assert await matrix.rows() == before, f"{where}: rows written"


@pytest.mark.parametrize("standing", STANDINGS)
async def test_commands_by_standing(matrix: Matrix, standing: str) -> None:
    for spec in COMMANDS:
        await check_command(matrix, standing, spec.name)


@pytest.mark.parametrize("standing", STANDINGS)
async def test_button_prefixes_by_standing(matrix: Matrix, standing: str) -> None:
    for prefix in PREFIX_PERMISSIONS:
        await check_press(matrix, standing, prefix)


@pytest.mark.parametrize("standing", ["stranger", "warden"])
async def test_matrix_row_on_both_databases(
    store: Store, clock: ManualClock, standing: str
) -> None:
    """A sampled row on SQLite and PostgreSQL alike (the `store` fixture runs both)."""
    harness = await _harness(store, clock)
    try:
        matrix = Matrix(harness)
        for spec in COMMANDS:
            await check_command(matrix, standing, spec.name)
        for prefix in PREFIX_PERMISSIONS:
            await check_press(matrix, standing, prefix)
    finally:
        await harness.stop()


# ---- forged alert presses: only from a copy received, and the right roles -----------------
ALERT_ACTIONS = {"ack": AlertAction.ACKNOWLEDGE, "att": AlertAction.ATTENDING}
# From their own copy: who may acknowledge (take ownership) and who may attend.
ALERT_EXPECTED: dict[tuple[str, str], str] = {
    **{(s, "att"): "done" for s in MEMBERS},
    **{(s, "ack"): "done" for s in ("coordinator", "admin")},
    **{(s, "ack"): "not allowed" for s in ("officer", "warden", "outreach")},
}


async def _alerted(matrix: Matrix, standing: str) -> tuple[Person, int, SentMessage]:
    """A member of that standing on duty, a new urgent report, and their copy of its alert."""
    bot = matrix.bot
    person = await matrix.person(standing)
    member = await bot.store.members.by_telegram_id(person.telegram_id)
    reporter = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    weapon = await bot.store.categories.by_slug("weapon")
    assert member is not None and reporter is not None and weapon is not None
    await bot.store.duty.start(member.id or 0)
    report = await bot.store.reports.file(
        ReportIn(category_id=weapon.id or 0, place_text="Elmer Square", urgent=True),
        reporter=reporter,
        group_chat_id=None,
    )
    assert bot.app.outbox_sender is not None
    await bot.app.outbox_sender.drain()
    await bot.store.duty.end(member.id or 0)
    [copy] = [m for m in bot.api.sent_to(person.telegram_id) if "Reported by" in m.plain]
    return person, report.id or 0, copy


def _answer(calls: list[ApiCall]) -> str:
    answers = [c.params for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1
    return str(answers[0].get("text") or "")


@pytest.mark.parametrize("standing", MEMBERS)
async def test_alert_presses_by_standing_from_their_own_copy(matrix: Matrix, standing: str) -> None:
    for name, action in ALERT_ACTIONS.items():
        person, report_id, copy = await _alerted(matrix, standing)
        before = await matrix.rows()
        data = AlertResponse(action, report_id).pack()
        answer = _answer(await matrix.bot.tg.press_data(person, copy, data))
        where = f"{data} by {standing}"
        if ALERT_EXPECTED[standing, name] == "done":
            assert answer not in (alert_texts.ALERT_ACK_NOT_ALLOWED, alert_texts.ALERT_NOT_RECEIVED)
            assert await matrix.rows() != before, f"{where}: nothing recorded"
        else:
            assert answer == alert_texts.ALERT_ACK_NOT_ALLOWED, where
            assert await matrix.rows() == before, f"{where}: rows written"
            assert copy.edits == 0, where


@pytest.mark.parametrize("standing", MEMBERS)
async def test_forged_alert_presses_from_any_other_message_do_nothing(
    matrix: Matrix, standing: str
) -> None:
    """The button's data sent from a message that is not that report's alert (the menu, or
    another report's copy): refused, nothing written, and the message is never rewritten."""
    person, report_id, copy = await _alerted(matrix, standing)
    menu = await matrix.message_to(person)
    for action in AlertAction:
        data = AlertResponse(action, report_id).pack()
        for message in (menu, copy):
            forged = data if message is menu else AlertResponse(action, report_id + 1000).pack()
            before = await matrix.rows()
            calls = await matrix.bot.tg.press_data(person, message, forged)
            where = f"{forged} by {standing} from message {message.message_id}"
            expected = (
                alert_texts.ALERT_NOT_RECEIVED if message is menu else alert_texts.ALERT_UNKNOWN
            )
            assert _answer(calls) == expected, where
            assert [c.method for c in calls] == ["answerCallbackQuery"], where
            assert await matrix.rows() == before, f"{where}: rows written"
    assert menu.edits == 0 and copy.edits == 0
