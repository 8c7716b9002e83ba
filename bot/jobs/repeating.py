"""Registering a job once under its deterministic name, replacing any earlier one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import time
from typing import Any

from telegram.ext import Application

JobCallback = Callable[[Any], Awaitable[None]]


def every(
    application: Application,  # type: ignore[type-arg]
    callback: JobCallback,
    *,
    name: str,
    seconds: float,
    first: float | None = None,
) -> None:
    """Run `callback` every `seconds` (first after `first`, else one interval), once per name."""
    queue = application.job_queue
    if queue is None:
        return
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    queue.run_repeating(
        callback, interval=seconds, first=seconds if first is None else first, name=name
    )


def daily(
    application: Application,  # type: ignore[type-arg]
    callback: JobCallback,
    *,
    name: str,
    at: time,
) -> None:
    """Run `callback` every day at `at` (aware: the partnership's zone), once per name."""
    queue = application.job_queue
    if queue is None:
        return
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    queue.run_daily(callback, time=at, name=name)
