"""/outreach_figures [YYYY-MM]: a month's outreach figures (the current one so far), counts
only, each printed with what it means. Outreach workers, coordinators and admins; counts
only, so the coordinators' group may ask too.
"""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.domain.rough_sleeping import MonthError, MonthProblem, parse_month
from bot.texts import outreach_records as records_texts
from handlers.common import reply


async def figures_command(update: Update, context: BotContext) -> None:
    tz, now = context.settings.tz, context.clock.now()
    try:
        month = parse_month(" ".join(context.args or []), now=now, tz=tz)
    except MonthError as problem:
        text = (
            records_texts.MONTH_NOT_STARTED
            if problem.problem is MonthProblem.NOT_STARTED
            else records_texts.MONTH_USAGE
        )
        await reply(update, text)
        return
    start, end = month.bounds(tz)
    figures = await context.store.outreach_figures.figures(start, end, tz)
    await reply(update, records_texts.figures_message(month.title, figures, to_date=now < end))
