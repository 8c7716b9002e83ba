"""Person records (/person, /people): the timeline, edits, merges and erasure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.outreach import (
    ACTION_LABELS,
    FLAG_LABELS,
    NEED_LABELS,
    SLEEPING_SITE_LABELS,
    ContactEntry,
    MergeEntry,
    PersonFacts,
    Timeline,
)
from bot.texts.common import esc, local_datetime, shorten
from bot.texts.outreach import (
    consent_now,
    contact_consent,
    joined_labels,
    person_hit_line,
    person_hit_lines,
)
from bot.texts.outreach_records import timeline_marks

OUT_NOTES_SHOWN = 200  # characters of a contact's notes shown in a timeline
OUT_TIMELINE_EVENTS = 8

# /person, /people -------------------------------------------------------------------
PERSON_USAGE = "Send /person and the alias, e.g. <code>/person Johnny</code>"
PEOPLE_NONE = "No one has been recorded yet. /contact logs the first contact."


def person_no_hits(query: str) -> str:
    return (
        f"No one matches “{esc(shorten(query, 60))}”. Check the spelling, or see /people "
        "for everyone seen recently."
    )


def person_choose(query: str, people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return (
        f"People matching “{esc(shorten(query, 60))}”:\n{person_hit_lines(people, tz)}\n\n"
        "Choose one to see their history."
    )


def people_recent(people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return (
        f"👥 <b>Seen recently</b>\n{person_hit_lines(people, tz)}\n\n"
        "Choose one to see their history."
    )


def _contact_lines(entry: ContactEntry, tz: ZoneInfo) -> list[str]:
    site = f" ({SLEEPING_SITE_LABELS[entry.site].lower()})" if entry.site else ""
    worker = f" · {esc(entry.worker)}" if entry.worker else ""
    lines = [f"• {esc(local_datetime(entry.at, tz))}: {esc(entry.place)}{esc(site)}{worker}"]
    marks = timeline_marks(
        entry.bedded_down,
        entry.local_connection,
        entry.connection_place,
        entry.left_institution,
        entry.needs_answer,
    )
    details = [esc(mark) for mark in marks]
    if entry.needs:
        details.append(f"needs {esc(joined_labels(entry.needs, NEED_LABELS))}")
    if entry.actions:
        details.append(f"actions {esc(joined_labels(entry.actions, ACTION_LABELS))}")
    if entry.referral_id is not None:
        details.append(f"referral #{entry.referral_id}")
    if details:
        lines.append("   " + "; ".join(details))
    if entry.notes:
        lines.append(f"   <i>{esc(shorten(entry.notes, OUT_NOTES_SHOWN))}</i>")
    return lines


def person_timeline(
    person: PersonFacts,
    timeline: Timeline,
    referrals: Sequence[tuple[int, str, str]],  # (id, place, status) of answered referrals
    tz: ZoneInfo,
    notice: str | None = None,
    *,
    flags: str | None = None,  # flags with who set them and when (HTML), shown first
    records: Sequence[str] = (),  # status and moves (HTML), after the details
) -> str:
    """A person's record and history, newest first, fitted under Telegram's limit."""
    head = [flags] if flags else []
    head.append(f"👤 <b>{esc(person.alias)}</b> · {esc(person.age_band.label)}")
    if person.gender:
        head[-1] += f" · {esc(person.gender)}"
    if person.flags and not flags:
        head.append("⚠️ " + esc(joined_labels(person.flags, FLAG_LABELS)))
    head.append(f"Looks: {esc(person.appearance) if person.appearance else '<i>not described</i>'}")
    if person.usual_sites:
        head.append(f"Usual sites: {esc(person.usual_sites)}")
    head.append(f"Consent to share: {esc(consent_now(person.consent, person.consent_at, tz))}")
    if person.legal_name:
        head.append(f"Legal name: {esc(person.legal_name)}")
    head.append(
        f"First seen {esc(local_datetime(person.first_seen, tz))} · "
        f"last seen {esc(local_datetime(person.last_seen, tz))} · "
        f"{len(timeline.contacts)} contact{'s' if len(timeline.contacts) != 1 else ''}"
    )
    head.extend(records)
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
    return f"Which record is the same person as <b>{esc(keep)}</b>?\n{person_hit_lines(people, tz)}"


def merge_no_hits(query: str) -> str:
    return (
        f"No other record matches “{esc(shorten(query, 60))}”. Type another spelling, or /cancel."
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


# ---- erasure (admins) ----------------------------------------------------------------------
ERASE_USAGE = "Send /erase and the alias, e.g. <code>/erase Johnny</code>"
ERASE_CANCELLED = "Nothing was erased."


def erase_choose(query: str, people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return (
        f"🗑 <b>Erase a person's record</b> matching “{esc(shorten(query, 60))}”:\n"
        f"{person_hit_lines(people, tz)}\n\nThis deletes the record and the notes of every contact "
        "with them, for good; only anonymous counts stay. Press the button of the record to erase."
    )


def erase_button(person: PersonFacts, tz: ZoneInfo) -> str:
    seen = local_datetime(person.last_seen, tz)[:10]
    return f"🗑 Erase {shorten(person.alias, 30)} · {person.age_band.label} · {seen}"


def person_erased(person_id: int, contacts: int) -> str:
    return (
        f"🗑 Record #{person_id} erased. {contacts} contact{'s' if contacts != 1 else ''} "
        "kept as anonymous counts only."
    )
