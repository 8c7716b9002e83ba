"""`tcag console`: chat with the real bot in a terminal, with no Telegram at all.

The console drives the same Application as `tcag run` (built by `build_application`)
through the in-process Bot API the tests use. The user plays any member: types messages
and commands, sees the bot's replies with their buttons numbered, presses a button by its
number, shares a location with `/loc <lat> <lon>` and switches person with `:as`.
Console commands start with ":" so they never clash with the bot's own.

The people are fake, so the console keeps its own database (data/console.db by default),
never DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bot.app import build_application
from bot.config import Settings
from bot.context import OpsApplication
from bot.domain.clock import SystemClock
from bot.domain.roles import Role, Status
from bot.offline.bot_api import ApiCall, LocalBotAPI, LocalRequest, SentMessage
from bot.offline.chat import LocalTelegram, Person
from storage.models import Member
from storage.store import Store

log = logging.getLogger(__name__)

CONSOLE_DATABASE_URL = "sqlite+aiosqlite:///data/console.db"
# Where "the coordinators' group" lives when settings name none: messages there are shown.
CONSOLE_COORDINATORS_CHAT_ID = -1_000_000_000_001
FIRST_TELEGRAM_ID = 100_001
FIRST_ADMIN_NAME = "Alex Admin"

ReadLine = Callable[[str], Awaitable[str | None]]
Write = Callable[[str], None]

_SEND_METHODS = {
    "sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendLocation", "sendVenue",
    "sendMediaGroup", "copyMessage", "forwardMessage",
}  # fmt: skip
_EDIT_METHODS = {"editMessageText", "editMessageCaption", "editMessageReplyMarkup"}
_QUIT = {":quit", ":q", ":exit"}

BANNER = """\
tcag console: the real bot, offline, on {database}.
Type messages and /commands as the person in the prompt; :help lists the console commands."""

HELP = """\
Console commands (anything else goes to the bot as a message from the person in the prompt):
  :people                         everyone in the console database, numbered
  :as <number|name>               become someone else (part of a name will do)
  :new <role> <name…> [--admin]   add an active member and become them
                                  (roles: officer, warden, outreach, coordinator)
  :stranger <name…>               become someone the bot has never seen
                                  (try /start, or /start <invite code>)
  :help                           this help
  :quit                           leave (Ctrl-D works too)
In the chat:
  /start, /help, …                the bot's commands, as in Telegram
  /loc <lat> <lon>                share a location, e.g. /loc 52.4068 -1.5197
  <number>                        press that button of the ones last shown to you"""


class ConsoleSetupError(Exception):
    """A reason the console cannot start, said in one line."""


@dataclass(frozen=True)
class ShownButton:
    """A button as numbered on the screen of the person it was sent to."""

    chat_id: int
    message_id: int
    label: str
    button: dict[str, Any]
    inline: bool  # False: a reply-keyboard button, which sends its text

    @property
    def shares_location(self) -> bool:
        return bool(self.button.get("request_location"))


@dataclass
class Shown:
    """One message the bot sent or edited, as it stood right after that call."""

    message: SentMessage
    edited: bool
    params: dict[str, Any]


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


def person_of(member: Member) -> Person:
    first, _, last = member.name.partition(" ")
    return Person(member.telegram_id, first or member.name, last or None, member.username)


def person_named(telegram_id: int, name: str) -> Person:
    first, _, last = name.strip().partition(" ")
    return Person(telegram_id, first, last.strip() or None)


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


def _role_text(member: Member | None) -> str:
    """'coordinator ★', 'pending', 'officer, suspended' or 'stranger'."""
    if member is None:
        return "stranger"
    star = " ★" if member.is_admin else ""
    if member.status is Status.ACTIVE:
        return f"{member.role.value}{star}"
    if member.status is Status.PENDING:
        return f"pending{star}"
    return f"{member.role.value}, {member.status.value}{star}"


async def read_terminal_line(prompt: str) -> str | None:
    """input() off the event loop; None at end of input (Ctrl-D).

    A daemon thread rather than the default executor: a Ctrl-C while input() waits must
    not leave asyncio.run joining a thread that only Enter would release.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def settle(value: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def read() -> None:
        try:
            line: str | None = input(prompt)
        except EOFError:
            line = None
        except Exception as error:  # a closed terminal, say: report it to the loop
            loop.call_soon_threadsafe(settle, None, error)
            return
        loop.call_soon_threadsafe(settle, line, None)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return await future


class Console:
    """One terminal session: who is typing, and the buttons each person was last shown."""

    def __init__(
        self,
        application: OpsApplication,
        api: LocalBotAPI,
        store: Store,
        settings: Settings,
        write: Write,
    ) -> None:
        self.application = application
        self.api = api
        self.telegram = LocalTelegram(application, api)
        self.store = store
        self.settings = settings
        self.write = write
        self.person: Person | None = None
        self.strangers: dict[int, Person] = {}
        self.buttons: dict[int, list[ShownButton]] = {}
        self._names: dict[int, str] = {}
        self._shown: dict[int, Shown] = {}
        self._seen_calls = len(api.calls)
        api.listeners.append(self._remember)

    # ---- people --------------------------------------------------------------------
    @property
    def current(self) -> Person:
        if self.person is None:
            raise RuntimeError("the console has no current person")
        return self.person

    async def people(self) -> list[tuple[Person, Member | None]]:
        """Everyone the console knows: members first (store order), then strangers."""
        members = await self.store.members.all()
        known = {m.telegram_id for m in members}
        listed: list[tuple[Person, Member | None]] = [(person_of(m), m) for m in members]
        listed += [(p, None) for tid, p in self.strangers.items() if tid not in known]
        self._names = {p.telegram_id: p.name for p, _ in listed}
        return listed

    async def next_telegram_id(self) -> int:
        ids = [p.telegram_id for p, _ in await self.people()]
        return max([FIRST_TELEGRAM_ID - 1, *ids]) + 1

    async def choose_first_person(self) -> None:
        """Alex Admin on a fresh database; otherwise an active admin, if there is one."""
        listed = await self.people()
        if not listed:
            telegram_id = await self.next_telegram_id()
            admin = await self.store.members.ensure_admin(
                telegram_id, FIRST_ADMIN_NAME, role=Role.COORDINATOR
            )
            self.person = person_of(admin)
            self.write(
                f"No members yet, so I made {admin.name} (Telegram id {admin.telegram_id}), "
                "an admin with the coordinator role.\n"
                "Try /start, /invite officer, or :stranger <name> then /start to ask to join."
            )
            await self.people()
            return
        admins = await self.store.members.active_admins()
        if admins:
            self.person = person_of(admins[0])
            return
        active = [p for p, m in listed if m is not None and m.status is Status.ACTIVE]
        self.person = active[0] if active else listed[0][0]

    async def prompt(self) -> str:
        person = self.current
        member = await self.store.members.by_telegram_id(person.telegram_id)
        return f"[{person.name} · {_role_text(member)}] > "

    # ---- the loop ------------------------------------------------------------------
    async def handle(self, line: str) -> bool:
        """Act on one line of input; False when the user is leaving."""
        text = line.strip()
        if not text:
            return True
        if text.startswith(":"):
            return await self.meta(text)
        words = text.split()
        if words[0].casefold() == "/loc":
            await self.share_location(words[1:])
        elif text.isdigit():
            await self.press(int(text))
        else:
            await self.act(self.telegram.send(self.current, text))
        return True

    async def meta(self, text: str) -> bool:
        command, _, rest = text.partition(" ")
        command, rest = command.casefold(), rest.strip()
        if command in _QUIT:
            return False
        if command == ":help":
            self.write(HELP)
        elif command == ":people":
            await self.list_people()
        elif command == ":as":
            await self.switch(rest)
        elif command == ":new":
            await self.new_member(rest.split())
        elif command == ":stranger":
            await self.new_stranger(rest)
        else:
            self.write(f"Unknown console command {command!r}. :help lists them.")
        return True

    async def list_people(self) -> None:
        lines = ["People (switch with :as <number or name>):"]
        for number, (person, member) in enumerate(await self.people(), start=1):
            if member is None:
                about = "stranger (not in the database)"
            else:
                star = " ★" if member.is_admin else ""
                about = f"{member.role.value}, {member.status.value}{star}"
            you = "   ← you" if person.telegram_id == self.current.telegram_id else ""
            lines.append(f"  {number:>2}. {person.name} — {about}{you}")
        self.write("\n".join(lines))

    async def switch(self, wanted: str) -> None:
        if not wanted:
            self.write("Usage: :as <number or name>  (:people lists everyone)")
            return
        listed = await self.people()
        matches: list[tuple[Person, Member | None]]
        if wanted.isdigit():
            index = int(wanted) - 1
            matches = [listed[index]] if 0 <= index < len(listed) else []
        else:
            key = wanted.casefold()
            matches = [entry for entry in listed if entry[0].name.casefold() == key]
            matches = matches or [entry for entry in listed if key in entry[0].name.casefold()]
        if not matches:
            self.write(
                f"No one matches {wanted!r}. :people lists everyone; "
                ":new or :stranger adds someone."
            )
            return
        if len(matches) > 1:
            names = ", ".join(person.name for person, _ in matches)
            self.write(f"{wanted!r} matches {names}: say which (a number from :people works).")
            return
        person, member = matches[0]
        await self.become(person, member)

    async def become(self, person: Person, member: Member | None) -> None:
        self.person = person
        self.write(f"You are now {person.name} ({_role_text(member)}).")
        await self.show_screen()

    async def new_member(self, words: list[str]) -> None:
        usage = "Usage: :new <officer|warden|outreach|coordinator> <name…> [--admin]"
        is_admin = "--admin" in words
        words = [w for w in words if w != "--admin"]
        if len(words) < 2:
            self.write(usage)
            return
        role = Role.parse(words[0])
        if role is None:
            roles = ", ".join(r.value for r in Role)
            self.write(f"There is no role {words[0]!r}: use one of {roles}.")
            return
        name = " ".join(words[1:])[:128]
        telegram_id = await self.next_telegram_id()
        if is_admin:
            member = await self.store.members.ensure_admin(telegram_id, name, role=role)
        else:
            approver = await self._approver()
            if approver is None:
                self.write(
                    "Members are approved by an admin, and there is no active admin. "
                    "Add one first: :new coordinator <name> --admin"
                )
                return
            pending, _ = await self.store.members.request_access(telegram_id, name, None)
            approved = await self.store.members.approve(pending.id or 0, role, by=approver)
            if approved is None:
                self.write(f"Could not add {name}: the request was decided elsewhere.")
                return
            member = approved
        self.write(f"Added {member.name} as an active {role.value}{' admin' if is_admin else ''}.")
        await self.become(person_of(member), member)

    async def _approver(self) -> Member | None:
        current = await self.store.members.by_telegram_id(self.current.telegram_id)
        if current is not None and current.is_admin and current.status is Status.ACTIVE:
            return current
        admins = await self.store.members.active_admins()
        return admins[0] if admins else None

    async def new_stranger(self, name: str) -> None:
        if not name:
            self.write("Usage: :stranger <name…>")
            return
        person = person_named(await self.next_telegram_id(), name[:128])
        self.strangers[person.telegram_id] = person
        self.person = person
        self._names[person.telegram_id] = person.name
        self.write(
            f"You are now {person.name}, a stranger the bot has never seen "
            f"(Telegram id {person.telegram_id}). Try /start, or /start <invite code>."
        )

    async def share_location(self, args: Sequence[str]) -> None:
        parsed = parse_location(args)
        if isinstance(parsed, str):
            self.write(parsed)
            return
        lat, lon = parsed
        await self.act(self.telegram.share_location(self.current, lat, lon))

    async def press(self, number: int) -> None:
        shown = self.buttons.get(self.current.telegram_id, [])
        if not 1 <= number <= len(shown):
            where = f"only {len(shown)} buttons are" if shown else "no buttons are"
            self.write(f'(There is no button {number}: {where} on screen. Sending "{number}".)')
            await self.act(self.telegram.send(self.current, str(number)))
            return
        choice = shown[number - 1]
        if not choice.inline:
            if choice.shares_location:
                self.write(f"“{choice.label}” shares your location: type /loc <lat> <lon>.")
                return
            self.write(f"(you tap “{choice.label}”)")
            await self.act(self.telegram.send(self.current, str(choice.button["text"])))
            return
        data = choice.button.get("callback_data")
        if data is None:
            url = choice.button.get("url")
            what = f"opens {url}" if url else "does nothing in the console"
            self.write(f"“{choice.label}” {what}.")
            return
        message = self.api.messages.get((choice.chat_id, choice.message_id))
        still_there = (
            message is not None
            and not message.deleted
            and any(b.get("callback_data") == data for b in message.inline_buttons)
        )
        if message is None or not still_there:
            self.write(f"“{choice.label}” is no longer there; the message has changed.")
            await self.show_screen()
            return
        self.write(f"(you press “{choice.label}”)")
        await self.act(self.telegram.press_data(self.current, message, str(data)))

    async def act(self, action: Awaitable[list[ApiCall]]) -> None:
        """Show what the bot did in the background, run the action, show what it did."""
        background = self.api.calls[self._seen_calls :]
        if background:
            await self.show(background, heading="(meanwhile)")
        try:
            calls = await action
        finally:
            self._seen_calls = len(self.api.calls)
        await self.show(calls)

    # ---- showing what the bot did ----------------------------------------------------
    def _remember(self, call: ApiCall, message: SentMessage | None) -> None:
        """A Bot API listener: each message as it stood right after the call that made it."""
        if message is not None and (call.method in _SEND_METHODS or call.method in _EDIT_METHODS):
            self._shown[id(call)] = Shown(
                dataclasses.replace(message), call.method in _EDIT_METHODS, call.params
            )

    def destination(self, chat_id: int) -> str:
        if self.person is not None and chat_id == self.person.telegram_id:
            return "you"
        if chat_id == self.settings.coordinators_chat_id:
            return "coordinators' group"
        return self._names.get(chat_id, f"chat {chat_id}")

    async def show(self, calls: Sequence[ApiCall], heading: str | None = None) -> None:
        await self.people()  # names of anyone who just became a member
        shown = [(call, self._shown.pop(id(call), None)) for call in calls]
        # A message sent and then edited within one action: only its last state is pressable.
        last_state: dict[tuple[int, int], int] = {}
        for index, (_, item) in enumerate(shown):
            if item is not None:
                last_state[(item.message.chat_id, item.message.message_id)] = index
        fresh: dict[int, list[ShownButton]] = {}
        touched: set[tuple[int, int]] = set()
        lines: list[str] = []
        for index, (call, item) in enumerate(shown):
            if item is None:
                lines += self._describe_other(call)
                continue
            key = (item.message.chat_id, item.message.message_id)
            touched.add(key)
            buttons = _buttons_of(item.message)
            if buttons and last_state[key] == index:
                numbered = fresh.setdefault(item.message.chat_id, [])
                lines += self._describe_message(item, buttons, len(numbered) + 1)
                numbered.extend(buttons)
            else:
                lines += self._describe_message(item, buttons, None)
        self._update_screens(fresh, touched)
        if lines:
            self.write("\n".join([heading, *lines] if heading else lines))

    def _update_screens(
        self, fresh: dict[int, list[ShownButton]], touched: set[tuple[int, int]]
    ) -> None:
        """New buttons replace a person's screen; an edit of what they had clears it."""
        for chat_id, buttons in fresh.items():
            self.buttons[chat_id] = buttons
        for chat_id, buttons in list(self.buttons.items()):
            if chat_id in fresh:
                continue
            if any((b.chat_id, b.message_id) in touched for b in buttons):
                self.buttons[chat_id] = []

    def _describe_message(
        self, item: Shown, buttons: list[ShownButton], first_number: int | None
    ) -> list[str]:
        """Only the current person's buttons get numbers: theirs are the ones to press."""
        message = item.message
        to = self.destination(message.chat_id)
        lines = [f"bot → {to}{' (edited)' if item.edited else ''}:"]
        lines += [_indent(line) for line in _body_lines(message, item.params)]
        if message.chat_id != self.current.telegram_id:
            first_number = None
        lines += _button_lines(message, buttons, first_number)
        return lines

    def _describe_other(self, call: ApiCall) -> list[str]:
        chat_id = _chat_id(call.params)
        if call.method == "answerCallbackQuery":
            text = str(call.params.get("text") or "").strip()
            return [f"(popup) {text}"] if text else []
        if call.method == "deleteMessage" and chat_id is not None:
            return [f"(the bot deleted a message to {self.destination(chat_id)})"]
        if call.method in _SEND_METHODS and chat_id is not None:
            return [f"(not delivered: {call.method} to {self.destination(chat_id)})"]
        return []

    async def show_screen(self) -> None:
        """The current person's messages that carry buttons, renumbered as they now stand."""
        previous = self.buttons.get(self.current.telegram_id, [])
        keys = list(dict.fromkeys((b.chat_id, b.message_id) for b in previous))
        messages = [self.api.messages.get(key) for key in keys]
        current = [m for m in messages if m is not None and not m.deleted and _buttons_of(m)]
        numbered: list[ShownButton] = []
        lines: list[str] = []
        for message in current:
            buttons = _buttons_of(message)
            lines.append("bot → you (earlier):")
            lines += [_indent(line) for line in _body_lines(message, {})]
            lines += _button_lines(message, buttons, len(numbered) + 1)
            numbered.extend(buttons)
        self.buttons[self.current.telegram_id] = numbered
        if lines:
            self.write("\n".join(lines))


def _indent(line: str) -> str:
    return "  " + line if line.strip() else ""


def _chat_id(params: dict[str, Any]) -> int | None:
    try:
        return int(params["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


def _buttons_of(message: SentMessage) -> list[ShownButton]:
    inline = [
        ShownButton(message.chat_id, message.message_id, str(b.get("text", "")), b, True)
        for b in message.inline_buttons
    ]
    keyboard = [
        ShownButton(message.chat_id, message.message_id, str(b.get("text", "")), b, False)
        for b in message.keyboard_buttons
    ]
    return inline + keyboard


def _body_lines(message: SentMessage, params: dict[str, Any]) -> list[str]:
    text = message.plain
    if message.kind == "photo":
        head = "[photo]"
    elif message.kind == "document":
        head = f"[document {message.file_name or 'file'}]"
    elif message.kind == "voice":
        head = "[voice note]"
    elif message.kind == "location":
        lat, lon = params.get("latitude"), params.get("longitude")
        head = f"[location {lat}, {lon}]" if lat is not None else "[location]"
    elif message.kind == "venue" and message.venue is not None:
        venue = message.venue
        head = f"[map pin {venue['title']} at {venue['latitude']}, {venue['longitude']}]"
    else:
        head = ""
    if head:
        return [f"{head} {text}".rstrip()]
    return text.splitlines() or [""]


def _button_lines(message: SentMessage, buttons: list[ShownButton], start: int | None) -> list[str]:
    """Buttons row by row: `[1] Approve  [2] Reject` when numbered, `[Approve]` when not."""
    markup = message.reply_markup or {}
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    by_position = iter(buttons)
    lines: list[str] = []
    number = start
    for row in rows:
        cells: list[str] = []
        for _ in row:
            button = next(by_position, None)
            if button is None:
                break
            label = button.label + (" 📍" if button.shares_location else "")
            if number is None:
                cells.append(f"[{label}]")
            else:
                cells.append(f"[{number}] {label}")
                number += 1
        if cells:
            lines.append("  " + "  ".join(cells))
    if lines and "keyboard" in markup:
        lines[0] = "  keyboard:" + lines[0]
    return lines


async def run_console(
    settings: Settings,
    *,
    database_url: str | None,
    read_line: ReadLine | None = None,
    write: Write | None = None,
) -> int:
    """The `tcag console` session; returns the process exit code."""
    read = read_line or read_terminal_line
    out: Write = write or print
    if read_line is None:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
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
            out(f"tcag console: database unreachable ({url}): {error}")
            return 3
        api = LocalBotAPI()
        application = build_application(
            local_settings, store=store, clock=clock, request=LocalRequest(api), rate_limit=False
        )
        await application.initialize()
        try:
            if application.post_init:
                await application.post_init(application)
            await application.start()  # the JobQueue runs, as under `tcag run`
            try:
                console = Console(application, api, store, local_settings, out)
                out(BANNER.format(database=url))
                await console.choose_first_person()
                while True:
                    line = await read(await console.prompt())
                    if line is None:
                        break
                    try:
                        if not await console.handle(line):
                            break
                    except Exception as error:
                        log.exception("console action failed")
                        out(f"(console error: {type(error).__name__}: {error})")
            finally:
                await application.stop()
        finally:
            await application.shutdown()
    finally:
        await store.close()
    out("Bye.")
    return 0
