"""The report draft: steps, answers and JSON, without Telegram or a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.geo import Place
from bot.domain.incidents import ReportSource
from bot.domain.report_draft import (
    MAX_ATTACHMENTS,
    DraftField,
    ReportDraft,
    Step,
    description_too_long,
    people_band,
    place_too_long,
)

NOW = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)


def test_guided_draft_asks_every_step_in_order() -> None:
    draft = ReportDraft.guided(NOW)
    assert draft.begin() is Step.CATEGORY
    draft.set_category(7, "Street drinking", urgent_default=False)
    assert draft.complete() is Step.LOCATION
    draft.set_place_text("High Street")
    assert draft.complete() is Step.WHAT
    draft.set_description("  cans  ")
    assert draft.description == "cans"
    assert draft.complete() is Step.PEOPLE
    draft.set_people("2-3")
    assert draft.complete() is Step.URGENT
    draft.set_urgent(True)
    assert draft.complete() is Step.SUMMARY
    assert draft.report_fields()["urgent"] is True


def test_editing_one_field_returns_to_the_summary() -> None:
    draft = ReportDraft.guided(NOW)
    draft.done = set(Step) - {Step.SUMMARY, Step.PROPOSAL}
    draft.step = Step.SUMMARY
    assert draft.change(DraftField.PLACE) is Step.LOCATION
    assert draft.complete() is Step.SUMMARY and not draft.editing


def test_quick_draft_proposes_when_a_category_is_known() -> None:
    draft = ReportDraft.quick(NOW, "lads drinking")
    draft.set_category(7, "Street drinking", urgent_default=False)
    draft.done.add(Step.CATEGORY)
    assert draft.begin() is Step.PROPOSAL
    nothing = ReportDraft.quick(NOW, "hello")
    assert nothing.begin() is Step.CATEGORY
    nothing.set_category(13, "Other", urgent_default=False)
    assert nothing.complete() is Step.LOCATION  # no place recognised: ask it
    nothing.set_place_text("Market")
    assert nothing.complete() is Step.SUMMARY


def test_location_draft_skips_the_place() -> None:
    draft = ReportDraft.at_location(NOW)
    assert draft.source is ReportSource.LOCATION
    assert draft.begin() is Step.CATEGORY
    assert draft.complete() is Step.WHAT


def test_category_default_sets_urgency_until_the_member_chooses() -> None:
    draft = ReportDraft.guided(NOW)
    draft.set_category(4, "Weapon seen", urgent_default=True)
    assert draft.urgent is True
    draft.set_category(7, "Street drinking", urgent_default=False)
    assert draft.urgent is False
    draft.set_urgent(True)
    draft.set_category(7, "Street drinking", urgent_default=False)
    assert draft.urgent is True


def test_json_round_trip_and_garbage() -> None:
    draft = ReportDraft.guided(NOW)
    draft.set_category(4, "Weapon seen", urgent_default=True)
    draft.set_point(51.6, -0.12, outside_area=True)
    draft.attach("photo", "file-1")
    draft.done = {Step.CATEGORY, Step.LOCATION}
    draft.step = Step.WHAT
    again = ReportDraft.from_json(draft.to_json())
    assert again == draft
    assert ReportDraft.from_json(None) is None
    assert ReportDraft.from_json({"id": "x"}) is None
    broken = draft.to_json() | {"step": 99}
    assert ReportDraft.from_json(broken) is None
    naive = draft.to_json() | {"updated_at": "2026-11-27T21:00:00"}
    assert ReportDraft.from_json(naive) is None


def test_expiry() -> None:
    draft = ReportDraft.guided(NOW)
    ttl = timedelta(minutes=30)
    assert not draft.is_expired(NOW + ttl, ttl)
    assert draft.is_expired(NOW + ttl + timedelta(seconds=1), ttl)


def test_attachments_are_capped() -> None:
    draft = ReportDraft.guided(NOW)
    for n in range(MAX_ATTACHMENTS):
        assert draft.attach("photo", f"f{n}")
    assert not draft.attach("voice", "one-too-many")
    assert draft.attachment_counts() == {"photo": MAX_ATTACHMENTS}


@pytest.mark.parametrize(
    ("typed", "band"),
    [("1", "1"), ("2", "2-3"), ("3", "2-3"), ("4", "4-9"), ("9", "4-9"), ("10", "10+"),
     ("250", "10+"), (" 4-9 ", "4-9"), ("10+", "10+"), ("0", None), ("-2", None),
     ("lots", None), ("²", None), ("", None)],
)  # fmt: skip
def test_people_band(typed: str, band: str | None) -> None:
    assert people_band(typed) == band


def test_length_limits() -> None:
    assert not description_too_long("a" * 4000) and description_too_long("a" * 4001)
    assert not place_too_long("a" * 200) and place_too_long("a" * 201)


ELMER = Place(1, "Elmer Square", 51.5072, -0.1276, 150.0, ("the fountain",))


def test_locate_uses_the_hotspot_around_the_point() -> None:
    draft = ReportDraft.at_location(NOW)
    draft.locate([ELMER], 51.5075, -0.1276, area_radius_m=3000)
    assert (draft.hotspot_id, draft.hotspot_name) == (1, "Elmer Square")
    assert (draft.lat, draft.lon) == (51.5075, -0.1276) and not draft.outside_area


def test_locate_flags_a_point_far_from_every_hotspot() -> None:
    near = ReportDraft.at_location(NOW)
    near.locate([ELMER], 51.52, -0.1276, area_radius_m=3000)  # ~1.4 km: in the area
    assert near.hotspot_id is None and not near.outside_area
    far = ReportDraft.at_location(NOW)
    far.locate([ELMER], 51.60, -0.1276, area_radius_m=3000)  # ~10 km
    assert far.outside_area and far.lat == 51.60
    nowhere = ReportDraft.at_location(NOW)
    nowhere.locate([], 51.60, -0.1276, area_radius_m=3000)
    assert not nowhere.outside_area
