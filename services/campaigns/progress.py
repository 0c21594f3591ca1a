"""The campaign progress read model: unit × target matrix with traffic lights and pacing, 八进 coverage,
activities per week, cumulative progress against the ideal line. Outcome targets come from fraud_case."""

import calendar as _calendar
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import func, select
from sqlmodel import Session

from db.models import (
    Campaign,
    CampaignBase,
    CampaignSurvey,
    CampaignTarget,
    CampaignTaskDone,
    CampaignUnit,
    FraudCase,
    Unit,
)
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.masking import mask_phone
from services.access.permissions import Permission
from services.access.scope import require
from services.access.text import OUT_OF_SCOPE
from services.campaigns import tallies
from services.campaigns import text as t
from services.campaigns.entries import load_campaign, visible_campaigns
from services.shared.export_cells import csv_bytes, xlsx_bytes
from services.shared.timeutil import Comparison, Period, period_of_days, to_shanghai
from services.strike.shared_measures import own_figures_by_unit
from vocabulary import (
    AuditAction,
    CountMeasure,
    Light,
    OutcomeMeasure,
    Outreach,
    Role,
    TargetKind,
    TargetPeriod,
    TaskState,
)

AMBER_SHARE = 0.8  # projected at least 80% of the goal: 稍有落后
DUE_SOON_DAYS = 14  # a task due within two weeks (one reporting round) shows amber
EIGHT_PLACES = tuple(list(Outreach)[:8])  # 八进: 校园 社区 工厂 小区 商场 医院 企业 村屯
MEASURE_FIELD = {CountMeasure.PEOPLE: "people", CountMeasure.HOUSEHOLDS: "households", CountMeasure.PIECES: "pieces"}


# ---------------------------------------------------------------- pure arithmetic

@dataclass(frozen=True)
class Pacing:
    """A cumulative target in its period: so far, projected to the end at the current rate, what is needed."""

    value: float
    goal: float
    first_day: date
    last_day: date
    elapsed_days: int
    total_days: int
    projected: float | None
    on_track: bool
    needed_per_week: float

    @property
    def expected(self) -> float:
        """What an even pace would have reached by today."""
        return self.goal * self.elapsed_days / self.total_days if self.total_days else self.goal

    @property
    def too_early(self) -> bool:
        """Not yet assessable: an even pace would not have reached one unit of the measure (a period's first days)."""
        return self.value < self.goal and self.elapsed_days < self.total_days and self.expected < 1

    @property
    def light(self) -> Light:
        if self.value >= self.goal:
            return Light.GREEN
        if self.elapsed_days == 0:
            return Light.GREY
        if self.elapsed_days >= self.total_days:
            return Light.RED
        if self.on_track:
            return Light.GREEN
        if self.too_early:
            return Light.GREY
        return Light.AMBER if (self.projected or 0) >= AMBER_SHARE * self.goal else Light.RED


def pace(value: float, goal: float, first_day: date, last_day: date, today: date) -> Pacing:
    """Pacing of a cumulative value over first_day..last_day as of today (days counted whole, today included)."""
    total = (last_day - first_day).days + 1
    elapsed = min(max((today - first_day).days + 1, 0), total)
    projected = value / elapsed * total if elapsed else None
    remaining = total - elapsed
    shortfall = max(goal - value, 0.0)
    needed = shortfall / remaining * 7 if remaining > 0 else shortfall
    on_track = value >= goal or (projected is not None and projected >= goal)
    return Pacing(value, goal, first_day, last_day, elapsed, total, projected, on_track, needed)


def period_bounds(kind: TargetPeriod, day: date, start: date, end: date) -> tuple[date, date]:
    """The month/week (Monday–Sunday)/campaign containing day, clipped to the campaign."""
    if kind is TargetPeriod.MONTH:
        first = day.replace(day=1)
        last = day.replace(day=_calendar.monthrange(day.year, day.month)[1])
    elif kind is TargetPeriod.WEEK:
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
    else:
        first, last = start, end
    return max(first, start), min(last, end)


def periods(kind: TargetPeriod, start: date, end: date) -> list[tuple[date, date]]:
    """Every period of the campaign, clipped to it."""
    return list(_periods(kind, start, end))


@lru_cache(maxsize=256)
def _periods(kind: TargetPeriod, start: date, end: date) -> tuple[tuple[date, date], ...]:
    found, day = [], start  # the same for every unit's cell of a target: worked out once
    while day <= end:
        first, last = period_bounds(kind, day, start, end)
        found.append((first, last))
        day = last + timedelta(days=1)
    return tuple(found)


def same_days_last_year(first_day: date, last_day: date) -> Comparison:
    """first_day..last_day (Beijing time) against the same dates a year before (29 Feb → 28 Feb)."""
    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)
    return Comparison(period_of_days(first_day, last_day), period_of_days(back(first_day), back(last_day)))


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 or abs(value) >= 100 else f"{value:,.1f}"


# ---------------------------------------------------------------- read models

@dataclass(frozen=True)
class CampaignInfo:
    id: int
    name: str
    theme: str | None
    start_date: date
    end_date: date


@dataclass(frozen=True)
class TargetInfo:
    id: int
    description: str
    kind: TargetKind
    target_value: float
    unit_of_measure: str
    period: TargetPeriod | None
    measure: str | None
    outreach: str | None
    channel: str | None
    applies_to_unit_id: int | None
    due_date: date | None
    min_sample: int | None

    @property
    def label(self) -> str:
        return self.description


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    name: str
    partner: bool
    parent_id: int | None
    liaison_name: str | None
    liaison_phone: str | None  # masked except for leaders
    bureau_id: int | None = None  # the 分局 (level-2 unit) it belongs to; the unit itself at level 1 or 2
    population: int | None = None


@dataclass(frozen=True)
class Cell:
    """One unit's standing on one target."""

    light: Light
    text: str
    value: float | None = None
    goal: float | None = None
    pacing: Pacing | None = None
    task_state: TaskState | None = None
    base: int | None = None
    sample: int | None = None
    previous: float | None = None
    change_pct: float | None = None
    periods_past: int = 0
    periods_missed: int = 0


@dataclass(frozen=True)
class Progress:
    """Everything the 专项行动 page shows of one campaign within the actor's scope."""

    campaign: CampaignInfo
    today: date
    units: list[UnitRow]  # police units in scope
    partners: list[UnitRow]
    targets: list[TargetInfo]
    cells: dict[tuple[int, int], Cell]  # (unit_id, target_id) → cell; absent where a target does not apply
    coverage: dict[int, dict[str, int]]  # unit_id → outreach code → activities
    weekly: list[tuple[date, int]]  # Monday → activities in scope
    series_days: list[date] = field(default_factory=list)
    bureaus: list[tuple[int, str]] = field(default_factory=list)  # the 分局 of the units shown, in tree order
    reach: "Reach | None" = None  # outreach against the change in case rate, one point per station or 分局


@dataclass
class _Tally:
    """The campaign's activity tallies (services/campaigns/tallies) within the window, folded onto the police units
    they count for: the work grows with units × periods, not with the number of activities."""

    by_target: dict[int, dict[int, dict[date, int]]]  # target → police unit → period bucket → amount of its measure
    places: dict[int, dict[str, int]]  # police unit → outreach code → activities
    weeks: dict[date, int]  # Monday → activities (every unit in scope)
    people: dict[int, int]  # police unit → people reached


def _measure(target: TargetInfo) -> CountMeasure:
    return CountMeasure(target.measure or CountMeasure.ACTIVITIES.value)


def _tally(session: Session, campaign: Campaign, counted_for: dict[int, int], last: date,
           targets: list[TargetInfo]) -> _Tally:
    measured = {x.id: tallies.bucket_span(x.period.value if x.period else None) for x in targets
                if x.kind in (TargetKind.COUNT, TargetKind.COVERAGE)}
    tally = _Tally({target_id: defaultdict(lambda: defaultdict(int)) for target_id in measured},
                   defaultdict(lambda: defaultdict(int)), defaultdict(int), defaultdict(int))
    if not counted_for:
        return tally
    units = list(counted_for)
    whole = frozenset(x.id for x in targets if x.id in measured and x.period in (None, TargetPeriod.CAMPAIGN))
    for target_id, by_unit in tallies.target_sums(session, measured, units, campaign.start_date, last,
                                                  whole).items():
        for unit_id, buckets in by_unit.items():
            folded = tally.by_target[target_id][counted_for[unit_id]]
            for first, amount in buckets.items():
                folded[first] += amount
    sums = tallies.unit_sums(session, campaign.id, units, campaign.start_date, last)
    for unit_id, places in sums.places.items():
        police = counted_for[unit_id]
        tally.people[police] += sums.people.get(unit_id, 0)
        for code, n in places.items():
            if n:
                tally.places[police][code] += n
    tally.weeks.update(sums.weeks)
    return tally


def _period_sums(days: dict[date, int], spans: list[tuple[date, date]]) -> list[float]:
    """The amounts of each period (first..last, inclusive) from amounts per day."""
    starts = [first for first, _ in spans]
    totals = [0] * len(spans)
    for day, amount in days.items():
        index = bisect_right(starts, day) - 1
        if index >= 0 and day <= spans[index][1]:
            totals[index] += amount
    return [float(total) for total in totals]


def _verdict(pacing: Pacing, uom: str) -> str:
    if pacing.value >= pacing.goal:
        return t.CELL_MET
    if pacing.on_track:
        return t.CELL_ON_TRACK
    if pacing.too_early:
        return t.CELL_TOO_EARLY
    return t.CELL_BEHIND.format(per_week=_fmt(pacing.needed_per_week), uom=uom)


def _count_cell(tally: _Tally, target: TargetInfo, unit_id: int, info: CampaignInfo, today: date) -> Cell:
    kind = target.period or TargetPeriod.CAMPAIGN
    uom = target.unit_of_measure
    if today < info.start_date:
        return Cell(Light.GREY, t.CELL_NOT_STARTED, goal=target.target_value)
    as_of = min(today, info.end_date)
    first, last = period_bounds(kind, as_of, info.start_date, info.end_date)
    spans = [(f, min(l, as_of)) for f, l in periods(kind, info.start_date, info.end_date) if f <= first]
    sums = _period_sums(tally.by_target[target.id].get(unit_id, {}), spans)
    pacing = pace(sums[-1], target.target_value, first, last, today)
    past = sums[:-1]
    missed = sum(1 for amount in past if amount < target.target_value)
    light = pacing.light
    if missed and (light is Light.GREEN or pacing.too_early):
        light = Light.AMBER
    if past and missed * 2 > len(past):
        light = Light.RED
    verdict = _verdict(pacing, uom)
    text = t.CELL_PACING.format(value=_fmt(pacing.value), goal=_fmt(pacing.goal), uom=uom,
                                projected=_fmt(pacing.projected), verdict=verdict)
    if missed:
        text += t.CELL_PERIODS_MISSED.format(missed=missed, past=len(past))
    return Cell(light, text, pacing.value, pacing.goal, pacing, periods_past=len(past), periods_missed=missed)


def _coverage_cell(tally: _Tally, target: TargetInfo, unit_id: int, base: int | None, info: CampaignInfo,
                   today: date) -> Cell:
    if base is None:
        return Cell(Light.GREY, t.CELL_NO_BASE, goal=target.target_value)
    if today < info.start_date:
        return Cell(Light.GREY, t.CELL_NOT_STARTED, goal=target.target_value, base=base)
    reached = float(sum(tally.by_target[target.id].get(unit_id, {}).values()))
    pct = reached / base * 100
    pacing = pace(pct, target.target_value, info.start_date, info.end_date, today)
    verdict = _verdict(pacing, "%")
    text = t.CELL_COVERAGE.format(value=_fmt(reached), base=_fmt(base), pct=_fmt(pct), goal=_fmt(target.target_value),
                                  verdict=verdict)
    return Cell(pacing.light, text, pct, target.target_value, pacing, base=base)


def _survey_cell(entries: list[tuple[int, int]], target: TargetInfo) -> Cell:
    if not entries:
        return Cell(Light.GREY, t.CELL_SURVEY_NONE, goal=target.target_value)
    sample = sum(s for s, _ in entries)
    yes = sum(y for _, y in entries)
    rate = yes / sample * 100
    text = t.CELL_SURVEY.format(rate=_fmt(rate), yes=yes, sample=sample, goal=_fmt(target.target_value))
    short = target.min_sample is not None and sample < target.min_sample
    if short:
        text += t.CELL_SURVEY_SHORT.format(min_sample=target.min_sample)
    light = Light.RED if rate < target.target_value else (Light.AMBER if short else Light.GREEN)
    return Cell(light, text, rate, target.target_value, sample=sample)


def _task_cell(done_on: date | None, target: TargetInfo, info: CampaignInfo, today: date) -> Cell:
    due = target.due_date or info.end_date
    if done_on is not None:
        return Cell(Light.GREEN, t.CELL_TASK_DONE.format(done_on=done_on), task_state=TaskState.DONE)
    if today > due:
        return Cell(Light.RED, t.CELL_TASK_OVERDUE.format(due=due), task_state=TaskState.OVERDUE)
    light = Light.AMBER if (due - today).days < DUE_SOON_DAYS else Light.GREY
    return Cell(light, t.CELL_TASK_DUE.format(due=due), task_state=TaskState.DUE)


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def subtree_cases(session: Session, root_path: str, start, end) -> dict[int, tuple[int, int]]:
    """Unit id → (incidents, loss in fen) of its subtree in [start, end), for every unit under root_path: one grouped
    query, each unit's figures added to its ancestors up to the root."""
    depth = len(_path_ids(root_path))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for path, count, loss in session.execute(
            select(Unit.path, func.count(), func.coalesce(func.sum(FraudCase.loss_fen), 0))
            .select_from(FraudCase).join(Unit, Unit.id == FraudCase.unit_id)
            .where(Unit.path.startswith(root_path), FraudCase.reported_at >= start, FraudCase.reported_at < end)
            .group_by(Unit.path)).all():
        for unit_id in _path_ids(path)[max(depth - 1, 0):]:
            totals[unit_id][0] += count
            totals[unit_id][1] += int(loss)
    return {unit_id: (count, loss) for unit_id, (count, loss) in totals.items()}


STRIKE_MEASURES = (OutcomeMeasure.SOLVED, OutcomeMeasure.ARRESTED, OutcomeMeasure.FROZEN, OutcomeMeasure.RETURNED)


def subtree_strike(session: Session, root_path: str, period: Period) -> dict[int, tuple[int, int, int, int]]:
    """Unit id → (破案, 抓获, 冻结 fen, 返还 fen) of its subtree over a period, for every unit under root_path, as
    打击挽损 counts them (services.strike.shared_measures): each unit's own figures added to its ancestors."""
    root = session.execute(select(Unit).where(Unit.path == root_path)).scalar_one()
    paths = dict(session.execute(select(Unit.id, Unit.path).where(Unit.path.startswith(root_path))).all())
    depth = len(_path_ids(root_path))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for unit_id, own in own_figures_by_unit(session, root, period).items():
        for owner in _path_ids(paths[unit_id])[max(depth - 1, 0):]:
            for i, value in enumerate((own.solved, own.caught, own.frozen_fen, own.returned_fen)):
                totals[owner][i] += value
    return {unit_id: (a, b, c, d) for unit_id, (a, b, c, d) in totals.items()}


@dataclass(frozen=True)
class _Cases:
    """Every subtree's figures in scope, this period and the same days last year: incidents and loss from the case
    register, and (when a target asks for them) 破案, 抓获, 冻结 and 返还 as 打击挽损 counts them."""

    window: Comparison
    current: dict[int, tuple[int, int]]
    previous: dict[int, tuple[int, int]]
    strike_current: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)
    strike_previous: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)

    def figures(self, unit_id: int, measure: OutcomeMeasure) -> tuple[int, int]:
        if measure in STRIKE_MEASURES:
            index = STRIKE_MEASURES.index(measure)
            return (self.strike_current.get(unit_id, (0, 0, 0, 0))[index],
                    self.strike_previous.get(unit_id, (0, 0, 0, 0))[index])
        index = 0 if measure is OutcomeMeasure.INCIDENTS else 1
        return self.current.get(unit_id, (0, 0))[index], self.previous.get(unit_id, (0, 0))[index]


def _cases(session: Session, root_path: str, info: CampaignInfo, today: date, strike: bool = False) -> _Cases:
    window = same_days_last_year(info.start_date, min(today, info.end_date))
    cases = _Cases(window, subtree_cases(session, root_path, window.start, window.end),
                   subtree_cases(session, root_path, window.prev_start, window.prev_end))
    if not strike:  # only a campaign with a 破案/抓获/冻结/返还 target reads the strike records
        return cases
    return replace(cases, strike_current=subtree_strike(session, root_path, window.current),
                   strike_previous=subtree_strike(session, root_path, window.previous))


def outcome_met(measure: OutcomeMeasure, change_pct: float, goal: float) -> bool:
    """A down-measure's target is met at a change ≤ -goal%, an up-measure's at ≥ +goal% (goal is stored positive)."""
    change = round(change_pct, 9)  # +10% computed as 10.000000000000002 or 9.999999999999998 is 10%
    return change >= goal if measure.good_when_up else -change >= goal


def target_measure(target) -> OutcomeMeasure:
    """An outcome target's measure; rows saved before measures were chosen count incidents."""
    return OutcomeMeasure(target.measure or OutcomeMeasure.INCIDENTS.value)


def _outcome_cell(cases: _Cases | None, unit_id: int, target: TargetInfo) -> Cell:
    if cases is None:
        return Cell(Light.GREY, t.CELL_NOT_STARTED, goal=target.target_value)
    measure = target_measure(target)
    current, previous = cases.figures(unit_id, measure)
    scale, uom = (1_000_000, "万元") if measure.is_money else (1, t.OUTCOME_UOM[measure.value])
    cur, prev = current / scale, previous / scale
    if previous == 0:
        return Cell(Light.GREY, t.CELL_OUTCOME_NO_PREV.format(cur=_fmt(cur), uom=uom), cur, target.target_value,
                    previous=0.0)
    change = (current - previous) / previous * 100
    moved_well = change > 0 if measure.good_when_up else change < 0
    light = (Light.GREEN if outcome_met(measure, change, target.target_value)
             else Light.AMBER if moved_well else Light.RED)
    words = t.CELL_OUTCOME_DOWN.format(pct=_fmt(-change)) if change < 0 else t.CELL_OUTCOME_UP.format(pct=_fmt(change))
    goal = (t.CELL_OUTCOME_GOAL_UP if measure.good_when_up else t.CELL_OUTCOME_GOAL_DOWN).format(
        goal=_fmt(target.target_value))
    return Cell(light, t.CELL_OUTCOME.format(cur=_fmt(cur), prev=_fmt(prev), uom=uom, change=words, goal=goal),
                cur, target.target_value, previous=prev, change_pct=change)


def _targets(session: Session, campaign_id: int) -> list[TargetInfo]:
    rows = session.execute(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)
                           .order_by(CampaignTarget.id)).scalars()
    return [TargetInfo(r.id, r.description, TargetKind(r.kind), r.target_value, r.unit_of_measure,
                       TargetPeriod(r.period) if r.period else None, r.measure, r.outreach, r.channel,
                       r.applies_to_unit_id, r.due_date, r.min_sample) for r in rows]


def _participants(session: Session, actor: Actor, campaign_id: int) -> list[tuple[CampaignUnit, Unit]]:
    return [tuple(r) for r in session.execute(
        select(CampaignUnit, Unit).join(Unit, Unit.id == CampaignUnit.unit_id)
        .where(CampaignUnit.campaign_id == campaign_id, Unit.path.startswith(actor.unit_path))
        .order_by(Unit.level, Unit.sort_order, Unit.id)).all()]


def _counted_for(links: list[tuple[CampaignUnit, Unit]]) -> dict[int, int]:
    """Activity unit → the police unit it counts for: itself, or a partner's parent when that takes part."""
    police = {unit.id for link, unit in links if not link.partner}
    mapping = {unit_id: unit_id for unit_id in police}
    for link, unit in links:
        if link.partner:
            mapping[unit.id] = unit.parent_id if unit.parent_id in police else unit.id
    return mapping


def campaign_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of every campaign the actor may see, newest first."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    return [(c.id, c.name) for c in visible_campaigns(session, actor)]


def _bureau_of(unit: Unit) -> int:
    """The 分局 a unit belongs to: its level-2 ancestor (itself at level 1 or 2)."""
    ids = _path_ids(unit.path)
    return ids[1] if len(ids) >= 2 else ids[0]


def _bureaus(session: Session, ids: set[int]) -> list[Unit]:
    return list(session.execute(select(Unit).where(Unit.id.in_(ids))
                                .order_by(Unit.level, Unit.sort_order, Unit.id)).scalars()) if ids else []


def progress(session: Session, actor: Actor, campaign_id: int, today: date) -> Progress:
    """The matrix, 八进 coverage and weekly activity of a campaign, within the actor's scope, as of today."""
    if not actor.can(Permission.VIEW_WALL):  # the wall shows the running campaign's ranking (read-only)
        require(actor, Permission.VIEW_CAMPAIGNS)
    campaign = load_campaign(session, actor, campaign_id)
    info = CampaignInfo(campaign.id, campaign.name, campaign.theme, campaign.start_date, campaign.end_date)
    links = _participants(session, actor, campaign.id)
    show_phone = actor.role == Role.LEADER

    def row(link: CampaignUnit, unit: Unit) -> UnitRow:
        phone = link.liaison_phone if show_phone else mask_phone(link.liaison_phone)
        return UnitRow(unit.id, unit.name, link.partner, unit.parent_id, link.liaison_name, phone, _bureau_of(unit),
                       unit.population)

    police = [(link, unit) for link, unit in links if not link.partner]
    partners = [row(link, unit) for link, unit in links if link.partner]
    targets = _targets(session, campaign.id)
    counted_for = _counted_for(links)
    tally = _tally(session, campaign, counted_for, min(today, campaign.end_date), targets)
    strike = any(target.kind is TargetKind.OUTCOME and target_measure(target).from_strike for target in targets)
    cases = _cases(session, actor.unit_path, info, today, strike) if today >= info.start_date else None
    ids = [unit.id for _, unit in police]
    target_ids = [target.id for target in targets]
    bases: dict[tuple[int, int], int] = {}
    for target_id, unit_id, value in session.execute(
            select(CampaignBase.target_id, CampaignBase.unit_id, CampaignBase.base_value)
            .where(CampaignBase.target_id.in_(target_ids), CampaignBase.unit_id.in_(ids))
            .order_by(CampaignBase.declared_at, CampaignBase.id)).all():
        bases[(unit_id, target_id)] = value  # the latest declaration wins
    surveys: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for target_id, unit_id, sample, yes in session.execute(
            select(CampaignSurvey.target_id, CampaignSurvey.unit_id, CampaignSurvey.sample_size, CampaignSurvey.yes_count)
            .where(CampaignSurvey.target_id.in_(target_ids), CampaignSurvey.unit_id.in_(ids),
                   CampaignSurvey.survey_date >= campaign.start_date, CampaignSurvey.survey_date <= campaign.end_date)).all():
        surveys[(unit_id, target_id)].append((sample, yes))
    done = {(u, tid): d for tid, u, d in session.execute(
        select(CampaignTaskDone.target_id, CampaignTaskDone.unit_id, CampaignTaskDone.done_on)
        .where(CampaignTaskDone.target_id.in_(target_ids), CampaignTaskDone.unit_id.in_(ids))).all()}
    cells: dict[tuple[int, int], Cell] = {}
    for link, unit in police:
        for target in targets:
            if target.applies_to_unit_id not in (None, unit.id):
                continue
            key = (unit.id, target.id)
            if target.kind is TargetKind.COUNT:
                cells[key] = _count_cell(tally, target, unit.id, info, today)
            elif target.kind is TargetKind.COVERAGE:
                cells[key] = _coverage_cell(tally, target, unit.id, bases.get(key), info, today)
            elif target.kind is TargetKind.SURVEY:
                cells[key] = _survey_cell(surveys.get(key, []), target)
            elif target.kind is TargetKind.TASK:
                cells[key] = _task_cell(done.get(key), target, info, today)
            else:
                cells[key] = _outcome_cell(cases, unit.id, target)
    coverage = {unit_id: {o.value: 0 for o in Outreach} for unit_id in ids}
    for unit_id, counts in tally.places.items():
        if unit_id in coverage:
            for code, n in counts.items():
                coverage[unit_id][code] = coverage[unit_id].get(code, 0) + n
    weekly_counts = tally.weeks
    weeks = []
    if today >= campaign.start_date:
        monday = campaign.start_date - timedelta(days=campaign.start_date.weekday())
        while monday <= min(today, campaign.end_date):
            weeks.append((monday, weekly_counts.get(monday, 0)))
            monday += timedelta(days=7)
    units = [row(link, unit) for link, unit in police]
    bureaus = _bureaus(session, {u.bureau_id for u in units})
    reach = _reach(units, bureaus, police, tally, cases) if cases is not None else None
    return Progress(info, today, units, partners, targets, cells, coverage, weeks,
                    bureaus=[(b.id, b.name) for b in bureaus], reach=reach)


# ---------------------------------------------------------------- outreach against outcome (an association)

PER = 10_000  # rates per 10,000 residents


@dataclass(frozen=True)
class ReachPoint:
    """One jurisdiction: people reached so far and its case rate against the same days last year, per 10,000."""

    unit_id: int
    name: str
    population: int
    people: int
    cases: int
    cases_before: int

    @property
    def reach_per_10k(self) -> float:
        return self.people / self.population * PER

    @property
    def rate(self) -> float:
        return self.cases / self.population * PER

    @property
    def rate_before(self) -> float:
        return self.cases_before / self.population * PER

    @property
    def rate_change(self) -> float:
        return self.rate - self.rate_before


@dataclass(frozen=True)
class Reach:
    """Outreach against the change in case rate: one point per station, or per 分局 when the view spans several."""

    by_bureau: bool
    points: list[ReachPoint]
    missing: list[str]  # jurisdictions without a resident population: not drawn
    window: Comparison


def _reach(units: list[UnitRow], bureaus: list[Unit], police: list[tuple[CampaignUnit, Unit]], tally: _Tally,
           cases: _Cases) -> Reach:
    if len(bureaus) > 1:
        people: dict[int, int] = defaultdict(int)
        for unit in units:
            people[unit.bureau_id] += tally.people.get(unit.unit_id, 0)
        places = [(b.id, b.name, b.population, people[b.id]) for b in bureaus]
    else:
        # A unit with another shown unit below it (the 分局 over its stations) would count its stations twice.
        paths = [unit.path for _, unit in police]
        places = [(unit.id, unit.name, unit.population, tally.people.get(unit.id, 0)) for _, unit in police
                  if not any(other != unit.path and other.startswith(unit.path) for other in paths)]
    points, missing = [], []
    for unit_id, name, population, reached in places:
        if not population:
            missing.append(name)
            continue
        now, before = cases.figures(unit_id, OutcomeMeasure.INCIDENTS)
        points.append(ReachPoint(unit_id, name, population, reached, now, before))
    return Reach(len(bureaus) > 1, points, missing, cases.window)


def gaps(progress_: Progress, unit_id: int) -> list[Outreach]:
    """The 八进 places a unit has not been to yet in the campaign."""
    counts = progress_.coverage.get(unit_id, {})
    return [place for place in EIGHT_PLACES if not counts.get(place.value)]


@dataclass(frozen=True)
class Series:
    """Cumulative progress of a target (one unit, or all units it applies to) against the ideal straight line."""

    days: list[date]
    actual: list[float]  # up to today
    ideal: list[float]  # the whole campaign
    goal: float
    unit_of_measure: str


def cumulative(session: Session, actor: Actor, campaign_id: int, target_id: int, unit_id: int | None,
               today: date) -> Series | None:
    """Day by day cumulative value of a count or coverage target; None for targets without a cumulative line."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    campaign = load_campaign(session, actor, campaign_id)
    target = next((x for x in _targets(session, campaign.id) if x.id == target_id), None)
    if target is None or target.kind not in (TargetKind.COUNT, TargetKind.COVERAGE):
        return None
    links = _participants(session, actor, campaign.id)
    counted_for = _counted_for(links)
    applicable = [unit.id for link, unit in links if not link.partner
                  and target.applies_to_unit_id in (None, unit.id) and unit_id in (None, unit.id)]
    if not applicable:
        return None
    sources = [unit_id for unit_id, police in counted_for.items() if police in applicable]
    days = [campaign.start_date + timedelta(days=i) for i in range((campaign.end_date - campaign.start_date).days + 1)]
    daily = {day: float(amount) for day, amount in tallies.target_days(
        session, target.id, sources, campaign.start_date, min(today, campaign.end_date)).items()}
    if target.kind is TargetKind.COVERAGE:
        base_rows = dict(session.execute(
            select(CampaignBase.unit_id, CampaignBase.base_value)
            .where(CampaignBase.target_id == target.id, CampaignBase.unit_id.in_(applicable))
            .order_by(CampaignBase.declared_at, CampaignBase.id)).all())
        base = sum(base_rows.values())
        if not base:
            return None
        scale, goal, uom = 100 / base, target.target_value, "%"
    else:
        n_periods = len(periods(target.period or TargetPeriod.CAMPAIGN, campaign.start_date, campaign.end_date))
        scale, goal, uom = 1.0, target.target_value * n_periods * len(applicable), target.unit_of_measure
    actual, running = [], 0.0
    for day in days:
        if day > today:
            break
        running += daily.get(day, 0.0)
        actual.append(running * scale)
    ideal = [goal * (i + 1) / len(days) for i in range(len(days))]
    return Series(days, actual, ideal, goal, uom)


# ---------------------------------------------------------------- the matrix as the page shows it and exports it

@dataclass(frozen=True)
class MatrixView:
    """The matrix's filters: a 分局, a unit, only the units behind."""

    bureau_id: int | None = None
    unit_id: int | None = None
    behind_only: bool = False


def _behind(progress_: Progress, unit_id: int) -> bool:
    return any(cell.light in (Light.RED, Light.AMBER) for (u, _), cell in progress_.cells.items() if u == unit_id)


def shown_units(progress_: Progress, view: MatrixView) -> list[UnitRow]:
    """The units of the filters, grouped under their 分局 in tree order (the 分局's own row before its stations)."""
    order = {bureau_id: index for index, (bureau_id, _) in enumerate(progress_.bureaus)}
    units = [u for u in progress_.units if view.bureau_id in (None, u.bureau_id) and view.unit_id in (None, u.unit_id)
             and not (view.behind_only and not _behind(progress_, u.unit_id))]
    return sorted(units, key=lambda u: order.get(u.bureau_id, len(order)))  # stable: tree order within a 分局


def matrix_header(progress_: Progress) -> list[str]:
    """The matrix's columns: the unit, its 联络员 and phone, then one per target."""
    return [t.CAMP_UNIT, t.CAMP_LIAISON, t.CAMP_LIAISON_PHONE, *(target.description for target in progress_.targets)]


def matrix_row(progress_: Progress, unit: UnitRow) -> list[str]:
    """One unit's row: each cell is the light's word, then the figures and pacing ("—" where a target does not apply)."""
    cells = [progress_.cells.get((unit.unit_id, target.id)) for target in progress_.targets]
    return [unit.name, unit.liaison_name or "", unit.liaison_phone or "",
            *(f"{t.LIGHT_WORDS[cell.light.value]}{cell.text}" if cell else "—" for cell in cells)]


@dataclass(frozen=True)
class BureauRow:
    """A 分局 and its units: how many cells stand at each light, how many units have a red or amber one."""

    bureau_id: int
    name: str
    units: int
    lights: dict[Light, int]
    behind_units: int


def bureau_summary(progress_: Progress) -> list[BureauRow]:
    """One row per 分局 summarising its own row and its stations' cells."""
    rows = []
    for bureau_id, name in progress_.bureaus:
        members = {u.unit_id for u in progress_.units if u.bureau_id == bureau_id}
        lights = {light: 0 for light in (Light.RED, Light.AMBER, Light.GREEN, Light.GREY)}
        for (unit_id, _), cell in progress_.cells.items():
            if unit_id in members:
                lights[cell.light] += 1
        rows.append(BureauRow(bureau_id, name, len(members), lights,
                              sum(1 for unit_id in members if _behind(progress_, unit_id))))
    return rows


def view_filters(progress_: Progress, view: MatrixView) -> list[tuple[str, str]]:
    """The filters as (name, value) rows, as the page shows them."""
    bureaus = dict(progress_.bureaus)
    names = {u.unit_id: u.name for u in progress_.units}
    return [(t.CAMP_FILTER_BUREAU, bureaus.get(view.bureau_id, t.CAMP_FILTER_ALL_BUREAUS)),
            (t.CAMP_FILTER_UNIT, names.get(view.unit_id, t.CAMP_FILTER_ALL_UNITS)),
            (t.CAMP_FILTER_SHOW, t.CAMP_SHOW_BEHIND if view.behind_only else t.CAMP_SHOW_ALL)]


_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|“”‘’\s]+')


def matrix_file_name(progress_: Progress, view: MatrixView, fmt: str) -> str:
    """The export's file name: the campaign, the day, and the filters that narrow it."""
    chosen = [value for (_, value), default in zip(view_filters(progress_, view),
                                                   (t.CAMP_FILTER_ALL_BUREAUS, t.CAMP_FILTER_ALL_UNITS, t.CAMP_SHOW_ALL),
                                                   strict=True) if value != default]
    parts = [progress_.campaign.name, progress_.today.isoformat(), *chosen]
    return t.CAMP_EXPORT_FILE.format(parts="_".join(_UNSAFE_IN_NAMES.sub("", part) for part in parts), fmt=fmt)


EXPORT_FORMATS = ("csv", "xlsx")


def export_matrix(session: Session, actor: Actor, campaign_id: int, today: date, view: MatrixView, fmt: str,
                  now: datetime) -> bytes:
    """Every unit of the filters (not just the page) as CSV or XLSX: a title row, the filters, then the matrix exactly
    as shown; audited in this transaction."""
    require(actor, Permission.EXPORT)
    if fmt not in EXPORT_FORMATS:
        raise ValueError(fmt)
    standing = progress(session, actor, campaign_id, today)
    if (view.bureau_id is not None and view.bureau_id not in dict(standing.bureaus)) or (
            view.unit_id is not None and view.unit_id not in {u.unit_id for u in standing.units}):
        raise AccessDenied(OUT_OF_SCOPE)
    units = shown_units(standing, view)
    filters = view_filters(standing, view)
    heading = [(t.CAMP_EXPORT_TITLE, standing.campaign.name), (t.CAMP_EXPORT_DATE, today.isoformat()), *filters,
               (t.CAMP_EXPORT_ROWS, str(len(units))), (t.CAMP_EXPORT_AT, f"{to_shanghai(now):%Y-%m-%d %H:%M}")]
    header, rows = matrix_header(standing), [matrix_row(standing, u) for u in units]
    audit.record(session, AuditAction.EXPORT, actor, object_type="campaign", object_id=standing.campaign.id,
                 detail=t.CAMP_EXPORT_AUDIT.format(fmt=fmt.upper(), rows=len(rows),
                                                   filters="；".join(f"{n}：{v}" for n, v in filters)))
    if fmt == "xlsx":
        return xlsx_bytes(t.CAMP_EXPORT_TITLE, heading, header, rows)
    return csv_bytes(list(heading[0]), [list(pair) for pair in heading[1:]] + [[], header, *rows])
