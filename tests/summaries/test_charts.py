"""Charts: the data behind them (pure) and the PNGs matplotlib draws from it."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import matplotlib
import pytest
from matplotlib import image

from bot.domain.partnership.figures import (
    CategoryCount,
    ChartData,
    HourCount,
    hour_starts,
)
from bot.summaries import charts
from bot.summaries.charts import PNG_SIGNATURE, stacked_bars
from bot.summaries.content import (
    daily_chart,
    hourly_chart,
    weeks_chart,
)
from bot.texts.partnership import summaries as summaries_texts

LONDON = ZoneInfo("Europe/London")
DRINK = CategoryCount(7, "Street drinking", 0, sort_order=60)
WEAPON = CategoryCount(4, "Weapon seen", 0, sort_order=30)
CATEGORIES = {7: DRINK, 4: WEAPON}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def decode(png: bytes) -> Any:
    assert png.startswith(PNG_SIGNATURE)
    return image.imread(io.BytesIO(png), format="png")


# ---- the data ----------------------------------------------------------------------------
def test_hourly_chart_has_a_bar_per_local_hour_stacked_by_category() -> None:
    counts = [
        HourCount(utc(2026, 11, 27, 20), 7, 2),
        HourCount(utc(2026, 11, 27, 21), 4, 1),
        HourCount(utc(2026, 11, 27, 21), 7, 1),
        HourCount(utc(2026, 11, 28, 2), 7, 1),
        HourCount(utc(2026, 11, 28, 3), 7, 9),  # after the end: not drawn
    ]
    chart = hourly_chart(
        counts,
        CATEGORIES,
        start=utc(2026, 11, 27, 20),
        end=utc(2026, 11, 28, 3),
        tz=LONDON,
        title="Friday late",
    )
    assert chart.labels == ("20", "21", "22", "23", "00", "01", "02")
    # In the categories' own order (weapon first), so colours stay put from chart to chart.
    assert chart.series == (
        ("Weapon seen", (0, 1, 0, 0, 0, 0, 0)),
        ("Street drinking", (2, 1, 0, 0, 0, 0, 1)),
    )
    assert chart.colour_keys == (4, 7)  # category ids: the same colour in every chart
    assert chart.total == 5
    assert chart.x_label == "Hour (local time)"


def test_hours_of_a_shift_across_both_clock_changes() -> None:
    # Autumn: 20:00 BST Sat 24 Oct 2026 to 03:00 GMT: eight real hours, 01 twice.
    autumn = hour_starts(utc(2026, 10, 24, 19), utc(2026, 10, 25, 3), LONDON)
    assert [h.astimezone(LONDON).strftime("%H") for h in autumn] == [
        "20", "21", "22", "23", "00", "01", "01", "02"
    ]  # fmt: skip
    # Spring: 20:00 GMT Sat 28 Mar 2026 to 03:00 BST (02:00 UTC): six hours, no 01.
    spring = hour_starts(utc(2026, 3, 28, 20), utc(2026, 3, 29, 2), LONDON)
    assert [h.astimezone(LONDON).strftime("%H") for h in spring] == [
        "20", "21", "22", "23", "00", "02"
    ]  # fmt: skip


def test_hours_start_on_the_local_hour_in_a_half_hour_zone() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")
    hours = hour_starts(utc(2026, 11, 27, 14, 40), utc(2026, 11, 27, 16, 30), kolkata)
    assert [h.astimezone(kolkata).strftime("%H:%M") for h in hours] == ["20:00", "21:00"]


def test_daily_chart_sums_hours_into_local_days() -> None:
    counts = [
        HourCount(utc(2026, 11, 22, 23), 7, 1),  # Sun 22 Nov 23:00
        HourCount(utc(2026, 11, 23, 0), 7, 2),  # Mon 00:00
        HourCount(utc(2026, 11, 23, 5), 4, 1),
        HourCount(utc(2026, 11, 25, 12), 7, 3),
    ]
    chart = daily_chart(
        counts, CATEGORIES, start=utc(2026, 11, 22), end=utc(2026, 11, 26), tz=LONDON, title="t"
    )
    assert chart.labels == ("Sun 22", "Mon 23", "Tue 24", "Wed 25")
    assert chart.series == (
        ("Weapon seen", (0, 1, 0, 0)),
        ("Street drinking", (1, 2, 0, 3)),
    )


def test_daily_chart_in_summer_uses_local_midnight() -> None:
    # 23:30 UTC on 1 Jul is 00:30 BST on 2 Jul.
    counts = [HourCount(utc(2026, 7, 1, 23), 7, 1)]
    chart = daily_chart(
        counts,
        CATEGORIES,
        start=utc(2026, 6, 30, 23),
        end=utc(2026, 7, 2, 23),
        tz=LONDON,
        title="t",
    )
    assert chart.labels == ("Wed 01", "Thu 02")
    assert chart.series == (("Street drinking", (0, 1)),)


def test_many_days_get_short_labels() -> None:
    # Q3 from local midnight to local midnight (BST): 1 Jul to 30 Sep, 92 days.
    start, end = utc(2026, 6, 30, 23), utc(2026, 9, 30, 23)
    chart = daily_chart([], CATEGORIES, start=start, end=end, tz=LONDON, title="q")
    assert len(chart.labels) == 92
    assert chart.labels[0] == "01/07" and chart.labels[-1] == "30/09"
    assert chart.series == ()


def test_weeks_chart_has_a_bar_per_week() -> None:
    weeks = [
        (date(2026, 11, 2), [CategoryCount(7, "Street drinking", 2, 60)]),
        (date(2026, 11, 9), []),
        (
            date(2026, 11, 16),
            [CategoryCount(4, "Weapon seen", 1, 30), CategoryCount(7, "Street drinking", 1, 60)],
        ),
    ]
    chart = weeks_chart(weeks, title="weeks")
    assert chart.labels == ("02 Nov", "09 Nov", "16 Nov")
    assert chart.series == (("Weapon seen", (0, 0, 1)), ("Street drinking", (2, 0, 1)))
    assert chart.x_label == "Week starting"


# ---- the PNGs -----------------------------------------------------------------------------------
def sample(**overrides: object) -> ChartData:
    values: dict[str, object] = {
        "title": "Incidents per hour by category: Friday late, Fri 27 Nov",
        "labels": ("20", "21", "22", "23", "00", "01", "02"),
        "series": (
            ("Weapon seen", (0, 1, 0, 0, 0, 0, 0)),
            ("Street drinking", (2, 1, 0, 0, 1, 0, 1)),
        ),
        "x_label": "Hour (local time)",
    }
    values.update(overrides)
    return ChartData(**values)  # type: ignore[arg-type]


def test_png_is_valid_small_and_of_the_set_size() -> None:
    png = stacked_bars(sample())
    pixels = decode(png)
    assert pixels.shape == (450, 800, 4)
    assert 5_000 < len(png) < 100_000
    # Not blank: the bars are drawn in colour.
    assert len({tuple(p) for p in pixels.reshape(-1, 4)[::97].tolist()}) > 5


def test_same_data_gives_the_same_bytes() -> None:
    assert stacked_bars(sample()) == stacked_bars(sample())
    assert stacked_bars(sample()) != stacked_bars(sample(title="Another"))


def test_png_has_no_software_or_date_metadata() -> None:
    png = stacked_bars(sample())
    assert b"matplotlib" not in png.lower()
    assert b"tIME" not in png


def as_typed(chart: ChartData, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The chart with every name drawn as plain text, by matplotlib itself: no escaping,
    maths mode off. What a chart of escaped names must look like, pixel for pixel."""
    with monkeypatch.context() as patch, matplotlib.rc_context({"text.parse_math": False}):
        patch.setattr(charts, "_plain", lambda text: text)
        return stacked_bars(chart)


def same_pixels(png: bytes, other: bytes) -> bool:
    """Whether two charts are the same image (a plain bool: a diff of the bytes is no use)."""
    return bool((decode(png) == decode(other)).all())


def test_names_with_dollars_are_drawn_as_typed_not_as_maths(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    odd = sample(
        title="Shift $late$ on £5 $ days",
        series=(("Cost $5 $^_{}$", (1, 0, 0, 0, 0, 0, 0)), ("$x$ & $y$", (0, 1, 0, 0, 0, 0, 0))),
        labels=("$1", "2$", "$3$", "23", "00", "01", "02"),
    )
    png = stacked_bars(odd)
    assert decode(png).shape == (450, 800, 4)
    assert same_pixels(png, as_typed(odd, monkeypatch)), "not drawn as typed"
    with monkeypatch.context() as patch:  # the comparison can fail: maths looks different
        patch.setattr(charts, "_plain", lambda text: text)
        assert not same_pixels(stacked_bars(odd), png), "maths drawn like plain text"


def test_names_with_backslashes_draw_without_maths() -> None:
    odd = sample(
        title="Shift $late$ \\ x",
        series=(("Cost $5 \\frac{1}{2}", (1, 0, 0, 0, 0, 0, 0)), ("^_{}", (0, 1, 0, 0, 0, 0, 0))),
    )
    pixels = decode(stacked_bars(odd))
    assert pixels.shape == (450, 800, 4)
    assert len({tuple(p) for p in pixels.reshape(-1, 4)[::97].tolist()}) > 5


def test_names_with_backslashes_are_drawn_as_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    odd = sample(title="Shift \\ late", series=(("Cost \\frac{1}{2}", (1, 0, 0, 0, 0, 0, 0)),))
    assert same_pixels(stacked_bars(odd), as_typed(odd, monkeypatch)), "not drawn as typed"


def _middle_of_the_axes(pixels: Any) -> Any:
    """A band across the middle of the plot area (axes from x 8 % to 76 %, y 14 % to 90 %),
    where an empty period's message is written and nothing else is drawn."""
    return pixels[200:232, 200:470, :3]


def test_an_empty_period_says_so_in_the_middle_of_the_chart() -> None:
    empty = decode(stacked_bars(sample(series=())))
    assert empty.shape == (450, 800, 4)
    middle = _middle_of_the_axes(empty)
    assert _grey_writing(middle) > 100  # the message, in grey
    # The axes are drawn too: the left spine is a dark column down the plot area.
    assert (empty[60:380, 62:67, :3].max(axis=2) < 0.3).any(axis=1).all()
    no_labels = decode(stacked_bars(sample(labels=(), series=())))
    assert no_labels.shape == (450, 800, 4)
    assert (_middle_of_the_axes(no_labels) == middle).all()  # the same message, in the same place


def _grey_writing(pixels: Any) -> int:
    """How many dark, colourless pixels: the message's grey text, not a coloured bar."""
    darkest, palest = pixels.max(axis=2), pixels.min(axis=2)
    return int(((darkest < 0.7) & (darkest - palest < 0.05)).sum())


def test_only_a_period_without_incidents_gets_the_message() -> None:
    zeros = decode(stacked_bars(sample(series=(("Street drinking", (0,) * 7),))))
    assert _grey_writing(_middle_of_the_axes(zeros)) > 100  # series of zeros: nothing happened
    busy = decode(stacked_bars(sample()))
    assert _grey_writing(_middle_of_the_axes(busy)) == 0


def test_many_bars_and_many_categories() -> None:
    labels = tuple(f"{d:02d}/07" for d in range(1, 92))
    series = tuple((f"Category {n}", tuple((d + n) % 3 for d in range(91))) for n in range(20))
    pixels = decode(stacked_bars(sample(labels=labels, series=series)))
    assert pixels.shape == (450, 800, 4)


def test_drawing_runs_in_threads_one_at_a_time() -> None:
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: stacked_bars(sample()), range(4)))
    assert len(set(results)) == 1
    import matplotlib  # loaded by the first drawing, not by importing bot.summaries.charts

    assert matplotlib.get_backend().lower() == "agg"


def test_hour_labels_are_local_hours() -> None:
    nepal = ZoneInfo("Asia/Kathmandu")  # UTC+05:45: hour_starts gives 14:15 UTC for 20:00
    assert summaries_texts.chart_hour_label(utc(2026, 11, 27, 14, 15), nepal) == "20"
    assert (
        summaries_texts.chart_hour_label(utc(2026, 11, 27, 14, 0), nepal) == "19:45"
    )  # never drawn
    assert summaries_texts.chart_hour_label(utc(2026, 7, 1, 19), LONDON) == "20"  # BST
