"""The reporting calendar of a campaign: progress reports on the 10th and 25th, a closing 总结, and their status.

Everything is Beijing time (Asia/Shanghai) whatever the server's zone: dates are Beijing calendar dates, instants
are timezone-aware (UTC in storage). A report due on the 10th is on time until 23:59:59.999999 Beijing time that day.

A regular period covers the days since the previous report up to the day before it is due (so a report describes
whole days); the first covers the campaign's first day onwards, and the closing 总结 covers what is left up to the
campaign's last day. A reporting day on or before the first day of the campaign is skipped: it would cover nothing.
"""

import calendar as _gregorian
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from services.shared.timeutil import day_start_utc, shanghai_today

NOT_DUE_LABEL = "未到报送日"
DUE_TODAY_LABEL = "今日应报"
ON_TIME_LABEL = "按时报送"
LATE_LABEL = "逾期报送"
MISSING_LABEL = "逾期未报"

REPORT_DAYS = (10, 25)  # 每月10日、25日上报工作进展


class ReportStatus(StrEnum):
    """Where one unit stands on one report."""

    NOT_DUE = "not_due"  # nothing submitted, the due day is still ahead
    DUE_TODAY = "due_today"  # nothing submitted yet, due by the end of today
    ON_TIME = "on_time"  # submitted by the end of the due day
    LATE = "late"  # submitted after the due day
    MISSING = "missing"  # nothing submitted and the due day has passed

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ReportStatus.NOT_DUE: NOT_DUE_LABEL,
    ReportStatus.DUE_TODAY: DUE_TODAY_LABEL,
    ReportStatus.ON_TIME: ON_TIME_LABEL,
    ReportStatus.LATE: LATE_LABEL,
    ReportStatus.MISSING: MISSING_LABEL,
}


@dataclass(frozen=True)
class ReportPeriod:
    """One report: its number (第N期, from 1), due date and the Beijing-time days it covers (inclusive)."""

    number: int
    due: date
    covers_from: date
    covers_to: date
    final: bool = False  # the closing 总结 of the campaign

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ValueError("期次从1开始")
        if self.covers_from > self.covers_to:
            raise ValueError("报告期起始日晚于截止日")


def _reporting_days_of_month(year: int, month: int, days: Sequence[int]) -> list[date]:
    """The reporting days of a month; a day past the month's end (29–31) falls on its last day."""
    last = _gregorian.monthrange(year, month)[1]
    return sorted({date(year, month, min(day, last)) for day in days})


def _reporting_days_after(start: date, days: Sequence[int]) -> Iterable[date]:
    """Every reporting day strictly after start, in order, without end."""
    year, month = start.year, start.month
    while True:
        for day in _reporting_days_of_month(year, month, days):
            if day > start:
                yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _check_days(days: tuple[int, ...]) -> None:
    if not days or any(not 1 <= day <= 31 for day in days):
        raise ValueError("报送日须在每月1日至31日之间")


def default_final_due(end: date, days: tuple[int, ...] = REPORT_DAYS) -> date:
    """When the 总结 is due unless the plan says otherwise: the first reporting day after the campaign's last day."""
    _check_days(days)
    return next(iter(_reporting_days_after(end, days)))


def report_periods(start: date, end: date, days: tuple[int, ...] = REPORT_DAYS,
                   final_due: date | None = None) -> list[ReportPeriod]:
    """The reports of a campaign running start..end (Beijing dates, inclusive): one per reporting day after start up to
    end, each covering the days since the previous one up to the day before it is due, then the 总结 (final=True)
    covering the rest up to end, due on final_due (default: the first reporting day after end)."""
    _check_days(days)
    if start > end:
        raise ValueError("专项行动开始日期晚于结束日期")
    due_final = default_final_due(end, days) if final_due is None else final_due
    if due_final < end:
        raise ValueError("总结报送日期不能早于专项行动结束日期")
    periods: list[ReportPeriod] = []
    covers_from = start
    for due in _reporting_days_after(start, days):
        if due > end:
            break
        periods.append(ReportPeriod(len(periods) + 1, due, covers_from, due - timedelta(days=1)))
        covers_from = due
    periods.append(ReportPeriod(len(periods) + 1, due_final, covers_from, end, final=True))
    return periods


def deadline(period: ReportPeriod) -> datetime:
    """The last instant a report counts as on time: the end of its due day, Beijing time, as UTC."""
    return day_start_utc(period.due + timedelta(days=1)) - timedelta(microseconds=1)


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name}: naive datetime; pass timezone-aware values")
    return moment.astimezone(UTC)


def status(period: ReportPeriod, submitted_at: datetime | None, now: datetime) -> ReportStatus:
    """Where a report stands at `now`: on time or late once submitted; otherwise not due, due today or missing."""
    now = _aware(now, "now")
    if submitted_at is not None:
        return ReportStatus.ON_TIME if _aware(submitted_at, "submitted_at") <= deadline(period) else ReportStatus.LATE
    today = shanghai_today(now)
    if today < period.due:
        return ReportStatus.NOT_DUE
    if today == period.due:
        return ReportStatus.DUE_TODAY
    return ReportStatus.MISSING


def periods_due(periods: Iterable[ReportPeriod], now: datetime) -> list[ReportPeriod]:
    """The periods that are or have been due at `now` (due day today or earlier, Beijing time), in order."""
    today = shanghai_today(_aware(now, "now"))
    return [period for period in periods if period.due <= today]


def missed_in_a_row(statuses: Sequence[ReportStatus]) -> int:
    """How many of the most recent decided reports in a row are missing (statuses in period order).

    Reports not yet due or due today are not decided and are passed over at the end; a late report is not missed
    (it was sent) and ends the run. Two in a row is the plans' trigger for an accountability item.
    """
    count = 0
    for value in reversed(statuses):
        if value in (ReportStatus.NOT_DUE, ReportStatus.DUE_TODAY) and count == 0:
            continue
        if value != ReportStatus.MISSING:
            break
        count += 1
    return count
