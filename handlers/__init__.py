"""Telegram glue, one module per feature. `all_handlers()` gives them in order."""

from __future__ import annotations

from telegram.ext import Application, BaseHandler

from handlers import access, invites, members, start

FEATURE_GROUP = 0


def all_handlers() -> list[tuple[int, BaseHandler]]:  # type: ignore[type-arg]
    """(group, handler) pairs: the access gate first, features next, fallbacks last."""
    features: list[BaseHandler] = [  # type: ignore[type-arg]
        *start.handlers(),
        *invites.handlers(),
        *members.handlers(),
        *start.fallbacks(),
    ]
    return [*access.handlers(), *((FEATURE_GROUP, h) for h in features)]


def schedule_jobs(application: Application) -> None:  # type: ignore[type-arg]
    """Each feature's repeating jobs, registered once with deterministic names."""
    for module in ():
        module.schedule_jobs(application)
