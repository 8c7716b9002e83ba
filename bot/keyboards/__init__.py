"""Inline and reply keyboards, one module per feature (access, catalog, alerts, reports,
outreach, people, referrals, audit, coordinator, shifts, duty; common holds the record
Protocols and layout helpers). Callback data comes only from bot.domain.callbacks and
wording from bot.texts; they import only bot.domain, bot.texts and telegram, never storage
(records are typed with the Protocols in common, which storage.models objects fit). This
file re-exports their public names so `from bot import keyboards` / `keyboards.foo` keep
working; new code imports the feature module (`from bot.keyboards import reports as
reports_keyboards`).
"""

from bot.keyboards.access import (
    MEMBERS_PER_PAGE,
    access_request,
    invite_roles,
    main_menu,
    member_actions,
    member_list,
    open_invites,
    role_choice,
)
from bot.keyboards.alerts import (
    alert_keyboard,
)
from bot.keyboards.audit import (
    AUDIT_MEMBER_CHOICES,
    AUDIT_PER_PAGE,
    audit_member_choice,
    audit_pager,
)
from bot.keyboards.catalog import (
    CATALOG_PER_PAGE,
    category_actions,
    category_list,
    hotspot_actions,
    hotspot_confirm_remove,
    hotspot_list,
)
from bot.keyboards.common import (
    CategoryLike,
    HotspotLike,
    MemberLike,
    Named,
    pager,
    pairs,
    ticked,
)
from bot.keyboards.coordinator import (
    stats_periods,
)
from bot.keyboards.duty import (
    duty_location,
    duty_started,
)
from bot.keyboards.outreach import (
    contact_age,
    contact_cancel,
    contact_choose,
    contact_confirm,
    contact_consent,
    contact_multi,
    contact_places,
    contact_same_person,
    contact_sites,
    contact_skip,
)
from bot.keyboards.people import (
    erase_choose,
    merge_confirm,
    merge_hits,
    person_actions,
    person_age,
    person_consent,
    person_edit_menu,
    person_flags,
    person_hits,
)
from bot.keyboards.referrals import (
    RS_WHEN_CHOICES,
    referral_buttons,
    rs_confirm,
    rs_places,
    rs_skip,
    rs_when,
)
from bot.keyboards.reports import (
    NOT_URGENT,
    REPORT_EDIT_LABELS,
    SHARE_LOCATION,
    TYPE_A_PLACE,
    URGENT,
    quick_proposal,
    report_categories,
    report_continue,
    report_edit_fields,
    report_hotspots,
    report_location,
    report_people,
    report_summary,
    report_urgent,
    show_more,
)
from bot.keyboards.shifts import (
    shift_actions,
    shift_confirm_remove,
    shift_list,
)

__all__ = [
    "AUDIT_MEMBER_CHOICES",
    "AUDIT_PER_PAGE",
    "CATALOG_PER_PAGE",
    "MEMBERS_PER_PAGE",
    "NOT_URGENT",
    "REPORT_EDIT_LABELS",
    "RS_WHEN_CHOICES",
    "SHARE_LOCATION",
    "TYPE_A_PLACE",
    "URGENT",
    "CategoryLike",
    "HotspotLike",
    "MemberLike",
    "Named",
    "access_request",
    "alert_keyboard",
    "audit_member_choice",
    "audit_pager",
    "category_actions",
    "category_list",
    "contact_age",
    "contact_cancel",
    "contact_choose",
    "contact_confirm",
    "contact_consent",
    "contact_multi",
    "contact_places",
    "contact_same_person",
    "contact_sites",
    "contact_skip",
    "duty_location",
    "duty_started",
    "erase_choose",
    "hotspot_actions",
    "hotspot_confirm_remove",
    "hotspot_list",
    "invite_roles",
    "main_menu",
    "member_actions",
    "member_list",
    "merge_confirm",
    "merge_hits",
    "open_invites",
    "pager",
    "pairs",
    "person_actions",
    "person_age",
    "person_consent",
    "person_edit_menu",
    "person_flags",
    "person_hits",
    "quick_proposal",
    "referral_buttons",
    "report_categories",
    "report_continue",
    "report_edit_fields",
    "report_hotspots",
    "report_location",
    "report_people",
    "report_summary",
    "report_urgent",
    "role_choice",
    "rs_confirm",
    "rs_places",
    "rs_skip",
    "rs_when",
    "shift_actions",
    "shift_confirm_remove",
    "shift_list",
    "show_more",
    "stats_periods",
    "ticked",
]
