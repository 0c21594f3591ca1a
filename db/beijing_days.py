"""The Beijing calendar date of a stored UTC instant, in Python and in SQL (SQLite and PostgreSQL)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Date, cast, func, literal_column

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Asia/Shanghai has kept UTC+8 without daylight saving since 1991-09-14 17:00 UTC: from then on SQLite takes the
# Beijing date with a fixed offset; older instants (none in practice) are dated in Python.
FIXED_OFFSET_SINCE = datetime(1991, 9, 15, tzinfo=UTC)


def beijing_day(moment: datetime) -> date:
    """The Beijing calendar date of a UTC-aware instant."""
    return moment.astimezone(SHANGHAI).date()


def beijing_day_sql(column, dialect: str):
    """SQL: the Beijing date of a stored UTC timestamp (SQLite: exact from FIXED_OFFSET_SINCE on)."""
    if dialect == "postgresql":
        return func.date(func.timezone("Asia/Shanghai", column))
    # Whole seconds first: SQLite rounds fractions to milliseconds (23:59:59.9999995 would become the next day).
    return func.date(func.substr(column, 1, 19), literal_column("'+8 hours'"))


def month_of_day_sql(column, dialect: str):
    """SQL: the first day of the month of a stored date."""
    if dialect == "postgresql":
        return cast(func.date_trunc("month", column), Date)
    return func.date(column, literal_column("'start of month'"))
