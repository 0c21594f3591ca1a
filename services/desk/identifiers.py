"""Normalise and validate phones, bank accounts, URLs, QQ/WeChat ids, app names and 身份证号 for storage and lookup."""

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat
from stdnum import luhn
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from vocabulary import IdentifierKind

CHINA_CODE = 86
PHONE_MAX_CHARS = 40
PHONE_CHARS = re.compile(r"[+\d\s\-().]+")
SPOOF_PREFIX = re.compile(r"^(?:\+0|000)")  # "+00…" or three or more leading zeros
MOBILE_LIKE = re.compile(r"^(?:\+?86|0086)?1\d*$")

ACCOUNT_SEPARATORS = re.compile(r"[\s\-]+")
ACCOUNT_DIGITS = re.compile(r"\d{12,30}", re.ASCII)

URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
HOST_LABEL = re.compile(r"(?!-)[a-z0-9\-\u00a1-\uffff]{1,63}(?<!-)")
TLD = re.compile(r"(?:[a-z]{2,63}|xn--[a-z0-9\-]{1,59}|[\u00a1-\uffff]{2,63})")
IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)")
DEFAULT_PORTS = {"http": 80, "https": 443}

QQ = re.compile(r"[1-9]\d{4,10}", re.ASCII)
WECHAT = re.compile(r"[A-Za-z][A-Za-z0-9_\-]{5,19}")
APP_QUOTES = "《》“”\"'「」『』‘’〈〉"
APP_MAX_CHARS = 60
SPACES = re.compile(r"\s+")


def _nfkc(raw: str) -> str:
    # Full-width digits, letters and spaces (typed with a Chinese IME) become ASCII.
    return unicodedata.normalize("NFKC", raw).strip()


def _parse_phone(raw: str) -> phonenumbers.PhoneNumber | None:
    text = _nfkc(raw)
    if not text or len(text) > PHONE_MAX_CHARS or not PHONE_CHARS.fullmatch(text):
        return None
    try:
        return phonenumbers.parse(text, "CN")
    except NumberParseException:
        return None


@lru_cache(maxsize=4096)  # the desk re-reads the whole story on every keystroke
def normalise_phone(raw: str) -> str | None:
    """Mainland numbers as dialled at home (13812345678, 05962345678); valid foreign numbers as E.164; else None."""
    number = _parse_phone(raw)
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    if number.country_code != CHINA_CODE:
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return re.sub(r"\D", "", phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))


def phone_problem(raw: str) -> str | None:
    """Why a phone number cannot be used (Chinese), or None when it normalises."""
    if normalise_phone(raw) is not None:
        return None
    text = _nfkc(raw)
    if not text:
        return "号码为空"
    if not PHONE_CHARS.fullmatch(text):
        return "号码中只能有数字、空格、横线、括号和 +"
    if len(text) > PHONE_MAX_CHARS:
        return "号码位数不对"
    digits = re.sub(r"\D", "", text)
    if SPOOF_PREFIX.match(text.replace(" ", "")):
        return "号码前有多个 0 或 +00，疑似改号或境外来电，无法识别"
    if MOBILE_LIKE.match(re.sub(r"[^\d+]", "", text)) and len(digits.removeprefix("0086").removeprefix("86")) != 11:
        return "号码位数不对"
    number = _parse_phone(text)
    if number is None:
        return "不是有效的电话号码"
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        return "号码位数不对"
    return "不是有效的中国大陆电话号码"


@lru_cache(maxsize=4096)
def is_suspicious_phone(raw: str) -> bool:
    """Numbers with +00 or many leading zeros (spoofed) or a foreign country code (overseas)."""
    compact = re.sub(r"[^\d+]", "", _nfkc(raw))
    if SPOOF_PREFIX.match(compact):
        return True
    number = _parse_phone(raw)
    return number is not None and number.country_code != CHINA_CODE


def normalise_bank_account(raw: str) -> str | None:
    """Digits only, 12–30 of them (cards are 16–19; corporate accounts differ)."""
    digits = ACCOUNT_SEPARATORS.sub("", _nfkc(raw))
    return digits if ACCOUNT_DIGITS.fullmatch(digits) else None


def bank_card_luhn_ok(digits: str) -> bool:
    """Whether a card number passes the Luhn check (a failure only warns: corporate accounts fail it)."""
    return digits.isascii() and digits.isdigit() and luhn.is_valid(digits)


def _host_ok(host: str) -> bool:
    if IPV4.fullmatch(host) or host == "localhost":
        return True
    labels = host.split(".")
    return len(labels) >= 2 and all(HOST_LABEL.fullmatch(label) for label in labels) and bool(TLD.fullmatch(labels[-1]))


def normalise_url(raw: str) -> str | None:
    """Lower-case scheme and host, http:// when missing, no default port or trailing slash; path and query kept."""
    text = raw.strip().strip("<>\"'")
    if not text or any(ch.isspace() for ch in text):
        return None
    if not URL_SCHEME.match(text):
        text = f"http://{text.lstrip('/')}"
    try:
        parts = urlsplit(text)
        host, port = (parts.hostname or "").rstrip("."), parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not _host_ok(host):
        return None
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, parts.fragment))


def normalise_qq(raw: str) -> str | None:
    """QQ numbers: 5–11 digits, no leading zero."""
    digits = SPACES.sub("", _nfkc(raw))
    return digits if QQ.fullmatch(digits) else None


def normalise_wechat(raw: str) -> str | None:
    """WeChat ids: 6–20 letters, digits, _ or -, starting with a letter; case-insensitive, so lower-cased."""
    text = _nfkc(raw)
    return text.lower() if WECHAT.fullmatch(text) else None


def normalise_app(raw: str) -> str | None:
    """App names: surrounding quotes or 《》 removed, spaces collapsed."""
    text = SPACES.sub(" ", _nfkc(raw)).strip(APP_QUOTES + " ")
    return text if 0 < len(text) <= APP_MAX_CHARS else None


def normalise_id_card(raw: str) -> str | None:
    """18-character 身份证号 with a correct GB 11643 check digit and a real birth date; X upper-cased."""
    text = SPACES.sub("", _nfkc(raw)).upper()
    if len(text) != 18 or not text[:17].isdigit() or not text[:17].isascii() or text[0] == "0":
        return None
    if text[17] != ric.calc_check_digit(text):
        return None
    try:
        ric.get_birth_date(text)
    except ValidationError:
        return None
    return text


_NORMALISERS = {
    IdentifierKind.PHONE: normalise_phone,
    IdentifierKind.BANK_ACCOUNT: normalise_bank_account,
    IdentifierKind.URL: normalise_url,
    IdentifierKind.QQ: normalise_qq,
    IdentifierKind.WECHAT: normalise_wechat,
    IdentifierKind.APP: normalise_app,
    IdentifierKind.ID_CARD: normalise_id_card,
}


def normalise(kind: IdentifierKind | str, raw: str) -> str | None:
    """The stored form of an identifier of this kind, or None when it is not one."""
    return _NORMALISERS[IdentifierKind(kind)](raw)
