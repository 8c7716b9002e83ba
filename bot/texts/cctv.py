"""The CCTV control room: review requests (asking, the operators' copies, answers, the
requester's notices), operators' answers on alerts, and /cctv.

A request's copy carries the report's category, place and time window; its description
only when the category is not sensitive (bot.domain.reports.incidents.description_shown),
as any copy that goes beyond those allowed to /show a report.
"""

from __future__ import annotations

from bot.domain.alerts.cctv import (
    FOOTAGE_REF_MAX,
    WINDOW_STEP_MINUTES,
    CameraAnswer,
    CctvAnswer,
)
from bot.texts.common import esc

DESCRIPTION_LIMIT = 300

# ---- asking for a review -------------------------------------------------------------------
REQUEST_BUTTON = "📹 Request CCTV review"
START_EARLIER = "⏪ Start earlier"
START_LATER = "Start later ⏩"
END_EARLIER = "⏪ End earlier"
END_LATER = "End later ⏩"
SEND_BUTTON = "📨 Send to the control room"
CANCEL_BUTTON = "✖️ Cancel"
REPORTS_OWN_PLACE = "The report's own place"


def place_button(place: str) -> str:
    return f"📍 Place: {place[:40]}"


def request_draft(
    report_ref: str, category: str, place: str, start: str, end: str, day: str
) -> str:
    return (
        f"📹 <b>CCTV review for {esc(report_ref)}</b>\n"
        f"{esc(category)} · 📍 {esc(place)}\n"
        f"🕘 Footage from <b>{esc(start)}</b> to <b>{esc(end)}</b> ({esc(day)})\n\n"
        f"Tap to move either end by {WINDOW_STEP_MINUTES} minutes or to pick another place, "
        "then send it to the control room."
    )


PICK_PLACE = "Where should the cameras look? Pick a hotspot, or keep the report's own place."
NOT_YOURS = "Only the report's reporter or a coordinator can ask for a CCTV review of it."
OPERATORS_DO_NOT_REQUEST = (
    "CCTV operators answer review requests; the report's reporter or a coordinator makes them."
)
NO_OPERATORS = (
    "No CCTV operator is registered yet, so nobody could answer: nothing was sent. "
    "An admin can give someone the CCTV role."
)
REQUEST_CANCELLED = "CCTV review not requested."
REQUEST_USAGE = (
    "To ask the control room for footage of a report: <code>/cctv R-12</code> "
    "(your own reports; coordinators any)."
)


def already_waiting(ref: str, report_ref: str, at: str) -> str:
    return (
        f"{esc(ref)} for {esc(report_ref)}, asked at {esc(at)}, is still waiting for the control "
        "room's answer: you'll be told it here."
    )


def request_sent(ref: str, report_ref: str, operators: int) -> str:
    who = "1 operator" if operators == 1 else f"{operators} operators"
    return (
        f"📨 {esc(ref)} for {esc(report_ref)} sent to the control room ({who}). "
        "You'll be told their answer here."
    )


# ---- an operator's copy --------------------------------------------------------------------
FOUND_BUTTON = "✅ Found and saved"
NOTHING_BUTTON = "🔍 Nothing found"
NO_COVERAGE_BUTTON = "🚫 No coverage"
FOOTAGE_REF_BUTTON = "🧾 Add the footage reference"
ANSWER_WORDS = {
    CctvAnswer.FOUND: "found and saved",
    CctvAnswer.NOTHING: "nothing found",
    CctvAnswer.NO_COVERAGE: "no camera coverage",
}


def copy_heading(ref: str, step: int, minutes: int, *, operator: bool) -> str:
    if step == 0:
        return f"📹 <b>CCTV review requested</b> · {esc(ref)}"
    if operator:
        return f"⏰ <b>CCTV review still waiting after {minutes} min</b> · {esc(ref)}"
    return (
        f"⚠️ <b>No answer from the control room after {minutes} min</b> · {esc(ref)}\n"
        "You may want to ring them."
    )


def request_facts(
    *,
    report_ref: str,
    category: str,
    place: str,
    start: str,
    end: str,
    day: str,
    requester: str | None,
    description: str | None,
    withheld: bool,
) -> str:
    lines = [
        f"Report {esc(report_ref)} · {esc(category)}",
        f"📍 {esc(place)}",
        f"🕘 Footage from <b>{esc(start)}</b> to <b>{esc(end)}</b> ({esc(day)})",
        f"Asked by {esc(requester or 'a former member')}",
    ]
    if description:
        more = "…" if len(description) > DESCRIPTION_LIMIT else ""
        cut = description[:DESCRIPTION_LIMIT] + more
        lines.append(f"📝 {esc(cut)}")
    elif withheld:
        lines.append("📝 (sensitive category: no description here)")
    return "\n".join(lines)


def answered_line(by: str | None, at: str, answer: CctvAnswer) -> str:
    return (
        f"✅ <b>Answered by {esc(by or 'a former member')} at {esc(at)}:</b> {ANSWER_WORDS[answer]}"
    )


# Callback answers: plain text, at most 200 characters.
def you_answered(ref: str, answer: CctvAnswer) -> str:
    return f"Thanks — {ref} answered: {ANSWER_WORDS[answer]}."


def already_answered(by: str | None, answer: CctvAnswer | None) -> str:
    said = ANSWER_WORDS[answer] if answer is not None else "answered"
    return f"Already answered by {by or 'a former member'}: {said}."


ANSWER_NOT_RECEIVED = "That button only works on the request as it was sent to you."
ANSWER_UNKNOWN = "That request is no longer available."
ASK_FOOTAGE_REF = (
    "🧾 Send the footage reference (one line, up to "
    f"{FOOTAGE_REF_MAX} characters), or /cancel to add it later with the button."
)
FOOTAGE_REF_BAD = (
    f"A footage reference is one line of up to {FOOTAGE_REF_MAX} characters. "
    "Send it again, or /cancel."
)
FOOTAGE_REF_NOT_YOURS = "Only the operator who found the footage records its reference."
FOOTAGE_REF_CANCELLED = "OK — add the footage reference later with the button on the request."


def footage_ref_saved(ref: str, report_ref: str) -> str:
    return f"🧾 Footage reference saved for {esc(ref)} ({esc(report_ref)}); the requester is told."


# ---- what the requester is told --------------------------------------------------------------
def requester_told(ref: str, report_ref: str, answer: CctvAnswer, by: str) -> str:
    more = " The footage reference follows." if answer is CctvAnswer.FOUND else ""
    return (
        f"📹 CCTV review {esc(ref)} of your request for {esc(report_ref)}: "
        f"<b>{ANSWER_WORDS[answer]}</b> ({esc(by)}).{more}"
    )


def requester_told_ref(ref: str, report_ref: str, footage_ref: str, by: str) -> str:
    return (
        f"🧾 Footage reference for {esc(report_ref)} ({esc(ref)}): "
        f"<code>{esc(footage_ref)}</code> ({esc(by)})."
    )


# ---- operators on an urgent alert ----------------------------------------------------------
CAMERA_ON_BUTTON = "📹 Camera on it"
NO_CAMERA_BUTTON = "No camera covers that"
CAMERA_WORDS = {CameraAnswer.ON_IT: "camera on it", CameraAnswer.NO_CAMERA: "no camera covers that"}
CAMERA_NOT_ALLOWED = "Only CCTV operators answer for the cameras."
OPERATORS_DO_NOT_ATTEND = (
    "The control room answers for its cameras: Camera on it, or No camera covers that."
)


def camera_line(answers: list[tuple[str, CameraAnswer]]) -> str:
    said = "; ".join(f"{esc(name[:60])} — {CAMERA_WORDS[answer]}" for name, answer in answers)
    return f"📹 CCTV: {said}"


def you_answered_camera(reference: str, answer: CameraAnswer) -> str:
    return f"Thanks — {reference}: {CAMERA_WORDS[answer]}. Everyone alerted can see it."


ALREADY_ANSWERED_CAMERA = "That's already your answer on this alert."


def reporter_told_camera(reference: str, name: str, answer: CameraAnswer) -> str:
    return f"📹 CCTV on your report {esc(reference)}: {CAMERA_WORDS[answer]} ({esc(name)})."


# ---- /cctv ---------------------------------------------------------------------------------
NONE_WAITING = "No CCTV review request is waiting. 👍"
NONE_MADE = "No CCTV review has been requested yet."


def list_heading(count: int, *, open_only: bool) -> str:
    if open_only:
        return f"📹 <b>CCTV review requests waiting: {count}</b>"
    return f"📹 <b>Latest CCTV review requests: {count}</b>"


def list_line(
    ref: str,
    report_ref: str,
    place: str,
    window: str,
    answer: CctvAnswer | None,
    by: str | None,
    footage_ref: str | None,
) -> str:
    line = f"• {esc(ref)} · {esc(report_ref)} · {esc(place)} · {esc(window)}"
    if answer is None:
        return f"{line} · <i>waiting</i>"
    line = f"{line} · {ANSWER_WORDS[answer]} ({esc(by or 'a former member')})"
    if footage_ref:
        line += f" · ref <code>{esc(footage_ref)}</code>"
    return line
