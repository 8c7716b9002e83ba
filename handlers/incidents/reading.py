"""Reading /show, /update and /close: report references and the rest of the line; who
sees every report; replies split to fit."""

from __future__ import annotations

import re

from telegram import Message, Update

from bot.domain.access.roles import Permission, member_permissions
from bot.domain.reports.incidents import parse_reference
from bot.texts.split import split_message
from handlers.common import reply
from storage.models import Member

MINE_LIMIT = 10
REFERENCE_TOKEN_RE = re.compile(r"\bR-\d+\b")


# ---- reading the command -----------------------------------------------------------------
def arguments(message: Message) -> tuple[str, str]:
    """'/update R-12 two more\\narrived' → ('R-12', 'two more\\narrived'): line breaks kept."""
    parts = (message.text or "").split(maxsplit=2)
    first = parts[1] if len(parts) > 1 else ""
    rest = parts[2].strip() if len(parts) > 2 else ""
    return first, rest


def parse_report_id(token: str) -> int | None:
    """R-12, r12, R-0012, or just 12."""
    if token.isascii() and token.isdigit() and len(token) <= 9:
        return int(token) or None
    return parse_reference(token)


def references_in(text: str) -> set[int]:
    found = (parse_reference(token) for token in REFERENCE_TOKEN_RE.findall(text))
    return {report_id for report_id in found if report_id is not None}


def sees_all_reports(member: Member) -> bool:
    granted = member_permissions(member)
    return Permission.COORDINATE in granted or Permission.ADMIN in granted


async def reply_long(update: Update, text: str) -> None:
    for chunk in split_message(text):
        await reply(update, chunk)
