"""Column types: timezone-aware UTC timestamps on every backend."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Stores UTC; refuses naive values; always returns aware UTC datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass timezone-aware values")
        value = value.astimezone(UTC)
        # SQLite has no time zone type: store the UTC wall time as text.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


SQLITE_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def sqlite_datetime_text(value: datetime) -> str:
    """The exact text SQLAlchemy stores for a UTC datetime on SQLite (used by bulk loaders)."""
    return value.astimezone(UTC).strftime(SQLITE_DATETIME_FORMAT)
