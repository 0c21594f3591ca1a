"""The reporting calendar: due days, what each report covers, deadlines on Beijing time, statuses, missed runs."""

import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.campaigns.calendar import (
    LATE_LABEL,
    MISSING_LABEL,
    ON_TIME_LABEL,
    ReportPeriod,
    ReportStatus,
    deadline,
    default_final_due,
    missed_in_a_row,
    periods_due,
    report_periods,
    status,
)

BEIJING = timezone(timedelta(hours=8))


def _beijing(*args: int) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


def _dues(periods):
    return [(p.due, p.covers_from, p.covers_to, p.final) for p in periods]


def test_august_to_december_campaign_reports_on_the_10th_and_25th_then_a_summary():
    periods = report_periods(date(2026, 8, 1), date(2026, 12, 31))
    regular = [p for p in periods if not p.final]
    assert [p.due for p in regular][:3] == [date(2026, 8, 10), date(2026, 8, 25), date(2026, 9, 10)]
    assert regular[-1].due == date(2026, 12, 25)
    assert len(regular) == 10
    assert [p.number for p in periods] == list(range(1, 12))
    assert regular[0].covers_from == date(2026, 8, 1) and regular[0].covers_to == date(2026, 8, 9)
    assert regular[1].covers_from == date(2026, 8, 10) and regular[1].covers_to == date(2026, 8, 24)
    final = periods[-1]
    assert final.final and final.due == date(2027, 1, 10)
    assert (final.covers_from, final.covers_to) == (date(2026, 12, 25), date(2026, 12, 31))


def test_campaign_starting_on_the_10th_first_reports_on_the_25th():
    periods = report_periods(date(2026, 4, 10), date(2026, 6, 30))
    assert _dues(periods)[0] == (date(2026, 4, 25), date(2026, 4, 10), date(2026, 4, 24), False)


def test_campaign_starting_on_the_26th_first_reports_on_the_10th_of_next_month():
    periods = report_periods(date(2026, 1, 26), date(2026, 3, 31))
    assert _dues(periods)[0] == (date(2026, 2, 10), date(2026, 1, 26), date(2026, 2, 9), False)


def test_campaign_starting_on_the_25th_does_not_report_that_day():
    periods = report_periods(date(2026, 1, 25), date(2026, 2, 28))
    assert periods[0].due == date(2026, 2, 10)
    assert periods[0].covers_from == date(2026, 1, 25)


def test_plan_with_a_given_summary_date():
    periods = report_periods(date(2026, 4, 1), date(2026, 4, 30), final_due=date(2026, 5, 1))
    assert _dues(periods) == [
        (date(2026, 4, 10), date(2026, 4, 1), date(2026, 4, 9), False),
        (date(2026, 4, 25), date(2026, 4, 10), date(2026, 4, 24), False),
        (date(2026, 5, 1), date(2026, 4, 25), date(2026, 4, 30), True),
    ]


def test_one_day_campaign_has_only_its_summary():
    periods = report_periods(date(2026, 3, 15), date(2026, 3, 15))
    assert _dues(periods) == [(date(2026, 3, 25), date(2026, 3, 15), date(2026, 3, 15), True)]


@pytest.mark.parametrize("year, month, last", [(2026, 2, 28), (2028, 2, 29), (2026, 4, 30), (2026, 1, 31)])
def test_end_of_month_reporting_day_falls_on_the_months_last_day(year, month, last):
    periods = report_periods(date(year, month, 1), date(year, month, last), days=(15, 31))
    assert [p.due for p in periods if not p.final] == [date(year, month, 15), date(year, month, last)]
    assert periods[-1].covers_from == periods[-1].covers_to == date(year, month, last)


def test_reporting_day_30_in_february_is_not_doubled_with_31():
    periods = report_periods(date(2026, 2, 1), date(2026, 2, 28), days=(30, 31))
    assert [p.due for p in periods] == [date(2026, 2, 28), date(2026, 3, 30)]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        report_periods(date(2026, 5, 2), date(2026, 5, 1))
    with pytest.raises(ValueError):
        report_periods(date(2026, 5, 1), date(2026, 5, 31), final_due=date(2026, 5, 30))
    with pytest.raises(ValueError):
        report_periods(date(2026, 5, 1), date(2026, 5, 31), days=(0,))
    with pytest.raises(ValueError):
        report_periods(date(2026, 5, 1), date(2026, 5, 31), days=())


@given(start=st.dates(date(2020, 1, 1), date(2035, 12, 31)), length=st.integers(0, 500),
       days=st.lists(st.integers(1, 31), min_size=1, max_size=4, unique=True).map(tuple))
def test_periods_tile_the_campaign_without_gaps(start, length, days):
    end = start + timedelta(days=length)
    periods = report_periods(start, end, days)
    assert periods[0].covers_from == start
    assert periods[-1].covers_to == end
    assert [p.final for p in periods] == [False] * (len(periods) - 1) + [True]
    assert [p.number for p in periods] == list(range(1, len(periods) + 1))
    for before, after in zip(periods, periods[1:]):
        assert after.covers_from == before.covers_to + timedelta(days=1)
        assert before.due < after.due
    for period in periods[:-1]:
        assert start < period.due <= end
        assert period.covers_to == period.due - timedelta(days=1)
        last_of_month = (period.due.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        assert period.due.day in days or period.due == last_of_month
    assert periods[-1].due == default_final_due(end, days) > end


@given(start=st.dates(date(2020, 1, 1), date(2035, 12, 31)), length=st.integers(0, 400))
def test_every_10th_and_25th_inside_the_campaign_is_a_due_day(start, length):
    end = start + timedelta(days=length)
    expected = [start + timedelta(days=i) for i in range(1, length + 1)
                if (start + timedelta(days=i)).day in (10, 25)]
    assert [p.due for p in report_periods(start, end) if not p.final] == expected


# ---------------------------------------------------------------- deadlines and status

PERIOD = ReportPeriod(1, date(2026, 9, 10), date(2026, 9, 1), date(2026, 9, 9))


def test_deadline_is_the_end_of_the_due_day_in_beijing_as_utc():
    assert deadline(PERIOD) == datetime(2026, 9, 10, 15, 59, 59, 999999, tzinfo=UTC)
    assert deadline(PERIOD).tzinfo == UTC


def test_submission_at_2359_beijing_on_the_10th_is_on_time_and_0001_on_the_11th_is_late():
    now = _beijing(2026, 9, 12, 9, 0)
    assert status(PERIOD, _beijing(2026, 9, 10, 23, 59), now) == ReportStatus.ON_TIME
    assert status(PERIOD, _beijing(2026, 9, 11, 0, 1), now) == ReportStatus.LATE
    # the same instants written in UTC: 15:59 UTC on the 10th is still the 10th in Beijing, 16:01 is not
    assert status(PERIOD, datetime(2026, 9, 10, 15, 59, tzinfo=UTC), now) == ReportStatus.ON_TIME
    assert status(PERIOD, datetime(2026, 9, 10, 16, 1, tzinfo=UTC), now) == ReportStatus.LATE


def test_submission_early_in_the_utc_day_after_is_still_the_due_day_in_beijing():
    # 00:30 Beijing on the 10th is 16:30 UTC on the 9th: on time, and "today" in Beijing is the due day
    assert status(PERIOD, None, datetime(2026, 9, 9, 16, 30, tzinfo=UTC)) == ReportStatus.DUE_TODAY
    assert status(PERIOD, None, datetime(2026, 9, 9, 15, 59, tzinfo=UTC)) == ReportStatus.NOT_DUE


def test_unsubmitted_report_is_not_due_then_due_today_then_missing():
    assert status(PERIOD, None, _beijing(2026, 9, 9, 23, 59)) == ReportStatus.NOT_DUE
    assert status(PERIOD, None, _beijing(2026, 9, 10, 0, 0)) == ReportStatus.DUE_TODAY
    assert status(PERIOD, None, _beijing(2026, 9, 10, 23, 59)) == ReportStatus.DUE_TODAY
    assert status(PERIOD, None, _beijing(2026, 9, 11, 0, 0)) == ReportStatus.MISSING


def test_statuses_have_chinese_labels():
    assert ReportStatus.ON_TIME.label == ON_TIME_LABEL == "按时报送"
    assert ReportStatus.LATE.label == LATE_LABEL
    assert ReportStatus.MISSING.label == MISSING_LABEL
    assert all(value.label for value in ReportStatus)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        status(PERIOD, None, datetime(2026, 9, 10, 12))
    with pytest.raises(ValueError):
        status(PERIOD, datetime(2026, 9, 10, 12), _beijing(2026, 9, 12, 9))


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/Los_Angeles"])
def test_the_servers_time_zone_changes_nothing(monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        now = _beijing(2026, 9, 10, 7, 30)  # 23:30 UTC on the 9th
        assert status(PERIOD, None, now) == ReportStatus.DUE_TODAY
        assert status(PERIOD, _beijing(2026, 9, 10, 23, 59), now) == ReportStatus.ON_TIME
        assert status(PERIOD, _beijing(2026, 9, 11, 0, 1), now) == ReportStatus.LATE
        assert deadline(PERIOD) == datetime(2026, 9, 10, 15, 59, 59, 999999, tzinfo=UTC)
        assert [p.due for p in periods_due(report_periods(date(2026, 9, 1), date(2026, 9, 30)), now)] \
            == [date(2026, 9, 10)]
    finally:
        monkeypatch.undo()
        time.tzset()


def test_periods_due_are_those_due_today_or_before():
    periods = report_periods(date(2026, 8, 1), date(2026, 9, 30))
    assert [p.due for p in periods_due(periods, _beijing(2026, 8, 25, 0, 0))] == [date(2026, 8, 10), date(2026, 8, 25)]
    assert periods_due(periods, _beijing(2026, 8, 9, 23, 59)) == []
    assert periods_due(periods, _beijing(2027, 1, 1, 0, 0)) == periods


N, T, O, L, M = (ReportStatus.NOT_DUE, ReportStatus.DUE_TODAY, ReportStatus.ON_TIME, ReportStatus.LATE,
                 ReportStatus.MISSING)


@pytest.mark.parametrize("statuses, expected", [
    ([], 0),
    ([O, O, O], 0),
    ([O, M], 1),
    ([O, M, M], 2),
    ([M, M, O], 0),
    ([M, L, M, M, T, N], 2),  # what is due today or ahead is not yet missed
    ([M, M, L], 0),  # late was sent: the run ends
    ([M, M, M, N], 3),
])
def test_missed_in_a_row_counts_the_latest_run_of_missing_reports(statuses, expected):
    assert missed_in_a_row(statuses) == expected


def test_two_missed_reports_in_a_row_from_the_calendar():
    periods = report_periods(date(2026, 8, 1), date(2026, 12, 31))
    submitted = {1: _beijing(2026, 8, 10, 17, 0), 2: _beijing(2026, 8, 26, 9, 0)}
    now = _beijing(2026, 9, 25, 12, 0)
    statuses = [status(p, submitted.get(p.number), now) for p in periods]
    assert statuses[:5] == [O, L, M, T, N]
    assert missed_in_a_row(statuses) == 1
    later = [status(p, submitted.get(p.number), _beijing(2026, 9, 26, 8, 0)) for p in periods]
    assert missed_in_a_row(later) == 2
