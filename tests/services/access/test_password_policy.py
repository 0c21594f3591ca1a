"""Common and keyboard-pattern passwords are refused with a Chinese message; good ones still pass."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.access import auth
from services.access.password_policy import common_passwords, is_common, is_keyboard_pattern
from services.access.text import PASSWORD_COMMON, PASSWORD_KEYBOARD

DEMO_PASSWORD = "Fanzha@Demo1"


@pytest.mark.parametrize("password", [
    "Password1!", "Qwerty12345", "Admin@12345", "P@ssw0rd2024", "Woaini1314!", "2024@Summer", "Iloveyou520!",
])
def test_common_passwords_are_refused(password):
    assert PASSWORD_COMMON in auth.password_problems(password, "someone")


@pytest.mark.parametrize("password", ["Zaq1@wsx#!", "1qaz2WSX3edc", "Abcdefg123!", "Aaaaaaaaa1!", "!QAZ2wsx#EDC",
                                      "Asdf;lkj1234", "Zxcvbnm,./1"])
def test_keyboard_patterns_are_refused(password):
    problems = auth.password_problems(password, "someone")
    assert PASSWORD_KEYBOARD in problems or PASSWORD_COMMON in problems


@pytest.mark.parametrize("password", [DEMO_PASSWORD, "Strong#Pass9", "Other#Pass99", "Third#Pass99", "New#Password1",
                                      "Bench#Desk2026", "Tiger!River9", "Xk9#mQ2$pL"])
def test_good_passwords_still_pass(password):
    assert auth.password_problems(password, "admin") == []


def test_the_list_is_bundled_and_large():
    assert len(common_passwords()) >= 3000 and "password" in common_passwords()


LISTED = sorted(w for w in common_passwords() if len(re.sub(r"[^a-z]+$", "", w)) >= 3)


@given(st.sampled_from(LISTED), st.text("0123456789!@#$%.", max_size=6),
       st.sampled_from([str.lower, str.upper, str.capitalize, str.swapcase]))
def test_a_listed_password_with_any_case_and_trailing_digits_or_symbols_is_common(word, tail, case):
    assert is_common(case(word) + tail)


@given(st.sampled_from(["qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "abcdefghij", "1qaz2wsx3edc"]),
       st.integers(0, 6), st.integers(3, 10), st.text("!#*", max_size=2), st.booleans())
def test_any_long_enough_slice_of_a_keyboard_row_is_a_pattern(row, start, length, tail, reverse):
    run = row[start:start + length]
    if len(run) >= 3:
        assert is_keyboard_pattern((run[::-1] if reverse else run).upper() + tail)


@given(st.text(max_size=200))
def test_checks_never_fail(text):
    is_common(text)
    is_keyboard_pattern(text)
