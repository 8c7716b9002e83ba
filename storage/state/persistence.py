"""python-telegram-bot persistence in our own database (table bot_state), not a pickle file.

Only per-user data (report drafts and the like) and conversation states are kept: the bot
has no chat data, its bot data is rebuilt from the database at start-up, and callback data
are plain strings. Chat data is asked for all the same, and never kept: PTB clears its
record of the chats it has seen only when a persistence takes chat data, and without that
every stranger who ever wrote would stay in memory.

A stranger leaves nothing: the access gate drops their user and chat data, and a user with
nothing stored costs neither a row nor an entry here.

Everything is stored as JSON, so what handlers keep in `user_data` must be JSON-friendly (ints,
strings, floats, bools, None, lists, dicts with string keys). A top-level entry that is
not is left out of the stored copy and logged by name.

One bot process owns its users' data: it reads the table once at start-up and then only
writes (skipping writes that would store what is already there).

Trade-off of `update_interval` (2 s by default): PTB writes changed users and conversation
states in the background every interval (and on shutdown). A crash loses at most the last
couple of seconds of answers; in exchange each busy user costs one small upsert per
interval, not one per update.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from storage.state.bot_state import BotStates

log = logging.getLogger(__name__)

USER_DATA = "user_data"
CONVERSATION = "conversation"
DEFAULT_UPDATE_INTERVAL = 2.0

Data = dict[Any, Any]
# PTB's own aliases live in a private module; these are the same shapes.
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]


class DatabasePersistence(BasePersistence[Data, Data, Data]):
    """Reads everything once at start-up; writes each change through `BotStates`."""

    def __init__(
        self, states: BotStates, *, update_interval: float = DEFAULT_UPDATE_INTERVAL
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=True, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._states = states
        # What the table holds for each user, as this process last read or wrote it: PTB
        # hands over every user who sent an update, and most updates change nothing.
        self._stored: dict[int, str | None] = {}

    # ---- user data -----------------------------------------------------------------------
    async def get_user_data(self) -> dict[int, Data]:
        users: dict[int, Data] = {}
        for key, text in (await self._states.get_all(USER_DATA)).items():
            try:
                user_id, data = int(key), json.loads(text)
            except ValueError:
                log.warning("ignoring unreadable stored user data for key %s", key)
                continue
            if isinstance(data, dict):
                users[user_id] = data
                self._stored[user_id] = text
        return users

    async def update_user_data(self, user_id: int, data: Data) -> None:
        text = _dump_user_data(user_id, data)
        if text is None:
            await self.drop_user_data(user_id)  # nothing left to keep
            return
        if self._stored.get(user_id) == text:
            return  # unchanged since the last write
        await self._states.put(USER_DATA, str(user_id), text)
        self._stored[user_id] = text

    async def drop_user_data(self, user_id: int) -> None:
        """Forget a user: their row, if this process stored or read one, and its entry."""
        if user_id in self._stored:
            await self._states.delete(USER_DATA, str(user_id))
            del self._stored[user_id]

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        """Nothing to do: this process's copy, loaded at start-up, is the current one."""

    # ---- conversations -------------------------------------------------------------------
    async def get_conversations(self, name: str) -> ConversationDict:
        prefix = f"{name}:"
        conversations: dict[ConversationKey, object] = {}
        for key, text in (await self._states.get_all(CONVERSATION)).items():
            if not key.startswith(prefix):
                continue
            try:
                parts = json.loads(key[len(prefix) :])
                state = json.loads(text)
            except ValueError:
                log.warning("ignoring unreadable stored conversation %s", name)
                continue
            if isinstance(parts, list):
                conversations[tuple(parts)] = state
        return conversations

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        row_key = _conversation_key(name, key)
        if new_state is None:
            await self._states.delete(CONVERSATION, row_key)
            return
        try:
            text = json.dumps(new_state)
        except TypeError:
            log.warning("conversation %s: state of type %s is not JSON", name, type(new_state))
            return
        await self._states.put(CONVERSATION, row_key, text)

    # ---- what this bot does not keep -----------------------------------------------------
    async def get_chat_data(self) -> dict[int, Data]:
        return {}

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        return None

    async def get_bot_data(self) -> Data:
        return {}

    async def update_bot_data(self, data: Data) -> None:
        return None

    async def refresh_bot_data(self, bot_data: Data) -> None:
        return None

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def flush(self) -> None:
        """Every update is written when PTB hands it over: nothing is buffered here."""
        return None


def _conversation_key(name: str, key: ConversationKey) -> str:
    return f"{name}:{json.dumps(list(key), separators=(',', ':'))}"


def _dump_user_data(user_id: int, data: Data) -> str | None:
    """JSON of the entries that can be JSON; None when nothing is left to store."""
    kept: dict[str, Any] = {}
    for key, value in data.items():
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            log.warning("user %s: user_data[%r] is not JSON, so it is not persisted", user_id, key)
            continue
        kept[str(key)] = value
    return json.dumps(kept, separators=(",", ":"), ensure_ascii=False) if kept else None
