"""Buttons of outreach: the /contact flow (out), a person's record (per), the referral queue
(ref), "Rough sleeper seen" (rs) and erasure (era). Ids and vocabulary slugs only, never text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.callbacks.prefixes import ERASE, OUTREACH, PERSON, REFERRAL, ROUGH_SLEEPER
from bot.domain.callbacks.wire import Button, Family
from bot.domain.outreach import Action, AgeBand, Flag, Need, PersonField, SleepingSite
from bot.domain.referrals import DangerAnswer
from bot.domain.rough_sleeping import Institution, LocalConnection, MoveOutcome, NeedsAnswer
from bot.domain.safeguarding import EXPLOITATION_KINDS, ConcernKind


def _check_draft_id(draft_id: str) -> None:
    if not draft_id.isalnum():
        raise ValueError("a draft id is letters and digits")


class ConsentAnswer(StrEnum):
    YES = "y"
    NO = "n"
    NOT_ASKED = "u"  # not asked, or no change

    @property
    def consent(self) -> bool | None:
        return {ConsentAnswer.YES: True, ConsentAnswer.NO: False}.get(self)


# ---- out:new, out:for:<person>, out:<step action>:<draft>[:<arg>] ----------------------------
class ContactAction(StrEnum):
    NEW = "new"  # the menu's "Log contact"
    FOR = "for"  # a timeline's "Log contact"
    PICK = "pick"
    NEW_PERSON = "newp"
    ANONYMOUS = "anon"
    SAME = "same"
    NOT_SAME = "notsame"
    AGE = "age"
    SKIP = "skip"
    HOTSPOT = "hot"
    REFERRAL_PLACE = "refplace"
    SITE = "site"
    NEED = "need"
    NEEDS_DONE = "needs"
    ACTION = "act"
    ACTIONS_DONE = "acts"
    CONSENT = "cons"
    EXPLOITATION = "expl"  # flag (or unflag) exploitation: a concern for the lead on Save
    SAVE = "save"
    CANCEL = "x"
    LOCAL = "loc"  # local connection: yes / no / unknown
    LOCAL_AGAIN = "locprev"  # as at their last contact
    KNOWN_PLACE = "lplace"  # where the connection is: one of TCAG_CONNECTION_PLACES
    LEFT = "left"  # recently left prison / hospital / care: tick one
    LEFT_DONE = "lefts"


class ContactButton(Button):
    PREFIX = OUTREACH


@dataclass(frozen=True)
class ContactNew(ContactButton, action=ContactAction.NEW):
    pass


@dataclass(frozen=True)
class ContactFor(ContactButton, action=ContactAction.FOR):
    person_id: int


@dataclass(frozen=True)
class ContactStep(ContactButton):
    """A button of one contact being logged: carries the draft's id."""

    draft_id: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_draft_id(self.draft_id)


@dataclass(frozen=True)
class ContactPress(
    ContactStep,
    actions=(
        ContactAction.NEW_PERSON,
        ContactAction.ANONYMOUS,
        ContactAction.NOT_SAME,
        ContactAction.SKIP,
        ContactAction.REFERRAL_PLACE,
        ContactAction.NEEDS_DONE,
        ContactAction.ACTIONS_DONE,
        ContactAction.SAVE,
        ContactAction.CANCEL,
        ContactAction.LOCAL_AGAIN,
        ContactAction.LEFT_DONE,
    ),
):
    action: ContactAction


@dataclass(frozen=True)
class ContactPerson(ContactStep, actions=(ContactAction.PICK, ContactAction.SAME)):
    """A known person: picked from the search, or "the same person" as a new alias."""

    action: ContactAction
    person_id: int


@dataclass(frozen=True)
class ContactAge(ContactStep, action=ContactAction.AGE):
    band: AgeBand


@dataclass(frozen=True)
class ContactExploitation(ContactStep, action=ContactAction.EXPLOITATION):
    kind: ConcernKind

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind not in EXPLOITATION_KINDS:
            raise ValueError(f"{self.kind} is not a kind of exploitation")


@dataclass(frozen=True)
class ContactHotspot(ContactStep, action=ContactAction.HOTSPOT):
    hotspot_id: int


@dataclass(frozen=True)
class ContactSite(ContactStep, action=ContactAction.SITE):
    """Where they sleep, and whether they were seen bedded down (sleeping rough) there."""

    site: SleepingSite
    bedded: bool


@dataclass(frozen=True)
class ContactTick(
    ContactStep, actions=(ContactAction.NEED, ContactAction.ACTION, ContactAction.LEFT)
):
    """One need (or "none known" / "declined to say"), one action taken, or one
    institution recently left, ticked or unticked."""

    action: ContactAction
    slug: str

    def __post_init__(self) -> None:
        super().__post_init__()
        self.choice  # noqa: B018  (raises ValueError for a slug of none of the vocabularies)

    @property
    def choice(self) -> Need | NeedsAnswer | Action | Institution:
        if self.action is ContactAction.NEED:
            answers = {a.value: a for a in NeedsAnswer}
            return answers[self.slug] if self.slug in answers else Need(self.slug)
        if self.action is ContactAction.LEFT:
            return Institution(self.slug)
        return Action(self.slug)


@dataclass(frozen=True)
class ContactLocal(ContactStep, action=ContactAction.LOCAL):
    answer: LocalConnection


@dataclass(frozen=True)
class ContactKnownPlace(ContactStep, action=ContactAction.KNOWN_PLACE):
    index: int  # in TCAG_CONNECTION_PLACES


@dataclass(frozen=True)
class ContactConsent(ContactStep, action=ContactAction.CONSENT):
    answer: ConsentAnswer


ContactPresses = (
    ContactNew
    | ContactFor
    | ContactPress
    | ContactPerson
    | ContactAge
    | ContactHotspot
    | ContactSite
    | ContactTick
    | ContactConsent
    | ContactExploitation
    | ContactLocal
    | ContactKnownPlace
)
CONTACT_BUTTONS = Family[ContactPresses](
    ContactNew,
    ContactFor,
    ContactPress,
    ContactPerson,
    ContactAge,
    ContactHotspot,
    ContactSite,
    ContactTick,
    ContactConsent,
    ContactExploitation,
    ContactLocal,
    ContactKnownPlace,
)
ContactStepPresses = (
    ContactPress
    | ContactPerson
    | ContactAge
    | ContactHotspot
    | ContactSite
    | ContactTick
    | ContactConsent
    | ContactLocal
    | ContactKnownPlace
)


# ---- per:<action>:<person>[:<arg>] -----------------------------------------------------------
class PersonAction(StrEnum):
    SHOW = "show"
    EDIT = "edit"
    DETAIL = "f"  # which detail to change
    AGE = "age"
    FLAG = "flag"
    FLAGS_DONE = "flags"
    CONSENT = "cons"
    MERGE = "merge"  # merge another record into this one: asks for its alias
    MERGE_PICK = "mrg"  # that record chosen: asks to confirm
    MERGE_CONFIRM = "mok"
    OUTCOME = "outc"  # record an outcome: asks which
    OUTCOME_KIND = "okind"  # which outcome: asks the date
    OUTCOME_DAY = "oday"  # the date, in days before today: saves
    OUTCOME_TYPED = "odate"  # "another date": waits for it typed


class PersonButton(Button):
    PREFIX = PERSON


@dataclass(frozen=True)
class PersonPress(
    PersonButton,
    actions=(
        PersonAction.SHOW,
        PersonAction.EDIT,
        PersonAction.FLAGS_DONE,
        PersonAction.MERGE,
        PersonAction.OUTCOME,
    ),
):
    action: PersonAction
    person_id: int


@dataclass(frozen=True)
class PersonDetail(PersonButton, action=PersonAction.DETAIL):
    person_id: int
    field: PersonField


@dataclass(frozen=True)
class PersonAge(PersonButton, action=PersonAction.AGE):
    person_id: int
    band: AgeBand


@dataclass(frozen=True)
class PersonFlag(PersonButton, action=PersonAction.FLAG):
    person_id: int
    flag: Flag


@dataclass(frozen=True)
class PersonConsent(PersonButton, action=PersonAction.CONSENT):
    person_id: int
    answer: ConsentAnswer

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.answer is ConsentAnswer.NOT_ASKED:
            raise ValueError("a person's consent is yes or no")


@dataclass(frozen=True)
class PersonMerge(PersonButton, actions=(PersonAction.MERGE_PICK, PersonAction.MERGE_CONFIRM)):
    """per:mrg:<keep>:<other> asks to confirm; per:mok:<keep>:<other> merges."""

    action: PersonAction
    person_id: int  # the record kept
    other_id: int


@dataclass(frozen=True)
class PersonOutcomeKind(
    PersonButton, actions=(PersonAction.OUTCOME_KIND, PersonAction.OUTCOME_TYPED)
):
    """per:okind:<person>:<outcome> asks the date; per:odate:... waits for it typed."""

    action: PersonAction
    person_id: int
    outcome: MoveOutcome


MAX_OUTCOME_DAYS_AGO = 13  # the date buttons: today and the 13 days before


@dataclass(frozen=True)
class PersonOutcomeDay(PersonButton, action=PersonAction.OUTCOME_DAY):
    person_id: int
    outcome: MoveOutcome
    days_ago: int

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 <= self.days_ago <= MAX_OUTCOME_DAYS_AGO:
            raise ValueError("a move's date button is one of the last two weeks")


PersonPresses = (
    PersonPress
    | PersonDetail
    | PersonAge
    | PersonFlag
    | PersonConsent
    | PersonMerge
    | PersonOutcomeKind
    | PersonOutcomeDay
)
PERSON_BUTTONS = Family[PersonPresses](
    PersonPress,
    PersonDetail,
    PersonAge,
    PersonFlag,
    PersonConsent,
    PersonMerge,
    PersonOutcomeKind,
    PersonOutcomeDay,
)


# ---- ref:list, ref:take / log / nf:<referral> ------------------------------------------------
class ReferralAction(StrEnum):
    LIST = "list"
    TAKE = "take"
    LOG = "log"  # log the contact that closes it
    NOT_FOUND = "nf"  # asks where they looked, then closes it
    NOT_FOUND_CANCEL = "nfx"  # stop asking: the referral stays as it is


class ReferralButton(Button):
    PREFIX = REFERRAL


@dataclass(frozen=True)
class ReferralList(ReferralButton, action=ReferralAction.LIST):
    pass


@dataclass(frozen=True)
class ReferralPress(
    ReferralButton, actions=(ReferralAction.TAKE, ReferralAction.LOG, ReferralAction.NOT_FOUND)
):
    action: ReferralAction
    referral_id: int


@dataclass(frozen=True)
class ReferralNotFoundCancel(ReferralButton, action=ReferralAction.NOT_FOUND_CANCEL):
    pass


REFERRAL_BUTTONS = Family[ReferralList | ReferralPress | ReferralNotFoundCancel](
    ReferralList, ReferralPress, ReferralNotFoundCancel
)


# ---- rs:new, rs:<step action>:<draft>[:<arg>] ------------------------------------------------
class SightingAction(StrEnum):
    NEW = "new"
    AGE = "age"  # "Do they seem under 18?": yes or no
    DANGER = "dng"  # "Do they seem unwell or in danger?"
    HOTSPOT = "hot"
    WHEN = "when"
    SKIP = "skip"
    SEND = "ok"
    CANCEL = "x"


class SightingButton(Button):
    PREFIX = ROUGH_SLEEPER


@dataclass(frozen=True)
class SightingNew(SightingButton, action=SightingAction.NEW):
    pass


@dataclass(frozen=True)
class SightingStep(SightingButton):
    draft_id: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_draft_id(self.draft_id)


@dataclass(frozen=True)
class SightingDanger(SightingStep, action=SightingAction.DANGER):
    answer: DangerAnswer


@dataclass(frozen=True)
class SightingHotspot(SightingStep, action=SightingAction.HOTSPOT):
    hotspot_id: int


@dataclass(frozen=True)
class SightingAge(SightingStep, action=SightingAction.AGE):
    under_18: bool


@dataclass(frozen=True)
class SightingWhen(SightingStep, action=SightingAction.WHEN):
    minutes_ago: int


@dataclass(frozen=True)
class SightingPress(
    SightingStep, actions=(SightingAction.SKIP, SightingAction.SEND, SightingAction.CANCEL)
):
    action: SightingAction


SightingStepPresses = SightingAge | SightingDanger | SightingHotspot | SightingWhen | SightingPress
SIGHTING_BUTTONS = Family[SightingNew | SightingStepPresses](
    SightingNew, SightingAge, SightingDanger, SightingHotspot, SightingWhen, SightingPress
)


# ---- era:ok:<person>, era:x ------------------------------------------------------------------
class EraseAction(StrEnum):
    CONFIRM = "ok"
    CANCEL = "x"


class EraseButton(Button):
    PREFIX = ERASE


@dataclass(frozen=True)
class EraseConfirm(EraseButton, action=EraseAction.CONFIRM):
    person_id: int


@dataclass(frozen=True)
class EraseCancel(EraseButton, action=EraseAction.CANCEL):
    pass


ERASE_BUTTONS = Family[EraseConfirm | EraseCancel](EraseConfirm, EraseCancel)
