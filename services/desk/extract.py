"""Pull phones, accounts, 身份证号, URLs, QQ/WeChat ids, app names and amounts out of a caller's story."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from services.desk.amounts import FULL_WIDTH, AmountMatch, amounts_in
from services.desk.identifiers import bank_card_luhn_ok, is_suspicious_phone, normalise, normalise_phone
from vocabulary import IdentifierKind

NOTE_LUHN = "卡号校验位不符（可能为对公账户）"
NOTE_SUSPICIOUS_PHONE = "疑似改号或境外号码"

# Issuer prefixes (BIN) of cards most often seen in reports; the officer confirms the bank anyway.
CARD_BINS: dict[str, str] = {
    "622202": "中国工商银行",
    "621700": "中国建设银行",
    "622848": "中国农业银行",
    "621661": "中国银行",
    "622588": "招商银行",
    "622909": "兴业银行",
    "622262": "交通银行",
    "621799": "中国邮政储蓄银行",
}

_B = r"(?<![0-9A-Za-z_+])"  # not inside a longer number or word
_E = r"(?![0-9A-Za-z_])"
_SEP = r"(?: ?- ?| {1,2})"  # between digit groups: "138-1234-5678", "6222 0212 3456"
_STOP = r"\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef<>\"'“”‘’《》（）()\[\]{}"
_TLDS = ("com|cn|net|org|top|xyz|vip|cc|club|app|info|shop|site|online|link|live|co|me|io|tk|icu|fun|ltd|wang|"
         "work|pro|biz|asia|hk|tw|la|ws|bet|store|tech|cloud|website|space|win|loan|mobi|tv|pw|one|life")
_QUOTED = r"[《“\"「『](?P<value>[^《》“”\"「」『』\n]{1,30})[》”\"」』]"
_APP_WORD = r"(?:APP|App|app|软件|客户端)"
_FILLER = r"(?:了|过|另一|一个|个|一款|款|名为|名叫|叫做|叫|的)*"

URL_PATTERNS = (
    re.compile(rf"(?i)(?:https?://|www\.)[^{_STOP}]+"),
    re.compile(rf"(?i)(?<![A-Za-z0-9.@_\-/])(?:[a-z0-9](?:[a-z0-9\-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})"
               rf"(?![A-Za-z0-9\-])(?::\d{{2,5}})?(?:/[^{_STOP}]*)?"),
)
ID_PATTERN = re.compile(rf"{_B}[1-9]\d{{5}} ?(?:18|19|20)\d{{2}} ?\d{{4}} ?\d{{3}}[\dXx]{_E}", re.ASCII)
SPACES_IN_NUMBER = re.compile(r"\s+")
# An ID-shaped number the story names as a 身份证号: with a mistyped check digit it is still no bank account.
NAMED_ID_PATTERN = re.compile(rf"(?:身份证件?|公民身份)(?:号码|号)?\s*(?:是|为)?[ :：（(]*(?P<value>{ID_PATTERN.pattern})",
                              re.ASCII)
QQ_PATTERN = re.compile(r"(?<![A-Za-z])(?:[Qq]{2}|扣扣|企鹅)(?:号码|号)?(?:是|为)?[ :：]*(?P<value>[1-9]\d{4,10})(?!\d)",
                        re.ASCII)
WECHAT_PATTERNS = (
    re.compile(r"(?:微信|薇信|威信|[VvWw]信)(?:号|ID|id)?(?:是|为)?[ :：]*(?P<value>[A-Za-z][A-Za-z0-9_\-]{5,19})"
               r"(?![A-Za-z0-9_\-])"),
    re.compile(r"(?<![A-Za-z])(?:[Vv][Xx]|[Ww][Xx])(?:号[ :：]*|[ :：]+)(?P<value>[A-Za-z][A-Za-z0-9_\-]{5,19})"
               r"(?![A-Za-z0-9_\-])"),
    re.compile(r"(?<![A-Za-z0-9_])(?P<value>wxid_[A-Za-z0-9_\-]{4,15})(?![A-Za-z0-9_\-])"),
)
# Numbers written with + or brackets or a 00 prefix; a 00 never continues a digit group ("6217 0098 1110 04").
PREFIXED_PHONE = re.compile(
    _B + r"(?:\(?\+\d{1,4}\)?|\((?:00)?86\)|(?<!\d[ \-])00[1-9]\d{0,2}|\(0\d{2,3}\))"
    rf"(?:{_SEP}?\(0?\d{{2,4}}\))?(?:{_SEP}?\d+)+{_E}",
    re.ASCII,
)
# Plain digit runs, possibly in groups; cut into phones and accounts by _best_split.
DIGIT_CHAIN = re.compile(rf"{_B}\d+(?:{_SEP}\d+)*{_E}", re.ASCII)
DIGIT_GROUP = re.compile(r"\d+", re.ASCII)
NON_DIGITS = re.compile(r"\D", re.ASCII)
MAX_GROUPS_PER_IDENTIFIER = 8
UNREAD_GROUP_COST = 1.0  # digits grouped with others are rarely nothing: "6222 0200 0000 000" is one account
UNEVEN_GROUPS_COST = 0.5  # "18 6222020000000007" is less likely one account than the tail of one and another
CARD_LENGTHS = range(16, 20)
ACCOUNT_LENGTHS = range(12, 31)
PHONE_LENGTHS = range(7, 16)
KNOWN_APPS_FILE = Path(__file__).with_name("known_apps.txt")


def _known_apps() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(apps recognised wherever named, platforms recognised only as the app named before APP/软件), longest first."""
    alone: set[str] = set()
    platforms: set[str] = set()
    section = alone
    for line in KNOWN_APPS_FILE.read_text(encoding="utf-8").splitlines():
        name = line.strip()
        if name == "[platforms]":
            section = platforms
        elif name and not name.startswith("#"):
            section.add(name)
    by_length = lambda names: tuple(sorted(names, key=len, reverse=True))  # noqa: E731
    return by_length(alone), by_length(platforms)


NAMED_ALONE_APPS, PLATFORM_APPS = _known_apps()
KNOWN_APPS = NAMED_ALONE_APPS + PLATFORM_APPS
# Words that say what kind of app it is, or whose it is, but do not name one: "会议软件" is not an app called 会议.
GENERIC_APP_WORDS = frozenset((
    "会议", "视频", "视频会议", "语音", "聊天", "通讯", "社交", "交友", "直播", "游戏", "购物", "办公", "屏幕", "共享",
    "屏幕共享", "共享屏幕", "远程", "远程控制", "远程协助", "控制", "协助", "安全防护", "防护", "杀毒", "防骗",
    "反诈", "贷款", "网贷", "借贷", "借款", "小额贷款", "刷单", "兼职", "返利", "投资", "理财", "炒股", "股票",
    "证券", "基金", "期货", "外汇", "博彩", "彩票", "虚拟货币", "数字货币", "区块链", "金融", "支付", "银行",
    "客服", "官方", "正规", "指定", "专用", "内部", "新", "新的", "其他", "别的", "相关", "手机", "我们", "他们",
    "你们", "我", "他", "她", "对方", "人家", "自己", "一个", "一款", "个", "款", "这个", "那个", "这款", "那款",
    "某", "某个", "一下", "什么", "某某", "陌生", "第三方", "加密", "下载", "安装", "注册", "的",
    "我们的官方", "虚假贷款", "业务", "贷款业务", "平台", "软件", "英文", "聊天软件", "约炮", "理财软件", "工作",
    "APP", "App", "app", "浏览器", "程序", "外国", "不知名", "理赔",
))
# cut after a name ("工银E贷手机APP" → 工银E贷); 证券/聊天 may end one (源盛证券)
_TRAILING_GENERIC = frozenset(("贷款", "软件", "平台", "业务", "手机", "刷单", "约炮"))
# Words around a name that are not part of it ("下载了一款叫事密达", "并注册大聪网络科技"): the name starts after the last.
# A second 下载/安装 inside ("安装包田点击下载聊天APP"): the name is after it.
_NAME_LEAD = re.compile(r"(?:名字叫|叫做|名叫|名为|改名|一款|一个|之后|然后|下载|安装|叫|款|了|在|和|及|并|后|就)")
# A name never holds these (pronouns, "对方", verbs and words of the story, how many): "注册后我在该" is not an app, nor
# "按照", "上述", "对方提供的", "涉诈", "个人信息", "两个".
_NOT_IN_NAME = re.compile(r"[我你他她它该这那们是让对把被给说称]|对方|登录|登陆|关注|按照|上述|提供|进去|里面|可以|用于"
                          r"|网址|诈骗|涉诈|虚假|正规|人信息|[两几多]个")
_GENERIC_LONGEST = max(map(len, GENERIC_APP_WORDS))
_APP_WORD_AT_END = re.compile(r"\s*(?:APP|App|app|软件|客户端)$")
# A name a news report masked: 微*, **资本, and in a Chinese name XX 会议, 腾 X 会议 (X standing alone); "X" or "Foxx" is
# a name.
_MASK_MARKS = re.compile(r"[*＊×]")
_MASK_X = re.compile(r"(?<![A-Za-z])[Xx]+(?![A-Za-z])")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
APP_PATTERNS = (
    re.compile(rf"(?:下载|安装|注册|{_APP_WORD}){_FILLER}\s*{_QUOTED}"),
    re.compile(rf"{_QUOTED}\s*(?:这个|这款)?\s*(?:{_APP_WORD}|平台)"),
)
UNQUOTED_APP = re.compile(rf"(?:下载|安装|注册){_FILLER}(?P<value>[\u4e00-\u9fffA-Za-z0-9]{{2,12}}?)的?{_APP_WORD}")
KNOWN_APP = re.compile("(?<![A-Za-z0-9])(?P<value>" + "|".join(map(re.escape, KNOWN_APPS)) + ")(?![A-Za-z0-9])")
KNOWN_APP_ALONE = re.compile("(?<![A-Za-z0-9])(?P<value>" + "|".join(map(re.escape, NAMED_ALONE_APPS))
                             + ")(?![A-Za-z0-9])")
AMOUNT_CUES = re.compile(
    r"(?P<lost>被骗|骗走|骗了|损失|转了|已转|汇了|已汇|付了|交了|充了|充值了|转账了|打了|转过去)"
    r"|(?P<pending>准备|要转|还要|将要|打算|想转|正要|马上要|要交|要付|需要交|需要转|需交|需转|让我转|让我交|让我再)"
)
CUE_WINDOW = 12
SENTENCE_END = re.compile(r"[。！？!?；;\n]")
CLAUSE_END = re.compile(r"[，,]")
TRAILING_PUNCT = ".,;:!?)]}'\"-"


@dataclass(frozen=True)
class Found:
    """An identifier found in the text: what was written, its normalised value, where, and a note for the officer."""

    kind: IdentifierKind
    raw: str
    value_norm: str
    start: int
    end: int
    note: str | None = None
    bank: str | None = None


@dataclass
class Extraction:
    """Everything proposed from one story; identifiers in text order, amounts by role (lost, pending, other)."""

    identifiers: list[Found] = field(default_factory=list)
    # Personal data offered as no lead (an ID number named as one, with a mistyped check digit): masked all the same.
    withheld: list[Found] = field(default_factory=list)
    # Every identifier and withheld number where the story has it, repeats included: what masking must cover.
    spans: list[Found] = field(default_factory=list)
    lost: list[AmountMatch] = field(default_factory=list)
    pending: list[AmountMatch] = field(default_factory=list)
    other: list[AmountMatch] = field(default_factory=list)

    def of_kind(self, kind: IdentifierKind | str) -> list[Found]:
        return [found for found in self.identifiers if found.kind == kind]

    def amounts(self) -> list[tuple[str, AmountMatch]]:
        """(role, amount) in text order; role is "lost", "pending" or "other"."""
        tagged = [("lost", a) for a in self.lost] + [("pending", a) for a in self.pending] + \
                 [("other", a) for a in self.other]
        return sorted(tagged, key=lambda pair: pair[1].start)

    @property
    def phones(self) -> list[Found]:
        return self.of_kind(IdentifierKind.PHONE)

    @property
    def bank_accounts(self) -> list[Found]:
        return self.of_kind(IdentifierKind.BANK_ACCOUNT)

    @property
    def id_cards(self) -> list[Found]:
        return self.of_kind(IdentifierKind.ID_CARD)

    @property
    def urls(self) -> list[Found]:
        return self.of_kind(IdentifierKind.URL)

    @property
    def qq(self) -> list[Found]:
        return self.of_kind(IdentifierKind.QQ)

    @property
    def wechat(self) -> list[Found]:
        return self.of_kind(IdentifierKind.WECHAT)

    @property
    def apps(self) -> list[Found]:
        return self.of_kind(IdentifierKind.APP)


class _Reader:
    """Reads identifiers kind by kind in priority order; a span taken by one kind cannot be taken by another."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[Found] = []
        self.withheld: list[Found] = []
        self.taken = bytearray(len(text))

    def free(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, end) == -1

    def add(self, kind: IdentifierKind, start: int, end: int, note: str | None = None, bank: str | None = None,
            value: str | None = None) -> int | None:
        """Take the span as an identifier if it is free and valid; the end of the span taken, else None."""
        if start >= end or not self.free(start, end):
            return None
        value = value or normalise(kind, self.text[start:end])
        if value is None:
            return None
        self.taken[start:end] = b"\x01" * (end - start)
        self.found.append(Found(kind, self.text[start:end], value, start, end, note, bank))
        return end

    def set_aside(self, kind: IdentifierKind, start: int, end: int) -> int:
        """Keep the span from every reader and offer it as no lead; it is still personal data of that kind."""
        self.taken[start:end] = b"\x01" * (end - start)
        raw = self.text[start:end]
        self.withheld.append(Found(kind, raw, SPACES_IN_NUMBER.sub("", raw).upper(), start, end))
        return end

    def scan(self, pattern: re.Pattern[str], read: "Read") -> None:
        position = 0
        while (match := pattern.search(self.text, position)) is not None:
            # Candidates may overlap: after a refused one, look again one character on.
            position = read(self, match) or match.start() + 1


Read = Callable[[_Reader, re.Match[str]], int | None]


@dataclass(frozen=True)
class _Piece:
    """A run of digit groups read as one phone or account, and how well it fits."""

    start: int
    end: int
    kind: IdentifierKind
    value: str
    score: float


def _value_span(match: re.Match[str]) -> tuple[int, int]:
    group = "value" if "value" in match.re.groupindex else 0
    return match.start(group), match.end(group)


def _reader_of(kind: IdentifierKind) -> Read:
    return lambda reader, match: reader.add(kind, *_value_span(match))


def generic_app_name(name: str) -> bool:
    """Whether a would-be app name is only generic words ("会议", "官方贷款", "我们指定的") and names no app."""
    reachable = [True] + [False] * len(name)  # reachable[i]: name[:i] splits into generic words
    for i in range(len(name)):
        if reachable[i]:
            for j in range(i + 1, min(len(name), i + _GENERIC_LONGEST) + 1):
                reachable[j] = reachable[j] or name[i:j] in GENERIC_APP_WORDS
    return reachable[len(name)]


def _trim_generic(name: str) -> tuple[int, int]:
    """Offsets of the name without generic words before or after it ("贷款工商信贷" → 工商信贷, "招联金融贷款" → 招联金融)."""
    start, end = 0, len(name)
    for word in sorted(GENERIC_APP_WORDS, key=len, reverse=True):
        if name[start:end].startswith(word) and end - start - len(word) >= 2:
            start += len(word)
        if word in _TRAILING_GENERIC and name[start:end].endswith(word) and end - start - len(word) >= 2:
            end -= len(word)
    return start, end


def _masked(name: str) -> bool:
    return bool(_MASK_MARKS.search(name) or (_CHINESE.search(name) and _MASK_X.search(name)))


def _read_quoted_app(reader: _Reader, match: re.Match[str]) -> int | None:
    """A name in quotes ("“瞩目”APP"), without an APP word inside the quotes; generic words ("“安全防护”这个软件") and
    names a report masked ("腾 X 会议", "**资本") name no app the officer could look up."""
    start, end = _value_span(match)
    end = start + len(_APP_WORD_AT_END.sub("", reader.text[start:end]))
    name = reader.text[start:end]
    if _masked(name) or generic_app_name(name.replace(" ", "")):
        return None
    return reader.add(IdentifierKind.APP, start, end)


def _read_unquoted_app(reader: _Reader, match: re.Match[str]) -> int | None:
    """A proper name before APP/软件 ("安全会议APP"); a known app's name is kept, generic words are not."""
    start, end = _value_span(match)
    value = match["value"]
    for known in KNOWN_APP.finditer(value):  # "下载了腾讯会议软件" is 腾讯会议 even with words around it
        return reader.add(IdentifierKind.APP, start + known.start(), start + known.end())
    cut = value.rfind("的") + 1  # "他们指定的安全会议": the name is after the last 的
    leads = list(_NAME_LEAD.finditer(value, cut))
    cut = leads[-1].end() if leads else cut
    head, tail = _trim_generic(value[cut:])
    name = value[cut + head:cut + tail]
    if len(name) < 2 or generic_app_name(name) or _NOT_IN_NAME.search(name):
        return None
    return reader.add(IdentifierKind.APP, start + cut + head, start + cut + tail)


def _read_id(reader: _Reader, match: re.Match[str]) -> int | None:
    """An ID number; one ending in X whose check digit is wrong is no account either: withheld (masked, no lead)."""
    start, end = match.span()
    if (taken := reader.add(IdentifierKind.ID_CARD, start, end)) is not None or match[0][-1] not in "Xx":
        return taken
    return reader.set_aside(IdentifierKind.ID_CARD, start, end)


def _read_named_id(reader: _Reader, match: re.Match[str]) -> int | None:
    """身份证号 followed by an ID-shaped number: an ID card when it checks out, otherwise set aside, never an account."""
    start, end = _value_span(match)
    if not reader.free(start, end):  # read already, as a valid ID number
        return None
    return reader.add(IdentifierKind.ID_CARD, start, end) or reader.set_aside(IdentifierKind.ID_CARD, start, end)


def _read_url(reader: _Reader, match: re.Match[str]) -> int | None:
    raw = match[0].rstrip(TRAILING_PUNCT)
    return reader.add(IdentifierKind.URL, match.start(), match.start() + len(raw))


def _read_prefixed_phone(reader: _Reader, match: re.Match[str]) -> int | None:
    """The longest leading part that is a phone number ("+86 138 1234 5678 6222…" stops before the card)."""
    start = match.start()
    for group in reversed(list(DIGIT_GROUP.finditer(reader.text, start, match.end()))):
        raw = reader.text[start:group.end()].rstrip(")")
        if (phone := normalise_phone(raw)) is not None:
            note = NOTE_SUSPICIOUS_PHONE if is_suspicious_phone(raw) else None
            return reader.add(IdentifierKind.PHONE, start, start + len(raw), note, value=phone)
    return None


def _mainland_phone(raw: str, digits: str) -> str | None:
    """A mainland number written in full (landlines with their 0 area code), perhaps after 86 or 0086."""
    phone = normalise_phone(raw)
    if phone is None or phone.startswith("+"):
        return None
    national = phone.removeprefix("0")
    return phone if digits in (phone, f"86{national}", f"0086{national}") else None


def _piece(reader: _Reader, start: int, end: int) -> _Piece | None:
    """What the digits from start to end would be: a mainland phone, a card (Luhn-valid), another account, or None."""
    raw = reader.text[start:end]
    digits = NON_DIGITS.sub("", raw)
    coverage = len(digits) / 100  # of two readings with equal weight, prefer the one leaving fewer digits unread
    if len(digits) in PHONE_LENGTHS and (phone := _mainland_phone(raw, digits)) is not None:
        return _Piece(start, end, IdentifierKind.PHONE, phone, (3 if phone[0] == "1" else 2) + coverage)
    if len(digits) in ACCOUNT_LENGTHS:
        card = len(digits) in CARD_LENGTHS and digits[0] != "0" and bank_card_luhn_ok(digits)  # no card starts with 0
        fit = (3 if card else 1) + coverage - (0 if _evenly_grouped(raw) else UNEVEN_GROUPS_COST)
        return _Piece(start, end, IdentifierKind.BANK_ACCOUNT, digits, fit)
    return None


def _evenly_grouped(raw: str) -> bool:
    """Groups of one size with a shorter last one, as accounts are written ("6222 0212 3456 7890 128")."""
    *body, last = map(len, DIGIT_GROUP.findall(raw))
    return len(set(body)) <= 1 and (not body or last <= body[0])


def _best_split(reader: _Reader, groups: list[tuple[int, int]]) -> list[_Piece]:
    """Cut digit groups into the best-fitting phones and accounts (dynamic programming over group boundaries).

    "6222 0200 0000 0007 130-0000-0000" is a card and a mobile, "13812345678 13987654321" two mobiles.
    """
    best: list[tuple[float, list[_Piece]]] = [(0.0, [])] * (len(groups) + 1)
    for i in range(len(groups) - 1, -1, -1):
        choice = (best[i + 1][0] - UNREAD_GROUP_COST, best[i + 1][1])
        for j in range(i + 1, min(len(groups), i + MAX_GROUPS_PER_IDENTIFIER) + 1):
            if not reader.free(groups[i][0], groups[j - 1][1]):
                break
            piece = _piece(reader, groups[i][0], groups[j - 1][1])
            if piece is not None and piece.score + best[j][0] > choice[0]:
                choice = (piece.score + best[j][0], [piece, *best[j][1]])
        best[i] = choice
    return best[0][1]


def _read_digit_chain(reader: _Reader, match: re.Match[str]) -> int | None:
    groups = [group.span() for group in DIGIT_GROUP.finditer(reader.text, match.start(), match.end())]
    for piece in _best_split(reader, groups):
        if piece.kind is IdentifierKind.PHONE:
            reader.add(piece.kind, piece.start, piece.end, value=piece.value)
        else:
            note = None if bank_card_luhn_ok(piece.value) else NOTE_LUHN
            reader.add(piece.kind, piece.start, piece.end, note, CARD_BINS.get(piece.value[:6]), piece.value)
    return match.end()


# Priority order: an earlier reader's span is never re-read as something else (digits in a URL are not a phone,
# an ID number is not a bank card, digits after "QQ" are a QQ number).
READERS: tuple[tuple[re.Pattern[str], Read], ...] = (
    *((pattern, _read_url) for pattern in URL_PATTERNS),
    (ID_PATTERN, _read_id),
    (NAMED_ID_PATTERN, _read_named_id),
    (QQ_PATTERN, _reader_of(IdentifierKind.QQ)),
    *((pattern, _reader_of(IdentifierKind.WECHAT)) for pattern in WECHAT_PATTERNS),
    (PREFIXED_PHONE, _read_prefixed_phone),
    (DIGIT_CHAIN, _read_digit_chain),
    *((pattern, _read_quoted_app) for pattern in APP_PATTERNS),
    (UNQUOTED_APP, _read_unquoted_app),
    (KNOWN_APP_ALONE, _reader_of(IdentifierKind.APP)),
)


def _role(text: str, amount: AmountMatch, previous_end: int) -> str:
    """lost/pending from the nearest cue shortly before, in the same sentence; else other.

    Across a comma the cue only reaches the first amount after it: "被骗了，一共12万元" is lost, but in
    "准备转八十万，说一点二万元是手续费" only 八十万 is pending.
    """
    cues = list(AMOUNT_CUES.finditer(text, max(0, amount.start - CUE_WINDOW), amount.start))
    if not cues:
        return "other"
    nearest = cues[-1]
    if SENTENCE_END.search(text, nearest.end(), amount.start):
        return "other"
    if previous_end > nearest.end() and CLAUSE_END.search(text, nearest.end(), amount.start):
        return "other"
    return nearest.lastgroup or "other"


def _dedupe(found: list[Found]) -> list[Found]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in sorted(found, key=lambda f: f.start):
        if (item.kind, item.value_norm) not in seen:
            seen.add((item.kind, item.value_norm))
            unique.append(item)
    return unique


def extract(text: str) -> Extraction:
    """Identifiers and amounts in a story, for the officer to confirm one by one (nothing is filled silently)."""
    ascii_text = text.translate(FULL_WIDTH)
    reader = _Reader(ascii_text)
    for pattern, read in READERS:
        reader.scan(pattern, read)
    # Report what the officer typed, not its ASCII folding (same length, so the spans agree).
    found = [Found(f.kind, text[f.start:f.end], f.value_norm, f.start, f.end, f.note, f.bank) for f in reader.found]
    withheld = [Found(f.kind, text[f.start:f.end], f.value_norm, f.start, f.end) for f in reader.withheld]
    result = Extraction(identifiers=_dedupe(found), withheld=withheld,
                        spans=sorted(found + withheld, key=lambda f: f.start))
    previous_end = -1
    for amount in amounts_in(text, ascii_text):
        if reader.free(amount.start, amount.end):
            getattr(result, _role(ascii_text, amount, previous_end)).append(amount)
            previous_end = amount.end
    return result
