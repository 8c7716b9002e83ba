"""One audit row in words: what /audit shows and `tcag audit` prints."""

from __future__ import annotations

from bot.texts.admin import audit as audit_texts
from storage.access.audit import AuditRow


def audit_words(row: AuditRow) -> tuple[str, str, str, str]:
    """(actor, action in words, subject, detail): also what `tcag audit` prints."""
    return audit_texts.audit_parts(
        actor_name=row.actor_name,
        actor_id=row.actor_id,
        action=row.action,
        subject_member_name=row.subject_member_name,
        subject_member_id=row.subject_member_id,
        subject=row.subject,
        detail=row.detail,
    )
