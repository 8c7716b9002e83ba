"""Telegram glue, one module per feature. `all_handlers()` gives them in order."""

from __future__ import annotations

from handlers import access, duty, incidents, outreach, reports, safeguarding, start
from handlers.admin import audit, categories, hotspots, invites, members, shifts
from handlers.alerts import cctv, safety
from handlers.alerts import presses as alerts
from handlers.outreach import referrals, sighting
from handlers.partnership import actions, coordinator, survey
from handlers.registry import Handler

FEATURE_GROUP = 0


def all_handlers() -> list[tuple[int, Handler]]:
    """(group, handler) pairs: the access gate first, features next, fallbacks last."""
    features: list[Handler] = [
        # A live location's updates (edited messages, the only edits the access gate lets
        # through) go to this one handler, before anything that could read a location.
        duty.live_location_handler(),
        # Admin flows awaiting a typed answer or a location come first: while an admin is
        # in one, their /cancel, text and shared location belong to it (no one else's).
        *categories.handlers(),
        *hotspots.handlers(),
        *shifts.handlers(),  # /shifts: patterns, typed names, days and times
        *duty.handlers(),  # /on, /off, /duty; a location for one's duty when asked
        *safety.handlers(),  # /sos, /checkins, /checkinrole; check-ins and safety alerts
        # Outreach flows (contact, edits, merges: one conversation; rough sleeper seen):
        # their typed answers and locations must reach them, not the quick report below.
        *outreach.handlers(),  # /contact, /person, /people, /erase
        *referrals.handlers(),  # /referrals and the referral buttons
        *sighting.handlers(),  # /roughsleeper: Rough sleeper seen
        *start.handlers(),
        *invites.handlers(),
        *members.handlers(),
        *audit.handlers(),
        # /concerns and a concern's buttons; the lead's note is typed next (before the
        # quick report below takes any text).
        *safeguarding.handlers(),
        *coordinator.handlers(),  # /brief, /digest, /stats, /export, /quarter
        *survey.handlers(),  # /survey; the public survey's buttons (anyone may press)
        *actions.handlers(),  # /action: partnership actions
        *alerts.handlers(),
        # CCTV review requests: asking, and the operators' answers (a typed footage
        # reference must reach it, not the quick report below).
        *cctv.handlers(),
        *incidents.handlers(),  # before handlers.reports: photo replies to a report
        # Reports take any plain text, location, photo or voice note nothing above took
        # (the guided /report flow and quick reports: one conversation).
        *reports.handlers(),
        *start.fallbacks(),
    ]
    return [
        *access.handlers(),
        *((FEATURE_GROUP, h) for h in features),
        *safety.late_handlers(),  # any message or press from a lone worker is a check-in
    ]
