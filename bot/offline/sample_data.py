"""Sample data for a first try of the console: a town, a shift on now, one of each role.

- the hotspots of examples/hotspots.csv, read and stored by the catalog's own import code
  (bot.domain.reports.catalog.read_places_csv, then Hotspots.upsert_many, as `tcag hotspots
  import` does), so "3 lads drinking by the fountain" finds Elmer Square;
- a daily shift, "Console shift", from this minute for four hours, so reports made now
  are in its /digest and the scheduler has a digest to send when it ends;
- an officer, a warden and an outreach worker beside the coordinator admin, all on duty,
  so an urgent report alerts someone.

Loading twice changes nothing that is already there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.access.roles import Role
from bot.domain.reports.catalog import read_places_csv
from bot.domain.shifts.shift_windows import ShiftPattern
from storage.catalog import HotspotIn
from storage.models import Member
from storage.store import Store

HOTSPOTS_CSV = Path(__file__).resolve().parents[2] / "examples" / "hotspots.csv"
SHIFT_NAME = "Console shift"
SHIFT_LENGTH = timedelta(hours=4)
PEOPLE: tuple[tuple[str, Role], ...] = (
    ("Olly Officer", Role.OFFICER),
    ("Wendy Warden", Role.WARDEN),
    ("Owen Outreach", Role.OUTREACH),
)


@dataclass
class Loaded:
    hotspots: int = 0
    shift: ShiftPattern | None = None  # None: a shift of that name was there already
    members: list[Member] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


async def add_member(
    store: Store, telegram_id: int, name: str, role: Role, *, approver: Member
) -> Member | None:
    """An active member, approved as an admin would; None if the request went elsewhere."""
    pending, _ = await store.members.request_access(telegram_id, name, None)
    return await store.members.approve(pending.id or 0, role, by=approver)


def sample_places(path: Path) -> list[HotspotIn]:
    """The places of a hotspots CSV, as `tcag hotspots import` reads them."""
    rows = read_places_csv(path.read_text(encoding="utf-8"))
    return [HotspotIn(r.name, r.lat, r.lon, r.radius_m, r.aliases) for r in rows]


def shift_from(now: datetime, tz: ZoneInfo) -> ShiftPattern:
    """Every day, from this minute (local time) for SHIFT_LENGTH."""
    local = now.astimezone(tz).replace(second=0, microsecond=0)
    start = time(local.hour, local.minute)
    end_at = local + SHIFT_LENGTH
    return ShiftPattern(SHIFT_NAME, frozenset(range(7)), start, time(end_at.hour, end_at.minute))


async def load_sample_data(
    store: Store,
    *,
    tz: ZoneInfo,
    now: datetime,
    approver: Member,
    first_telegram_id: int,
    hotspots_csv: Path = HOTSPOTS_CSV,
) -> Loaded:
    loaded = Loaded()
    try:
        places = sample_places(hotspots_csv)
    except (OSError, ValueError) as error:  # CsvProblems is a ValueError
        loaded.problems.append(f"no sample hotspots ({hotspots_csv}: {error})")
    else:
        await store.hotspots.upsert_many(places)
        loaded.hotspots = len(places)

    pattern = shift_from(now, tz)
    if await store.shifts.add(pattern) is not None:
        loaded.shift = pattern

    names = {member.name.casefold() for member in await store.members.all()}
    telegram_id = first_telegram_id
    for name, role in PEOPLE:
        if name.casefold() in names:
            continue
        member = await add_member(store, telegram_id, name, role, approver=approver)
        telegram_id += 1
        if member is not None:
            loaded.members.append(member)
    for member in [approver, *loaded.members]:
        await store.duty.start(member.id or 0)
    return loaded
