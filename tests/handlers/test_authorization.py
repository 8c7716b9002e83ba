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
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlmodel import SQLModel
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

import storage.models  # noqa: F401  (every table, for the row snapshots)
from bot.domain import callbacks
from bot.domain.access.commands import BY_NAME, COMMANDS
from bot.domain.access.roles import Permission, Role, Status, permissions_for
from bot.domain.callbacks import PREFIX_PERMISSIONS
from bot.domain.callbacks.members import MemberAction, MemberPress, MemberSetRole
from bot.domain.callbacks.reports import AlertAction, AlertResponse, ShowMore
from bot.domain.callbacks.safeguarding import ConcernAction, ConcernPress
from bot.domain.callbacks.safety import SafetyAck
from bot.domain.callbacks.survey import SurveyAction, SurveyPress
from bot.domain.clock import ManualClock
from bot.offline.bot_api import ApiCall, SentMessage
from bot.offline.chat import Person, group_chat
from bot.texts import access as access_texts
from bot.texts import alerts as alert_texts
from bot.texts import cctv as cctv_texts
from bot.texts import common as common_texts
from bot.texts import reports as reports_texts
from storage.db import create_engine
from storage.models import Member, ReportIn
from storage.outreach import ContactIn, ContactSaved, PersonIn
from storage.store import Store
from tests.support.databases import TestDatabases
from tests.support.harness import ADMIN, COORDINATORS_CHAT, START, BotHarness, make_settings

# ---- DESIGN.md's Roles table -----------------------------------------------------------
NON_MEMBERS = ("stranger", "pending", "suspended", "rejected")
MEMBERS = ("officer", "warden", "outreach", "coordinator", "cctv", "lead", "admin")
STANDINGS = NON_MEMBERS + MEMBERS

# Who may do what. "admin" is the admin flag on a patrol role (an officer here), so the
# flag's own grants are what this column shows; "lead" is the safeguarding lead flag on an
# outreach worker ("set by an admin on a coordinator or outreach member").
ALLOWED: dict[Permission, frozenset[str]] = {
    Permission.PUBLIC: frozenset(STANDINGS),  # /start: ask for access, or the menu
    Permission.MEMBER: frozenset(MEMBERS),
    Permission.OUTREACH: frozenset({"outreach", "lead"}),
    Permission.COORDINATE: frozenset({"coordinator"}),
    Permission.INVITE: frozenset({"coordinator", "admin"}),  # "an admin or coordinator"
    Permission.ADMIN: frozenset({"admin"}),
    Permission.CCTV: frozenset({"cctv"}),  # "answer CCTV review requests"
    # "flag a rough sleeper seen": every role but cctv (the admin of the matrix is an officer)
    Permission.PATROL: frozenset({"officer", "warden", "outreach", "lead", "coordinator", "admin"}),
    # "receives every safeguarding concern privately and records what was done"
    Permission.SAFEGUARD: frozenset({"lead", "admin"}),
    # Outreach figures are counts: outreach (a lead is an outreach worker), coordinators and
    # admins.
    Permission.OUTREACH_FIGURES: frozenset({"outreach", "lead", "coordinator", "admin"}),
}
_STANDING: dict[str, tuple[Role, Status, bool]] = {
    "pending": (Role.OFFICER, Status.PENDING, False),
    "suspended": (Role.OFFICER, Status.SUSPENDED, False),
    "rejected": (Role.OFFICER, Status.REJECTED, False),
    "officer": (Role.OFFICER, Status.ACTIVE, False),
    "warden": (Role.WARDEN, Status.ACTIVE, False),
    "outreach": (Role.OUTREACH, Status.ACTIVE, False),
    "coordinator": (Role.COORDINATOR, Status.ACTIVE, False),
    "cctv": (Role.CCTV, Status.ACTIVE, False),
    "lead": (Role.OUTREACH, Status.ACTIVE, False),  # with the safeguarding lead flag
    "admin": (Role.OFFICER, Status.ACTIVE, True),
}

# Which row of the table each command and button belongs to: written here a second time,
# so a change of rule is a deliberate change in two places, not a slip in one.
_M, _O, _C = Permission.MEMBER, Permission.OUTREACH, Permission.COORDINATE
_I, _A = Permission.INVITE, Permission.ADMIN
EXPECTED_COMMANDS: dict[str, Permission] = {
    "start": Permission.PUBLIC,
    # report incidents and sightings, see own reports
    "help": _M, "cancel": _M, "report": _M, "drafts": _M, "mine": _M, "update": _M,
    "show": _M,
    # go on/off duty; flag a rough sleeper seen
    "on": _M, "off": _M, "duty": _M, "roughsleeper": Permission.PATROL,
    # request a CCTV review (own reports; coordinators any), or list the requests: the
    # handler asks who (tested in tests/handlers/test_cctv.py)
    "cctv": _M,
    # staff safety: "Need help" (everyone); who works alone (coordinators); each role's
    # lone-working default (admins)
    "sos": _M, "checkins": _C, "checkinrole": _A,
    # outreach: contacts, person records and history, the referral queue
    "contact": _O, "person": _O, "people": _O, "referrals": _O,
    "outreach_figures": Permission.OUTREACH_FIGURES,
    # coordinators: acknowledge/close incidents, digests and stats, briefing notes, exports
    "open": _C, "close": _C, "brief": _C, "digest": _C, "stats": _C, "export": _C,
    "quarter": _C, "survey": _C, "action": _C,
    # "an admin or coordinator creates an invite" (and withdraws the ones still open)
    "invite": _I, "invites": _I,
    # the safeguarding leads (and admins): open concerns
    "concerns": Permission.SAFEGUARD,
    # admins: members, categories ("admins can add, rename, retire"), hotspots, shifts,
    # the audit log, erasure of a person on request
    "members": _A, "categories": _A, "hotspots": _A, "shifts": _A, "audit": _A, "erase": _A,
}  # fmt: skip
EXPECTED_PREFIXES: dict[str, Permission] = {
    callbacks.MENU: _M, callbacks.REPORT: _M, callbacks.QUICK: _M, callbacks.DRAFTS: _M,
    callbacks.INCIDENT: _M,  # "every member on duty … get the alert with buttons Acknowledge"
    callbacks.ROUGH_SLEEPER: Permission.PATROL, callbacks.DUTY: _M,
    callbacks.SAFETY: _M,  # check-ins, "Need help"; "I'm contacting them" asked again inside
    callbacks.OUTREACH: _O, callbacks.PERSON: _O, callbacks.REFERRAL: _O,
    callbacks.STATS: _C, callbacks.CLOSE: _C,
    callbacks.SAFEGUARDING: Permission.SAFEGUARD,  # a concern's buttons: leads and admins
    callbacks.SHOW: _M,  # /show's next page: "the reporter; coordinators and admins"
    callbacks.SURVEY: Permission.PUBLIC,  # the public survey: anyone may answer
    callbacks.CCTV_REQUEST: _M,  # "request a CCTV review": the handler asks whose report
    callbacks.CCTV_ANSWER: Permission.CCTV,  # "answer CCTV review requests"
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
    callbacks.DRAFTS: callbacks.kept_draft("go", "abc123"),
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
    callbacks.SHOW: ShowMore(1, 1).pack(),
    callbacks.SURVEY: SurveyPress(SurveyAction.DAY, 1, 0, 0, 0, 1, "AbCdEfGh").pack(),
    callbacks.CLOSE: callbacks.close_code(1, "moved_on"),
    callbacks.CCTV_REQUEST: callbacks.cctv_request(1),
    callbacks.CCTV_ANSWER: callbacks.cctv_answer("n", 1),
    callbacks.SAFETY: SafetyAck(1).pack(),
    callbacks.SAFEGUARDING: ConcernPress(ConcernAction.OPEN, 1).pack(),
}
_GATE_ANSWERS = {
    common_texts.NOT_A_MEMBER,
    common_texts.NOT_ALLOWED_BUTTON,
    common_texts.STALE_BUTTON,
}


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
            if standing == "lead":
                await store.members.set_safeguarding_lead(member.id, True, by=admin)
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
    if member.is_admin:
        return "admin"
    return "lead" if member.safeguarding_lead else member.role.value


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
async def matrix(databases: TestDatabases, tmp_path: Path) -> AsyncIterator[Matrix]:
    """SQLite only: the whole matrix on both databases adds nothing the gate does not do
    the same way on each (test_matrix_row_on_both_databases samples a row on both)."""
    clock = ManualClock(START)
    engine = create_engine(databases.sqlite_copy(tmp_path / "m.db"))
    event.listen(engine.sync_engine, "connect", _no_fsync)
    store = Store(engine, clock)
    await store.categories.seed_defaults()  # as Store.upgrade() does
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


@pytest.mark.parametrize("standing", [s for s in STANDINGS if s != "stranger"])
def test_bot_roles_grants_what_design_md_says(standing: str) -> None:
    role, status, is_admin = _STANDING[standing]
    granted = permissions_for(role, is_admin=is_admin, status=status, is_lead=standing == "lead")
    assert granted == {p for p in Permission if allowed(p, standing)}


@pytest.mark.parametrize("role", list(Role))
def test_the_lead_flag_grants_safeguarding_only_to_a_coordinator_or_outreach(role: Role) -> None:
    """DESIGN.md: set on a coordinator or an outreach member; on any other role (left over
    by a change made behind the bot's back) it grants nothing."""
    granted = permissions_for(role, is_admin=False, status=Status.ACTIVE, is_lead=True)
    assert (Permission.SAFEGUARD in granted) is (role in (Role.COORDINATOR, Role.OUTREACH))
    for status in (s for s in Status if s is not Status.ACTIVE):
        assert permissions_for(role, is_admin=False, status=status, is_lead=True) == {
            Permission.PUBLIC
        }


def test_a_stranger_may_only_start_like_every_non_member() -> None:
    """A stranger has no member row, so bot.roles has nothing to read: the gate treats
    them as a non-member. The table gives them /start and nothing else, which is what
    bot.roles grants any member who is not active, whatever their role or flag."""
    assert {p for p in Permission if allowed(p, "stranger")} == {Permission.PUBLIC}
    for role, is_admin in itertools.product(Role, (False, True)):
        for status in (s for s in Status if s is not Status.ACTIVE):
            granted = permissions_for(role, is_admin=is_admin, status=status)
            assert granted == {Permission.PUBLIC}, (role, is_admin, status)


# ---- the matrix ------------------------------------------------------------------------------
def _sent(calls: list[ApiCall]) -> list[str]:
    return [str(c.params.get("text", "")) for c in calls if c.method == "sendMessage"]


async def check_command(matrix: Matrix, standing: str, name: str) -> None:
    person = await matrix.person(standing)
    refused = not allowed(EXPECTED_COMMANDS[name], standing)
    before = await matrix.rows() if refused else {}
    calls = await matrix.bot.tg.send(person, f"/{name}")
    where = f"/{name} by {standing}"
    refusal = common_texts.NOT_A_MEMBER if standing in NON_MEMBERS else None
    if refusal is None:
        refusal = common_texts.NOT_ALLOWED_COMMAND.format(command=name)
    if not refused:
        assert calls, f"{where}: no answer at all"
        assert refusal not in _sent(calls) and common_texts.UNKNOWN_COMMAND not in _sent(calls), (
            where
        )
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
    expected = (
        common_texts.NOT_A_MEMBER if standing in NON_MEMBERS else common_texts.NOT_ALLOWED_BUTTON
    )
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


async def test_non_members_in_the_coordinators_group_get_the_fixed_reply_or_nothing(
    matrix: Matrix,
) -> None:
    """In the group the matrix's private-chat cells do not cover: a button pressed by a
    non-member gets the fixed reply (a private answer to the presser); anything they say,
    commands included, gets nothing at all: the group's 20 messages a minute are the
    members' (issue 11)."""
    group = group_chat(COORDINATORS_CHAT)
    await matrix.bot.app.bot.send_message(COORDINATORS_CHAT, "Menu")
    in_the_group = matrix.bot.api.last_to(COORDINATORS_CHAT)
    for standing in NON_MEMBERS:
        person = await matrix.person(standing)
        before = await matrix.rows()
        for spec in COMMANDS:
            calls = await matrix.bot.tg.send(person, f"/{spec.name}", chat=group)
            where = f"/{spec.name} by {standing} in the group"
            assert calls == [], where
        for prefix in PREFIX_PERMISSIONS:
            calls = await matrix.bot.tg.press_data(person, in_the_group, SAMPLE_PRESS[prefix])
            where = f"{SAMPLE_PRESS[prefix]} pressed by {standing} in the group"
            assert [c.method for c in calls] == ["answerCallbackQuery"], where
            assert calls[0].params.get("text") == common_texts.NOT_A_MEMBER, where
            assert calls[0].params.get("show_alert") is True, where
        for chatter in ("hello all", "3 lads drinking by the fountain"):
            assert await matrix.bot.tg.send(person, chatter, chat=group) == [], standing
        assert await matrix.rows() == before, f"{standing}: rows written"


@pytest.mark.app
@pytest.mark.pg_smoke
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


# ---- issue 11: the coordinators' group takes alert and /stats buttons only ------------------
GROUP_FAMILIES = frozenset({callbacks.INCIDENT, callbacks.STATS, callbacks.SAFETY})


async def check_group_press(matrix: Matrix, standing: str, prefix: str) -> None:
    """Every family pressed in the coordinators' group, whatever the data says."""
    person = await matrix.person(standing)
    await matrix.bot.app.bot.send_message(COORDINATORS_CHAT, "Alert")
    message = matrix.bot.api.last_to(COORDINATORS_CHAT)
    before = await matrix.rows()
    calls = await matrix.bot.tg.press_data(person, message, SAMPLE_PRESS[prefix])
    where = f"{SAMPLE_PRESS[prefix]} pressed in the group by {standing}"
    answers = [c.params for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1, f"{where}: answered {len(answers)} times"
    answer = str(answers[0].get("text") or "")
    if standing in NON_MEMBERS:
        expected: str | None = common_texts.NOT_A_MEMBER
    elif prefix not in GROUP_FAMILIES:
        expected = common_texts.BUTTON_PRIVATE_ONLY
    elif not allowed(EXPECTED_PREFIXES[prefix], standing):
        expected = common_texts.NOT_ALLOWED_BUTTON
    else:
        expected = None
    if expected is None:
        assert answer not in {*_GATE_ANSWERS, common_texts.BUTTON_PRIVATE_ONLY}, where
        return
    assert answer == expected and answers[0].get("show_alert") is True, where
    assert [c.method for c in calls] == ["answerCallbackQuery"], f"{where}: more than that"
    assert matrix.bot.api.sent_to(COORDINATORS_CHAT)[-1] == message, f"{where}: group message"
    assert await matrix.rows() == before, f"{where}: rows written"


@pytest.mark.parametrize("standing", STANDINGS)
async def test_group_presses_of_every_family_by_standing(matrix: Matrix, standing: str) -> None:
    for prefix in PREFIX_PERMISSIONS:
        await check_group_press(matrix, standing, prefix)


# ---- issue 11: access ends when the role ends, at every step of every flow -------------------
OTTO = Person(3001, "Otto", "Outreach")


async def _outreach_with_johnny(bot: BotHarness) -> int:
    await bot.member(OTTO, Role.OUTREACH)
    worker = await bot.store.members.by_telegram_id(OTTO.telegram_id)
    assert worker is not None
    saved = await bot.store.contacts.log_contact(
        ContactIn(new_person=PersonIn(alias="Johnny", appearance="red hat"), place_text="Park"),
        worker=worker,
    )
    assert isinstance(saved, ContactSaved) and saved.person is not None
    return saved.person.id or 0


async def _demote(bot: BotHarness, person: Person, *, via_members: bool = True) -> None:
    """The admin changes the role with /members (or another process does, behind the
    bot's back: then only each step's own check stands in the way)."""
    member = await bot.store.members.by_telegram_id(person.telegram_id)
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert member is not None and admin is not None
    if not via_members:
        await bot.store.members.change_role(member.id or 0, Role.OFFICER, by=admin)
        return
    await bot.app.bot.send_message(ADMIN.telegram_id, "Members")
    await bot.tg.press_data(
        ADMIN, bot.last(ADMIN), MemberSetRole(member.id or 0, Role.OFFICER).pack()
    )


async def _person_rows_seen(bot: BotHarness) -> int:
    listed = await bot.store.audit.recent(action_prefix="person.")
    return len(listed)


@pytest.mark.parametrize("via_members", [True, False])
async def test_demoted_mid_search_lists_nobody(bot: BotHarness, via_members: bool) -> None:
    await _outreach_with_johnny(bot)
    await bot.tg.send(OTTO, "/contact")
    assert "Who did you meet?" in bot.last(OTTO).plain
    seen = await _person_rows_seen(bot)

    await _demote(bot, OTTO, via_members=via_members)
    if via_members:  # told at once, with the new role
        told = bot.last(OTTO).plain
        assert "Police officer" in told and access_texts.FLOWS_ENDED_ROLE_CHANGED in told
        assert not bot.app.user_data.get(OTTO.telegram_id)  # the drafts went at once
    calls = await bot.tg.send(OTTO, "Johnny")

    assert "Johnny" not in " ".join(str(c.params) for c in calls)
    assert bot.last(OTTO).plain == access_texts.STEP_NO_LONGER_ALLOWED
    assert await _person_rows_seen(bot) == seen  # nobody was listed
    await bot.tg.send(OTTO, "Johnny")  # the flow is over: now a quick report's text
    assert "Johnny · 26" not in bot.last(OTTO).plain


@pytest.mark.parametrize("via_members", [True, False])
async def test_demoted_mid_edit_changes_no_detail(bot: BotHarness, via_members: bool) -> None:
    pid = await _outreach_with_johnny(bot)
    await bot.tg.send(OTTO, "/person Johnny")
    await bot.tg.press(OTTO, bot.last(OTTO), "Edit")
    await bot.tg.press(OTTO, bot.last(OTTO), "Alias")

    await _demote(bot, OTTO, via_members=via_members)
    await bot.tg.send(OTTO, "Johnny Renamed")

    assert bot.last(OTTO).plain == access_texts.STEP_NO_LONGER_ALLOWED
    person = (await bot.store.people.lookup(pid)).person
    assert person is not None and person.alias == "Johnny"
    assert await bot.store.audit.recent(action_prefix="person.edited") == []


@pytest.mark.parametrize("via_members", [True, False])
async def test_demoted_mid_merge_search_lists_nobody(bot: BotHarness, via_members: bool) -> None:
    await _outreach_with_johnny(bot)
    worker = await bot.store.members.by_telegram_id(OTTO.telegram_id)
    assert worker is not None
    await bot.store.contacts.log_contact(
        ContactIn(new_person=PersonIn(alias="Jonny")), worker=worker
    )
    await bot.tg.send(OTTO, "/person Johnny")
    await bot.tg.press(OTTO, bot.last(OTTO), "Merge")
    seen = await _person_rows_seen(bot)

    await _demote(bot, OTTO, via_members=via_members)
    calls = await bot.tg.send(OTTO, "jonny")

    assert "Jonny" not in " ".join(str(c.params) for c in calls)
    assert bot.last(OTTO).plain == access_texts.STEP_NO_LONGER_ALLOWED
    assert await _person_rows_seen(bot) == seen


async def test_suspended_mid_flow_and_reinstated_comes_back_to_nothing(bot: BotHarness) -> None:
    await _outreach_with_johnny(bot)
    await bot.tg.send(OTTO, "/contact")
    member = await bot.store.members.by_telegram_id(OTTO.telegram_id)
    assert member is not None
    await bot.app.bot.send_message(ADMIN.telegram_id, "Members")
    menu = bot.last(ADMIN)
    await bot.tg.press_data(ADMIN, menu, MemberPress(MemberAction.SUSPEND, member.id or 0).pack())
    assert access_texts.FLOWS_ENDED_ROLE_CHANGED in bot.last(OTTO).plain
    assert await bot.store.bot_state.get_all("user_data") == {}  # gone from the database too
    await bot.tg.send(OTTO, "Johnny")
    assert bot.last(OTTO).plain == common_texts.NOT_A_MEMBER

    await bot.tg.press_data(ADMIN, menu, MemberPress(MemberAction.REINSTATE, member.id or 0).pack())
    seen = await _person_rows_seen(bot)
    await bot.tg.send(OTTO, "Johnny")
    assert bot.last(OTTO).plain == access_texts.STEP_NO_LONGER_ALLOWED  # the old search is over
    assert await _person_rows_seen(bot) == seen


async def test_a_report_in_progress_ends_when_the_role_changes(bot: BotHarness) -> None:
    warden = Person(2003, "Wendy", "Warden")
    await bot.member(warden, Role.WARDEN)
    await bot.tg.send(warden, "/report")
    assert bot.app.user_data.get(warden.telegram_id)  # a draft
    await _demote(bot, warden)
    assert access_texts.FLOWS_ENDED_ROLE_CHANGED in bot.last(warden).plain
    await bot.tg.press(warden, bot.api.sent_to(warden.telegram_id)[-2], "Antisocial behaviour")
    assert bot.api.callback_answers()[-1]["text"] in {
        access_texts.STEP_NO_LONGER_ALLOWED,
        reports_texts.REPORT_OLD_BUTTON,
    }
    assert await bot.store.reports.by_reporter(await _member_id(bot, warden)) == []


async def _member_id(bot: BotHarness, person: Person) -> int:
    member = await bot.store.members.by_telegram_id(person.telegram_id)
    assert member is not None
    return member.id or 0


# ---- forged alert presses: only from a copy received, and the right roles -----------------
ALERT_ACTIONS = {
    "ack": AlertAction.ACKNOWLEDGE,
    "att": AlertAction.ATTENDING,
    "cam": AlertAction.CAMERA_ON,
}
PATROLS = ("officer", "warden", "outreach", "lead", "coordinator", "admin")
# From their own copy: who may acknowledge (take ownership), who may attend, and who
# answers for the cameras ("Camera on it": the control room, which attends nothing):
# "done", or the refusal they read.
ALERT_EXPECTED: dict[tuple[str, str], str] = {
    **{(s, "att"): "done" for s in PATROLS},
    ("cctv", "att"): cctv_texts.OPERATORS_DO_NOT_ATTEND,
    **{(s, "ack"): "done" for s in ("coordinator", "admin")},
    **{
        (s, "ack"): alert_texts.ALERT_ACK_NOT_ALLOWED
        for s in ("officer", "warden", "outreach", "lead")
    },
    ("cctv", "ack"): alert_texts.ALERT_ACK_NOT_ALLOWED,
    ("cctv", "cam"): "done",
    **{(s, "cam"): cctv_texts.CAMERA_NOT_ALLOWED for s in PATROLS},
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
            assert answer == ALERT_EXPECTED[standing, name], where
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
