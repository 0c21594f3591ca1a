"""Cell parsers of case import files: exact amounts, Beijing-time moments, labels; never raising on junk."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.case_import.cells import (
    MAX_AMOUNT_FEN,
    Invalid,
    cell_text,
    fraud_type_key,
    parse_age,
    parse_amount,
    parse_case_no,
    parse_degrees,
    parse_fraud_type,
    parse_time,
    parse_yes_no,
)
from services.case_import.text import (
    CASE_FILE_AGE,
    CASE_FILE_AMOUNT_DECIMALS,
    CASE_FILE_AMOUNT_FORMAT,
    CASE_FILE_AMOUNT_NEGATIVE,
    CASE_FILE_CONTROL_CHARS,
    CASE_FILE_COORD_FORMAT,
    CASE_FILE_DATE_INVALID,
    CASE_FILE_TIME_NO_DATE,
)
from services.shared.timeutil import SHANGHAI
from vocabulary import FraudType


def test_fraud_type_labels_have_distinct_keys():
    keys = {fraud_type_key(label) for label in FraudType.labels().values()}
    assert len(keys) == len(FraudType.labels())
    assert all(parse_fraud_type(label) == member.value for member, label in FraudType.labels().items())
    assert parse_fraud_type("刷单返利") == FraudType.REBATE


@pytest.mark.parametrize("value, text", [(None, ""), (" a ", "a"), (350605100.0, "350605100"), (1.5, "1.5"),
                                         (35, "35"), (datetime(2026, 1, 2, 3, 4), "2026-01-02 03:04:00")])
def test_cell_text(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize("value, parsed", [
    (True, Invalid(CASE_FILE_AMOUNT_FORMAT.format(value=True))),
    (float("nan"), Invalid(CASE_FILE_AMOUNT_FORMAT.format(value="nan"))),
    (-0.01, Invalid(CASE_FILE_AMOUNT_NEGATIVE)),
    ("－5", Invalid(CASE_FILE_AMOUNT_NEGATIVE)),
    ("-0", 0),
    ("1234.5600", 123_456),
    ("1.23456万", 1_234_560),
    ("1" * 65, Invalid(CASE_FILE_AMOUNT_FORMAT.format(value="1" * 20 + "…"))),
    (1234.567, Invalid(CASE_FILE_AMOUNT_DECIMALS)),
    (Decimal("0.01"), 1),
])
def test_amount_edge_cases(value, parsed):
    assert parse_amount(value) == parsed


@pytest.mark.parametrize("parse, value, parsed", [
    (parse_age, True, Invalid(CASE_FILE_AGE)),
    (parse_age, 0, 0),
    (parse_age, "120周岁", 120),
    (parse_degrees, "117.76°", 117.76),
    (parse_degrees, float("inf"), Invalid(CASE_FILE_COORD_FORMAT.format(value="inf"))),
    (parse_yes_no, False, False),
    (parse_yes_no, "Y", True),
    (parse_yes_no, "无", False),
    (parse_case_no, " a\u3000b ", Invalid(CASE_FILE_CONTROL_CHARS)),
    (parse_case_no, 2026001.0, "2026001"),
    (parse_time, time(10, 30), Invalid(CASE_FILE_TIME_NO_DATE)),
    (parse_time, "2026-11-28 10:30+08:00", datetime(2026, 11, 28, 2, 30, tzinfo=UTC)),
    (parse_time, "2026-11-28 10:30:00-05:00", datetime(2026, 11, 28, 15, 30, tzinfo=UTC)),
    (parse_time, "9999-12-31T23:00:00-05:00", Invalid(CASE_FILE_DATE_INVALID.format(
        value="9999-12-31T23:00:00-05:00"[:20] + "…"))),
])
def test_other_cells(parse, value, parsed):
    assert parse(value) == parsed


# ---------------------------------------------------------------------------------------- parsers (hypothesis)

FEN = st.integers(min_value=0, max_value=MAX_AMOUNT_FEN)


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


@given(FEN, st.sampled_from(["plain", "two", "commas", "yuan", "wan", "currency"]))
def test_amount_text_round_trips_exactly(fen, style):
    yuan = _yuan(fen)
    text = {
        "plain": f"{yuan.normalize():f}",
        "two": f"{yuan:.2f}",
        "commas": f"{yuan:,.2f}",
        "yuan": f"{yuan:.2f}元",
        "wan": f"{(yuan / 10_000).normalize():f}万",
        "currency": f"¥{yuan:,.2f}",
    }[style]
    assert parse_amount(text) == fen


@given(FEN)
def test_amount_cells_as_numbers_round_trip(fen):
    assert parse_amount(float(_yuan(fen))) == fen  # an Excel number cell holding the 元 amount
    assert parse_amount(fen // 100) == fen // 100 * 100


@given(st.one_of(st.text(max_size=80), st.text(alphabet="0123456789.,-万元亿¥ 多", max_size=20)))
def test_amount_parser_never_raises(text):
    value = parse_amount(text)
    assert value is None or isinstance(value, Invalid) or (isinstance(value, int) and 0 <= value <= 10**11)


MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31, 23, 59, 59))
TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y年%m月%d日 %H时%M分%S秒",
                "%Y%m%d%H%M%S", "%Y.%m.%d %H:%M:%S"]


@given(MOMENTS, st.sampled_from(TIME_FORMATS))
def test_time_text_round_trips_as_beijing_time(moment, pattern):
    moment = moment.replace(microsecond=0)
    expected = moment.replace(tzinfo=SHANGHAI).astimezone(UTC)
    assert parse_time(moment.strftime(pattern)) == expected


@given(MOMENTS)
def test_time_without_seconds_and_unpadded(moment):
    moment = moment.replace(second=0, microsecond=0)
    text = f"{moment.year}-{moment.month}-{moment.day} {moment.hour}:{moment.minute:02d}"
    assert parse_time(text) == moment.replace(tzinfo=SHANGHAI).astimezone(UTC)
    day = moment.date()
    assert parse_time(day.isoformat()) == datetime.combine(day, time.min, SHANGHAI).astimezone(UTC)


@given(MOMENTS)
def test_excel_serials_round_trip_to_the_second(moment):
    moment = moment.replace(microsecond=0)
    serial = (moment - datetime(1899, 12, 30)) / timedelta(days=1)
    assert parse_time(serial) == moment.replace(tzinfo=SHANGHAI).astimezone(UTC)
    assert parse_time(moment) == moment.replace(tzinfo=SHANGHAI).astimezone(UTC)


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=40), st.text(alphabet="0123456789-/:. T年月日时分秒Z+", max_size=30),
                 st.floats(allow_nan=True, allow_infinity=True), st.integers()))
def test_time_parser_never_raises(value):
    parsed = parse_time(value)
    assert parsed is None or isinstance(parsed, Invalid) or (parsed.tzinfo is UTC and parsed.year >= 1999)
