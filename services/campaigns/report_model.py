"""What a unit's progress report (and the city roll-up) says, as frozen data that freezes into a JSON snapshot.

A submitted report is kept as `to_json()` text; `from_json()` rebuilds it equal, and `to_json()` of the rebuilt
report gives the same bytes again, so a document generated later from the snapshot is the one submitted.
Decimals travel as strings (never floats), dates as ISO text, tuples as lists; keys are sorted.
Snapshots of an older version load too: fields added since then take their defaults (version 1 had no outcome
comparison on target rows and no own/subtree split of the figures).
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

SNAPSHOT_VERSION = 2
READABLE_VERSIONS = (1, 2)


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
    (达标 / 进度正常 / 落后 / 逾期) and what is needed per week to reach it (None when nothing more is needed).

    An outcome row (警情/发案、损失 同比下降) reads differently: `value` is this period's figure (起 or 万元) in `unit`,
    `previous` the same days last year, `change_pct` the change (negative = down), `goal` the drop asked for (%) — or,
    with `good_when_up` (破案/抓获/冻结/返还), the rise asked for — and the status says whether it is met. `light` is the
    traffic light (green/amber/red/grey; "" in old snapshots); old snapshots had only drops (good_when_up False)."""

    description: str
    value: Decimal
    goal: Decimal
    unit: str
    status: str
    needed_per_week: Decimal | None = None
    light: str = ""
    outcome: bool = False
    previous: Decimal | None = None
    change_pct: Decimal | None = None
    good_when_up: bool = False

    def __post_init__(self) -> None:
        for number in (self.value, self.goal, self.needed_per_week, self.previous, self.change_pct):
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
        if payload.get("version") not in READABLE_VERSIONS:
            raise ValueError(f"不支持的报告快照版本: {payload.get('version')}")
        return _decode(cls, payload["data"])


@dataclass(frozen=True)
class UnitReport(_Snapshot):
    """One unit's report for one period: 一、工作开展情况 (方式、渠道、过程、范围, the unit's own words), 二、主要数据,
    三、目标完成情况, 四、下步工作打算; signed with the unit's name and the report date.

    A unit with participating units below it (a 分局) reports for its 辖区: `figures` are its own and theirs, `includes`
    names those units and `own_figures` keeps its own (with its partners') so a roll-up counts every activity once."""

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
    own_figures: Figures | None = None  # None: the figures are the unit's own
    includes: tuple[str, ...] = ()  # participating units below whose activities the figures include

    @property
    def own(self) -> Figures:
        """The unit's own figures (with its partners'), without the units below it."""
        return self.figures if self.own_figures is None else self.own_figures


@dataclass(frozen=True)
class TargetSummary:
    """A target across the reporting units: the units by traffic light (达标/进度正常, 稍有落后, 落后, 暂无数据)."""

    description: str
    green: tuple[str, ...] = ()
    amber: tuple[str, ...] = ()
    red: tuple[str, ...] = ()
    grey: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.green) + len(self.amber) + len(self.red) + len(self.grey)


@dataclass(frozen=True)
class RollupGroup:
    """A 辖区 in the roll-up: the unit heading it (a 分局, or a station directly under the issuer) and the indexes of
    the reporting units in it (into Rollup.units) and the names of those that did not report."""

    name: str
    members: tuple[int, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rollup(_Snapshot):
    """The city's (or a bureau's) roll-up of one period: the units' reports, who did not report or reported late,
    targets across the units, the units by 辖区; `totals` adds up the units' own figures (a 分局's report that includes
    its stations adds only its own, so nothing counts twice; a unit that did not report adds nothing)."""

    campaign_name: str
    theme: str
    period: ReportPeriod
    issuer: str  # the unit that issues the roll-up, e.g. 漳州市公安局
    units: tuple[UnitReport, ...]
    missing_units: tuple[str, ...] = ()  # units that have not reported
    targets: tuple[TargetSummary, ...] = ()  # each target across the reporting units
    next_steps: str = ""
    report_date: date | None = None
    demo: bool = False
    late_units: tuple[str, ...] = ()  # units that reported after the due day
    groups: tuple[RollupGroup, ...] = ()  # the units by 辖区, in tree order
    totals: Figures = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "totals", sum_figures(unit.own for unit in self.units))

    def group_figures(self, group: RollupGroup) -> Figures:
        """A 辖区's figures: its reporting units' own figures added up."""
        return sum_figures(self.units[i].own for i in group.members)


# ---------------------------------------------------------------- encoding


_INIT_FIELDS: dict[type, tuple[str, ...]] = {}


def _init_fields(kind: type) -> tuple[str, ...]:
    names = _INIT_FIELDS.get(kind)
    if names is None:
        names = _INIT_FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.init)
    return names


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _encode(getattr(value, name)) for name in _init_fields(type(value))}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
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
        required = {f.name for f in dataclasses.fields(kind) if f.init and f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING}
        if set(raw) - fields or required - set(raw):
            raise ValueError(f"{kind.__name__}: fields {sorted((set(raw) - fields) | (required - set(raw)))} differ")
        return kind(**{name: _decode(hints[name], raw[name]) for name in fields & set(raw)})
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
