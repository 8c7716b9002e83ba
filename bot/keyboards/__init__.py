"""Inline and reply keyboards. Callback data comes only from bot.domain.callbacks' codecs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.domain.callbacks.admin import (
    AuditMemberPage,
    DutyLocation,
    ShiftAction,
    ShiftAdd,
    ShiftPress,
    ShiftsList,
    StatsPeriod,
)
from bot.domain.callbacks.catalog import (
    CategoriesPage,
    CategoryAction,
    CategoryAdd,
    CategoryPress,
    HotspotAction,
    HotspotAdd,
    HotspotPress,
    HotspotsPage,
)
from bot.domain.callbacks.members import (
    AccessApprove,
    AccessReject,
    InviteRole,
    MemberAction,
    MemberPress,
    MemberSetRole,
    MembersPage,
    MenuAction,
    MenuPress,
)
from bot.domain.callbacks.reports import (
    PEOPLE_SKIP,
    AlertAction,
    AlertResponse,
    QuickAction,
    QuickCancel,
    QuickChange,
    QuickConfirm,
    ReportBackToSummary,
    ReportCancel,
    ReportCategory,
    ReportConfirm,
    ReportContinue,
    ReportEdit,
    ReportEditField,
    ReportHotspot,
    ReportPeople,
    ReportUrgent,
)
from bot.domain.callbacks.street_outreach import (
    ConsentAnswer,
    ContactAction,
    ContactAge,
    ContactConsent,
    ContactFor,
    ContactHotspot,
    ContactNew,
    ContactPerson,
    ContactPress,
    ContactSite,
    ContactTick,
    EraseCancel,
    EraseConfirm,
    PersonAction,
    PersonAge,
    PersonConsent,
    PersonDetail,
    PersonFlag,
    PersonMerge,
    PersonPress,
    ReferralAction,
    ReferralList,
    ReferralPress,
    SightingAction,
    SightingHotspot,
    SightingNew,
    SightingPress,
    SightingWhen,
)
from bot.domain.callbacks.wire import Button
from bot.domain.outreach import (
    FLAG_LABELS,
    SLEEPING_SITE_LABELS,
    AgeBand,
    Flag,
    PersonFacts,
    PersonField,
)
from bot.domain.report_draft import DraftField
from bot.domain.roles import Permission, Role, Status
from bot.texts import (
    PERSON_FIELD_LABELS,
    STATS_LAST_7_DAYS,
    STATS_LAST_30_DAYS,
    STATS_THIS_QUARTER,
    audit_member_button,
    category_button,
    erase_button,
    member_button,
    person_button,
)
from storage.models import Category, Hotspot, Member

E = TypeVar("E", bound=StrEnum)

MEMBERS_PER_PAGE = 12


def access_request(member_id: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"Approve as {role.value}", callback_data=AccessApprove(member_id, role).pack()
            )
        ]
        for role in Role
    ]
    rows.append([InlineKeyboardButton("Reject", callback_data=AccessReject(member_id).pack())])
    return InlineKeyboardMarkup(rows)


def main_menu(granted: frozenset[Permission]) -> InlineKeyboardMarkup:
    """Buttons for what this member may do; features add entries as they exist."""
    entries = [
        (Permission.MEMBER, "📝 Report", MenuPress(MenuAction.REPORT).pack()),
        (Permission.MEMBER, "🛏 Rough sleeper seen", SightingNew().pack()),
        (Permission.OUTREACH, "🤝 Log contact", ContactNew().pack()),
        (Permission.OUTREACH, "📋 Referrals", ReferralList().pack()),
        (Permission.INVITE, "✉️ Invite someone", MenuPress(MenuAction.INVITE).pack()),
        (Permission.ADMIN, "👥 Members", MenuPress(MenuAction.MEMBERS).pack()),
        (Permission.MEMBER, "❓ Help", MenuPress(MenuAction.HELP).pack()),
    ]
    buttons = [
        InlineKeyboardButton(label, callback_data=data)
        for perm, label, data in entries
        if perm in granted
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def invite_roles(roles: list[Role]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(role.label, callback_data=InviteRole(role).pack())]
            for role in roles
        ]
    )


def member_list(members: list[Member], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                member_button(m.name, m.role, m.status, m.is_admin),
                callback_data=MemberPress(MemberAction.CARD, m.id or 0).pack(),
            )
        ]
        for m in members
    ]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Previous", callback_data=MembersPage(page - 1).pack()))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=MembersPage(page + 1).pack()))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def member_actions(member: Member) -> InlineKeyboardMarkup:
    member_id = member.id or 0
    rows: list[list[InlineKeyboardButton]] = []
    if member.status is Status.PENDING:
        rows.extend(access_request(member_id).inline_keyboard)
    else:
        rows.append(
            [
                InlineKeyboardButton(
                    "Change role", callback_data=MemberPress(MemberAction.ROLES, member_id).pack()
                )
            ]
        )
        if member.status is Status.ACTIVE:
            rows.append(
                [
                    InlineKeyboardButton(
                        "Suspend", callback_data=MemberPress(MemberAction.SUSPEND, member_id).pack()
                    )
                ]
            )
        else:
            rows.append(
                [
                    InlineKeyboardButton(
                        "Reinstate",
                        callback_data=MemberPress(MemberAction.REINSTATE, member_id).pack(),
                    )
                ]
            )
    rows.append([InlineKeyboardButton("◀ All members", callback_data=MembersPage(0).pack())])
    return InlineKeyboardMarkup([list(row) for row in rows])


def role_choice(member: Member) -> InlineKeyboardMarkup:
    member_id = member.id or 0
    rows = [
        [InlineKeyboardButton(role.label, callback_data=MemberSetRole(member_id, role).pack())]
        for role in Role
        if role is not member.role
    ]
    rows.append(
        [
            InlineKeyboardButton(
                "◀ Back", callback_data=MemberPress(MemberAction.CARD, member_id).pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


# ---- categories and hotspots (admins) ----------------------------------------------------
CATALOG_PER_PAGE = 20


def _pager(page: int, pages: int, build: Callable[[int], Button]) -> list[InlineKeyboardButton]:
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Previous", callback_data=build(page - 1).pack()))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=build(page + 1).pack()))
    return nav


def category_list(categories: list[Category], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                category_button(c.name, c.urgent, c.retired_at is not None),
                callback_data=CategoryPress(CategoryAction.SHOW, c.id or 0).pack(),
            )
        ]
        for c in categories
    ]
    nav = _pager(page, pages, CategoriesPage)
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("➕ Add a category", callback_data=CategoryAdd().pack())])
    return InlineKeyboardMarkup(rows)


def category_actions(category: Category) -> InlineKeyboardMarkup:
    category_id = category.id or 0

    def button(label: str, action: CategoryAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=CategoryPress(action, category_id).pack())

    urgent = "⚠️ Urgent by default: turn off" if category.urgent else "⚠️ Urgent by default: turn on"
    retire = (
        button("♻️ Restore", CategoryAction.RESTORE)
        if category.retired_at
        else button("🗄 Retire", CategoryAction.RETIRE)
    )
    return InlineKeyboardMarkup(
        [
            [
                button("✏️ Rename", CategoryAction.RENAME),
                button("🔑 Keywords", CategoryAction.KEYWORDS),
            ],
            [button(urgent, CategoryAction.URGENT)],
            [retire],
            [InlineKeyboardButton("◀ All categories", callback_data=CategoriesPage(0).pack())],
        ]
    )


def hotspot_list(hotspots: list[Hotspot], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"📍 {h.name}", callback_data=HotspotPress(HotspotAction.SHOW, h.id or 0).pack()
            )
        ]
        for h in hotspots
    ]
    nav = _pager(page, pages, HotspotsPage)
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("➕ Add a hotspot", callback_data=HotspotAdd().pack())])
    return InlineKeyboardMarkup(rows)


def hotspot_actions(hotspot: Hotspot) -> InlineKeyboardMarkup:
    hotspot_id = hotspot.id or 0

    def button(label: str, action: HotspotAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=HotspotPress(action, hotspot_id).pack())

    aliases = "🏷 Change aliases" if hotspot.alias_list else "🏷 Add aliases"
    return InlineKeyboardMarkup(
        [
            [button("📏 Set radius", HotspotAction.RADIUS), button(aliases, HotspotAction.ALIASES)],
            [button("✏️ Rename", HotspotAction.RENAME), button("🗑 Remove", HotspotAction.REMOVE)],
            [InlineKeyboardButton("◀ All hotspots", callback_data=HotspotsPage(0).pack())],
        ]
    )


def hotspot_confirm_remove(hotspot_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 Yes, remove",
                    callback_data=HotspotPress(HotspotAction.REMOVE_CONFIRMED, hotspot_id).pack(),
                ),
                InlineKeyboardButton(
                    "◀ Back", callback_data=HotspotPress(HotspotAction.SHOW, hotspot_id).pack()
                ),
            ]
        ]
    )


# ---- urgent alerts (Delivery) ----------------------------------------------------------
def alert_buttons(report_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✅ Acknowledge",
                    callback_data=AlertResponse(AlertAction.ACKNOWLEDGE, report_id).pack(),
                ),
                InlineKeyboardButton(
                    "🚶 Attending",
                    callback_data=AlertResponse(AlertAction.ATTENDING, report_id).pack(),
                ),
            ]
        ]
    )


# ---- incident reports (handlers.reports) ---------------------------------------------------
SHARE_LOCATION = "📍 Share location"
TYPE_A_PLACE = "⌨️ Type a place"
URGENT = "Urgent ⚠️"
NOT_URGENT = "Not urgent"


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _cancel_row(draft_id: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("✖️ Cancel", callback_data=ReportCancel(draft_id).pack())]


def report_categories(draft_id: str, categories: list[Category]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(c.name, callback_data=ReportCategory(draft_id, c.id or 0).pack())
        for c in categories
    ]
    return InlineKeyboardMarkup([*_pairs(buttons), _cancel_row(draft_id)])


def report_location() -> ReplyKeyboardMarkup:
    """The phone's own location button, and a way to type the place instead."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(SHARE_LOCATION, request_location=True)], [KeyboardButton(TYPE_A_PLACE)]],
        resize_keyboard=True,
        input_field_placeholder="Type the place",
    )


def report_hotspots(draft_id: str, hotspots: list[Hotspot]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            f"📍 {h.name}", callback_data=ReportHotspot(draft_id, h.id or 0).pack()
        )
        for h in hotspots
    ]
    return InlineKeyboardMarkup([*_pairs(buttons), _cancel_row(draft_id)])


def _report(label: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=button.pack())


def report_continue(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_report("➡️ Continue", ReportContinue(draft_id))], _cancel_row(draft_id)]
    )


def report_people(draft_id: str, bands: tuple[str, ...]) -> InlineKeyboardMarkup:
    counts = [
        InlineKeyboardButton(band, callback_data=ReportPeople(draft_id, band).pack())
        for band in bands
    ]
    skip = InlineKeyboardButton("Skip", callback_data=ReportPeople(draft_id, PEOPLE_SKIP).pack())
    return InlineKeyboardMarkup([counts, [skip], _cancel_row(draft_id)])


def report_urgent(draft_id: str, *, preset: bool) -> InlineKeyboardMarkup:
    """The category's default (or the member's earlier answer) is ticked."""

    def button(label: str, urgent: bool) -> InlineKeyboardButton:
        tick = "✓ " if urgent is preset else ""
        return InlineKeyboardButton(
            tick + label, callback_data=ReportUrgent(draft_id, urgent).pack()
        )

    return InlineKeyboardMarkup(
        [[button(URGENT, True), button(NOT_URGENT, False)], _cancel_row(draft_id)]
    )


def report_summary(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _report("✅ Confirm", ReportConfirm(draft_id)),
                _report("✏️ Edit", ReportEdit(draft_id)),
            ],
            _cancel_row(draft_id),
        ]
    )


REPORT_EDIT_LABELS = (
    ("category", "📂 Category"),
    ("place", "📍 Place"),
    ("what", "📝 What happened"),
    ("people", "👥 People"),
    ("urgent", "⚠️ Urgent?"),
)


def report_edit_fields(draft_id: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            label, callback_data=ReportEditField(draft_id, DraftField(field)).pack()
        )
        for field, label in REPORT_EDIT_LABELS
    ]
    back = InlineKeyboardButton("◀ Back", callback_data=ReportBackToSummary(draft_id).pack())
    return InlineKeyboardMarkup([*_pairs(buttons), [back]])


def quick_proposal(draft_id: str) -> InlineKeyboardMarkup:
    change_category = QuickChange(draft_id, QuickAction.CHANGE_CATEGORY)
    change_place = QuickChange(draft_id, QuickAction.CHANGE_PLACE)
    return InlineKeyboardMarkup(
        [
            [_report("✅ Confirm", QuickConfirm(draft_id))],
            [
                _report("📂 Change category", change_category),
                _report("📍 Change place", change_place),
            ],
            [_report("✖️ Cancel", QuickCancel(draft_id))],
        ]
    )


# ---- outreach: contacts, people, referrals, erasure (handlers.outreach, handlers.referrals) --
def _out(label: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=button.pack())


def _out_cancel(draft_id: str) -> list[InlineKeyboardButton]:
    return [_out("✖️ Cancel", ContactPress(draft_id, ContactAction.CANCEL))]


def _out_pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def contact_cancel(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([_out_cancel(draft_id)])


def contact_choose(draft_id: str, people: Sequence[PersonFacts] = ()) -> InlineKeyboardMarkup:
    rows = [
        [_out(person_button(i, p), ContactPerson(draft_id, ContactAction.PICK, p.id))]
        for i, p in enumerate(people, start=1)
    ]
    rows.append(
        [
            _out("➕ New person", ContactPress(draft_id, ContactAction.NEW_PERSON)),
            _out("👤 Anonymous", ContactPress(draft_id, ContactAction.ANONYMOUS)),
        ]
    )
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_same_person(draft_id: str, people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    rows = [
        [_out(f"✅ Yes: {person_button(i, p)}", ContactPerson(draft_id, ContactAction.SAME, p.id))]
        for i, p in enumerate(people, start=1)
    ]
    rows.append([_out("➕ No, a new person", ContactPress(draft_id, ContactAction.NOT_SAME))])
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_age(draft_id: str) -> InlineKeyboardMarkup:
    buttons = [_out(band.label.capitalize(), ContactAge(draft_id, band)) for band in AgeBand]
    return InlineKeyboardMarkup([*_out_pairs(buttons), _out_cancel(draft_id)])


def contact_skip(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_out("Skip ▶", ContactPress(draft_id, ContactAction.SKIP)), *_out_cancel(draft_id)]]
    )


def contact_places(
    draft_id: str, hotspots: Sequence[Hotspot], *, referral_place: bool
) -> InlineKeyboardMarkup:
    buttons = [_out(f"📍 {h.name}", ContactHotspot(draft_id, h.id or 0)) for h in hotspots]
    rows = _out_pairs(buttons)
    if referral_place:
        rows.insert(
            0,
            [
                _out(
                    "📍 Where the referral was",
                    ContactPress(draft_id, ContactAction.REFERRAL_PLACE),
                )
            ],
        )
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_sites(draft_id: str) -> InlineKeyboardMarkup:
    buttons = [
        _out(label, ContactSite(draft_id, site)) for site, label in SLEEPING_SITE_LABELS.items()
    ]
    return InlineKeyboardMarkup([*_out_pairs(buttons), _out_cancel(draft_id)])


def _ticked(label: str, on: bool) -> str:
    return f"✓ {label}" if on else label


def contact_multi(
    draft_id: str,
    labels: Mapping[E, str],
    chosen: Sequence[E],
    *,
    toggle: ContactAction,
    done: ContactAction,
) -> InlineKeyboardMarkup:
    """A multi-select: each press toggles a ✓; Done moves on."""
    buttons = [
        _out(_ticked(label, value in chosen), ContactTick(draft_id, toggle, value.value))
        for value, label in labels.items()
    ]
    return InlineKeyboardMarkup(
        [
            *_out_pairs(buttons),
            [_out("Done ▶", ContactPress(draft_id, done))],
            _out_cancel(draft_id),
        ]
    )


def contact_consent(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _out("Yes", ContactConsent(draft_id, ConsentAnswer.YES)),
                _out("No", ContactConsent(draft_id, ConsentAnswer.NO)),
            ],
            [_out("Not asked / no change", ContactConsent(draft_id, ConsentAnswer.NOT_ASKED))],
            _out_cancel(draft_id),
        ]
    )


def contact_confirm(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_out("✅ Save", ContactPress(draft_id, ContactAction.SAVE)), *_out_cancel(draft_id)]]
    )


def person_hits(people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    person_button(i, p), callback_data=PersonPress(PersonAction.SHOW, p.id).pack()
                )
            ]
            for i, p in enumerate(people, start=1)
        ]
    )


def person_actions(person_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🤝 Log contact", callback_data=ContactFor(person_id).pack()),
                InlineKeyboardButton(
                    "✏️ Edit", callback_data=PersonPress(PersonAction.EDIT, person_id).pack()
                ),
            ],
            [
                InlineKeyboardButton(
                    "🔀 Merge another record into this",
                    callback_data=PersonPress(PersonAction.MERGE, person_id).pack(),
                )
            ],
        ]
    )


def person_edit_menu(person: PersonFacts) -> InlineKeyboardMarkup:
    fields = ["alias", "appearance", "age_band", "gender", "usual_sites", "flags", "consent"]
    if person.consent:
        fields.append("legal_name")
    buttons = [
        InlineKeyboardButton(
            PERSON_FIELD_LABELS[f], callback_data=PersonDetail(person.id, PersonField(f)).pack()
        )
        for f in fields
    ]
    back = InlineKeyboardButton(
        "◀ Back", callback_data=PersonPress(PersonAction.SHOW, person.id).pack()
    )
    return InlineKeyboardMarkup([*_out_pairs(buttons), [back]])


def person_age(person_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            band.label.capitalize(), callback_data=PersonAge(person_id, band).pack()
        )
        for band in AgeBand
    ]
    back = InlineKeyboardButton(
        "◀ Back", callback_data=PersonPress(PersonAction.EDIT, person_id).pack()
    )
    return InlineKeyboardMarkup([*_out_pairs(buttons), [back]])


def person_flags(person_id: int, chosen: Sequence[Flag]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                _ticked(label, flag in chosen),
                callback_data=PersonFlag(person_id, flag).pack(),
            )
        ]
        for flag, label in FLAG_LABELS.items()
    ]
    rows.append(
        [
            InlineKeyboardButton(
                "Done ✅", callback_data=PersonPress(PersonAction.FLAGS_DONE, person_id).pack()
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def person_consent(person_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "Yes", callback_data=PersonConsent(person_id, ConsentAnswer.YES).pack()
                ),
                InlineKeyboardButton(
                    "No", callback_data=PersonConsent(person_id, ConsentAnswer.NO).pack()
                ),
            ],
            [
                InlineKeyboardButton(
                    "◀ Back", callback_data=PersonPress(PersonAction.EDIT, person_id).pack()
                )
            ],
        ]
    )


def merge_hits(keep_id: int, people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                person_button(i, p),
                callback_data=PersonMerge(PersonAction.MERGE_PICK, keep_id, p.id).pack(),
            )
        ]
        for i, p in enumerate(people, start=1)
    ]
    cancel = PersonPress(PersonAction.SHOW, keep_id).pack()
    rows.append([InlineKeyboardButton("✖️ Cancel", callback_data=cancel)])
    return InlineKeyboardMarkup(rows)


def merge_confirm(keep_id: int, other_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🔀 Merge",
                    callback_data=PersonMerge(PersonAction.MERGE_CONFIRM, keep_id, other_id).pack(),
                ),
                InlineKeyboardButton(
                    "✖️ Cancel", callback_data=PersonPress(PersonAction.SHOW, keep_id).pack()
                ),
            ]
        ]
    )


def referral_buttons(referral_id: int, *, taken: bool) -> InlineKeyboardMarkup:
    take = InlineKeyboardButton(
        "🙋 Take", callback_data=ReferralPress(ReferralAction.TAKE, referral_id).pack()
    )
    row = [] if taken else [take]
    row.append(
        InlineKeyboardButton(
            "🤝 Log contact", callback_data=ReferralPress(ReferralAction.LOG, referral_id).pack()
        )
    )
    row.append(
        InlineKeyboardButton(
            "🔎 Not found",
            callback_data=ReferralPress(ReferralAction.NOT_FOUND, referral_id).pack(),
        )
    )
    return InlineKeyboardMarkup([row])


def _rs(label: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=button.pack())


def _rs_cancel(draft_id: str) -> InlineKeyboardButton:
    return _rs("✖️ Cancel", SightingPress(draft_id, SightingAction.CANCEL))


RS_WHEN_CHOICES: tuple[tuple[str, int], ...] = (
    ("Just now", 0),
    ("About 30 min ago", 30),
    ("About 1 hour ago", 60),
    ("About 2 hours ago", 120),
    ("Earlier (4 hours or more)", 240),
)


def rs_places(draft_id: str, hotspots: Sequence[Hotspot]) -> InlineKeyboardMarkup:
    buttons = [_rs(f"📍 {h.name}", SightingHotspot(draft_id, h.id or 0)) for h in hotspots]
    return InlineKeyboardMarkup([*_out_pairs(buttons), [_rs_cancel(draft_id)]])


def rs_when(draft_id: str) -> InlineKeyboardMarkup:
    rows = [[_rs(label, SightingWhen(draft_id, minutes))] for label, minutes in RS_WHEN_CHOICES]
    rows.append([_rs_cancel(draft_id)])
    return InlineKeyboardMarkup(rows)


def rs_skip(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_rs("Skip ▶", SightingPress(draft_id, SightingAction.SKIP)), _rs_cancel(draft_id)]]
    )


def rs_confirm(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _rs("✅ Send to outreach", SightingPress(draft_id, SightingAction.SEND)),
                _rs_cancel(draft_id),
            ]
        ]
    )


def erase_choose(people: Sequence[PersonFacts], tz: ZoneInfo) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(erase_button(p, tz), callback_data=EraseConfirm(p.id).pack())]
        for p in people
    ]
    rows.append([InlineKeyboardButton("✖️ Cancel", callback_data=EraseCancel().pack())])
    return InlineKeyboardMarkup(rows)


# ---- audit log (admins: /audit, handlers.audit) ---------------------------------------------
AUDIT_PER_PAGE = 20
AUDIT_MEMBER_CHOICES = 10


def audit_pager(
    page: int, pages: int, build: Callable[[int], Button]
) -> InlineKeyboardMarkup | None:
    """◀ newer entries, older entries ▶ (page 0 is the newest)."""
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Newer", callback_data=build(page - 1).pack()))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("Older ▶", callback_data=build(page + 1).pack()))
    return InlineKeyboardMarkup([nav]) if nav else None


def audit_member_choice(members: Sequence[Member]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    audit_member_button(m.name, m.username, m.role),
                    callback_data=AuditMemberPage(m.id or 0).pack(),
                )
            ]
            for m in members[:AUDIT_MEMBER_CHOICES]
        ]
    )


# ---- coordinators' outputs (/stats, handlers.coordinator) ----------------------------------
def stats_periods() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(STATS_LAST_7_DAYS, callback_data=StatsPeriod("7d").pack()),
                InlineKeyboardButton(STATS_LAST_30_DAYS, callback_data=StatsPeriod("30d").pack()),
            ],
            [InlineKeyboardButton(STATS_THIS_QUARTER, callback_data=StatsPeriod("quarter").pack())],
        ]
    )


# ---- shifts (admins) and duty (handlers.shifts, handlers.duty) -----------------------------
def shift_list(shifts: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """shifts: (id, label) of each pattern, in the order listed."""
    rows = [
        [
            InlineKeyboardButton(
                label[:60], callback_data=ShiftPress(ShiftAction.SHOW, shift_id).pack()
            )
        ]
        for shift_id, label in shifts
    ]
    rows.append([InlineKeyboardButton("➕ Add a shift", callback_data=ShiftAdd().pack())])
    return InlineKeyboardMarkup(rows)


def shift_actions(shift_id: int) -> InlineKeyboardMarkup:
    def button(label: str, action: ShiftAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=ShiftPress(action, shift_id).pack())

    return InlineKeyboardMarkup(
        [
            [
                button("📅 Days", ShiftAction.DAYS),
                button("🕗 Start", ShiftAction.START),
                button("🕒 End", ShiftAction.END),
            ],
            [button("✏️ Rename", ShiftAction.RENAME), button("🗑 Remove", ShiftAction.REMOVE)],
            [InlineKeyboardButton("◀ All shifts", callback_data=ShiftsList().pack())],
        ]
    )


def shift_confirm_remove(shift_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 Yes, remove",
                    callback_data=ShiftPress(ShiftAction.REMOVE_CONFIRMED, shift_id).pack(),
                ),
                InlineKeyboardButton(
                    "◀ Back", callback_data=ShiftPress(ShiftAction.SHOW, shift_id).pack()
                ),
            ]
        ]
    )


def duty_started(session_id: int) -> InlineKeyboardMarkup:
    from bot.texts import DUTY_LOCATION_BUTTON

    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    DUTY_LOCATION_BUTTON, callback_data=DutyLocation(session_id).pack()
                )
            ]
        ]
    )


def duty_location() -> ReplyKeyboardMarkup:
    """The phone's own location button, and a way out."""
    from bot.texts import DUTY_NO_LOCATION, DUTY_SEND_LOCATION

    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(DUTY_SEND_LOCATION, request_location=True)],
            [KeyboardButton(DUTY_NO_LOCATION)],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
