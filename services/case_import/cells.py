"""Cells of a case import file → typed, normalised values ready to store, or Invalid with the reason in Chinese."""

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from db.models import FraudCase
from services.case_import.text import (
    CASE_FILE_AGE,
    CASE_FILE_AMOUNT_DECIMALS,
    CASE_FILE_AMOUNT_FORMAT,
    CASE_FILE_AMOUNT_NEGATIVE,
    CASE_FILE_AMOUNT_TOO_LARGE,
    CASE_FILE_CHOICE_UNKNOWN,
    CASE_FILE_CONTROL_CHARS,
    CASE_FILE_COORD_FORMAT,
    CASE_FILE_DATE_INVALID,
    CASE_FILE_EDUCATION_ALIASES,
    CASE_FILE_FRAUD_TYPE_ALIASES,
    CASE_FILE_FRAUD_TYPE_UNKNOWN,
    CASE_FILE_GENDER_ALIASES,
    CASE_FILE_NO,
    CASE_FILE_TIME_FORMAT,
    CASE_FILE_TIME_NO_DATE,
    CASE_FILE_TIME_TOO_OLD,
    CASE_FILE_TOO_LONG,
    CASE_FILE_UNIT_UNKNOWN,
    CASE_FILE_UNKNOWN,
    CASE_FILE_YES,
)
from services.desk.amounts import parse_amount_fen
from services.shared.timeutil import SHANGHAI
from vocabulary import EDUCATION_LEVELS, CaseStatus, ContactChannel, FraudType, Gender, PaymentChannel

MAX_AMOUNT_FEN = 100_000_000_000  # 10亿元, as services/cases/write.py: a larger single-case loss is a typing error
MIN_YEAR = 2000  # an earlier date is a wrong column or an Excel serial typed by mistake, not a telecom-fraud case
MAX_PARSED_CHARS = 64  # longer amount/time/number cells are garbage (and int() refuses > 4300 digits)
SHOWN_CHARS = 20
MAX_EXCEL_SERIAL = 2_958_465  # 9999-12-31
EPOCH_1900 = datetime(1899, 12, 30)  # serial 1 = 1900-01-01 (past Excel's 1900 leap-year bug)
EPOCH_1904 = datetime(1904, 1, 1)
TIME_KEYS = ("reported_at", "occurred_at")
AMOUNT_KEYS = ("loss_fen", "recovered_fen", "frozen_fen")


def max_length(column: str) -> int | None:
    """The model's max_length of a FraudCase column (None for numbers and unbounded text)."""
    return getattr(FraudCase.__table__.c[column].type, "length", None)


@dataclass(frozen=True, slots=True)
class Invalid:
    """A cell that does not parse, and why (in Chinese)."""

    reason: str


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def cell_text(value: object) -> str:
    """A cell as trimmed text: Excel numbers without a spurious '.0', None as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


_PLAIN_AMOUNT = re.compile(r"(\d{1,13})(?:\.(\d{1,2}))?", re.ASCII)
_MANY_DECIMALS = re.compile(r"[¥￥]?\s*[\d,]*\.\d{3,}\s*元?", re.ASCII)
_NEGATIVE_SIGNS = "-−－"


def _fen_of_number(value: int | float | Decimal) -> int | Invalid:
    if isinstance(value, float) and not math.isfinite(value):
        return Invalid(CASE_FILE_AMOUNT_FORMAT.format(value=_shown(str(value))))
    yuan = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if yuan < 0:
        return Invalid(CASE_FILE_AMOUNT_NEGATIVE)
    if yuan * 100 > MAX_AMOUNT_FEN:
        return Invalid(CASE_FILE_AMOUNT_TOO_LARGE)
    fen = yuan * 100
    if fen != fen.to_integral_value():
        return Invalid(CASE_FILE_AMOUNT_DECIMALS)
    return int(fen)


def _fen_of_text(text: str) -> int | Invalid:
    if plain := _PLAIN_AMOUNT.fullmatch(text):
        return int(plain[1]) * 100 + int((plain[2] or "0").ljust(2, "0"))
    negative = text[0] in _NEGATIVE_SIGNS
    body = text[1:].strip() if negative else text
    # “3万多” is not an exact amount, though the story parser reads it as 3万.
    fen = None if "多" in body or "余" in body else parse_amount_fen(body)
    if fen is None:
        if _MANY_DECIMALS.fullmatch(body):
            return Invalid(CASE_FILE_AMOUNT_DECIMALS)
        return Invalid(CASE_FILE_AMOUNT_FORMAT.format(value=_shown(text)))
    if negative and fen:
        return Invalid(CASE_FILE_AMOUNT_NEGATIVE)
    return fen


def parse_amount(value: object) -> int | None | Invalid:
    """A 元 amount cell → exact fen (None when empty): '1,234.56', '12.3万', '12.3万元', Excel numbers."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Invalid(CASE_FILE_AMOUNT_FORMAT.format(value=value))
    if isinstance(value, int | float | Decimal):
        return _fen_of_number(value)
    text = cell_text(value)
    if not text:
        return None
    if len(text) > MAX_PARSED_CHARS:
        return Invalid(CASE_FILE_AMOUNT_FORMAT.format(value=_shown(text)))
    fen = _fen_of_text(text)
    if isinstance(fen, int) and fen > MAX_AMOUNT_FEN:
        return Invalid(CASE_FILE_AMOUNT_TOO_LARGE)
    return fen


_DATE_TIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:[ T\u3000]+|(?<=日))(\d{1,2})\s*[:：时点]\s*(\d{1,2})"
    r"(?:\s*[:：分]\s*(\d{1,2})(?:\.(\d{1,6}))?)?\s*[分秒]?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?",
    re.ASCII,
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?", re.ASCII)
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?", re.ASCII)


def _offset(text: str | None) -> timezone | None:
    if text is None:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _moment(parts: Sequence[str | None], zone: str | None, shown: str) -> datetime | Invalid:
    """(year, month, day, hour, minute, second[, fraction]) as matched → UTC; naive means Beijing time."""
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in parts[:6])
    fraction = parts[6] if len(parts) > 6 else None
    if year < MIN_YEAR:
        return Invalid(CASE_FILE_TIME_TOO_OLD.format(year=MIN_YEAR))
    try:
        local = datetime(year, month, day, hour, minute, second, int(fraction.ljust(6, "0")) if fraction else 0)
        return local.replace(tzinfo=_offset(zone) or SHANGHAI).astimezone(UTC)
    except (ValueError, OverflowError):
        return Invalid(CASE_FILE_DATE_INVALID.format(value=_shown(shown)))


def _from_serial(days: Decimal, shown: str, epoch: datetime) -> datetime | Invalid:
    if 0 <= days < 1:
        return Invalid(CASE_FILE_TIME_NO_DATE)
    if not 1 <= days < MAX_EXCEL_SERIAL:
        return Invalid(CASE_FILE_TIME_FORMAT.format(value=_shown(shown)))
    local = epoch + timedelta(seconds=int((days * 86_400).to_integral_value()))
    return _from_cell_datetime(local)


def _from_cell_datetime(value: datetime, shown: str | None = None) -> datetime | Invalid:
    if value.year < MIN_YEAR:
        return Invalid(CASE_FILE_TIME_TOO_OLD.format(year=MIN_YEAR))
    aware = value if value.tzinfo is not None else value.replace(tzinfo=SHANGHAI)
    try:
        return aware.astimezone(UTC)
    except OverflowError:
        return Invalid(CASE_FILE_DATE_INVALID.format(value=_shown(shown or str(value))))


def _time_of_text(text: str) -> datetime | Invalid:
    if len(text) >= 10 and text[4] == "-" and text[:4].isdigit():
        try:  # the common ISO form, parsed in C
            return _from_cell_datetime(datetime.fromisoformat(text), text)
        except ValueError:
            pass
    if len(text) in (8, 12, 14) and (compact := _COMPACT.fullmatch(text)):
        return _moment(compact.groups(), None, text)
    if _SERIAL.fullmatch(text):
        return _from_serial(Decimal(text), text, EPOCH_1900)
    if match := _DATE_TIME.fullmatch(text):
        return _moment(match.groups()[:7], match[8], text)
    return Invalid(CASE_FILE_TIME_FORMAT.format(value=_shown(text)))


def parse_time(value: object, epoch: datetime = EPOCH_1900) -> datetime | None | Invalid:
    """A time cell → aware UTC (None when empty); naive text and Excel dates/serials are Beijing time.

    `epoch` is the workbook's date system for Excel serial numbers (text serials are always the 1900 system).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _from_cell_datetime(value)
    if isinstance(value, date):
        return _from_cell_datetime(datetime.combine(value, time.min))
    if isinstance(value, time):
        return Invalid(CASE_FILE_TIME_NO_DATE)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            return Invalid(CASE_FILE_TIME_FORMAT.format(value=value))
        return _from_serial(Decimal(repr(value)), str(value), epoch)
    text = cell_text(value)
    if not text:
        return None
    if len(text) > MAX_PARSED_CHARS:
        return Invalid(CASE_FILE_TIME_FORMAT.format(value=_shown(text)))
    return _time_of_text(text)


def fold(text: str) -> str:
    """Lookup key: full-width → half-width, no spaces, case-insensitive."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


_FRAUD_PUNCTUATION = re.compile(r"[、，,/／·.。；;（）()\-]")
_FRAUD_SUFFIXES = ("诈骗", "案件", "案", "类")


def fraud_type_key(text: str) -> str:
    """Spelling-insensitive key of a fraud-type label: 刷单返利类 = 刷单返利 = 刷单、返利."""
    key = _FRAUD_PUNCTUATION.sub("", fold(text))
    trimmed = True
    while trimmed:
        trimmed = False
        for suffix in _FRAUD_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, trimmed = key[: -len(suffix)], True
    return key


def _choice_map(labels: dict, key: Callable[[str], str] = fold, aliases: dict[str, str] | None = None) -> dict:
    mapping = {key(label): member.value for member, label in labels.items()}
    mapping |= {key(member.value): member.value for member in labels}
    mapping |= {key(alias): value for alias, value in (aliases or {}).items()}
    return mapping


FRAUD_TYPES = _choice_map(FraudType.labels(), fraud_type_key, CASE_FILE_FRAUD_TYPE_ALIASES)
CHOICE_MAPS = {
    "status": _choice_map(CaseStatus.labels()), "contact_channel": _choice_map(ContactChannel.labels()),
    "payment_channel": _choice_map(PaymentChannel.labels()),
    "victim_gender": _choice_map(Gender.labels(), aliases=CASE_FILE_GENDER_ALIASES),
}
CHOICE_NAMES = {"status": CaseStatus.labels(), "contact_channel": ContactChannel.labels(),
                "payment_channel": PaymentChannel.labels(), "victim_gender": Gender.labels()}
YES_NO = {fold(word): True for word in CASE_FILE_YES} | {fold(word): False for word in CASE_FILE_NO}
UNKNOWN_WORDS = {fold(word) for word in CASE_FILE_UNKNOWN}
EDUCATION = {fold(level): level for level in EDUCATION_LEVELS} | {
    fold(alias): level for alias, level in CASE_FILE_EDUCATION_ALIASES.items()}
CASE_NO_LENGTH = max_length("case_no")
EDUCATION_LENGTH = max_length("victim_education")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_AGE = re.compile(r"(\d{1,3})(?:\.0+)?\s*(?:岁|周岁)?", re.ASCII)
_DEGREES = re.compile(r"[+-]?\d{1,3}(?:\.\d+)?", re.ASCII)


def parse_fraud_type(value: object) -> str | None | Invalid:
    """A fraud-type label (with or without 类, or the English code) → FraudType value."""
    text = cell_text(value)
    if not text:
        return None
    found = FRAUD_TYPES.get(fraud_type_key(text))
    return found if found else Invalid(CASE_FILE_FRAUD_TYPE_UNKNOWN.format(value=_shown(text)))


def _choice(key: str, value: object) -> str | None | Invalid:
    text = cell_text(value)
    if not text:
        return None
    found = CHOICE_MAPS[key].get(fold(text))
    if found:
        return found
    return Invalid(CASE_FILE_CHOICE_UNKNOWN.format(value=_shown(text), choices="、".join(CHOICE_NAMES[key].values())))


def parse_yes_no(value: object) -> bool | None | Invalid:
    """是/否 (and Y/N, 有/无, Excel TRUE/FALSE); empty or 不详 → None."""
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    if not text or fold(text) in UNKNOWN_WORDS:
        return None
    found = YES_NO.get(fold(text))
    if found is None:
        return Invalid(CASE_FILE_CHOICE_UNKNOWN.format(value=_shown(text), choices="是、否"))
    return found


def parse_age(value: object) -> int | None | Invalid:
    """An age 0–120 ('35', '35岁', Excel 35.0)."""
    text = cell_text(value)
    if not text:
        return None
    match = _AGE.fullmatch(text) if not isinstance(value, bool) else None
    if match is None or int(match[1]) > 120:
        return Invalid(CASE_FILE_AGE)
    return int(match[1])


def parse_degrees(value: object) -> float | None | Invalid:
    """A decimal-degree coordinate (range checked with its partner)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    text = cell_text(value).rstrip("°")
    if not text:
        return None
    if not _DEGREES.fullmatch(text):
        return Invalid(CASE_FILE_COORD_FORMAT.format(value=_shown(text)))
    return float(text)


def _line_text(limit: int | None, value: object) -> str | None | Invalid:
    text = " ".join(cell_text(value).split())  # one line: newlines and tabs become spaces
    if not text:
        return None
    if _CONTROL.search(text):
        return Invalid(CASE_FILE_CONTROL_CHARS)
    if limit is not None and len(text) > limit:
        return Invalid(CASE_FILE_TOO_LONG.format(limit=limit))
    return text


def _summary(value: object) -> str | None | Invalid:
    text = cell_text(value).replace("\r\n", "\n")
    if not text:
        return None
    return Invalid(CASE_FILE_CONTROL_CHARS) if _CONTROL.search(text) else text


def parse_case_no(value: object) -> str | None | Invalid:
    """A case number, trimmed and upper-case as services.case_write.normalise_case_no, ≤ 40 characters."""
    text = cell_text(value).upper()
    if not text:
        return None
    if not text.isprintable():
        return Invalid(CASE_FILE_CONTROL_CHARS)
    return Invalid(CASE_FILE_TOO_LONG.format(limit=CASE_NO_LENGTH)) if len(text) > CASE_NO_LENGTH else text


def _education(value: object) -> str | None | Invalid:
    text = _line_text(EDUCATION_LENGTH, value)
    return EDUCATION.get(fold(text), text) if isinstance(text, str) else text


def _unit_parser(unit_lookup: dict[str, int]) -> Callable[[object], int | None | Invalid]:
    folded = {fold(str(key)): unit_id for key, unit_id in unit_lookup.items()}

    def parse(value: object) -> int | None | Invalid:
        text = cell_text(value)
        if not text:
            return None
        found = unit_lookup.get(text)
        if found is None:
            found = folded.get(fold(text))
        return found if found is not None else Invalid(CASE_FILE_UNIT_UNKNOWN.format(value=_shown(text)))

    return parse


def _text_parser(key: str) -> Callable[[object], str | None | Invalid]:
    limit = max_length(key)
    return lambda value: _line_text(limit, value)


def cell_parsers(unit_lookup: dict[str, int], epoch: datetime) -> dict[str, Callable[[object], object]]:
    parsers: dict[str, Callable[[object], object]] = {
        "case_no": parse_case_no, "unit_id": _unit_parser(unit_lookup), "fraud_type": parse_fraud_type,
        "lon": parse_degrees, "lat": parse_degrees, "victim_age": parse_age,
        "victim_reached_by_propaganda": parse_yes_no, "summary": _summary, "victim_education": _education,
    }
    parsers |= {key: (lambda value: parse_time(value, epoch)) for key in TIME_KEYS}
    parsers |= {key: parse_amount for key in AMOUNT_KEYS}
    parsers |= {key: (lambda value, key=key: _choice(key, value)) for key in CHOICE_MAPS}
    for key in ("address", "victim_name", "victim_occupation", "victim_economic"):
        parsers[key] = _text_parser(key)
    return parsers
