"""`tcag console`: chat with the real bot in a terminal, with no Telegram at all.

The console drives the same Application as `tcag run` (built by `build_application`,
started with its job queue and outbox sender) through the in-process Bot API the tests
use. The user plays any member: types messages and commands, sees the bot's replies with
the newest message's buttons numbered, presses one by its number, shares a location with
`/loc`, sends a photo with `/photo`, switches person with `:as` and acts in the
coordinators' group with `:group`. Everything the bot sends is printed, marked with whose
chat it went to, including what it sends on its own (alerts, briefings, digests): as it
arrives on a terminal, after each line otherwise. Photos and documents are saved under
data/console/files/. Console commands start with ":" so they never clash with the bot's.

The people are fake, so the console keeps its own database (data/console.db by default),
never DATABASE_URL. On a fresh one it offers sample data (bot.offline.sample_data).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Sequence
from pathlib import Path

from pydantic import ValidationError

from bot.app import build_application
from bot.config import Settings, masked_url
from bot.context import OpsApplication
from bot.domain.clock import SystemClock
from bot.offline.bot_api import LocalBotAPI, LocalRequest
from bot.offline.chat import LocalTelegram, group_chat
from bot.offline.console_feed import Feed
from bot.offline.console_screen import FILES_DIR, FileShelf
from bot.offline.terminal import ReadLine, ScriptedTerminal, Terminal, Write, make_terminal
from storage.store import Store

log = logging.getLogger(__name__)

CONSOLE_DATABASE_URL = "sqlite+aiosqlite:///data/console.db"
# Where "the coordinators' group" lives when settings name none: messages there are shown.
CONSOLE_COORDINATORS_CHAT_ID = -1_000_000_000_001

BANNER = """\
tcag console: the real bot, offline, on {database}.
Type messages and /commands as the person in the prompt; :help lists the console commands."""


class ConsoleSetupError(Exception):
    """A reason the console cannot start, said in one line."""


def console_database_url(database_url: str | None) -> str:
    """The console's own database URL, normalised as Settings does (sqlite:/// works)."""
    url = database_url or CONSOLE_DATABASE_URL
    try:
        return Settings.model_validate({"DATABASE_URL": url}).database_url
    except ValidationError as error:
        message = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
        raise ConsoleSetupError(f"--database {url!r} {message}") from None


def console_settings(settings: Settings, database_url: str) -> Settings:
    """The same settings, minus anything that could reach Telegram or production data."""
    return settings.model_copy(
        update={
            "database_url": database_url,
            "token": None,
            "api_base_url": None,
            "coordinators_chat_id": settings.coordinators_chat_id or CONSOLE_COORDINATORS_CHAT_ID,
        }
    )


def parse_location(args: Sequence[str]) -> tuple[float, float] | str:
    """(lat, lon) from `/loc` arguments, or a friendly reason they are not a place."""
    usage = "Usage: /loc <latitude> <longitude>, e.g. /loc 52.4068 -1.5197"
    if len(args) != 2:
        return usage
    try:
        lat, lon = float(args[0]), float(args[1])
    except ValueError:
        return f"Those aren't numbers. {usage}"
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return f"Those aren't numbers. {usage}"
    if not -90 <= lat <= 90:
        return f"Latitude must be between -90 and 90, not {args[0]}."
    if not -180 <= lon <= 180:
        return f"Longitude must be between -180 and 180, not {args[1]}."
    return lat, lon


class Console(Feed):
    """One session: the person typing acts; the feed shows what the bot did."""

    def __init__(
        self,
        application: OpsApplication,
        api: LocalBotAPI,
        store: Store,
        settings: Settings,
        terminal: Terminal,
        files: FileShelf,
    ) -> None:
        super().__init__(application, api, store, settings, terminal, files)
        self.telegram = LocalTelegram(application, api)

    # ---- the loop ------------------------------------------------------------------
    async def handle(self, line: str) -> bool:
        """Act on one line of input; False when the user is leaving."""
        text = line.strip()
        offered, self.sample_offered = self.sample_offered, False
        if not text:
            if offered:
                await self.load_sample()
            return True
        if text.startswith(":"):
            return await self.meta(text)
        words = text.split()
        if words[0].casefold() == "/loc":
            await self.share_location(words[1:])
        elif words[0].casefold() == "/photo":
            await self.send_photo(text.split(maxsplit=2)[1:])
        elif text.isdigit():
            await self.press(int(text))
        else:
            await self.send_text(text)
        return True

    async def meta(self, text: str) -> bool:
        command, _, rest = text.partition(" ")
        command, rest = command.casefold(), rest.strip()
        if command in (":quit", ":q", ":exit"):
            return False
        if command == ":say":
            if rest:
                await self.send_text(rest)
            else:
                self.write("Usage: :say <text>  (sends it as it is, even a number)")
        elif command == ":group":
            self.in_group = True
            self.write("You are in the coordinators' group now; :me goes back to your own chat.")
            await self.show_unread()
        elif command == ":me":
            self.in_group = False
            self.write(f"You are in your own chat with the bot, as {self.current.name}.")
            await self.show_unread()
        elif command == ":sample":
            await self.load_sample()
        elif not await self.people_command(command, rest):
            self.write(f"Unknown console command {command!r}. :help lists them.")
        return True

    async def load_sample(self) -> None:
        from bot.jobs.scheduler import reschedule

        await self.add_sample_data()
        await reschedule(self.application)  # the new shift's briefing and digest

    async def send_text(self, text: str) -> None:
        await self.act(self.telegram.send(self.current, text, chat=self._chat()))

    def _chat(self) -> dict[str, object] | None:
        return group_chat(self.group_id) if self.in_group else None

    async def share_location(self, args: Sequence[str]) -> None:
        parsed = parse_location(args)
        if isinstance(parsed, str):
            self.write(parsed)
            return
        lat, lon = parsed
        location = {"latitude": lat, "longitude": lon}
        message = self.telegram.message(self.current, chat=self._chat(), location=location)
        await self.act(self.telegram.process({"message": message}))

    async def send_photo(self, args: Sequence[str]) -> None:
        if not args:
            self.write("Usage: /photo <path to an image> [caption]")
            return
        path = _existing_file(args[0])
        if path is None:
            self.write(f"There is no file {args[0]!r} to send.")
            return
        file_id = f"console-photo-{len(self._uploads) + 1}"
        self._uploads[file_id] = path
        size = {"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 960}
        content: dict[str, object] = {"photo": [size]}
        if len(args) > 1:
            content["caption"] = args[1]
        message = self.telegram.message(self.current, chat=self._chat(), **content)
        self.write(f"(you send the photo {path})")
        await self.act(self.telegram.process({"message": message}))

    async def press(self, number: int) -> None:
        shown = self.screen
        if not 1 <= number <= len(shown):
            where = f"only {len(shown)} buttons are" if shown else "no buttons are"
            self.write(f'(There is no button {number}: {where} on screen. Sending "{number}".)')
            await self.send_text(str(number))
            return
        choice = shown[number - 1]
        if not choice.inline:
            if choice.shares_location:
                self.write(f"“{choice.label}” shares your location: type /loc <lat> <lon>.")
                return
            self.write(f"(you tap “{choice.label}”)")
            await self.send_text(str(choice.button["text"]))
            return
        data = choice.button.get("callback_data")
        if data is None:
            url = choice.button.get("url")
            what = f"opens {url}" if url else "does nothing in the console"
            self.write(f"“{choice.label}” {what}.")
            return
        message = self.api.messages.get((choice.chat_id, choice.message_id))
        if (
            message is None
            or message.deleted
            or not any(b.get("callback_data") == data for b in message.inline_buttons)
        ):
            self.write(f"“{choice.label}” is no longer there; the message has changed.")
            self.screen = []
            return
        self.write(f"(you press “{choice.label}”)")
        await self.act(self.telegram.press_data(self.current, message, str(data)))

    async def act(self, action: Awaitable[object]) -> None:
        """Run the action, then show every call since the last shown: its own, and any the
        bot made meanwhile on its own, in the order they were made."""
        self._acting = True
        try:
            await action
        finally:
            self._acting = False
        await self.flush()


def _existing_file(given: str) -> Path | None:
    path = Path(given).expanduser()
    return path if path.is_file() else None


async def run_console(
    settings: Settings,
    *,
    database_url: str | None,
    read_line: ReadLine | None = None,
    write: Write | None = None,
    files_dir: Path = FILES_DIR,
) -> int:
    """The `tcag console` session; returns the process exit code."""
    out: Write = write or print
    try:
        url = console_database_url(database_url)
    except ConsoleSetupError as error:
        out(f"tcag console: {error}")
        return 2
    local_settings = console_settings(settings, url)
    clock = SystemClock()
    store = Store.from_url(url, clock)
    try:
        try:
            await store.upgrade()
        except OSError as error:
            out(f"tcag console: database unreachable ({masked_url(url)}): {error}")
            return 3
        api = LocalBotAPI()
        application = build_application(
            local_settings, store=store, clock=clock, request=LocalRequest(api), rate_limit=False
        )
        await application.initialize()
        try:
            if application.post_init:
                await application.post_init(application)
            await application.start()  # the job queue and the outbox sender run
            try:
                await _session(
                    application, api, store, local_settings, url, read_line, out, files_dir
                )
            finally:
                await application.stop()
        finally:
            await application.shutdown()
    finally:
        await store.close()
    return 0


async def _session(
    application: OpsApplication,
    api: LocalBotAPI,
    store: Store,
    settings: Settings,
    url: str,
    read_line: ReadLine | None,
    out: Write,
    files_dir: Path,
) -> None:
    console: Console | None = None

    def complete(before: str) -> list[str]:
        return console.completions(before) if console is not None else []

    terminal: Terminal = (
        ScriptedTerminal(read_line, out) if read_line is not None else make_terminal(complete)
    )
    console = Console(application, api, store, settings, terminal, FileShelf(files_dir))
    try:
        console.write(BANNER.format(database=url))
        await console.choose_first_person()
        await console.settle()
        while True:
            line = await terminal.read(await console.prompt())
            if line is None:
                break
            try:
                going_on = await console.handle(line)
                await console.settle()
            except Exception as error:
                log.exception("console action failed")
                console.write(f"(console error: {type(error).__name__}: {error})")
                going_on = True
            if not going_on:
                break
        console.write("Bye.")
    finally:
        terminal.close()
