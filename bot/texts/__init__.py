"""Every user-facing string. HTML parse mode: every piece of user text goes through esc()."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.commands import CommandSpec
from bot.domain.outreach import (
    ACTION_LABELS,
    FLAG_LABELS,
    NEED_LABELS,
    SLEEPING_SITE_LABELS,
    Action,
    ContactEntry,
    MergeEntry,
    Need,
    PersonFacts,
    SleepingSite,
    Timeline,
)
from bot.domain.report_draft import ReportDraft
from bot.domain.roles import Role, Status


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def local_time(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%H:%M")


def local_datetime(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%a %d %b %H:%M")


NOT_A_MEMBER = (
    "This bot is for members of the town centre action group only.\nTo ask for access, send /start."
)
IF_LIFE_AT_RISK = (
    "If life is at risk, call 999 or use the radio: this bot is not an emergency service."
)
PRIVATE_ONLY = "Please use /{command} in a private chat with me."
NOT_ALLOWED_COMMAND = "/{command} is not available for your role. /help lists what you can use."
NOT_ALLOWED_BUTTON = "That button is not available for your role."
STALE_BUTTON = "That button no longer works. Send /start for the menu."
UNKNOWN_COMMAND = "I don't know that command. /help lists what you can use."
NOT_UNDERSTOOD = "I didn't understand that. /help lists what I can do."
CANCELLED = "Nothing to cancel. /help lists what I can do."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. The admins have been told; please try again."
)

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
    name: str, username: str | None, role: Role, status: Status, is_admin: bool, since: str
) -> str:
    handle = f" (@{esc(username)})" if username else ""
    admin = "\nAdmin: yes" if is_admin else ""
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


# ---- errors for admins -----------------------------------------------------------------
def error_report(error_type: str, where: str, update_kind: str, update_id: int | None) -> str:
    ref = f" (update {update_id})" if update_id is not None else ""
    return (
        f"⚠️ <b>Bot error</b>: {esc(error_type)} while handling a {esc(update_kind)}{ref} "
        f"in {esc(where)}. Details are in the server log."
    )


EDITS_NOT_READ = "I don't read edited messages. Please send it again as a new message."


# ---- incidents after the fact: /mine, /show, /update, /close, /open --------------------
MINE_EMPTY = "You haven't filed any reports yet. Send /report to file one."
MINE_HINT = "/show R-12 for one in full."
SHOW_USAGE = "Please give a reference, like /show R-12."
UPDATE_USAGE = "Please give a reference and what's new, like /update R-12 Two more have arrived."
CLOSE_USAGE = "Please give a reference and the outcome, like /close R-12 Group moved on."
ONLY_OWN_TO_SEE = "You can only see your own reports."
ONLY_OWN_TO_UPDATE = "You can only update your own reports."
NO_OPEN_URGENT = "No open urgent incidents."
PHOTO_WHICH_REPORT = (
    "That message mentions more than one report. Please reply with the photo to the "
    "confirmation of the report it belongs to."
)


def report_not_found(ref: str) -> str:
    return f"I can't find {esc(ref)}."


def update_text_missing(ref: str) -> str:
    return f"Please add what's new after the reference, like /update {esc(ref)} Two more arrived."


def close_outcome_missing(ref: str) -> str:
    return f"Please add the outcome after the reference, like /close {esc(ref)} Group moved on."


def text_too_long(length: int, limit: int) -> str:
    return (
        f"That's too long: please keep it to {limit} characters (yours has {length}). "
        "Nothing was stored."
    )


def note_added(ref: str) -> str:
    return f"Added to {esc(ref)}."


def photo_added(ref: str) -> str:
    return f"📷 Photo added to {esc(ref)}."


def closed_cannot_update(ref: str) -> str:
    return f"{esc(ref)} is closed; ask a coordinator if something new happened."


def report_closed(ref: str, outcome: str) -> str:
    return f"{esc(ref)} closed: {esc(outcome)}"


def report_already_closed(ref: str, at: str, by: str | None) -> str:
    return f"{esc(ref)} was already closed at {esc(at)} by {esc(by or 'a former member')}."


def report_closed_for_reporter(ref: str, by: str, outcome: str) -> str:
    return f"Your report {esc(ref)} was closed by {esc(by)}: {esc(outcome)}"


def age(minutes: int) -> str:
    """How long ago, for a list read at a glance: '42 min ago', '2 h 05 min ago'."""
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {mins:02d} min ago"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h ago"


def acknowledgement(
    attending: bool | None, by: str | None, at: str | None, *, full: bool = False
) -> str:
    """'not acknowledged' (attending None) / 'acknowledged by X at 22:14' / 'attending: X'."""
    if attending is None:
        return "⚠️ not acknowledged" if full else "not acknowledged"
    who = esc(by or "a former member")
    if attending:
        return f"attending: {who} (since {esc(at or '?')})" if full else f"attending: {who}"
    return f"acknowledged by {who} at {esc(at or '?')}"


def report_status(closed: bool, ack: str | None) -> str:
    """'open', 'open, acknowledged by X at 22:14' or 'closed'."""
    if closed:
        return "closed"
    return f"open, {ack}" if ack else "open"


def attachments_summary(kinds: list[str]) -> str:
    """'2 photos, 1 voice note' from each attachment's kind; '' for none."""
    names = {"photo": ("photo", "photos"), "voice": ("voice note", "voice notes")}
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    parts = []
    for kind, count in counts.items():
        one, many = names.get(kind, ("file", "files"))
        parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts)


def mine_header(count: int) -> str:
    noun = "report" if count == 1 else f"{count} reports"
    return f"<b>Your last {noun}</b>, newest first:"


def mine_line(ref: str, when: str, category: str, place: str, urgent: bool, status: str) -> str:
    mark = " 🚨" if urgent else ""
    return f"<b>{esc(ref)}</b>{mark} · {esc(when)} · {esc(category)} · {esc(place)} · {status}"


def open_header(count: int) -> str:
    return f"🚨 <b>Open urgent incidents</b> ({count}), oldest first:"


def open_line(ref: str, age_text: str, category: str, place: str, ack: str, acked: bool) -> str:
    mark = "✅" if acked else "⚠️"
    return f"{mark} {esc(age_text)} · {esc(category)} · {esc(place)} · <b>{esc(ref)}</b> · {ack}"


def report_details(
    *,
    ref: str,
    filed_at: str,
    reporter: str | None,
    category: str,
    place: str,
    outside_area: bool,
    people_count: str | None,
    urgent: bool,
    description: str | None,
    attachments: str,
    notes: list[tuple[str, str]],
    acknowledgement: str | None,
    closed: bool,
    closed_at: str | None,
    closed_by: str | None,
    outcome: str | None,
) -> str:
    """One report in full. Every line stands alone, so a long one splits cleanly."""
    outside = " (outside the area)" if outside_area else ""
    lines = [
        f"<b>{esc(ref)}</b>{' 🚨 urgent' if urgent else ''}",
        f"Filed: {esc(filed_at)}" + (f" by {esc(reporter)}" if reporter else ""),
        f"Category: {esc(category)}",
        f"Place: {esc(place)}{outside}",
        f"People involved: {esc(people_count or 'not given')}",
        f"What happened: {esc(description) if description else 'not described'}",
        f"Attachments: {esc(attachments or 'none')}",
    ]
    if notes:
        lines.append(f"<b>Updates</b> ({len(notes)}):")
        lines.extend(f"• {esc(when)}: {esc(text)}" for when, text in notes)
    if acknowledgement is not None:
        lines.append(f"Response: {acknowledgement}")
    if closed:
        by = f" by {esc(closed_by)}" if closed_by else ""
        lines.append(f"Status: <b>closed</b> {esc(closed_at or '')}{by}")
        lines.append(f"Outcome: {esc(outcome or 'not recorded')}")
    else:
        lines.append("Status: <b>open</b>")
    return "\n".join(lines)


def photo_caption(ref: str, number: int, total: int) -> str:
    return f"{esc(ref)}: photo {number} of {total}"


# ---- categories and hotspots (admins) ----------------------------------------------------
def notice_and(notice: str, text: str) -> str:
    """A one-line outcome (already HTML) above a card."""
    return f"{notice}\n\n{text}"


def problem(text: str, *, in_flow: bool = True) -> str:
    """A plain-text problem with the input; in a flow, how to go on."""
    return f"{esc(text)}\nPlease try again, or /cancel." if in_flow else esc(text)


EDIT_CANCELLED = "Stopped: nothing was changed."
EDIT_EXPIRED = "That change was already finished or stopped. Use the buttons again."


def edit_interrupted(command: str) -> str:
    return (
        f"I've stopped the change you were making (nothing was saved). "
        f"Please send /{esc(command)} again."
    )


TYPE_THE_ANSWER = "Please type your answer as a message, or /cancel."

CATEGORY_NOT_FOUND = "That category no longer exists."
CATEGORY_NAME_TAKEN = "Another category already has that name (perhaps a retired one)."
CATEGORY_LAST_ACTIVE = "That is the last active category: reports need at least one."
CATEGORIES_USAGE = (
    "Use /categories to see and change them, or <code>/categories add Name of category</code> "
    "to add one."
)
CATEGORY_ASK_NAME = "What should the new category be called? (2–60 characters, or /cancel)"


def categories_header(active: int, retired: int, page: int, pages: int) -> str:
    parts = [f"<b>Report categories</b>: {active} active"]
    if retired:
        parts.append(f", {retired} retired")
    if pages > 1:
        parts.append(f" — page {page + 1} of {pages}")
    parts.append(".\n⚠️ = urgent by default. Tap one to change it.")
    return "".join(parts)


def category_button(name: str, urgent: bool, retired: bool) -> str:
    if retired:
        return f"🗄 {name} (retired)"
    return f"⚠️ {name}" if urgent else name


def category_card(
    name: str, keywords: tuple[str, ...], urgent: bool, retired_since: str | None
) -> str:
    words = (
        f"<code>{esc(', '.join(keywords))}</code>"
        if keywords
        else "none (quick reports won't suggest it)"
    )
    status = f"retired since {esc(retired_since)}" if retired_since else "active"
    return (
        f"<b>{esc(name)}</b>{' ⚠️' if urgent else ''}\n"
        f"Keywords: {words}\n"
        f"Urgent by default: {'yes' if urgent else 'no'}\n"
        f"Status: {status}"
    )


def category_added(name: str) -> str:
    return f"✅ Category added: <b>{esc(name)}</b>. Add keywords so quick reports can find it."


def category_ask_rename(name: str) -> str:
    return f"What should “{esc(name)}” be called now? (2–60 characters, or /cancel)"


def category_ask_keywords(name: str, keywords: tuple[str, ...]) -> str:
    current = f"<code>{esc(', '.join(keywords))}</code>" if keywords else "none"
    return (
        f"Keywords for <b>{esc(name)}</b>: words people use in a message that suggest it.\n"
        f"Now: {current}\n\n"
        "Send the new list separated by commas (tap the list above to copy it), "
        "<code>+ word, word</code> to add to it, <code>-</code> for none, or /cancel."
    )


def change_saved(what: str) -> str:
    return f"✅ {esc(what)}."


HOTSPOT_NOT_FOUND = "That hotspot no longer exists."
HOTSPOT_NAME_TAKEN = "Another hotspot (perhaps a removed one) already has that name."
HOTSPOT_ASK_LOCATION = "Send me the location of the new hotspot (📎 → Location), or /cancel"
HOTSPOT_NEED_LOCATION = (
    "Please share a location (📎 → Location), or type coordinates like "
    "<code>52.6012, -1.1034</code>; or /cancel."
)
HOTSPOT_ASK_NAME = "What is it called? (2–80 characters, or /cancel)"
NO_HOTSPOTS = "No hotspots yet. Add the places you patrol, so reports can name them."


def hotspots_header(
    hotspots: list[tuple[str, float, int]], total: int, page: int, pages: int
) -> str:
    """hotspots: (name, radius in m, number of aliases) for this page."""
    if not total:
        return NO_HOTSPOTS
    where = f" — page {page + 1} of {pages}" if pages > 1 else ""
    lines = [f"<b>Hotspots</b> ({total}){where}. Tap one to change it."]
    for name, radius_m, alias_count in hotspots:
        aliases = f", {alias_count} alias{'es' if alias_count != 1 else ''}" if alias_count else ""
        lines.append(f"• {esc(name)} — {radius_m:g} m{aliases}")
    return "\n".join(lines)


def hotspot_card(
    name: str, lat: float, lon: float, radius_m: float, aliases: tuple[str, ...]
) -> str:
    alias_text = f"<code>{esc(', '.join(aliases))}</code>" if aliases else "none"
    return (
        f"📍 <b>{esc(name)}</b>\n"
        f"Centre: <code>{lat:.6f}, {lon:.6f}</code>\n"
        f"Radius: {radius_m:g} m\n"
        f"Also called: {alias_text}"
    )


def hotspot_added(name: str, radius_m: float) -> str:
    return (
        f"✅ Hotspot added: <b>{esc(name)}</b>, radius {radius_m:g} m. Set its radius or the "
        "other names people use for it:"
    )


def hotspot_ask_rename(name: str) -> str:
    return f"What should “{esc(name)}” be called now? (2–80 characters, or /cancel)"


def hotspot_ask_radius(name: str, radius_m: float) -> str:
    return (
        f"How far around its centre counts as <b>{esc(name)}</b>? Now {radius_m:g} m.\n"
        "Send a number of metres (10–5000), or /cancel."
    )


def hotspot_ask_aliases(name: str, aliases: tuple[str, ...]) -> str:
    current = f"<code>{esc(', '.join(aliases))}</code>" if aliases else "none"
    return (
        f"Other names people use for <b>{esc(name)}</b> (e.g. “the fountain”).\nNow: {current}\n\n"
        "Send them separated by commas, <code>+ name, name</code> to add, "
        "<code>-</code> for none, or /cancel."
    )


def hotspot_confirm_remove(name: str) -> str:
    return (
        f"Remove <b>{esc(name)}</b>? Old reports keep it; new reports can't choose it. "
        "Adding a hotspot with the same name later brings it back."
    )


def hotspot_removed(name: str) -> str:
    return f"🗑 Removed {name[:60]}."  # a callback answer: plain text


# ---- urgent alerts, escalations and their delivery (Delivery) --------------------------
# The description goes into every copy, the coordinators' group included: patrols need to
# know what they are walking into, and it describes an incident, not a person's record.
# It is cut to ALERT_DESCRIPTION_LIMIT characters (before escaping, so no entity is split)
# to keep an alert readable on a phone; /show has the rest.
ALERT_DESCRIPTION_LIMIT = 300
ALERT_UNKNOWN = "That alert is no longer available."


def _people(count: str | None) -> str:
    return "1 person" if count == "1" else f"{count} people"


def alert_facts(
    *,
    reference: str,
    category: str,
    place: str,
    at: str,
    people_count: str | None,
    reporter: str | None,
    reporter_role: Role | None,
    description: str | None,
) -> str:
    """What every copy of an alert says, whoever gets it and whatever its state."""
    when = f"🕒 {esc(at)}" + (f" · 👥 {esc(_people(people_count))}" if people_count else "")
    if reporter is not None and reporter_role is not None:
        who = f"Reported by {esc(reporter)} ({esc(reporter_role.label)})"
    else:
        who = "Reported by a former member"
    lines = [f"<b>{esc(category)}</b> · {esc(reference)}", f"📍 {esc(place)}", when, who]
    if description:
        cut = description[:ALERT_DESCRIPTION_LIMIT]
        more = "…" if len(description) > ALERT_DESCRIPTION_LIMIT else ""
        lines.append(f"“{esc(cut)}{more}”")
    return "\n".join(lines)


def urgent_alert(facts: str) -> str:
    return f"🚨 <b>Urgent incident</b>\n{facts}\n\n{IF_LIFE_AT_RISK}"


def escalated_alert(facts: str, minutes: int) -> str:
    return f"⚠️ <b>Not yet acknowledged after {minutes} minutes</b>\n{facts}\n\n{IF_LIFE_AT_RISK}"


def acknowledged_alert(facts: str, by: str | None, at: str, attending: bool) -> str:
    how = " (attending)" if attending else ""
    who = esc(by or "a former member")
    return f"✅ <b>Acknowledged by {who} at {esc(at)}</b>{how}\n{facts}\n\n{IF_LIFE_AT_RISK}"


# Callback answers are plain text (no HTML), at most 200 characters.
def you_acknowledged(reference: str, attending: bool) -> str:
    how = " as attending" if attending else ""
    return f"Thanks — you acknowledged {reference}{how}. Everyone alerted can see it."


def already_acknowledged(by: str | None, at: str) -> str:
    return f"Already acknowledged by {(by or 'a former member')[:100]} at {at}"


def member_unreachable(name: str, role: Role, reference: str) -> str:
    # Name and role only: an ops notice never carries the report's text.
    return (
        f"⚠️ {esc(name)} ({esc(role.label)}) cannot be reached by the bot (blocked or never "
        f"started it); alert {esc(reference)} was not delivered to them."
    )


def group_unreachable(reference: str) -> str:
    return (
        "⚠️ The coordinators' group cannot be reached by the bot (was it removed from the "
        f"group?); alert {esc(reference)} was not delivered there."
    )


# ---- incident reports: /report and quick reports (handlers.reports) -----------------------
REPORT_CANCELLED = "Report cancelled. Nothing was saved."
DRAFT_EXPIRED = "That draft has expired or was already sent. Send /report to start again."
# Callback answers: plain text, at most 200 characters.
REPORT_OLD_BUTTON = "That button belongs to an earlier step. Please use the latest message."
REPORT_HOTSPOT_GONE = "That hotspot is no longer in use. Please choose another place."
REPORT_NOTHING_TO_CONTINUE = "Please type what happened first, or attach a photo."
REPORT_CATEGORY_GONE = "That category is no longer in use. Please choose another."
REPORT_USE_BUTTONS = "Please answer with the buttons above, or send /cancel to stop."
REPORT_TYPE_ANSWER = "Please type your answer (or use the buttons above), or send /cancel to stop."
REPORT_NO_CATEGORIES = "No report categories are set up yet. Please ask an admin."
REPORT_START = "📝 <b>New report</b>\nWhat is it about?"
REPORT_CHOOSE_CATEGORY = "📂 <b>Choose the category:</b>"
REPORT_PHOTO_START = "📷 Got it: let's make a report of it.\nWhat is it about?"
REPORT_VOICE_START = "🎙 Got it: let's make a report of it.\nWhat is it about?"
QUICK_NOTHING_MATCHED = (
    "I couldn't tell what kind of report that is. Choose a category to report it, or Cancel."
)
REPORT_WHERE = (
    "📍 <b>Where is it?</b>\nShare your location with the button below, or type the place."
)
REPORT_PICK_HOTSPOT = "Or choose a hotspot:"
REPORT_TYPE_PLACE = "Type the place: a street, a shop or a landmark (up to 200 characters)."
REPORT_PEOPLE = "👥 <b>How many people are involved?</b>\nChoose, or type a number."
PEOPLE_NOT_A_NUMBER = "Please choose with the buttons or type a number."
REPORT_EDIT_WHICH = "✏️ What do you want to change?"
REPORT_TOO_MANY_ATTACHMENTS = (
    "That's as many photos and voice notes as one report can take (10). "
    "Type what happened, or press Continue."
)
_ATTACHMENT_NAMES = {"photo": ("📷 Photo", "photo"), "voice": ("🎙 Voice note", "voice note")}


def report_place(draft: ReportDraft) -> str:
    """The place as the reporter will recognise it (already escaped)."""
    if draft.hotspot_name:
        place = esc(draft.hotspot_name)
    elif draft.place_text:
        place = esc(draft.place_text)
    elif draft.lat is not None and draft.lon is not None:
        place = f"shared location {draft.lat:.5f}, {draft.lon:.5f}"
    else:
        place = "not given"
    return place + (" (outside the area)" if draft.outside_area else "")


def report_at_place(draft: ReportDraft) -> str:
    return f"📍 Report at <b>{report_place(draft)}</b>.\nWhat is it about?"


def category_chosen(name: str) -> str:
    return f"📂 Category: <b>{esc(name)}</b>"


def place_chosen(draft: ReportDraft) -> str:
    return f"📍 Place: <b>{report_place(draft)}</b>"


def report_what(*, has_attachments: bool, editing: bool) -> str:
    replaces = " It replaces what you wrote before." if editing else ""
    more = (
        "\nSend more photos or voice notes, or press Continue."
        if has_attachments
        else "\nYou can also send photos or voice notes."
    )
    return (
        "📝 <b>What happened?</b>\nType a short description (up to 4000 characters)."
        f"{replaces}{more}"
    )


def attached(kind: str, count: int) -> str:
    label = _ATTACHMENT_NAMES.get(kind, ("📎 File", "file"))[0]
    return f"{label} attached ({count}). Send more, or type what happened."


def description_too_long(length: int) -> str:
    return (
        f"That's {length} characters, and a report can take 4000. Please shorten it and send "
        "it again: nothing else has changed."
    )


def quick_too_long(length: int) -> str:
    return (
        f"That message has {length} characters, more than a report can take (4000), so "
        "nothing was stored. Please send a shorter one, or use /report."
    )


def place_too_long(length: int) -> str:
    return f"That's {length} characters: please keep the place to 200."


def report_urgent(category_name: str | None, preset: bool) -> str:
    default = "urgent" if preset else "not urgent"
    of = f" for {esc(category_name)}" if category_name else ""
    return (
        "⚠️ <b>Is it urgent?</b>\nUrgent reports alert colleagues on duty and the "
        f"coordinators at once. Preset{of}: <b>{default}</b>."
    )


def people_chosen(band: str | None) -> str:
    return f"👥 People involved: <b>{esc(band or 'not given')}</b>"


def urgent_chosen(urgent: bool) -> str:
    return "⚠️ <b>Urgent</b>" if urgent else "Not urgent"


def _attachments_line(draft: ReportDraft) -> str:
    counts = draft.attachment_counts()
    parts = []
    for kind, count in counts.items():
        name = _ATTACHMENT_NAMES.get(kind, ("", "file"))[1]
        parts.append(f"{count} {name}{'s' if count > 1 else ''}")
    return ", ".join(parts)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def report_summary(draft: ReportDraft) -> str:
    """What the reporter confirms; kept well under Telegram's 4096 characters."""
    lines = [
        "<b>Check your report</b>",
        f"📂 Category: {esc(draft.category_name or 'not chosen')}",
        f"📍 Place: {report_place(draft)}",
        f"📝 What happened: {esc(_short(draft.description, 1500)) if draft.description else '—'}",
    ]
    attachments = _attachments_line(draft)
    if attachments:
        lines.append(f"📎 Attached: {attachments}")
    lines.append(f"👥 People involved: {esc(draft.people_count or 'not given')}")
    if draft.urgent:
        lines.append("⚠️ <b>Urgent</b>: the alert goes out when you confirm")
    else:
        lines.append("Not urgent")
    return "\n".join(lines)


def quick_proposal(draft: ReportDraft) -> str:
    place = f" at {report_place(draft)}" if draft.has_place else ""
    lines = [f"🔎 <b>{esc(draft.category_name or '')}{place}?</b>"]
    if not draft.has_place:
        lines.append("I didn't recognise a place: use Change place to add one.")
    if draft.attachments:
        lines.append(f"📎 Attached: {_attachments_line(draft)}")
    if draft.urgent:
        lines.append(
            "⚠️ This category is urgent: colleagues on duty and the coordinators are "
            "alerted when you confirm."
        )
    lines.append("Confirm to store it, or change what I got wrong.")
    return "\n".join(lines)


def report_stored(reference: str, at: str, *, urgent: bool) -> str:
    text = f"✅ Report {esc(reference)} stored at {esc(at)}."
    if urgent:
        text += "\nAlert sent to colleagues on duty and the coordinators.\n\n" + IF_LIFE_AT_RISK
    return text


def draft_expired_notice(minutes: int) -> str:
    return (
        f"Your draft report expired after {minutes} minutes without an answer, so nothing was "
        "saved. Send /report to start again."
    )


# ---- outreach: contacts, people, referrals, erasure (handlers.outreach, handlers.referrals) --
OUT_NOTES_SHOWN = 200  # characters of a contact's notes shown in a timeline
OUT_TIMELINE_EVENTS = 8


def out_ago(age: timedelta) -> str:
    """'40 min', '5 h', '2 d 3 h': how long a referral has waited."""
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, days = minutes // 60, minutes // (60 * 24)
    if days == 0:
        return f"{hours} h"
    rest = hours - days * 24
    return f"{days} d {rest} h" if rest else f"{days} d"


def _out_short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def person_hit_line(number: int, person: PersonFacts, tz: ZoneInfo) -> str:
    """One search hit: what tells two people with similar aliases apart."""
    looks = esc(_out_short(person.appearance, 80)) if person.appearance else "<i>no description</i>"
    seen = local_datetime(person.last_seen, tz)
    return (
        f"{number}. <b>{esc(person.alias)}</b> · {esc(person.age_band.label)} · {looks} · "
        f"last seen {esc(seen)}"
    )


def _hit_lines(people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return "\n".join(person_hit_line(i, p, tz) for i, p in enumerate(people, start=1))


def person_button(number: int, person: PersonFacts) -> str:
    return f"{number}. {_out_short(person.alias, 40)} ({person.age_band.label})"


OUT_CANCELLED = "Stopped. Nothing was saved."
OUT_OLD_BUTTON = "That button belongs to an earlier step or contact. Please use the latest message."
OUT_USE_BUTTONS = "Please answer with the buttons above, or send /cancel to stop."
OUT_FLOW_FINISHED = "That step is already finished. Send /contact to log a contact."
OUT_EXPIRED = (
    "That was left unfinished for over an hour, so I dropped it (nothing was saved). "
    "Please send your message again."
)


def out_interrupted(command: str) -> str:
    return (
        f"I've stopped what you were doing (nothing was saved). Please send /{esc(command)} again."
    )


CONTACT_START = (
    "🤝 <b>New contact</b>\nWho did you meet? Type their alias or street name to search, "
    "or choose below."
)
OUT_ALIAS_EMPTY = "The alias can't be empty. Please type the name they go by."


def out_alias_too_long(length: int) -> str:
    return f"That alias is {length} characters long; the limit is 60. Please shorten it."


def contact_hits(query: str, people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return (
        f"People matching “{esc(_out_short(query, 60))}”:\n{_hit_lines(people, tz)}\n\n"
        "Choose one, type another spelling, or add a new person."
    )


def contact_no_hits(query: str) -> str:
    return (
        f"No one matches “{esc(_out_short(query, 60))}”. "
        "Type another spelling, or add them as a new person."
    )


CONTACT_ASK_ALIAS = (
    "➕ <b>New person</b>\nWhat alias or street name do they go by? (up to 60 characters)"
)


def contact_same_person(alias: str, people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return (
        f"❓ <b>Is this the same person?</b>\nYou typed “{esc(alias)}”. Already known:\n"
        f"{_hit_lines(people, tz)}"
    )


def contact_ask_age(alias: str) -> str:
    return f"Age band of <b>{esc(alias)}</b>?"


CONTACT_ASK_APPEARANCE = (
    "👤 What do they look like? Clothes, build, hair: what helps colleagues recognise them "
    "(up to 200 characters). Or skip."
)


def out_text_too_long(length: int, limit: int) -> str:
    return f"That is {length} characters long; the limit is {limit}. Please shorten it."


def contact_where(referral_place: str | None) -> str:
    hint = f"\nThe referral was at {esc(referral_place)}." if referral_place else ""
    return (
        "📍 <b>Where did you meet?</b>\nChoose a hotspot, type the place, or send your "
        f"location (📎 → Location).{hint}"
    )


OUT_LOCATION_BAD = "That location doesn't look right. Please choose a hotspot or type the place."
CONTACT_SITE = "🛏 <b>Sleeping site?</b>"
CONTACT_NEEDS = "🧾 <b>Needs</b>: choose all that apply, then Done."
CONTACT_ACTIONS = "➡️ <b>Actions and referrals</b>: choose all that apply, then Done."


def _consent_now(consent: bool | None, at: datetime | None, tz: ZoneInfo) -> str:
    if consent is None:
        return "not asked yet"
    when = f" (recorded {local_datetime(at, tz)})" if at else ""
    return ("yes" if consent else "no") + when


def contact_consent(alias: str, consent: bool | None, at: datetime | None, tz: ZoneInfo) -> str:
    return (
        f"🤝 Does <b>{esc(alias)}</b> consent to their details being shared with partner "
        f"agencies?\nRecorded now: {esc(_consent_now(consent, at, tz))}."
    )


CONTACT_NOTES = "📝 Any notes? Type them (up to 2000 characters), or skip."


def _labels(values: Sequence[StrEnum], labels: Mapping[Any, str]) -> str:
    return ", ".join(labels[v] for v in values) if values else "none"


def contact_summary(
    *,
    who: str | None,
    new_person: bool,
    place: str,
    site: SleepingSite | None,
    needs: Sequence[Need],
    actions: Sequence[Action],
    consent: bool | None,
    notes: str | None,
    referral_id: int | None,
) -> str:
    person = "anonymous" if who is None else esc(who) + (" (new)" if new_person else "")
    lines = [
        "🤝 <b>Check the contact</b>",
        f"Person: <b>{person}</b>",
        f"Place: {esc(place)}",
        f"Sleeping site: {esc(SLEEPING_SITE_LABELS[site]) if site else 'not given'}",
        f"Needs: {esc(_labels(needs, NEED_LABELS))}",
        f"Actions: {esc(_labels(actions, ACTION_LABELS))}",
    ]
    if who is not None and consent is not None:
        lines.append(f"Consent to share: {'yes' if consent else 'no'}")
    if notes:
        lines.append(f"Notes: {esc(_out_short(notes, 500))}")
    if referral_id is not None:
        lines.append(f"Closes referral #{referral_id}")
    return "\n".join(lines)


def contact_saved(who: str | None, at: str, referral_id: int | None, closed: bool) -> str:
    person = f"with <b>{esc(who)}</b>" if who else "(anonymous)"
    text = f"✅ Contact {person} saved at {esc(at)}."
    if referral_id is not None:
        text += (
            f"\nReferral #{referral_id} is closed and the reporter has been told."
            if closed
            else f"\nReferral #{referral_id} was already closed."
        )
    return text


def person_gone(merged_into: str | None) -> str:
    if merged_into is not None:
        return (
            f"That record was merged into <b>{esc(merged_into)}</b>. "
            f"Send /person {esc(merged_into)} to see it."
        )
    return "That person's record no longer exists: it was erased."


# /person, /people -------------------------------------------------------------------
PERSON_USAGE = "Send /person and the alias, e.g. <code>/person Johnny</code>"
PEOPLE_NONE = "No one has been recorded yet. /contact logs the first contact."


def person_no_hits(query: str) -> str:
    return (
        f"No one matches “{esc(_out_short(query, 60))}”. Check the spelling, or see /people "
        "for everyone seen recently."
    )


def person_choose(query: str, people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return (
        f"People matching “{esc(_out_short(query, 60))}”:\n{_hit_lines(people, tz)}\n\n"
        "Choose one to see their history."
    )


def people_recent(people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return f"👥 <b>Seen recently</b>\n{_hit_lines(people, tz)}\n\nChoose one to see their history."


def _contact_lines(entry: ContactEntry, tz: ZoneInfo) -> list[str]:
    site = f" ({SLEEPING_SITE_LABELS[entry.site].lower()})" if entry.site else ""
    worker = f" · {esc(entry.worker)}" if entry.worker else ""
    lines = [f"• {esc(local_datetime(entry.at, tz))}: {esc(entry.place)}{esc(site)}{worker}"]
    details = []
    if entry.needs:
        details.append(f"needs {esc(_labels(entry.needs, NEED_LABELS))}")
    if entry.actions:
        details.append(f"actions {esc(_labels(entry.actions, ACTION_LABELS))}")
    if entry.referral_id is not None:
        details.append(f"referral #{entry.referral_id}")
    if details:
        lines.append("   " + "; ".join(details))
    if entry.notes:
        lines.append(f"   <i>{esc(_out_short(entry.notes, OUT_NOTES_SHOWN))}</i>")
    return lines


def person_timeline(
    person: PersonFacts,
    timeline: Timeline,
    referrals: Sequence[tuple[int, str, str]],  # (id, place, status) of answered referrals
    tz: ZoneInfo,
    notice: str | None = None,
) -> str:
    """A person's record and history, newest first, fitted under Telegram's limit."""
    head = [f"👤 <b>{esc(person.alias)}</b> · {esc(person.age_band.label)}"]
    if person.gender:
        head[0] += f" · {esc(person.gender)}"
    if person.flags:
        head.append("⚠️ " + esc(_labels(person.flags, FLAG_LABELS)))
    head.append(f"Looks: {esc(person.appearance) if person.appearance else '<i>not described</i>'}")
    if person.usual_sites:
        head.append(f"Usual sites: {esc(person.usual_sites)}")
    head.append(f"Consent to share: {esc(_consent_now(person.consent, person.consent_at, tz))}")
    if person.legal_name:
        head.append(f"Legal name: {esc(person.legal_name)}")
    head.append(
        f"First seen {esc(local_datetime(person.first_seen, tz))} · "
        f"last seen {esc(local_datetime(person.last_seen, tz))} · "
        f"{len(timeline.contacts)} contact{'s' if len(timeline.contacts) != 1 else ''}"
    )
    if timeline.needs:
        trend = ", ".join(
            f"{NEED_LABELS[t.need]} ×{t.times} (last {local_datetime(t.last, tz)[:10]})"
            for t in timeline.needs
        )
        head.append(f"Needs over time: {esc(trend)}")
    if referrals:
        head.append(
            "Referrals: " + ", ".join(f"#{i} {esc(place)} ({esc(s)})" for i, place, s in referrals)
        )
    if notice:
        head.insert(0, notice + "\n")

    def render(shown: int) -> str:
        body: list[str] = []
        for event in timeline.events[:shown]:
            if isinstance(event, MergeEntry):
                body.append(
                    f"• {esc(local_datetime(event.at, tz))}: 🔀 record “{esc(event.merged_alias)}”"
                    " merged into this one"
                )
            else:
                body.extend(_contact_lines(event, tz))
        hidden = len(timeline.events) - shown
        if hidden > 0:
            body.append(f"… and {hidden} earlier")
        history = "\n".join(body) if body else "<i>No contacts yet.</i>"
        return "\n".join(head) + "\n\n<b>History</b> (newest first)\n" + history

    shown = min(OUT_TIMELINE_EVENTS, len(timeline.events))
    text = render(shown)
    while len(text) > 4000 and shown > 0:
        shown -= 1
        text = render(shown)
    return text


PERSON_FIELD_LABELS: dict[str, str] = {
    "alias": "Alias",
    "appearance": "Appearance",
    "age_band": "Age band",
    "gender": "Gender",
    "usual_sites": "Usual sites",
    "flags": "Flags",
    "consent": "Consent to share",
    "legal_name": "Legal name",
}
PERSON_FIELD_LIMITS: dict[str, int] = {
    "alias": 60,
    "appearance": 200,
    "gender": 30,
    "usual_sites": 200,
    "legal_name": 120,
}


def person_edit_menu(alias: str) -> str:
    return f"✏️ <b>Edit {esc(alias)}</b>\nWhat do you want to change?"


def person_ask_text(field: str, alias: str, current: str | None) -> str:
    now = f"\nNow: {esc(current)}" if current else ""
    clear = " Send - to clear it." if field != "alias" else ""
    return (
        f"✏️ {esc(PERSON_FIELD_LABELS[field])} of <b>{esc(alias)}</b> "
        f"(up to {PERSON_FIELD_LIMITS[field]} characters).{clear}{now}"
    )


def person_ask_flags(alias: str) -> str:
    return f"⚠️ Flags for <b>{esc(alias)}</b>: choose all that apply, then Done."


def person_ask_consent(alias: str, consent: bool | None, at: datetime | None, tz: ZoneInfo) -> str:
    return contact_consent(alias, consent, at, tz) + (
        "\nSaying no also removes any legal name kept."
    )


def person_edited(field: str) -> str:
    return f"✅ {esc(PERSON_FIELD_LABELS[field])} saved."


PERSON_LEGAL_NAME_NEEDS_CONSENT = (
    "A legal name can only be kept once their consent to share is recorded. "
    "Record consent first (Edit → Consent to share)."
)


def merge_ask(alias: str) -> str:
    return (
        f"🔀 <b>Merge into {esc(alias)}</b>\nType the alias of the other record for the same "
        f"person. Its contacts will move to <b>{esc(alias)}</b>, which is kept."
    )


def merge_choose(keep: str, people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return f"Which record is the same person as <b>{esc(keep)}</b>?\n{_hit_lines(people, tz)}"


def merge_no_hits(query: str) -> str:
    return (
        f"No other record matches “{esc(_out_short(query, 60))}”. "
        "Type another spelling, or /cancel."
    )


def merge_confirm(keep: PersonFacts, other: PersonFacts, other_contacts: int, tz: ZoneInfo) -> str:
    return (
        "🔀 <b>Merge these records?</b>\n"
        f"Keep: {person_hit_line(1, keep, tz)[3:]}\n"
        f"Merge in: {person_hit_line(2, other, tz)[3:]}\n"
        f"{other_contacts} contact{'s' if other_contacts != 1 else ''} will move to "
        f"<b>{esc(keep.alias)}</b>. This can't be undone."
    )


def merged_notice(other: str, moved: int) -> str:
    return f"✅ “{esc(other)}” merged in: {moved} contact{'s' if moved != 1 else ''} moved."


MERGE_SELF = "That is the same record. Choose a different one."

# Referrals -----------------------------------------------------------------------------
REFERRALS_NONE = "📋 No open referrals right now."
REFERRAL_GONE = "That referral no longer exists."


def referrals_header(shown: int, total: int) -> str:
    more = f" (showing the oldest {shown})" if total > shown else ""
    return f"📋 <b>Open referrals: {total}</b>{more}, oldest first."


def referral_card(
    *,
    referral_id: int,
    seen_at: str,
    waiting: str,
    place: str,
    description: str | None,
    reporter: str | None,
    taken_by: str | None,
    taken_at: str | None,
    closed: str | None = None,
) -> str:
    lines = [f"🛏 <b>Referral #{referral_id}</b> · waiting {esc(waiting)}"]
    lines.append(f"Seen {esc(seen_at)} at <b>{esc(place)}</b>")
    if description:
        lines.append(f"“{esc(_out_short(description, 500))}”")
    if reporter:
        lines.append(f"Reported by {esc(reporter)}")
    if taken_by:
        lines.append(f"Taken by {esc(taken_by)} at {esc(taken_at or '')}")
    if closed:
        lines.append(f"<b>{esc(closed)}</b>")
    return "\n".join(lines)


REFERRAL_OUTCOME_LABELS = {"contacted": "contact logged", "not_found": "not found"}


def referral_closed_line(outcome: str, by: str | None, at: str) -> str:
    who = f" by {by}" if by else ""
    return f"Closed: {REFERRAL_OUTCOME_LABELS.get(outcome, outcome)}{who} at {at}"


def referral_status(status: str, outcome: str | None) -> str:
    if status == "closed":
        return f"closed: {REFERRAL_OUTCOME_LABELS.get(outcome or '', outcome or '')}"
    return status


def referral_taken_by_you(referral_id: int) -> str:
    return f"Referral #{referral_id} is yours."


def referral_already_taken(name: str | None) -> str:
    return f"Already taken by {name or 'someone else'}."


REFERRAL_ALREADY_CLOSED = "That referral is already closed."


def referral_notice(outcome: str, referral_id: int, seen_at: str) -> str:
    """To the member who reported it: the outcome, never anything about the person (not
    even the place as typed: erasing the person clears it, and this text stays sent)."""
    about = f"the rough sleeper you reported (referral #{referral_id}, seen {esc(seen_at)})"
    if outcome == "contacted":
        return (
            f"🤝 Update on {about}: an outreach worker found them and offered support. Thank you."
        )
    return (
        f"🔎 Update on {about}: outreach went to look but couldn't find anyone there. "
        "If you see them again, please tell us again."
    )


# "Rough sleeper seen" (any member) -----------------------------------------------------
RS_WHERE = (
    "🛏 <b>Rough sleeper seen</b>\nWhere? Choose a hotspot, type the place, or send your "
    "location (📎 → Location)."
)
RS_WHEN = "🕘 When did you see them?"
RS_LOOKS = (
    "👤 What do they look like, so outreach can find them? Clothes, sleeping bag, tent… "
    "(up to 300 characters). Or skip."
)
RS_CANCELLED = "Stopped. Nothing was sent to outreach."
RS_OLD_BUTTON = "That button belongs to an earlier step. Please use the latest message."
RS_FINISHED = "That was already sent or stopped. Send /roughsleeper to flag someone."


def rs_summary(place: str, seen_at: str, looks: str | None) -> str:
    described = esc(looks) if looks else "<i>not described</i>"
    return (
        f"🛏 <b>Rough sleeper seen</b>\nPlace: {esc(place)}\nSeen: {esc(seen_at)}\n"
        f"Looks: {described}\n\nSend to outreach?"
    )


def rs_sent(referral_id: int) -> str:
    return (
        f"✅ Sent to outreach as referral #{referral_id}. I'll tell you what they find.\n"
        f"{IF_LIFE_AT_RISK}"
    )


# Erasure (admins) ------------------------------------------------------------------------
ERASE_USAGE = "Send /erase and the alias, e.g. <code>/erase Johnny</code>"
ERASE_CANCELLED = "Nothing was erased."


def erase_choose(query: str, people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return (
        f"🗑 <b>Erase a person's record</b> matching “{esc(_out_short(query, 60))}”:\n"
        f"{_hit_lines(people, tz)}\n\nThis deletes the record and the notes of every contact "
        "with them, for good; only anonymous counts stay. Press the button of the record to erase."
    )


def erase_button(person: PersonFacts, tz: ZoneInfo) -> str:
    seen = local_datetime(person.last_seen, tz)[:10]
    return f"🗑 Erase {_out_short(person.alias, 30)} · {person.age_band.label} · {seen}"


def person_erased(person_id: int, contacts: int) -> str:
    return (
        f"🗑 Record #{person_id} erased. {contacts} contact{'s' if contacts != 1 else ''} "
        "kept as anonymous counts only."
    )


# ---- briefings, digests and summaries (bot.digest_content assembles them) ------------------
# These go to the coordinators' group: counts, categories, hotspots, references, times and
# member names only, never a report's text or anything about an outreach client.
DAY_FORMAT = "%a %d %b"  # Fri 27 Nov
SENT_LATE = " <i>(sent late)</i>"
BY_CATEGORY_HEADING = "<b>By category</b>"
TOP_HOTSPOTS_HEADING = "📍 <b>Top hotspots</b>"
NOT_AT_A_HOTSPOT = "not at a hotspot"
URGENT_HEADING = "🚨 <b>Urgent incidents</b>"
URGENT_SINCE_HEADING = "🚨 <b>Urgent incidents since then</b>"
NO_URGENT = "None."
NOTES_HEADING = "📝 <b>Coordinators' notes</b>"
NO_NOTES = "📝 No briefing notes. Coordinators add them with /brief add …"
NOBODY_ON_DUTY = "👮 Nobody is on duty yet."
OUTREACH_HEADING = "🤝 <b>Outreach</b>"
STAFF_HEADING = "⏱ <b>Staff on duty</b>"
LAST_WEEK = "last week"
FOUR_WEEK_AVERAGE = "4-week average"
UNKNOWN_CATEGORY = "Unknown category"
# Chart texts are drawn by matplotlib: plain text, not HTML.
CHART_HOUR_AXIS = "Hour (local time)"
CHART_DAY_AXIS = "Day"
CHART_WEEK_AXIS = "Week starting"
CHART_COUNT_AXIS = "Incidents"
CHART_NO_INCIDENTS = "No incidents in this period"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def duration(span: timedelta) -> str:
    """A length of time read at a glance: 'under 1 min', '3 min', '1 h 05 min', '2 d 3 h'."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "under 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {mins:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def time_span(start: str, end: str) -> str:
    return f"{start}–{end}"


def date_span(first: str, last: str) -> str:
    return first if first == last else f"{first} – {last}"


def and_more(count: int) -> str:
    return f"… and {count} more"


def _heading(icon: str, title: str, span: str | None, late: bool) -> str:
    line = f"{icon} <b>{title}</b>{SENT_LATE if late else ''}"
    return f"{line}\n{esc(span)}" if span else line


def briefing_heading(shift: str | None, span: str | None, *, late: bool) -> str:
    title = f"Briefing: {esc(shift)}" if shift else "Briefing"
    return _heading("📋", title, span, late)


def digest_heading(shift: str, span: str | None, *, late: bool) -> str:
    return _heading("📊", f"Shift digest: {esc(shift)}", span, late)


def weekly_heading(span: str | None, *, late: bool) -> str:
    return _heading("🗓", "Weekly summary", span, late)


def stats_heading(label: str, span: str | None) -> str:
    return _heading("📈", f"Statistics: {esc(label)}", span, False)


def since_line(since: str, total: int) -> str:
    return f"Since {esc(since)}: <b>{_plural(total, 'report')}</b>."


def _previous(value: float | None, against: str) -> str:
    if value is None:
        return ""
    shown = f"{value:g}" if value == int(value) else f"{value:.1f}"
    return f" ({esc(against)} {shown})"


def total_line(total: int, previous: float | None, against: str) -> str:
    return f"Reports: <b>{total}</b>{_previous(previous, against)}"


def weekly_total_line(total: int, average: float | None, previous: Sequence[int]) -> str:
    if average is None:
        return total_line(total, None, "")
    weeks = ", ".join(str(n) for n in previous)
    shown = f"{average:g}" if average == int(average) else f"{average:.1f}"
    return f"Reports: <b>{total}</b> ({FOUR_WEEK_AVERAGE} {shown}: {weeks})"


def count_line(name: str, count: int, *, italic: bool = False) -> str:
    label = f"<i>{esc(name)}</i>" if italic else esc(name)
    return f"• {label}: {count}"


def comparison_line(name: str, count: int, previous: float | None, against: str) -> str:
    return f"• {esc(name)}: {count}{_previous(previous, against)}"


def urgent_line(
    *,
    reference: str,
    at: str,
    category: str,
    hotspot: str | None,
    acknowledged_by: str | None,
    acknowledged_after: str | None,
    attending: bool,
    escalated: bool,
    closed: bool,
) -> str:
    place = esc(hotspot) if hotspot else f"<i>{NOT_AT_A_HOTSPOT}</i>"
    if acknowledged_after is None:
        state = "⚠️ not acknowledged"
    else:
        verb = "attending" if attending else "acknowledged"
        state = f"{verb}: {esc(acknowledged_by or 'a former member')} after {acknowledged_after}"
    extras = (", escalated" if escalated else "") + (", closed" if closed else ", open")
    return f"• <b>{esc(reference)}</b> {esc(at)} {esc(category)} · {place} · {state}{extras}"


def still_open_heading(count: int) -> str:
    return f"Still open from before ({count}):"


def ack_summary(urgent: int, acknowledged: int, median: str | None, longest: str | None) -> str:
    if urgent == 0:
        return NO_URGENT
    line = f"{_plural(urgent, 'urgent incident')}, {acknowledged} acknowledged"
    if median is not None:
        line += f"; time to acknowledge: median {median}, longest {longest}"
    return line + "."


def open_referrals_line(count: int) -> str:
    return f"🛏 Open rough-sleeper referrals: <b>{count}</b>"


def stale_referrals_heading(count: int, older_than: timedelta) -> str:
    hours = int(older_than.total_seconds() // 3600)
    return f"Waiting more than {hours} h: <b>{count}</b>"


def stale_referral_line(age: str, hotspot: str | None) -> str:
    place = esc(hotspot) if hotspot else f"<i>{NOT_AT_A_HOTSPOT}</i>"
    return f"• waiting {esc(age)} · {place}"


def note_line(note_id: int, text: str, author: str | None, at: str) -> str:
    by = f"{esc(author)}, " if author else ""
    return f"#{note_id} {esc(text)} <i>({by}{esc(at)})</i>"


def on_duty_heading(count: int) -> str:
    return f"👮 <b>On duty</b> ({count})"


def on_duty_line(name: str, role: str, since: str) -> str:
    return f"• {esc(name)}, {esc(role)}, since {esc(since)}"


def outreach_figures(
    *,
    contacts: int,
    anonymous: int,
    new_people: int,
    returners: int,
    referrals_made: int,
    referrals_closed: int,
    open_referrals: int,
) -> str:
    return (
        f"Contacts: {contacts} ({anonymous} anonymous) · new people: {new_people} · "
        f"returners: {returners}\n"
        f"Referrals: {referrals_made} made, {referrals_closed} closed, {open_referrals} open"
    )


def staff_hours_line(hours: float, members: int) -> str:
    return f"{hours:.1f} hours on duty by {_plural(members, 'member')}"


def auto_closed_line(count: int) -> str:
    return f"{_plural(count, 'duty session')} left open and closed automatically"


def still_on_duty_line(count: int) -> str:
    return f"{count} still on duty when this was written"


def chart_hour_label(hour: datetime, tz: ZoneInfo) -> str:
    local = hour.astimezone(tz)
    return local.strftime("%H" if local.minute == 0 else "%H:%M")


def chart_day_label(day: str, weekday: str, *, many: bool) -> str:
    return day if many else f"{weekday} {day}"


def chart_week_label(monday: str) -> str:
    return monday


def hourly_chart_title(shift: str, day: str) -> str:
    return f"Incidents per hour by category: {shift}, {day}"


def daily_chart_title(label: str) -> str:
    return f"Incidents per day by category: {label}"


WEEKLY_CHART_TITLE = "Incidents per week by category: this week and the four before"


def chart_caption(title: str) -> str:
    return f"📊 {esc(title)}"


# ---- audit log (/audit in handlers.audit, `tcag audit` in bot.audit_cli) -------------------
# Rows read as sentences: "Alex Admin changed the role of Olly Officer — warden". Person
# records appear by number only ("person record #12"): the log never holds an alias.
AUDIT_ACTION_WORDS: dict[str, str] = {
    "member.requested": "asked to join",
    "member.approved": "approved",
    "member.rejected": "turned down",
    "member.role_changed": "changed the role of",
    "member.suspended": "suspended",
    "member.reinstated": "reinstated",
    "member.admin_granted": "made an admin:",
    "invite.created": "created",
    "invite.used": "joined with",
    "person.viewed": "viewed",
    "person.listed": "listed",
    "person.edited": "edited",
    "person.merged": "merged a record into",
    "person.erased": "erased",
    "data.exported": "exported",
    "report.generated": "made",
    "retention.purged": "purged data past its retention period",
}
AUDIT_SYSTEM_ACTOR = "System"  # settings, the command line, scheduled jobs
_AUDIT_SUBJECT_WORDS = (
    (re.compile(r"person:(\d+)"), r"person record #\1"),
    (re.compile(r"^people:1$"), "1 person record"),
    (re.compile(r"^people:(\d+)$"), r"\1 person records"),
    (re.compile(r"^invite:(\d+)$"), r"invite #\1"),
)
AUDIT_NAME_SHOWN = 32
AUDIT_SUBJECT_SHOWN = 32
AUDIT_DETAIL_SHOWN = 56
AUDIT_VERB_SHOWN = 40  # 20 lines of at most ~180 characters fit one message


def audit_actor(name: str | None, member_id: int | None) -> str:
    if name:
        return name
    return f"member #{member_id}" if member_id is not None else AUDIT_SYSTEM_ACTOR


def audit_verb(action: str) -> str:
    return AUDIT_ACTION_WORDS.get(action) or action.replace(".", " ").replace("_", " ")


def _audit_words(text: str) -> str:
    for pattern, words in _AUDIT_SUBJECT_WORDS:
        text = pattern.sub(words, text)
    return text


def audit_subject(
    member_name: str | None, member_id: int | None, subject: str | None, *, same_as_actor: bool
) -> str:
    """Whom or what it was done to: a member's name, a record or invite number, or ''."""
    parts = []
    if member_id is not None and not same_as_actor:
        parts.append(member_name or f"member #{member_id}")
    if subject:
        parts.append(_audit_words(subject))
    return " · ".join(parts)


def audit_detail(detail: str | None) -> str:
    return _audit_words(detail) if detail else ""


def audit_parts(
    *,
    actor_name: str | None,
    actor_id: int | None,
    action: str,
    subject_member_name: str | None,
    subject_member_id: int | None,
    subject: str | None,
    detail: str | None,
) -> tuple[str, str, str, str]:
    """(actor, action in words, subject, detail) of one audit row."""
    same = subject_member_id is not None and subject_member_id == actor_id
    return (
        audit_actor(actor_name, actor_id),
        audit_verb(action),
        audit_subject(subject_member_name, subject_member_id, subject, same_as_actor=same),
        audit_detail(detail),
    )


def audit_sentence(actor: str, verb: str, subject: str, detail: str) -> str:
    """The plain sentence (the command line's text format)."""
    sentence = " ".join(part for part in (actor, verb, subject) if part)
    return f"{sentence} — {detail}" if detail else sentence


def _audit_short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_entry(when: str, actor: str, verb: str, subject: str, detail: str) -> str:
    """One line of /audit, short enough that 20 fit in one message."""
    name = esc(_audit_short(actor, AUDIT_NAME_SHOWN))
    line = f"<code>{esc(when)}</code> <b>{name}</b> {esc(_audit_short(verb, AUDIT_VERB_SHOWN))}"
    if subject:
        line += f" {esc(_audit_short(subject, AUDIT_SUBJECT_SHOWN))}"
    if detail:
        line += f" — {esc(_audit_short(detail, AUDIT_DETAIL_SHOWN))}"
    return line


def audit_filter_by_member(name: str) -> str:
    return f"by or about {_audit_short(name, AUDIT_NAME_SHOWN)}"


def audit_filter_by_action(term: str) -> str:
    return f"actions “{term}”"


def audit_page(
    lines: Sequence[str], filtered: str | None, total: int, page: int, pages: int
) -> str:
    where = f" ({esc(filtered)})" if filtered else ""
    if not lines:
        return f"📜 <b>Audit log</b>{where}: no entries."
    entries = "entry" if total == 1 else "entries"
    header = (
        f"📜 <b>Audit log</b>{where}: {total} {entries}, newest first. "
        f"Page {page + 1} of {pages}, times in local time."
    )
    return header + "\n\n" + "\n".join(lines)


def audit_member_button(name: str, username: str | None, role: Role) -> str:
    handle = f" @{username}" if username else ""
    return f"{name[:30]}{handle} · {role.value}"


def audit_which_member(text: str) -> str:
    return f"Several members match “{esc(_audit_short(text, 60))}”. Whose audit entries?"


def audit_no_match(text: str) -> str:
    return (
        f"No member or action matches “{esc(_audit_short(text, 60))}”.\n"
        "Try <code>/audit @username</code>, a Telegram id, part of a name, or an action: "
        "<code>/audit member.</code>, <code>/audit person.</code>, <code>/audit export</code>."
    )


# ---- coordinators' outputs: /brief, /digest, /stats, /export, /quarter (handlers.coordinator)
_GIVEN_SHOWN = 40


def period_problem(problem: str, given: str = "") -> str:
    """Why a period, date or quarter was refused (a bot.periods.PeriodProblem value).

    Plain text, no markup: `tcag report` prints it too. esc() it before sending.
    """
    shown = given if len(given) <= _GIVEN_SHOWN else given[: _GIVEN_SHOWN - 1] + "…"
    return {
        "missing": "Please give a period.",
        "bad_quarter": f"“{shown}” is not a quarter I understand. Write it like 2026Q3 "
        "(or 2026-Q3).",
        "quarter_number": f"“{shown}”: quarters are Q1 to Q4, like 2026Q3.",
        "year_range": f"“{shown}”: please give a year from 2000 to 2100.",
        "bad_date": f"“{shown}” is not a date I understand. Write dates as YYYY-MM-DD, "
        "like 2026-07-01.",
        "from_after_to": "The first day comes after the last one: please give the earlier "
        "date first.",
        "too_long": "That is more than a year: please export at most 366 days at a time.",
        "bad_period": f"“{shown}” is not a period I know.",
        "not_started": f"{shown} hasn't started yet: there is nothing to report.",
    }.get(problem, "Please check the period.")


def refused_period(problem: str, given: str, usage: str) -> str:
    return f"{esc(period_problem(problem, given))}\n{usage}"


BRIEF_USAGE = (
    "<code>/brief</code> shows the notes and the briefing now.\n"
    "<code>/brief add …</code> adds a note to every briefing until it is cleared; "
    "<code>/brief clear 3</code> takes note #3 out."
)
BRIEF_ADD_EMPTY = (
    "Please write the note after /brief add, like "
    "<code>/brief add CCTV at Elmer Square is down tonight</code>."
)
BRIEF_CLEAR_USAGE = (
    "Please give the note's number, like <code>/brief clear 3</code>. "
    "<code>/brief</code> shows the notes with their numbers."
)


def brief_note_added(note_id: int) -> str:
    return (
        f"📝 Note #{note_id} added: it goes into every briefing until someone clears it "
        f"(<code>/brief clear {note_id}</code>)."
    )


def brief_note_too_long(length: int, limit: int) -> str:
    return f"That note is {length} characters long; please keep it to {limit}."


def brief_note_cleared(note_id: int) -> str:
    return f"Note #{note_id} cleared: it is no longer in the briefings."


def brief_note_not_found(note_id: int) -> str:
    return f"There is no note #{note_id} in the briefings (already cleared?). /brief lists them."


DIGEST_NO_SHIFTS = (
    "There are no shift patterns yet, so there is no shift to digest. "
    "Admins set them up with /shifts. <code>/stats 7d</code> shows the last 7 days."
)
STATS_USAGE = (
    "Which period? <code>/stats 7d</code>, <code>/stats 30d</code>, "
    "<code>/stats quarter</code> (this quarter so far) or a past quarter like "
    "<code>/stats 2026Q2</code>."
)
STATS_LAST_7_DAYS = "Last 7 days"
STATS_LAST_30_DAYS = "Last 30 days"
STATS_THIS_QUARTER = "This quarter"

EXPORT_USAGE = (
    "Please give the first and the last day, like "
    "<code>/export 2026-07-01 2026-09-30</code> (at most a year)."
)


def export_caption(what: str, first: str, last: str, rows: int, unit: str) -> str:
    return f"{esc(what)}, {esc(first)} to {esc(last)}: {rows} {esc(unit)}."


EXPORT_REPORTS = "Reports"
EXPORT_OUTREACH = "Outreach counts per day (anonymous)"


def export_done(first: str, last: str, reports: int, days: int) -> str:
    return (
        f"📤 Exported {first} to {last}: {reports} report{'s' if reports != 1 else ''} and "
        f"{days} day{'s' if days != 1 else ''} of outreach counts.\n"
        "The export is recorded in the audit log. The reports file holds incident "
        "descriptions: keep it safe and delete it when you are done."
    )


QUARTER_USAGE = "Please give a quarter, like <code>/quarter 2026Q3</code>."


def quarter_caption(title: str, complete: bool) -> str:
    so_far = "" if complete else " (so far: the quarter is not over)"
    return f"📑 Quarterly partnership report: {esc(title)}{so_far}."


# ---- shifts (admins) and duty (handlers.shifts, handlers.duty) -----------------------------
SHIFTS_NONE = (
    "<b>Shift patterns</b>: none yet.\nAdd the shifts you run: briefings go to the "
    "coordinators' group before each one starts and a digest after it ends."
)
SHIFTS_USAGE = (
    "Use /shifts to see and change the shift patterns, or\n"
    "<code>/shifts add Friday late | fri,sat | 20:00 | 03:00</code> to add one "
    "(name | days | start | end)."
)
SHIFT_NOT_FOUND = "That shift no longer exists."
SHIFT_NAME_TAKEN = "Another shift already has that name."
SHIFT_ASK_NAME = "What is the new shift called? (e.g. <i>Friday late</i>; or /cancel)"
_DAYS_HINT = "e.g. <code>fri,sat</code>, <code>mon-fri</code> or <code>daily</code>"
_TIME_HINT = "24-hour time, e.g. <code>20:00</code>"


def shifts_header(lines: Sequence[str], tz_name: str) -> str:
    """lines: each pattern described, "Friday late: Fri, Sat 20:00–03:00"."""
    if not lines:
        return SHIFTS_NONE
    listed = "\n".join(f"• {esc(line)}" for line in lines)
    return (
        f"<b>Shift patterns</b> ({len(lines)}), times in {esc(tz_name)}:\n{listed}\n\n"
        "Tap one to change or remove it."
    )


def shift_card(
    name: str,
    days: str,
    start: str,
    end: str,
    *,
    crosses_midnight: bool,
    next_shift: str,
    tz_name: str,
) -> str:
    ends = " (ends the next day)" if crosses_midnight else ""
    return (
        f"🕗 <b>{esc(name)}</b>\n"
        f"Days: {esc(days)}\n"
        f"Time: {start}–{end}{ends}, {esc(tz_name)}\n"
        f"Next: {esc(next_shift)}"
    )


def shift_next(starts: str, ends: str, length: timedelta) -> str:
    return f"{starts} to {ends} ({duration(length)})"


def shift_added(name: str) -> str:
    return (
        f"✅ Shift added: <b>{esc(name)}</b>. Its briefing goes to the coordinators' group "
        "before it starts, and its digest after it ends."
    )


def shift_ask_days(name: str) -> str:
    return f"Which days does <b>{esc(name)}</b> start on? {_DAYS_HINT} (or /cancel)"


def shift_ask_start(name: str) -> str:
    return f"What time does <b>{esc(name)}</b> start? {_TIME_HINT} (or /cancel)"


def shift_ask_end(name: str) -> str:
    return (
        f"And what time does <b>{esc(name)}</b> end? {_TIME_HINT}; a time before the start "
        "means the next day (or /cancel)"
    )


def shift_ask_rename(name: str) -> str:
    return f"What should “{esc(name)}” be called now? (or /cancel)"


def shift_ask_new_days(name: str, days: str) -> str:
    return (
        f"Which days should <b>{esc(name)}</b> start on? Now: {esc(days)}.\n"
        f"Send the days, {_DAYS_HINT} (or /cancel)"
    )


def shift_ask_new_time(name: str, which: str, now: str) -> str:
    """which: "start" or "end"."""
    return f"New {which} time for <b>{esc(name)}</b>? Now: {now}.\nSend a {_TIME_HINT} (or /cancel)"


def shift_confirm_remove(name: str) -> str:
    return (
        f"Remove the shift <b>{esc(name)}</b>? Its briefings and digests stop. "
        "Members on duty stay on duty until they send /off."
    )


def shift_removed(name: str) -> str:
    return f"🗑 Removed {name[:60]}."  # a callback answer: plain text


def duty_since(at: datetime, now: datetime, tz: ZoneInfo) -> str:
    """Today's time ("20:05"), or the day and time ("Thu 26 Nov 20:05") for another day."""
    if at.astimezone(tz).date() == now.astimezone(tz).date():
        return local_time(at, tz)
    return local_datetime(at, tz)


def duty_started(since: str, shift: str | None, shift_ends: str | None) -> str:
    if shift is not None and shift_ends is not None:
        during = f" ({esc(shift)}, until {shift_ends})"
        closes = "if you forget, I'll close it 2 hours after the shift ends."
    else:
        during = ""
        closes = "with no shift on, I'll close it after 12 hours if you forget."
    return (
        f"✅ You're on duty since {since}{during}.\n"
        f"Urgent alerts reach you while you're on duty. Send /off when you finish; {closes}"
    )


def duty_already(since: str) -> str:
    return f"You're already on duty since {since}. Send /off when you finish."


def duty_ended(since: str, until: str, length: timedelta) -> str:
    return f"✅ You're off duty. On duty {since}–{until} ({duration(length)}). Thanks!"


NOT_ON_DUTY = "You're not on duty. Send /on when you start."


def duty_closed_automatically(at: str, *, after_shift: bool) -> str:
    why = "2 hours after the shift ended" if after_shift else "12 hours after you went on duty"
    return f"Your duty was closed automatically at {at} ({why}). If you're still working, send /on."


def duty_list(on_duty: Sequence[tuple[str, Role, str]], shifts_now: Sequence[str]) -> str:
    """on_duty: (name, role, since) of each member on duty; shifts_now: "Late until 03:00"."""
    lines = []
    if shifts_now:
        lines.append("🕗 Shift now: " + ", ".join(esc(s) for s in shifts_now))
    if not on_duty:
        lines.append("Nobody is on duty right now.")
        return "\n".join(lines)
    lines.append(f"👮 <b>On duty now</b> ({len(on_duty)})")
    for name, role, since in on_duty:
        lines.append(f"• {esc(name)}, {esc(role.label)}, since {since}")
    return "\n".join(lines)


def shift_until(name: str, ends: str) -> str:
    return f"{name} until {ends}"


DUTY_LOCATION_BUTTON = "📍 Add my location"
DUTY_SEND_LOCATION = "📍 Send my location"
DUTY_NO_LOCATION = "No thanks"
DUTY_ASK_LOCATION = (
    "Tap <b>📍 Send my location</b> below to note where you're starting, or <b>No thanks</b>."
)
DUTY_NEED_LOCATION = "Please tap <b>📍 Send my location</b>, or <b>No thanks</b>."
DUTY_LOCATION_SAVED = "📍 Thanks: your location is noted with your duty."
DUTY_LOCATION_SKIPPED = "OK, no location."
DUTY_NOT_OPEN = "That duty has ended. Send /on to go on duty."


# ---- fuzzing fixes (issue 7): answers to input no real client sends ---------------------
LOCATION_NOT_A_POINT = (
    "That location doesn't look right: it isn't a point on the map. Please share it again."
)


# ---- alerts that bring help (issue 12): attending, acknowledging, pins, the ladder -------
# An alert copy: a heading for its state, the facts, who attends, a "nearest" mark for the
# member it was sent to, and the reminder that the bot is not an emergency service.
ALERT_HEADING_URGENT = "🚨 <b>Urgent incident</b>"
ALERT_CLOSED_LINE = "🔒 Closed: no response needed now."
ATTEND_BUTTON = "🚶 Attending"
NOT_ATTENDING_BUTTON = "↩️ Not attending any more"
ACKNOWLEDGE_BUTTON = "✅ Acknowledge"


def alert_heading_escalated(minutes: int) -> str:
    return f"⚠️ <b>Not yet acknowledged after {minutes} minutes</b>"


def alert_heading_acknowledged(by: str | None, at: str, *, legacy_attending: bool) -> str:
    how = " (attending)" if legacy_attending else ""  # acknowledgements before issue 12
    return f"✅ <b>Acknowledged by {esc(by or 'a former member')} at {esc(at)}</b>{how}"


def alert_copy_text(
    heading: str,
    facts: str,
    *,
    attending: Sequence[str],
    nearest_m: float | None,
    closed: bool,
) -> str:
    lines = [heading]
    if nearest_m is not None:
        lines.append(f"📍 <b>You are among the nearest on duty</b> (about {_metres(nearest_m)})")
    lines.append(facts)
    if attending:
        lines.append("🚶 Attending: " + ", ".join(esc(name[:60]) for name in attending))
    if closed:
        lines.append(ALERT_CLOSED_LINE)
    return "\n".join(lines) + f"\n\n{IF_LIFE_AT_RISK}"


def _metres(metres: float) -> str:
    if metres < 1000:
        return f"{max(10, round(metres / 10) * 10)} m"
    return f"{metres / 1000:.1f} km"


def pin_title(place: str) -> str:
    """A venue's title: the place in words (Telegram shows it on the pin)."""
    return place[:100] or "Alert location"


def pin_address(reference: str) -> str:
    return f"Urgent incident {reference}"


# Callback answers: plain text, at most 200 characters.
def you_attend(reference: str) -> str:
    return f"Thanks — you're attending {reference}. Everyone alerted can see it."


def you_no_longer_attend(reference: str) -> str:
    return f"OK — you're no longer attending {reference}."


def you_acknowledged_it(reference: str) -> str:
    return f"Thanks — you acknowledged {reference}: it's yours. Escalation stops."


ALREADY_ATTENDING = "You're already attending this one."
NOT_ATTENDING_NOW = "You're not attending this one."
ALERT_NOT_RECEIVED = "That button only works on the alert as it was sent to you."
ALERT_OWN_REPORT = "That's your own report: colleagues respond to it, and you'll hear who does."
ALERT_ACK_NOT_ALLOWED = (
    "Only coordinators and admins can acknowledge (take ownership). Tap Attending if you're going."
)
ALERT_CLOSED = "That incident is closed."


def already_acknowledged_by(by: str | None, at: str) -> str:
    return f"Already acknowledged by {(by or 'a former member')[:100]} at {at}"


# Told to the reporter, privately (HTML).
def reporter_told_attending(reference: str, name: str) -> str:
    return f"🚶 {esc(name)} is attending your report {esc(reference)}."


def reporter_told_not_attending(reference: str, name: str) -> str:
    return f"↩️ {esc(name)} is no longer attending your report {esc(reference)}."


def reporter_told_acknowledged(reference: str, name: str, at: str) -> str:
    return (
        f"✅ {esc(name)} acknowledged your report {esc(reference)} at {esc(at)} and is "
        "coordinating the response."
    )


def with_attending(acknowledgement: str, attending: Sequence[str]) -> str:
    """/show and /mine: the acknowledgement, then who attends (names as stored)."""
    if not attending:
        return acknowledgement
    return f"{acknowledgement}; attending: " + ", ".join(esc(n[:60]) for n in attending)
