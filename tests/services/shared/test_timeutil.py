"""Beijing-time periods whatever the server's zone."""

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as hs

from services.shared.timeutil import (
    SHANGHAI,
    day_start_utc,
    month_to_date,
    previous_month_same_period,
    shanghai_today,
    today_period,
)


def test_today_rolls_over_at_beijing_midnight_not_utc():
    assert shanghai_today(datetime(2026, 11, 27, 15, 59, tzinfo=UTC)) == date(2026, 11, 27)
    assert shanghai_today(datetime(2026, 11, 27, 16, 0, tzinfo=UTC)) == date(2026, 11, 28)


def test_day_starts_at_1600_utc_the_day_before():
    assert day_start_utc(date(2026, 11, 1)) == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)


def test_month_to_date_covers_first_to_today():
    period = month_to_date(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))
    assert (period.first_day, period.last_day) == (date(2026, 11, 1), date(2026, 11, 28))
    assert period.start == datetime(2026, 10, 31, 16, tzinfo=UTC)
    assert period.end == datetime(2026, 11, 28, 16, tzinfo=UTC)


def test_previous_month_same_period_clips_to_shorter_month():
    period = previous_month_same_period(datetime(2026, 3, 31, 4, tzinfo=UTC))
    assert (period.first_day, period.last_day) == (date(2026, 2, 1), date(2026, 2, 28))
    leap = previous_month_same_period(datetime(2028, 3, 30, 4, tzinfo=UTC))
    assert leap.last_day == date(2028, 2, 29)


def test_previous_month_of_january_is_december():
    period = previous_month_same_period(datetime(2027, 1, 10, 4, tzinfo=UTC))
    assert (period.first_day, period.last_day) == (date(2026, 12, 1), date(2026, 12, 10))


@given(hs.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=hs.just(UTC)))
def test_today_period_contains_the_moment_and_is_one_beijing_day(moment):
    period = today_period(moment)
    assert period.start <= moment < period.end
    assert (period.end - period.start).total_seconds() == 86_400
    assert period.start.astimezone(SHANGHAI).hour == 0
