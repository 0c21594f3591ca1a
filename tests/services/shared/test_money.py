"""Exact money: fen in, 万元 out."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from services.shared.money import fen_to_wan, format_wan, format_yuan, yuan_to_fen


def test_yuan_to_fen_is_exact():
    assert yuan_to_fen("99999.99") == 9_999_999
    assert yuan_to_fen(Decimal("100000")) == 10_000_000
    assert yuan_to_fen(3634) == 363_400


def test_more_than_two_decimals_is_refused():
    with pytest.raises(ValueError, match="两位小数"):
        yuan_to_fen("1.005")


def test_wan_display():
    assert format_wan(123_456_789) == "123.46"
    assert format_wan(10_000_000) == "10.00"
    assert format_yuan(9_999_999) == "99,999.99"


@given(hs.integers(min_value=0, max_value=10**14))
def test_fen_round_trip_through_yuan(fen):
    assert yuan_to_fen(Decimal(fen) / 100) == fen
    assert fen_to_wan(fen) * 1_000_000 == fen


# Issue 12: a figure near a threshold is never shown rounded up across it.
from services.shared.money import FEN_PER_WAN, money_text, wan_figure  # noqa: E402

THRESHOLDS_FEN = (10 * FEN_PER_WAN, 50 * FEN_PER_WAN, 100 * FEN_PER_WAN)


def _read(text: str) -> Decimal:
    """The amount a reader takes from money_text, in fen."""
    number, unit = text.split(" ")
    value = Decimal(number.replace(",", ""))
    return value * (FEN_PER_WAN if unit == "万元" else 100)


def test_amounts_just_below_a_threshold_are_not_rounded_up():
    assert money_text(99_999_999) == "999,999.99 元"
    assert money_text(9_999_999) == "99,999.99 元"
    assert wan_figure(99_999_999) == Decimal("99.99")
    assert wan_figure(9_999_999) == Decimal("9.99")
    assert money_text(10_000_000) == "10.00 万元"
    assert money_text(12_345_678) == "12.35 万元"  # rounding that reaches no whole 万 stays half-up
    assert money_text(0) == "0.00 万元"


@given(hs.sampled_from(THRESHOLDS_FEN), hs.integers(min_value=1, max_value=100 * FEN_PER_WAN))
def test_no_amount_below_a_threshold_reads_as_reaching_it(threshold, below):
    fen = max(threshold - below, 0)
    assert _read(money_text(fen)) < threshold
    assert wan_figure(fen) * FEN_PER_WAN < threshold


@given(hs.integers(min_value=0, max_value=10**12))
def test_no_amount_reads_as_a_whole_wan_it_is_below(fen):
    shown = wan_figure(fen)
    whole = shown.to_integral_value()
    assert not (shown == whole and whole * FEN_PER_WAN > fen)
    assert _read(money_text(fen)) <= fen or _read(money_text(fen)) % FEN_PER_WAN != 0
    assert abs(wan_figure(fen) * FEN_PER_WAN - fen) < FEN_PER_WAN // 100  # within 0.01 万元 of the amount
