"""What the console prints of what the bot does: every call, marked with whose chat.

`Feed` turns the Bot API calls the bot made into lines on the screen and keeps what each
chat was shown: the current chat's numbered buttons (always those of the newest message
with buttons, never an older one), and what reached other chats meanwhile (their unread
messages, shown when someone becomes that person or enters the group). What the bot
sends on its own (outbox: alerts, escalations, briefings, digests) is printed as it
arrives on a live terminal, and otherwise after each line (`settle`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.context import OpsApplication
from bot.offline.bot_api import ApiCall, LocalBotAPI, SentMessage
from bot.offline.console_people import People
from bot.offline.console_screen import (
    EDIT_METHODS,
    SEND_METHODS,
    FileShelf,
    Shown,
    ShownButton,
    buttons_of,
    chat_id_of,
    message_lines,
)
from bot.offline.terminal import Terminal
from storage.store import Store

log = logging.getLogger(__name__)

SETTLE_POLL_S = 0.03
SETTLE_WITHIN_S = 5.0


class Feed(People):
    """The screen: what each chat has been shown, and the current chat's buttons."""

    def __init__(
        self,
        application: OpsApplication,
        api: LocalBotAPI,
        store: Store,
        settings: Settings,
        terminal: Terminal,
        files: FileShelf,
    ) -> None:
        super().__init__(store, settings, terminal.write)
        self.application = application
        self.api = api
        self.terminal = terminal
        self.files = files
        self.screen: list[ShownButton] = []  # the current chat's numbered buttons
        self._newest_with_buttons: dict[int, tuple[int, int]] = {}  # chat → message key
        self._unread: dict[int, dict[tuple[int, int], None]] = {}  # chat → message keys
        self._uploads: dict[str, Path] = {}  # file id of a /photo → the file sent
        self._states: dict[int, Shown] = {}  # id(call) → the message right after it
        self._seen_calls = len(api.calls)
        self._acting = False
        self._flush_pending = False
        self._printing = asyncio.Lock()
        api.listeners.append(self._remember)

    # ---- what the bot does on its own --------------------------------------------------
    async def settle(self, within: float = SETTLE_WITHIN_S) -> None:
        """Let the outbox sender send what the last action queued, then print it."""
        self.application.services.outbox_wakeup.set()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        calls, quiet = len(self.api.calls), 0
        while quiet < 2 and loop.time() < deadline:
            await asyncio.sleep(SETTLE_POLL_S)
            now_calls = len(self.api.calls)
            idle = now_calls == calls and await self._outbox_idle()
            quiet = quiet + 1 if idle else 0
            calls = now_calls
        await self.flush()

    async def _outbox_idle(self) -> bool:
        """Nothing due now: every row is sent, or waits for a retry later."""
        outbox = self.store.outbox
        if (await outbox.backlog()).pending == 0:
            return True
        due = await outbox.next_due_at()
        if isinstance(due, str):  # SQLite gives an aggregate's datetime as text
            due = datetime.fromisoformat(due)
        if due is None:
            return True
        if due.tzinfo is None:
            due = due.replace(tzinfo=UTC)
        return due > datetime.now(UTC) + timedelta(seconds=1)

    async def flush(self) -> None:
        """Print the calls nobody has been shown yet (unless an action is showing them)."""
        if self._acting:
            return
        async with self._printing:  # one batch at a time, in the order the calls were made
            calls = self.api.calls[self._seen_calls :]
            self._seen_calls = len(self.api.calls)
            await self.show(calls)

    def _remember(self, call: ApiCall, message: SentMessage | None) -> None:
        """A Bot API listener: each message as it stood right after the call that made it."""
        if message is not None and (call.method in SEND_METHODS or call.method in EDIT_METHODS):
            self._states[id(call)] = Shown(
                dataclasses.replace(message), call.method in EDIT_METHODS, call.params
            )
        if self.terminal.live and not self._acting and not self._flush_pending:
            self._flush_pending = True  # printed once the burst (a fan-out, say) is over
            asyncio.get_running_loop().call_later(0.05, self._flush_soon)

    def _flush_soon(self) -> None:
        self._flush_pending = False
        asyncio.ensure_future(self.flush()).add_done_callback(_log_failure)

    # ---- showing what the bot did ----------------------------------------------------
    async def show(self, calls: Sequence[ApiCall]) -> None:
        if not calls:
            return
        await self.people()  # names of anyone who just became a member
        shown = [(call, self._states.pop(id(call), None)) for call in calls]
        final = {item.key: i for i, (_, item) in enumerate(shown) if item is not None}
        newest: dict[int, int] = {}  # chat → index of its newest message with buttons
        for key, index in final.items():
            if buttons_of(shown[index][1].message):  # type: ignore[union-attr]
                newest[key[0]] = max(newest.get(key[0], -1), index)
        lines: list[str] = []
        for index, (call, item) in enumerate(shown):
            if item is None:
                lines += self._describe_other(call)
                continue
            chat = item.message.chat_id
            numbered = chat == self.chat_id and newest.get(chat) == index
            lines += self._describe(item, numbered)
            if chat != self.chat_id:
                self._unread.setdefault(chat, {})[item.key] = None
        self._update_screens(shown, final, newest)
        if lines:
            self.write("\n".join(lines))

    def _update_screens(
        self,
        shown: list[tuple[ApiCall, Shown | None]],
        final: dict[tuple[int, int], int],
        newest: dict[int, int],
    ) -> None:
        """Numbers always mean the newest message with buttons a chat was shown."""
        for chat, index in newest.items():
            item = shown[index][1]
            assert item is not None
            self._newest_with_buttons[chat] = item.key
            if chat == self.chat_id:
                self.screen = buttons_of(item.message)
        for chat, key in list(self._newest_with_buttons.items()):
            if chat not in newest and key in final:  # edited, and its buttons are gone
                del self._newest_with_buttons[chat]
                if chat == self.chat_id:
                    self.screen = []

    def _describe(self, item: Shown, numbered: bool, heading: str | None = None) -> list[str]:
        message = item.message
        to = self.destination(message.chat_id)
        saved = self.files.keep(self.api.messages.get(item.key) or message)
        source = self._uploads.get(str(item.params.get(message.kind, "")))
        return message_lines(
            message,
            heading=heading or f"bot → {to}{' (edited)' if item.edited else ''}:",
            params=item.params,
            numbered=numbered,
            saved=saved,
            source=str(source) if source else None,
        )

    def _describe_other(self, call: ApiCall) -> list[str]:
        chat_id = chat_id_of(call.params)
        if call.method == "answerCallbackQuery":
            text = str(call.params.get("text") or "").strip()
            return [f"(popup) {text}"] if text else []
        if call.method == "deleteMessage" and chat_id is not None:
            return [f"(the bot deleted a message to {self.destination(chat_id)})"]
        if call.method in SEND_METHODS and chat_id is not None:
            return [f"(not delivered: {call.method} to {self.destination(chat_id)})"]
        return []

    async def show_unread(self) -> None:
        """What reached this chat while someone else was typing, as it stands now; else the
        newest message with buttons again, so that numbers press what they say."""
        chat = self.chat_id
        keys = list(self._unread.pop(chat, {}))
        label = "unread"
        if not keys and chat in self._newest_with_buttons:
            keys, label = [self._newest_with_buttons[chat]], "earlier"
        messages = [m for key in keys if (m := self.api.messages.get(key)) and not m.deleted]
        with_buttons = [i for i, m in enumerate(messages) if buttons_of(m)]
        newest = with_buttons[-1] if with_buttons else None
        lines: list[str] = []
        for index, message in enumerate(messages):
            heading = f"bot → {self.destination(chat)} ({label}):"
            lines += self._describe(Shown(message, False, {}), index == newest, heading)
        self.screen = buttons_of(messages[newest]) if newest is not None else []
        if lines:
            self.write("\n".join(lines))


def _log_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("console: printing failed", exc_info=task.exception())
