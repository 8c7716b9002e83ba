"""The audit log's wording: /audit in handlers.admin.audit and `tcag audit` on the command line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.domain.access.roles import Role
from bot.texts.common import esc

# Rows read as sentences: "Alex Admin changed the role of Olly Officer — warden". Person
# records appear by number only ("person record #12"): the log never holds an alias.
AUDIT_ACTION_WORDS: dict[str, str] = {
    "member.requested": "asked to join",
    "member.approved": "approved",
    "member.rejected": "turned down",
    "member.role_changed": "changed the role of",
    "member.suspended": "suspended",
    "member.reinstated": "reinstated",
    "member.admin_granted": "made an admin:",
    "invite.created": "created",
    "invite.used": "joined with",
    "invite.revoked": "revoked",
    "member.renamed": "renamed",
    "person.viewed": "viewed",
    "person.listed": "listed",
    "person.edited": "edited",
    "person.merged": "merged a record into",
    "person.erased": "erased",
    "person.outcome": "recorded an outcome for",
    "referral.taken": "took",
    "referral.not_found": "closed as not found",
    "data.exported": "exported",
    "report.generated": "made",
    "retention.purged": "purged data past its retention period",
}
AUDIT_SYSTEM_ACTOR = "System"  # settings, the command line, scheduled jobs
_AUDIT_SUBJECT_WORDS = (
    (re.compile(r"person:(\d+)"), r"person record #\1"),
    (re.compile(r"^people:1$"), "1 person record"),
    (re.compile(r"^people:(\d+)$"), r"\1 person records"),
    (re.compile(r"^invite:(\d+)$"), r"invite #\1"),
    (re.compile(r"^referral:(\d+)$"), r"referral #\1"),
)
AUDIT_NAME_SHOWN = 32
AUDIT_SUBJECT_SHOWN = 32
AUDIT_DETAIL_SHOWN = 56
AUDIT_VERB_SHOWN = 40  # 20 lines of at most ~180 characters fit one message


def audit_actor(name: str | None, member_id: int | None) -> str:
    if name:
        return name
    return f"member #{member_id}" if member_id is not None else AUDIT_SYSTEM_ACTOR


def audit_verb(action: str) -> str:
    return AUDIT_ACTION_WORDS.get(action) or action.replace(".", " ").replace("_", " ")


def _audit_words(text: str) -> str:
    for pattern, words in _AUDIT_SUBJECT_WORDS:
        text = pattern.sub(words, text)
    return text


def audit_subject(
    member_name: str | None, member_id: int | None, subject: str | None, *, same_as_actor: bool
) -> str:
    """Whom or what it was done to: a member's name, a record or invite number, or ''."""
    parts = []
    if member_id is not None and not same_as_actor:
        parts.append(member_name or f"member #{member_id}")
    if subject:
        parts.append(_audit_words(subject))
    return " · ".join(parts)


def audit_detail(detail: str | None) -> str:
    return _audit_words(detail) if detail else ""


def audit_parts(
    *,
    actor_name: str | None,
    actor_id: int | None,
    action: str,
    subject_member_name: str | None,
    subject_member_id: int | None,
    subject: str | None,
    detail: str | None,
) -> tuple[str, str, str, str]:
    """(actor, action in words, subject, detail) of one audit row."""
    same = subject_member_id is not None and subject_member_id == actor_id
    return (
        audit_actor(actor_name, actor_id),
        audit_verb(action),
        audit_subject(subject_member_name, subject_member_id, subject, same_as_actor=same),
        audit_detail(detail),
    )


def audit_sentence(actor: str, verb: str, subject: str, detail: str) -> str:
    """The plain sentence (the command line's text format)."""
    sentence = " ".join(part for part in (actor, verb, subject) if part)
    return f"{sentence} — {detail}" if detail else sentence


def _audit_short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_entry(when: str, actor: str, verb: str, subject: str, detail: str) -> str:
    """One line of /audit, short enough that 20 fit in one message."""
    name = esc(_audit_short(actor, AUDIT_NAME_SHOWN))
    line = f"<code>{esc(when)}</code> <b>{name}</b> {esc(_audit_short(verb, AUDIT_VERB_SHOWN))}"
    if subject:
        line += f" {esc(_audit_short(subject, AUDIT_SUBJECT_SHOWN))}"
    if detail:
        line += f" — {esc(_audit_short(detail, AUDIT_DETAIL_SHOWN))}"
    return line


def audit_filter_by_member(name: str) -> str:
    return f"by or about {_audit_short(name, AUDIT_NAME_SHOWN)}"


def audit_filter_by_action(term: str) -> str:
    return f"actions “{term}”"


def audit_page(
    lines: Sequence[str], filtered: str | None, total: int, page: int, pages: int
) -> str:
    where = f" ({esc(filtered)})" if filtered else ""
    if not lines:
        return f"📜 <b>Audit log</b>{where}: no entries."
    entries = "entry" if total == 1 else "entries"
    header = (
        f"📜 <b>Audit log</b>{where}: {total} {entries}, newest first. "
        f"Page {page + 1} of {pages}, times in local time."
    )
    return header + "\n\n" + "\n".join(lines)


def audit_member_button(name: str, username: str | None, role: Role) -> str:
    handle = f" @{username}" if username else ""
    return f"{name[:30]}{handle} · {role.value}"


def audit_which_member(text: str) -> str:
    return f"Several members match “{esc(_audit_short(text, 60))}”. Whose audit entries?"


def audit_no_match(text: str) -> str:
    return (
        f"No member or action matches “{esc(_audit_short(text, 60))}”.\n"
        "Try <code>/audit @username</code>, a Telegram id, part of a name, or an action: "
        "<code>/audit member.</code>, <code>/audit person.</code>, <code>/audit export</code>."
    )
