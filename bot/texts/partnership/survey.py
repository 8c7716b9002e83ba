"""Wording of the public perception survey: its questions, /survey, and the poster."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.partnership.survey import (
    MIN_CELL,
    AgeGroup,
    Feeling,
    Gender,
    GroupShares,
    RoundResult,
    Share,
    SurveyFigures,
)
from bot.texts.common import esc

FEELING_LABELS: dict[Feeling, str] = {
    Feeling.VERY_SAFE: "Very safe",
    Feeling.FAIRLY_SAFE: "Fairly safe",
    Feeling.A_BIT_UNSAFE: "A bit unsafe",
    Feeling.VERY_UNSAFE: "Very unsafe",
    Feeling.DONT_KNOW: "Don't know",
}
AGE_LABELS: dict[AgeGroup, str] = {
    AgeGroup.AGE_16_24: "16–24",
    AgeGroup.AGE_25_34: "25–34",
    AgeGroup.AGE_35_44: "35–44",
    AgeGroup.AGE_45_54: "45–54",
    AgeGroup.AGE_55_64: "55–64",
    AgeGroup.AGE_65_PLUS: "65 or over",
    AgeGroup.PREFER_NOT: "Prefer not to say",
}
GENDER_LABELS: dict[Gender, str] = {
    Gender.WOMAN: "Woman",
    Gender.MAN: "Man",
    Gender.ANOTHER_WAY: "In another way",
    Gender.PREFER_NOT: "Prefer not to say",
}
SKIP = "Skip"
SOMEWHERE_ELSE = "Somewhere else…"
NONE_OF_THESE = "None of these"
PLACES_DONE = "Done"

INTRO = (
    "<b>How safe do you feel in the town centre?</b>\n"
    "Three quick questions for the town centre partnership (police, council, wardens and "
    "outreach), then two optional ones. Anonymous: I keep no name, username or Telegram id.\n\n"
)
ASK_DAY = INTRO + "1/3 How safe do you feel walking alone in the town centre <b>during the day</b>?"
ASK_DARK = "2/3 And walking alone in the town centre <b>after dark</b>?"
ASK_PLACES = (
    "3/3 Are there places in the town centre you <b>avoid</b> because you feel unsafe? "
    "Tap all that apply, then Done."
)
ASK_OTHER_PLACE = "Which place? Send it in a few words (no names of people, please), or tap Skip."
ASK_AGE = "Thank you, your answers are saved. Two optional questions: your age?"
ASK_GENDER = "And your gender? (optional)"
THANKS = (
    "Thank you. Your answers help the partnership decide where to patrol and what to fix. "
    "You can answer again when the next survey opens."
)
ALREADY_ANSWERED = (
    "You have already answered this survey: thank you! You can answer again when the next "
    "one opens."
)
NO_ROUND = "There is no survey open at the moment. Thank you for your interest."
ROUND_CHANGED = "This survey has closed. Thank you for your interest."
BAD_BUTTON = "That button is not one I made for you."
TOO_FAST = "Too many answers at once. Please try again in a minute."
PLACE_EMPTY = "Please send the place in a few words, or tap Skip."
NOT_ALLOWED_ROUNDS = "Only admins open and close survey rounds."
SURVEY_USAGE = "/survey shows the live results; admins: /survey open, /survey close."

# ONS Opinions and Lifestyle Survey (Great Britain, 2021), as DOMAIN.md gives it.
NATIONAL_LINE = (
    "Nationally (ONS Opinions and Lifestyle Survey, GB 2021): about half of women and one in "
    "five men feel unsafe walking alone after dark in a busy public place such as a high street."
)


def last_day(closes_at: datetime, tz: ZoneInfo) -> str:
    """The last day a round is open ("31 Dec 2026"): it closes at midnight after it."""
    return f"{(closes_at - timedelta(seconds=1)).astimezone(tz):%-d %b %Y}"


def round_opened(round_id: int, closes_at: datetime, tz: ZoneInfo, link: str | None) -> str:
    where = f"\nThe link: {esc(link)}" if link else ""
    return (
        f"📋 Survey round {round_id} is open until {last_day(closes_at, tz)} (the quarter's "
        f"end). The previous round, if any, is closed and its key destroyed.{where}\n"
        "Print the poster with <code>tcag survey poster</code>."
    )


def round_closed(round_id: int, answers: int) -> str:
    return (
        f"📋 Survey round {round_id} closed with {answers} answer{'' if answers == 1 else 's'}. "
        "Its key is destroyed: "
        "nobody can tell who answered what, and everyone may answer the next round."
    )


NO_ROUND_TO_CLOSE = "No survey round is open."


def percent(value: Share) -> str:
    if not value.shown:
        return f"fewer than {MIN_CELL} answers"
    return f"{value.percent}% (n={value.n})"


def _group_line(label: str, group: GroupShares) -> str:
    return f"• {esc(label)}: by day {percent(group.day)}, after dark {percent(group.dark)}"


def live_counts(
    round_id: int | None,
    closes_at: datetime | None,
    tz: ZoneInfo,
    figures: SurveyFigures | None,
) -> str:
    if round_id is None or figures is None:
        return f"📋 No survey round is open.\n{SURVEY_USAGE}"
    until = last_day(closes_at, tz) if closes_at is not None else "?"
    lines = [
        f"📋 <b>Public survey, round {round_id}</b> (open until {until}): {figures.n} answers",
        "Feeling very or fairly safe walking alone in the town centre:",
        f"• by day: {percent(figures.day)}",
        f"• after dark: {percent(figures.dark)}",
        f"<i>{NATIONAL_LINE}</i>",
    ]
    if figures.by_gender:
        lines.append("By gender:")
        lines += [_group_line(GENDER_LABELS[Gender(g.label)], g) for g in figures.by_gender]
    if figures.by_age:
        lines.append("By age:")
        lines += [_group_line(AGE_LABELS[AgeGroup(g.label)], g) for g in figures.by_age]
    lines.append(f"(Groups with fewer than {MIN_CELL} answers are not shown.)")
    lines.append("Places avoided:")
    if not figures.places and not figures.somewhere_else:
        lines.append("• none named")
    lines += [f"• {esc(name)}: {count}" for name, count in figures.places]
    if figures.somewhere_else:
        lines.append(f"• somewhere else: {figures.somewhere_else}")
        lines += [f"   – “{esc(text)}”: {count}" for text, count in figures.named_elsewhere]
    lines.append(SURVEY_USAGE)
    return "\n".join(lines)


def trend_lines(rows: Sequence[tuple[RoundResult, int | None]]) -> list[str]:
    """One line per round for the quarterly pack: its quarter, n, both shares, the change."""
    lines: list[str] = []
    for result, change in rows:
        moved = "" if change is None else f" ({change:+d} points after dark since the round before)"
        lines.append(
            f"Round {result.round_id} (Q{result.quarter.number} {result.quarter.year}), "
            f"{result.n} answers: safe by day {percent(result.day)}, "
            f"after dark {percent(result.dark)}{moved}"
        )
    return lines


# ---- the poster ---------------------------------------------------------------------------------
POSTER_TITLE = "How safe do you feel in the town centre?"
POSTER_LINES = (
    "Tell the town centre partnership in three taps on Telegram.",
    "Scan the code with your phone's camera, or open the link below.",
    "Anonymous: no name, no phone number, no Telegram id is kept.",
)
POSTER_NO_USERNAME = (
    "The poster needs the bot's username: set TCAG_BOT_USERNAME, set TELEGRAM_BOT_TOKEN "
    "(I ask Telegram), or pass --username."
)
