"""Inline and reply keyboards. Callback data comes only from bot.callbacks."""

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

from bot.domain import callbacks
from bot.domain.outreach import FLAG_LABELS, SLEEPING_SITE_LABELS, AgeBand, Flag, PersonFacts
from bot.domain.roles import Permission, Role, Status
from bot.texts import (
    ACKNOWLEDGE_BUTTON,
    ATTEND_BUTTON,
    NOT_ATTENDING_BUTTON,
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
                f"Approve as {role.value}", callback_data=callbacks.approve(member_id, role)
            )
        ]
        for role in Role
    ]
    rows.append([InlineKeyboardButton("Reject", callback_data=callbacks.reject(member_id))])
    return InlineKeyboardMarkup(rows)


def main_menu(granted: frozenset[Permission]) -> InlineKeyboardMarkup:
    """Buttons for what this member may do; features add entries as they exist."""
    entries = [
        (Permission.MEMBER, "📝 Report", callbacks.menu("report")),
        (Permission.MEMBER, "🛏 Rough sleeper seen", callbacks.rough_sleeper("new")),
        (Permission.OUTREACH, "🤝 Log contact", callbacks.outreach("new")),
        (Permission.OUTREACH, "📋 Referrals", callbacks.referral("list")),
        (Permission.INVITE, "✉️ Invite someone", callbacks.menu("invite")),
        (Permission.ADMIN, "👥 Members", callbacks.menu("members")),
        (Permission.MEMBER, "❓ Help", callbacks.menu("help")),
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
            [InlineKeyboardButton(role.label, callback_data=callbacks.new_invite(role))]
            for role in roles
        ]
    )


def member_list(members: list[Member], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                member_button(m.name, m.role, m.status, m.is_admin),
                callback_data=callbacks.member_card(m.id or 0),
            )
        ]
        for m in members
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton("◀ Previous", callback_data=callbacks.members_page(page - 1))
        )
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=callbacks.members_page(page + 1)))
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
            [InlineKeyboardButton("Change role", callback_data=callbacks.member_roles(member_id))]
        )
        if member.status is Status.ACTIVE:
            rows.append(
                [InlineKeyboardButton("Suspend", callback_data=callbacks.member_suspend(member_id))]
            )
        else:
            rows.append(
                [
                    InlineKeyboardButton(
                        "Reinstate", callback_data=callbacks.member_reinstate(member_id)
                    )
                ]
            )
    rows.append([InlineKeyboardButton("◀ All members", callback_data=callbacks.members_page(0))])
    return InlineKeyboardMarkup([list(row) for row in rows])


def role_choice(member: Member) -> InlineKeyboardMarkup:
    member_id = member.id or 0
    rows = [
        [InlineKeyboardButton(role.label, callback_data=callbacks.member_set_role(member_id, role))]
        for role in Role
        if role is not member.role
    ]
    rows.append([InlineKeyboardButton("◀ Back", callback_data=callbacks.member_card(member_id))])
    return InlineKeyboardMarkup(rows)


# ---- categories and hotspots (admins) ----------------------------------------------------
CATALOG_PER_PAGE = 20


def _pager(page: int, pages: int, build: Callable[[int], str]) -> list[InlineKeyboardButton]:
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Previous", callback_data=build(page - 1)))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("Next ▶", callback_data=build(page + 1)))
    return nav


def category_list(categories: list[Category], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                category_button(c.name, c.urgent, c.retired_at is not None),
                callback_data=callbacks.category_action("show", c.id or 0),
            )
        ]
        for c in categories
    ]
    nav = _pager(page, pages, callbacks.categories_page)
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("➕ Add a category", callback_data=callbacks.category_add())])
    return InlineKeyboardMarkup(rows)


def category_actions(category: Category) -> InlineKeyboardMarkup:
    category_id = category.id or 0

    def button(label: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            label, callback_data=callbacks.category_action(action, category_id)
        )

    urgent = "⚠️ Urgent by default: turn off" if category.urgent else "⚠️ Urgent by default: turn on"
    retire = button("♻️ Restore", "res") if category.retired_at else button("🗄 Retire", "ret")
    return InlineKeyboardMarkup(
        [
            [button("✏️ Rename", "ren"), button("🔑 Keywords", "kw")],
            [button(urgent, "urg")],
            [retire],
            [InlineKeyboardButton("◀ All categories", callback_data=callbacks.categories_page(0))],
        ]
    )


def hotspot_list(hotspots: list[Hotspot], page: int, pages: int) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"📍 {h.name}", callback_data=callbacks.hotspot_action("show", h.id or 0)
            )
        ]
        for h in hotspots
    ]
    nav = _pager(page, pages, callbacks.hotspots_page)
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("➕ Add a hotspot", callback_data=callbacks.hotspot_add())])
    return InlineKeyboardMarkup(rows)


def hotspot_actions(hotspot: Hotspot) -> InlineKeyboardMarkup:
    hotspot_id = hotspot.id or 0

    def button(label: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            label, callback_data=callbacks.hotspot_action(action, hotspot_id)
        )

    aliases = "🏷 Change aliases" if hotspot.alias_list else "🏷 Add aliases"
    return InlineKeyboardMarkup(
        [
            [button("📏 Set radius", "rad"), button(aliases, "ali")],
            [button("✏️ Rename", "ren"), button("🗑 Remove", "rm")],
            [InlineKeyboardButton("◀ All hotspots", callback_data=callbacks.hotspots_page(0))],
        ]
    )


def hotspot_confirm_remove(hotspot_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 Yes, remove", callback_data=callbacks.hotspot_action("rmok", hotspot_id)
                ),
                InlineKeyboardButton(
                    "◀ Back", callback_data=callbacks.hotspot_action("show", hotspot_id)
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
                    "✅ Acknowledge", callback_data=callbacks.incident_ack(report_id)
                ),
                InlineKeyboardButton(
                    "🚶 Attending", callback_data=callbacks.incident_attending(report_id)
                ),
            ]
        ]
    )


# ---- incident reports (handlers.reports) ---------------------------------------------------
SHARE_LOCATION = "📍 Share location"
TYPE_A_PLACE = "⌨️ Type a place"
URGENT = "Urgent ⚠️"
NOT_URGENT = "Not urgent"
PEOPLE_SKIP = "skip"


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _cancel_row(draft_id: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("✖️ Cancel", callback_data=callbacks.report_button("x", draft_id))]


def report_categories(draft_id: str, categories: list[Category]) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(c.name, callback_data=callbacks.report_button("cat", draft_id, c.id))
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
            f"📍 {h.name}", callback_data=callbacks.report_button("hot", draft_id, h.id)
        )
        for h in hotspots
    ]
    return InlineKeyboardMarkup([*_pairs(buttons), _cancel_row(draft_id)])


def _report(label: str, action: str, draft_id: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callbacks.report_button(action, draft_id))


def report_continue(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_report("➡️ Continue", "go", draft_id)], _cancel_row(draft_id)])


def report_people(draft_id: str, bands: tuple[str, ...]) -> InlineKeyboardMarkup:
    counts = [
        InlineKeyboardButton(band, callback_data=callbacks.report_button("ppl", draft_id, band))
        for band in bands
    ]
    skip = InlineKeyboardButton(
        "Skip", callback_data=callbacks.report_button("ppl", draft_id, PEOPLE_SKIP)
    )
    return InlineKeyboardMarkup([counts, [skip], _cancel_row(draft_id)])


def report_urgent(draft_id: str, *, preset: bool) -> InlineKeyboardMarkup:
    """The category's default (or the member's earlier answer) is ticked."""

    def button(label: str, urgent: bool) -> InlineKeyboardButton:
        tick = "✓ " if urgent is preset else ""
        return InlineKeyboardButton(
            tick + label, callback_data=callbacks.report_button("urg", draft_id, int(urgent))
        )

    return InlineKeyboardMarkup(
        [[button(URGENT, True), button(NOT_URGENT, False)], _cancel_row(draft_id)]
    )


def report_summary(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_report("✅ Confirm", "ok", draft_id), _report("✏️ Edit", "edit", draft_id)],
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
        InlineKeyboardButton(label, callback_data=callbacks.report_button("ed", draft_id, field))
        for field, label in REPORT_EDIT_LABELS
    ]
    back = InlineKeyboardButton("◀ Back", callback_data=callbacks.report_button("sum", draft_id))
    return InlineKeyboardMarkup([*_pairs(buttons), [back]])


def quick_proposal(draft_id: str) -> InlineKeyboardMarkup:
    def button(label: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=callbacks.quick_button(action, draft_id))

    return InlineKeyboardMarkup(
        [
            [button("✅ Confirm", "ok")],
            [button("📂 Change category", "cat"), button("📍 Change place", "place")],
            [button("✖️ Cancel", "x")],
        ]
    )


# ---- outreach: contacts, people, referrals, erasure (handlers.outreach, handlers.referrals) --
def _out(label: str, action: str, draft_id: str, arg: object | None = None) -> InlineKeyboardButton:
    args = (draft_id,) if arg is None else (draft_id, arg)
    return InlineKeyboardButton(label, callback_data=callbacks.outreach(action, *args))


def _out_cancel(draft_id: str) -> list[InlineKeyboardButton]:
    return [_out("✖️ Cancel", "x", draft_id)]


def _out_pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def contact_cancel(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([_out_cancel(draft_id)])


def contact_choose(draft_id: str, people: Sequence[PersonFacts] = ()) -> InlineKeyboardMarkup:
    rows = [
        [_out(person_button(i, p), "pick", draft_id, p.id)] for i, p in enumerate(people, start=1)
    ]
    rows.append([_out("➕ New person", "newp", draft_id), _out("👤 Anonymous", "anon", draft_id)])
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_same_person(draft_id: str, people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    rows = [
        [_out(f"✅ Yes: {person_button(i, p)}", "same", draft_id, p.id)]
        for i, p in enumerate(people, start=1)
    ]
    rows.append([_out("➕ No, a new person", "notsame", draft_id)])
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_age(draft_id: str) -> InlineKeyboardMarkup:
    buttons = [_out(band.label.capitalize(), "age", draft_id, band.value) for band in AgeBand]
    return InlineKeyboardMarkup([*_out_pairs(buttons), _out_cancel(draft_id)])


def contact_skip(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_out("Skip ▶", "skip", draft_id), *_out_cancel(draft_id)]])


def contact_places(
    draft_id: str, hotspots: Sequence[Hotspot], *, referral_place: bool
) -> InlineKeyboardMarkup:
    buttons = [_out(f"📍 {h.name}", "hot", draft_id, h.id) for h in hotspots]
    rows = _out_pairs(buttons)
    if referral_place:
        rows.insert(0, [_out("📍 Where the referral was", "refplace", draft_id)])
    rows.append(_out_cancel(draft_id))
    return InlineKeyboardMarkup(rows)


def contact_sites(draft_id: str) -> InlineKeyboardMarkup:
    buttons = [
        _out(label, "site", draft_id, site.value) for site, label in SLEEPING_SITE_LABELS.items()
    ]
    return InlineKeyboardMarkup([*_out_pairs(buttons), _out_cancel(draft_id)])


def _ticked(label: str, on: bool) -> str:
    return f"✓ {label}" if on else label


def contact_multi(
    draft_id: str,
    labels: Mapping[E, str],
    chosen: Sequence[E],
    *,
    toggle: str,
    done: str,
) -> InlineKeyboardMarkup:
    """A multi-select: each press toggles a ✓; Done moves on."""
    buttons = [
        _out(_ticked(label, value in chosen), toggle, draft_id, value.value)
        for value, label in labels.items()
    ]
    return InlineKeyboardMarkup(
        [*_out_pairs(buttons), [_out("Done ▶", done, draft_id)], _out_cancel(draft_id)]
    )


def contact_consent(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_out("Yes", "cons", draft_id, "y"), _out("No", "cons", draft_id, "n")],
            [_out("Not asked / no change", "cons", draft_id, "u")],
            _out_cancel(draft_id),
        ]
    )


def contact_confirm(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_out("✅ Save", "save", draft_id), *_out_cancel(draft_id)]])


def person_hits(people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    person_button(i, p), callback_data=callbacks.person("show", p.id)
                )
            ]
            for i, p in enumerate(people, start=1)
        ]
    )


def person_actions(person_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🤝 Log contact", callback_data=callbacks.outreach("for", person_id)
                ),
                InlineKeyboardButton("✏️ Edit", callback_data=callbacks.person("edit", person_id)),
            ],
            [
                InlineKeyboardButton(
                    "🔀 Merge another record into this",
                    callback_data=callbacks.person("merge", person_id),
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
            PERSON_FIELD_LABELS[f], callback_data=callbacks.person("f", person.id, f)
        )
        for f in fields
    ]
    back = InlineKeyboardButton("◀ Back", callback_data=callbacks.person("show", person.id))
    return InlineKeyboardMarkup([*_out_pairs(buttons), [back]])


def person_age(person_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            band.label.capitalize(), callback_data=callbacks.person("age", person_id, band.value)
        )
        for band in AgeBand
    ]
    back = InlineKeyboardButton("◀ Back", callback_data=callbacks.person("edit", person_id))
    return InlineKeyboardMarkup([*_out_pairs(buttons), [back]])


def person_flags(person_id: int, chosen: Sequence[Flag]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                _ticked(label, flag in chosen),
                callback_data=callbacks.person("flag", person_id, flag.value),
            )
        ]
        for flag, label in FLAG_LABELS.items()
    ]
    rows.append(
        [InlineKeyboardButton("Done ✅", callback_data=callbacks.person("flags", person_id))]
    )
    return InlineKeyboardMarkup(rows)


def person_consent(person_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data=callbacks.person("cons", person_id, "y")),
                InlineKeyboardButton("No", callback_data=callbacks.person("cons", person_id, "n")),
            ],
            [InlineKeyboardButton("◀ Back", callback_data=callbacks.person("edit", person_id))],
        ]
    )


def merge_hits(keep_id: int, people: Sequence[PersonFacts]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                person_button(i, p), callback_data=callbacks.person("mrg", keep_id, p.id)
            )
        ]
        for i, p in enumerate(people, start=1)
    ]
    rows.append([InlineKeyboardButton("✖️ Cancel", callback_data=callbacks.person("show", keep_id))])
    return InlineKeyboardMarkup(rows)


def merge_confirm(keep_id: int, other_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🔀 Merge", callback_data=callbacks.person("mok", keep_id, other_id)
                ),
                InlineKeyboardButton("✖️ Cancel", callback_data=callbacks.person("show", keep_id)),
            ]
        ]
    )


def referral_buttons(referral_id: int, *, taken: bool) -> InlineKeyboardMarkup:
    take = InlineKeyboardButton("🙋 Take", callback_data=callbacks.referral("take", referral_id))
    row = [] if taken else [take]
    row.append(
        InlineKeyboardButton("🤝 Log contact", callback_data=callbacks.referral("log", referral_id))
    )
    row.append(
        InlineKeyboardButton("🔎 Not found", callback_data=callbacks.referral("nf", referral_id))
    )
    return InlineKeyboardMarkup([row])


def _rs(label: str, action: str, draft_id: str, arg: object | None = None) -> InlineKeyboardButton:
    args = (draft_id,) if arg is None else (draft_id, arg)
    return InlineKeyboardButton(label, callback_data=callbacks.rough_sleeper(action, *args))


RS_WHEN_CHOICES: tuple[tuple[str, int], ...] = (
    ("Just now", 0),
    ("About 30 min ago", 30),
    ("About 1 hour ago", 60),
    ("About 2 hours ago", 120),
    ("Earlier (4 hours or more)", 240),
)


def rs_places(draft_id: str, hotspots: Sequence[Hotspot]) -> InlineKeyboardMarkup:
    buttons = [_rs(f"📍 {h.name}", "hot", draft_id, h.id) for h in hotspots]
    return InlineKeyboardMarkup([*_out_pairs(buttons), [_rs("✖️ Cancel", "x", draft_id)]])


def rs_when(draft_id: str) -> InlineKeyboardMarkup:
    rows = [[_rs(label, "when", draft_id, minutes)] for label, minutes in RS_WHEN_CHOICES]
    rows.append([_rs("✖️ Cancel", "x", draft_id)])
    return InlineKeyboardMarkup(rows)


def rs_skip(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_rs("Skip ▶", "skip", draft_id), _rs("✖️ Cancel", "x", draft_id)]])


def rs_confirm(draft_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_rs("✅ Send to outreach", "ok", draft_id), _rs("✖️ Cancel", "x", draft_id)]]
    )


def erase_choose(people: Sequence[PersonFacts], tz: ZoneInfo) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(erase_button(p, tz), callback_data=callbacks.erase("ok", p.id))]
        for p in people
    ]
    rows.append([InlineKeyboardButton("✖️ Cancel", callback_data=callbacks.erase("x"))])
    return InlineKeyboardMarkup(rows)


# ---- audit log (admins: /audit, handlers.audit) ---------------------------------------------
AUDIT_PER_PAGE = 20
AUDIT_MEMBER_CHOICES = 10


def audit_pager(page: int, pages: int, build: Callable[[int], str]) -> InlineKeyboardMarkup | None:
    """◀ newer entries, older entries ▶ (page 0 is the newest)."""
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Newer", callback_data=build(page - 1)))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("Older ▶", callback_data=build(page + 1)))
    return InlineKeyboardMarkup([nav]) if nav else None


def audit_member_choice(members: Sequence[Member]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    audit_member_button(m.name, m.username, m.role),
                    callback_data=callbacks.audit_member(m.id or 0),
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
                InlineKeyboardButton(STATS_LAST_7_DAYS, callback_data=callbacks.stats_period("7d")),
                InlineKeyboardButton(
                    STATS_LAST_30_DAYS, callback_data=callbacks.stats_period("30d")
                ),
            ],
            [
                InlineKeyboardButton(
                    STATS_THIS_QUARTER, callback_data=callbacks.stats_period("quarter")
                )
            ],
        ]
    )


# ---- shifts (admins) and duty (handlers.shifts, handlers.duty) -----------------------------
def shift_list(shifts: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """shifts: (id, label) of each pattern, in the order listed."""
    rows = [
        [InlineKeyboardButton(label[:60], callback_data=callbacks.shift_action("show", shift_id))]
        for shift_id, label in shifts
    ]
    rows.append([InlineKeyboardButton("➕ Add a shift", callback_data=callbacks.shift_add())])
    return InlineKeyboardMarkup(rows)


def shift_actions(shift_id: int) -> InlineKeyboardMarkup:
    def button(label: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=callbacks.shift_action(action, shift_id))

    return InlineKeyboardMarkup(
        [
            [button("📅 Days", "days"), button("🕗 Start", "start"), button("🕒 End", "end")],
            [button("✏️ Rename", "ren"), button("🗑 Remove", "rm")],
            [InlineKeyboardButton("◀ All shifts", callback_data=callbacks.shifts_list())],
        ]
    )


def shift_confirm_remove(shift_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "🗑 Yes, remove", callback_data=callbacks.shift_action("rmok", shift_id)
                ),
                InlineKeyboardButton(
                    "◀ Back", callback_data=callbacks.shift_action("show", shift_id)
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
                    DUTY_LOCATION_BUTTON, callback_data=callbacks.duty_location(session_id)
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


# ---- alerts that bring help (issue 12) -----------------------------------------------------
def alert_keyboard(
    report_id: int, *, acknowledge: bool, attend: bool, not_attending: bool
) -> InlineKeyboardMarkup | None:
    """An alert copy's buttons, as the member it was sent to may use them (None: none)."""
    buttons = []
    if acknowledge:
        buttons.append(
            InlineKeyboardButton(
                ACKNOWLEDGE_BUTTON, callback_data=callbacks.incident_ack(report_id)
            )
        )
    if attend:
        buttons.append(
            InlineKeyboardButton(
                ATTEND_BUTTON, callback_data=callbacks.incident_attending(report_id)
            )
        )
    rows = [buttons] if buttons else []
    if not_attending:
        rows.append(
            [
                InlineKeyboardButton(
                    NOT_ATTENDING_BUTTON,
                    callback_data=callbacks.incident_not_attending(report_id),
                )
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None
