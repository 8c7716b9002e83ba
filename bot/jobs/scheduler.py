"""Briefings, digests and the weekly summary: sent on schedule, each exactly once.

The work is `run_due(services, now)`, a plain function the jobs call and the tests drive with
a ManualClock. It asks bot.schedule_plan which runs are due since the scheduler last worked,
and for each one not yet in the ledger:

- on time, or missed by no more than TCAG_SCHEDULE_GRACE_MINUTES: composes it (bot.summaries)
  and claims it in the ledger together with its outbox rows, in one transaction, marked late
  when it was missed. Two instances may compose the same run; only one claim succeeds, and
  the other writes nothing;
- missed for longer: recorded as skipped and logged, never sent;
- with no coordinators' group configured: recorded as skipped (the reason is in the status).

Windows come from stored watermarks: a briefing covers the time since the end of the last
digest sent (or since the previous shift ended), a digest its shift [start, end), the weekly
summary Monday 00:00 to Monday 00:00 local.

JobQueue: one job per shift pattern and kind ("schedule:briefing:Friday late", …) and one for
the weekly summary, each at its next due time; after a job runs, every schedule job is rebuilt
from the database. `start_jobs` (post_init) adds a catch-up run at start-up for whatever was
missed while the bot was down; `reschedule` rebuilds the jobs when shift patterns change.
"""

from __future__ import annotations

import base64
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.context import OpsApplication, Services
from bot.domain.shifts.schedule_plan import (
    Action,
    Decision,
    PlannedRun,
    RunKind,
    RunStatus,
    decide,
    lookback_start,
    next_due,
)
from bot.domain.shifts.shift_windows import ShiftOccurrence, ShiftPattern
from bot.summaries.windows import briefing_since
from bot.texts.split import CAPTION_LIMIT, split_message
from storage.models import ScheduledRun
from storage.state.ledger import OutgoingMessage
from storage.store import Store

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.context import BotContext
    from bot.summaries.compose import Composed


log = logging.getLogger(__name__)

JOB_PREFIX = "schedule:"
CATCH_UP_JOB = "schedule:catch-up"
RETRY_JOB = "schedule:retry"
WEEKLY_JOB = "schedule:weekly"
# After a run that failed to compose (the database was down, a bug), try again this soon;
# the grace period bounds how long it keeps trying.
RETRY_AFTER = timedelta(minutes=5)
# A briefing never reaches back further than this, however long ago the last digest was.
# With no shift before it at all, a briefing covers the day before it.
# APScheduler drops a job more than a second late by default (a busy event loop, a laptop
# waking up); each job plans the next, so one dropped would stop the schedule.
_RUN_EVEN_IF_LATE: dict[str, object] = {"misfire_grace_time": None}


def job_name(kind: RunKind, pattern_name: str | None = None) -> str:
    """Deterministic job names: "schedule:briefing:Friday late", "schedule:weekly"."""
    if kind is RunKind.WEEKLY:
        return WEEKLY_JOB
    return f"{JOB_PREFIX}{kind.value}:{pattern_name}"


# ---- what is sent: composed by bot.summaries (imported when first used: matplotlib) ----------


BriefingComposer = Callable[
    [Services, ShiftOccurrence, datetime, datetime, bool], Awaitable["Composed"]
]
DigestComposer = Callable[
    [Services, ShiftOccurrence, datetime, datetime, bool], Awaitable["Composed"]
]
WeeklyComposer = Callable[[Services, datetime, bool], Awaitable["Composed"]]


@dataclass(frozen=True)
class Composers:
    """The registry run_due composes with: (services, occurrence, start, end, late) and
    (services, week_start, late). Tests pass their own; the bot uses `summary_composers()`."""

    briefing: BriefingComposer
    digest: DigestComposer
    weekly: WeeklyComposer


async def _summary_briefing(
    services: Services, occurrence: ShiftOccurrence, since: datetime, now: datetime, late: bool
) -> Composed:
    from bot.summaries import compose as summaries

    return await summaries.briefing(
        services, occurrence=occurrence, since=since, now=now, late=late
    )


async def _summary_digest(
    services: Services, occurrence: ShiftOccurrence, start: datetime, end: datetime, late: bool
) -> Composed:
    from bot.summaries import compose as summaries

    return await summaries.digest(services, occurrence=occurrence, start=start, end=end, late=late)


async def _summary_weekly(services: Services, week_start: datetime, late: bool) -> Composed:
    from bot.summaries import compose as summaries

    return await summaries.weekly(services, week_start=week_start, late=late)


def summary_composers() -> Composers:
    """The real ones, from bot.summaries (imported when first used)."""
    return Composers(briefing=_summary_briefing, digest=_summary_digest, weekly=_summary_weekly)


def outgoing_messages(chat_id: int, composed: Composed) -> list[OutgoingMessage]:
    """The outbox rows of one run: its text in parts under 4096, then the chart as a photo
    with its caption (under 1024; any rest of a long caption follows as text)."""
    messages = [OutgoingMessage(chat_id, part) for part in split_message(composed.text)]
    if composed.chart_png:
        caption_parts = split_message(composed.caption or "", CAPTION_LIMIT)
        messages.append(
            OutgoingMessage(
                chat_id,
                caption_parts[0] if caption_parts else None,
                attachment_kind="photo",
                attachment_ref="b64:" + base64.b64encode(composed.chart_png).decode("ascii"),
            )
        )
        messages.extend(OutgoingMessage(chat_id, part) for part in caption_parts[1:])
    return messages


# ---- the work ------------------------------------------------------------------------------


@dataclass
class DueOutcome:
    """What one run_due call did, as (kind, key) pairs."""

    sent: list[tuple[str, str]] = field(default_factory=list)
    late: list[tuple[str, str]] = field(default_factory=list)  # also in `sent`
    skipped: list[tuple[str, str]] = field(default_factory=list)
    lost: list[tuple[str, str]] = field(default_factory=list)  # another instance had it
    failed: list[tuple[str, str]] = field(default_factory=list)  # composing raised: retried


def default_instance() -> str:
    """Who claims: recorded in the ledger, to tell two instances apart."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


async def run_due(
    services: Services,
    now: datetime,
    *,
    composers: Composers | None = None,
    instance: str | None = None,
) -> DueOutcome:
    """Send every briefing, digest and weekly summary due by `now` that no one has yet."""
    settings, store = services.settings, services.store
    tz, grace = settings.tz, settings.schedule_grace
    composers = composers or summary_composers()
    instance = instance or default_instance()
    patterns = await store.shifts.patterns()
    since = lookback_start(now, grace, await store.ledger.newest_scheduled_at())
    decisions = decide(
        patterns,
        tz,
        now=now,
        since=since,
        lead=settings.briefing_lead,
        delay=settings.digest_delay,
        grace=grace,
        weekly=settings.weekly_summary,
        done=await store.ledger.recorded_since(since),
    )
    outcome = DueOutcome()
    chat_id = settings.coordinators_chat_id
    if decisions and chat_id is None:
        log.warning(
            "scheduler: TCAG_COORDINATORS_CHAT_ID is not set; %s run(s) recorded as skipped",
            len(decisions),
        )
    queued = False
    for decision in decisions:
        run, pair = decision.run, (decision.run.kind.value, decision.run.key)
        if decision.action is Action.SKIP or chat_id is None:
            missed = decision.action is Action.SKIP
            status = RunStatus.SKIPPED_MISSED if missed else RunStatus.SKIPPED_NO_GROUP
            claimed = await _claim(store, run, instance, status=status, late=decision.late)
            if claimed is None:
                outcome.lost.append(pair)
                continue
            outcome.skipped.append(pair)
            if status is RunStatus.SKIPPED_MISSED:
                log.warning(
                    "scheduler: %s %s was due %s, %.0f min ago (grace %s min): skipped",
                    run.kind.value,
                    run.key,
                    run.due_at.isoformat(),
                    (now - run.due_at).total_seconds() / 60,
                    settings.schedule_grace_minutes,
                )
            continue
        try:
            window, composed = await _compose(services, composers, decision, patterns, now)
        except Exception:
            log.exception("scheduler: composing %s %s failed", run.kind.value, run.key)
            outcome.failed.append(pair)
            continue
        claimed = await _claim(
            store,
            run,
            instance,
            status=RunStatus.SENT,
            late=decision.late,
            window=window,
            messages=outgoing_messages(chat_id, composed),
        )
        if claimed is None:
            outcome.lost.append(pair)
            continue
        queued = True
        outcome.sent.append(pair)
        if decision.late:
            outcome.late.append(pair)
            log.info("scheduler: %s %s sent late", run.kind.value, run.key)
        else:
            log.info("scheduler: %s %s sent", run.kind.value, run.key)
    if queued:
        services.outbox_wakeup.set()
    return outcome


async def _claim(
    store: Store,
    run: PlannedRun,
    instance: str,
    *,
    status: RunStatus,
    late: bool,
    window: tuple[datetime, datetime] | None = None,
    messages: list[OutgoingMessage] | None = None,
) -> ScheduledRun | None:
    if window is None:
        window = _nominal_window(run)
    return await store.ledger.claim(
        kind=run.kind,
        key=run.key,
        scheduled_at=run.due_at,
        claimed_by=instance,
        status=status,
        late=late,
        window_start=window[0] if window else None,
        window_end=window[1] if window else None,
        messages=messages or [],
    )


def _nominal_window(run: PlannedRun) -> tuple[datetime, datetime] | None:
    """A skipped run's window, as it would have been (a briefing's depends on the ledger)."""
    if run.kind is RunKind.DIGEST and run.occurrence is not None:
        return run.occurrence.starts_at, run.occurrence.ends_at
    if run.kind is RunKind.WEEKLY and run.week_start is not None and run.week_end is not None:
        return run.week_start, run.week_end
    return None


async def _compose(
    services: Services,
    composers: Composers,
    decision: Decision,
    patterns: list[ShiftPattern],
    now: datetime,
) -> tuple[tuple[datetime, datetime], Composed]:
    run, late = decision.run, decision.late
    if run.kind is RunKind.WEEKLY:
        assert run.week_start is not None and run.week_end is not None
        return (run.week_start, run.week_end), await composers.weekly(
            services, run.week_start, late
        )
    occurrence = run.occurrence
    assert occurrence is not None
    if run.kind is RunKind.DIGEST:
        window = (occurrence.starts_at, occurrence.ends_at)
        return window, await composers.digest(services, occurrence, *window, late)
    since = await briefing_since(services, occurrence, patterns, now)
    return (since, now), await composers.briefing(services, occurrence, since, now, late)


async def last_scheduled_run(store: Store) -> ScheduledRun | None:
    """The newest ledger row (sent or skipped): when the scheduler last did anything."""
    return await store.ledger.newest()


# ---- JobQueue ------------------------------------------------------------------------------


async def start_jobs(application: Application) -> list[str]:  # type: ignore[type-arg]
    """At start-up (post_init): the jobs from the database, and a catch-up run at once."""
    names = await reschedule(application)
    job_queue = application.job_queue
    if job_queue is not None:
        for job in job_queue.get_jobs_by_name(CATCH_UP_JOB):
            job.schedule_removal()
        job_queue.run_once(
            _scheduled_run_job, when=0, name=CATCH_UP_JOB, job_kwargs=_RUN_EVEN_IF_LATE
        )
        names.append(CATCH_UP_JOB)
    return names


async def reschedule(application: Application) -> list[str]:  # type: ignore[type-arg]
    """Rebuild the schedule jobs from the shift patterns; the names of the jobs now queued.

    Call it after any change to shift patterns. Jobs are found and replaced by name, so
    calling it twice leaves one job per pattern and kind.
    """
    job_queue = application.job_queue
    if job_queue is None or not isinstance(application, OpsApplication):
        return []
    services = application.services
    settings = services.settings
    patterns = await services.store.shifts.patterns()
    for job in job_queue.jobs():
        name = job.name or ""
        if name.startswith(JOB_PREFIX) and name not in (CATCH_UP_JOB, RETRY_JOB):
            job.schedule_removal()
    now, tz = services.clock.now(), settings.tz
    planned: list[tuple[str, datetime]] = []
    for pattern in patterns:
        for kind in (RunKind.BRIEFING, RunKind.DIGEST):
            due_at = next_due(
                kind,
                tz,
                after=now,
                pattern=pattern,
                lead=settings.briefing_lead,
                delay=settings.digest_delay,
            )
            if due_at is not None:
                planned.append((job_name(kind, pattern.name), due_at))
    weekly_due = next_due(RunKind.WEEKLY, tz, after=now, weekly=settings.weekly_summary)
    if weekly_due is not None:
        planned.append((WEEKLY_JOB, weekly_due))
    for name, due_at in planned:
        job_queue.run_once(
            _scheduled_run_job, when=due_at, name=name, data=due_at, job_kwargs=_RUN_EVEN_IF_LATE
        )
    return [name for name, _ in planned]


on_patterns_changed = reschedule  # the name the shifts feature may call


async def _scheduled_run_job(context: BotContext) -> None:
    """Every schedule job does the same: send what is due, then plan the next ones."""
    application = context.application
    retry = False
    try:
        outcome = await run_due(context.services, context.services.clock.now())
        retry = bool(outcome.failed)
    except Exception:  # the database may be down: try again soon rather than never
        log.exception("scheduler: run failed")
        retry = True
    try:
        await reschedule(application)
    except Exception:
        log.exception("scheduler: could not rebuild the schedule jobs")
        retry = True
    job_queue = application.job_queue
    if retry and job_queue is not None and not job_queue.get_jobs_by_name(RETRY_JOB):
        log.info("scheduler: retrying in %s min", int(RETRY_AFTER.total_seconds() // 60))
        job_queue.run_once(
            _scheduled_run_job, when=RETRY_AFTER, name=RETRY_JOB, job_kwargs=_RUN_EVEN_IF_LATE
        )
