"""Amounts as people say and type them, parsed to exact fen."""

from decimal import Decimal

import cn2an
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from services.desk.amounts import AmountMatch, find_amounts, parse_amount_fen


@pytest.mark.parametrize("text, yuan", [
    ("3634元", 3634),
    ("3634.5元", Decimal("3634.5")),
    ("3634.56元", Decimal("3634.56")),
    ("5万", 50_000),
    ("5万元", 50_000),
    ("1.2万元", 12_000),
    ("1.2万", 12_000),
    ("0.35万", 3_500),
    ("八十万", 800_000),
    ("十二万五千", 125_000),
    ("十二万五", 125_000),
    ("两万三", 23_000),
    ("一万二", 12_000),
    ("三千五", 3_500),
    ("1,200元", 1_200),
    ("1,234,567.89元", Decimal("1234567.89")),
    ("3千", 3_000),
    ("一百二十万元", 1_200_000),
    ("¥800", 800),
    ("￥800", 800),
    ("人民币5000元", 5_000),
    ("800块", 800),
    ("800块钱", 800),
    ("1亿", 100_000_000),
    ("1.5亿元", 150_000_000),
    ("一亿二", 120_000_000),
    ("两亿三千万", 230_000_000),
    ("1万5", 15_000),
    ("1万2千", 12_000),
    ("12万5千元", 125_000),
    ("一点二万", 12_000),
    ("二十多万元", 200_000),
    ("5万多元", 50_000),
    ("十万零五百元", 100_500),
    ("壹万贰仟元", 12_000),
    ("3万8", 38_000),
    ("1.2w", 12_000),
    ("3k", 3_000),
    ("３６３４元", 3634),
    ("3634", 3634),
    (" 5万元 ", 50_000),
])
def test_amounts_as_written(text, yuan):
    assert parse_amount_fen(text) == int(Decimal(yuan) * 100)


@pytest.mark.parametrize("text", ["", "元", "abc", "两个", "万一", "千万", "3634.567元", "-5元", "5万美元", "1.2.3元",
                                  "十分", "5万 元 多", "12,34元"])
def test_not_amounts(text):
    assert parse_amount_fen(text) is None


def test_results_are_exact_integers():
    fen = parse_amount_fen("1.23456789万元")
    assert fen is None  # 12345.6789元 is not a whole number of fen
    assert parse_amount_fen("1.234567万") == 1_234_567
    assert isinstance(parse_amount_fen("0.1万"), int)


def _found(text: str) -> list[tuple[str, int]]:
    return [(m.raw, m.fen) for m in find_amounts(text)]


@pytest.mark.parametrize("text, expected", [
    ("被骗了12万元", [("12万元", 12_000_000)]),
    ("转了3634元", [("3634元", 363_400)]),
    ("准备转八十万", [("八十万", 80_000_000)]),
    ("先垫付了3634元，后来又转了1.2万，一共被骗15634元。",
     [("3634元", 363_400), ("1.2万", 1_200_000), ("15634元", 1_563_400)]),
    ("对方让我交两万三的保证金", [("两万三", 2_300_000)]),
    ("他说转¥800就能解冻", [("¥800", 80_000)]),
    ("被骗了二十多万元", [("二十多万元", 20_000_000)]),
    ("准备转八十万一次性付清", [("八十万", 80_000_000)]),
    ("共损失人民币5000元", [("人民币5000元", 500_000)]),
])
def test_find_amounts_in_stories(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize("text", [
    "统一一下口径，十分着急",
    "对方有三千个粉丝，说每天走一万步",
    "千万不要转账，万一被骗了呢",
    "2023年5月1日下午3点接到电话，QQ号123456",
    "第一万名幸运用户",
    "和他一块去银行",
    "他说五万美元就行",
])
def test_find_amounts_ignores_numbers_that_are_not_money(text):
    assert find_amounts(text) == []


def test_find_amounts_reports_spans_of_the_original_text():
    text = "来电人称：被骗了１２万元，又转了3634元。"
    for match in find_amounts(text):
        assert isinstance(match, AmountMatch)
        assert text[match.start:match.end] == match.raw
    assert [m.fen for m in find_amounts(text)] == [12_000_000, 363_400]


_amounts = st.integers(min_value=0, max_value=10**12)


@given(_amounts)
def test_arabic_yuan_parse_exactly(n):
    assert parse_amount_fen(f"{n}元") == n * 100
    assert parse_amount_fen(f"{n:,}元") == n * 100


@given(_amounts)
@example(2_500_001_000).via("cn2an writes 二十五亿一千, without the 零 of the empty 万 group")
@example(100_001_001)
def test_chinese_numerals_parse_back(n):
    assert parse_amount_fen(cn2an.an2cn(n) + "元") == n * 100


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_yuan_with_fen_parse_exactly(n, fen):
    assert parse_amount_fen(f"{n}.{fen:02d}元") == n * 100 + fen


@given(st.decimals(min_value=0, max_value=100_000, places=4, allow_nan=False, allow_infinity=False))
def test_wan_with_decimals_is_exact(wan):
    assert parse_amount_fen(f"{wan}万") == int(wan * 1_000_000)


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["被骗了", "转了", "准备转", "一共损失"]),
       st.sampled_from(["。", "，对方就不见了", "后才发现被骗", ""]))
def test_find_amounts_in_a_sentence(n, before, after):
    text = f"来电人称{before}{n}元{after}"
    assert _found(text) == [(f"{n}元", n * 100)]


@given(st.integers(min_value=1, max_value=10**9))
def test_find_chinese_amounts_in_a_sentence(n):
    spoken = cn2an.an2cn(n)
    text = f"被骗了{spoken}元。"
    assert _found(text) == [(f"{spoken}元", n * 100)]


@pytest.mark.parametrize("text, yuan", [("二十五亿一千元", 2_500_001_000), ("二十五亿一千万元", 2_510_000_000),
                                        ("一亿一千零一元", 100_001_001), ("一亿二", 120_000_000)])
def test_yi_followed_by_thousands_without_zero(text, yuan):
    assert parse_amount_fen(text) == yuan * 100
