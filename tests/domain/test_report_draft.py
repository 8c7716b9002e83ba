"""The report draft: steps, answers and JSON, without Telegram or a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.geo import Place
from bot.domain.quick_report import CategoryRule, Matcher, Proposal, default_rules
from bot.domain.reports.incidents import ReportSource
from bot.domain.reports.report_draft import (
    MAX_ATTACHMENTS,
    MAX_KEPT,
    PICKER_SIZE,
    DraftField,
    ReportDraft,
    Step,
    TypedAction,
    description_too_long,
    keep_aside,
    kept_drafts,
    kept_to_json,
    people_band,
    picker_categories,
    place_too_long,
    typed_during,
)
from bot.domain.shifts.duty import OwnLocation, fresh_location

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


# ---- quick reports read: urgency, places, the member's own location ----------------------
def _proposal(text: str) -> Proposal:
    places = (Place(1, "Elmer Square", 52.6012, -1.1034, 80.0, ("the fountain",)),)
    return Matcher(default_rules(), places).propose(text)


def _rule(slug: str) -> CategoryRule:
    return next(rule for rule in default_rules() if rule.slug == slug)


def test_a_quick_draft_keeps_the_place_text_and_why_it_is_urgent() -> None:
    text = "lad with a knife outside wetherspoons, urgent"
    draft = ReportDraft.from_proposal(NOW, text, _proposal(text), _rule("weapon"))
    assert draft.place_text == "outside wetherspoons" and draft.hotspot_id is None
    assert draft.urgent and draft.urgent_words == ("knife", "urgent")
    assert draft.begin() is Step.PROPOSAL
    assert draft.report_fields()["place_text"] == "outside wetherspoons"
    assert draft.description == text


def test_urgent_words_survive_a_change_of_category_until_the_member_chooses() -> None:
    text = "lads kicking off at the kings need backup now"
    draft = ReportDraft.from_proposal(NOW, text, _proposal(text), _rule("asb"))
    assert draft.urgent  # the words, though antisocial behaviour is not urgent
    draft.set_category(3, "Street drinking", urgent_default=False)
    assert draft.urgent
    draft.toggle_urgent()
    assert not draft.urgent and draft.urgent_chosen
    draft.set_category(4, "Weapon seen", urgent_default=True)
    assert not draft.urgent  # the member's choice stands


def test_not_urgent_and_signs_it_is_over() -> None:
    text = "not urgent, fight by the fountain earlier"
    draft = ReportDraft.from_proposal(NOW, text, _proposal(text), _rule("violence"))
    assert not draft.urgent and draft.not_urgent_words == ("not urgent",)
    text = "fight earlier by the fountain, all calm now"
    draft = ReportDraft.from_proposal(NOW, text, _proposal(text), _rule("violence"))
    assert not draft.urgent and draft.over_words == ("earlier", "all calm")


def test_welfare_marks_a_life_at_risk() -> None:
    text = "man collapsed by the fountain"
    draft = ReportDraft.from_proposal(NOW, text, _proposal(text), _rule("welfare"))
    assert draft.life_at_risk and draft.urgent
    draft.set_category(2, "Other", urgent_default=False)
    assert not draft.life_at_risk


def test_urgent_words_in_what_happened_make_a_draft_urgent() -> None:
    draft = ReportDraft.guided(NOW)
    draft.set_category(7, "Street drinking", urgent_default=False)
    draft.note_urgent_words("one of them has collapsed, not breathing")
    assert draft.urgent and draft.urgent_words == ("not breathing",)
    chosen = ReportDraft.guided(NOW)
    chosen.set_urgent(False)
    chosen.note_urgent_words("bleeding")
    assert not chosen.urgent  # the member said so already


def test_own_location_fills_a_place_the_text_did_not_name() -> None:
    square = Place(1, "Elmer Square", 52.6012, -1.1034, 80.0)
    taken = NOW - timedelta(minutes=3)
    text = "lads drinking cans"
    draft = ReportDraft.from_proposal(NOW, text, _proposal(text), _rule("street_drinking"))
    assert not draft.has_place
    draft.use_own_location([square], OwnLocation(52.6013, -1.1035, taken), area_radius_m=3000)
    assert draft.hotspot_name == "Elmer Square" and draft.own_location_at == taken
    assert draft.lat == 52.6013 and Step.LOCATION in draft.done
    again = ReportDraft.from_json(draft.to_json())
    assert again == draft
    draft.set_place_text("by the library")  # the member changes the place: no longer theirs
    assert draft.own_location_at is None and draft.lat is None


def test_a_fresh_location_is_one_taken_recently() -> None:
    location = OwnLocation(52.6, -1.1, NOW - timedelta(minutes=15))
    assert fresh_location(location, NOW, timedelta(minutes=15)) == location
    assert fresh_location(location, NOW, timedelta(minutes=14)) is None
    assert fresh_location(None, NOW, timedelta(minutes=15)) is None
    assert location.age_minutes(NOW) == 15
    assert OwnLocation(52.6, -1.1, NOW + timedelta(minutes=1)).age_minutes(NOW) == 0


def test_old_drafts_without_the_new_fields_still_load() -> None:
    data = ReportDraft.quick(NOW, "cans").to_json()
    for key in ("urgent_words", "not_urgent_words", "over_words", "life_at_risk"):
        del data[key]
    del data["own_location_at"]
    draft = ReportDraft.from_json(data)
    assert draft is not None and draft.urgent_words == ()
    assert ReportDraft.from_json({**data, "own_location_at": "2026-11-27T21:00:00"}) is None


# ---- a message typed while a draft waits --------------------------------------------------
def test_typed_text_answers_a_step_that_takes_text() -> None:
    buttons = {"Confirm": "ok", "✖️ Cancel": "x"}
    assert typed_during(Step.WHAT, "two lads, one bleeding", buttons).action is TypedAction.ANSWER
    assert typed_during(Step.LOCATION, "by the library", buttons).action is TypedAction.ANSWER
    assert typed_during(Step.PEOPLE, "3", buttons).action is TypedAction.ANSWER
    pressed = typed_during(Step.SUMMARY, "  confirm ", buttons)
    assert pressed.action is TypedAction.BUTTON and pressed.button == "ok"
    assert typed_during(Step.PROPOSAL, "CANCEL", buttons).button == "x"


@pytest.mark.parametrize(
    "step", [Step.CATEGORY, Step.LOCATION, Step.PEOPLE, Step.URGENT, Step.SUMMARY, Step.PROPOSAL]
)
def test_anything_else_is_a_new_report_and_urgent_words_never_wait(step: Step) -> None:
    typed = typed_during(step, "man collapsed, not breathing", {"Confirm": "ok"})
    assert typed.action is TypedAction.NEW_REPORT


# ---- drafts kept aside, the category picker -------------------------------------------------
def test_at_most_three_drafts_are_kept_newest_first() -> None:
    ttl = timedelta(minutes=30)
    kept: list[ReportDraft] = []
    drafts = [ReportDraft.quick(NOW, f"draft {n}") for n in range(4)]
    for minutes, draft in enumerate(drafts):
        kept = keep_aside(kept, draft, NOW + timedelta(minutes=minutes))
    assert MAX_KEPT == 3
    assert [d.description for d in kept] == ["draft 3", "draft 2", "draft 1"]
    stored = kept_to_json(kept)
    assert kept_drafts(stored, NOW + timedelta(minutes=3), ttl) == kept
    # Each expires as a draft does, counted from when it was kept.
    later = kept_drafts(stored, NOW + timedelta(minutes=31, seconds=1), ttl)
    assert [d.description for d in later] == ["draft 3", "draft 2"]
    assert kept_drafts("nonsense", NOW, ttl) == []
    assert kept_drafts([{"id": "bad"}, *stored], NOW + timedelta(minutes=3), ttl) == kept
    # Keeping one again moves it to the front instead of keeping it twice.
    again = keep_aside(kept, drafts[1], NOW + timedelta(minutes=5))
    assert [d.description for d in again] == ["draft 1", "draft 3", "draft 2"]


def test_the_category_picker_shows_the_most_used_first_and_at_most_six() -> None:
    categories = list(range(1, 16))  # ids, in the admins' order
    shown, more = picker_categories(categories, {9: 4, 12: 7, 3: 4}, lambda c: c)
    assert PICKER_SIZE == 6
    assert shown == [12, 3, 9, 1, 2, 4] and more
    shown, more = picker_categories([1, 2, 3], {}, lambda c: c)
    assert shown == [1, 2, 3] and not more
