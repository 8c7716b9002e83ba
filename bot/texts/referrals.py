"""The outreach referral queue (/referrals) and "Rough sleeper seen", which fills it."""

from __future__ import annotations

from datetime import timedelta

from bot.texts.common import IF_LIFE_AT_RISK, esc, shorten

REFERRALS_NONE = "📋 No open referrals right now."
REFERRAL_GONE = "That referral no longer exists."


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
        lines.append(f"“{esc(shorten(description, 500))}”")
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
RS_UNDER_18 = "🛏 <b>Rough sleeper seen</b>\nFirst: do they seem under 18?"
RS_WHEN = "🕘 When did you see them?"
RS_LOOKS = (
    "👤 What do they look like, so outreach can find them? Clothes, sleeping bag, tent… "
    "(up to 300 characters). Or skip."
)
RS_CANCELLED = "Stopped. Nothing was sent to outreach."
RS_OLD_BUTTON = "That button belongs to an earlier step. Please use the latest message."
RS_FINISHED = "That was already sent or stopped. Send /roughsleeper to flag someone."


def rs_summary(place: str, seen_at: str, looks: str | None, *, under_18: bool = False) -> str:
    described = esc(looks) if looks else "<i>not described</i>"
    if under_18:
        return (
            f"🛡 <b>Young person seen sleeping rough</b>\nPlace: {esc(place)}\n"
            f"Seen: {esc(seen_at)}\nLooks: {described}\nSeems under 18: yes\n\n"
            "Send to the safeguarding lead (not to outreach)?"
        )
    return (
        f"🛏 <b>Rough sleeper seen</b>\nPlace: {esc(place)}\nSeen: {esc(seen_at)}\n"
        f"Looks: {described}\n\nSend to outreach?"
    )


def rs_sent(referral_id: int) -> str:
    return (
        f"✅ Sent to outreach as referral #{referral_id}. I'll tell you what they find.\n"
        f"{IF_LIFE_AT_RISK}"
    )
