"""Asia/Shanghai calendar arithmetic over timezone-aware UTC timestamps."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now_utc() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.now(UTC)


def to_shanghai(moment: datetime) -> datetime:
    """The same instant on Beijing time."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: store and pass timezone-aware values")
    return moment.astimezone(SHANGHAI)


def shanghai_today(moment: datetime | None = None) -> date:
    """The Beijing-time calendar date of an instant (default: now)."""
    return to_shanghai(moment or now_utc()).date()


def day_start_utc(day: date) -> datetime:
    """00:00 Beijing time of a day, as UTC."""
    return datetime.combine(day, time.min, SHANGHAI).astimezone(UTC)


@dataclass(frozen=True)
class Period:
    """A half-open interval [start, end) of UTC instants with its Beijing-time dates."""

    start: datetime
    end: datetime
    first_day: date
    last_day: date


def period_of_days(first_day: date, last_day: date) -> Period:
    """Whole Beijing-time days first_day..last_day inclusive."""
    return Period(day_start_utc(first_day), day_start_utc(last_day + timedelta(days=1)), first_day, last_day)


def month_start(day: date) -> date:
    """First day of the month of day."""
    return day.replace(day=1)


def previous_month_start(day: date) -> date:
    """First day of the month before day's month."""
    return (month_start(day) - timedelta(days=1)).replace(day=1)


def month_to_date(moment: datetime) -> Period:
    """From the 1st of this Beijing-time month up to the end of today."""
    today = shanghai_today(moment)
    return period_of_days(month_start(today), today)


def previous_month_same_period(moment: datetime) -> Period:
    """The same days of the previous month (clipped to that month's length)."""
    today = shanghai_today(moment)
    start = previous_month_start(today)
    last_of_previous = month_start(today) - timedelta(days=1)
    end_day = min(start.replace(day=min(today.day, last_of_previous.day)), last_of_previous)
    return period_of_days(start, end_day)


def today_period(moment: datetime) -> Period:
    """Today, Beijing time."""
    today = shanghai_today(moment)
    return period_of_days(today, today)


def period_between(start: datetime, end: datetime) -> Period:
    """The Beijing-time days of a half-open interval of whole days."""
    return Period(start, end, shanghai_today(start), shanghai_today(end - timedelta(microseconds=1)))


# ---------------------------------------------------------------- reporting periods and their comparison (环比)
# The one definition every page uses: 总览 and 案件地图 compare the same days, so the same unit shows one 环比.

TRAILING_DAYS = {"today": 1, "7d": 7, "30d": 30}  # window code -> days ending today
MONTH = "month"
CUSTOM = "custom"


@dataclass(frozen=True)
class Comparison:
    """A reporting period and the period it is compared with (环比)."""

    current: Period
    previous: Period

    @property
    def start(self) -> datetime:
        return self.current.start

    @property
    def end(self) -> datetime:
        return self.current.end

    @property
    def prev_start(self) -> datetime:
        return self.previous.start

    @property
    def prev_end(self) -> datetime:
        return self.previous.end


def month_comparison(today: date) -> Comparison:
    """This month to date (1st..today) against the same days of last month (clipped to its length)."""
    moment = day_start_utc(today)
    return Comparison(month_to_date(moment), previous_month_same_period(moment))


def days_comparison(first_day: date, last_day: date) -> Comparison:
    """Days first_day..last_day against the same number of days immediately before."""
    span = timedelta(days=(last_day - first_day).days + 1)
    return Comparison(period_of_days(first_day, last_day),
                      period_of_days(first_day - span, first_day - timedelta(days=1)))


def comparison(kind: str, today: date, first_day: date | None = None, last_day: date | None = None) -> Comparison:
    """The period a window code names ("today", "7d", "30d", "month", "custom") and what it is compared with.

    today / 7d / 30d: the last 1, 7 or 30 days including today, against the same number of days before;
    month: this month to date against the same days of last month; custom: first_day..last_day against the
    same number of days immediately before.
    """
    if kind == MONTH:
        return month_comparison(today)
    if kind == CUSTOM:
        if first_day is None or last_day is None or first_day > last_day:
            raise ValueError("a custom window needs first_day <= last_day")
        return days_comparison(first_day, last_day)
    return days_comparison(today - timedelta(days=TRAILING_DAYS[kind] - 1), today)
