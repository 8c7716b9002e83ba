"""Outreach workers: /contact, /person, /people, edits, merges and outcomes; admins: /erase;
outreach, coordinators and admins: /outreach_figures.

One conversation ("outreach") holds every outreach flow that waits for an answer: the
contact being logged (handlers.outreach.contact), a person's typed detail (person), the
other record of a merge (people) and where a worker looked for a referral not found
(referrals). Each module gives its entry points and step table;
this one joins them, so the flows share /cancel, the reminder and the interruption rule
(another command stops the flow and asks for that command again).
"""

from __future__ import annotations

from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.access.roles import Permission
from handlers.conversation import Handler, conversation
from handlers.outreach import contact, erase, figures, outcomes, people, person, referrals
from handlers.outreach.shared import cancel, interrupted, use_the_buttons
from handlers.registry import button, command


def outreach_conversation() -> ConversationHandler[BotContext]:
    return conversation(
        "outreach",
        permission=Permission.OUTREACH,
        entry_points=[
            *contact.entry_points(),
            *person.entry_points(),
            *people.entry_points(),
            *outcomes.entry_points(),
            *referrals.entry_points(),
        ],
        steps={
            **contact.steps(),
            **person.steps(),
            **people.steps(person.while_typing()),
            **outcomes.steps(person.while_typing()),
            **referrals.steps(),
        },
        otherwise=use_the_buttons,
        cancel=cancel,
        interrupted=interrupted,
        persistent=True,
    )


def handlers() -> list[Handler]:
    return [
        outreach_conversation(),
        command("person", person.person_command),
        command("people", people.people_command),
        command("outreach_figures", figures.figures_command),
        command("erase", erase.erase_command),
        button(callbacks.PERSON, person.person_button),
        button(callbacks.ERASE, erase.erase_button),
        button(callbacks.OUTREACH, contact.stale_flow_button),
    ]
