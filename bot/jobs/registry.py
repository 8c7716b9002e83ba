"""Every repeating job the bot runs besides the shift schedule, registered once by name."""

from __future__ import annotations

from telegram.ext import Application

from bot.jobs import draft_expiry, duty_close, escalation, retention, staff_safety


def schedule_jobs(application: Application) -> None:  # type: ignore[type-arg]
    """Escalation, staff safety (check-ins, "Need help" repeats), draft expiry, duty
    auto-close and the nightly retention purge."""
    for job in (escalation, staff_safety, draft_expiry, duty_close, retention):
        job.schedule(application)
