"""People typing to the bot through the local Bot API: the console, demo and tests use it.

Each action builds the JSON update Telegram would send, hands it to the real Application
and returns the Bot API calls the bot made while handling it.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.offline.bot_api import ApiCall, LocalBotAPI, SentMessage


@dataclass(frozen=True)
class Person:
    telegram_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None

    def as_user(self) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": self.telegram_id,
            "is_bot": False,
            "first_name": self.first_name,
        }
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        return user

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


def private_chat(person: Person) -> dict[str, Any]:
    return {"id": person.telegram_id, "type": "private", "first_name": person.first_name}


def group_chat(chat_id: int, title: str = "Coordinators") -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": title}


class LocalTelegram:
    """Sends updates as people would, straight into `application.process_update`."""

    def __init__(self, application: Application, api: LocalBotAPI) -> None:  # type: ignore[type-arg]
        self.application = application
        self.api = api
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    # ---- building updates ----------------------------------------------------------
    def message(
        self, person: Person, *, chat: dict[str, Any] | None = None, **content: Any
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.api.next_incoming_message_id(),
            "date": int(time.time()),
            "chat": chat or private_chat(person),
            "from": person.as_user(),
            **content,
        }
        text = content.get("text")
        if isinstance(text, str) and text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return message

    def text_update(
        self, person: Person, text: str, *, chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        return {"message": self.message(person, chat=chat, text=text)}

    def callback_update(self, person: Person, sent: SentMessage, data: str) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": str(next(self._callback_ids)),
                "from": person.as_user(),
                "chat_instance": str(sent.chat_id),
                "message": sent.as_message(self.api.bot_user, int(time.time())),
                "data": data,
            }
        }

    # ---- acting --------------------------------------------------------------------
    async def process(self, update: dict[str, Any]) -> list[ApiCall]:
        before = len(self.api.calls)
        payload = {"update_id": next(self._update_ids), **update}
        await self.application.process_update(Update.de_json(payload, self.application.bot))
        return self.api.calls[before:]

    async def send(
        self, person: Person, text: str, *, chat: dict[str, Any] | None = None
    ) -> list[ApiCall]:
        return await self.process(self.text_update(person, text, chat=chat))

    async def press(self, person: Person, sent: SentMessage, label: str) -> list[ApiCall]:
        return await self.process(
            self.callback_update(person, sent, sent.button(label)["callback_data"])
        )

    async def press_data(self, person: Person, sent: SentMessage, data: str) -> list[ApiCall]:
        return await self.process(self.callback_update(person, sent, data))

    async def share_location(self, person: Person, lat: float, lon: float) -> list[ApiCall]:
        content = {"location": {"latitude": lat, "longitude": lon}}
        return await self.process({"message": self.message(person, **content)})

    async def share_live_location(
        self, person: Person, lat: float, lon: float, *, live_period: int = 900
    ) -> tuple[int, list[ApiCall]]:
        """Start sharing a live location: (the message's id, for its updates; the calls)."""
        location = {"latitude": lat, "longitude": lon, "live_period": live_period}
        message = self.message(person, location=location)
        return message["message_id"], await self.process({"message": message})

    async def move_live_location(
        self, person: Person, message_id: int, lat: float, lon: float
    ) -> list[ApiCall]:
        """A live location's update: Telegram sends it as an edit of the first message."""
        message = self.message(person, location={"latitude": lat, "longitude": lon})
        message["message_id"] = message_id
        message["edit_date"] = int(time.time())
        return await self.process({"edited_message": message})

    async def edit(self, person: Person, text: str) -> list[ApiCall]:
        message = self.message(person, text=text)
        message["edit_date"] = int(time.time())
        return await self.process({"edited_message": message})
