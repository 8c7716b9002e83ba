"""Callback data spelled as strings, for tests and tools that press buttons by their data.

Bot code builds buttons with the codecs (`PersonPress(PersonAction.SHOW, 42).pack()`); these
shorthands say the same in the old words (`person("show", 42)`) and go through the family's
codec, so they can only spell a button the bot would understand.
"""

from __future__ import annotations

from bot.domain.access.roles import Role
from bot.domain.callbacks import (
    admin,
    catalog,
    cctv,
    members,
    reports,
    safeguarding,
    safety,
    street_outreach,
    survey,
)
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
    HOTSPOTS,
    INCIDENT,
    INVITE,
    MEMBERS,
    MENU,
    OUTREACH,
    PERSON,
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
from bot.domain.callbacks.wire import Button, Family, build

FAMILIES: dict[str, Family[Button]] = {
    ACCESS: members.ACCESS_BUTTONS,
    MEMBERS: members.MEMBER_BUTTONS,
    INVITE: members.INVITE_BUTTONS,
    MENU: members.MENU_BUTTONS,
    REPORT: reports.REPORT_BUTTONS,
    QUICK: reports.QUICK_BUTTONS,
    DRAFTS: reports.KEPT_DRAFT_BUTTONS,
    INCIDENT: reports.ALERT_BUTTONS,
    CATEGORIES: catalog.CATEGORY_BUTTONS,
    HOTSPOTS: catalog.HOTSPOT_BUTTONS,
    OUTREACH: street_outreach.CONTACT_BUTTONS,
    PERSON: street_outreach.PERSON_BUTTONS,
    REFERRAL: street_outreach.REFERRAL_BUTTONS,
    ROUGH_SLEEPER: street_outreach.SIGHTING_BUTTONS,
    ERASE: street_outreach.ERASE_BUTTONS,
    SHIFTS: admin.SHIFT_BUTTONS,
    DUTY: admin.DUTY_BUTTONS,
    AUDIT: admin.AUDIT_BUTTONS,
    STATS: admin.STATS_BUTTONS,
    SHOW: reports.SHOW_BUTTONS,
    SURVEY: survey.SURVEY_BUTTONS,
    CLOSE: reports.CLOSE_BUTTONS,
    CCTV_REQUEST: cctv.CCTV_REQUEST_BUTTONS,
    CCTV_ANSWER: cctv.CCTV_ANSWER_BUTTONS,
    SAFETY: safety.SAFETY_BUTTONS,
    SAFEGUARDING: safeguarding.CONCERN_BUTTONS,
}


def spell(prefix: str, action: str, *args: object) -> str:
    """`prefix:action:args…`, checked by the family's codec (ValueError if it would not read)."""
    data = build(prefix, action, *args)
    if FAMILIES[prefix].unpack(data) is None:
        raise ValueError(f"{data!r} is not a button the bot would understand")
    return data


def reject(member_id: int) -> str:
    return spell(ACCESS, "no", member_id)


def members_page(page: int) -> str:
    return spell(MEMBERS, "list", page)


def new_invite(role: Role) -> str:
    return spell(INVITE, "new", role.value)


def menu(action: str) -> str:
    return spell(MENU, action)


def report_button(action: str, draft_id: str, arg: object | None = None) -> str:
    return spell(REPORT, action, draft_id, *(() if arg is None else (arg,)))


def quick_button(action: str, draft_id: str) -> str:
    return spell(QUICK, action, draft_id)


def kept_draft(action: str, draft_id: str) -> str:
    return spell(DRAFTS, action, draft_id)


def cctv_request(report_id: int) -> str:
    return spell(CCTV_REQUEST, "new", report_id)


def cctv_answer(action: str, request_id: int) -> str:
    return spell(CCTV_ANSWER, action, request_id)


def incident_ack(report_id: int) -> str:
    return spell(INCIDENT, "ack", report_id)


def categories_page(page: int) -> str:
    return spell(CATEGORIES, "list", page)


def hotspots_page(page: int) -> str:
    return spell(HOTSPOTS, "list", page)


def outreach(action: str, *args: object) -> str:
    return spell(OUTREACH, action, *args)


def person(action: str, person_id: int, *args: object) -> str:
    return spell(PERSON, action, person_id, *args)


def referral(action: str, referral_id: int | None = None) -> str:
    return spell(REFERRAL, action, *(() if referral_id is None else (referral_id,)))


def rough_sleeper(action: str, *args: object) -> str:
    return spell(ROUGH_SLEEPER, action, *args)


def erase(action: str, person_id: int | None = None) -> str:
    return spell(ERASE, action, *(() if person_id is None else (person_id,)))


def shifts_list() -> str:
    return spell(SHIFTS, "list")


def duty_location(session_id: int) -> str:
    return spell(DUTY, "loc", session_id)


def audit_page(page: int) -> str:
    return spell(AUDIT, "p", page)


def audit_action(term: str, page: int = 0) -> str:
    return spell(AUDIT, "a", term, page)


def stats_period(period: str) -> str:
    return spell(STATS, "p", period)


def close_code(report_id: int, code: str) -> str:
    return spell(CLOSE, "o", report_id, code)
