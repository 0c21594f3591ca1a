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
