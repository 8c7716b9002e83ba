"""Every button family's prefix, and the one permission each needs.

The access gate reads PREFIX_PERMISSIONS before any feature sees a press.
"""

from __future__ import annotations

from bot.domain.access.roles import Permission

ACCESS = "acc"  # an access request: approve as a role, or reject
MEMBERS = "mem"  # member management
INVITE = "inv"  # choose the role of a new invite
MENU = "menu"  # main menu buttons
REPORT = "rep"  # the guided /report flow
QUICK = "qr"  # a quick report's proposal: confirm or change
DRAFTS = "drf"  # report drafts kept aside (/drafts): resume or drop
INCIDENT = "inc"  # an urgent alert: acknowledge / attending
CATEGORIES = "cat"  # admins: report categories
HOTSPOTS = "hot"  # admins: hotspots
OUTREACH = "out"  # outreach: the /contact flow
PERSON = "per"  # outreach: a person's record, edits and merges
REFERRAL = "ref"  # outreach: the referral queue
ROUGH_SLEEPER = "rs"  # patrols (every role but CCTV): "Rough sleeper seen"
ERASE = "era"  # admins: erase a person on request
SHIFTS = "shf"  # admins: shift patterns
DUTY = "dut"  # any member: their duty (add a location)
AUDIT = "aud"  # admins: pages of the audit log
STATS = "sta"  # coordinators: /stats period buttons
SHOW = "shw"  # /show's "More": the next page of a report (who may see it is asked again)
SAFETY = "saf"  # staff safety: alone/paired, check-ins, "Need help", "I'm contacting them"

# The only families whose buttons work in the coordinators' group: an alert's, a safety
# alert's ("I'm contacting them": every other saf button is refused there) and /stats'.
# Every other family opens or changes something private (people, contacts, referrals,
# members, the admin screens) and is refused outside a private chat, whatever data is sent.
GROUP_PREFIXES = frozenset({INCIDENT, STATS, SAFETY})
# Presses the flood gate never holds back, nor counts: answering an alert, filing a
# report, and staff safety ("Need help", a check-in's answer) (bot.domain.access.flood).
NEVER_HELD_BACK = frozenset({INCIDENT, REPORT, QUICK, SAFETY})
SURVEY = "sv"  # anyone, strangers too: the public perception survey
CLOSE = "cls"  # coordinators: the coded outcome of /close
CCTV_REQUEST = "cr"  # a report's reporter or a coordinator: request a CCTV review
CCTV_ANSWER = "cv"  # CCTV operators: answer a review request
SAFEGUARDING = "sg"  # safeguarding leads and admins: concerns (open, acknowledge, action)

PREFIX_PERMISSIONS: dict[str, Permission] = {
    ACCESS: Permission.ADMIN,
    MEMBERS: Permission.ADMIN,
    INVITE: Permission.INVITE,
    MENU: Permission.MEMBER,
    REPORT: Permission.MEMBER,
    QUICK: Permission.MEMBER,
    DRAFTS: Permission.MEMBER,
    INCIDENT: Permission.MEMBER,
    CATEGORIES: Permission.ADMIN,
    HOTSPOTS: Permission.ADMIN,
    OUTREACH: Permission.OUTREACH,
    PERSON: Permission.OUTREACH,
    REFERRAL: Permission.OUTREACH,
    ROUGH_SLEEPER: Permission.PATROL,
    ERASE: Permission.ADMIN,
    SHIFTS: Permission.ADMIN,
    DUTY: Permission.MEMBER,
    AUDIT: Permission.ADMIN,
    STATS: Permission.COORDINATE,
    SHOW: Permission.MEMBER,
    SAFETY: Permission.MEMBER,
    SURVEY: Permission.PUBLIC,
    CLOSE: Permission.COORDINATE,
    # Any member's button, then the handler asks: the report's reporter or a coordinator
    # (or an admin), never a CCTV operator (they answer requests, they do not make them).
    CCTV_REQUEST: Permission.MEMBER,
    CCTV_ANSWER: Permission.CCTV,
    SAFEGUARDING: Permission.SAFEGUARD,
}
