"""Charts: the data behind them (pure) and the PNGs matplotlib draws from it."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from matplotlib import image

from bot import texts
from bot.domain.figures import (
    CategoryCount,
    ChartData,
    HourCount,
    hour_starts,
)
from bot.summaries.charts import PNG_SIGNATURE, stacked_bars
from bot.summaries.content import (
    daily_chart,
    hourly_chart,
    weeks_chart,
)

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


def test_names_with_dollars_and_backslashes_do_not_start_maths() -> None:
    odd = sample(
        title="Shift $late$ \\ x",
        series=(("Cost $5 \\frac{1}{2}", (1, 0, 0, 0, 0, 0, 0)), ("^_{}", (0, 1, 0, 0, 0, 0, 0))),
    )
    decode(stacked_bars(odd))


def test_an_empty_period_still_draws() -> None:
    decode(stacked_bars(sample(series=())))
    decode(stacked_bars(sample(labels=(), series=())))


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
    assert texts.chart_hour_label(utc(2026, 11, 27, 14, 15), nepal) == "20"
    assert texts.chart_hour_label(utc(2026, 11, 27, 14, 0), nepal) == "19:45"  # never drawn
    assert texts.chart_hour_label(utc(2026, 7, 1, 19), LONDON) == "20"  # BST
