"""The real Application on a test database, talking to the in-process Bot API; settings and
the people every test knows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import build_application
from bot.config import Settings
from bot.domain.access.roles import Role
from bot.domain.clock import ManualClock
from bot.offline.bot_api import LocalBotAPI, LocalRequest, SentMessage
from bot.offline.chat import LocalTelegram, Person
from storage.store import Store

COORDINATORS_CHAT = -100_200_300
START = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)  # a Friday night
ADMIN = Person(1001, "Alex", "Admin", username="alex_admin")
STRANGER = Person(5005, "Sam", "Stranger", username="sam_s")
_INVITE_TTL = timedelta(days=1)


def make_settings(**overrides: object) -> Settings:
    """Settings for a test: the coordinators' group and London time, plus `overrides`
    (never a developer's `.env`)."""
    values: dict[str, object] = {
        "TCAG_COORDINATORS_CHAT_ID": COORDINATORS_CHAT,
        "TCAG_TIMEZONE": "Europe/London",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class BotHarness:
    """The real Application on a test database, talking to the local Bot API."""

    def __init__(self, store: Store, clock: ManualClock, settings: Settings) -> None:
        self.store, self.clock, self.settings = store, clock, settings
        self.api = LocalBotAPI()
        self.app = build_application(
            settings, store=store, clock=clock, request=LocalRequest(self.api), rate_limit=False
        )
        self.tg = LocalTelegram(self.app, self.api)

    async def start(self) -> None:
        await self.app.initialize()
        if self.app.post_init:
            await self.app.post_init(self.app)

    async def stop(self) -> None:
        await self.app.shutdown()

    async def member(self, person: Person, role: Role, *, admin: bool = False) -> Person:
        """Bring a person in through an invite, as a real member would join."""
        if admin:
            await self.store.members.ensure_admin(
                person.telegram_id, person.name, person.username, role=role
            )
            return person
        inviter = await self.store.members.ensure_admin(
            ADMIN.telegram_id, ADMIN.name, ADMIN.username
        )
        code, _ = await self.store.invites.create(role, by=inviter, ttl=_INVITE_TTL)
        await self.tg.send(person, f"/start {code}")
        return person

    def last(self, person: Person) -> SentMessage:
        return self.api.last_to(person.telegram_id)
