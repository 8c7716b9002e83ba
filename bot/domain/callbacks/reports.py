"""Buttons of incident reports: the guided flow (rep), quick reports (qr), urgent alerts (inc),
and drafts kept aside (drf).

Every report button carries its draft's short random id, so a button of an older draft is
recognised and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.callbacks.prefixes import CLOSE, DRAFTS, INCIDENT, QUICK, REPORT, SHOW
from bot.domain.callbacks.wire import Button, Family
from bot.domain.reports.close_outcomes import CloseOutcome
from bot.domain.reports.incidents import PEOPLE_COUNTS, AckKind
from bot.domain.reports.report_draft import DraftField

PEOPLE_SKIP = "skip"  # the "how many people" question, skipped


def _check_draft_id(draft_id: str) -> None:
    if not draft_id.isalnum():
        raise ValueError("a draft id is letters and digits")


# ---- rep:<action>:<draft>[:<arg>] ------------------------------------------------------------
class ReportAction(StrEnum):
    CATEGORY = "cat"
    HOTSPOT = "hot"
    CONTINUE = "go"
    PEOPLE = "ppl"
    URGENT = "urg"
    CONFIRM = "ok"
    EDIT = "edit"
    EDIT_FIELD = "ed"
    SUMMARY = "sum"
    MORE = "more"
    UNDER_18 = "u18"  # the summary's "Under 18 involved?" on/off
    CANCEL = "x"


@dataclass(frozen=True)
class ReportButton(Button):
    PREFIX = REPORT
    draft_id: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_draft_id(self.draft_id)


@dataclass(frozen=True)
class ReportCategory(ReportButton, action=ReportAction.CATEGORY):
    category_id: int


@dataclass(frozen=True)
class ReportHotspot(ReportButton, action=ReportAction.HOTSPOT):
    hotspot_id: int


@dataclass(frozen=True)
class ReportPeople(ReportButton, action=ReportAction.PEOPLE):
    band: str  # one of PEOPLE_COUNTS, or PEOPLE_SKIP

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.band != PEOPLE_SKIP and self.band not in PEOPLE_COUNTS:
            raise ValueError(f"{self.band!r} is not a people count")

    @property
    def count(self) -> str | None:
        return None if self.band == PEOPLE_SKIP else self.band


@dataclass(frozen=True)
class ReportUrgent(ReportButton, action=ReportAction.URGENT):
    urgent: bool


@dataclass(frozen=True)
class ReportEditField(ReportButton, action=ReportAction.EDIT_FIELD):
    field: DraftField


@dataclass(frozen=True)
class ReportContinue(ReportButton, action=ReportAction.CONTINUE):
    """What happened is told (or a photo sent): on to the next step."""


@dataclass(frozen=True)
class ReportConfirm(ReportButton, action=ReportAction.CONFIRM):
    pass


@dataclass(frozen=True)
class ReportEdit(ReportButton, action=ReportAction.EDIT):
    """The summary's Edit: which field?"""


@dataclass(frozen=True)
class ReportBackToSummary(ReportButton, action=ReportAction.SUMMARY):
    pass


@dataclass(frozen=True)
class ReportMoreCategories(ReportButton, action=ReportAction.MORE):
    """The category picker's "More…": every category."""


@dataclass(frozen=True)
class ReportUnder18(ReportButton, action=ReportAction.UNDER_18):
    """The summary's one-tap "Under 18 involved?": yes raises a safeguarding concern."""


@dataclass(frozen=True)
class ReportCancel(ReportButton, action=ReportAction.CANCEL):
    pass


ReportPress = (
    ReportCategory
    | ReportHotspot
    | ReportContinue
    | ReportPeople
    | ReportUrgent
    | ReportConfirm
    | ReportEdit
    | ReportEditField
    | ReportBackToSummary
    | ReportMoreCategories
    | ReportUnder18
    | ReportCancel
)
REPORT_BUTTONS = Family[ReportPress](
    ReportCategory,
    ReportHotspot,
    ReportContinue,
    ReportPeople,
    ReportUrgent,
    ReportConfirm,
    ReportEdit,
    ReportEditField,
    ReportBackToSummary,
    ReportMoreCategories,
    ReportUnder18,
    ReportCancel,
)


# ---- qr:<action>:<draft>: a quick report's proposal ------------------------------------------
class QuickAction(StrEnum):
    CONFIRM = "ok"
    CHANGE_CATEGORY = "cat"
    CHANGE_PLACE = "place"
    TOGGLE_URGENT = "urg"
    UNDER_18 = "u18"
    CANCEL = "x"


@dataclass(frozen=True)
class QuickButton(Button):
    PREFIX = QUICK
    draft_id: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_draft_id(self.draft_id)


@dataclass(frozen=True)
class QuickConfirm(QuickButton, action=QuickAction.CONFIRM):
    pass


@dataclass(frozen=True)
class QuickChange(QuickButton, actions=(QuickAction.CHANGE_CATEGORY, QuickAction.CHANGE_PLACE)):
    action: QuickAction

    @property
    def field(self) -> DraftField:
        return (
            DraftField.CATEGORY if self.action is QuickAction.CHANGE_CATEGORY else DraftField.PLACE
        )


@dataclass(frozen=True)
class QuickToggleUrgent(QuickButton, action=QuickAction.TOGGLE_URGENT):
    """The proposal's one-tap urgent on/off."""


@dataclass(frozen=True)
class QuickUnder18(QuickButton, action=QuickAction.UNDER_18):
    """The proposal's one-tap "Under 18 involved?"."""


@dataclass(frozen=True)
class QuickCancel(QuickButton, action=QuickAction.CANCEL):
    pass


QuickPress = QuickConfirm | QuickChange | QuickToggleUrgent | QuickUnder18 | QuickCancel
QUICK_BUTTONS = Family[QuickPress](
    QuickConfirm, QuickChange, QuickToggleUrgent, QuickUnder18, QuickCancel
)


# ---- drf:<action>:<draft>: a draft kept aside (/drafts) ----------------------------------------
class KeptDraftAction(StrEnum):
    RESUME = "go"
    DROP = "x"


@dataclass(frozen=True)
class KeptDraftPress(Button, actions=tuple(KeptDraftAction)):
    PREFIX = DRAFTS
    action: KeptDraftAction
    draft_id: str

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_draft_id(self.draft_id)


KEPT_DRAFT_BUTTONS = Family[KeptDraftPress](KeptDraftPress)


# ---- inc:ack:<report>, inc:att:<report>, inc:no:<report>: an urgent alert ----------------
class AlertAction(StrEnum):
    ACKNOWLEDGE = "ack"  # take ownership (coordinators and admins)
    ATTENDING = "att"
    NOT_ATTENDING = "no"  # "Not attending any more": undoes Attending
    CAMERA_ON = "cam"  # CCTV operators: a camera is on it
    NO_CAMERA = "nocam"  # CCTV operators: no camera covers that


@dataclass(frozen=True)
class AlertResponse(Button, actions=tuple(AlertAction)):
    PREFIX = INCIDENT
    action: AlertAction
    report_id: int

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.report_id <= 0:
            raise ValueError("report ids are positive")

    @property
    def kind(self) -> AckKind | None:
        """The response as stored before several could attend; None for the undo."""
        if self.action is AlertAction.ATTENDING:
            return AckKind.ATTENDING
        if self.action is AlertAction.ACKNOWLEDGE:
            return AckKind.ACKNOWLEDGED
        return None


ALERT_BUTTONS = Family[AlertResponse](AlertResponse)


# ---- either kind of report button ------------------------------------------------------------
DraftPress = ReportPress | QuickPress


def draft_press(data: str | None) -> DraftPress | None:
    """A guided or quick report's button (both carry their draft's id); None if garbled."""
    return REPORT_BUTTONS.unpack(data) or QUICK_BUTTONS.unpack(data)


# ---- cls:o:<report>:<code>: the coded outcome chosen at /close -------------------------------
class CloseAction(StrEnum):
    OUTCOME = "o"


@dataclass(frozen=True)
class CloseCode(Button, action=CloseAction.OUTCOME):
    """Closes the report with this code, or (closed already by /close R-12 text) codes it."""

    PREFIX = CLOSE
    report_id: int
    code: CloseOutcome

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.report_id <= 0:
            raise ValueError("report ids are positive")


CLOSE_BUTTONS = Family[CloseCode](CloseCode)


# ---- shw:more:<report>:<page> (/show, one page at a time) ----------------------------------
class ShowAction(StrEnum):
    MORE = "more"


@dataclass(frozen=True)
class ShowMore(Button, action=ShowAction.MORE):
    PREFIX = SHOW
    report_id: int
    page: int

    def __post_init__(self) -> None:
        if self.report_id <= 0 or self.page <= 0:
            raise ValueError("a report id and a page after the first")


SHOW_BUTTONS = Family[ShowMore](ShowMore)
