"""Every command the bot answers, with the permission it needs.

Handlers are registered through this table (see handlers.registry), so /help, each
member's command menu and the access check all read the same rules, and a command added
without a rule fails at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.access.roles import Permission, Role, Status, permissions_for


@dataclass(frozen=True)
class CommandSpec:
    name: str
    description: str  # shown in Telegram's command menu (≤ 256 characters)
    permission: Permission
    usage: str = ""  # shown in /help when the command takes arguments
    private_only: bool = True  # refused in the coordinators' group (personal data stays private)
    in_menu: bool = True


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", "Main menu", Permission.PUBLIC, in_menu=False),
    CommandSpec("help", "What I can do for you", Permission.MEMBER, private_only=False),
    CommandSpec("cancel", "Stop what you are doing", Permission.MEMBER, in_menu=False),
    CommandSpec("report", "Report an incident or sighting", Permission.MEMBER),
    CommandSpec("drafts", "Report drafts kept aside: resume or drop", Permission.MEMBER),
    CommandSpec("mine", "Your last 10 reports", Permission.MEMBER),
    CommandSpec("update", "Add to one of your reports", Permission.MEMBER, usage="/update R-12 …"),
    CommandSpec("show", "One report in full", Permission.MEMBER, usage="/show R-12"),
    CommandSpec("roughsleeper", "Rough sleeper seen: tell outreach", Permission.PATROL),
    # The reporter or a coordinator asks for a review (/cctv R-12); alone, it lists the
    # requests for CCTV operators (waiting) and coordinators (latest); the handler asks who.
    CommandSpec(
        "cctv",
        "CCTV: ask for a review of a report; requests",
        Permission.MEMBER,
        usage="/cctv [R-12]",
    ),
    # Duty: names and roles of who is on duty are no personal details, so the group may ask.
    CommandSpec("on", "Go on duty (you get the briefing)", Permission.MEMBER),
    CommandSpec("off", "Go off duty", Permission.MEMBER),
    CommandSpec("duty", "Who is on duty now", Permission.MEMBER, private_only=False),
    # Staff safety: "Need help" at once (also a button on the menu and every check-in).
    CommandSpec("sos", "Need help: alert coordinators and everyone on duty now", Permission.MEMBER),
    CommandSpec("checkins", "Who works alone; end forgotten check-ins", Permission.COORDINATE),
    CommandSpec(
        "checkinrole",
        "Lone working by role: alone by default, how often",
        Permission.ADMIN,
        usage="/checkinrole warden alone 30",
    ),
    CommandSpec("contact", "Log an outreach contact", Permission.OUTREACH),
    CommandSpec("person", "One person's history", Permission.OUTREACH, usage="/person <alias>"),
    CommandSpec("people", "People seen recently", Permission.OUTREACH),
    CommandSpec("referrals", "Open rough sleeper referrals", Permission.OUTREACH),
    CommandSpec("concerns", "Open safeguarding concerns", Permission.SAFEGUARD),
    # Counts only, with their definitions: the group may ask.
    CommandSpec(
        "outreach_figures",
        "Outreach figures for a month (counts only)",
        Permission.OUTREACH_FIGURES,
        usage="/outreach_figures [2026-11]",
        private_only=False,
    ),
    CommandSpec("open", "Open urgent incidents", Permission.COORDINATE),
    CommandSpec(
        "close",
        "Close an incident with its outcome",
        Permission.COORDINATE,
        usage="/close R-12 [what happened]",
    ),
    # Coordinators' outputs: briefings, digests and stats are counts, so the group may ask;
    # exports and the quarterly report are files to keep private.
    CommandSpec(
        "brief",
        "Briefing notes and the briefing now",
        Permission.COORDINATE,
        usage="/brief [add … | clear 3]",
        private_only=False,
    ),
    CommandSpec(
        "digest", "The current or last shift's digest", Permission.COORDINATE, private_only=False
    ),
    CommandSpec(
        "stats",
        "Reports by category and hotspot, with a chart",
        Permission.COORDINATE,
        usage="/stats 7d|30d|quarter [hotspot or category]",
        private_only=False,
    ),
    CommandSpec(
        "export",
        "Reports and outreach counts as CSV files",
        Permission.COORDINATE,
        usage="/export 2026-07-01 2026-09-30",
    ),
    CommandSpec(
        "quarter",
        "The quarterly partnership report (PDF)",
        Permission.COORDINATE,
        usage="/quarter 2026Q3",
    ),
    # The pack's actions table: counts-free, but owners and plans stay out of the group.
    CommandSpec(
        "action",
        "Partnership actions: add, mark done, list open",
        Permission.COORDINATE,
        usage="/action [add <owner> <due date> <text> | done 3]",
    ),
    CommandSpec(
        "survey",
        "Public survey: live results (admins: open, close)",
        Permission.COORDINATE,
        usage="/survey [open | close]",
        private_only=False,
    ),
    CommandSpec(
        "invite", "Invite someone to join", Permission.INVITE, usage="/invite officer|warden|…"
    ),
    CommandSpec("invites", "Your open invites: withdraw one", Permission.INVITE),
    CommandSpec("members", "Members, roles and access", Permission.ADMIN),
    CommandSpec("categories", "Report categories", Permission.ADMIN),
    CommandSpec("hotspots", "Hotspots: named places", Permission.ADMIN),
    CommandSpec(
        "shifts",
        "Shift patterns: add, change, remove",
        Permission.ADMIN,
        usage="/shifts [add Name | days | start | end]",
    ),
    CommandSpec(
        "erase", "Erase a person's outreach record", Permission.ADMIN, usage="/erase <alias>"
    ),
    CommandSpec(
        "audit",
        "The audit log: who did what, when",
        Permission.ADMIN,
        usage="/audit [@username | name | member. | person. | export]",
    ),
)

BY_NAME: dict[str, CommandSpec] = {spec.name: spec for spec in COMMANDS}


def spec_for(name: str) -> CommandSpec:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"command /{name} has no entry in bot.commands.COMMANDS") from None


def commands_for(
    role: Role, *, is_admin: bool, status: Status, is_lead: bool = False
) -> list[CommandSpec]:
    """The commands this member may use, in table order."""
    granted = permissions_for(role, is_admin=is_admin, status=status, is_lead=is_lead)
    return [spec for spec in COMMANDS if spec.permission in granted]
