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
