"""Briefings, digests, weekly summaries and /stats from seeded data, figure by figure.

What they say goes to the coordinators' group: the tests also check that no free text
(report descriptions, typed places, outreach notes, a person's alias or looks) gets in,
and that the HTML is what Telegram accepts.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from matplotlib import image

from bot.config import Settings
from bot.domain.clock import ManualClock
from bot.domain.partnership.figures import (
    CategoryComparison,
    CategoryCount,
    compare_categories,
)
from bot.domain.reports.incidents import AckKind
from bot.domain.shifts.shift_windows import ShiftOccurrence
from bot.offline.bot_api import check_html
from bot.summaries import compose as summaries
from bot.summaries.charts import PNG_SIGNATURE
from bot.summaries.compose import Composed
from bot.texts import common as common_texts
from bot.texts.partnership import summaries as summaries_texts
from storage.catalog import HotspotIn
from storage.outreach.inputs import ContactIn, SightingIn
from storage.store import Store
from tests.support.digest_data import (
    SECRET,
    SHIFT,
    SHIFT_END,
    SHIFT_START,
    at,
    duty,
    file,
    people,
    seed_night,
    services,
)
from tests.support.harness import make_settings


@pytest.fixture
def settings() -> Settings:
    return make_settings()


def check_safe(composed: Composed) -> None:
    """Valid Telegram HTML, no free text, and a real PNG of a sensible size."""
    check_html(composed.text)
    assert SECRET not in composed.text
    if composed.chart_png is not None:
        assert composed.caption is not None
        check_html(composed.caption)
        assert SECRET not in composed.caption
        png = composed.chart_png
        assert png.startswith(PNG_SIGNATURE)
        assert 5_000 < len(png) < 200_000
        pixels = image.imread(io.BytesIO(png), format="png")
        assert pixels.shape[:2] == (450, 800)


# ---- the digest ------------------------------------------------------------------------------
async def test_digest_figures(store: Store, clock: ManualClock, settings: Settings) -> None:
    night = await seed_night(store, clock)
    composed = await summaries.digest(
        services(store, clock, settings), occurrence=SHIFT, start=SHIFT_START, end=SHIFT_END
    )
    check_safe(composed)
    weapon, violence = f"R-{night.weapon.id:04d}", f"R-{night.violence.id:04d}"
    assert composed.text == (
        "📊 <b>Shift digest: Friday late</b>\n"
        "Fri 27 Nov 20:00–Sat 28 Nov 03:00\n"
        "Reports: <b>8</b> (last week 3)\n"
        "\n"
        "<b>By category</b>\n"
        "• Street drinking: 3 (last week 1)\n"
        "• Begging: 1 (last week 2)\n"
        "• Weapon seen: 1 (last week 0)\n"
        "• Violence or assault: 1 (last week 0)\n"
        "• Antisocial behaviour: 1 (last week 0)\n"
        "• Rough sleeping: 1 (last week 0)\n"
        "\n"
        "📍 <b>Top hotspots</b>\n"
        "• Elmer Square: 4\n"
        "• Market Street: 3\n"
        "• <i>not at a hotspot</i>: 1\n"
        "\n"
        "🚨 <b>Urgent incidents</b>\n"
        f"• <b>{weapon}</b> 21:45 Weapon seen · Elmer Square · attending: Cara after 3 min, "
        "closed\n"
        f"• <b>{violence}</b> 02:59 Violence or assault · Market Street · "
        "⚠️ not acknowledged, escalated, open\n"
        "2 urgent incidents, 1 acknowledged; time to acknowledge: median 3 min, longest 3 min.\n"
        "\n"
        "🤝 <b>Outreach</b>\n"
        "Contacts: 2 (1 anonymous) · new people: 1 · returners: 0\n"
        f"<i>{summaries_texts.OUTREACH_TERMS}</i>\n"
        "Referrals: 1 made, 0 closed, 1 open\n"
        "\n"
        "⏱ <b>Staff on duty</b>\n"
        "18.0 hours on duty by 4 members\n"
        "1 duty session left open and closed automatically\n"
        "1 still on duty when this was written"
    )
    assert composed.caption == "📊 Incidents per hour by category: Friday late, Fri 27 Nov"


async def test_digest_sent_late_says_so(
    store: Store, clock: ManualClock, settings: Settings
) -> None:
    await people(store)
    svc = services(store, clock, settings)
    late = await summaries.digest(
        svc, occurrence=SHIFT, start=SHIFT_START, end=SHIFT_END, late=True
    )
    on_time = await summaries.digest(svc, occurrence=SHIFT, start=SHIFT_START, end=SHIFT_END)
    assert late.text.splitlines()[0] == "📊 <b>Shift digest: Friday late</b> <i>(sent late)</i>"
    assert "sent late" not in on_time.text


async def test_a_quiet_shift_still_gets_a_digest_and_a_chart(
    store: Store, clock: ManualClock, settings: Settings
) -> None:
    await people(store)
    composed = await summaries.digest(
        services(store, clock, settings), occurrence=SHIFT, start=SHIFT_START, end=SHIFT_END
    )
    check_safe(composed)
    lines = composed.text.splitlines()
    assert "Reports: <b>0</b> (last week 0)" in lines
    assert "🚨 <b>Urgent incidents</b>" in lines and "None." in lines
    assert "0.0 hours on duty by 0 members" in lines
    assert "Top hotspots" not in composed.text


async def test_same_shift_last_week_is_by_local_time_across_the_clock_change(
    store: Store, clock: ManualClock, settings: Settings
) -> None:
    """Sat 31 Oct 20:00 GMT; the week before, Sat 24 Oct 20:00 was BST (19:00 UTC)."""
    crew = await people(store)
    shift = ShiftOccurrence(
        "Saturday late",
        date(2026, 10, 31),
        datetime(2026, 10, 31, 20, tzinfo=UTC),
        datetime(2026, 11, 1, 3, tzinfo=UTC),
    )
    await file(store, clock, crew.olly, "begging", datetime(2026, 10, 24, 18, 30, tzinfo=UTC))
    await file(store, clock, crew.olly, "begging", datetime(2026, 10, 24, 19, 30, tzinfo=UTC))
    await file(store, clock, crew.olly, "begging", datetime(2026, 10, 31, 21, tzinfo=UTC))
    composed = await summaries.digest(
        services(store, clock, settings), occurrence=shift, start=shift.starts_at, end=shift.ends_at
    )
    lines = composed.text.splitlines()
    assert "Reports: <b>1</b> (last week 1)" in lines  # 20:30 BST counts; 19:30 BST does not
    assert "• Begging: 1 (last week 1)" in lines


async def test_busy_shift_lists_are_capped(
    store: Store, clock: ManualClock, settings: Settings
) -> None:
    crew = await people(store)
    for n in range(30):
        await file(store, clock, crew.olly, "weapon", at(27, 20, n), urgent=True)
    composed = await summaries.digest(
        services(store, clock, settings), occurrence=SHIFT, start=SHIFT_START, end=SHIFT_END
    )
    lines = composed.text.splitlines()
    assert sum(1 for line in lines if line.startswith("• <b>R-")) == 25
    assert "… and 5 more" in lines
    assert "30 urgent incidents, 0 acknowledged." in lines


# ---- the briefing ----------------------------------------------------------------------------
async def test_briefing_contents(store: Store, clock: ManualClock, settings: Settings) -> None:
    night = await seed_night(store, clock)
    crew = night.people
    # A rough sleeper seen on Wednesday, still untouched: overdue after 24 h.
    clock.set(at(25, 10))
    await store.referrals.add_sighting(
        SightingIn(
            hotspot_id=night.elmer.id,
            place_text=f"{SECRET} doorway",
            seen_at=at(25, 9, 30),
            appearance=f"{SECRET} red sleeping bag",
        ),
        reporter=crew.olly,
    )
    clock.set(at(28, 12))
    await store.notes.add(crew.cara, "Match at the stadium: <b>expect</b> crowds & noise")
    cleared = await store.notes.add(crew.cara, "Old note")
    await store.notes.clear(cleared.id or 0, crew.cara)
    await store.notes.add(crew.cara, "  Second note  ")
    await duty(store, clock, crew.olly, at(28, 19, 40), None)
    await store.contacts.log_contact(ContactIn(), worker=crew.omar)  # today: not in counts
    now = at(28, 19, 45)
    clock.set(now)
    saturday = ShiftOccurrence("Friday late", at(28, 20).date(), at(28, 20), at(29, 3))
    composed = await summaries.briefing(
        services(store, clock, settings), occurrence=saturday, since=SHIFT_END, now=now
    )
    check_safe(composed)
    assert composed.chart_png is None
    notes = await store.notes.active()
    violence = f"R-{night.violence.id:04d}"
    assert composed.text == (
        "📋 <b>Briefing: Friday late</b>\n"
        "Sat 28 Nov 20:00–Sun 29 Nov 03:00\n"
        "Since Sat 28 Nov 03:00: <b>1 report</b>.\n"
        "\n"
        "<b>By category</b>\n"
        "• Begging: 1\n"
        "\n"
        "📍 <b>Top hotspots</b>\n"
        "• Elmer Square: 1\n"
        "\n"
        "🚨 <b>Urgent incidents since then</b>\n"
        "None.\n"
        "Still open from before (1):\n"
        f"• <b>{violence}</b> Sat 28 Nov 02:59 Violence or assault · Market Street · "
        "⚠️ not acknowledged, escalated, open\n"
        "\n"
        "🛏 Open rough-sleeper referrals: <b>2</b>\n"
        "⏰ Overdue (untouched 24 h or more): <b>1</b>\n"
        "• untouched 3 d 9 h · Elmer Square\n"
        "\n"
        "📝 <b>Coordinators' notes</b>\n"
        f"#{notes[0].note_id} Match at the stadium: &lt;b&gt;expect&lt;/b&gt; crowds &amp; "
        "noise <i>(Cara, Sat 28 Nov 12:00)</i>\n"
        f"#{notes[1].note_id} Second note <i>(Cara, Sat 28 Nov 12:00)</i>\n"
        "\n"
        "👮 <b>On duty</b> (2)\n"
        "• Omar, Outreach worker, since 02:00\n"
        "• Olly, Police officer, since 19:40"
    )


async def test_briefing_on_demand_without_a_shift(
    store: Store, clock: ManualClock, settings: Settings
) -> None:
    await people(store)
    composed = await summaries.briefing(
        services(store, clock, settings), occurrence=None, since=at(27, 3), now=at(27, 19)
    )
    check_safe(composed)
    assert composed.text == (
        "📋 <b>Briefing</b>\n"
        "Since Fri 27 Nov 03:00: <b>0 reports</b>.\n"
        "\n"
        "🚨 <b>Urgent incidents since then</b>\n"
        "None.\n"
        "\n"
        "🛏 Open rough-sleeper referrals: <b>0</b>\n"
        "\n"
        "📝 No briefing notes. Coordinators add them with /brief add …\n"
        "\n"
        "👮 Nobody is on duty yet."
    )
    late = await summaries.briefing(
        services(store, clock, settings),
        occurrence=SHIFT,
        since=at(27, 3),
        now=at(27, 19),
        late=True,
    )
    assert late.text.splitlines()[0] == "📋 <b>Briefing: Friday late</b> <i>(sent late)</i>"


# ---- the weekly summary ------------------------------------------------------------------------
async def test_weekly_against_the_four_weeks_before(
    store: Store, clock: ManualClock, settings: Settings
) -> None:
    night = await seed_night(store, clock)
    olly = night.people.olly
    # The four weeks before 23 Nov: 26 Oct 1, 2 Nov 0, 9 Nov 2, 16 Nov 3 (from the seed).
    await file(store, clock, olly, "street_drinking", datetime(2026, 10, 26, 0, 0, tzinfo=UTC))
    await file(store, clock, olly, "begging", at(9, 12))
    await file(store, clock, olly, "begging", at(15, 23, 59))
    # Sunday night 23:59 is this week; Monday 00:00 the next one.
    await file(store, clock, olly, "asb", at(29, 23, 59))
    await file(store, clock, olly, "asb", at(30, 0, 0))
    clock.set(at(30, 8))
    composed = await summaries.weekly(services(store, clock, settings), week_start=at(23, 0))
    check_safe(composed)
    assert composed.text == (
        "🗓 <b>Weekly summary</b>\n"
        "Mon 23 Nov – Sun 29 Nov\n"
        "Reports: <b>11</b> (4-week average 1.5: 1, 0, 2, 3)\n"
        "\n"
        "<b>By category</b>\n"
        "• Street drinking: 4 (4-week average 0.5)\n"
        "• Begging: 2 (4-week average 1)\n"
        "• Antisocial behaviour: 2 (4-week average 0)\n"
        "• Weapon seen: 1 (4-week average 0)\n"
        "• Violence or assault: 1 (4-week average 0)\n"
        "• Rough sleeping: 1 (4-week average 0)\n"
        "\n"
        "📍 <b>Top hotspots</b>\n"
        "• Elmer Square: 6\n"
        "• Market Street: 3\n"
        "• <i>not at a hotspot</i>: 2\n"
        "\n"
        "🚨 <b>Urgent incidents</b>\n"
        "2 urgent incidents, 1 acknowledged; time to acknowledge: median 3 min, longest 3 min.\n"
        "\n"
        "🤝 <b>Outreach</b>\n"
        "Contacts: 2 (1 anonymous) · new people: 1 · returners: 0\n"
        f"<i>{summaries_texts.OUTREACH_TERMS}</i>\n"
        "Referrals: 1 made, 0 closed, 1 open\n"
        "\n"
        "⏱ <b>Staff on duty</b>\n"
        # 7.25 + 3 + 9 + 2 + 2 closed, and Omar's still open since Sat 02:00: 46 to the end.
        "69.2 hours on duty by 4 members\n"
        "1 duty session left open and closed automatically\n"
        "1 still on duty when this was written"
    )
    assert composed.caption == ("📊 Incidents per week by category: this week and the four before")


async def test_weekly_follows_local_midnights_across_the_clock_change(
    store: Store, clock: ManualClock, settings: Settings
) -> None:
    """The week of Mon 19 Oct 2026 starts at 00:00 BST (Sun 23:00 UTC), ends at 00:00 GMT."""
    crew = await people(store)
    await file(store, clock, crew.olly, "begging", datetime(2026, 10, 18, 22, 59, tzinfo=UTC))
    await file(store, clock, crew.olly, "begging", datetime(2026, 10, 18, 23, 30, tzinfo=UTC))
    await file(store, clock, crew.olly, "begging", datetime(2026, 10, 25, 23, 59, tzinfo=UTC))
    await file(store, clock, crew.olly, "begging", datetime(2026, 10, 26, 0, 0, tzinfo=UTC))
    week_start = datetime(2026, 10, 18, 23, 0, tzinfo=UTC)
    composed = await summaries.weekly(
        services(store, clock, settings), week_start=week_start, late=True
    )
    lines = composed.text.splitlines()
    assert lines[:3] == [
        "🗓 <b>Weekly summary</b> <i>(sent late)</i>",
        "Mon 19 Oct – Sun 25 Oct",
        "Reports: <b>2</b> (4-week average 0.2: 0, 0, 0, 1)",
    ]


# ---- /stats --------------------------------------------------------------------------------------
async def test_stats_for_a_period(store: Store, clock: ManualClock, settings: Settings) -> None:
    await seed_night(store, clock)
    composed = await summaries.stats(
        services(store, clock, settings), start=at(22, 0), end=at(29, 0), label="last 7 days"
    )
    check_safe(composed)
    assert composed.text == (
        "📈 <b>Statistics: last 7 days</b>\n"
        "Sun 22 Nov – Sat 28 Nov\n"
        "Reports: <b>10</b>\n"
        "\n"
        "<b>By category</b>\n"
        "• Street drinking: 4\n"
        "• Begging: 2\n"
        "• Weapon seen: 1\n"
        "• Violence or assault: 1\n"
        "• Antisocial behaviour: 1\n"
        "• Rough sleeping: 1\n"
        "\n"
        "📍 <b>Top hotspots</b>\n"
        "• Elmer Square: 6\n"
        "• Market Street: 3\n"
        "• <i>not at a hotspot</i>: 1\n"
        "\n"
        "🚨 <b>Urgent incidents</b>\n"
        "2 urgent incidents, 1 acknowledged; time to acknowledge: median 3 min, longest 3 min."
    )
    assert composed.caption == "📊 Incidents per day by category: last 7 days"


async def test_names_are_escaped_everywhere(
    store: Store, clock: ManualClock, settings: Settings
) -> None:
    crew = await people(store)
    begging = await store.categories.by_slug("begging")
    assert begging is not None
    await store.categories.rename(begging.id or 0, "Begging <i>& $pitch$")
    odd, _ = await store.hotspots.upsert(HotspotIn(name="Bar <b>", lat=51.5, lon=-0.12))
    report = await file(store, clock, crew.olly, "begging", at(27, 21), odd, urgent=True)
    await store.members.rename(crew.cara.id or 0, "Cara <script>", by=crew.cara)
    clock.set(at(27, 21, 1))
    await store.reports.acknowledge(report.id or 0, by=crew.cara, kind=AckKind.ACKNOWLEDGED)
    svc = services(store, clock, settings)
    weird = ShiftOccurrence("Late & <lively>", SHIFT.local_date, SHIFT_START, SHIFT_END)
    digest = await summaries.digest(svc, occurrence=weird, start=SHIFT_START, end=SHIFT_END)
    check_safe(digest)
    assert "Begging &lt;i&gt;&amp; $pitch$: 1" in digest.text
    assert "Bar &lt;b&gt;: 1" in digest.text
    assert "acknowledged: Cara &lt;script&gt; after 1 min" in digest.text
    assert "Shift digest: Late &amp; &lt;lively&gt;" in digest.text
    stats = await summaries.stats(svc, start=at(27, 0), end=at(28, 0), label="<today>")
    check_safe(stats)


# ---- the pure parts ------------------------------------------------------------------------------
def test_compare_categories_keeps_categories_seen_only_before() -> None:
    drink = CategoryCount(7, "Street drinking", 3, 60)
    begging = CategoryCount(9, "Begging", 2, 80)
    now = [drink]
    before = [CategoryCount(7, "Street drinking", 4, 60), begging]
    assert compare_categories(now, before) == (
        CategoryComparison("Street drinking", 3, 4.0),
        CategoryComparison("Begging", 0, 2.0),
    )
    assert compare_categories(now, before, periods=4) == (
        CategoryComparison("Street drinking", 3, 1.0),
        CategoryComparison("Begging", 0, 0.5),
    )
    assert compare_categories(now, None) == (CategoryComparison("Street drinking", 3, None),)


def test_durations_read_at_a_glance() -> None:
    assert common_texts.duration(timedelta(seconds=59)) == "under 1 min"
    assert common_texts.duration(timedelta(minutes=3, seconds=59)) == "3 min"
    assert common_texts.duration(timedelta(hours=1, minutes=5)) == "1 h 05 min"
    assert common_texts.duration(timedelta(days=3, hours=9, minutes=45)) == "3 d 9 h"
