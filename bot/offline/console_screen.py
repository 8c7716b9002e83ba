"""What the console prints: the bot's messages as a person would read them, with buttons.

Pure formatting, plus `FileShelf`, which keeps the photos and documents the bot sends
(charts, the quarterly PDF, CSV exports) as files a person can open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.offline.bot_api import SentMessage

SEND_METHODS = {
    "sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendLocation", "sendVenue",
    "sendMediaGroup", "copyMessage", "forwardMessage",
}  # fmt: skip
EDIT_METHODS = {"editMessageText", "editMessageCaption", "editMessageReplyMarkup"}
FILES_DIR = Path("data/console/files")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ShownButton:
    """A button as numbered on the screen of the chat it was sent to."""

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

    @property
    def key(self) -> tuple[int, int]:
        return self.message.chat_id, self.message.message_id


class FileShelf:
    """Each photo or document the bot sent, written once under `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._saved: dict[tuple[int, int], Path] = {}

    def keep(self, message: SentMessage) -> Path | None:
        """The file's path (written now if new); None when the bot sent no bytes."""
        key = (message.chat_id, message.message_id)
        if key in self._saved:
            return self._saved[key]
        if not message.file_bytes:
            return None
        name = _UNSAFE.sub("_", message.file_name or message.kind).strip("._")[:80] or "file"
        if not Path(name).suffix:
            name += _suffix(message.file_bytes)
        chat = "group" if message.chat_id < 0 else str(message.chat_id)
        path = self.folder / f"{chat}-{message.message_id}-{name}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(message.file_bytes)
        self._saved[key] = path
        return path


def _suffix(content: bytes) -> str:
    if content.startswith(b"\x89PNG"):
        return ".png"
    if content.startswith(b"\xff\xd8"):
        return ".jpg"
    if content.startswith(b"%PDF"):
        return ".pdf"
    return ".bin"


def indent(line: str) -> str:
    return "  " + line if line.strip() else ""


def chat_id_of(params: dict[str, Any]) -> int | None:
    try:
        return int(params["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


def buttons_of(message: SentMessage) -> list[ShownButton]:
    inline = [
        ShownButton(message.chat_id, message.message_id, str(b.get("text", "")), b, True)
        for b in message.inline_buttons
    ]
    keyboard = [
        ShownButton(message.chat_id, message.message_id, str(b.get("text", "")), b, False)
        for b in message.keyboard_buttons
    ]
    return inline + keyboard


def body_lines(
    message: SentMessage, params: dict[str, Any], *, saved: Path | None, source: str | None
) -> list[str]:
    """The message's text; a file as where it was saved (or, for a file id, where from)."""
    text = message.plain
    where = f" saved as {saved}" if saved else (f" (your {source})" if source else "")
    if message.kind == "photo":
        head = f"[photo{where}]"
    elif message.kind == "document":
        head = f"[document {message.file_name or 'file'}{where}]"
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


def button_lines(message: SentMessage, buttons: list[ShownButton], start: int | None) -> list[str]:
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


def message_lines(
    message: SentMessage,
    *,
    heading: str,
    params: dict[str, Any],
    numbered: bool,
    saved: Path | None = None,
    source: str | None = None,
) -> list[str]:
    """A message as printed: `bot → who:`, its text indented, its buttons."""
    lines = [heading]
    lines += [indent(line) for line in body_lines(message, params, saved=saved, source=source)]
    lines += button_lines(message, buttons_of(message), 1 if numbered else None)
    return lines
