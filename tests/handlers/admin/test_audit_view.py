"""/audit for admins (pages, filters, refusals), `tcag audit`, and the log staying append-only."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli.audit import audit_report
from bot.cli.main import main as tcag
from bot.domain import callbacks
from bot.domain.access.audit_view import ByAction, ByName, ByTelegramId, ByUsername, read_filter
from bot.domain.access.roles import Role
from bot.domain.outreach import Need
from bot.offline.chat import Person, group_chat
from bot.texts import common as common_texts
from storage.db import session_factory
from storage.models import AuditEntry, Member
from storage.outreach.contacts import ContactSaved
from storage.outreach.inputs import ContactIn, PersonIn
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness

OLLY = Person(2002, "Olly", "Officer", username="olly_o")
OLGA = Person(2005, "Olga", "Officer")
OTTO = Person(3001, "Otto", "Outreach")
ROOT = Path(__file__).resolve().parents[3]


async def admin_member(bot: BotHarness) -> Member:
    admin = await bot.store.members.by_telegram_id(ADMIN.telegram_id)
    assert admin is not None
    return admin


async def invites(bot: BotHarness, count: int) -> None:
    """`count` audit rows (invite.created by the admin), a minute apart (each expiring
    within minutes, as an inviter may have only 20 open at once)."""
    admin = await admin_member(bot)
    for _ in range(count):
        bot.clock.advance(minutes=1)
        await bot.store.invites.create(Role.WARDEN, by=admin, ttl=timedelta(minutes=5))


async def add_entry(bot: BotHarness, action: str, **fields: object) -> None:
    """A row written as another feature would (e.g. an export, not built here)."""
    async with session_factory(bot.store.engine)() as session, session.begin():
        session.add(AuditEntry(at=bot.clock.now(), action=action, **fields))


def lines(bot: BotHarness, person: Person = ADMIN) -> list[str]:
    """The entries of the last /audit page the person was shown (header dropped)."""
    return bot.last(person).plain.split("\n\n", 1)[1].splitlines()


def labels(bot: BotHarness, person: Person = ADMIN) -> list[str]:
    return [b["text"] for b in bot.last(person).inline_buttons]


# ---- reading what the admin typed ----------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", None),
        ("@olly_o", ByUsername("olly_o")),
        ("2002", ByTelegramId(2002)),
        ("member.", ByAction("member.")),
        ("Person.", ByAction("person.")),
        ("export", ByAction("export")),
        ("invite", ByAction("invite")),
        ("Olly", ByName("Olly")),
        ("olly  officer", ByName("olly officer")),
    ],
)
def test_read_filter(typed: str, expected: object) -> None:
    assert read_filter(typed) == expected


# ---- /audit ---------------------------------------------------------------------------------
async def test_audit_shows_newest_first_20_a_page_in_words(bot: BotHarness) -> None:
    await invites(bot, 24)  # and the admin's own grant from the fixture: 25 rows

    await bot.tg.send(ADMIN, "/audit")

    page = bot.last(ADMIN).plain
    assert page.startswith("📜 Audit log: 25 entries, newest first. Page 1 of 2")
    shown = lines(bot)
    assert len(shown) == 20
    assert shown[0] == "Fri 27 Nov 21:24 Alex Admin created invite #24 — warden"
    assert shown[19] == "Fri 27 Nov 21:05 Alex Admin created invite #5 — warden"
    assert labels(bot) == ["Older ▶"]

    await bot.tg.press(ADMIN, bot.last(ADMIN), "Older ▶")
    shown = lines(bot)
    assert "Page 2 of 2" in bot.last(ADMIN).plain
    assert shown[-1] == "Fri 27 Nov 21:00 System made an admin: Alex Admin"
    assert len(shown) == 5 and labels(bot) == ["◀ Newer"]
    await bot.tg.press(ADMIN, bot.last(ADMIN), "◀ Newer")
    assert lines(bot)[0].endswith("invite #24 — warden")
    answers = bot.api.callback_answers()
    assert len(answers) == 2 and all("text" not in a for a in answers)  # answered, silently


async def test_audit_by_member_username_name_or_telegram_id(bot: BotHarness) -> None:
    await bot.member(OLLY, Role.OFFICER)
    await bot.member(OLGA, Role.OFFICER)
    admin = await admin_member(bot)
    olly = await bot.store.members.by_telegram_id(OLLY.telegram_id)
    assert olly is not None
    bot.clock.advance(minutes=5)
    await bot.store.members.change_role(olly.id or 0, Role.WARDEN, by=admin)
    await invites(bot, 2)

    expected = [
        "Fri 27 Nov 21:05 Alex Admin changed the role of Olly Officer — warden",
        "Fri 27 Nov 21:00 Olly Officer joined with invite #1 — officer",
    ]
    for typed in ("@olly_o", "@OLLY_O", "Olly Officer", "olly", str(OLLY.telegram_id)):
        await bot.tg.send(ADMIN, f"/audit {typed}")
        assert "(by or about Olly Officer): 2 entries" in bot.last(ADMIN).plain, typed
        assert lines(bot) == expected, typed
        assert labels(bot) == []


async def test_several_matching_members_are_offered_as_buttons(bot: BotHarness) -> None:
    await bot.member(OLLY, Role.OFFICER)
    await bot.member(OLGA, Role.OFFICER)

    await bot.tg.send(ADMIN, "/audit officer")

    assert "Several members match “officer”" in bot.last(ADMIN).plain
    assert labels(bot) == ["Olga Officer · officer", "Olly Officer @olly_o · officer"]
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Olga Officer")
    assert "(by or about Olga Officer): 1 entry" in bot.last(ADMIN).plain
    assert lines(bot) == ["Fri 27 Nov 21:00 Olga Officer joined with invite #2 — officer"]


@pytest.mark.pg_smoke
async def test_audit_by_action_person_records_show_numbers_never_aliases(
    bot: BotHarness,
) -> None:
    await bot.member(OTTO, Role.OUTREACH)
    worker = await bot.store.members.by_telegram_id(OTTO.telegram_id)
    assert worker is not None
    saved = await bot.store.contacts.log_contact(
        ContactIn(new_person=PersonIn(alias="Zanzibar Zed"), needs=[Need.FOOD]), worker=worker
    )
    assert isinstance(saved, ContactSaved) and saved.person is not None
    number = saved.person.id
    bot.clock.advance(minutes=1)
    await bot.store.people.timeline(number or 0, viewer=worker)
    bot.clock.advance(minutes=1)
    await bot.store.people.search("Zanz", viewer=worker)

    await bot.tg.send(ADMIN, "/audit person.")

    page = bot.last(ADMIN).plain
    assert "(actions “person.”): 2 entries" in page
    assert lines(bot) == [
        f"Fri 27 Nov 21:02 Otto Outreach listed 1 person record — search: {number}",
        f"Fri 27 Nov 21:01 Otto Outreach viewed person record #{number}",
    ]
    assert "Zanzibar" not in page and "Zed" not in page

    await bot.tg.send(ADMIN, "/audit member.")
    assert "member." in bot.last(ADMIN).plain
    assert all("invite" not in line for line in lines(bot))


async def test_audit_export_finds_exports_by_their_word(bot: BotHarness) -> None:
    admin = await admin_member(bot)
    await add_entry(
        bot, "data.exported", actor_id=admin.id, subject="reports", detail="csv; 12 rows"
    )
    await add_entry(bot, "report.generated", actor_id=admin.id, subject="2026Q3")

    await bot.tg.send(ADMIN, "/audit export")

    assert lines(bot) == ["Fri 27 Nov 21:00 Alex Admin exported reports — csv; 12 rows"]
    # Pages of a filtered view keep the filter in their buttons.
    await invites(bot, 1)
    for _ in range(25):
        await add_entry(bot, "data.exported", actor_id=admin.id, subject="reports")
    await bot.tg.send(ADMIN, "/audit export")
    assert bot.last(ADMIN).inline_buttons[0]["callback_data"] == callbacks.audit_action("export", 1)
    await bot.tg.press(ADMIN, bot.last(ADMIN), "Older ▶")
    assert "(actions “export”): 26 entries" in bot.last(ADMIN).plain
    assert len(lines(bot)) == 6 and all("exported" in line for line in lines(bot))


async def test_unknown_filter_and_empty_log_get_friendly_replies(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/audit Nobody Atall")
    assert bot.last(ADMIN).plain.startswith("No member or action matches “Nobody Atall”")
    await bot.tg.send(ADMIN, "/audit member.suspended")
    assert bot.last(ADMIN).plain == "📜 Audit log (actions “member.suspended”): no entries."
    await bot.tg.send(ADMIN, "/audit <b>&")
    assert "“<b>&”" in bot.last(ADMIN).plain


async def test_a_page_of_the_longest_rows_fits_one_message(bot: BotHarness) -> None:
    long_name = "Maximilian " + "W" * 117
    await bot.store.members.ensure_admin(4004, long_name)
    member = await bot.store.members.by_telegram_id(4004)
    assert member is not None
    for _ in range(20):
        await add_entry(
            bot,
            "x" * 48,
            actor_id=member.id,
            subject_member_id=member.id,
            subject="s" * 64,
            detail="d" * 200,
        )
    await bot.store.members.rename(member.id or 0, long_name, by=member)

    await bot.tg.send(ADMIN, f"/audit {long_name}")

    page = bot.last(ADMIN).plain
    assert page.startswith("📜 Audit log (by or about Maximilian WWW"), page[:200]
    assert len(page) <= 4096 and len(lines(bot)) == 20


async def test_non_admins_are_refused_and_the_group_gets_nothing(bot: BotHarness) -> None:
    coordinator = await bot.member(Person(3003, "Cat", "Coordinator"), Role.COORDINATOR)
    await bot.tg.send(coordinator, "/audit")
    assert "/audit is not available for your role" in bot.last(coordinator).plain
    await bot.tg.press_data(coordinator, bot.last(coordinator), callbacks.audit_page(0))
    assert bot.api.callback_answers()[-1]["text"] == common_texts.NOT_ALLOWED_BUTTON
    assert "Audit log" not in bot.last(coordinator).plain

    await bot.tg.send(ADMIN, "/audit", chat=group_chat(COORDINATORS_CHAT))
    assert bot.api.last_to(COORDINATORS_CHAT).plain == common_texts.PRIVATE_ONLY.format(
        command="audit"
    )


async def test_garbled_audit_buttons_change_nothing(bot: BotHarness) -> None:
    await bot.tg.send(ADMIN, "/audit")
    shown = bot.last(ADMIN).plain
    for data in ("aud:m:abc:0", "aud:a:BAD TERM:0", "aud:zz:1", "aud:a:member.:x"):
        await bot.tg.press_data(ADMIN, bot.last(ADMIN), data)
        assert bot.api.callback_answers()[-1]["text"] == common_texts.STALE_BUTTON
    assert bot.last(ADMIN).plain == shown
    # A page past the end (the log is append-only, but a filter may shrink): the last page.
    await bot.tg.press_data(ADMIN, bot.last(ADMIN), callbacks.audit_page(7))
    assert "Page 1 of 1" in bot.last(ADMIN).plain


# ---- tcag audit -----------------------------------------------------------------------------
async def test_audit_report_text_and_csv(bot: BotHarness) -> None:
    await bot.member(OLLY, Role.OFFICER)
    bot.clock.advance(days=1)
    await invites(bot, 1)
    tz = bot.settings.tz

    text = await audit_report(bot.store, since=date(2026, 11, 27), tz=tz)
    assert text.splitlines() == [
        "2026-11-27 21:00:00  System made an admin: Alex Admin",
        "2026-11-27 21:00:00  Alex Admin created invite #1 — officer",
        "2026-11-27 21:00:00  Olly Officer joined with invite #1 — officer",
        "2026-11-28 21:01:00  Alex Admin created invite #2 — warden",
    ]
    later = await audit_report(bot.store, since=date(2026, 11, 28), tz=tz, fmt="csv")
    header, *rows = csv.reader(io.StringIO(later))
    assert header == ["time", "actor", "action", "what", "subject", "detail"]
    assert rows == [
        [
            "2026-11-28T21:01:00+00:00",
            "Alex Admin",
            "invite.created",
            "created",
            "invite #2",
            "warden",
        ]
    ]
    only = await audit_report(bot.store, since=date(2026, 11, 1), tz=tz, action="invite.used")
    assert only == "2026-11-27 21:00:00  Olly Officer joined with invite #1 — officer\n"


async def test_tcag_audit_command(
    bot: BotHarness,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await invites(bot, 1)
    monkeypatch.setenv("DATABASE_URL", str(bot.store.engine.url))
    monkeypatch.chdir(tmp_path)  # no .env

    code = await asyncio.to_thread(tcag, ["audit", "--since", "2026-11-27", "--format", "csv"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0] == "time,actor,action,what,subject,detail"
    assert len(out.splitlines()) == 3

    code = await asyncio.to_thread(tcag, ["audit", "--since", "2026-11-27", "--action", "invite"])
    assert code == 0 and capsys.readouterr().out.count("created invite #1") == 1

    assert await asyncio.to_thread(tcag, ["audit", "--since", "2026-11-27", "--action", "a b"]) == 2
    assert "not an action" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad_date:
        tcag(["audit", "--since", "27/11/2026"])
    assert bad_date.value.code == 2
    assert "is not a date like 2026-11-01" in capsys.readouterr().err


# ---- append-only -----------------------------------------------------------------------------
_CHANGES_AUDIT = re.compile(
    r"(update|delete)\(\s*AuditEntry\b"  # SQLAlchemy statements
    r"|\bUPDATE\s+audit_log\b|\bDELETE\s+FROM\s+audit_log\b",  # raw SQL
    re.IGNORECASE,
)


def test_no_code_updates_or_deletes_audit_rows() -> None:
    """Audit rows are only ever added (add_audit), with one exception: retention.

    storage/retention.py deletes audit rows past TCAG_RETAIN_AUDIT_DAYS (and only deletes:
    it never updates one); every other module may only add them.
    """
    retention = Path("storage") / "retention.py"
    found = [
        (path.relative_to(ROOT), number, line)
        for folder in ("storage", "bot", "handlers")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _CHANGES_AUDIT.search(line)
    ]
    offenders = [f"{path}:{number}" for path, number, _ in found if path != retention]
    assert offenders == []
    by_retention = [line for path, _, line in found if path == retention]
    assert len(by_retention) >= 1 and all("delete(" in line for line in by_retention)
    # And nothing deletes AuditEntry objects through a session either.
    for path in (ROOT / "storage").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"session\.delete\(\s*(entry|audit)", text), path
