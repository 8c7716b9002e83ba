"""The demo's transcript: what people did and what the bot sent, line by line, in local time.

A long message much like one shown before is shown by what differs (`condensed`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.clock import ManualClock
from bot.offline.bot_api import ApiCall, SentMessage
from bot.offline.chat import Person
from bot.offline.demo_script import GROUP_CHAT_ID, GROUP_NAME
from bot.texts import common as common_texts

Write = Callable[[str], None]

_SHOWN_METHODS = {
    "sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendLocation", "sendVenue",
}  # fmt: skip
_EDIT_METHODS = {"editMessageText", "editMessageCaption", "editMessageReplyMarkup"}
_INDENT = " " * 7  # under "21:14  "


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
        return common_texts.local_time(self.clock.now(), self.tz)

    def heading(self, text: str, at: datetime | None = None) -> None:
        """A scene's title; `at` when the scene starts later than now (a scheduled run)."""
        when = common_texts.local_time(at, self.tz) if at is not None else self.stamp()
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
    if message.kind == "venue" and message.venue is not None:
        return [f"[map pin: {message.venue['title']}, {message.venue['address']}]"]
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
