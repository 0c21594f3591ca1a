"""Field checks shared by the campaign forms: each adds a Chinese refusal under its field's name."""

from datetime import date

from db.models import Campaign
from services.campaigns import text as t

COUNT_LIMIT = 1_000_000
TEXT_LIMIT = 2000
KEY_LIMIT = 64  # a form's idempotency key (column length)


def date_in(campaign: Campaign, day: date | None, today: date, name: str, errors: dict[str, str]) -> None:
    if day is None or not campaign.start_date <= day <= campaign.end_date:
        errors[name] = t.ERR_DATE_OUTSIDE.format(start=campaign.start_date, end=campaign.end_date)
    elif day > today:
        errors[name] = t.ERR_DATE_FUTURE


def count(value: object, name: str, errors: dict[str, str], positive: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < (1 if positive else 0):
        errors[name] = t.ERR_POSITIVE if positive else t.ERR_COUNT
        return 0
    if value > COUNT_LIMIT:
        errors[name] = t.ERR_COUNT_LIMIT.format(limit=COUNT_LIMIT)
    return value


def enum_value(enum, value: str | None, name: str, errors: dict[str, str], optional: bool = False):
    if value in (None, "") and optional:
        return None
    try:
        return enum(value)
    except ValueError:
        errors[name] = t.ERR_CHOICE
        return None


def text_value(value: str | None, name: str, errors: dict[str, str], limit: int, minimum: int = 0) -> str | None:
    text = (value or "").strip()
    if len(text) < minimum:
        errors[name] = t.ERR_TEXT_REQUIRED.format(length=minimum)
    elif len(text) > limit:
        errors[name] = t.ERR_TEXT_TOO_LONG.format(limit=limit)
    return text or None
