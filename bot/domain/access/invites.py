"""Invite codes: one-time deep-link payloads bound to a role."""

from __future__ import annotations

import hashlib
import re
import secrets

# An inviter may have this many invites open (not used, revoked or expired) at once: a
# leaked or careless account cannot mint links without end.
MAX_OPEN_INVITES = 20

# Telegram allows A-Z, a-z, 0-9, _ and - in a start payload, up to 64 characters.
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def new_invite_code() -> str:
    return secrets.token_urlsafe(16)


def code_digest(code: str) -> str:
    """What the database keeps: a leaked table must not hand out working links."""
    return hashlib.sha256(code.encode()).hexdigest()


def looks_like_code(text: str) -> bool:
    return bool(_CODE_RE.match(text))


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"
