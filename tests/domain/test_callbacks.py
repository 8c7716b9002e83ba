"""Button codecs: each family packs to the same wire format as before and reads back only
what it packs (no Telegram, no database)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pytest

from bot.domain import callbacks
from bot.domain.access.roles import Role
from bot.domain.callbacks.admin import (
    AUDIT_BUTTONS,
    SHIFT_BUTTONS,
    AuditActionPage,
    AuditMemberPage,
    AuditPage,
    DutyLocation,
    ShiftAction,
    ShiftAdd,
    ShiftPress,
    ShiftsList,
    StatsPeriod,
)
from bot.domain.callbacks.catalog import (
    CATEGORY_BUTTONS,
    HOTSPOT_BUTTONS,
    CategoriesPage,
    CategoryAction,
    CategoryAdd,
    CategoryPress,
    HotspotAction,
    HotspotPress,
    HotspotsPage,
)
from bot.domain.callbacks.cctv import (
    CCTV_ANSWER_BUTTONS,
    CCTV_REQUEST_BUTTONS,
    CctvAnswerAction,
    CctvAnswerPress,
    CctvCancel,
    CctvDraft,
    CctvRequestAction,
    CctvStart,
)
from bot.domain.callbacks.members import (
    ACCESS_BUTTONS,
    MEMBER_BUTTONS,
    AccessApprove,
    AccessReject,
    InviteRevoke,
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
    CloseCode,
    KeptDraftAction,
    KeptDraftPress,
    QuickAction,
    QuickCancel,
    QuickChange,
    QuickConfirm,
    QuickToggleUrgent,
    QuickUnder18,
    ReportBackToSummary,
    ReportCancel,
    ReportCategory,
    ReportConfirm,
    ReportContinue,
    ReportEdit,
    ReportEditField,
    ReportHotspot,
    ReportMoreCategories,
    ReportPeople,
    ReportUnder18,
    ReportUrgent,
    ShowMore,
    draft_press,
)
from bot.domain.callbacks.safeguarding import (
    ConcernAction,
    ConcernDone,
    ConcernList,
    ConcernPress,
)
from bot.domain.callbacks.safety import (
    CheckInOk,
    EndCheckIns,
    NeedHelp,
    SafetyAck,
    SafetyAction,
    WorkingMode,
)
from bot.domain.callbacks.shorthand import FAMILIES
from bot.domain.callbacks.street_outreach import (
    CONTACT_BUTTONS,
    ERASE_BUTTONS,
    PERSON_BUTTONS,
    REFERRAL_BUTTONS,
    SIGHTING_BUTTONS,
    ConsentAnswer,
    ContactAction,
    ContactAge,
    ContactConsent,
    ContactExploitation,
    ContactFor,
    ContactHotspot,
    ContactKnownPlace,
    ContactLocal,
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
    PersonOutcomeDay,
    PersonOutcomeKind,
    PersonPress,
    ReferralAction,
    ReferralList,
    ReferralPress,
    SightingAction,
    SightingAge,
    SightingHotspot,
    SightingNew,
    SightingPress,
    SightingWhen,
)
from bot.domain.callbacks.survey import SurveyAction, SurveyPress
from bot.domain.callbacks.wire import MAX_INT_ARG, Button, Family
from bot.domain.outreach import Action, AgeBand, Flag, Need, PersonField, SleepingSite
from bot.domain.reports.close_outcomes import CloseOutcome
from bot.domain.reports.incidents import AckKind
from bot.domain.reports.report_draft import DraftField
from bot.domain.rough_sleeping import Institution, LocalConnection, MoveOutcome, NeedsAnswer
from bot.domain.safeguarding import ConcernKind, LeadAction

D = "abc123"  # a draft id

# Every button the bot sends, and its data as it went over the wire before the codecs.
WIRE: list[tuple[Button, str]] = [
    (CloseCode(42, CloseOutcome.MOVED_ON), "cls:o:42:moved_on"),
    (CloseCode(7, CloseOutcome.NO_FURTHER_ACTION), "cls:o:7:nfa"),
    (AccessApprove(7, Role.WARDEN), "acc:ok:7:warden"),
    (AccessReject(7), "acc:no:7"),
    (MembersPage(2), "mem:list:2"),
    (MemberPress(MemberAction.CARD, 7), "mem:card:7"),
    (MemberPress(MemberAction.ROLES, 7), "mem:roles:7"),
    (MemberSetRole(7, Role.COORDINATOR), "mem:set:7:coordinator"),
    (MemberPress(MemberAction.SUSPEND, 7), "mem:sus:7"),
    (MemberPress(MemberAction.REINSTATE, 7), "mem:rei:7"),
    (MemberPress(MemberAction.RENAME, 7), "mem:ren:7"),
    (InviteRole(Role.OUTREACH), "inv:new:outreach"),
    (InviteRevoke(12), "inv:rev:12"),
    (MenuPress(MenuAction.REPORT), "menu:report"),
    (MenuPress(MenuAction.HELP), "menu:help"),
    (ReportCategory(D, 4), "rep:cat:abc123:4"),
    (ReportHotspot(D, 9), "rep:hot:abc123:9"),
    (ReportContinue(D), "rep:go:abc123"),
    (ReportPeople(D, "2-3"), "rep:ppl:abc123:2-3"),
    (ReportPeople(D, PEOPLE_SKIP), "rep:ppl:abc123:skip"),
    (ReportUrgent(D, True), "rep:urg:abc123:1"),
    (ReportUrgent(D, False), "rep:urg:abc123:0"),
    (ReportConfirm(D), "rep:ok:abc123"),
    (ReportEdit(D), "rep:edit:abc123"),
    (ReportEditField(D, DraftField.PLACE), "rep:ed:abc123:place"),
    (ReportBackToSummary(D), "rep:sum:abc123"),
    (ReportCancel(D), "rep:x:abc123"),
    (ReportMoreCategories(D), "rep:more:abc123"),
    (QuickConfirm(D), "qr:ok:abc123"),
    (QuickChange(D, QuickAction.CHANGE_CATEGORY), "qr:cat:abc123"),
    (QuickChange(D, QuickAction.CHANGE_PLACE), "qr:place:abc123"),
    (QuickCancel(D), "qr:x:abc123"),
    (QuickToggleUrgent(D), "qr:urg:abc123"),
    (KeptDraftPress(KeptDraftAction.RESUME, D), "drf:go:abc123"),
    (KeptDraftPress(KeptDraftAction.DROP, D), "drf:x:abc123"),
    (AlertResponse(AlertAction.ACKNOWLEDGE, 42), "inc:ack:42"),
    (AlertResponse(AlertAction.ATTENDING, 42), "inc:att:42"),
    (CategoriesPage(1), "cat:list:1"),
    (CategoryAdd(), "cat:add"),
    (CategoryPress(CategoryAction.KEYWORDS, 3), "cat:kw:3"),
    (CategoryPress(CategoryAction.RESTORE, 3), "cat:res:3"),
    (CategoryPress(CategoryAction.SENSITIVE, 3), "cat:sen:3"),
    (HotspotsPage(0), "hot:list:0"),
    (HotspotPress(HotspotAction.REMOVE_CONFIRMED, 5), "hot:rmok:5"),
    (ContactNew(), "out:new"),
    (ContactFor(11), "out:for:11"),
    (ContactPerson(D, ContactAction.PICK, 11), "out:pick:abc123:11"),
    (ContactPerson(D, ContactAction.SAME, 11), "out:same:abc123:11"),
    (ContactPress(D, ContactAction.ANONYMOUS), "out:anon:abc123"),
    (ContactPress(D, ContactAction.REFERRAL_PLACE), "out:refplace:abc123"),
    (ContactAge(D, AgeBand.AGE_18_25), "out:age:abc123:18_25"),
    (ContactHotspot(D, 9), "out:hot:abc123:9"),
    (ContactSite(D, SleepingSite.DOORWAY, True), "out:site:abc123:doorway:1"),
    (ContactSite(D, SleepingSite.BEGGING_PITCH, False), "out:site:abc123:begging:0"),
    (ContactLocal(D, LocalConnection.NO), "out:loc:abc123:no"),
    (ContactPress(D, ContactAction.LOCAL_AGAIN), "out:locprev:abc123"),
    (ContactKnownPlace(D, 2), "out:lplace:abc123:2"),
    (ContactTick(D, ContactAction.NEED, "declined"), "out:need:abc123:declined"),
    (ContactTick(D, ContactAction.LEFT, "prison"), "out:left:abc123:prison"),
    (ContactPress(D, ContactAction.LEFT_DONE), "out:lefts:abc123"),
    (ContactTick(D, ContactAction.NEED, Need.ACCOMMODATION.value), "out:need:abc123:accom"),
    (ContactTick(D, ContactAction.ACTION, "streetlink"), "out:act:abc123:streetlink"),
    (ContactPress(D, ContactAction.NEEDS_DONE), "out:needs:abc123"),
    (ContactConsent(D, ConsentAnswer.NOT_ASKED), "out:cons:abc123:u"),
    (ContactPress(D, ContactAction.SAVE), "out:save:abc123"),
    (ContactPress(D, ContactAction.CANCEL), "out:x:abc123"),
    (PersonPress(PersonAction.SHOW, 11), "per:show:11"),
    (PersonPress(PersonAction.FLAGS_DONE, 11), "per:flags:11"),
    (PersonDetail(11, PersonField.LEGAL_NAME), "per:f:11:legal_name"),
    (PersonAge(11, AgeBand.UNDER_18), "per:age:11:u18"),
    (PersonFlag(11, Flag.NRPF), "per:flag:11:nrpf"),
    (PersonConsent(11, ConsentAnswer.YES), "per:cons:11:y"),
    (PersonPress(PersonAction.MERGE, 11), "per:merge:11"),
    (PersonMerge(PersonAction.MERGE_PICK, 11, 12), "per:mrg:11:12"),
    (PersonMerge(PersonAction.MERGE_CONFIRM, 11, 12), "per:mok:11:12"),
    (PersonPress(PersonAction.OUTCOME, 11), "per:outc:11"),
    (
        PersonOutcomeKind(PersonAction.OUTCOME_KIND, 11, MoveOutcome.SUPPORTED),
        "per:okind:11:supported",
    ),
    (
        PersonOutcomeKind(PersonAction.OUTCOME_TYPED, 11, MoveOutcome.HOSTEL),
        "per:odate:11:hostel",
    ),
    (PersonOutcomeDay(11, MoveOutcome.CUSTODY, 13), "per:oday:11:custody:13"),
    (ReferralList(), "ref:list"),
    (ReferralPress(ReferralAction.TAKE, 3), "ref:take:3"),
    (ReferralPress(ReferralAction.NOT_FOUND, 3), "ref:nf:3"),
    (SightingNew(), "rs:new"),
    (SightingHotspot(D, 9), "rs:hot:abc123:9"),
    (SightingWhen(D, 120), "rs:when:abc123:120"),
    (SightingPress(D, SightingAction.SEND), "rs:ok:abc123"),
    (EraseConfirm(11), "era:ok:11"),
    (EraseCancel(), "era:x"),
    (ShiftsList(), "shf:list"),
    (ShiftAdd(), "shf:add"),
    (ShiftPress(ShiftAction.START, 2), "shf:start:2"),
    (DutyLocation(8), "dut:loc:8"),
    (AuditPage(3), "aud:p:3"),
    (AuditMemberPage(7), "aud:m:7:0"),
    (AuditActionPage("member.", 2), "aud:a:member.:2"),
    (StatsPeriod("quarter"), "sta:p:quarter"),
    (ShowMore(42, 2), "shw:more:42:2"),
    (SurveyPress(SurveyAction.TOGGLE, 3, 1, 2, 5, 1, "AbCdEfGh"), "sv:t:3:1:2:5:1:AbCdEfGh"),
    (CctvStart(42), "cr:new:42"),
    (CctvDraft(CctvRequestAction.WINDOW, 42, -15, 15, 0), "cr:w:42:-15:15:0"),
    (CctvDraft(CctvRequestAction.SEND, 42, -30, 45, 3), "cr:go:42:-30:45:3"),
    (CctvCancel(42), "cr:x:42"),
    (CctvAnswerPress(CctvAnswerAction.FOUND, 7), "cv:f:7"),
    (CctvAnswerPress(CctvAnswerAction.FOOTAGE_REF, 7), "cv:ref:7"),
    (AlertResponse(AlertAction.CAMERA_ON, 42), "inc:cam:42"),
    (WorkingMode(SafetyAction.ALONE, 4), "saf:alone:4"),
    (WorkingMode(SafetyAction.PAIRED, 4), "saf:paired:4"),
    (CheckInOk(5), "saf:ok:5"),
    (NeedHelp(), "saf:help"),
    (SafetyAck(6), "saf:ack:6"),
    (EndCheckIns(7), "saf:end:7"),
    (ConcernList(), "sg:list"),
    (ConcernPress(ConcernAction.ACKNOWLEDGE, 12), "sg:ack:12"),
    (ConcernDone(12, LeadAction.CHILDRENS_SERVICES), "sg:do:12:children"),
    (ReportUnder18(D), "rep:u18:abc123"),
    (QuickUnder18(D), "qr:u18:abc123"),
    (SightingAge(D, True), "rs:age:abc123:1"),
    (ContactExploitation(D, ConcernKind.COUNTY_LINES), "out:expl:abc123:county"),
]


@pytest.mark.parametrize(("button", "data"), WIRE, ids=[data for _, data in WIRE])
def test_each_button_packs_as_before_and_reads_back(button: Button, data: str) -> None:
    assert button.pack() == data
    assert type(button).unpack(data) == button
    assert FAMILIES[button.PREFIX].unpack(data) == button
    assert callbacks.parse(data) is not None  # the access gate's reading


def test_every_prefix_has_a_family_and_every_family_a_button_above() -> None:
    assert set(FAMILIES) == set(callbacks.PREFIX_PERMISSIONS)
    assert {b.PREFIX for b, _ in WIRE} == set(FAMILIES)


@pytest.mark.parametrize(
    ("family", "data"),
    [
        (MEMBER_BUTTONS, "mem:card:99999999999999999999"),  # past the database's integer
        (MEMBER_BUTTONS, "mem:card:abc"),
        (MEMBER_BUTTONS, "mem:card"),  # an argument missing
        (MEMBER_BUTTONS, "mem:card:1:2"),  # one too many
        (MEMBER_BUTTONS, "mem:zzz:1"),  # an action the family does not have
        (MEMBER_BUTTONS, "cat:list:1"),  # another family's
        (ACCESS_BUTTONS, "acc:ok:1:king"),  # not a role
        (CATEGORY_BUTTONS, "cat:nonsense:1"),
        (HOTSPOT_BUTTONS, "hot:show:" + str(MAX_INT_ARG + 1)),
        (CONTACT_BUTTONS, "out:age:abc123:ancient"),
        (CONTACT_BUTTONS, "out:need:abc123:streetlink"),  # an action taken, not a need
        (CONTACT_BUTTONS, "out:pick:abc-12:3"),  # a draft id is letters and digits
        (PERSON_BUTTONS, "per:f:1:shoe_size"),
        (PERSON_BUTTONS, "per:cons:1:u"),  # a record's consent is yes or no
        (REFERRAL_BUTTONS, "ref:take:x"),
        (SIGHTING_BUTTONS, "rs:when:abc123:soon"),
        (ERASE_BUTTONS, "era:ok"),
        (SHIFT_BUTTONS, "shf:show"),
        (AUDIT_BUTTONS, "aud:m:abc:0"),
        (AUDIT_BUTTONS, "aud:a:BAD TERM:0"),
        (AUDIT_BUTTONS, "aud:a:member.:x"),
        (CCTV_REQUEST_BUTTONS, "cr:w:42:15:-15:0"),  # a window that ends before it starts
        (CCTV_REQUEST_BUTTONS, "cr:go:42:-720:0:0"),  # longer than an operator reviews
        (CCTV_REQUEST_BUTTONS, "cr:w:42:-15:15:-1"),  # no such place
        (CCTV_ANSWER_BUTTONS, "cv:f:0"),
        (CCTV_ANSWER_BUTTONS, "cv:yes:7"),
        (AUDIT_BUTTONS, "aud:zz:1"),
        (AUDIT_BUTTONS, "aud:" + "x" * 70),
        (AUDIT_BUTTONS, ""),
        (AUDIT_BUTTONS, None),
    ],
)
def test_garbled_or_forged_data_reads_as_nothing(family: Family[Button], data: str | None) -> None:
    assert family.unpack(data) is None


@pytest.mark.parametrize(
    "data", ["inc:ack:abc", "inc:zzz:1", "inc:ack", "inc:att:-1", "inc:ack:0", "inc:ack:1:2"]
)
def test_alert_buttons_carry_a_report_id(data: str) -> None:
    assert AlertResponse.unpack(data) is None


def test_what_the_typed_values_say() -> None:
    assert AlertResponse(AlertAction.ATTENDING, 1).kind is AckKind.ATTENDING
    assert AlertResponse(AlertAction.ACKNOWLEDGE, 1).kind is AckKind.ACKNOWLEDGED
    assert ReportPeople(D, PEOPLE_SKIP).count is None
    assert ReportPeople(D, "10+").count == "10+"
    assert QuickChange(D, QuickAction.CHANGE_PLACE).field is DraftField.PLACE
    assert ContactTick(D, ContactAction.NEED, "food").choice is Need.FOOD
    assert ContactTick(D, ContactAction.NEED, "none").choice is NeedsAnswer.NONE_KNOWN
    assert ContactTick(D, ContactAction.LEFT, "care").choice is Institution.CARE
    assert ConsentAnswer.NOT_ASKED.consent is None and ConsentAnswer.NO.consent is False
    assert draft_press("qr:ok:abc123") == QuickConfirm(D)
    assert draft_press("rep:ok:abc123") == ReportConfirm(D)
    assert draft_press("out:ok:abc123") is None


def test_buttons_refuse_what_they_could_not_send() -> None:
    with pytest.raises(ValueError):
        ContactTick(D, ContactAction.LEFT, "food")  # not an institution
    with pytest.raises(ValueError):
        PersonOutcomeDay(1, MoveOutcome.HOSTEL, 14)  # the buttons go back two weeks
    with pytest.raises(ValueError):
        MemberPress(MemberAction.SET_ROLE, 1)  # a role change is MemberSetRole
    with pytest.raises(ValueError):
        ReportPeople(D, "lots")
    with pytest.raises(ValueError):
        AuditActionPage("no such term!", 0)
    with pytest.raises(ValueError):
        StatsPeriod("a:b").pack()  # the separator cannot be in an argument
    with pytest.raises(ValueError):
        StatsPeriod("x" * 80).pack()  # over Telegram's 64 bytes


def test_the_longest_buttons_fit_in_64_bytes() -> None:
    big = MAX_INT_ARG
    for button in [
        PersonMerge(PersonAction.MERGE_CONFIRM, big, big),
        ContactPerson("f" * 8, ContactAction.SAME, big),
        ContactPress("f" * 8, ContactAction.REFERRAL_PLACE),
        ContactTick("f" * 8, ContactAction.ACTION, max((a.value for a in Action), key=len)),
        PersonDetail(big, PersonField.USUAL_SITES),
        PersonOutcomeDay(big, MoveOutcome.RECONNECTED, 13),
        ContactSite("f" * 8, SleepingSite.BEGGING_PITCH, False),
        ReportEditField("f" * 8, DraftField.URGENT),
        MemberSetRole(big, Role.COORDINATOR),
        AuditMemberPage(big, big),
    ]:
        assert len(button.pack().encode()) <= callbacks.MAX_BYTES


def test_shorthands_spell_only_buttons_the_bot_understands() -> None:
    assert callbacks.person("mok", 1, 2) == PersonMerge(PersonAction.MERGE_CONFIRM, 1, 2).pack()
    assert callbacks.report_button("cat", D, 1) == ReportCategory(D, 1).pack()
    with pytest.raises(ValueError):
        callbacks.person("f", 1, "shoe_size")
    with pytest.raises(ValueError):
        callbacks.outreach("anon")  # a step button without its draft


class _Colour(StrEnum):
    RED = "red"


class _Paint(Button):
    PREFIX = "menu"


@dataclass(frozen=True)
class _Brush(_Paint, action=_Colour.RED):
    size: int


def test_a_family_refuses_two_buttons_for_one_action_and_unknown_patterns() -> None:
    with pytest.raises(ValueError):
        Family(_Brush, _Brush)
    assert Family(_Brush).pattern(_Colour.RED) == "^menu:(red)(:|$)"
    assert CATEGORY_BUTTONS.pattern() == "^cat:"
    with pytest.raises(ValueError):
        CATEGORY_BUTTONS.pattern(HotspotAction.RADIUS)
