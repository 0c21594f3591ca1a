"""Masking of personal data."""

import re

from hypothesis import given
from hypothesis import strategies as hs

from services.access.masking import (
    mask_bank_account,
    mask_free_text,
    mask_id_number,
    mask_identifier,
    mask_name,
    mask_phone,
)


def test_examples_from_the_specification():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_bank_account("6222021234567891234") == "6222 **** **** 1234"
    assert mask_name("张三") == "张*"
    assert mask_id_number("35060219900101123X") == "350602********123X"
    assert mask_identifier("url", "http://a.top/login") == "http://a.top/login"


@given(hs.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_masked_phone_hides_the_middle_four(phone):
    masked = mask_phone(phone)
    assert masked == phone[:3] + "****" + phone[-4:]
    assert phone not in masked


@given(hs.from_regex(r"[1-9][0-9]{15,18}", fullmatch=True))
def test_masked_card_never_contains_more_than_eight_digits(card):
    masked = mask_bank_account(card)
    assert len(re.sub(r"\D", "", masked)) == 8
    assert masked.endswith(card[-4:])


@given(hs.text(alphabet="张王李欧阳小明华", min_size=1, max_size=5))
def test_masked_name_keeps_only_the_surname(name):
    masked = mask_name(name)
    assert masked[0] == name[0] and set(masked[1:]) <= {"*"} and len(masked) == len(name)


@given(hs.sampled_from(["13812345678", "6222021234567890128", "11010519491231002X"]), hs.integers(2, 4),
       hs.sampled_from(["，又说", "。", " 和 ", "；再打"]))
def test_free_text_masks_an_identifier_wherever_it_is_repeated(identifier, times, between):
    shown = mask_free_text(between.join(f"号码{identifier}" for _ in range(times)))
    assert identifier not in shown and shown.count("*") >= 4 * times


def test_free_text_masks_id_numbers_offered_as_no_lead():
    """A mistyped ID number (named as one, or ending in X) is no lead, but it is personal data all the same."""
    for text in ("身份证号110105194912310022，", "身份证件号码：110105194912310022", "证件号码11010519900101123X。"):
        number = re.search(r"\d{17}[\dX]", text)[0]
        assert number not in mask_free_text(text) and number[:6] in mask_free_text(text), text
