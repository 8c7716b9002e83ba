"""Joining, the menu and /help, invites and members: what a newcomer and an admin read."""

from __future__ import annotations

from bot.domain.access.commands import CommandSpec
from bot.domain.access.roles import Role, Status
from bot.texts.common import IF_LIFE_AT_RISK, esc

# ---- joining --------------------------------------------------------------------------
REQUEST_SENT = (
    "Thanks, {name}. Your request to join has gone to the admins.\n"
    "I'll message you here as soon as they decide."
)
REQUEST_NO_ADMINS = (
    "Thanks, {name}. Your request to join is recorded, but no admin is set up yet.\n"
    "Please ask your coordinator to approve you."
)
REQUEST_STILL_PENDING = (
    "Your request to join is still with the admins. I'll message you here when they decide."
)
REQUEST_WAS_DECLINED = (
    "Your earlier request to join was declined. If you think that is a mistake, "
    "please speak to your coordinator."
)
SUSPENDED = "Your access has been suspended. Please speak to your coordinator or an admin."
INVITE_UNKNOWN = "That invite link isn't valid. Please ask for a new one."
INVITE_USED = "That invite link has already been used. Please ask for a new one."
INVITE_EXPIRED = "That invite link has expired. Please ask for a new one."
INVITE_ALREADY_MEMBER = (
    "You're already a member, so that invite is still unused. Send /help to see what you can do."
)
INVITE_SUSPENDED = (
    "Your access is suspended, so an invite can't reactivate it. "
    "Please ask an admin to reinstate you."
)


def access_request_for_admins(name: str, username: str | None, telegram_id: int) -> str:
    handle = f" (@{esc(username)})" if username else ""
    return (
        f"🙋 <b>Access request</b>\n{esc(name)}{handle}, Telegram id <code>{telegram_id}</code>, "
        "asks to join. Approve them with a role, or reject."
    )


def access_decided(name: str, outcome: str, by: str, at: str) -> str:
    return f"🙋 Access request from {esc(name)}: <b>{esc(outcome)}</b> by {esc(by)} at {at}."


def access_already_decided(name: str, status: Status) -> str:
    return f"{esc(name)}'s request was already decided: now {status.value}."


def welcome(name: str, role: Role) -> str:
    return (
        f"Welcome, {esc(name)}. You're in as <b>{esc(role.label)}</b>.\n"
        "Send /help to see what you can do."
    )


def you_were_rejected() -> str:
    return (
        "Sorry, your request to join was not approved. "
        "If you think that is a mistake, please speak to your coordinator."
    )


def joined_for_inviter(name: str, role: Role) -> str:
    return f"✅ {esc(name)} joined as {esc(role.label)} with your invite."


# ---- menu and help ---------------------------------------------------------------------
def main_menu(name: str, role: Role, is_admin: bool) -> str:
    admin = " · admin" if is_admin else ""
    return f"Hello, {esc(name)} ({esc(role.label)}{admin}). What do you need?"


def help_text(specs: list[CommandSpec]) -> str:
    lines = ["<b>What you can use</b>"]
    for spec in specs:
        usage = spec.usage or f"/{spec.name}"
        lines.append(f"{esc(usage)} — {esc(spec.description)}")
    lines.append("")
    lines.append(IF_LIFE_AT_RISK)
    return "\n".join(lines)


# ---- invites ---------------------------------------------------------------------------
def invite_choose_role(roles: list[Role]) -> str:
    names = ", ".join(r.value for r in roles)
    return f"Who are you inviting? Choose a role ({esc(names)})."


def invite_unknown_role(text: str, roles: list[Role]) -> str:
    names = ", ".join(r.value for r in roles)
    return f"I don't know the role “{esc(text[:40])}”. Roles you can invite: {esc(names)}."


def invite_role_not_allowed(role: Role, roles: list[Role]) -> str:
    names = ", ".join(r.value for r in roles)
    return (
        f"You can't invite a {esc(role.value)}. Roles you can invite: {esc(names)}. "
        "Ask an admin for others."
    )


def invite_created(role: Role, link: str, expires: str) -> str:
    return (
        f"✉️ Invite to join as <b>{esc(role.label)}</b>:\n{esc(link)}\n\n"
        f"It works once and expires {esc(expires)}. Send it privately to the person joining."
    )


# ---- members ---------------------------------------------------------------------------
STATUS_ICONS = {
    Status.ACTIVE: "🟢",
    Status.PENDING: "⏳",
    Status.SUSPENDED: "⛔",
    Status.REJECTED: "✖️",
}


def members_header(total: int, page: int, pages: int) -> str:
    return f"<b>Members</b> ({total}) — page {page + 1} of {pages}. Tap one to manage them."


def member_button(name: str, role: Role, status: Status, is_admin: bool) -> str:
    admin = " ★" if is_admin else ""
    return f"{STATUS_ICONS[status]} {name[:30]} · {role.value}{admin}"


def member_card(
    name: str,
    username: str | None,
    role: Role,
    status: Status,
    is_admin: bool,
    since: str,
    *,
    lead: bool = False,
) -> str:
    handle = f" (@{esc(username)})" if username else ""
    admin = "\nAdmin: yes" if is_admin else ""
    if lead:
        admin += "\nSafeguarding lead: yes"
    return (
        f"<b>{esc(name)}</b>{handle}\nRole: {esc(role.label)}\nStatus: {STATUS_ICONS[status]} "
        f"{esc(status.value)}{admin}\nMember since: {esc(since)}"
    )


MEMBER_NOT_FOUND = "That member no longer exists."
CHOOSE_ROLE = "Choose the new role:"
CANT_SUSPEND_SELF = "You can't suspend yourself."
MEMBER_CHANGED_ELSEWHERE = "Nothing changed: someone else may have just changed this member."


def role_changed_for_member(role: Role) -> str:
    return f"Your role is now <b>{esc(role.label)}</b>. Send /help to see what you can do."


SUSPENDED_FOR_MEMBER = "Your access has been suspended by an admin."
REINSTATED_FOR_MEMBER = "Your access has been restored. Send /help to see what you can do."


def admin_action_done(what: str, name: str) -> str:
    return f"{esc(what)}: {esc(name)}."


# ---- invites checked when used, capped and revocable (/invites) -------------------------
INVITE_REVOKED = (
    "That invite link was withdrawn by the person who made it. Please ask for a new one."
)
INVITE_WITHDRAWN = (
    "That invite link is no longer valid: the person who made it can't invite for that role "
    "any more. Please ask an admin for a new one."
)


def too_many_open_invites(limit: int) -> str:
    return (
        f"You have {limit} invites open already. Send /invites to withdraw one you no longer "
        "need, or wait for one to be used or to expire."
    )


INVITES_NONE = "You have no open invites. /invite makes one."


def invites_list(lines: list[str]) -> str:
    return "✉️ <b>Your open invites</b> (tap one to withdraw it):\n" + "\n".join(lines)


def invite_line(number: int, role: Role, made: str, expires: str) -> str:
    return f"{number}. {esc(role.label)}, made {esc(made)}, expires {esc(expires)}"


def invite_button_label(number: int, role: Role) -> str:
    return f"Withdraw {number}: {role.label}"


def invite_revoked_done(role: Role) -> str:
    return f"Withdrawn: the {esc(role.label)} invite no longer works."


INVITE_NOT_OPEN = "That invite is no longer open (used, withdrawn or expired)."

# ---- access ends with the role; names as joined; the flood gate -------------------------
FLOWS_ENDED_ROLE_CHANGED = (
    "Your role or access has changed, so what you were doing has been stopped and its "
    "draft deleted."
)
STEP_NO_LONGER_ALLOWED = (
    "What you were doing has been stopped (your role or access changed) and its draft "
    "deleted. /help shows what you can do now."
)
MEMBER_RENAME_BUTTON = "✏️ Rename"
MEMBER_ASK_NAME = "Send the name colleagues should see for this member (up to 128 characters)."


def member_renamed(name: str) -> str:
    return f"Renamed: colleagues now see <b>{esc(name)}</b>."


def flood_notice(resumes_at: str) -> str:
    # Plain and short: it may be the only thing this member hears for a minute.
    return (
        "You're sending messages faster than I can keep up with, so I'll ignore them until "
        f"{esc(resumes_at)}. Alert buttons still work. If life is at risk, call 999 or use "
        "the radio."
    )
