"""The campaign progress read model: unit × target matrix with traffic lights and pacing, 八进 coverage,
activities per week, cumulative progress against the ideal line. Outcome targets come from fraud_case."""

import calendar as _calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from db.models import (
    Activity,
    Campaign,
    CampaignBase,
    CampaignSurvey,
    CampaignTarget,
    CampaignTaskDone,
    CampaignUnit,
    FraudCase,
    Unit,
)
from services.access.actor import Actor
from services.access.masking import mask_phone
from services.access.permissions import Permission
from services.access.scope import require
from services.campaigns import text as t
from services.campaigns.entries import load_campaign, visible_campaigns
from services.shared.timeutil import Comparison, period_of_days
from vocabulary import CountMeasure, Light, OutcomeMeasure, Outreach, Role, TargetKind, TargetPeriod, TaskState

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
    def light(self) -> Light:
        if self.value >= self.goal:
            return Light.GREEN
        if self.elapsed_days == 0:
            return Light.GREY
        if self.elapsed_days >= self.total_days:
            return Light.RED
        if self.on_track:
            return Light.GREEN
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
    found, day = [], start
    while day <= end:
        first, last = period_bounds(kind, day, start, end)
        found.append((first, last))
        day = last + timedelta(days=1)
    return found


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


@dataclass(frozen=True)
class _Act:
    unit_id: int  # the police unit it counts for
    day: date
    outreach: str
    channel: str
    people: int
    households: int
    pieces: int


def _activities(session: Session, campaign: Campaign, counted_for: dict[int, int], last: date) -> list[_Act]:
    rows = session.execute(
        select(Activity.unit_id, Activity.activity_date, Activity.outreach, Activity.channel, Activity.people_reached,
               Activity.households, Activity.pieces)
        .where(Activity.campaign_id == campaign.id, Activity.activity_date >= campaign.start_date,
               Activity.activity_date <= last)).all()
    return [_Act(counted_for[r[0]], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows if r[0] in counted_for]


def _amount(acts: list[_Act], target: TargetInfo, unit_id: int, first: date, last: date) -> float:
    measure = CountMeasure(target.measure or CountMeasure.ACTIVITIES.value)
    total = 0
    for act in acts:
        if act.unit_id != unit_id or not first <= act.day <= last:
            continue
        if (target.outreach and act.outreach != target.outreach) or (target.channel and act.channel != target.channel):
            continue
        total += 1 if measure is CountMeasure.ACTIVITIES else getattr(act, MEASURE_FIELD[measure])
    return float(total)


def _count_cell(acts, target: TargetInfo, unit_id: int, info: CampaignInfo, today: date) -> Cell:
    kind = target.period or TargetPeriod.CAMPAIGN
    uom = target.unit_of_measure
    if today < info.start_date:
        return Cell(Light.GREY, t.CELL_NOT_STARTED, goal=target.target_value)
    as_of = min(today, info.end_date)
    first, last = period_bounds(kind, as_of, info.start_date, info.end_date)
    pacing = pace(_amount(acts, target, unit_id, first, as_of), target.target_value, first, last, today)
    past = [(f, l) for f, l in periods(kind, info.start_date, info.end_date) if l < first]
    missed = sum(1 for f, l in past if _amount(acts, target, unit_id, f, l) < target.target_value)
    light = pacing.light
    if missed and light is Light.GREEN:
        light = Light.AMBER
    if past and missed * 2 > len(past):
        light = Light.RED
    verdict = t.CELL_MET if pacing.value >= pacing.goal else (
        t.CELL_ON_TRACK if pacing.on_track else t.CELL_BEHIND.format(per_week=_fmt(pacing.needed_per_week), uom=uom))
    text = t.CELL_PACING.format(value=_fmt(pacing.value), goal=_fmt(pacing.goal), uom=uom,
                                projected=_fmt(pacing.projected), verdict=verdict)
    if missed:
        text += t.CELL_PERIODS_MISSED.format(missed=missed, past=len(past))
    return Cell(light, text, pacing.value, pacing.goal, pacing, periods_past=len(past), periods_missed=missed)


def _coverage_cell(acts, target: TargetInfo, unit_id: int, base: int | None, info: CampaignInfo, today: date) -> Cell:
    if base is None:
        return Cell(Light.GREY, t.CELL_NO_BASE, goal=target.target_value)
    if today < info.start_date:
        return Cell(Light.GREY, t.CELL_NOT_STARTED, goal=target.target_value, base=base)
    reached = _amount(acts, target, unit_id, info.start_date, min(today, info.end_date))
    pct = reached / base * 100
    pacing = pace(pct, target.target_value, info.start_date, info.end_date, today)
    verdict = t.CELL_MET if pacing.value >= pacing.goal else (
        t.CELL_ON_TRACK if pacing.on_track else t.CELL_BEHIND.format(per_week=_fmt(pacing.needed_per_week), uom="%"))
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


def outcome_figures(session: Session, unit_path: str, measure: OutcomeMeasure, window: Comparison) -> tuple[int, int]:
    """Incidents (or loss in fen) of a unit's subtree in the current and the compared period, from fraud_case."""
    value = func.count() if measure is OutcomeMeasure.INCIDENTS else func.coalesce(func.sum(FraudCase.loss_fen), 0)
    def one(start, end) -> int:
        return int(session.execute(select(value).select_from(FraudCase).join(Unit, Unit.id == FraudCase.unit_id)
                                   .where(Unit.path.startswith(unit_path), FraudCase.reported_at >= start,
                                          FraudCase.reported_at < end)).scalar() or 0)
    return one(window.start, window.end), one(window.prev_start, window.prev_end)


def _outcome_cell(session: Session, unit: Unit, target: TargetInfo, info: CampaignInfo, today: date) -> Cell:
    if today < info.start_date:
        return Cell(Light.GREY, t.CELL_NOT_STARTED, goal=target.target_value)
    measure = OutcomeMeasure(target.measure or OutcomeMeasure.INCIDENTS.value)
    current, previous = outcome_figures(session, unit.path, measure, same_days_last_year(info.start_date, min(today, info.end_date)))
    scale, uom = (1, "起") if measure is OutcomeMeasure.INCIDENTS else (1_000_000, "万元")
    cur, prev = current / scale, previous / scale
    if previous == 0:
        return Cell(Light.GREY, t.CELL_OUTCOME_NO_PREV.format(cur=_fmt(cur), uom=uom), cur, target.target_value,
                    previous=0.0)
    change = (current - previous) / previous * 100
    drop = -change
    light = Light.GREEN if drop >= target.target_value else (Light.AMBER if drop > 0 else Light.RED)
    words = t.CELL_OUTCOME_DOWN.format(pct=_fmt(drop)) if change < 0 else t.CELL_OUTCOME_UP.format(pct=_fmt(change))
    return Cell(light, t.CELL_OUTCOME.format(cur=_fmt(cur), prev=_fmt(prev), uom=uom, change=words,
                                             goal=_fmt(target.target_value)),
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


def progress(session: Session, actor: Actor, campaign_id: int, today: date) -> Progress:
    """The matrix, 八进 coverage and weekly activity of a campaign, within the actor's scope, as of today."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    campaign = load_campaign(session, actor, campaign_id)
    info = CampaignInfo(campaign.id, campaign.name, campaign.theme, campaign.start_date, campaign.end_date)
    links = _participants(session, actor, campaign.id)
    show_phone = actor.role == Role.LEADER

    def row(link: CampaignUnit, unit: Unit) -> UnitRow:
        phone = link.liaison_phone if show_phone else mask_phone(link.liaison_phone)
        return UnitRow(unit.id, unit.name, link.partner, unit.parent_id, link.liaison_name, phone)

    police = [(link, unit) for link, unit in links if not link.partner]
    partners = [row(link, unit) for link, unit in links if link.partner]
    targets = _targets(session, campaign.id)
    counted_for = _counted_for(links)
    acts = _activities(session, campaign, counted_for, min(today, campaign.end_date))
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
                cells[key] = _count_cell(acts, target, unit.id, info, today)
            elif target.kind is TargetKind.COVERAGE:
                cells[key] = _coverage_cell(acts, target, unit.id, bases.get(key), info, today)
            elif target.kind is TargetKind.SURVEY:
                cells[key] = _survey_cell(surveys.get(key, []), target)
            elif target.kind is TargetKind.TASK:
                cells[key] = _task_cell(done.get(key), target, info, today)
            else:
                cells[key] = _outcome_cell(session, unit, target, info, today)
    coverage = {unit_id: {o.value: 0 for o in Outreach} for unit_id in ids}
    for act in acts:
        if act.unit_id in coverage:
            coverage[act.unit_id][act.outreach] = coverage[act.unit_id].get(act.outreach, 0) + 1
    weekly_counts: dict[date, int] = defaultdict(int)
    for act in acts:
        weekly_counts[act.day - timedelta(days=act.day.weekday())] += 1
    weeks = []
    if today >= campaign.start_date:
        monday = campaign.start_date - timedelta(days=campaign.start_date.weekday())
        while monday <= min(today, campaign.end_date):
            weeks.append((monday, weekly_counts.get(monday, 0)))
            monday += timedelta(days=7)
    return Progress(info, today, [row(link, unit) for link, unit in police], partners, targets, cells, coverage, weeks)


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
    acts = _activities(session, campaign, counted_for, min(today, campaign.end_date))
    days = [campaign.start_date + timedelta(days=i) for i in range((campaign.end_date - campaign.start_date).days + 1)]
    daily: dict[date, float] = defaultdict(float)
    for unit in applicable:
        for day in {a.day for a in acts if a.unit_id == unit}:
            daily[day] += _amount(acts, target, unit, day, day)
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
