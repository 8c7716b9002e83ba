"""Buttons of the CCTV control room: a review request being made (cr: its window and
place travel in the buttons, nothing is kept between taps) and an operator's answer (cv).

    CctvDraft(CctvDraftAction.WINDOW, 42, -15, 15, 0).pack() == "cr:w:42:-15:15:0"
    CctvAnswerPress(CctvAnswerAction.FOUND, 7).pack() == "cv:f:7"
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.alerts.cctv import CctvAnswer, ReviewWindow
from bot.domain.callbacks.prefixes import CCTV_ANSWER, CCTV_REQUEST
from bot.domain.callbacks.wire import Button, Family


# ---- cr:<action>:<report>[:<start>:<end>:<hotspot>] ----------------------------------------
class CctvRequestAction(StrEnum):
    START = "new"  # "Request CCTV review": the window around the report's time
    WINDOW = "w"  # the window (and place) as tapped so far: show it
    PLACES = "pl"  # pick another place: the hotspots
    SEND = "go"  # send it to the control room
    CANCEL = "x"


@dataclass(frozen=True)
class CctvRequestButton(Button):
    PREFIX = CCTV_REQUEST
    report_id: int

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.report_id <= 0:
            raise ValueError("report ids are positive")


@dataclass(frozen=True)
class CctvStart(CctvRequestButton, action=CctvRequestAction.START):
    pass


@dataclass(frozen=True)
class CctvCancel(CctvRequestButton, action=CctvRequestAction.CANCEL):
    pass


@dataclass(frozen=True)
class CctvDraft(
    Button,
    actions=(CctvRequestAction.WINDOW, CctvRequestAction.PLACES, CctvRequestAction.SEND),
):
    """The request as tapped so far: minutes before/after the report, the place (0: the
    report's own, else a hotspot's id)."""

    PREFIX = CCTV_REQUEST
    action: CctvRequestAction
    report_id: int
    start: int
    end: int
    hotspot_id: int

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.report_id <= 0 or self.hotspot_id < 0:
            raise ValueError("ids are positive (0: the report's own place)")
        ReviewWindow(self.start, self.end)  # ValueError outside the bounds

    @property
    def window(self) -> ReviewWindow:
        return ReviewWindow(self.start, self.end)

    @property
    def hotspot(self) -> int | None:
        return self.hotspot_id or None

    def to(
        self, action: CctvRequestAction, window: ReviewWindow | None = None, hotspot: int = -1
    ) -> CctvDraft:
        window = window or self.window
        return CctvDraft(
            action,
            self.report_id,
            window.start,
            window.end,
            self.hotspot_id if hotspot < 0 else hotspot,
        )


CctvRequestPress = CctvStart | CctvCancel | CctvDraft
CCTV_REQUEST_BUTTONS = Family[CctvRequestPress](CctvStart, CctvCancel, CctvDraft)


# ---- cv:<action>:<request> ------------------------------------------------------------------
class CctvAnswerAction(StrEnum):
    FOUND = "f"  # found and saved (then the footage reference)
    NOTHING = "n"  # nothing found
    NO_COVERAGE = "c"  # no camera covers it
    FOOTAGE_REF = "ref"  # (again) the footage reference of what was found


@dataclass(frozen=True)
class CctvAnswerPress(Button, actions=tuple(CctvAnswerAction)):
    PREFIX = CCTV_ANSWER
    action: CctvAnswerAction
    request_id: int

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.request_id <= 0:
            raise ValueError("request ids are positive")

    @property
    def answer(self) -> CctvAnswer | None:
        """The answer it gives; None for the footage reference button."""
        return {
            CctvAnswerAction.FOUND: CctvAnswer.FOUND,
            CctvAnswerAction.NOTHING: CctvAnswer.NOTHING,
            CctvAnswerAction.NO_COVERAGE: CctvAnswer.NO_COVERAGE,
        }.get(self.action)


CCTV_ANSWER_BUTTONS = Family[CctvAnswerPress](CctvAnswerPress)
