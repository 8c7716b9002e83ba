"""Callback data: short prefixed strings carrying ids, built and parsed only here.

Format `prefix:action[:arg…]`, always under Telegram's 64-byte limit. Each prefix needs
one permission; the access gate reads PREFIX_PERMISSIONS before any feature sees a press.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.incidents import AckKind
from bot.domain.roles import Permission, Role

MAX_BYTES = 64

ACCESS = "acc"  # an access request: approve as a role, or reject
MEMBERS = "mem"  # member management
INVITE = "inv"  # choose the role of a new invite
MENU = "menu"  # main menu buttons
REPORT = "rep"  # the guided /report flow
QUICK = "qr"  # a quick report's proposal: confirm or change
INCIDENT = "inc"  # an urgent alert: acknowledge / attending
CATEGORIES = "cat"  # admins: report categories
HOTSPOTS = "hot"  # admins: hotspots
OUTREACH = "out"  # outreach: the /contact flow
PERSON = "per"  # outreach: a person's record, edits and merges
REFERRAL = "ref"  # outreach: the referral queue
ROUGH_SLEEPER = "rs"  # any member: "Rough sleeper seen"
ERASE = "era"  # admins: erase a person on request
SHIFTS = "shf"  # admins: shift patterns
DUTY = "dut"  # any member: their duty (add a location)
AUDIT = "aud"  # admins: pages of the audit log
STATS = "sta"  # coordinators: /stats period buttons

PREFIX_PERMISSIONS: dict[str, Permission] = {
    ACCESS: Permission.ADMIN,
    MEMBERS: Permission.ADMIN,
    INVITE: Permission.INVITE,
    MENU: Permission.MEMBER,
    REPORT: Permission.MEMBER,
    QUICK: Permission.MEMBER,
    INCIDENT: Permission.MEMBER,
    CATEGORIES: Permission.ADMIN,
    HOTSPOTS: Permission.ADMIN,
    OUTREACH: Permission.OUTREACH,
    PERSON: Permission.OUTREACH,
    REFERRAL: Permission.OUTREACH,
    ROUGH_SLEEPER: Permission.MEMBER,
    ERASE: Permission.ADMIN,
    SHIFTS: Permission.ADMIN,
    DUTY: Permission.MEMBER,
    AUDIT: Permission.ADMIN,
    STATS: Permission.COORDINATE,
}


# Ids and page numbers fit PostgreSQL's integer; a forged button's 20-digit number must not
# reach the database (SQLite refuses integers over 64 bits, PostgreSQL over its column type).
MAX_INT_ARG = 2**31 - 1


def small_int(text: str | None) -> int | None:
    """An id or page number from callback data; None for anything else or out of range."""
    if text is None or not text.isascii():
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return value if -MAX_INT_ARG <= value <= MAX_INT_ARG else None


@dataclass(frozen=True)
class Callback:
    prefix: str
    action: str
    args: tuple[str, ...] = ()

    def int_arg(self, index: int = 0) -> int | None:
        try:
            return small_int(self.args[index])
        except IndexError:
            return None

    def role_arg(self, index: int) -> Role | None:
        try:
            return Role(self.args[index])
        except (IndexError, ValueError):
            return None


def build(prefix: str, action: str, *args: object) -> str:
    data = ":".join([prefix, action, *(str(a) for a in args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def parse(data: str | None) -> Callback | None:
    """None for anything that is not ours (forged, truncated or from an old version)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] not in PREFIX_PERMISSIONS or not parts[1]:
        return None
    return Callback(parts[0], parts[1], tuple(parts[2:]))


def pattern(prefix: str) -> str:
    return f"^{prefix}:"


# Builders, so handlers never spell the format out.
def approve(member_id: int, role: Role) -> str:
    return build(ACCESS, "ok", member_id, role.value)


def reject(member_id: int) -> str:
    return build(ACCESS, "no", member_id)


def members_page(page: int) -> str:
    return build(MEMBERS, "list", page)


def member_card(member_id: int) -> str:
    return build(MEMBERS, "card", member_id)


def member_roles(member_id: int) -> str:
    return build(MEMBERS, "roles", member_id)


def member_set_role(member_id: int, role: Role) -> str:
    return build(MEMBERS, "set", member_id, role.value)


def member_suspend(member_id: int) -> str:
    return build(MEMBERS, "sus", member_id)


def member_reinstate(member_id: int) -> str:
    return build(MEMBERS, "rei", member_id)


def new_invite(role: Role) -> str:
    return build(INVITE, "new", role.value)


def menu(action: str) -> str:
    return build(MENU, action)


# ---- categories and hotspots (admins) ----------------------------------------------------
def categories_page(page: int) -> str:
    return build(CATEGORIES, "list", page)


def category_add() -> str:
    return build(CATEGORIES, "add")


def category_action(action: str, category_id: int) -> str:
    """action: show, ren, kw, urg, ret, res (see handlers.categories)."""
    return build(CATEGORIES, action, category_id)


def hotspots_page(page: int) -> str:
    return build(HOTSPOTS, "list", page)


def hotspot_add() -> str:
    return build(HOTSPOTS, "add")


def hotspot_action(action: str, hotspot_id: int) -> str:
    """action: show, ren, rad, ali, rm, rmok (see handlers.hotspots)."""
    return build(HOTSPOTS, action, hotspot_id)


# ---- urgent alerts (Delivery): inc:ack:<report>, inc:att:<report>, inc:no:<report> -----
_INCIDENT_ACK_ACTIONS = {"ack": AckKind.ACKNOWLEDGED, "att": AckKind.ATTENDING}
INCIDENT_NOT_ATTENDING = "no"


def incident_not_attending(report_id: int) -> str:
    """ "Not attending any more": undoes the member's Attending."""
    return build(INCIDENT, INCIDENT_NOT_ATTENDING, report_id)


def incident_withdrawal(parsed: Callback) -> int | None:
    """The report of a "Not attending any more" button; None for anything else."""
    report_id = parsed.int_arg(0)
    if parsed.prefix != INCIDENT or parsed.action != INCIDENT_NOT_ATTENDING:
        return None
    if report_id is None or report_id <= 0 or len(parsed.args) != 1:
        return None
    return report_id


def incident_ack(report_id: int) -> str:
    return build(INCIDENT, "ack", report_id)


def incident_attending(report_id: int) -> str:
    return build(INCIDENT, "att", report_id)


def incident_response(parsed: Callback) -> tuple[AckKind, int] | None:
    """(how they responded, report id) of an alert button; None for anything garbled."""
    kind = _INCIDENT_ACK_ACTIONS.get(parsed.action)
    report_id = parsed.int_arg(0)
    if parsed.prefix != INCIDENT or kind is None or report_id is None or report_id <= 0:
        return None
    return kind, report_id


# ---- incident reports: rep:<action>:<draft>[:<arg>] and qr:<action>:<draft> ------------
# Every button carries the draft's short random id, so a button of an older draft is
# recognised and changes nothing.
@dataclass(frozen=True)
class DraftButton:
    prefix: str  # REPORT or QUICK
    action: str
    draft_id: str
    arg: str | None = None


def report_button(action: str, draft_id: str, arg: object | None = None) -> str:
    """rep:cat / hot / go / ppl / urg / ok / edit / ed / sum / x (see handlers.reports)."""
    return build(REPORT, action, draft_id) if arg is None else build(REPORT, action, draft_id, arg)


def quick_button(action: str, draft_id: str) -> str:
    """qr:ok / cat / place / x: a quick report's proposal."""
    return build(QUICK, action, draft_id)


def draft_button(parsed: Callback) -> DraftButton | None:
    """The parts of a report or quick-report button; None for anything garbled."""
    if parsed.prefix not in (REPORT, QUICK) or not parsed.args or len(parsed.args) > 2:
        return None
    draft_id = parsed.args[0]
    if not draft_id or not draft_id.isalnum():
        return None
    arg = parsed.args[1] if len(parsed.args) > 1 else None
    return DraftButton(parsed.prefix, parsed.action, draft_id, arg)


# ---- outreach: out:<step>[:<arg>], per:<action>:<person>[:<arg>], ref:<action>:<referral>,
# rs:<step>[:<arg>], era:<action>[:<person>]. Ids and vocabulary slugs only, never text.
def outreach(action: str, *args: object) -> str:
    """out:new / for / pick / newp / anon / same / notsame / age / skip / hot / refplace /
    site / need / needs / act / acts / cons / save / x (see handlers.outreach)."""
    return build(OUTREACH, action, *args)


def person(action: str, person_id: int, *args: object) -> str:
    """per:show / edit / f / age / flag / flags / cons / merge / mrg / mok (handlers.outreach)."""
    return build(PERSON, action, person_id, *args)


def referral(action: str, referral_id: int | None = None) -> str:
    """ref:list / take / log / nf (see handlers.referrals)."""
    return build(REFERRAL, action) if referral_id is None else build(REFERRAL, action, referral_id)


def rough_sleeper(action: str, *args: object) -> str:
    """rs:new / hot / when / skip / ok / x (see handlers.referrals)."""
    return build(ROUGH_SLEEPER, action, *args)


def erase(action: str, person_id: int | None = None) -> str:
    """era:ok:<person> / era:x (see handlers.outreach)."""
    return build(ERASE, action) if person_id is None else build(ERASE, action, person_id)


# ---- audit log (admins): aud:p:<page>, aud:m:<member>:<page>, aud:a:<action term>:<page> --
# The action term is audit vocabulary (`member.`, `export`), checked by bot.domain.audit_view.
def audit_page(page: int) -> str:
    return build(AUDIT, "p", page)


def audit_member(member_id: int, page: int = 0) -> str:
    return build(AUDIT, "m", member_id, page)


def audit_action(term: str, page: int = 0) -> str:
    return build(AUDIT, "a", term, page)


# ---- coordinators' outputs: sta:p:<period> (7d, 30d, quarter; see bot.periods) ------------
def stats_period(period: str) -> str:
    return build(STATS, "p", period)


# ---- shifts (admins) and duty: shf:<action>[:<shift>], dut:loc:<duty session> ------------
def shifts_list() -> str:
    return build(SHIFTS, "list")


def shift_add() -> str:
    return build(SHIFTS, "add")


def shift_action(action: str, shift_id: int) -> str:
    """action: show, ren, days, start, end, rm, rmok (see handlers.shifts)."""
    return build(SHIFTS, action, shift_id)


def duty_location(session_id: int) -> str:
    return build(DUTY, "loc", session_id)


def actions_pattern(prefix: str, *actions: str) -> str:
    """A handler pattern for some actions of one prefix (e.g. a flow's entry buttons)."""
    if prefix not in PREFIX_PERMISSIONS:
        raise KeyError(f"callback prefix {prefix!r} has no entry in bot.callbacks")
    return f"^{prefix}:({'|'.join(actions)})(:|$)"
