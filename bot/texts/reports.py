"""Filing a report: the guided /report flow, quick reports and the draft's summary."""

from __future__ import annotations

from datetime import datetime

from bot.domain.quick_report.places import STRONG_LEADS, WEAK_LEADS
from bot.domain.reports.report_draft import ReportDraft
from bot.texts.common import IF_LIFE_AT_RISK, esc, shorten

# The first line of every reply about a report that may mean a life at risk (welfare).
CALL_999_NOW = "🚑 <b>If life is at risk call 999 now.</b>"

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


def _own_location_age(draft: ReportDraft, now: datetime | None) -> str:
    if draft.own_location_at is None or now is None:
        return ""
    minutes = max(0, int((now - draft.own_location_at).total_seconds() // 60))
    return "just now" if minutes == 0 else f"{minutes} min ago"


def report_place(draft: ReportDraft, now: datetime | None = None) -> str:
    """The place as the reporter will recognise it (already escaped).

    The member's own location says so, with its age: only they ever see this.
    """
    if draft.own_location_at is not None:
        age = _own_location_age(draft, now)
        where = f"your location {age}".strip()
        if draft.hotspot_name:
            return f"near {esc(draft.hotspot_name)} ({where})"
        return where + (" (outside the area)" if draft.outside_area else "")
    if draft.hotspot_name:
        place = esc(draft.hotspot_name)
    elif draft.place_text:
        place = esc(draft.place_text)
    elif draft.lat is not None and draft.lon is not None:
        place = f"shared location {draft.lat:.5f}, {draft.lon:.5f}"
    else:
        place = "not given"
    return place + (" (outside the area)" if draft.outside_area else "")


_LEADS = tuple(lead + " " for lead in (*STRONG_LEADS, *WEAK_LEADS))


def _place_phrase(draft: ReportDraft, now: datetime | None) -> str:
    """The place after the category: " at Elmer Square", " outside Wetherspoons"."""
    place = report_place(draft, now)
    if draft.place_text and not draft.hotspot_name and draft.place_text.lower().startswith(_LEADS):
        return f" {place}"  # it says where already: "outside wetherspoons"
    if draft.own_location_at is not None and draft.hotspot_name:
        return f" {place}"  # "near Elmer Square (your location 3 min ago)"
    return f" at {place}"


def report_at_place(draft: ReportDraft) -> str:
    return f"📍 Report at <b>{report_place(draft)}</b>.\nWhat is it about?"


def category_chosen(name: str) -> str:
    return f"📂 Category: <b>{esc(name)}</b>"


def place_chosen(draft: ReportDraft, now: datetime | None = None) -> str:
    return f"📍 Place: <b>{report_place(draft, now)}</b>"


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


def _quoted(words: tuple[str, ...]) -> str:
    return ", ".join(f"“{esc(word)}”" for word in words)


def _summary_urgency(draft: ReportDraft) -> str:
    if draft.urgent:
        why = f" (you wrote {_quoted(draft.urgent_words)})" if draft.urgent_words else ""
        return f"⚠️ <b>Urgent</b>: the alert goes out when you confirm{why}"
    return _not_urgent(draft)


def _not_urgent(draft: ReportDraft) -> str:
    calm = (*draft.not_urgent_words, *draft.over_words)
    if calm and not draft.urgent_chosen:
        return f"Not urgent: you wrote {_quoted(calm)}"
    return "Not urgent"


def _proposal_urgency(draft: ReportDraft) -> str:
    """Why the proposal is urgent (or why not, when the words calmed an urgent category)."""
    alerted = "colleagues on duty and the coordinators are alerted when you confirm."
    if not draft.urgent:
        return _not_urgent(draft)
    if draft.urgent_chosen:
        return f"⚠️ Urgent, as you chose: {alerted}"
    if draft.urgent_words:
        return f"⚠️ Urgent, because you wrote {_quoted(draft.urgent_words)}: {alerted}"
    return f"⚠️ This category is urgent: {alerted}"


UNDER_18_LINE = "👶 Under 18 involved: yes (the safeguarding lead is told, privately)"


def under_18_now(under_18: bool) -> str:
    return "Under 18 involved: yes" if under_18 else "Under 18 involved: no"


def report_summary(draft: ReportDraft, now: datetime | None = None) -> str:
    """What the reporter confirms; kept well under Telegram's 4096 characters."""
    lines = [CALL_999_NOW] if draft.life_at_risk else []
    lines += [
        "<b>Check your report</b>",
        f"📂 Category: {esc(draft.category_name or 'not chosen')}",
        f"📍 Place: {report_place(draft, now)}",
        f"📝 What happened: {esc(shorten(draft.description, 1500)) if draft.description else '—'}",
    ]
    attachments = _attachments_line(draft)
    if attachments:
        lines.append(f"📎 Attached: {attachments}")
    lines.append(f"👥 People involved: {esc(draft.people_count or 'not given')}")
    lines.append(_summary_urgency(draft))
    if draft.under_18:
        lines.append(UNDER_18_LINE)
    return "\n".join(lines)


def quick_proposal(draft: ReportDraft, now: datetime | None = None) -> str:
    """A quick report as read: category, place (or that none was read), urgency and why."""
    lines = [CALL_999_NOW] if draft.life_at_risk else []
    place = _place_phrase(draft, now) if draft.has_place else ""
    lines.append(f"🔎 <b>{esc(draft.category_name or '')}{place}?</b>")
    if not draft.has_place:
        lines.append("📍 I didn't recognise a place: use Change place to add one.")
    if draft.attachments:
        lines.append(f"📎 Attached: {_attachments_line(draft)}")
    lines.append(_proposal_urgency(draft))
    if draft.under_18:
        lines.append(UNDER_18_LINE)
    lines.append("Confirm to store it, or change what I got wrong.")
    return "\n".join(lines)


def report_stored(
    reference: str, at: str, *, urgent: bool, life_at_risk: bool = False, cctv_hint: bool = False
) -> str:
    text = f"✅ Report {esc(reference)} stored at {esc(at)}."
    if life_at_risk:
        text = f"{CALL_999_NOW}\n{text}"
    if cctv_hint:  # the reporter may ask the control room (bot.texts.cctv, handlers.alerts.cctv)
        text += f"\n📹 Camera footage? <code>/cctv {esc(reference)}</code> asks the control room."
    if urgent:
        text += "\nAlert sent to colleagues on duty and the coordinators.\n\n" + IF_LIFE_AT_RISK
    return text


def draft_expired_notice(minutes: int) -> str:
    return (
        f"Your draft report expired after {minutes} minutes without an answer, so nothing was "
        "saved. Send /report to start again."
    )


# ---- a message typed while a draft waits; kept drafts (/drafts) ----------------------------
DRAFT_KEPT = "📝 Kept your earlier draft: /drafts"
NO_KEPT_DRAFTS = (
    "You have no drafts kept aside. When you type a new message while a report waits for a "
    "button, it is read as a new report and the earlier draft is kept here."
)
KEPT_DRAFT_GONE = "That draft has expired or was already sent."
KEPT_DRAFT_DROPPED = "Draft dropped. Nothing was saved."


def kept_drafts(drafts: list[ReportDraft], now: datetime) -> str:
    """/drafts: the member's kept drafts, newest first, each with its age."""
    lines = [f"<b>Drafts kept aside</b> ({len(drafts)}), newest first:"]
    for number, draft in enumerate(drafts, start=1):
        minutes = max(0, int((now - draft.updated_at).total_seconds() // 60))
        what = draft.category_name or "category not chosen"
        about = f": {esc(shorten(draft.description, 80))}" if draft.description else ""
        lines.append(f"{number}. {esc(what)}{about} ({minutes} min ago)")
    lines.append("Resume one to carry on where you were, or drop it.")
    return "\n".join(lines)


LIVE_LOCATION_ON = (
    "📍 Live location on: while you are on duty, a quick report that names no place uses "
    "where you are. Nobody else sees it, and it is forgotten at /off."
)
LIVE_LOCATION_OFF_DUTY = (
    "📍 Your live location is only used while you are on duty: send /on first. Nothing was stored."
)


def urgent_now(urgent: bool) -> str:
    """The urgent toggle's answer (a callback answer: plain text)."""
    return "Urgent: on. The alert goes out when you confirm." if urgent else "Urgent: off."
