"""Synthetic, seed-deterministic demo records: cases, desk calls, identifiers, interceptions, activities."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from services.shared.timeutil import SHANGHAI
from vocabulary import (
    ECONOMIC_STATUSES,
    EDUCATION_LEVELS,
    FRAUD_TYPE_SHARES,
    OCCUPATIONS,
    ActivityChannel,
    CallOutcome,
    CallType,
    CaseStatus,
    ContactChannel,
    FraudType,
    Gender,
    Outreach,
    PaymentChannel,
)

MONTHS_OF_HISTORY = 13
HOUR_WEIGHTS = np.array(
    [0.3, 0.2, 0.15, 0.1, 0.1, 0.15, 0.3, 0.6, 1.0, 1.4, 1.5, 1.4,
     1.1, 1.1, 1.3, 1.4, 1.4, 1.3, 1.1, 1.1, 1.2, 1.1, 0.8, 0.5]
)
WEEKDAY_WEIGHTS = np.array([1.12, 1.05, 1.02, 1.0, 1.0, 0.9, 0.88])

# Median loss (元) and log-spread per type: investment and impersonation cost most per case.
LOSS_PARAMETERS: dict[FraudType, tuple[float, float]] = {
    FraudType.REBATE: (9_000, 1.4),
    FraudType.FAKE_CUSTOMER_SERVICE: (11_000, 1.4),
    FraudType.INVESTMENT: (50_000, 1.6),
    FraudType.LOAN_CARD: (4_500, 1.2),
    FraudType.CREDIT_RECORD: (18_000, 1.4),
    FraudType.SHOPPING_SERVICE: (2_000, 1.3),
    FraudType.FAKE_AUTHORITY: (45_000, 1.6),
    FraudType.FAKE_ACQUAINTANCE: (25_000, 1.35),
    FraudType.GAME_TRADE: (2_000, 1.25),
    FraudType.ROMANCE: (35_000, 1.65),
    FraudType.NET_BLACKMAIL: (4_000, 1.25),
    FraudType.FAKE_MILITARY_PURCHASE: (6_000, 1.25),
}
MIN_LOSS_YUAN = 50
MAX_LOSS_YUAN = 50_000_000

# Victim ages (公安部 2023): 18–40 62.1%, 41–65 33.1%; the rest under 18 or over 65.
AGE_BANDS = ((12, 17, 0.020), (18, 40, 0.621), (41, 65, 0.331), (66, 88, 0.028))

CALLS_PER_CASE = 0.9
CASES_REPORTED_VIA_DESK = 0.3
INTERCEPTIONS_PER_CASE = 0.06
UNLOCATED_SHARE = 0.03
ACTIVITIES_PER_STATION_MONTH = 6

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉鑫宇欣怡梓涵子轩浩然婷雪梅")
SUMMARY_TEMPLATES: dict[FraudType, str] = {
    FraudType.REBATE: "受害人通过{channel}被拉入兼职刷单群，按要求垫付资金做任务，前期小额返利后被要求连续充值，无法提现。",
    FraudType.FAKE_CUSTOMER_SERVICE: "受害人接到自称快递/电商客服来电，称快递丢失可理赔，按对方指引下载会议软件并转账。",
    FraudType.INVESTMENT: "受害人经{channel}结识网友，被推荐虚假投资平台，前期小额盈利后大额投入，平台无法提现。",
    FraudType.LOAN_CARD: "受害人急需贷款，下载虚假贷款APP，被以解冻费、保证金名义多次转账。",
    FraudType.CREDIT_RECORD: "受害人接到自称金融平台客服来电，称需注销校园贷否则影响征信，被诱导贷款后转入指定账户。",
    FraudType.SHOPPING_SERVICE: "受害人在{channel}看到低价商品，私下转账付款后对方失联。",
    FraudType.FAKE_AUTHORITY: "受害人接到自称公安机关来电，称其涉嫌洗钱，要求将资金转入“安全账户”配合调查。",
    FraudType.FAKE_ACQUAINTANCE: "受害人被冒充领导的微信/QQ添加，对方以急需用钱为由要求转账。",
    FraudType.GAME_TRADE: "受害人在游戏中交易装备账号，被引导至虚假交易平台付款后无法到账。",
    FraudType.ROMANCE: "受害人经婚恋交友平台结识对象，确立恋爱关系后被以各种理由索要钱款（杀猪盘）。",
    FraudType.NET_BLACKMAIL: "受害人在网络黑产中介办理业务，被以手续费、保证金名义骗取钱款。",
    FraudType.FAKE_MILITARY_PURCHASE: "受害人接到冒充部队采购人员来电，被以垫付货款名义骗取钱款。",
}
BANK_BRANCH_BANKS = ("中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "兴业银行", "漳州农商银行")


@dataclass(frozen=True)
class DemoSpec:
    """What to generate: how many cases, from which seed, ending at which instant."""

    cases: int
    seed: int
    anchor: datetime


@dataclass(frozen=True)
class StationInfo:
    """What the generator needs of a station: id, code, weight, polygon and its district code."""

    unit_id: int
    code: str
    name: str
    district_code: str
    population: int
    geometry: object


def history_start(anchor: datetime) -> datetime:
    """The first instant of the demo: 00:00 Beijing time, 13 months before the anchor's month start."""
    local = anchor.astimezone(SHANGHAI)
    year, month = local.year, local.month - MONTHS_OF_HISTORY + 1
    while month <= 0:
        month += 12
        year -= 1
    return datetime(year, month, 1, tzinfo=SHANGHAI).astimezone(UTC)


def _day_weights(days: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    progress = np.linspace(0, 1, len(days))
    trend = 1.15 - 0.25 * progress  # campaigns slowly push incidents down
    weekday = WEEKDAY_WEIGHTS[days.day_of_week]
    shopping_festival = 1 + 0.35 * np.exp(-(((days.month == 11) * (days.day - 11)) ** 2) / 18.0) * (days.month == 11)
    noise = rng.gamma(25, 1 / 25, len(days))
    return trend * weekday * shopping_festival * noise


def sample_times(count: int, start: datetime, anchor: datetime, rng: np.random.Generator) -> np.ndarray:
    """count instants in [start, anchor) following the daily and weekly rhythm, as UTC datetime64[us], sorted."""
    local_start = pd.Timestamp(start).tz_convert(SHANGHAI)
    local_end = pd.Timestamp(anchor).tz_convert(SHANGHAI)
    hours = pd.date_range(local_start, local_end.floor("h"), freq="h")
    days = hours.floor("D").normalize()
    unique_days = days.unique()
    day_weight = pd.Series(_day_weights(unique_days, rng), index=unique_days)
    weights = day_weight.reindex(days).to_numpy() * HOUR_WEIGHTS[hours.hour]
    elapsed_last = (local_end - hours[-1]) / pd.Timedelta(hours=1)
    weights[-1] *= elapsed_last
    chosen = rng.choice(len(hours), size=count, p=weights / weights.sum())
    width = np.ones(count)
    width[chosen == len(hours) - 1] = elapsed_last
    offsets_us = (rng.random(count) * width * 3_600_000_000).astype("int64")
    base_us = hours.tz_convert("UTC").tz_localize(None).to_numpy().astype("datetime64[us]").astype("int64")
    stamps = np.sort(base_us[chosen] + offsets_us)
    return stamps.astype("datetime64[us]")


def sample_fraud_types(count: int, rng: np.random.Generator) -> np.ndarray:
    """Fraud type codes following the real 2022 shares."""
    types = list(FRAUD_TYPE_SHARES)
    shares = np.array([FRAUD_TYPE_SHARES[t] for t in types])
    return np.array([t.value for t in types], dtype=object)[rng.choice(len(types), size=count, p=shares / shares.sum())]


def sample_losses_fen(fraud_types: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Heavy-tailed (log-normal by type) losses in fen, rounded to whole 元 or 百元."""
    median = np.empty(len(fraud_types))
    sigma = np.empty(len(fraud_types))
    for fraud_type, (med, sig) in LOSS_PARAMETERS.items():
        mask = fraud_types == fraud_type.value
        median[mask], sigma[mask] = med, sig
    yuan = np.exp(np.log(median) + sigma * rng.standard_normal(len(fraud_types)))
    yuan = np.clip(yuan, MIN_LOSS_YUAN, MAX_LOSS_YUAN)
    round_hundreds = rng.random(len(yuan)) < 0.4
    yuan = np.where(round_hundreds, np.round(yuan / 100) * 100, np.round(yuan))
    return np.maximum(yuan, MIN_LOSS_YUAN).astype(np.int64) * 100


def sample_ages(count: int, rng: np.random.Generator) -> np.ndarray:
    """Victim ages by the 公安部 2023 bands (mean about 37)."""
    band = rng.choice(len(AGE_BANDS), size=count, p=[b[2] for b in AGE_BANDS])
    low = np.array([b[0] for b in AGE_BANDS])[band]
    high = np.array([b[1] for b in AGE_BANDS])[band]
    mode = np.where(band == 1, 28, np.where(band == 2, 45, (low + high) / 2))
    return np.round(_triangular(low, mode, high, rng)).astype(int)


def _triangular(low: np.ndarray, mode: np.ndarray, high: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    u = rng.random(len(low))
    span = high - low
    cut = (mode - low) / span
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1 - u) * span * (high - mode))
    return np.where(u < cut, left, right)


def sample_names(count: int, rng: np.random.Generator) -> list[str]:
    """Synthetic Chinese names (personal data the app must mask)."""
    surname = rng.integers(0, len(SURNAMES), count)
    first = rng.integers(0, len(GIVEN), count)
    second = rng.integers(-len(GIVEN), len(GIVEN), count)  # negative: one-character given name
    return [
        SURNAMES[s] + GIVEN[f] + (GIVEN[g] if g >= 0 else "")
        for s, f, g in zip(surname.tolist(), first.tolist(), second.tolist(), strict=True)
    ]


def _choice(values, count: int, rng: np.random.Generator, p=None) -> np.ndarray:
    values = np.array([str(v) for v in values], dtype=object)
    if p is not None:
        p = np.asarray(p, dtype=float) / np.sum(p)
    return values[rng.choice(len(values), size=count, p=p)]


def assign_stations(count: int, stations: list[StationInfo], rng: np.random.Generator) -> np.ndarray:
    """Index into stations for each case, weighted by (estimated) population."""
    weights = np.array([max(s.population, 1) for s in stations], dtype=float)
    return rng.choice(len(stations), size=count, p=weights / weights.sum())


def to_datetimes(stamps: np.ndarray) -> list[datetime]:
    """datetime64[us] (UTC) → aware datetimes."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return [epoch + timedelta(microseconds=us) for us in stamps.astype("int64").tolist()]


def case_numbers(district_codes: np.ndarray, stamps: np.ndarray) -> list[str]:
    """A + district code + Beijing date + a 5-digit counter within district and day."""
    local_days = pd.DatetimeIndex(stamps).tz_localize("UTC").tz_convert(SHANGHAI).strftime("%Y%m%d")
    frame = pd.DataFrame({"district": district_codes, "day": local_days})
    counter = frame.groupby(["district", "day"], sort=False).cumcount() + 1
    return ("A" + frame["district"] + frame["day"] + counter.map("{:05d}".format)).tolist()


def case_status(stamps: np.ndarray, anchor: datetime, rng: np.random.Generator) -> np.ndarray:
    """Older cases are more often solved or closed."""
    age_days = (np.datetime64(anchor.astimezone(UTC).replace(tzinfo=None), "us") - stamps) / np.timedelta64(1, "D")
    solved_p = np.clip(age_days / 400, 0, 0.45)
    draw = rng.random(len(stamps))
    return np.where(
        draw < solved_p, CaseStatus.SOLVED.value,
        np.where(draw < solved_p + 0.05, CaseStatus.CLOSED.value,
                 np.where(age_days < 3, CaseStatus.REGISTERED.value, CaseStatus.INVESTIGATING.value)),
    )


def recovered_fen(losses: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Recovered (returned) and frozen amounts: a minority of cases get part of the money back."""
    recovered = np.where(rng.random(len(losses)) < 0.22, losses * rng.beta(1.2, 4, len(losses)), 0)
    frozen = np.where(rng.random(len(losses)) < 0.18, losses * rng.beta(1, 5, len(losses)), 0)
    return (recovered // 100 * 100).astype(np.int64), (frozen // 100 * 100).astype(np.int64)


def victim_profile(ages: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Gender, occupation, education, economic status and propaganda exposure."""
    count = len(ages)
    occupation = _choice(OCCUPATIONS, count, rng, p=[28, 18, 0, 8, 0, 10, 6, 14, 4, 12])
    occupation = np.where(ages <= 22, "学生", occupation)
    occupation = np.where(ages >= 60, np.where(rng.random(count) < 0.7, "退休人员", "务农"), occupation)
    reached = rng.random(count)
    return {
        "gender": _choice([Gender.FEMALE, Gender.MALE], count, rng, p=[54, 46]),
        "occupation": occupation,
        "education": _choice(EDUCATION_LEVELS, count, rng, p=[6, 20, 24, 22, 24, 4]),
        "economic": _choice(ECONOMIC_STATUSES, count, rng, p=[8, 60, 26, 6]),
        "reached": np.where(reached < 0.42, 1, np.where(reached < 0.85, 0, -1)),
    }


def contact_channels(fraud_types: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Contact channel, leaning on the type (phone for impersonation, apps for rebate and investment)."""
    base = _choice(ContactChannel, len(fraud_types), rng, p=[24, 10, 26, 14, 16, 8, 2])
    phone_heavy = np.isin(fraud_types, [FraudType.FAKE_AUTHORITY.value, FraudType.FAKE_CUSTOMER_SERVICE.value,
                                        FraudType.CREDIT_RECORD.value])
    return np.where(phone_heavy & (rng.random(len(base)) < 0.6), ContactChannel.PHONE.value, base)


def payment_channels(count: int, rng: np.random.Generator) -> np.ndarray:
    """Payment channel."""
    return _choice(PaymentChannel, count, rng, p=[52, 18, 20, 3, 4, 3])


def call_mix(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Type and outcome for desk calls not tied to a case: consultations, dissuasions and tip-offs."""
    call_type = _choice([CallType.CONSULT, CallType.TIPOFF, CallType.REPORT], count, rng, p=[45, 40, 15])
    draw = rng.random(count)
    outcome = np.where(
        call_type == CallType.TIPOFF.value, CallOutcome.LEAD_LOGGED.value,
        np.where(call_type == CallType.CONSULT.value,
                 np.where(draw < 0.3, CallOutcome.DISSUADED.value, CallOutcome.ANSWERED.value),
                 np.where(draw < 0.75, CallOutcome.DISSUADED.value, CallOutcome.OTHER.value)),
    )
    return call_type, outcome


def activity_dates(start: datetime, anchor: datetime, count: int, rng: np.random.Generator) -> np.ndarray:
    """Activity dates (Beijing time) spread over the demo period."""
    first = start.astimezone(SHANGHAI).date()
    last = anchor.astimezone(SHANGHAI).date()
    span = (last - first).days + 1
    return np.datetime64(first) + rng.integers(0, span, count).astype("timedelta64[D]")


def activity_rows_spec(count: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Outreach, channel and counts of propaganda activities."""
    outreach = _choice(Outreach, count, rng, p=[14, 18, 8, 12, 8, 5, 10, 15, 4, 4, 2, 6, 1, 1, 2])
    channel = _choice(ActivityChannel, count, rng, p=[14, 12, 20, 8, 6, 14, 12, 10, 4, 5, 2, 2])
    people = np.round(rng.lognormal(np.log(120), 0.9, count)).astype(int)
    return {
        "outreach": outreach,
        "channel": channel,
        "people": people,
        "pieces": np.round(people * rng.uniform(0.5, 2.0, count)).astype(int),
        "households": np.round(people * rng.uniform(0.1, 0.5, count)).astype(int),
    }


def branch_names(station_names: list[str], rng: np.random.Generator) -> list[str]:
    """A bank branch in the station's area."""
    banks = rng.integers(0, len(BANK_BRANCH_BANKS), len(station_names))
    return [f"{BANK_BRANCH_BANKS[b]}{name.removesuffix('派出所')}支行" for b, name in zip(banks.tolist(), station_names, strict=True)]

