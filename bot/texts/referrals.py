"""The outreach referral queue (/referrals) and "Rough sleeper seen", which fills it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ReportedAgain:
    """A later report of the same rough sleeper, attached when it reopened the referral."""

    seen_at: str
    place: str
    description: str | None
    reporter: str | None


MAX_AGAIN_SHOWN = 5


def reported_again_line(report: ReportedAgain) -> str:
    by = f" by {esc(report.reporter)}" if report.reporter else ""
    line = f"🔁 Reported again{by}: seen {esc(report.seen_at)} at <b>{esc(report.place)}</b>"
    if report.description:
        line += f" “{esc(shorten(report.description, 300))}”"
    return line


def not_found_line(by: str | None, at: str, where_looked: str | None) -> str:
    who = f" by {esc(by)}" if by else ""
    looked = f": looked {esc(where_looked)}" if where_looked else ""
    return f"🔎 Not found{who} at {esc(at)}{looked}"


def looked_line(where_looked: str) -> str:
    return f"🔎 Looked {esc(where_looked)}"


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
    reopened: bool = False,
    not_found: str | None = None,
    again: Sequence[ReportedAgain] = (),
) -> str:
    """A referral as outreach reads it (the queue, and the copies pushed to them). `not_found`
    is a line from not_found_line (escaped already)."""
    lines = [f"🛏 <b>Referral #{referral_id}</b> · waiting {esc(waiting)}"]
    if reopened:
        lines.append("🔁 <b>Reported again after it was not found</b>")
    lines.append(f"Seen {esc(seen_at)} at <b>{esc(place)}</b>")
    if description:
        lines.append(f"“{esc(shorten(description, 500))}”")
    if reporter:
        lines.append(f"Reported by {esc(reporter)}")
    if not_found:
        lines.append(not_found)
    lines += [reported_again_line(r) for r in again[-MAX_AGAIN_SHOWN:]]
    if len(again) > MAX_AGAIN_SHOWN:
        lines.append(f"(and {len(again) - MAX_AGAIN_SHOWN} earlier reports)")
    if taken_by:
        lines.append(f"Taken by {esc(taken_by)} at {esc(taken_at or '')}")
    if closed:
        lines.append(f"<b>{esc(closed)}</b>")
    return "\n".join(lines)


def waiting_at_on(count: int) -> str:
    """At /on, to an outreach worker: the referrals nobody has taken follow."""
    if count == 1:
        return "🛏 <b>1 rough-sleeper referral</b> is waiting for outreach: it follows."
    return f"🛏 <b>{count} rough-sleeper referrals</b> are waiting for outreach: they follow."


PUSH_HEADING = "🔔 <b>New rough-sleeper referral</b> for outreach on duty"
PUSH_REOPENED_HEADING = "🔔 <b>Referral reopened</b> for outreach on duty"


def pushed(card: str, *, reopened: bool) -> str:
    """A referral pushed to an outreach worker (on duty, or at their /on)."""
    return f"{PUSH_REOPENED_HEADING if reopened else PUSH_HEADING}\n\n{card}"


def taken_copy(card: str, name: str | None) -> str:
    """Another worker's copy once it is taken: who went, and no buttons."""
    return f"✋ <b>Taken by {esc(name or 'someone else')}</b>: no need to go.\n\n{card}"


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

# "Not found": where they looked, one line.
MAX_WHERE_LOOKED = 200


def not_found_ask(referral_id: int, place: str) -> str:
    return (
        f"🔎 <b>Referral #{referral_id}: not found</b> at {esc(place)}\n"
        "Where did you look? One line, e.g. “doorways on Bridge St and the car park stairs”. "
        "Or /cancel."
    )


def not_found_done(referral_id: int, where_looked: str) -> str:
    return (
        f"✅ Referral #{referral_id} closed as not found (looked {esc(where_looked)}). "
        "The reporter has been told. If they are reported again at that place within 24 h, "
        "it reopens with both reports."
    )


NOT_FOUND_ONE_LINE = "One line, please: where you looked, without line breaks (or /cancel)."
NOT_FOUND_CANCELLED = "Stopped: the referral stays open."
NOT_FOUND_NOTHING_TO_STOP = "That was already finished."
NOT_FOUND_EXPIRED = "That was left too long: press Not found on the referral again."
NOT_FOUND_USE_TEXT = "Please type where you looked (one line), or /cancel."


def not_found_interrupted(command: str) -> str:
    return f"Stopped: the referral stays open. Send /{command} again to go on."


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
# StreetLink's scope: adults sleeping rough. Under 18 is asked first: a young person is a
# safeguarding concern for the lead, never an adult referral. Someone unwell or in danger is
# a 999 matter first; the referral still goes to outreach, with an urgent welfare report.
RS_DANGER = "🛏 <b>Rough sleeper seen</b>\nDo they seem <b>unwell or in danger</b>?"
CALL_999_FIRST = (
    "🚨 <b>If life is at risk, call 999 now.</b> An urgent welfare alert goes to everyone on "
    "duty and the coordinators when you send this."
)
RS_WHERE = (
    "🛏 <b>Rough sleeper seen</b>\nWhere? Choose a hotspot, type the place, or send your "
    "location (📎 → Location)."
)
RS_WHERE_IN_DANGER = f"{CALL_999_FIRST}\n\nWhere are they? Choose a hotspot, type the place, " \
    "or send your location (📎 → Location)."  # fmt: skip
RS_UNDER_18 = "🛏 <b>Rough sleeper seen</b>\nFirst: do they seem under 18?"
RS_WHEN = "🕘 When did you see them?"
RS_LOOKS = (
    "👤 What do they look like, so outreach can find them? Clothes, sleeping bag, tent… "
    "(up to 300 characters). Or skip."
)
RS_CANCELLED = "Stopped. Nothing was sent to outreach."
RS_OLD_BUTTON = "That button belongs to an earlier step. Please use the latest message."
RS_FINISHED = "That was already sent or stopped. Send /roughsleeper to flag someone."
DANGER_LABELS = {"y": "Yes, unwell or in danger", "n": "No", "u": "Not sure"}


def rs_danger_answered(answer: str) -> str:
    """The question, once answered by tap (its buttons gone)."""
    return f"{RS_DANGER}\n➜ {esc(DANGER_LABELS.get(answer, answer))}"


def rs_summary(
    place: str, seen_at: str, looks: str | None, *, in_danger: bool = False, under_18: bool = False
) -> str:
    described = esc(looks) if looks else "<i>not described</i>"
    danger = (
        "\nUnwell or in danger: <b>yes</b>: an urgent welfare alert goes with it"
        if in_danger
        else ""
    )
    if under_18:
        return (
            f"🛡 <b>Young person seen sleeping rough</b>\nPlace: {esc(place)}\n"
            f"Seen: {esc(seen_at)}\nLooks: {described}\nSeems under 18: yes\n\n"
            "Send to the safeguarding lead (not to outreach)?"
        )
    return (
        f"🛏 <b>Rough sleeper seen</b>\nPlace: {esc(place)}\nSeen: {esc(seen_at)}\n"
        f"Looks: {described}{danger}\n\nSend to outreach?"
    )


def rs_sent(referral_id: int, *, reopened_id: int | None = None) -> str:
    if reopened_id is not None:
        first = (
            f"✅ Sent to outreach: referral #{reopened_id} at that place was closed as not found "
            "earlier, so it is reopened with your report. I'll tell you what they find."
        )
    else:
        first = f"✅ Sent to outreach as referral #{referral_id}. I'll tell you what they find."
    return f"{first}\n{IF_LIFE_AT_RISK}"


def rs_sent_in_danger(reference: str, referral_id: int, *, reopened_id: int | None = None) -> str:
    """In danger: 999 first, then the urgent welfare alert and the referral."""
    referral = (
        f"referral #{reopened_id} (reopened: not found there earlier)"
        if reopened_id is not None
        else f"referral #{referral_id}"
    )
    return (
        "🚨 <b>If life is at risk, call 999 now</b> (or use the radio): this bot is not an "
        f"emergency service.\n\n✅ Urgent welfare alert {esc(reference)} sent to everyone on "
        f"duty and the coordinators, and {referral} to outreach. I'll tell you what they find."
    )


RS_NO_WELFARE_CATEGORY = (
    "🚨 <b>If life is at risk, call 999 now</b> (or use the radio).\n"
    "The welfare category is not in use here, so no alert went out: tell a coordinator."
)


def welfare_description(looks: str | None) -> str:
    """The urgent welfare report raised with an in-danger rough sleeper referral."""
    base = "Rough sleeper who seems unwell or in danger (from Rough sleeper seen)."
    return f"{base} Looks: {looks}" if looks else base
