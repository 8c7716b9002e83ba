"""A Bot API that lives in this process: the console, the demo and the tests talk to it.

`LocalBotAPI` keeps what a real Bot API server would: the messages the bot sent (so
buttons can be pressed and edits checked), command menus, a queue of incoming updates
for `getUpdates`, and the files uploaded. It checks what Telegram checks (message length,
HTML entities, callback data size) and answers with Telegram's errors, so a message that
would fail in production fails here too. Faults (429, 5xx, 403, timeouts) can be injected.

`LocalRequest` plugs it into python-telegram-bot as a `BaseRequest`; `bot.local_server`
serves the same object over HTTP for end-to-end tests of `tcag run`.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
CALLBACK_ANSWER_LIMIT = 200
_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SEND_METHODS = {
    "sendMessage", "sendPhoto", "sendDocument", "sendVoice", "sendLocation", "sendVenue",
    "sendMediaGroup", "copyMessage", "forwardMessage",
}  # fmt: skip


class ApiError(Exception):
    """What the Bot API answers with ok=false."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class Fault:
    """An injected failure: matched by method and chat, used up after `times` matches."""

    status: int  # 429, 500, 403, ... or 0 for a timeout
    method: str | None = None
    chat_id: int | None = None
    times: int = 1
    retry_after: int | None = None
    description: str = ""

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.times <= 0:
            return False
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or _int_or_none(params.get("chat_id")) == self.chat_id


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)


@dataclass
class SentMessage:
    """A message the bot sent, as it now stands (edits applied)."""

    chat_id: int
    message_id: int
    kind: str  # text, photo, document, voice, location, venue
    text: str | None = None
    caption: str | None = None
    reply_markup: dict[str, Any] | None = None
    file_name: str | None = None
    file_bytes: bytes | None = None
    venue: dict[str, Any] | None = None  # a map pin: latitude, longitude, title, address
    edits: int = 0
    deleted: bool = False

    @property
    def body(self) -> str:
        return self.text if self.text is not None else (self.caption or "")

    @property
    def plain(self) -> str:
        """The text as a person sees it: tags removed, entities decoded."""
        return html.unescape(_TAG_RE.sub("", self.body))

    @property
    def inline_buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    @property
    def keyboard_buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [
            button if isinstance(button, dict) else {"text": button}
            for row in rows
            for button in row
        ]

    def button(self, label: str) -> dict[str, Any]:
        """The inline button whose text contains `label` (case-insensitive)."""
        wanted = label.casefold()
        for button in self.inline_buttons:
            if wanted in button["text"].casefold():
                return button
        labels = [b["text"] for b in self.inline_buttons]
        raise LookupError(f"no button {label!r} on message {self.message_id}: {labels}")

    def as_message(self, bot_user: dict[str, Any], date: int) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "date": date,
            "chat": _chat(self.chat_id),
            "from": bot_user,
        }
        if self.text is not None:
            message["text"] = self.text
        if self.caption is not None:
            message["caption"] = self.caption
        if self.kind == "photo":
            message["photo"] = [_photo_size(self.chat_id, self.message_id)]
        if self.kind == "document":
            message["document"] = {
                "file_id": f"doc-{self.chat_id}-{self.message_id}",
                "file_unique_id": f"udoc{self.message_id}",
                "file_name": self.file_name or "file",
            }
        if self.venue is not None:
            point = {"latitude": self.venue["latitude"], "longitude": self.venue["longitude"]}
            message["location"] = point
            if self.kind == "venue":
                message["venue"] = {
                    "location": point,
                    "title": self.venue["title"],
                    "address": self.venue["address"],
                }
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = self.reply_markup
        return message


def check_html(text: str) -> None:
    """Raise ApiError as Telegram does for text its HTML parser would refuse."""
    stack: list[str] = []
    position = 0
    for match in _TAG_RE.finditer(text):
        _check_plain(text[position : match.start()], match.start())
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in _ALLOWED_TAGS:
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: unsupported start tag "{tag}"'
            )
        if closing:
            if not stack or stack[-1] != tag:
                raise ApiError(
                    400, f'Bad Request: can\'t parse entities: unexpected end tag "{tag}"'
                )
            stack.pop()
        else:
            stack.append(tag)
        position = match.end()
    _check_plain(text[position:], position)
    if stack:
        raise ApiError(400, f'Bad Request: can\'t parse entities: unclosed start tag "{stack[-1]}"')


def _check_plain(segment: str, offset: int) -> None:
    for index, char in enumerate(segment):
        if char in "<>":
            raise ApiError(
                400,
                f"Bad Request: can't parse entities: unescaped {char!r} at byte offset "
                f"{offset + index}",
            )
        if char == "&" and not _ENTITY_RE.match(segment, index):
            raise ApiError(
                400, f"Bad Request: can't parse entities: unescaped '&' at offset {offset + index}"
            )


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id < 0:
        return {"id": chat_id, "type": "supergroup", "title": "Coordinators"}
    return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}


def _photo_size(chat_id: int, message_id: int) -> dict[str, Any]:
    return {
        "file_id": f"photo-{chat_id}-{message_id}",
        "file_unique_id": f"uph{chat_id}{message_id}",
        "width": 800,
        "height": 600,
    }


def _point(params: dict[str, Any]) -> dict[str, Any]:
    point: dict[str, Any] = {}
    for name in ("latitude", "longitude"):
        try:
            point[name] = float(params[name])
        except (KeyError, TypeError, ValueError):
            raise ApiError(400, f"Bad Request: {name} is required") from None
    if not -90 <= point["latitude"] <= 90 or not -180 <= point["longitude"] <= 180:
        raise ApiError(400, "Bad Request: wrong coordinates")
    return point


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class LocalBotAPI:
    """The state and rules of a Bot API server, kept in memory."""

    def __init__(
        self,
        *,
        bot_id: int = 7_000_000_001,
        username: str = "tcag_local_bot",
        latency: float = 0.0,
    ) -> None:
        self.bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Town Centre Ops",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.latency = latency
        self.calls: list[ApiCall] = []
        self.messages: dict[tuple[int, int], SentMessage] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.faults: list[Fault] = []
        self.blocked_chats: set[int] = set()
        self.listeners: list[Callable[[ApiCall, SentMessage | None], None]] = []
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._update_ids = itertools.count(1)
        self._updates: list[dict[str, Any]] = []
        self._update_event = asyncio.Event()
        self._incoming_ids = itertools.count(1_000_000)

    # ---- what tests and the console read -------------------------------------------
    def sent_to(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.messages.values() if m.chat_id == chat_id and not m.deleted]

    def last_to(self, chat_id: int) -> SentMessage:
        sent = self.sent_to(chat_id)
        if not sent:
            raise LookupError(f"nothing was sent to chat {chat_id}")
        return sent[-1]

    def calls_of(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def callback_answers(self) -> list[dict[str, Any]]:
        return [c.params for c in self.calls_of("answerCallbackQuery")]

    def next_incoming_message_id(self) -> int:
        return next(self._incoming_ids)

    # ---- incoming updates (getUpdates) ---------------------------------------------
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._update_event.set()
        return update

    async def _get_updates(self, params: dict[str, Any], record: ApiCall) -> list[dict[str, Any]]:
        offset = _int_or_none(params.get("offset")) or 0
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._update_event.clear()
            timeout = float(params.get("timeout") or 0)
            if timeout > 0:
                try:
                    await asyncio.wait_for(self._update_event.wait(), timeout)
                except TimeoutError:
                    return []
        limit = _int_or_none(params.get("limit")) or 100
        return self._updates[:limit]

    # ---- the API -------------------------------------------------------------------
    async def call(
        self, method: str, params: dict[str, Any], files: dict[str, bytes] | None = None
    ) -> Any:
        """Run one Bot API method; raises ApiError (or TimedOut) as the server would."""
        if self.latency:
            await asyncio.sleep(self.latency)
        record = ApiCall(method, params, files or {})
        if method != "getUpdates":
            self.calls.append(record)
        for fault in self.faults:
            if fault.matches(method, params):
                fault.times -= 1
                if fault.status == 0:
                    raise TimedOut("injected timeout")
                raise ApiError(
                    fault.status,
                    fault.description or _fault_text(fault.status),
                    fault.retry_after,
                )
        if method in _SEND_METHODS and _int_or_none(params.get("chat_id")) in self.blocked_chats:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        handler = getattr(self, "_" + _snake(method), None)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        result = handler(params, record)
        if asyncio.iscoroutine(result):
            result = await result
        message = result if isinstance(result, SentMessage) else None
        for listener in self.listeners:
            listener(record, message)
        if isinstance(result, SentMessage):
            return result.as_message(self.bot_user, int(time.time()))
        return result

    def _get_me(self, params: dict[str, Any], record: ApiCall) -> dict[str, Any]:
        return self.bot_user

    def _log_out(self, params: dict[str, Any], record: ApiCall) -> bool:
        return True

    def _close(self, params: dict[str, Any], record: ApiCall) -> bool:
        return True

    def _delete_webhook(self, params: dict[str, Any], record: ApiCall) -> bool:
        return True

    def _set_webhook(self, params: dict[str, Any], record: ApiCall) -> bool:
        return True

    def _get_webhook_info(self, params: dict[str, Any], record: ApiCall) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    def _send_chat_action(self, params: dict[str, Any], record: ApiCall) -> bool:
        return True

    def _send_message(self, params: dict[str, Any], record: ApiCall) -> SentMessage:
        text = str(params.get("text", ""))
        self._check_text(text, params, MESSAGE_LIMIT, "message")
        return self._store(params, "text", text=text)

    def _send_photo(self, params: dict[str, Any], record: ApiCall) -> SentMessage:
        return self._send_media(params, record, "photo")

    def _send_document(self, params: dict[str, Any], record: ApiCall) -> SentMessage:
        return self._send_media(params, record, "document")

    def _send_voice(self, params: dict[str, Any], record: ApiCall) -> SentMessage:
        return self._send_media(params, record, "voice")

    def _send_location(self, params: dict[str, Any], record: ApiCall) -> SentMessage:
        """A map pin without a name: its point is kept as a venue's (no title, no address)."""
        return self._store(params, "location", venue=_point(params))

    def _send_venue(self, params: dict[str, Any], record: ApiCall) -> SentMessage:
        venue = _point(params)
        for name in ("title", "address"):
            value = str(params.get(name) or "")
            if not value.strip():
                raise ApiError(400, f"Bad Request: venue {name} is empty")
            venue[name] = value
        return self._store(params, "venue", venue=venue)

    def _send_media(self, params: dict[str, Any], record: ApiCall, kind: str) -> SentMessage:
        caption = params.get("caption")
        if caption is not None:
            self._check_text(str(caption), params, CAPTION_LIMIT, "caption")
        content = next(iter(record.files.values()), None)
        name = None
        value = params.get(kind)
        if isinstance(value, str) and not value.startswith("attach://"):
            name = value
        return self._store(
            params,
            kind,
            caption=None if caption is None else str(caption),
            file_bytes=content,
            file_name=params.get("_file_name") or name,
        )

    def _edit_message_text(self, params: dict[str, Any], record: ApiCall) -> SentMessage:
        message = self._find(params)
        text = str(params.get("text", ""))
        self._check_text(text, params, MESSAGE_LIMIT, "message")
        markup = self._markup(params)
        if message.text == text and message.reply_markup == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.text, message.reply_markup = text, markup
        message.edits += 1
        return message

    def _edit_message_caption(self, params: dict[str, Any], record: ApiCall) -> SentMessage:
        message = self._find(params)
        caption = str(params.get("caption", ""))
        self._check_text(caption, params, CAPTION_LIMIT, "caption")
        message.caption, message.reply_markup = caption, self._markup(params)
        message.edits += 1
        return message

    def _edit_message_reply_markup(self, params: dict[str, Any], record: ApiCall) -> SentMessage:
        message = self._find(params)
        markup = self._markup(params)
        if message.reply_markup == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.reply_markup = markup
        message.edits += 1
        return message

    def _delete_message(self, params: dict[str, Any], record: ApiCall) -> bool:
        self._find(params).deleted = True
        return True

    def _answer_callback_query(self, params: dict[str, Any], record: ApiCall) -> bool:
        if len(str(params.get("text") or "")) > CALLBACK_ANSWER_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _set_my_commands(self, params: dict[str, Any], record: ApiCall) -> bool:
        commands = params.get("commands") or []
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not _COMMAND_RE.match(command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_scope_key(params.get("scope"))] = list(commands)
        return True

    def _delete_my_commands(self, params: dict[str, Any], record: ApiCall) -> bool:
        self.commands.pop(_scope_key(params.get("scope")), None)
        return True

    def _get_my_commands(self, params: dict[str, Any], record: ApiCall) -> list[dict[str, Any]]:
        return self.commands.get(_scope_key(params.get("scope")), [])

    def _get_file(self, params: dict[str, Any], record: ApiCall) -> dict[str, Any]:
        file_id = str(params.get("file_id"))
        return {"file_id": file_id, "file_unique_id": "u" + file_id, "file_path": file_id}

    def commands_for_chat(self, chat_id: int) -> list[str]:
        """The command menu a private chat shows: its own scope, else the default."""
        key = _scope_key({"type": "chat", "chat_id": chat_id})
        chosen = self.commands.get(key, self.commands.get(_scope_key(None), []))
        return [c["command"] for c in chosen]

    # ---- helpers -------------------------------------------------------------------
    def _check_text(self, text: str, params: dict[str, Any], limit: int, what: str) -> None:
        if not text.strip():
            raise ApiError(400, f"Bad Request: {what} text is empty")
        parse_mode = str(params.get("parse_mode") or "")
        if parse_mode.upper() == "HTML":
            check_html(text)
            visible = html.unescape(_TAG_RE.sub("", text))
        else:
            visible = text
        if len(visible) > limit:
            raise ApiError(400, f"Bad Request: {what} is too long")
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard") or []:
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and len(str(data).encode()) > CALLBACK_DATA_LIMIT:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        return markup if isinstance(markup, dict) else None

    def _store(self, params: dict[str, Any], kind: str, **fields: Any) -> SentMessage:
        chat_id = _int_or_none(params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat not found")
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        message = SentMessage(
            chat_id=chat_id,
            message_id=next(counter),
            kind=kind,
            reply_markup=self._markup(params),
            **fields,
        )
        self.messages[(chat_id, message.message_id)] = message
        return message

    def _find(self, params: dict[str, Any]) -> SentMessage:
        key = (
            _int_or_none(params.get("chat_id")) or 0,
            _int_or_none(params.get("message_id")) or 0,
        )
        message = self.messages.get(key)
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message


def _scope_key(scope: Any) -> str:
    if isinstance(scope, str):
        scope = json.loads(scope)
    if not scope or scope.get("type") == "default":
        return "default"
    return json.dumps(scope, sort_keys=True)


def _snake(method: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", method).lower()


def _fault_text(status: int) -> str:
    return {
        429: "Too Many Requests: retry later",
        403: "Forbidden: bot was blocked by the user",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }.get(status, f"Error {status}")


class LocalRequest(BaseRequest):
    """python-telegram-bot's transport, answered by a LocalBotAPI in this process."""

    def __init__(self, api: LocalBotAPI) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        files: dict[str, bytes] = {}
        if request_data is not None and request_data.contains_files:
            for name, part in request_data.multipart_data.items():
                file_name, content = part[0], part[1]
                data = content if isinstance(content, bytes) else content.read()
                files[name] = data
                params.setdefault("_file_name", file_name)
        try:
            result = await self.api.call(api_method, params, files)
        except ApiError as error:
            return error.status, json.dumps(error.payload()).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()
