"""Reporting spans (今日/本周/本月/本年/自定义) with 环比 and 同比: month ends, leap days, and one definition with the map."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.map.read import time_window
from services.shared.timeutil import day_start_utc, last_year, period_of_days, reporting_span, same_days_last_year


def days(period) -> tuple[date, date] | None:
    return None if period is None else (period.first_day, period.last_day)


@pytest.mark.parametrize(("kind", "today", "current", "previous", "year_ago"), [
    ("today", date(2026, 11, 28), (date(2026, 11, 28),) * 2, (date(2026, 11, 27),) * 2, (date(2025, 11, 28),) * 2),
    ("today", date(2026, 3, 1), (date(2026, 3, 1),) * 2, (date(2026, 2, 28),) * 2, (date(2025, 3, 1),) * 2),
    ("week", date(2026, 11, 26), (date(2026, 11, 23), date(2026, 11, 26)), (date(2026, 11, 16), date(2026, 11, 19)),
     (date(2025, 11, 23), date(2025, 11, 26))),  # a Thursday: Monday..Thursday, and the same weekdays before
    ("week", date(2026, 11, 23), (date(2026, 11, 23),) * 2, (date(2026, 11, 16),) * 2, (date(2025, 11, 23),) * 2),
    ("month", date(2026, 3, 31), (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28)),
     (date(2025, 3, 1), date(2025, 3, 31))),  # last month is shorter: clipped to its length
    ("month", date(2028, 3, 30), (date(2028, 3, 1), date(2028, 3, 30)), (date(2028, 2, 1), date(2028, 2, 29)),
     (date(2027, 3, 1), date(2027, 3, 30))),
    ("month", date(2026, 1, 15), (date(2026, 1, 1), date(2026, 1, 15)), (date(2025, 12, 1), date(2025, 12, 15)),
     (date(2025, 1, 1), date(2025, 1, 15))),  # across the year boundary
    ("month", date(2028, 2, 29), (date(2028, 2, 1), date(2028, 2, 29)), (date(2028, 1, 1), date(2028, 1, 29)),
     (date(2027, 2, 1), date(2027, 2, 28))),  # leap day: 同比 ends on 28 February
    ("year", date(2026, 11, 28), (date(2026, 1, 1), date(2026, 11, 28)), None, (date(2025, 1, 1), date(2025, 11, 28))),
    ("today", date(2028, 2, 29), (date(2028, 2, 29),) * 2, (date(2028, 2, 28),) * 2, (date(2027, 2, 28),) * 2),
])
def test_spans_by_hand(kind, today, current, previous, year_ago):
    span = reporting_span(kind, today)
    assert (days(span.current), days(span.previous), days(span.year_ago)) == (current, previous, year_ago)


def test_custom_span_is_compared_with_the_same_number_of_days_before():
    span = reporting_span("custom", date(2026, 11, 28), date(2026, 11, 1), date(2026, 11, 10))
    assert days(span.previous) == (date(2026, 10, 22), date(2026, 10, 31))
    assert days(span.year_ago) == (date(2025, 11, 1), date(2025, 11, 10))
    with pytest.raises(ValueError):
        reporting_span("custom", date(2026, 11, 28), date(2026, 11, 10), date(2026, 11, 1))
    with pytest.raises(ValueError):
        reporting_span("fortnight", date(2026, 11, 28))


def test_periods_are_beijing_midnights_in_utc():
    span = reporting_span("today", date(2026, 11, 28))
    assert span.current.start.isoformat() == "2026-11-27T16:00:00+00:00"
    assert span.current.end - span.current.start == timedelta(days=1)


def test_leap_day_last_year():
    assert last_year(date(2028, 2, 29)) == date(2027, 2, 28)
    assert last_year(date(2029, 2, 28)) == date(2028, 2, 28)
    assert days(same_days_last_year(period_of_days(date(2029, 2, 1), date(2029, 3, 1)))) == (
        date(2028, 2, 1), date(2028, 3, 1))


@pytest.mark.parametrize(("kind", "window"), [("today", "today"), ("month", "month")])
def test_the_map_compares_the_same_periods(kind, window):
    for today in (date(2026, 11, 28), date(2026, 3, 31), date(2028, 2, 29), date(2026, 1, 1)):
        span, map_window = reporting_span(kind, today), time_window(window, today)
        assert (map_window.start, map_window.end) == (span.current.start, span.current.end)
        assert (map_window.prev_start, map_window.prev_end) == (span.previous.start, span.previous.end)


def test_the_map_compares_a_custom_range_the_same_way():
    first, last, today = date(2026, 10, 5), date(2026, 11, 2), date(2026, 11, 28)
    span, map_window = reporting_span("custom", today, first, last), time_window("custom", today, first, last)
    assert (map_window.prev_start, map_window.prev_end) == (span.previous.start, span.previous.end)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(["today", "week", "month", "year"]))
def test_span_properties(today, kind):
    span = reporting_span(kind, today)
    assert span.current.last_day == today and span.current.first_day <= today
    assert span.current.start == day_start_utc(span.current.first_day)
    assert span.current.end == day_start_utc(today + timedelta(days=1))
    assert span.year_ago.first_day.year == span.current.first_day.year - 1
    length = (span.current.last_day - span.current.first_day).days
    assert abs((span.year_ago.last_day - span.year_ago.first_day).days - length) <= 1  # 29 February
    if span.previous is not None:
        assert span.previous.end <= span.current.start
        assert span.previous.last_day - span.previous.first_day <= span.current.last_day - span.current.first_day
    else:
        assert kind == "year"
