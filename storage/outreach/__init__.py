"""Outreach: people, contacts, referrals, the coordinators' counts, merges and erasure.

Person details are sensitive: every read of a record or a list of people writes an audit
row in the same transaction, and erasure leaves only anonymous counts.

One repository per area, each on the Store: `people` (finding, reading, editing and
merging records), `contacts`, `referrals`, `erasure` and `outreach_stats` (counts). New
code imports from those modules. This package root keeps the names handlers/ import from
`storage.outreach`, and `Outreach`, the facade behind `store.outreach.x(...)`, until the
handlers call the repositories themselves.
"""

from __future__ import annotations

from bot.domain.outreach import AliasError
from storage.outreach.contacts import Contacts, ContactSaved
from storage.outreach.counts import OutreachCounts, OutreachStats
from storage.outreach.erasure import Erased, Erasure, anonymise_contacts
from storage.outreach.inputs import (
    ContactIn,
    LegalNameWithoutConsent,
    PersonField,
    PersonIn,
    SightingIn,
)
from storage.outreach.people import Gone, Lookup, MergeOutcome, People, PersonTimeline
from storage.outreach.records import facts
from storage.outreach.referral_copies import Pressed, ReferralState
from storage.outreach.referrals import (
    ROUGH_SLEEPING_SLUG,
    Filed,
    Referrals,
    ReferralView,
    SeenWith,
    TakeOutcome,
    add_referral_for_report,
)


class Outreach:
    """`store.outreach.x(...)` as before the split: each name is the repository's own method.

    Thin on purpose (no logic, no sessions): remove it once handlers/ call `store.people`,
    `store.contacts`, `store.referrals`, `store.erasure` and `store.outreach_stats`.
    """

    def __init__(
        self,
        people: People,
        contacts: Contacts,
        referrals: Referrals,
        erasure: Erasure,
        stats: OutreachStats,
    ) -> None:
        self.search = people.search
        self.similar = people.similar
        self.recent = people.recent
        self.lookup = people.lookup
        self.timeline = people.timeline
        self.edit = people.edit
        self.merge = people.merge
        self.log_contact = contacts.log_contact
        self.contact_count = contacts.contact_count
        self.add_sighting = referrals.add_sighting
        self.referral = referrals.referral
        self.open_referrals = referrals.open_referrals
        self.overdue_referrals = referrals.overdue_referrals
        self.take = referrals.take
        self.not_found = referrals.not_found
        self.erase = erasure.erase
        self.counts = stats.counts


__all__ = [
    "ROUGH_SLEEPING_SLUG",
    "AliasError",
    "ContactIn",
    "ContactSaved",
    "Erased",
    "Filed",
    "Gone",
    "LegalNameWithoutConsent",
    "Lookup",
    "MergeOutcome",
    "Outreach",
    "OutreachCounts",
    "PersonField",
    "PersonIn",
    "PersonTimeline",
    "Pressed",
    "ReferralState",
    "ReferralView",
    "SeenWith",
    "SightingIn",
    "TakeOutcome",
    "add_referral_for_report",
    "anonymise_contacts",
    "facts",
]
