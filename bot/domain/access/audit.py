"""Audit actions: the vocabulary of the append-only audit log."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    ACCESS_REQUESTED = "member.requested"
    APPROVED = "member.approved"
    REJECTED = "member.rejected"
    ROLE_CHANGED = "member.role_changed"
    SUSPENDED = "member.suspended"
    REINSTATED = "member.reinstated"
    ADMIN_GRANTED = "member.admin_granted"
    INVITE_CREATED = "invite.created"
    INVITE_USED = "invite.used"
    INVITE_REVOKED = "invite.revoked"
    RENAMED = "member.renamed"
    # outreach: every look at a person record, and every change to one (no details kept)
    PERSON_VIEWED = "person.viewed"
    PEOPLE_LISTED = "person.listed"
    PERSON_EDITED = "person.edited"
    PERSON_MERGED = "person.merged"
    PERSON_ERASED = "person.erased"
    PERSON_OUTCOME = "person.outcome"  # a move into accommodation recorded (no details kept)
    # outreach: a rough-sleeper referral taken, or closed as not found (no free text kept)
    REFERRAL_TAKEN = "referral.taken"
    REFERRAL_NOT_FOUND = "referral.not_found"
    # coordinators' outputs: every export of data and every partnership report made
    EXPORTED = "data.exported"
    REPORT_GENERATED = "report.generated"
    # retention: a purge of data past its period (counts per kind, never what was in it)
    RETENTION_PURGED = "retention.purged"
    # the public survey: rounds opened and closed (a close destroys the round's key)
    SURVEY_OPENED = "survey.opened"
    SURVEY_CLOSED = "survey.closed"
    # the CCTV control room: review requests made, answered, footage saved, looked at
    CCTV_REQUESTED = "cctv.requested"
    CCTV_ANSWERED = "cctv.answered"
    CCTV_FOOTAGE_REF = "cctv.footage_ref"
    CCTV_VIEWED = "cctv.viewed"
    # staff safety: a lone worker's check-ins ended by a coordinator, a role's default
    # changed, a safety alert acknowledged ("I'm contacting them")
    CHECKINS_ENDED = "safety.checkins_ended"
    CHECKIN_DEFAULT_SET = "safety.role_default"
    SAFETY_ACKNOWLEDGED = "safety.acknowledged"
    # safeguarding: the lead flag, and every look at a concern and every answer to one
    # (the subject is "concern:<id>", never what it says)
    LEAD_SET = "member.lead_set"
    LEAD_REMOVED = "member.lead_removed"
    CONCERN_RAISED = "concern.raised"
    CONCERNS_LISTED = "concern.listed"
    CONCERN_VIEWED = "concern.viewed"
    CONCERN_ACKNOWLEDGED = "concern.acknowledged"
    CONCERN_ACTION = "concern.action_recorded"
