"""Identifier normalisation: one identifier, however typed, is one stored value; impossible ones are refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from services.desk.identifiers import (
    bank_card_luhn_ok,
    is_suspicious_phone,
    normalise,
    normalise_app,
    normalise_bank_account,
    normalise_id_card,
    normalise_phone,
    normalise_qq,
    normalise_url,
    normalise_wechat,
    phone_problem,
)
from vocabulary import IdentifierKind

MOBILE_PREFIXES = ("130", "131", "133", "135", "136", "137", "138", "139", "150", "152", "155", "158", "166",
                   "177", "180", "181", "186", "188", "189", "191", "198", "199")


def _with_check_digit(body: str) -> str:
    return body + luhn.calc_check_digit(body)


def _id_card(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


@pytest.mark.parametrize("raw", [
    "138-1234-5678", "+86 13812345678", "008613812345678", "86-138 1234 5678", "13812345678",
    "138 1234 5678", "+86-138-1234-5678", "(+86)13812345678", "１３８１２３４５６７８", " 13812345678 ",
])
def test_mobile_formats_are_one_number(raw):
    assert normalise_phone(raw) == "13812345678"
    assert phone_problem(raw) is None


@pytest.mark.parametrize("raw", ["0596-2345678", "(0596)2345678", "+86 596 2345678", "0596 2345678", "05962345678",
                                 "0086-596-2345678"])
def test_landline_formats_keep_area_code_without_separators(raw):
    assert normalise_phone(raw) == "05962345678"


def test_beijing_landline_and_400_numbers():
    assert normalise_phone("010-12345678") == "01012345678"
    assert normalise_phone("+86 10 1234 5678") == "01012345678"
    assert normalise_phone("400-123-4567") == "4001234567"


@pytest.mark.parametrize("raw, reason", [
    ("1381234567", "号码位数不对"),
    ("138123456789", "号码位数不对"),
    ("+86 138 1234 567", "号码位数不对"),
    ("12345678901", "不是有效的中国大陆电话号码"),
    ("", "号码为空"),
    ("   ", "号码为空"),
])
def test_impossible_numbers_are_refused_with_a_reason(raw, reason):
    assert normalise_phone(raw) is None
    assert phone_problem(raw) == reason


def test_letters_are_not_phone_numbers():
    assert normalise_phone("1-800-FLOWERS") is None
    assert normalise_phone("wx13812345678") is None
    assert "数字" in phone_problem("138一二三四五六七八")


def test_spoofed_leading_zeros_explain_themselves():
    assert normalise_phone("0000013812345678") is None
    assert "改号" in phone_problem("0000013812345678")


@pytest.mark.parametrize("raw", ["+0085512345678", "00085512345678", "+855 12 345 678", "0085512345678",
                                 "+63 917 123 4567", "+1 202 555 0143", "+00 86 138 1234 5678"])
def test_overseas_and_spoofed_numbers_are_suspicious(raw):
    assert is_suspicious_phone(raw)


@pytest.mark.parametrize("raw", ["13812345678", "+86 138 1234 5678", "008613812345678", "0596-2345678", "010-12345678"])
def test_mainland_numbers_are_not_suspicious(raw):
    assert not is_suspicious_phone(raw)


def test_valid_overseas_numbers_are_kept_in_international_form():
    assert normalise_phone("+855 12 345 678") == "+85512345678"
    assert normalise_phone("0085512345678") == "+85512345678"
    assert normalise_phone("+63 917 123 4567") == "+639171234567"


_mobiles = st.builds(lambda prefix, rest: prefix + rest, st.sampled_from(MOBILE_PREFIXES),
                     st.text("0123456789", min_size=8, max_size=8))
_FORMATS = (
    lambda n: n,
    lambda n: f"{n[:3]}-{n[3:7]}-{n[7:]}",
    lambda n: f"{n[:3]} {n[3:7]} {n[7:]}",
    lambda n: f"+86 {n}",
    lambda n: f"+86-{n[:3]}-{n[3:7]}-{n[7:]}",
    lambda n: f"0086{n}",
    lambda n: f"86-{n[:3]} {n[3:7]} {n[7:]}",
    lambda n: f"86{n}",
    lambda n: n.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
)


@given(_mobiles, st.sampled_from(_FORMATS))
def test_every_mobile_in_every_format_normalises_to_its_11_digits(number, style):
    assert normalise_phone(style(number)) == number
    assert not is_suspicious_phone(style(number))


@given(_mobiles)
def test_phone_normalisation_is_idempotent(number):
    once = normalise_phone(f"+86 {number[:3]}-{number[3:]}")
    assert once is not None and normalise_phone(once) == once


def test_bank_accounts_strip_separators_and_accept_12_to_30_digits():
    card = _with_check_digit("622202123456789012")
    assert normalise_bank_account(f"{card[:4]} {card[4:8]} {card[8:12]} {card[12:16]} {card[16:]}") == card
    assert normalise_bank_account(f"{card[:6]}-{card[6:]}") == card
    assert normalise_bank_account("1" * 12) == "1" * 12
    assert normalise_bank_account("1" * 30) == "1" * 30
    for bad in ("1" * 11, "1" * 31, "6222 0212 3456 789a", "", "账号 622202"):
        assert normalise_bank_account(bad) is None


def test_luhn_only_warns_it_does_not_refuse():
    card = _with_check_digit("621700123456789012")
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert bank_card_luhn_ok(card)
    assert not bank_card_luhn_ok(wrong)
    assert normalise_bank_account(wrong) == wrong  # a corporate account may fail Luhn and is still stored
    assert not bank_card_luhn_ok("")
    assert not bank_card_luhn_ok("6222 0212")


@given(st.text("0123456789", min_size=12, max_size=30), st.lists(st.sampled_from([" ", "-", "  "]), max_size=5))
def test_bank_account_separators_never_change_the_value(digits, separators):
    spaced = digits
    for i, separator in enumerate(separators):
        cut = (i + 1) * 4
        if cut < len(spaced):
            spaced = spaced[:cut] + separator + spaced[cut:]
    assert normalise_bank_account(spaced) == digits
    assert normalise_bank_account(digits) == digits


@pytest.mark.parametrize("raw, expected", [
    ("www.abc-xyz.top/a", "http://www.abc-xyz.top/a"),
    ("WWW.Abc-XYZ.top/a/", "http://www.abc-xyz.top/a"),
    ("http://x.cn", "http://x.cn"),
    ("http://X.CN/", "http://x.cn"),
    ("HTTPS://Example.COM:443/Login?Next=/Home", "https://example.com/Login?Next=/Home"),
    ("http://x.cn:80/a", "http://x.cn/a"),
    ("http://x.cn:8080/", "http://x.cn:8080"),
    ("x.cn", "http://x.cn"),
    ("abc.vip/#/register?code=AB12", "http://abc.vip#/register?code=AB12"),
    ("http://192.168.1.10:8000/pay", "http://192.168.1.10:8000/pay"),
    (" https://pay.abc.top/?id=7 ", "https://pay.abc.top?id=7"),
])
def test_urls_normalise(raw, expected):
    assert normalise_url(raw) == expected
    assert normalise_url(expected) == expected


@pytest.mark.parametrize("raw", ["", "not a url", "http://", "abc", "ftp://x.cn/file", "http://x.c", "3.5",
                                 "http://x.cn:99999", "安全会议"])
def test_non_urls_are_refused(raw):
    assert normalise_url(raw) is None


def test_qq_numbers():
    assert normalise_qq("12345") == "12345"
    assert normalise_qq(" 123 456 789 ") == "123456789"
    assert normalise_qq("12345678901") == "12345678901"
    for bad in ("1234", "012345", "123456789012", "12345a", ""):
        assert normalise_qq(bad) is None


def test_wechat_ids_are_case_insensitive():
    assert normalise_wechat("Lily_8899") == "lily_8899"
    assert normalise_wechat(" wxid_AB12cd-9 ") == "wxid_ab12cd-9"
    assert normalise_wechat("abcdef") == "abcdef"
    assert normalise_wechat("a" * 20) == "a" * 20
    for bad in ("abc12", "1abcdef", "a" * 21, "ab cdef", "微信abcdef", "_abcdef", ""):
        assert normalise_wechat(bad) is None


def test_app_names_trim_quotes_and_collapse_spaces():
    assert normalise_app("  安全   会议 ") == "安全 会议"
    assert normalise_app("“安全会议”") == "安全会议"
    assert normalise_app("《币安理财Pro》") == "币安理财Pro"
    assert normalise_app("ＡＢＣ理财") == "ABC理财"
    assert normalise_app("") is None
    assert normalise_app("《》") is None
    assert normalise_app("长" * 61) is None


def test_id_cards_need_a_correct_check_digit_and_a_real_birth_date():
    assert normalise_id_card("11010519491231002X") == "11010519491231002X"
    assert normalise_id_card("11010519491231002x") == "11010519491231002X"
    assert normalise_id_card("110105 19491231 002X") == "11010519491231002X"
    valid = _id_card("35060219900101123")
    assert normalise_id_card(valid) == valid
    wrong_digit = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    assert normalise_id_card(wrong_digit) is None
    assert normalise_id_card(_id_card("35060219901301123")) is None  # month 13
    assert normalise_id_card("1101051949123100") is None
    assert normalise_id_card("") is None


def test_normalise_dispatches_on_kind_as_enum_or_string():
    assert normalise(IdentifierKind.PHONE, "138-1234-5678") == "13812345678"
    assert normalise("phone", "+86 138 1234 5678") == "13812345678"
    assert normalise("bank_account", "6222 0212 3456 7890") == "6222021234567890"
    assert normalise("url", "WWW.X.CN/") == "http://www.x.cn"
    assert normalise("qq", "123456") == "123456"
    assert normalise("wechat", "Lily_8899") == "lily_8899"
    assert normalise("app", " 安全会议 ") == "安全会议"
    assert normalise("id_card", "11010519491231002x") == "11010519491231002X"
    with pytest.raises(ValueError):
        normalise("fax", "123")


@pytest.mark.parametrize("kind", list(IdentifierKind))
def test_normalise_never_raises_on_odd_input(kind):
    for raw in ("", " ", "\n", "+", "()", "http://[::1", "《", "０" * 50, "😀", "a" * 500, "1" * 300):
        normalise(kind, raw)


@given(st.sampled_from(list(IdentifierKind)), st.text(max_size=40))
def test_normalise_is_idempotent_on_any_text(kind, raw):
    once = normalise(kind, raw)
    if once is not None:
        assert normalise(kind, once) == once


_url_hosts = st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,5})?\.(com|cn|top|xyz|vip)", fullmatch=True)
_url_paths = st.from_regex(r"(/[A-Za-z0-9_]{1,6}){0,3}/?(\?[a-z]=[A-Za-z0-9]{1,4})?", fullmatch=True)


@given(st.sampled_from(["", "http://", "HTTP://", "https://", "www."]), _url_hosts, _url_paths,
       st.booleans())
def test_url_normalisation_is_idempotent_and_case_insensitive_in_the_host(scheme, host, path, upper):
    raw = f"{scheme}{host.upper() if upper else host}{path}"
    once = normalise_url(raw)
    assert once is not None
    assert normalise_url(once) == once
    assert once == normalise_url(f"{scheme}{host}{path}")
    assert not once.endswith("/")


@given(st.text("0123456789", min_size=17, max_size=17).filter(lambda s: s[0] != "0"))
def test_id_card_normalisation_is_idempotent(body):
    candidate = _id_card(body)
    once = normalise_id_card(candidate.lower())
    if once is not None:
        assert once == candidate
        assert normalise_id_card(once) == once
