"""What a unit's progress report (and the city roll-up) says, as frozen data that freezes into a JSON snapshot.

A submitted report is kept as `to_json()` text; `from_json()` rebuilds it equal, and `to_json()` of the rebuilt
report gives the same bytes again, so a document generated later from the snapshot is the one submitted.
Decimals travel as strings (never floats), dates as ISO text, tuples as lists; keys are sorted.
"""

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Self

from services.campaigns.calendar import ReportPeriod

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class Liaison:
    """联络员: the unit's contact for the report; the phone is stored masked (138****5678)."""

    name: str
    phone_masked: str


@dataclass(frozen=True)
class Tally:
    """A count under a label: activities by channel (横幅, 讲座…) or by place (进校园, 进社区…)."""

    label: str
    count: int

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("数量不能为负")


@dataclass(frozen=True)
class Figures:
    """主要数据 of a period: activities (场次) by channel and by place (八进), people reached (人次), households (户),
    pieces handed out (份), police turned out (警力人次)."""

    activities: int = 0
    people_reached: int = 0
    households: int = 0
    pieces: int = 0
    police_turnout: int = 0
    by_channel: tuple[Tally, ...] = ()
    by_place: tuple[Tally, ...] = ()

    def __post_init__(self) -> None:
        if min(self.activities, self.people_reached, self.households, self.pieces, self.police_turnout) < 0:
            raise ValueError("数量不能为负")


def _merge(tallies: typing.Iterable[Tally]) -> tuple[Tally, ...]:
    counts: dict[str, int] = {}
    for tally in tallies:
        counts[tally.label] = counts.get(tally.label, 0) + tally.count
    return tuple(Tally(label, count) for label, count in counts.items())


def sum_figures(figures: typing.Iterable[Figures]) -> Figures:
    """The totals of several units' figures; channels and places summed by label, in order of first appearance."""
    items = list(figures)
    return Figures(
        activities=sum(f.activities for f in items),
        people_reached=sum(f.people_reached for f in items),
        households=sum(f.households for f in items),
        pieces=sum(f.pieces for f in items),
        police_turnout=sum(f.police_turnout for f in items),
        by_channel=_merge(t for f in items for t in f.by_channel),
        by_place=_merge(t for f in items for t in f.by_place),
    )


@dataclass(frozen=True)
class TargetRow:
    """One target's standing: what it is, the value so far against the goal (in `unit`: %, 场, 户…), the status label
    (达标 / 进度正常 / 落后 / 逾期) and what is needed per week to reach it (None when nothing more is needed)."""

    description: str
    value: Decimal
    goal: Decimal
    unit: str
    status: str
    needed_per_week: Decimal | None = None

    def __post_init__(self) -> None:
        for number in (self.value, self.goal, self.needed_per_week):
            if number is not None and not number.is_finite():
                raise ValueError("目标数值必须是有限数")


class _Snapshot:
    """JSON round trip shared by the report and the roll-up."""

    def to_json(self) -> str:
        return json.dumps({"version": SNAPSHOT_VERSION, "data": _encode(self)},
                          ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        payload = json.loads(text)
        if payload.get("version") != SNAPSHOT_VERSION:
            raise ValueError(f"不支持的报告快照版本: {payload.get('version')}")
        return _decode(cls, payload["data"])


@dataclass(frozen=True)
class UnitReport(_Snapshot):
    """One unit's report for one period: 一、工作开展情况 (方式、渠道、过程、范围, the unit's own words), 二、主要数据,
    三、目标完成情况, 四、下步工作打算; signed with the unit's name and the report date."""

    campaign_name: str
    theme: str
    period: ReportPeriod
    unit_name: str
    liaison: Liaison
    methods: str  # 方式
    channels: str  # 渠道
    process: str  # 过程
    scope: str  # 范围
    figures: Figures
    targets: tuple[TargetRow, ...] = ()
    next_steps: str = ""  # 下步工作打算
    report_date: date | None = None  # the date written under the unit's name
    demo: bool = False  # 演示数据


@dataclass(frozen=True)
class Rollup(_Snapshot):
    """The city's (or a bureau's) roll-up of one period: the units' reports, who did not report, city-wide targets;
    `totals` adds up the units' figures."""

    campaign_name: str
    theme: str
    period: ReportPeriod
    issuer: str  # the unit that issues the roll-up, e.g. 漳州市公安局
    units: tuple[UnitReport, ...]
    missing_units: tuple[str, ...] = ()  # units that have not reported
    targets: tuple[TargetRow, ...] = ()  # city-wide targets
    next_steps: str = ""
    report_date: date | None = None
    demo: bool = False
    totals: Figures = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "totals", sum_figures(unit.figures for unit in self.units))


# ---------------------------------------------------------------- encoding


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"cannot freeze {type(value).__name__}")


def _decode(kind: Any, raw: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(kind) if option is not type(None)]
        return None if raw is None else _decode(options[0], raw)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_decode(item, value) for value in raw)
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = {f.name for f in dataclasses.fields(kind) if f.init}
        if set(raw) != fields:
            raise ValueError(f"{kind.__name__}: fields {sorted(set(raw) ^ fields)} differ")
        return kind(**{name: _decode(hints[name], raw[name]) for name in fields})
    if kind is Decimal:
        if not isinstance(raw, str):
            raise ValueError("decimals are frozen as text")
        return Decimal(raw)
    if kind is date:
        return date.fromisoformat(raw)
    if kind in (str, int, bool):
        if type(raw) is not kind:
            raise ValueError(f"expected {kind.__name__}, got {type(raw).__name__}")
        return raw
    raise TypeError(f"cannot rebuild {kind}")
