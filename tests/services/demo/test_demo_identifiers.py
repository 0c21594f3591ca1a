"""Synthetic identifiers are well-formed: real-looking phones, Luhn-valid cards, distinct values."""

import numpy as np
import phonenumbers
from hypothesis import given
from hypothesis import strategies as hs
from stdnum import luhn

from services.demo import identifiers as ids


@given(hs.lists(hs.integers(0, 9), min_size=12, max_size=18))
def test_vectorised_luhn_agrees_with_python_stdnum(digits):
    body = np.array([digits])
    check = ids.luhn_check_digits(body)[0]
    assert str(check) == luhn.calc_check_digit("".join(map(str, digits)))


def test_cards_pass_luhn_and_carry_their_bank():
    numbers, banks = ids.bank_cards(500, np.random.default_rng(1))
    assert all(luhn.is_valid(n) for n in numbers)
    assert all(16 <= len(n) <= 19 for n in numbers)
    assert {b for n, b in zip(numbers, banks) if n.startswith("622202")} == {"中国工商银行"}


def test_phones_are_valid_mainland_mobiles():
    for number in ids.phones(200, np.random.default_rng(2)):
        parsed = phonenumbers.parse(number, "CN")
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE


def test_pool_is_distinct_per_kind():
    pool = ids.identifier_pool(5_000, np.random.default_rng(3))
    keys = [(kind, value) for kind, value, _ in pool]
    assert len(keys) == len(set(keys))
    assert {kind for kind, _ in keys} == {k.value for k in ids.KIND_SHARES}
