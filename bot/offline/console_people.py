"""The console's people: who is typing, and the `:` commands that add or switch them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import Settings
from bot.domain.access.commands import COMMANDS
from bot.domain.access.roles import Role, Status
from bot.offline.chat import Person
from bot.offline.sample_data import SHIFT_NAME, add_member, load_sample_data
from bot.offline.terminal import Write
from storage.models import Member
from storage.store import Store

FIRST_TELEGRAM_ID = 100_001
FIRST_ADMIN_NAME = "Alex Admin"
CONSOLE_WORDS = (
    ":people", ":as", ":new", ":stranger", ":group", ":me", ":say", ":sample", ":help", ":quit",
    "/loc", "/photo",
)  # fmt: skip

HELP = """\
Console commands (anything else goes to the bot as a message from the person in the prompt):
  :people                         everyone in the console database, numbered
  :as <number|name>               become someone else (part of a name will do) and see
                                  what reached them meanwhile
  :new <role> <name…> [--admin]   add an active member and become them
                                  (roles: officer, warden, outreach, coordinator)
  :stranger <name…>               become someone the bot has never seen
                                  (try /start, or /start <invite code>)
  :group                          act in the coordinators' group (:me goes back)
  :say <text>                     send exactly this, even a number
  :sample                         add sample hotspots, a shift on now, one member per role
  :help                           this help
  :quit                           leave (Ctrl-D works too)
In the chat:
  /start, /help, …                the bot's commands, as in Telegram
  /loc <lat> <lon>                share a location, e.g. /loc 52.6012 -1.1034
  /photo <file> [caption]         send a photo
  <number>                        press that button of the newest message with buttons
Photos and documents the bot sends are saved as files; their paths are printed."""

SAMPLE_OFFER = (
    "This console database is new. Press Enter to add sample data (the example town's "
    "hotspots, a shift on now, an officer, a warden and an outreach worker, all on duty), "
    "or type anything to start without it (:sample adds it later)."
)


def person_of(member: Member) -> Person:
    first, _, last = member.name.partition(" ")
    return Person(member.telegram_id, first or member.name, last or None, member.username)


def person_named(telegram_id: int, name: str) -> Person:
    first, _, last = name.strip().partition(" ")
    return Person(telegram_id, first, last.strip() or None)


def role_text(member: Member | None) -> str:
    """'coordinator ★', 'pending', 'officer, suspended' or 'stranger'."""
    if member is None:
        return "stranger"
    star = " ★" if member.is_admin else ""
    if member.status is Status.ACTIVE:
        return f"{member.role.value}{star}"
    if member.status is Status.PENDING:
        return f"pending{star}"
    return f"{member.role.value}, {member.status.value}{star}"


class People:
    """Who is typing, in which chat; `:people`, `:as`, `:new`, `:stranger`, `:help`."""

    def __init__(self, store: Store, settings: Settings, write: Write) -> None:
        self.store = store
        self.settings = settings
        self.write = write
        self.person: Person | None = None
        self.in_group = False
        self.sample_offered = False  # an empty first line loads the sample data
        self.strangers: dict[int, Person] = {}
        self._names: dict[int, str] = {}

    async def show_unread(self) -> None:
        raise NotImplementedError  # the console prints them

    @property
    def current(self) -> Person:
        if self.person is None:
            raise RuntimeError("the console has no current person")
        return self.person

    @property
    def group_id(self) -> int:
        chat = self.settings.coordinators_chat_id
        assert chat is not None  # console_settings always names one
        return chat

    @property
    def chat_id(self) -> int:
        """The chat the person is typing in: their own, or the coordinators' group."""
        return self.group_id if self.in_group else self.current.telegram_id

    def destination(self, chat_id: int) -> str:
        if self.person is not None and chat_id == self.person.telegram_id:
            return "you"
        if chat_id == self.settings.coordinators_chat_id:
            return "coordinators' group"
        return self._names.get(chat_id, f"chat {chat_id}")

    async def people(self) -> list[tuple[Person, Member | None]]:
        """Everyone the console knows: members first (store order), then strangers."""
        members = await self.store.members.all()
        known = {m.telegram_id for m in members}
        listed: list[tuple[Person, Member | None]] = [(person_of(m), m) for m in members]
        listed += [(p, None) for tid, p in self.strangers.items() if tid not in known]
        self._names = {p.telegram_id: p.name for p, _ in listed}
        return listed

    async def next_telegram_id(self) -> int:
        ids = [p.telegram_id for p, _ in await self.people()]
        return max([FIRST_TELEGRAM_ID - 1, *ids]) + 1

    async def choose_first_person(self) -> None:
        """Alex Admin on a fresh database; otherwise an active admin, if there is one."""
        listed = await self.people()
        if not listed:
            telegram_id = await self.next_telegram_id()
            admin = await self.store.members.ensure_admin(
                telegram_id, FIRST_ADMIN_NAME, role=Role.COORDINATOR
            )
            self.person = person_of(admin)
            self.write(
                f"No members yet, so I made {admin.name} (Telegram id {admin.telegram_id}), "
                "an admin with the coordinator role.\n"
                "Try /start, /invite officer, or :stranger <name> then /start to ask to join."
            )
            self.write(SAMPLE_OFFER)
            self.sample_offered = True
            await self.people()
            return
        admins = await self.store.members.active_admins()
        if admins:
            self.person = person_of(admins[0])
            return
        active = [p for p, m in listed if m is not None and m.status is Status.ACTIVE]
        self.person = active[0] if active else listed[0][0]

    async def prompt(self) -> str:
        person = self.current
        member = await self.store.members.by_telegram_id(person.telegram_id)
        where = " · in the coordinators' group" if self.in_group else ""
        return f"[{person.name} · {role_text(member)}{where}] > "

    def completions(self, before: str) -> list[str]:
        """What Tab offers: names after `:as`, else console words and the bot's commands."""
        if before.casefold().startswith(":as "):
            return sorted(self._names.values())
        if " " in before.strip():
            return []
        return [*CONSOLE_WORDS, *(f"/{spec.name}" for spec in COMMANDS)]

    async def people_command(self, command: str, rest: str) -> bool:
        """Run `:help`, `:people`, `:as`, `:new` or `:stranger`; False for anything else."""
        if command == ":help":
            self.write(HELP)
        elif command == ":people":
            await self.list_people()
        elif command == ":as":
            await self.switch(rest)
        elif command == ":new":
            await self.new_member(rest.split())
        elif command == ":stranger":
            await self.new_stranger(rest)
        else:
            return False
        return True

    async def list_people(self) -> None:
        lines = ["People (switch with :as <number or name>):"]
        for number, (person, member) in enumerate(await self.people(), start=1):
            if member is None:
                about = "stranger (not in the database)"
            else:
                star = " ★" if member.is_admin else ""
                about = f"{member.role.value}, {member.status.value}{star}"
            you = "   ← you" if person.telegram_id == self.current.telegram_id else ""
            lines.append(f"  {number:>2}. {person.name} — {about}{you}")
        self.write("\n".join(lines))

    async def switch(self, wanted: str) -> None:
        if not wanted:
            self.write("Usage: :as <number or name>  (:people lists everyone)")
            return
        listed = await self.people()
        matches: list[tuple[Person, Member | None]]
        if wanted.isdigit():
            index = int(wanted) - 1
            matches = [listed[index]] if 0 <= index < len(listed) else []
        else:
            key = wanted.casefold()
            matches = [entry for entry in listed if entry[0].name.casefold() == key]
            matches = matches or [entry for entry in listed if key in entry[0].name.casefold()]
        if not matches:
            self.write(
                f"No one matches {wanted!r}. :people lists everyone; "
                ":new or :stranger adds someone."
            )
            return
        if len(matches) > 1:
            names = ", ".join(person.name for person, _ in matches)
            self.write(f"{wanted!r} matches {names}: say which (a number from :people works).")
            return
        person, member = matches[0]
        await self.become(person, member)

    async def become(self, person: Person, member: Member | None) -> None:
        self.person, self.in_group = person, False
        self.write(f"You are now {person.name} ({role_text(member)}).")
        await self.show_unread()

    async def new_member(self, words: list[str]) -> None:
        usage = "Usage: :new <officer|warden|outreach|coordinator> <name…> [--admin]"
        is_admin = "--admin" in words
        words = [w for w in words if w != "--admin"]
        if len(words) < 2:
            self.write(usage)
            return
        role = Role.parse(words[0])
        if role is None:
            roles = ", ".join(r.value for r in Role)
            self.write(f"There is no role {words[0]!r}: use one of {roles}.")
            return
        name = " ".join(words[1:])[:128]
        telegram_id = await self.next_telegram_id()
        if is_admin:
            member = await self.store.members.ensure_admin(telegram_id, name, role=role)
        else:
            approver = await self._approver()
            if approver is None:
                self.write(
                    "Members are approved by an admin, and there is no active admin. "
                    "Add one first: :new coordinator <name> --admin"
                )
                return
            approved = await add_member(self.store, telegram_id, name, role, approver=approver)
            if approved is None:
                self.write(f"Could not add {name}: the request was decided elsewhere.")
                return
            member = approved
        self.write(f"Added {member.name} as an active {role.value}{' admin' if is_admin else ''}.")
        await self.become(person_of(member), member)

    async def _approver(self) -> Member | None:
        current = await self.store.members.by_telegram_id(self.current.telegram_id)
        if current is not None and current.is_admin and current.status is Status.ACTIVE:
            return current
        admins = await self.store.members.active_admins()
        return admins[0] if admins else None

    async def new_stranger(self, name: str) -> None:
        if not name:
            self.write("Usage: :stranger <name…>")
            return
        person = person_named(await self.next_telegram_id(), name[:128])
        self.strangers[person.telegram_id] = person
        self.person, self.in_group = person, False
        self._names[person.telegram_id] = person.name
        self.write(
            f"You are now {person.name}, a stranger the bot has never seen "
            f"(Telegram id {person.telegram_id}). Try /start, or /start <invite code>."
        )

    async def add_sample_data(self) -> None:
        approver = await self._approver()
        if approver is None:
            self.write("Sample data needs an active admin first: :new coordinator <name> --admin")
            return
        loaded = await load_sample_data(
            self.store,
            tz=self.settings.tz,
            now=datetime.now(UTC),
            approver=approver,
            first_telegram_id=await self.next_telegram_id(),
        )
        said = [f"Sample data: {loaded.hotspots} hotspots from examples/hotspots.csv"]
        if loaded.shift is not None:
            start, end = loaded.shift.start, loaded.shift.end
            said.append(f'a shift "{SHIFT_NAME}" every day {start:%H:%M}–{end:%H:%M} (on now)')
        if loaded.members:
            said.append(", ".join(f"{m.name} ({m.role.value})" for m in loaded.members))
        self.write(
            "; ".join(said)
            + f"; everyone on duty.\n{'  '.join(loaded.problems)}".rstrip()
            + "\nTry :as Olly, then: 3 lads drinking by the fountain (a quick report)."
        )
        await self.people()
