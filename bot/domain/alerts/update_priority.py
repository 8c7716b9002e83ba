"""Which incoming updates go first: urgent work is never queued behind chatter. Pure.

First of all, staff safety: "Need help" (/sos and its button) and "I'm contacting them".
Urgent: a press on an alert's buttons (Attending, Acknowledge) or a check-in's, a Confirm
of a report draft (it may be urgent: the draft is not read here), and a message whose words say
someone is in danger now. Everything else is ordinary. The update processor
(bot.jobs.update_order) runs urgent updates first and lets them past its concurrency cap;
within one chat the order of arrival always holds.
"""

from __future__ import annotations

import re
from enum import IntEnum

from bot.domain.callbacks.reports import (
    ALERT_BUTTONS,
    QuickConfirm,
    ReportConfirm,
    draft_press,
)
from bot.domain.callbacks.safety import SAFETY_BUTTONS, NeedHelp, SafetyAck

# Words that make a message urgent before it is read as a report. The quick-report reader
# has its own, fuller list for the proposal; this one only decides what is handled first.
URGENT_WORDS = re.compile(
    r"\b(urgent|emergency|asap|now|help|backup|back-up|knife|knifed|blade|bladed|stab\w*|"
    r"gun|weapon|tooled|bleeding|blood|unconscious|collapsed|not breathing|overdose|od|"
    r"fitting|jump\w*|fight\w*|assault\w*|attack\w*|kicking off|sos|999)\b",
    re.IGNORECASE,
)


class UpdatePriority(IntEnum):
    STAFF_SAFETY = 0  # "Need help" (/sos, its button) and "I'm contacting them": first of all
    URGENT = 1
    ORDINARY = 2


SOS_COMMAND = re.compile(r"^/sos(@\w+)?(\s|$)", re.IGNORECASE)


def button_priority(data: str | None) -> UpdatePriority:
    safety = SAFETY_BUTTONS.unpack(data)
    if isinstance(safety, NeedHelp | SafetyAck):
        return UpdatePriority.STAFF_SAFETY
    if safety is not None:
        return UpdatePriority.URGENT  # a check-in's answer, alone or paired
    if ALERT_BUTTONS.unpack(data) is not None:
        return UpdatePriority.URGENT
    if isinstance(draft_press(data), ReportConfirm | QuickConfirm):
        return UpdatePriority.URGENT
    return UpdatePriority.ORDINARY


def text_priority(text: str | None) -> UpdatePriority:
    if text and SOS_COMMAND.match(text):
        return UpdatePriority.STAFF_SAFETY
    if text and URGENT_WORDS.search(text[:1000]):
        return UpdatePriority.URGENT
    return UpdatePriority.ORDINARY
