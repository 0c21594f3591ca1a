"""Money amounts as people say and type them (3634元, 1.2万, 八十万, 两万三) → exact integer fen."""

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache

import cn2an

FEN_PER_YUAN = 100
MAX_NUMBER_CHARS = 30
DECIMAL_DIGITS = 60
CN_DIGITS = "零〇一二两三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
CN_UNITS = "十拾百佰千仟万萬亿億"
MULTIPLIERS = {
    None: 1, "": 1, "百": 100, "千": 1_000, "k": 1_000, "K": 1_000,
    "万": 10_000, "萬": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000, "億": 100_000_000,
}
# ASCII forms of the full-width characters an IME produces; one character for one, so offsets stay valid.
FULL_WIDTH = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
    | {"\uff0e": ".", "\uff0b": "+", "\uff0d": "-", "\uffe5": "¥", "\u3000": " "}
)

_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_NUMBER = (
    rf"(?:{_ARABIC}(?:[亿億万萬千百](?:\d{{1,4}}[千百]?)?)?"
    rf"|[{CN_DIGITS}十拾][{CN_DIGITS}{CN_UNITS}]*(?:点[零〇一二三四五六七八九]+[亿億万萬千百]?)?)"
)
AMOUNT = re.compile(
    r"(?P<currency>¥|人民币|RMB|rmb)?\s?"
    rf"(?P<number>{_NUMBER})"
    r"(?P<more>多|余)?"
    r"(?P<unit>[万萬亿億]|[kKwW](?![A-Za-z]))?"
    r"(?P<more2>多|余)?"
    r"(?P<yuan>元钱|元整|元|块钱|块|圆)?",
    re.ASCII,
)
ARABIC_SIMPLE = re.compile(rf"({_ARABIC})([亿億万萬千百]?)", re.ASCII)
CN_DECIMAL = re.compile(r"(?P<int>.+?)点(?P<frac>[零〇一二三四五六七八九]+)(?P<unit>[亿億万萬千百]?)")
COLLOQUIAL_TAIL = re.compile(r"([亿億万萬千百])([一二两三四五六七八九])$")
NEXT_UNIT = {"亿": "千万", "億": "千万", "万": "千", "萬": "千", "千": "百", "百": "十"}
# 二十五亿一千 (no 零 for the empty 万 group: cn2an.an2cn writes it so) is 2,500,001,000, as 一亿一百 is 100,000,100;
# cn2an reads only 二十五亿零一千, so the 零 is put back.
SKIPPED_WAN_GROUP = re.compile(r"([亿億])(?=[一二两三四五六七八九][千仟](?:[零一二两三四五六七八九][百佰十拾]?)*$)")
CN_DIGIT_VALUE = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0}
BIG_CN_UNITS = set("万萬亿億千仟")
# A trailing digit followed by one of these starts a new word ("八十万一次性…"), not "八十万一千".
WORD_AFTER_DIGIT = set("次起下共个天笔张人位名条遍趟回些直定样切般半时号岁年月周把批家")
# Counted things, not money ("三千个粉丝", "一万步").
COUNTER_AFTER = set("个人次条名位粉字件天年岁步页张台部单套份辆家只米斤公里楼层周月日号秒分小")

FOREIGN_CURRENCY = re.compile(r"美元|美金|港币|港元|澳元|欧元|日元|英镑|韩元|泰铢|比索|卢布|USDT|usdt|[Uu](?![A-Za-z])")


@dataclass(frozen=True)
class AmountMatch:
    """One amount expression found in a text: its span, the text as written and the exact value in fen."""

    start: int
    end: int
    raw: str
    fen: int


@lru_cache(maxsize=2048)  # cn2an is slow-ish and the desk re-reads the story on every keystroke
def _chinese_integer(text: str) -> int | None:
    """A Chinese (or mixed 1万2千) integer numeral, colloquial tails included: 两万三 = 23000, 一亿二 = 1.2亿."""
    text = re.sub(r"\d+", lambda digits: cn2an.an2cn(digits[0]), text)
    text = COLLOQUIAL_TAIL.sub(lambda m: m[1] + m[2] + NEXT_UNIT[m[1]], text)
    text = SKIPPED_WAN_GROUP.sub(r"\1零", text)
    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number_value(number: str) -> Decimal | None:
    if simple := ARABIC_SIMPLE.fullmatch(number):
        return Decimal(simple[1].replace(",", "")) * MULTIPLIERS[simple[2] or None]
    if "." in number or "," in number:
        return None
    if decimal := CN_DECIMAL.fullmatch(number):
        whole = _chinese_integer(decimal["int"])
        if whole is None:
            return None
        fraction = "".join(str(CN_DIGIT_VALUE[ch]) for ch in decimal["frac"])
        return Decimal(f"{whole}.{fraction}") * MULTIPLIERS[decimal["unit"] or None]
    value = _chinese_integer(number)
    return None if value is None else Decimal(value)


def _fen(match: re.Match) -> int | None:
    if len(match["number"]) > MAX_NUMBER_CHARS:
        return None
    with localcontext() as context:
        context.prec = DECIMAL_DIGITS  # the default 28 would round long amounts silently
        value = _number_value(match["number"])
        if value is None:
            return None
        fen = value * MULTIPLIERS[match["unit"]] * FEN_PER_YUAN
    return int(fen) if fen == fen.to_integral_value() else None


def parse_amount_fen(text: str) -> int | None:
    """The exact amount of one expression in fen (a bare number counts as 元), or None when it is not one."""
    match = AMOUNT.fullmatch(text.translate(FULL_WIDTH).strip())
    return None if match is None else _fen(match)


def _looks_like_money(text: str, match: re.Match) -> bool:
    if match["currency"] or match["yuan"]:
        return not (match["yuan"] == "块" and match["number"] == "一")  # "一块去" means together
    if FOREIGN_CURRENCY.match(text, match.end()):
        return False
    if not (match["unit"] or BIG_CN_UNITS.intersection(match["number"])):
        return False
    following = text[match.end():match.end() + 1]
    return following not in COUNTER_AFTER


def _trim_word_tail(text: str, match: re.Match) -> re.Match:
    """Give back a trailing digit that starts the next word: 八十万一次性 → 八十万."""
    number = match["number"]
    if match.end() != match.end("number") or not COLLOQUIAL_TAIL.search(number):
        return match
    if text[match.end():match.end() + 1] not in WORD_AFTER_DIGIT:
        return match
    return AMOUNT.match(text, match.start(), match.end() - 1) or match


def find_amounts(text: str) -> list[AmountMatch]:
    """Every amount expression in a story, in order (bare numbers without 元/万 are not amounts)."""
    return amounts_in(text, text.translate(FULL_WIDTH))


def amounts_in(text: str, ascii_text: str) -> list[AmountMatch]:
    """find_amounts for a text already folded with FULL_WIDTH (same length, so spans are shared)."""
    found = []
    for match in AMOUNT.finditer(ascii_text):
        match = _trim_word_tail(ascii_text, match)
        if match.start("number") > 0 and ascii_text[match.start("number") - 1] in "第.":
            continue
        if not _looks_like_money(ascii_text, match):
            continue
        fen = _fen(match)
        if fen is not None:
            start = match.start("number") if match["currency"] is None else match.start()
            found.append(AmountMatch(start, match.end(), text[start:match.end()], fen))
    return found
