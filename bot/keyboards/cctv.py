"""The CCTV control room's buttons: making a review request, answering one, and the
"Request CCTV review" button a report carries."""

from __future__ import annotations

import json
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.callbacks.cctv import (
    CctvAnswerAction,
    CctvAnswerPress,
    CctvCancel,
    CctvDraft,
    CctvRequestAction,
    CctvStart,
)
from bot.keyboards.common import pairs
from bot.texts import cctv as cctv_texts


def request_button(report_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        cctv_texts.REQUEST_BUTTON, callback_data=CctvStart(report_id).pack()
    )


def request_keyboard(report_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[request_button(report_id)]])


def with_request_button(
    markup: InlineKeyboardMarkup | None, report_id: int
) -> InlineKeyboardMarkup:
    """The keyboard with "Request CCTV review" as its last row."""
    rows = [list(row) for row in markup.inline_keyboard] if markup is not None else []
    return InlineKeyboardMarkup([*rows, [request_button(report_id)]])


def _moved(draft: CctvDraft, label: str, *, start: int = 0, end: int = 0) -> InlineKeyboardButton:
    """A button moving one end; at the bounds it shows the window as it is (a no-op)."""
    window = draft.window.moved(start=start, end=end) or draft.window
    return InlineKeyboardButton(
        label, callback_data=draft.to(CctvRequestAction.WINDOW, window).pack()
    )


def draft_keyboard(draft: CctvDraft, place: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _moved(draft, cctv_texts.START_EARLIER, start=-1),
                _moved(draft, cctv_texts.START_LATER, start=1),
            ],
            [
                _moved(draft, cctv_texts.END_EARLIER, end=-1),
                _moved(draft, cctv_texts.END_LATER, end=1),
            ],
            [
                InlineKeyboardButton(
                    cctv_texts.place_button(place),
                    callback_data=draft.to(CctvRequestAction.PLACES).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    cctv_texts.SEND_BUTTON, callback_data=draft.to(CctvRequestAction.SEND).pack()
                ),
                InlineKeyboardButton(
                    cctv_texts.CANCEL_BUTTON, callback_data=CctvCancel(draft.report_id).pack()
                ),
            ],
        ]
    )


def places_keyboard(draft: CctvDraft, hotspots: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """The report's own place first, then each hotspot (id, name)."""
    buttons = [
        InlineKeyboardButton(
            cctv_texts.REPORTS_OWN_PLACE,
            callback_data=draft.to(CctvRequestAction.WINDOW, hotspot=0).pack(),
        ),
        *(
            InlineKeyboardButton(
                name[:40], callback_data=draft.to(CctvRequestAction.WINDOW, hotspot=hid).pack()
            )
            for hid, name in hotspots
        ),
    ]
    return InlineKeyboardMarkup(pairs(buttons))


def _answer(label: str, action: CctvAnswerAction, request_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=CctvAnswerPress(action, request_id).pack())


def answer_keyboard(request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_answer(cctv_texts.FOUND_BUTTON, CctvAnswerAction.FOUND, request_id)],
            [
                _answer(cctv_texts.NOTHING_BUTTON, CctvAnswerAction.NOTHING, request_id),
                _answer(cctv_texts.NO_COVERAGE_BUTTON, CctvAnswerAction.NO_COVERAGE, request_id),
            ],
        ]
    )


def footage_ref_keyboard(request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_answer(cctv_texts.FOOTAGE_REF_BUTTON, CctvAnswerAction.FOOTAGE_REF, request_id)]]
    )


def as_json(markup: InlineKeyboardMarkup | None) -> str | None:
    """A keyboard as the outbox stores it."""
    return json.dumps(markup.to_dict()) if markup is not None else None
