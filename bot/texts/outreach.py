"""Logging an outreach contact (/contact), and the person-search lines people.py shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.outreach import (
    ACTION_LABELS,
    NEED_LABELS,
    SLEEPING_SITE_LABELS,
    Action,
    Need,
    PersonFacts,
    SleepingSite,
)
from bot.texts.common import COMMAND_MAX, esc, local_datetime, shorten


def person_hit_line(number: int, person: PersonFacts, tz: ZoneInfo) -> str:
    """One search hit: what tells two people with similar aliases apart."""
    looks = esc(shorten(person.appearance, 80)) if person.appearance else "<i>no description</i>"
    seen = local_datetime(person.last_seen, tz)
    return (
        f"{number}. <b>{esc(person.alias)}</b> · {esc(person.age_band.label)} · {looks} · "
        f"last seen {esc(seen)}"
    )


def person_hit_lines(people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return "\n".join(person_hit_line(i, p, tz) for i, p in enumerate(people, start=1))


def person_button(number: int, person: PersonFacts) -> str:
    return f"{number}. {shorten(person.alias, 40)} ({person.age_band.label})"


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
        "I've stopped what you were doing (nothing was saved). "
        f"Please send /{esc(shorten(command, COMMAND_MAX))} again."
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
        f"People matching “{esc(shorten(query, 60))}”:\n{person_hit_lines(people, tz)}\n\n"
        "Choose one, type another spelling, or add a new person."
    )


def contact_no_hits(query: str) -> str:
    return (
        f"No one matches “{esc(shorten(query, 60))}”. "
        "Type another spelling, or add them as a new person."
    )


CONTACT_ASK_ALIAS = (
    "➕ <b>New person</b>\nWhat alias or street name do they go by? (up to 60 characters)"
)


def contact_same_person(alias: str, people: Sequence[PersonFacts], tz: ZoneInfo) -> str:
    return (
        f"❓ <b>Is this the same person?</b>\nYou typed “{esc(alias)}”. Already known:\n"
        f"{person_hit_lines(people, tz)}"
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
CONTACT_ACTIONS = "➡️ <b>Actions and referrals</b>: choose all that apply, then Done."


def consent_now(consent: bool | None, at: datetime | None, tz: ZoneInfo) -> str:
    if consent is None:
        return "not asked yet"
    when = f" (recorded {local_datetime(at, tz)})" if at else ""
    return ("yes" if consent else "no") + when


def contact_consent(alias: str, consent: bool | None, at: datetime | None, tz: ZoneInfo) -> str:
    return (
        f"🤝 Does <b>{esc(alias)}</b> consent to their details being shared with partner "
        f"agencies?\nRecorded now: {esc(consent_now(consent, at, tz))}."
    )


CONTACT_NOTES = "📝 Any notes? Type them (up to 2000 characters), or skip."


def joined_labels(values: Sequence[StrEnum], labels: Mapping[Any, str]) -> str:
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
    needs_answer: str | None = None,  # "None known" / "Declined to say"
    marks: Sequence[str] = (),  # bedded down, local connection, left (already escaped)
) -> str:
    person = "anonymous" if who is None else esc(who) + (" (new)" if new_person else "")
    lines = [
        "🤝 <b>Check the contact</b>",
        f"Person: <b>{person}</b>",
        f"Place: {esc(place)}",
    ]
    if marks:
        lines += marks
    else:
        lines.append(f"Sleeping site: {esc(SLEEPING_SITE_LABELS[site]) if site else 'not given'}")
    lines += [
        f"Needs: {esc(needs_answer or joined_labels(needs, NEED_LABELS))}",
        f"Actions: {esc(joined_labels(actions, ACTION_LABELS))}",
    ]
    if who is not None and consent is not None:
        lines.append(f"Consent to share: {'yes' if consent else 'no'}")
    if notes:
        lines.append(f"Notes: {esc(shorten(notes, 500))}")
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
