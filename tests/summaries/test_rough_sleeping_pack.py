"""The quarterly pack's rough sleeping page, from seeded December 2026: gathered figure for
figure (both databases), and printed in the PDF with the definitions beside them."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from bot.domain.clock import ManualClock
from bot.domain.outreach import Need, ReferralOutcome
from bot.domain.periods import Quarter
from bot.domain.rough_sleeping import MoveOutcome, StreetStatus
from bot.summaries.quarterly.content import gather
from bot.summaries.quarterly.document import render_pdf
from storage.store import Store
from tests.support.outreach_data import LONDON, seed_december

Q4 = Quarter(2026, 4)
AFTER_Q4 = datetime(2027, 1, 5, 12, tzinfo=UTC)


async def test_the_quarter_and_its_months_figure_for_figure(
    store: Store, clock: ManualClock
) -> None:
    await seed_december(store, clock)
    figures = await gather(store, Q4, tz=LONDON, now=AFTER_Q4, ack_target_minutes=5)

    q = figures.rough_sleeping
    assert q is not None
    assert (q.rough_sleepers, q.at_risk_only, q.anonymous_bedded_down) == (4, 1, 1)
    # Dan was last seen bedded down in November 2021: over 60 months before December (new
    # that month) but within the 60 months before October (intermittent in the quarter).
    assert q.statuses == {
        StreetStatus.NEW: 1,
        StreetStatus.LIVING_ON_STREETS: 1,
        StreetStatus.INTERMITTENT: 2,
    }
    assert q.moves == {
        MoveOutcome.SUPPORTED: 1,
        MoveOutcome.HOSTEL: 1,
        MoveOutcome.CUSTODY: 1,
    }
    # Five referrals made in the quarter: three answered by contacts (after 27 hours, 24
    # hours and 8 days 11 hours), one not found, one open.
    assert q.referrals_made == 5
    assert q.referral_outcomes == {
        ReferralOutcome.CONTACTED: 3,
        ReferralOutcome.NOT_FOUND: 1,
        None: 1,
    }
    assert q.median_days_to_contact == pytest.approx(27 / 24)
    assert q.needs[Need.ACCOMMODATION] == 1 and q.needs.get(Need.DRUGS, 0) == 0
    months = [m.rough_sleeping for m in figures.months]
    assert all(m is not None for m in months)
    assert [m.rough_sleepers for m in months if m] == [0, 0, 4]
    assert [m.referrals_made for m in months if m] == [0, 1, 4]
    assert [sum(m.moves.values()) for m in months if m] == [0, 1, 2]
    # The outreach table's counts use the same statuses.
    assert (figures.outreach.new_people, figures.outreach.living_on_streets) == (1, 1)
    assert figures.outreach.returners == 2
    assert [m.outreach.new_people for m in figures.months] == [0, 0, 2]


async def test_the_pdf_prints_the_page_with_its_definitions(
    store: Store, clock: ManualClock
) -> None:
    await seed_december(store, clock)
    figures = await gather(store, Q4, tz=LONDON, now=AFTER_Q4, ack_target_minutes=5)
    reader = PdfReader(io.BytesIO(render_pdf(figures)))
    [page] = [
        " ".join(p.extract_text().split())
        for p in reader.pages
        if "Rough sleeping: who outreach saw" in p.extract_text()
    ]
    for row in (
        "Seen sleeping rough 0 0 4 4",
        "New 0 0 2 1",
        "Living on the streets 0 0 1 1",
        "Intermittent / returner 0 0 1 2",
        "Met only at risk 0 0 1 1",
        "Recently left: prison 0 0 1 1",
        "Moves into accommodation 0 1 2 3",
        "Referrals made 0 1 4 5",
        "contacted 0 1 2 3",
        "not found 0 0 1 1",
        "still open 0 0 1 1",
        "Median days, referral to contact – 8.5 1.1 1.1",
        "Declined to say 1",
        "Supported housing 1",
        "Custody 1",
    ):
        assert row in page, row
    # The definitions, beside the figures.
    assert "New: seen bedded down, with no bedded-down contact in the 60 months before" in page
    assert "the first and last at least 21 days apart" in page
    # Nothing personal.
    for private in ("Alice", "Bob", "Leicester"):
        assert private not in page
