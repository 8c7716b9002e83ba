"""Outbox vocabulary shared by storage and the sender. Pure domain."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from bot.domain.alerts.send_budget import Level


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"  # the member blocked the bot, or the chat is gone


class Priority(IntEnum):
    STAFF_SAFETY = -2  # a staff-safety alert's copies: ahead of everything queued
    STAFF_SAFETY_PIN = -1  # their map pins: after every copy of the fan-out
    URGENT = 0  # alerts and escalations
    URGENT_FOLLOW_UP = 1  # their map pins and edits: after every fresh alert of a fan-out
    NORMAL = 5  # notices, briefings, digests
    BULK = 9  # exports and reports


# Outbox purposes. Alerts, escalations and their edits are rendered at send time from
# the report's current state; the others carry their text. Scheduled runs use their
# kind ("briefing", "digest", "weekly") as the purpose.
ALERT = "alert"
ESCALATION = "escalation"
ALERT_EDIT = "alert_edit"
NOTICE = "notice"  # a one-off message to one member
ALERT_PIN = "alert_pin"  # the place of an alert copy as a map pin (a venue), next to it
# A referral pushed to an outreach worker, and the edit of a copy once it is taken, closed
# or reopened: rendered at send time from the referral (carried by referral_id).
REFERRAL_COPY = "referral"
REFERRAL_EDIT = "referral_edit"
# A CCTV review request's copy to an operator (its escalations too), and their edits once
# answered: stored text and buttons, like a notice.
CCTV_REQUEST = "cctv_request"
# Staff safety (bot.domain.alerts.staff_safety): an alert's copies are rendered at send time
# from the alert's state; its pin is a location message; the check-in and its reminder carry
# their text.
SAFETY = "safety"
SAFETY_EDIT = "safety_edit"
SAFETY_PIN = "safety_pin"
CHECKIN = "checkin"
SAFETY_PURPOSES = frozenset({SAFETY, SAFETY_PIN})
ALERT_PURPOSES = (ALERT, ESCALATION)
# A safeguarding concern's copy to a lead (or an admin), at any step of its own ladder, and
# its edits: rendered at send time from the concern's state (outbox.concern_id).
CONCERN = "concern"
CONCERN_EDIT = "concern_edit"
CONCERN_PURPOSES = frozenset({CONCERN, CONCERN_EDIT})
URGENT_PURPOSES = frozenset(
    {ALERT, ESCALATION, ALERT_EDIT, ALERT_PIN, SAFETY_EDIT, CHECKIN, CONCERN, CONCERN_EDIT}
)
ONE_MEMBER_PURPOSES = frozenset({NOTICE, REFERRAL_COPY, REFERRAL_EDIT, CCTV_REQUEST})


def send_level(purpose: str) -> Level:
    """Where an outbox row stands in the one send budget: staff safety first, bulk last."""
    if purpose in SAFETY_PURPOSES:
        return Level.STAFF_SAFETY
    if purpose in URGENT_PURPOSES:
        return Level.URGENT
    if purpose in ONE_MEMBER_PURPOSES:
        return Level.REPLY
    return Level.BULK  # briefings, digests, weekly summaries, exports


# Dedupe keys of the notices that carry a report's or a referral's free text (an outcome,
# a reply): an erasure finds them by these.
def closed_notice_key(report_id: int) -> str:
    """The notice telling a reporter their report was closed, with its outcome."""
    return f"{NOTICE}:closed:{report_id}"


def referral_notice_key(referral_id: int, round_: int = 0) -> str:
    """The notice telling a referral's reporter how it ended (a reopened referral ends again:
    round 1, 2…; such notices also carry the referral's id)."""
    return f"referral:{referral_id}" if round_ == 0 else f"referral:{referral_id}:{round_}"
