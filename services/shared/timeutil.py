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


def month_plan(first_day: date, last_day: date) -> tuple[tuple[date, date] | None, list[tuple[int, date, date]]]:
    """How the days first_day..last_day are summed from a month tally and a day tally: the first and last month taken
    whole (None: none) and the runs of days (sign, first, last) added or taken away. A month the days cover at least
    half of is taken whole less the days they leave out, a month they cover less of is read from its days: at most
    half a month of days at each end, so a long span reads whole months, not its days."""
    months: list[date] = []
    runs: list[tuple[int, date, date]] = []
    month = month_start(first_day)
    while month <= last_day:
        following = (month + timedelta(days=32)).replace(day=1)
        last_of_month = following - timedelta(days=1)
        first, last = max(month, first_day), min(last_of_month, last_day)
        covered, length = (last - first).days + 1, (last_of_month - month).days + 1
        if 2 * covered >= length:
            months.append(month)
            if first > month:
                runs.append((-1, month, first - timedelta(days=1)))
            if last < last_of_month:
                runs.append((-1, last + timedelta(days=1), last_of_month))
        else:
            runs.append((1, first, last))
        month = following
    return ((months[0], months[-1]) if months else None), runs


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


# ---------------------------------------------------------------- 总览 and 大屏: reporting spans with 同比 and 环比
# 环比 is the previous period as `comparison` defines it for the map (今日: yesterday; 本周: the same weekdays of last
# week; 本月: the same days of last month; 自定义: the same number of days just before); 本年 has no 环比, only 同比.
# 同比 is the same calendar days one year earlier; 29 February stands for 28 February of a year without one.

WEEK = "week"
YEAR = "year"
TODAY = "today"
SPAN_KINDS = (TODAY, WEEK, MONTH, YEAR, CUSTOM)


def last_year(day: date) -> date:
    """The same calendar day one year earlier (29 February → 28 February)."""
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def same_days_last_year(period: Period) -> Period:
    """The same calendar days one year earlier (同比)."""
    return period_of_days(last_year(period.first_day), last_year(period.last_day))


@dataclass(frozen=True)
class Span:
    """A reporting span of whole Beijing days, its 环比 period (None for 本年) and its 同比 period."""

    kind: str
    current: Period
    previous: Period | None
    year_ago: Period


def span_days(kind: str, today: date, first_day: date | None = None, last_day: date | None = None) -> tuple[date, date]:
    """The first and last Beijing day a span kind names (today, week, month, year end today; custom as given)."""
    if kind == TODAY:
        return today, today
    if kind == WEEK:
        return today - timedelta(days=today.weekday()), today
    if kind == MONTH:
        return month_start(today), today
    if kind == YEAR:
        return today.replace(month=1, day=1), today
    if kind == CUSTOM:
        if first_day is None or last_day is None or first_day > last_day:
            raise ValueError("a custom span needs first_day <= last_day")
        return first_day, last_day
    raise ValueError(f"unknown span kind {kind!r}")


def reporting_span(kind: str, today: date, first_day: date | None = None, last_day: date | None = None) -> Span:
    """The span a kind names with its 环比 (the map's comparison of the same days) and 同比 periods."""
    first, last = span_days(kind, today, first_day, last_day)
    if kind == MONTH:
        previous: Period | None = month_comparison(today).previous
    elif kind == YEAR:
        previous = None
    elif kind == WEEK:  # Monday..today against the same weekdays of last week
        previous = period_of_days(first - timedelta(days=7), last - timedelta(days=7))
    else:  # today and custom: the same number of days immediately before, as the map compares them
        previous = days_comparison(first, last).previous
    current = period_of_days(first, last)
    return Span(kind, current, previous, same_days_last_year(current))
