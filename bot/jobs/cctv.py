"""CCTV review requests: their copies as operators (and, on the ladder, coordinators) read
them, and the ladder an unanswered request climbs.

Every 30 seconds, with the alerts' ladder (bot.jobs.escalation), open requests nobody
answered get the step they have reached, once: after TCAG_CCTV_ANSWER_MINUTES every CCTV
operator again, after twice that the coordinators and admins. Each step is claimed in the
schedule ledger in the transaction that queues its copies (storage.alerts.cctv), so it goes
out once across restarts and with two instances; a step overdue behind a later one (the bot
was down) is recorded as skipped.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.context import Services
from bot.domain.alerts.cctv import cctv_ladder, due_steps
from bot.domain.alerts.escalation import escalation_plan
from bot.domain.reports.incidents import description_shown
from bot.jobs.scheduler import default_instance
from bot.keyboards import cctv as cctv_keyboards
from bot.texts import cctv as cctv_texts
from bot.texts import common as common_texts
from storage.alerts.cctv import CctvRequestView, CopyRenderer

log = logging.getLogger(__name__)

# A request whose whole ladder ended this long ago is no longer looked at.
LOOK_BACK_AFTER_LADDER = timedelta(days=1)


def window_words(view: CctvRequestView, tz: ZoneInfo) -> tuple[str, str, str]:
    """(start, end, day) of the request's window in local time."""
    request = view.request
    return (
        common_texts.local_time(request.window_start, tz),
        common_texts.local_time(request.window_end, tz),
        request.window_start.astimezone(tz).strftime("%a %d %b"),
    )


def request_facts(view: CctvRequestView, tz: ZoneInfo) -> str:
    start, end, day = window_words(view, tz)
    shown = description_shown(sensitive=view.category.sensitive)
    return cctv_texts.request_facts(
        report_ref=view.report_ref,
        category=view.category.name,
        place=view.place,
        start=start,
        end=end,
        day=day,
        requester=view.requester.name if view.requester else None,
        description=view.report.description if shown else None,
        withheld=not shown and bool(view.report.description),
    )


def copy_renderer(tz: ZoneInfo, answer_minutes: int) -> CopyRenderer:
    """How a copy of a request reads, at step 0 (the request) or a ladder step."""
    ladder = {step.number: step.minutes for step in cctv_ladder(answer_minutes)}

    def render(view: CctvRequestView, step: int, operator: bool) -> tuple[str, str | None]:
        heading = cctv_texts.copy_heading(view.ref, step, ladder.get(step, 0), operator=operator)
        text = f"{heading}\n{request_facts(view, tz)}"
        markup = cctv_keyboards.answer_keyboard(view.request.id or 0) if operator else None
        return text, cctv_keyboards.as_json(markup)

    return render


def answered_text(view: CctvRequestView, tz: ZoneInfo) -> str:
    """Every copy once answered: the facts and who answered what, no buttons."""
    request = view.request
    assert request.answer is not None and request.answered_at is not None
    heading = cctv_texts.copy_heading(view.ref, 0, 0, operator=True)
    answered = cctv_texts.answered_line(
        view.answered_by.name if view.answered_by else None,
        common_texts.local_time(request.answered_at, tz),
        request.answer,
    )
    return f"{heading}\n{request_facts(view, tz)}\n{answered}"


async def escalate_cctv_requests(services: Services, *, instance: str | None = None) -> int:
    """Send each unanswered request's due step of its ladder, once; how many went."""
    settings, requests, clock = services.settings, services.store.cctv, services.clock
    ladder = cctv_ladder(settings.cctv_answer_minutes)
    now = clock.now()
    candidates = await requests.unanswered(
        made_after=now - ladder[-1].after - LOOK_BACK_AFTER_LADDER, older_than=ladder[0].after
    )
    render = copy_renderer(settings.tz, settings.cctv_answer_minutes)
    claimant = instance or default_instance()
    sent = 0
    for request_id, made_at, recorded in candidates:
        step, skipped = escalation_plan(due_steps(ladder, now - made_at), recorded)
        for missed in skipped:
            await requests.escalate(
                request_id, missed, claimed_by=claimant, render=render, send=False
            )
        if step is not None and await requests.escalate(
            request_id, step, claimed_by=claimant, render=render
        ):
            sent += 1
    if sent:
        log.info("escalated %s unanswered CCTV review request(s)", sent)
        services.outbox_wakeup.set()
    return sent
