"""Shared by the alert and outbox tests: a team on a Friday night and one urgent report."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.access.roles import Role
from bot.offline.bot_api import SentMessage
from bot.offline.chat import Person
from storage.catalog import HotspotIn
from storage.models import Member, Report, ReportIn
from tests.support.harness import ADMIN, COORDINATORS_CHAT, BotHarness

OFFICER = Person(2002, "Olly", "Officer")
WARDEN = Person(2003, "Wendy", "Warden")
COORDINATOR = Person(2004, "Cora", "Coordinator")
OUTREACH = Person(2005, "Owen", "Outreach")
REPORTER = Person(2006, "Rita", "Reporter")

# Who gets an urgent alert: the group and every member on duty except the reporter.
# team() puts the admin, the officer, the warden, the coordinator and the reporter on duty;
# the outreach worker is not on duty.
ALERTED = (COORDINATORS_CHAT, ADMIN.telegram_id, OFFICER.telegram_id, WARDEN.telegram_id,
           COORDINATOR.telegram_id)  # fmt: skip
NOT_ALERTED = (OUTREACH.telegram_id, REPORTER.telegram_id)
ON_DUTY = (ADMIN, OFFICER, WARDEN, COORDINATOR, REPORTER)
DESCRIPTION = "Two men, one showing a knife <blade> & shouting"


@dataclass
class Team:
    reporter: Member
    officer: Member
    coordinator: Member


async def team(bot: BotHarness) -> Team:
    """Everyone joins through an invite, as they would for real; ON_DUTY go on duty."""
    for person, role in (
        (OFFICER, Role.OFFICER),
        (WARDEN, Role.WARDEN),
        (COORDINATOR, Role.COORDINATOR),
        (OUTREACH, Role.OUTREACH),
        (REPORTER, Role.OFFICER),
    ):
        await bot.member(person, role)
    members = bot.store.members
    for person in ON_DUTY:
        member = await members.by_telegram_id(person.telegram_id)
        assert member is not None
        await bot.store.duty.start(member.id or 0)
    reporter = await members.by_telegram_id(REPORTER.telegram_id)
    officer = await members.by_telegram_id(OFFICER.telegram_id)
    coordinator = await members.by_telegram_id(COORDINATOR.telegram_id)
    assert reporter is not None and officer is not None and coordinator is not None
    return Team(reporter, officer, coordinator)


ELMER = (51.50720, -0.12760)


async def elmer_square(bot: BotHarness) -> int:
    """The hotspot of the Friday night's incidents; its id."""
    hotspot, _ = await bot.store.hotspots.upsert(
        HotspotIn(name="Elmer Square", lat=ELMER[0], lon=ELMER[1], radius_m=150)
    )
    return hotspot.id or 0


async def file_urgent(
    bot: BotHarness,
    reporter: Member,
    *,
    description: str | None = DESCRIPTION,
    hotspot_id: int | None = None,
    point: tuple[float, float] | None = None,
) -> Report:
    categories = await bot.store.categories.active()
    weapon = next(c for c in categories if c.slug == "weapon")
    draft = ReportIn(
        category_id=weapon.id or 0,
        hotspot_id=hotspot_id,
        place_text=None if hotspot_id else "Elmer Square, by the fountain",
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        description=description,
        people_count="2-3",
        urgent=True,
    )
    return await bot.store.reports.file(
        draft, reporter=reporter, group_chat_id=bot.settings.coordinators_chat_id
    )


def delivered(bot: BotHarness, chat_id: int, marker: str = "Reported by") -> list[SentMessage]:
    """The alert copies (and escalations) this chat received, as they now stand."""
    return [m for m in bot.api.sent_to(chat_id) if "Reported by" in m.plain and marker in m.plain]


def alert_copy(bot: BotHarness, chat_id: int, reference: str = "R-0001") -> SentMessage:
    """The one message in this chat about that report (as it now stands)."""
    copies = [
        m for m in bot.api.sent_to(chat_id) if reference in m.plain and "Reported by" in m.plain
    ]
    assert len(copies) == 1, [m.plain for m in copies]
    return copies[0]


def pins(bot: BotHarness, chat_id: int) -> list[SentMessage]:
    """The map pins (venue messages) this chat received."""
    return [m for m in bot.api.sent_to(chat_id) if m.kind == "venue"]


def button_labels(message: SentMessage) -> list[str]:
    return [b["text"] for b in message.inline_buttons]


async def drain(bot: BotHarness) -> int:
    sender = bot.app.outbox_sender
    assert sender is not None
    return await sender.drain()
