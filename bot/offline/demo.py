"""`tcag demo`: a Friday evening of patrols and outreach, simulated offline through the real bot.

The demo builds the same Application as `tcag run` (`build_application`) on the in-process
Bot API the console and the tests use, with its own SQLite database (`<out>/demo.db`, made
afresh each time) and a ManualClock that starts on Friday 27 November 2026 at 19:30 in
Europe/London. Nothing reaches Telegram, and neither DATABASE_URL nor the token in `.env`
is read.

The JobQueue is never started: time moves only when the script says so, and at each step
(every 5 simulated minutes, like the repeating jobs) the demo calls the plain functions the
jobs call, so the briefing (15 minutes before the shift) and the digest (when it ends) fire on
schedule in simulated time:

- `bot.scheduler.run_due`: briefings, digests and the weekly summary due by now;
- `handlers.alerts.escalate_overdue`: urgent alerts nobody acknowledged;
- `handlers.duty.close_stale_duty`: duty left open after its shift;
- `handlers.reports.expire_drafts`: abandoned report drafts;
- the outbox sender's `drain()`: everything the bot sends on its own.

People act as they would in Telegram (`bot.local_chat.LocalTelegram`): messages, button
presses, a shared location, a photo. Every message the bot sends or edits is printed as a
transcript line in the simulated local time, and at the end the digest's text and chart and
the quarterly partnership report are written beside the transcript.

Before the evening, twelve weeks of earlier shifts are seeded straight into the store (reports,
acknowledgements, outreach contacts, a referral still open since Wednesday), so the briefing,
the digest's "last week" column and the quarterly report have something to compare with.
"""

from __future__ import annotations

import asyncio
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from sqlalchemy.engine import URL

from bot import texts
from bot.app import build_application
from bot.config import Settings
from bot.context import OpsApplication
from bot.domain.catalog import read_places_csv
from bot.domain.clock import ManualClock
from bot.domain.incidents import AckKind
from bot.domain.outreach import Action as OutreachAction
from bot.domain.outreach import AgeBand, Need, SleepingSite
from bot.domain.periods import Quarter
from bot.domain.roles import Role
from bot.jobs.scheduler import run_due
from bot.offline.bot_api import ApiCall, LocalBotAPI, LocalRequest, SentMessage
from bot.offline.chat import LocalTelegram, Person, group_chat
from handlers.alerts import escalate_overdue
from handlers.duty import close_stale_duty
from handlers.reports import expire_drafts
from storage.catalog import HotspotIn
from storage.models import Category, Hotspot, Member, ReportIn
from storage.outreach.inputs import ContactIn, PersonIn
from storage.store import Store

DEFAULT_OUT = Path("data/demo")
DATABASE_FILE = "demo.db"
TRANSCRIPT_FILE = "transcript.txt"
DIGEST_TEXT_FILE = "digest.txt"
DIGEST_CHART_FILE = "digest-chart.png"

TIMEZONE = "Europe/London"
EVENING = date(2026, 11, 27)  # a Friday
GROUP_CHAT_ID = -1_000_000_000_002  # the demo's coordinators' group
GROUP_NAME = "Coordinators' group"
JOB_STEP = timedelta(minutes=5)  # how often the simulated jobs look for work
ACTION_TIME = timedelta(seconds=15)  # a message typed or a button tapped
HISTORY_WEEKS = 12  # of earlier shifts seeded, so the figures have something to compare with

ALEX = Person(100_001, "Alex", "Admin", "alex_admin")  # admin, coordinator
OLLY = Person(100_002, "Olly", "Officer")
WENDY = Person(100_003, "Wendy", "Warden")
OMAR = Person(100_004, "Omar", "Outreach")
# Colleagues who patrolled the earlier weeks (the seeded history); they stay at home tonight.
PAT = Person(100_005, "Pat", "Patel")
WILL = Person(100_006, "Will", "Walker")
ROSA = Person(100_007, "Rosa", "Reid")
EVERYONE = (ALEX, OLLY, WENDY, OMAR, PAT, WILL, ROSA)

# A small town: the first six places of examples/hotspots.csv, with their aliases.
HOTSPOTS_CSV = """\
name,lat,lon,radius_m,aliases
Elmer Square,52.60120,-1.10340,80,the fountain|the square|fountain square
Bus Station,52.60310,-1.09870,120,bus stn|the bus station|coach station
Market Street,52.60050,-1.10090,150,market st|the market
Riverside Walk,52.59810,-1.10620,250,the river|towpath|riverside
Multi-storey car park,52.59960,-1.09820,90,multi storey|the multi-storey|car park
Kings Arms,52.60160,-1.09970,40,the kings|kings arms pub
"""
MARKET_STREET = (52.60062, -1.10101)  # where Wendy stands when she reports

Write = Callable[[str], None]

_SHOWN_METHODS = {"sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendLocation"}
_EDIT_METHODS = {"editMessageText", "editMessageCaption", "editMessageReplyMarkup"}
_INVITE_CODE = re.compile(r"start=([A-Za-z0-9_-]+)")
_REFERENCE = re.compile(r"R-\d+")
_INDENT = " " * 7  # under "21:14  "


class DemoError(Exception):
    """The script met something it did not expect: the bot changed under it."""


@dataclass(frozen=True)
class DemoFiles:
    """Where the demo wrote its files."""

    folder: Path
    transcript: Path
    digest_text: Path
    digest_chart: Path
    quarterly_pdf: Path

    def all(self) -> list[Path]:
        return [path for path, _ in self.described()]

    def described(self) -> list[tuple[Path, str]]:
        return [
            (self.transcript, "the conversation above"),
            (self.digest_text, "the shift digest, as the coordinators got it"),
            (self.digest_chart, "its chart"),
            (self.quarterly_pdf, "the quarterly partnership report"),
        ]


@dataclass(frozen=True)
class Shown:
    """One message the bot sent or edited, as it stood right after that call."""

    chat_id: int
    kind: str  # text, photo, document, …
    text: str  # plain (a photo's caption), as a person reads it
    file_bytes: bytes | None


# ---- the transcript --------------------------------------------------------------------------
class Transcript:
    """Lines as they happen: people's actions, and what the bot sent, in local time."""

    def __init__(self, clock: ManualClock, tz: ZoneInfo, write: Write) -> None:
        self.clock = clock
        self.tz = tz
        self.write = write
        self.lines: list[str] = []
        self.shown: list[Shown] = []
        self.names: dict[int, str] = {GROUP_CHAT_ID: GROUP_NAME}
        self._bodies: list[list[str]] = []  # every message body shown, in full
        self.presser = "them"  # who pressed the button a popup answers

    def emit(self, *lines: str) -> None:
        for line in lines:
            self.lines.append(line)
            self.write(line)

    def stamp(self) -> str:
        return texts.local_time(self.clock.now(), self.tz)

    def heading(self, text: str, at: datetime | None = None) -> None:
        """A scene's title; `at` when the scene starts later than now (a scheduled run)."""
        when = texts.local_time(at, self.tz) if at is not None else self.stamp()
        self.emit("", f"── {when}  {text} " + "─" * max(3, 72 - len(text)))

    def person(self, person: Person, what: str, *, in_group: bool = False) -> None:
        where = f" ({GROUP_NAME})" if in_group else ""
        self.emit(f"{self.stamp()}  {person.name}{where} → bot: {what}")

    def name_of(self, chat_id: int) -> str:
        return self.names.get(chat_id, f"chat {chat_id}")

    def on_call(self, call: ApiCall, message: SentMessage | None) -> None:
        """A LocalBotAPI listener: every message sent or edited, as it stands now."""
        if call.method == "answerCallbackQuery":
            popup = str(call.params.get("text") or "").strip()
            if popup:
                self.emit(f"{self.stamp()}  bot → {self.presser} (popup): {popup}")
            return
        if message is None or call.method not in _SHOWN_METHODS | _EDIT_METHODS:
            return
        edited = call.method in _EDIT_METHODS
        if call.method == "editMessageReplyMarkup" and not message.inline_buttons:
            return  # only its buttons went: nothing new to read
        self.shown.append(Shown(message.chat_id, message.kind, message.plain, message.file_bytes))
        to = self.name_of(message.chat_id) + (" (edited)" if edited else "")
        full = _body_lines(message)
        body = condensed(full, self._bodies)
        self._bodies.append(full)
        lines = [f"{self.stamp()}  bot → {to}: {body[0]}".rstrip()]
        lines += [f"{_INDENT}{line}".rstrip() for line in body[1:]]
        lines += [f"{_INDENT}{line}" for line in _button_lines(message)]
        self.emit(*lines)


# A long message much like one shown before (the briefing each member gets at /on, every copy
# of an alert) is shown by what differs; the first line always stays, so it reads on its own.
CONDENSE_FROM_LINES = 6
CONDENSE_SHARED = 0.6
CONDENSE_LOOK_BACK = 40


def condensed(lines: list[str], earlier: Sequence[list[str]]) -> list[str]:
    """`lines`, or its first line and what differs from a recent message sharing most of it."""
    if len(lines) < CONDENSE_FROM_LINES:
        return lines
    for before in reversed(earlier[-CONDENSE_LOOK_BACK:]):
        prefix = _shared(lines, before)
        suffix = _shared(lines[prefix:][::-1], before[prefix:][::-1])
        if prefix + suffix < CONDENSE_SHARED * len(lines):
            continue
        shown = lines[:1]
        if prefix > 1:
            shown.append(f"⋯ {_lines(prefix - 1)} as above")
        shown += lines[max(prefix, 1) : len(lines) - suffix]
        if suffix:
            shown.append(f"⋯ {_lines(suffix)} as above")
        return shown
    return lines


def _shared(a: Sequence[str], b: Sequence[str]) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _lines(count: int) -> str:
    return f"{count} line{'s' if count != 1 else ''}"


def _body_lines(message: SentMessage) -> list[str]:
    text = message.plain
    if message.kind == "photo":
        size = f" {len(message.file_bytes) // 1024} KB" if message.file_bytes else ""
        return [f"[photo{size}] {text}".rstrip()]
    if message.kind == "document":
        return [f"[document {message.file_name or 'file'}] {text}".rstrip()]
    if message.kind == "location":
        return ["[location]"]
    return text.splitlines() or [""]


def _button_lines(message: SentMessage) -> list[str]:
    markup = message.reply_markup or {}
    lines: list[str] = []
    for row in markup.get("inline_keyboard") or []:
        lines.append("  ".join(f"[{button.get('text', '')}]" for button in row))
    keyboard = markup.get("keyboard") or []
    for index, row in enumerate(keyboard):
        cells = []
        for button in row:
            label = button.get("text", "") if isinstance(button, dict) else str(button)
            cells.append(f"[{label}]")
        lines.append(("keyboard: " if index == 0 else "          ") + "  ".join(cells))
    return lines


# ---- the evening -----------------------------------------------------------------------------
class DemoSettings(Settings):
    """Settings from the values given and the defaults only: the environment and `.env` are
    never read, so the demo cannot pick up the real token or database, and a malformed `.env`
    does not stop it."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def demo_settings(database_url: str) -> Settings:
    """The demo's own settings: its database and group, London time, no token."""
    return DemoSettings(
        DATABASE_URL=database_url,
        TCAG_COORDINATORS_CHAT_ID=GROUP_CHAT_ID,
        TCAG_TIMEZONE=TIMEZONE,
    )


def demo_database_url(folder: Path) -> str:
    return URL.create("sqlite+aiosqlite", database=str(folder / DATABASE_FILE)).render_as_string()


def local(tz: ZoneInfo, hour: int, minute: int = 0) -> datetime:
    """A time of the demo's evening (hours before noon are the next morning), in UTC."""
    day = EVENING if hour >= 12 else EVENING + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(UTC)


class Evening:
    """The script's hands: people acting through the bot, and time moving on."""

    def __init__(
        self,
        application: OpsApplication,
        api: LocalBotAPI,
        clock: ManualClock,
        transcript: Transcript,
    ) -> None:
        self.application = application
        self.api = api
        self.clock = clock
        self.transcript = transcript
        self.telegram = LocalTelegram(application, api)
        self.services = application.services
        self.tz = self.services.settings.tz
        self.digest_shown: list[Shown] = []
        self.briefings = 0

    # ---- time --------------------------------------------------------------------------
    async def until(self, hour: int, minute: int = 0) -> None:
        """Move the clock on to that local time, running the jobs every 5 minutes."""
        target = local(self.tz, hour, minute)
        while self.clock.now() < target:
            now = self.clock.now()
            step = _next_step(now)
            self.clock.set(min(step, target))
            await self.run_jobs()

    async def run_jobs(self) -> None:
        """What the JobQueue would run now, then the outbox sender."""
        services = self.services
        outcome = await run_due(services, self.clock.now(), instance="demo")
        await escalate_overdue(services)
        await close_stale_duty(services)
        await expire_drafts(self.application)
        before = len(self.transcript.shown)
        await self.drain()
        sent_now = self.transcript.shown[before:]
        kinds = {kind for kind, _ in outcome.sent}
        if "digest" in kinds:
            self.digest_shown = [s for s in sent_now if s.chat_id == GROUP_CHAT_ID]
        if "briefing" in kinds:
            self.briefings += 1

    async def drain(self) -> None:
        sender = self.application.outbox_sender
        assert sender is not None
        await sender.drain()

    # ---- people ------------------------------------------------------------------------
    def _moment(self) -> None:
        """People take a few seconds to type or tap."""
        self.clock.advance(ACTION_TIME)

    async def say(self, person: Person, text: str, *, in_group: bool = False) -> None:
        self._moment()
        self.transcript.person(person, text, in_group=in_group)
        chat = group_chat(GROUP_CHAT_ID, GROUP_NAME) if in_group else None
        await self.telegram.send(person, text, chat=chat)
        await self.drain()

    async def press(self, person: Person, label: str, *, in_group: bool = False) -> None:
        chat_id = GROUP_CHAT_ID if in_group else person.telegram_id
        message = self.message_with(chat_id, label)
        button = message.button(label)
        self._moment()
        self.transcript.presser = person.name
        self.transcript.person(person, f"[presses {button['text']}]", in_group=in_group)
        await self.telegram.press_data(person, message, str(button["callback_data"]))
        await self.drain()

    async def share_location(self, person: Person, lat: float, lon: float) -> None:
        self._moment()
        self.transcript.person(person, f"[shares a location: {lat:.5f}, {lon:.5f}]")
        await self.telegram.share_location(person, lat, lon)
        await self.drain()

    async def send_photo(self, person: Person, file_id: str, caption: str | None = None) -> None:
        self._moment()
        self.transcript.person(person, f"[sends a photo] {caption or ''}".rstrip())
        content: dict[str, Any] = {
            "photo": [
                {"file_id": f"{file_id}-s", "file_unique_id": f"{file_id}s", "width": 90,
                 "height": 60},
                {"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 960},
            ]
        }  # fmt: skip
        if caption:
            content["caption"] = caption
        await self.telegram.process({"message": self.telegram.message(person, **content)})
        await self.drain()

    def message_with(self, chat_id: int, label: str) -> SentMessage:
        """The newest message in that chat with a button labelled so."""
        wanted = label.casefold()
        for message in reversed(self.api.sent_to(chat_id)):
            if any(wanted in str(b.get("text", "")).casefold() for b in message.inline_buttons):
                return message
        raise DemoError(f"no button {label!r} in chat {self.transcript.name_of(chat_id)}")

    def last_text(self, person: Person) -> str:
        return self.api.last_to(person.telegram_id).plain

    async def join(self, person: Person, role: str) -> None:
        """The admin makes an invite; the newcomer opens the link (`/start <code>`)."""
        await self.say(ALEX, f"/invite {role}")
        found = _INVITE_CODE.search(self.last_text(ALEX))
        if found is None:
            raise DemoError(f"no invite link in the reply to /invite {role}")
        await self.say(person, f"/start {found.group(1)}")


def _next_step(now: datetime) -> datetime:
    """The next multiple of five minutes after `now` (the jobs' rhythm)."""
    seconds = int(JOB_STEP.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp((epoch // seconds + 1) * seconds, UTC)


async def play_evening(evening: Evening) -> None:
    """The script. Each step moves the clock on, then people act through the bot."""
    t = evening.transcript

    t.heading("Alex Admin, the coordinator on duty tonight, sets up the shift")
    await evening.say(ALEX, "/shifts add Friday late | fri,sat | 20:00 | 03:00")
    await evening.until(19, 31)
    t.heading("Three new colleagues join by invite")
    await evening.join(OLLY, "officer")
    await evening.join(WENDY, "warden")
    await evening.join(OMAR, "outreach")
    await evening.until(19, 38)
    await evening.say(
        ALEX,
        "/brief add Christmas lights switch-on in Market Street until 22:00: "
        "big crowds, keep an eye on the car park",
    )

    t.heading(
        "15 minutes before the shift: the briefing goes to the coordinators",
        local(evening.tz, 19, 45),
    )
    await evening.until(19, 45)

    await evening.until(20, 0)
    t.heading("The shift starts: the team goes on duty (each gets the briefing)")
    await evening.say(OLLY, "/on")
    await evening.until(20, 1)
    await evening.say(WENDY, "/on")
    await evening.until(20, 2)
    await evening.say(OMAR, "/on")
    await evening.until(20, 5)
    await evening.say(ALEX, "/duty")

    await evening.until(20, 41)
    t.heading("A quick report: a plain message is read for a category and a place")
    await evening.say(OLLY, "3 lads drinking by the fountain in Elmer Square")
    await evening.press(OLLY, "Confirm")

    await evening.until(21, 8)
    t.heading("A guided report: weapon seen, with a location and a photo (urgent)")
    await evening.say(WENDY, "/report")
    await evening.press(WENDY, "Weapon seen")
    await evening.share_location(WENDY, *MARKET_STREET)
    await evening.send_photo(WENDY, "demo-photo-market-street")
    await evening.say(
        WENDY, "Lad in a black puffer showing a knife to a group outside the phone shop"
    )
    await evening.press(WENDY, "4-9")
    await evening.press(WENDY, "Urgent")
    await evening.press(WENDY, "Confirm")
    urgent = _REFERENCE.search(evening.last_text(WENDY))
    if urgent is None:
        raise DemoError("no reference in the reply to the urgent report")

    await evening.until(21, 13)
    t.heading("The coordinator acknowledges in the group: every copy of the alert says so")
    await evening.press(ALEX, "Acknowledge", in_group=True)

    await evening.until(22, 6)
    t.heading("Rough sleeping: the report becomes a referral for outreach")
    await evening.say(OLLY, "man sleeping rough in the doorway of the kings arms")
    await evening.press(OLLY, "Confirm")

    await evening.until(22, 31)
    t.heading("Outreach works the referral queue and logs the contact")
    await evening.say(OMAR, "/referrals")
    await evening.press(OMAR, "Log contact")
    await evening.press(OMAR, "New person")
    await evening.say(OMAR, "Kingsley")
    await evening.press(OMAR, "36–50")
    await evening.say(OMAR, "grey hoodie, small black dog")
    await evening.press(OMAR, "Where the referral was")
    await evening.press(OMAR, "Doorway")
    await evening.press(OMAR, "Accommodation")
    await evening.press(OMAR, "Alcohol")
    await evening.press(OMAR, "Done")
    await evening.press(OMAR, "StreetLink")
    await evening.press(OMAR, "Hostel")
    await evening.press(OMAR, "Done")
    await evening.press(OMAR, "Yes")
    await evening.say(OMAR, "Will try the night shelter tomorrow; dog can go too")
    await evening.press(OMAR, "Save")

    await evening.until(23, 20)
    t.heading("Another contact, anonymous, at the bus station")
    await evening.say(OMAR, "/contact")
    await evening.press(OMAR, "Anonymous")
    await evening.press(OMAR, "Bus Station")
    await evening.press(OMAR, "Begging pitch")
    await evening.press(OMAR, "Food")
    await evening.press(OMAR, "Done")
    await evening.press(OMAR, "Declined")
    await evening.press(OMAR, "Done")
    await evening.press(OMAR, "Skip")
    await evening.press(OMAR, "Save")

    await evening.until(0, 30)
    t.heading("The coordinator reviews open urgent incidents and closes one")
    await evening.say(ALEX, "/open")
    await evening.say(ALEX, f"/close {urgent.group(0)} Two arrested, knife recovered by police")

    await evening.until(1, 17)
    t.heading("Criminal damage in the car park")
    await evening.say(WENDY, "bins set on fire in the multi-storey car park")
    await evening.press(WENDY, "Confirm")

    await evening.until(2, 45)
    t.heading("Outreach finishes the round")
    await evening.say(OMAR, "/off")

    t.heading(
        "The shift ends: the digest, with its chart, goes to the coordinators",
        local(evening.tz, 3, 0),
    )
    await evening.until(3, 0)
    await evening.until(3, 5)
    t.heading("The team goes off duty")
    await evening.say(OLLY, "/off")
    await evening.say(WENDY, "/off")


# ---- the weeks before ------------------------------------------------------------------------
@dataclass
class History:
    """What the earlier weeks left in the database, for the summary line."""

    reports: int = 0
    urgent: int = 0
    contacts: int = 0
    people: list[int] = field(default_factory=list)


_NIGHT_CATEGORIES = (
    ("street_drinking", 6), ("asb", 5), ("drunk_disorderly", 4), ("begging", 3),
    ("drug_dealing", 3), ("suspicious", 3), ("criminal_damage", 2), ("gang", 1),
    ("violence", 1), ("weapon", 1),
)  # fmt: skip
_ALIASES = ("Johnny", "Big Mick", "Sal", "Tiny", "Dee", "Scouse Kev", "Marta")


async def seed_history(store: Store, clock: ManualClock, tz: ZoneInfo, alex: Member) -> History:
    """Weeks of Friday and Saturday shifts, a quiet week since, and a referral left open.

    Deterministic: the same figures every run. Filed through the store as at their times,
    with nobody on duty and no group named, so no alert is queued for the past.
    """
    rng = random.Random(2026)
    history = History()
    categories = {c.slug: c for c in await store.categories.active()}
    places = await store.hotspots.active()
    colleagues = [await _colleague(store, p, r, alex) for p, r in _HISTORY_TEAM]
    patrols, outreach = colleagues[:2], colleagues[2]
    slugs = [slug for slug, _ in _NIGHT_CATEGORIES]
    weights = [weight for _, weight in _NIGHT_CATEGORIES]

    for nights_ago in range(HISTORY_WEEKS * 7, 0, -1):
        day = EVENING - timedelta(days=nights_ago)
        if day.weekday() not in (4, 5):  # Friday and Saturday nights
            continue
        start = datetime(day.year, day.month, day.day, 20, 0, tzinfo=tz)
        for _ in range(rng.randint(3, 7)):
            at = start + timedelta(minutes=rng.randrange(0, 7 * 60))
            slug = rng.choices(slugs, weights)[0]
            await _past_report(
                store, clock, rng, history, at, categories[slug], rng.choice(places),
                rng.choice(patrols), alex,
            )  # fmt: skip
        for _ in range(rng.randint(1, 3)):
            at = start + timedelta(minutes=rng.randrange(30, 6 * 60))
            await _past_contact(store, clock, rng, history, at, rng.choice(places), outreach)
    # The week since: a few daytime reports, and a rough sleeper nobody has found yet.
    for day_offset, hour, slug in ((-3, 15, "begging"), (-2, 11, "asb"), (-1, 16, "suspicious")):
        at = datetime(EVENING.year, EVENING.month, EVENING.day, hour, 10, tzinfo=tz)
        await _past_report(
            store, clock, rng, history, at + timedelta(days=day_offset), categories[slug],
            rng.choice(places), patrols[1], alex,
        )  # fmt: skip
    wednesday = datetime(EVENING.year, EVENING.month, EVENING.day, 14, 5, tzinfo=tz)
    await _past_report(
        store, clock, rng, history, wednesday - timedelta(days=2), categories["rough_sleeping"],
        next(p for p in places if p.name == "Riverside Walk"), patrols[0], alex,
        description="Tent under the footbridge",
    )  # fmt: skip
    return history


_HISTORY_TEAM = ((PAT, Role.OFFICER), (WILL, Role.WARDEN), (ROSA, Role.OUTREACH))


async def _colleague(store: Store, person: Person, role: Role, alex: Member) -> Member:
    pending, _ = await store.members.request_access(person.telegram_id, person.name, None)
    member = await store.members.approve(pending.id or 0, role, by=alex)
    if member is None:
        raise DemoError(f"could not add {person.name}")
    return member


async def _past_report(
    store: Store,
    clock: ManualClock,
    rng: random.Random,
    history: History,
    at: datetime,
    category: Category,
    place: Hotspot,
    reporter: Member,
    alex: Member,
    *,
    description: str | None = None,
) -> None:
    clock.set(at)
    report = await store.reports.file(
        ReportIn(
            category_id=category.id or 0,
            hotspot_id=place.id,
            description=description or f"{category.name} at {place.name}",
            people_count=rng.choice(("1", "2-3", "2-3", "4-9")),
            urgent=category.urgent,
        ),
        reporter=reporter,
        group_chat_id=None,
    )
    history.reports += 1
    if category.urgent:
        history.urgent += 1
        clock.set(at + timedelta(minutes=rng.randint(1, 9), seconds=rng.randint(0, 59)))
        await store.reports.acknowledge(report.id or 0, by=alex, kind=AckKind.ACKNOWLEDGED)
    if category.urgent or (category.slug != "rough_sleeping" and rng.random() < 0.6):
        clock.set(at + timedelta(minutes=rng.randint(20, 90)))
        await store.reports.close(report.id or 0, by=alex, outcome="Dealt with on patrol")


async def _past_contact(
    store: Store,
    clock: ManualClock,
    rng: random.Random,
    history: History,
    at: datetime,
    place: Hotspot,
    worker: Member,
) -> None:
    clock.set(at)
    known = history.people and rng.random() < 0.55
    draft = ContactIn(
        person_id=rng.choice(history.people) if known else None,
        new_person=None
        if known or rng.random() < 0.2
        else PersonIn(alias=rng.choice(_ALIASES), age_band=rng.choice(list(AgeBand))),
        hotspot_id=place.id,
        sleeping_site=rng.choice(list(SleepingSite)),
        needs=rng.sample(list(Need), rng.randint(1, 3)),
        actions=rng.sample(list(OutreachAction), rng.randint(1, 2)),
    )
    saved = await store.contacts.log_contact(draft, worker=worker)
    history.contacts += 1
    person = getattr(saved, "person", None)
    if person is not None and person.id not in history.people:
        history.people.append(person.id)


# ---- running it ------------------------------------------------------------------------------
async def run_demo(out: Path = DEFAULT_OUT, *, write: Write | None = None) -> int:
    """The whole demo, into the folder `out`; returns the exit code."""
    started = time.perf_counter()
    await asyncio.to_thread(fresh_folder, out)
    settings = demo_settings(demo_database_url(out))
    tz = settings.tz
    clock = ManualClock(local(tz, 19, 30))
    transcript = Transcript(clock, tz, write or print)
    transcript.names.update({p.telegram_id: p.name for p in EVERYONE})
    transcript.emit(
        f"tcag demo: Friday {EVENING:%d %B %Y} in a small town, simulated offline through the "
        f"real bot, on its own database ({out / DATABASE_FILE})."
    )
    store = Store.from_url(settings.database_url, clock)
    try:
        await prepare(store, clock, tz, transcript)
        api = LocalBotAPI()
        api.listeners.append(transcript.on_call)
        application = build_application(
            settings, store=store, clock=clock, request=LocalRequest(api), rate_limit=False
        )
        await application.initialize()
        try:
            if application.post_init:
                await application.post_init(application)  # the schedule's jobs, unstarted
            evening = Evening(application, api, clock, transcript)
            await play_evening(evening)
            files = await write_files(out, evening, store, settings, clock)
        finally:
            await application.shutdown()
    finally:
        await store.close()
    elapsed = time.perf_counter() - started
    width = max(len(str(path)) for path in files.all())
    transcript.write(
        "\n".join(
            [
                "",
                f"Done in {elapsed:.1f} s (19:30 to 03:05 on the demo's clock). Files:",
                *(f"  {path!s:<{width}}  {about}" for path, about in files.described()),
                "Next: `tcag console` to chat with the bot yourself; README.md, "
                '"Going live", to run it on Telegram.',
            ]
        )
    )
    return 0


async def prepare(store: Store, clock: ManualClock, tz: ZoneInfo, transcript: Transcript) -> None:
    """The database as it stands at 19:30: the town's hotspots, Alex, and the weeks before."""
    await store.upgrade()
    places = [
        HotspotIn(r.name, r.lat, r.lon, r.radius_m, r.aliases)
        for r in read_places_csv(HOTSPOTS_CSV)
    ]
    await store.hotspots.upsert_many(places)
    alex = await store.members.ensure_admin(
        ALEX.telegram_id, ALEX.name, ALEX.username, role=Role.COORDINATOR
    )
    history = await seed_history(store, clock, tz, alex)
    clock.set(local(tz, 19, 30))
    transcript.emit(
        f"Hotspots loaded as `tcag hotspots import` would: {', '.join(p.name for p in places)}.",
        f"{ALEX.name} is the first admin (as `tcag admin add` makes one), a coordinator.",
        f"Seeded the {HISTORY_WEEKS} weeks before: {history.reports} reports "
        f"({history.urgent} urgent, all acknowledged), {history.contacts} outreach contacts, "
        "and a rough sleeper reported on Wednesday whom nobody has found yet.",
    )


async def write_files(
    out: Path, evening: Evening, store: Store, settings: Settings, clock: ManualClock
) -> DemoFiles:
    """The digest as the group got it (text and chart), the quarterly PDF, the transcript."""
    from bot.summaries.quarterly import build_report, file_name

    if evening.briefings == 0:
        raise DemoError("the briefing did not go out")
    digest = evening.digest_shown
    text_parts = [s.text for s in digest if s.kind == "text"]
    charts = [s.file_bytes for s in digest if s.kind == "photo" and s.file_bytes]
    captions = [s.text for s in digest if s.kind == "photo" and s.text]
    if not text_parts or not charts:
        raise DemoError("the digest did not go out")
    quarter = Quarter.containing(clock.now(), settings.tz)
    _, pdf = await build_report(
        store,
        quarter,
        tz=settings.tz,
        now=clock.now(),
        ack_target_minutes=settings.alert_escalate_minutes,
        by=None,
        via="demo",
    )
    files = DemoFiles(
        folder=out,
        transcript=out / TRANSCRIPT_FILE,
        digest_text=out / DIGEST_TEXT_FILE,
        digest_chart=out / DIGEST_CHART_FILE,
        quarterly_pdf=out / file_name(quarter),
    )
    evening.transcript.emit(
        "", f"(the digest, its chart and the quarterly report for {quarter.title} are saved)"
    )
    contents = {
        files.digest_text: "\n\n".join([*text_parts, *captions]).encode() + b"\n",
        files.digest_chart: charts[0],
        files.quarterly_pdf: pdf,
        files.transcript: "\n".join(evening.transcript.lines).encode() + b"\n",
    }
    await asyncio.to_thread(_write_all, contents)
    return files


def _write_all(contents: dict[Path, bytes]) -> None:
    for path, content in contents.items():
        path.write_bytes(content)


def fresh_folder(out: Path) -> None:
    """The output folder, without the previous demo's database: each demo starts afresh."""
    out.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        (out / f"{DATABASE_FILE}{suffix}").unlink(missing_ok=True)


def main(out: str | Path = DEFAULT_OUT) -> int:
    """`tcag demo [--out DIR]`: the exit code."""
    out = Path(out)
    try:
        return asyncio.run(run_demo(out))
    except DemoError as error:
        print(f"tcag demo: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"tcag demo: cannot write to {out}: {error.strerror or error}", file=sys.stderr)
        return 1
