"""Which incoming updates go first: urgent work is never queued behind chatter. Pure.

Urgent: a press on an alert's buttons (Attending, Acknowledge), a Confirm of a report
draft (it may be urgent: the draft is not read here), and a message whose words say
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

# Words that make a message urgent before it is read as a report. The quick-report reader
# has its own, fuller list for the proposal; this one only decides what is handled first.
URGENT_WORDS = re.compile(
    r"\b(urgent|emergency|asap|now|help|backup|back-up|knife|knifed|blade|bladed|stab\w*|"
    r"gun|weapon|tooled|bleeding|blood|unconscious|collapsed|not breathing|overdose|od|"
    r"fitting|jump\w*|fight\w*|assault\w*|attack\w*|kicking off|sos|999)\b",
    re.IGNORECASE,
)


class UpdatePriority(IntEnum):
    URGENT = 0
    ORDINARY = 1


def button_priority(data: str | None) -> UpdatePriority:
    if ALERT_BUTTONS.unpack(data) is not None:
        return UpdatePriority.URGENT
    if isinstance(draft_press(data), ReportConfirm | QuickConfirm):
        return UpdatePriority.URGENT
    return UpdatePriority.ORDINARY


def text_priority(text: str | None) -> UpdatePriority:
    if text and URGENT_WORDS.search(text[:1000]):
        return UpdatePriority.URGENT
    return UpdatePriority.ORDINARY
