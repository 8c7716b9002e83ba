"""Callback data: short prefixed strings carrying ids, built and read only through here.

Format `prefix:action[:arg…]`, always under Telegram's 64-byte limit (bot.domain.callbacks
.wire). Each prefix is one button family with one permission (`prefixes`); the access gate
reads PREFIX_PERMISSIONS before any feature sees a press. Each family's buttons are typed
codecs, one module per group of families:

- members: access requests (acc), member management (mem), invites (inv), the menu (menu);
- reports: the guided report (rep), quick reports (qr), urgent alerts (inc), drafts kept
  aside (drf);
- catalog: categories (cat) and hotspots (hot);
- street_outreach: contacts (out), people (per), referrals (ref), "Rough sleeper seen" (rs),
  erasure (era);
- reports also: the coded outcome of /close (cls);
- admin: shift patterns (shf), duty (dut), the audit log (aud), /stats (sta);
- survey: the public perception survey (sv), the one family strangers may press;
- cctv: a CCTV review request being made (cr) and an operator's answer to one (cv).
- safety: staff safety (saf): alone or paired, check-ins, "Need help", acknowledging.
- safeguarding: safeguarding concerns (sg), for the leads and the admins.

Handlers read a press with its family (`PERSON_BUTTONS.unpack(query.data)`) and match on
the typed value; keyboards build with the codecs (`PersonPress(...).pack()`).
"""

from __future__ import annotations

from bot.domain.callbacks.prefixes import (
    ACCESS,
    AUDIT,
    CATEGORIES,
    CCTV_ANSWER,
    CCTV_REQUEST,
    CLOSE,
    DRAFTS,
    DUTY,
    ERASE,
    GROUP_PREFIXES,
    HOTSPOTS,
    INCIDENT,
    INVITE,
    MEMBERS,
    MENU,
    NEVER_HELD_BACK,
    OUTREACH,
    PERSON,
    PREFIX_PERMISSIONS,
    QUICK,
    REFERRAL,
    REPORT,
    ROUGH_SLEEPER,
    SAFEGUARDING,
    SAFETY,
    SHIFTS,
    SHOW,
    STATS,
    SURVEY,
)
from bot.domain.callbacks.shorthand import (
    audit_action,
    audit_page,
    categories_page,
    cctv_answer,
    cctv_request,
    close_code,
    duty_location,
    erase,
    hotspots_page,
    incident_ack,
    kept_draft,
    members_page,
    menu,
    new_invite,
    outreach,
    person,
    quick_button,
    referral,
    reject,
    report_button,
    rough_sleeper,
    shifts_list,
    stats_period,
)
from bot.domain.callbacks.wire import MAX_BYTES, MAX_INT_ARG, Callback, build, small_int, split


def parse(data: str | None) -> Callback | None:
    """The parts of any of our buttons; None for anything that is not ours."""
    return split(data, PREFIX_PERMISSIONS)


def pattern(prefix: str) -> str:
    """A handler pattern for every button of one family."""
    if prefix not in PREFIX_PERMISSIONS:
        raise KeyError(f"callback prefix {prefix!r} has no entry in bot.domain.callbacks")
    return f"^{prefix}:"


__all__ = [
    "ACCESS",
    "AUDIT",
    "CATEGORIES",
    "CCTV_ANSWER",
    "CCTV_REQUEST",
    "CLOSE",
    "DRAFTS",
    "DUTY",
    "ERASE",
    "GROUP_PREFIXES",
    "HOTSPOTS",
    "INCIDENT",
    "INVITE",
    "MAX_BYTES",
    "MAX_INT_ARG",
    "MEMBERS",
    "MENU",
    "NEVER_HELD_BACK",
    "OUTREACH",
    "PERSON",
    "PREFIX_PERMISSIONS",
    "QUICK",
    "REFERRAL",
    "REPORT",
    "ROUGH_SLEEPER",
    "SAFEGUARDING",
    "SAFETY",
    "SHIFTS",
    "SHOW",
    "STATS",
    "SURVEY",
    "Callback",
    "audit_action",
    "audit_page",
    "build",
    "categories_page",
    "cctv_answer",
    "cctv_request",
    "close_code",
    "duty_location",
    "erase",
    "hotspots_page",
    "incident_ack",
    "kept_draft",
    "members_page",
    "menu",
    "new_invite",
    "outreach",
    "parse",
    "pattern",
    "person",
    "quick_button",
    "referral",
    "reject",
    "report_button",
    "rough_sleeper",
    "shifts_list",
    "small_int",
    "stats_period",
]
