"""Outbox vocabulary shared by storage and the sender. Pure domain."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    UNDELIVERABLE = "undeliverable"  # the member blocked the bot, or the chat is gone


class Priority(IntEnum):
    URGENT = 0  # alerts, escalations, their edits
    NORMAL = 5  # notices, briefings, digests
    BULK = 9  # exports and reports
