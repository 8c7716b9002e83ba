"""The typed context every handler receives: services by attribute, not bot_data strings."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.domain.access.flood import FloodGate
from bot.domain.clock import Clock
from bot.domain.partnership.survey import RateWindow
from storage.models import Member
from storage.store import Store


@dataclass
class LoneWorkers:
    """Members with check-ins running, as the staff-safety job last read them (every 30 s),
    so a message from anyone else costs no database read. Until the first read (`known`
    False) every message is looked up; another instance's new session is seen within 30 s
    (its first check-in is minutes away)."""

    ids: set[int] = field(default_factory=set)
    known: bool = False

    def may_be(self, member_id: int) -> bool:
        return not self.known or member_id in self.ids


class Background(Protocol):
    """Work that runs exactly while the application does (the outbox sender)."""

    def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def drain(self) -> int:
        """Send everything due now (tests and the console call this themselves)."""
        ...


DEFAULT_UPDATES_PER_MINUTE = 30  # TCAG_MEMBER_UPDATES_PER_MINUTE's default


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    clock: Clock
    # Set after writing outbox rows, so the sender sends them now rather than at its next poll.
    outbox_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    # Set with it after queueing a staff-safety alert: a batch being sent makes way for it.
    safety_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    # How many updates a minute each member may send (the access gate asks it).
    flood_gate: FloodGate = field(default_factory=lambda: FloodGate(DEFAULT_UPDATES_PER_MINUTE))
    lone_workers: LoneWorkers = field(default_factory=LoneWorkers)
    # Survey taps in the last minute, by anonymous person key (rate limits, in memory).
    survey_taps: RateWindow = field(default_factory=RateWindow)


class OpsApplication(Application):  # type: ignore[type-arg]
    """PTB's Application with our services attached (built only by bot.app)."""

    def __init__(self, *, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.outbox_sender: Background | None = None  # set by bot.app
        self.send_budget: Any = None  # bot.jobs.send_budget.SendBudget, set by bot.app

    # The outbox sender runs exactly while the application does (`tcag run`, the console);
    # tests never start the application and call `outbox_sender.drain()` themselves.
    async def start(self) -> None:
        await super().start()
        if self.outbox_sender is not None:
            self.outbox_sender.start()

    async def stop(self) -> None:
        await super().stop()  # pending updates first: they may still queue messages
        if self.outbox_sender is not None:
            await self.outbox_sender.stop()

    async def update_persistence(self) -> None:
        """PTB's, then forget every empty user and chat entry: PTB makes one for everyone
        who writes (strangers too) and never lets go. An empty entry is the same as none
        (it is made again when needed), and the persistence stores nothing for it."""
        await super().update_persistence()
        for entries in (self._user_data, self._chat_data):
            for key in [k for k, data in entries.items() if not data]:
                del entries[key]


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Adds the services and the member the access gate found for this update."""

    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:  # type: ignore[type-arg]
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._member: Member | None = None

    @property
    def services(self) -> Services:
        application = self.application
        assert isinstance(application, OpsApplication)
        return application.services

    @property
    def store(self) -> Store:
        return self.services.store

    @property
    def clock(self) -> Clock:
        return self.services.clock

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def member(self) -> Member:
        """The active member sending this update; set by the access gate."""
        if self._member is None:
            raise RuntimeError("handler ran without the access gate setting the member")
        return self._member

    @member.setter
    def member(self, value: Member) -> None:
        self._member = value

    @property
    def has_member(self) -> bool:
        return self._member is not None
