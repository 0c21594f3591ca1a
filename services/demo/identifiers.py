"""Synthetic fraudster identifiers for the demo: phones, Luhn-valid bank cards, QQ/WeChat ids, URLs, apps."""

import numpy as np

from vocabulary import IdentifierKind

KIND_SHARES: dict[IdentifierKind, float] = {
    IdentifierKind.PHONE: 42,
    IdentifierKind.BANK_ACCOUNT: 36,
    IdentifierKind.WECHAT: 8,
    IdentifierKind.QQ: 6,
    IdentifierKind.URL: 5,
    IdentifierKind.APP: 3,
}
CARD_BINS: tuple[tuple[str, str, int], ...] = (
    ("622202", "中国工商银行", 19), ("621700", "中国建设银行", 19), ("622848", "中国农业银行", 19),
    ("621661", "中国银行", 19), ("622588", "招商银行", 16), ("622909", "兴业银行", 18),
)
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "156", "157", "158", "159", "166", "170", "171", "177", "180", "181", "185",
                   "186", "187", "188", "189", "191", "193", "195", "198", "199")
URL_DOMAINS = ("top", "xyz", "vip", "cc", "club", "app")
APP_NAMES = ("币安理财Pro", "众赢金融", "U米秒贷", "恒信证券", "趣兼职", "聚宝盆", "同城速配", "安全会议",
             "云上会议", "海外淘金", "星链投资", "快易贷")


def luhn_check_digits(bodies: np.ndarray) -> np.ndarray:
    """Luhn check digit for each row of a digit matrix (vectorised; tested against python-stdnum)."""
    reversed_digits = bodies[:, ::-1]
    doubled = reversed_digits[:, 0::2] * 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    total = doubled.sum(axis=1) + reversed_digits[:, 1::2].sum(axis=1)
    return (10 - total % 10) % 10


def _digits(rng: np.random.Generator, count: int, width: int) -> np.ndarray:
    return rng.integers(0, 10, size=(count, width))


def _join(prefix: str, digits: np.ndarray) -> list[str]:
    return [prefix + "".join(map(str, row)) for row in digits.tolist()]


def phones(count: int, rng: np.random.Generator) -> list[str]:
    """Mainland mobile numbers (11 digits, 1[3-9] prefixes)."""
    prefixes = np.array(MOBILE_PREFIXES)[rng.integers(0, len(MOBILE_PREFIXES), count)]
    rest = _digits(rng, count, 8)
    return [p + "".join(map(str, row)) for p, row in zip(prefixes.tolist(), rest.tolist(), strict=True)]


def bank_cards(count: int, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """Luhn-valid card numbers of real issuer prefixes, and the bank names."""
    choice = rng.integers(0, len(CARD_BINS), count)
    numbers, banks = [], []
    for index, (prefix, bank, length) in enumerate(CARD_BINS):
        rows = np.flatnonzero(choice == index)
        body = np.hstack([np.tile([int(c) for c in prefix], (len(rows), 1)), _digits(rng, len(rows), length - 7)])
        full = np.hstack([body, luhn_check_digits(body)[:, None]])
        numbers.extend(_join("", full))
        banks.extend([bank] * len(rows))
    return numbers, banks


def qq_numbers(count: int, rng: np.random.Generator) -> list[str]:
    """QQ numbers (5–11 digits, no leading zero)."""
    lengths = rng.integers(6, 12, count)
    values = rng.integers(10 ** (lengths - 1), 10**lengths - 1, dtype=np.int64)
    return [str(v) for v in values.tolist()]


def wechat_ids(count: int, rng: np.random.Generator) -> list[str]:
    """WeChat ids: a letter then 5–19 letters, digits, underscores or hyphens (lower-cased)."""
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    alphabet = np.array(list("abcdefghijklmnopqrstuvwxyz0123456789_"))
    heads = letters[rng.integers(0, 26, count)]
    bodies = alphabet[rng.integers(0, len(alphabet), (count, 9))]
    return [h + "".join(b) for h, b in zip(heads.tolist(), bodies.tolist(), strict=True)]


def urls(count: int, rng: np.random.Generator) -> list[str]:
    """Phishing-style URLs (normalised: lower case, no trailing slash)."""
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz0123456789"))
    hosts = letters[rng.integers(0, len(letters), (count, 8))]
    tlds = np.array(URL_DOMAINS)[rng.integers(0, len(URL_DOMAINS), count)]
    return [f"http://{''.join(h)}.{t}/login" for h, t in zip(hosts.tolist(), tlds.tolist(), strict=True)]


def apps(count: int, rng: np.random.Generator) -> list[str]:
    """Fraud app names with a version suffix so most are distinct."""
    names = np.array(APP_NAMES)[rng.integers(0, len(APP_NAMES), count)]
    return [f"{n}{i % 97}" for i, n in enumerate(names.tolist())]


def identifier_pool(count: int, rng: np.random.Generator) -> list[tuple[str, str, str | None]]:
    """count distinct (kind, value_norm, bank_name) fraudster identifiers, shuffled."""
    kinds = list(KIND_SHARES)
    shares = np.array([KIND_SHARES[k] for k in kinds])
    per_kind = rng.multinomial(count, shares / shares.sum())
    pool: dict[tuple[str, str], str | None] = {}
    makers = {
        IdentifierKind.PHONE: phones, IdentifierKind.QQ: qq_numbers, IdentifierKind.WECHAT: wechat_ids,
        IdentifierKind.URL: urls, IdentifierKind.APP: apps,
    }
    for kind, n in zip(kinds, per_kind.tolist(), strict=True):
        if kind is IdentifierKind.BANK_ACCOUNT:
            numbers, banks = bank_cards(n, rng)
            pool.update({(kind.value, v): b for v, b in zip(numbers, banks, strict=True)})
        else:
            pool.update({(kind.value, v): None for v in makers[kind](n, rng)})
    entries = [(k, v, b) for (k, v), b in pool.items()]
    order = rng.permutation(len(entries))
    return [entries[i] for i in order.tolist()]


def reuse_indices(count: int, pool_size: int, rng: np.random.Generator) -> np.ndarray:
    """Which pool entry each use takes: Zipf-like, so a few identifiers recur across many cases (hot leads)."""
    ranks = np.arange(1, pool_size + 1, dtype=float)
    weights = ranks**-0.6
    return rng.choice(pool_size, size=count, p=weights / weights.sum())
