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
- `bot.jobs.escalation.escalate_overdue`: urgent alerts nobody acknowledged;
- `bot.jobs.duty_close.close_stale_duty`: duty left open after its shift;
- `bot.jobs.draft_expiry.expire_drafts`: abandoned report drafts;
- the outbox sender's `drain()`: everything the bot sends on its own.

People act as they would in Telegram (`bot.local_chat.LocalTelegram`): messages, button
presses, a shared location, a photo. Every message the bot sends or edits is printed as a
transcript line in the simulated local time, and at the end the digest's text and chart and
the quarterly partnership report are written beside the transcript.

Before the evening, twelve weeks of earlier shifts are seeded straight into the store (reports,
acknowledgements, outreach contacts, a referral still open since Wednesday), so the briefing,
the digest's "last week" column and the quarterly report have something to compare with.

This module is the driver: the settings, the Evening (people's hands and the clock) and
the run. The evening itself is in `bot.offline.demo_script`, the printing in
`bot.offline.demo_transcript`.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from sqlalchemy.engine import URL

from bot.app import build_application
from bot.config import Settings
from bot.context import OpsApplication
from bot.domain.access.roles import Role
from bot.domain.clock import ManualClock
from bot.domain.periods import Quarter
from bot.domain.reports.catalog import read_places_csv
from bot.jobs.draft_expiry import expire_drafts
from bot.jobs.duty_close import close_stale_duty
from bot.jobs.escalation import escalate_overdue
from bot.jobs.scheduler import run_due
from bot.offline.bot_api import LocalBotAPI, LocalRequest, SentMessage
from bot.offline.chat import LocalTelegram, Person, group_chat
from bot.offline.demo_script import (
    ALEX,
    EVENING,
    EVERYONE,
    GROUP_CHAT_ID,
    GROUP_NAME,
    HISTORY_WEEKS,
    HOTSPOTS_CSV,
    TIMEZONE,
    DemoError,
    local,
    play_evening,
    seed_history,
)
from bot.offline.demo_transcript import Shown, Transcript, Write
from storage.catalog import HotspotIn
from storage.store import Store

DEFAULT_OUT = Path("data/demo")
DATABASE_FILE = "demo.db"
TRANSCRIPT_FILE = "transcript.txt"
DIGEST_TEXT_FILE = "digest.txt"
DIGEST_CHART_FILE = "digest-chart.png"

JOB_STEP = timedelta(minutes=5)  # how often the simulated jobs look for work
ACTION_TIME = timedelta(seconds=15)  # a message typed or a button tapped

_INVITE_CODE = re.compile(r"start=([A-Za-z0-9_-]+)")


# ---- settings, files -------------------------------------------------------------------------
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


# ---- the script's hands ----------------------------------------------------------------------
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
    from bot.summaries.quarterly.document import build_report, file_name

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
