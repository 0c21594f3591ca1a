"""The monthly ranking 通报 of a campaign: units ranked on the indicators the bureau weights, computed once per call.

Indicators of a ranked unit (its whole subtree), for one Beijing-time month:
- 每万人发案: cases reported in the month per 10,000 residents (unit.population, or its units' sum when unset);
- 同比: change of the month's cases against the same month last year, in % (none without cases last year);
- 损失: the month's losses, 万元; 返还: the month's recovered (returned) amounts, 万元 (fraud_case.recovered_fen);
- 目标达标率: share of the campaign targets that apply to the unit standing green at the month's end (or today);
- 逾期问责: accountability items open at the month's end (or now) whose due date had passed;
- 迟报漏报: report periods due in the month that its police units reported late or not at all.
Each indicator is scored 0–100 across the ranked units (the best 100, the worst 0, linear; all equal: all 100); an
indicator a unit has no value for is left out of its score and its other weights count for more. The score is the
weighted mean; ranks are shared by equal scores. Weights are stored per campaign in app_setting (DEFAULT_WEIGHTS).
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from db.models import AccountabilityItem, AppSetting, CampaignReport, CampaignUnit, FraudCase, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import require
from services.campaigns import calendar
from services.campaigns import text as t
from services.campaigns.documents import ranking_docx
from services.campaigns.entries import load_campaign
from services.campaigns.progress import progress
from services.campaigns.reports import is_demo
from services.shared.errors import InvalidInput
from services.shared.money import wan_figure
from services.shared.timeutil import day_start_utc, now_utc, shanghai_today
from vocabulary import AuditAction, ItemStatus, Light

# indicator key → (Chinese label with unit, higher is better)
INDICATORS: dict[str, tuple[str, bool]] = {
    "rate": (t.RANK_COL_RATE, False),
    "change": (t.RANK_COL_CHANGE, False),
    "loss": (t.RANK_COL_LOSS, False),
    "recovered": (t.RANK_COL_RECOVERED, True),
    "targets": (t.RANK_COL_TARGETS, True),
    "overdue": (t.RANK_COL_OVERDUE, False),
    "late": (t.RANK_COL_LATE, False),
}
# The defaults (sum 100): outcomes weigh most, then the campaign's own work and discipline.
DEFAULT_WEIGHTS: dict[str, int] = {"rate": 25, "change": 15, "loss": 15, "recovered": 10, "targets": 15,
                                   "overdue": 10, "late": 10}
WEIGHT_MAX = 100
SETTING_KEY = "ranking_weights:{campaign_id}"
TOP_COUNT = 3  # 先进 and 后进 named in the 通报


def month_window(month: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC of the Beijing-time month containing `month`."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return day_start_utc(first), day_start_utc(following)


def _year_before(month: date) -> date:
    return month.replace(year=month.year - 1, day=1)


def month_choices(session: Session, actor: Actor, campaign_id: int, today: date) -> list[date]:
    """The months of the campaign up to this one (first days), latest first."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    campaign = load_campaign(session, actor, campaign_id)
    months, day = [], campaign.start_date.replace(day=1)
    while day <= min(today, campaign.end_date):
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return list(reversed(months))


def default_month(months: list[date], today: date) -> date | None:
    """The latest month that has ended (the 通报 is of the month before), else the current one."""
    ended = [m for m in months if month_window(m)[1] <= day_start_utc(today)]
    return ended[0] if ended else (months[0] if months else None)


# ---------------------------------------------------------------- weights


def weights(session: Session, campaign_id: int) -> dict[str, int]:
    """The campaign's weights, or the defaults."""
    raw = session.execute(select(AppSetting.value).where(
        AppSetting.key == SETTING_KEY.format(campaign_id=campaign_id))).scalar()
    stored = json.loads(raw) if raw else {}
    return {key: int(stored.get(key, default)) for key, default in DEFAULT_WEIGHTS.items()}


def may_set_weights(session: Session, actor: Actor, campaign) -> bool:
    """A leader of the owning unit or above it."""
    owner = session.get(Unit, campaign.owner_unit_id)
    return actor.can(Permission.MANAGE_CAMPAIGNS) and owner is not None and owner.path.startswith(actor.unit_path)


def set_weights(session: Session, actor: Actor, campaign_id: int, values: dict[str, int]) -> dict[str, int]:
    """Store the campaign's weights (whole numbers 0–100, not all 0); audited."""
    require(actor, Permission.MANAGE_CAMPAIGNS)
    campaign = load_campaign(session, actor, campaign_id)
    if not may_set_weights(session, actor, campaign):
        raise AccessDenied(t.ERR_RANK_WEIGHTS_DENIED)
    errors, clean = {}, {}
    for key in DEFAULT_WEIGHTS:
        value = values.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= WEIGHT_MAX:
            errors[key] = t.ERR_RANK_WEIGHT.format(limit=WEIGHT_MAX)
        else:
            clean[key] = value
    if not errors and not sum(clean.values()):
        errors["form"] = t.ERR_RANK_WEIGHTS_ZERO
    if errors:
        raise InvalidInput(errors)
    key = SETTING_KEY.format(campaign_id=campaign.id)
    row = session.get(AppSetting, key)
    text = json.dumps(clean, sort_keys=True)
    if row is None:
        session.add(AppSetting(key=key, value=text, updated_at=now_utc()))
    else:
        row.value, row.updated_at = text, now_utc()
    audit.record(session, AuditAction.UPDATE, actor, object_type="ranking_weights", object_id=campaign.id,
                 detail=t.AUDIT_RANK_WEIGHTS.format(weights=text))
    return clean


# ---------------------------------------------------------------- the indicators


@dataclass(frozen=True)
class RankRow:
    """One ranked unit: its indicators, score (0–100) and rank (1 = best)."""

    unit_id: int
    unit_name: str
    population: int | None
    cases: int
    cases_last_year: int
    rate: float | None  # cases per 10,000 residents
    change: float | None  # % against the same month last year
    loss_fen: int
    recovered_fen: int
    targets_met: float | None  # % of applicable targets green
    overdue: int
    late: int
    score: float
    rank: int

    def value(self, key: str) -> float | None:
        return {"rate": self.rate, "change": self.change, "loss": float(self.loss_fen),
                "recovered": float(self.recovered_fen), "targets": self.targets_met,
                "overdue": float(self.overdue), "late": float(self.late)}[key]


@dataclass(frozen=True)
class Ranking:
    campaign_name: str
    issuer: str
    issuer_is_city: bool
    month: date
    as_of: date
    weights: dict[str, int]
    rows: list[RankRow]  # best first
    demo: bool


def ranked_units(session: Session, actor: Actor, campaign_id: int) -> list[Unit]:
    """The police units of the campaign one level below the actor's unit (else every police unit in scope)."""
    links = session.execute(select(Unit).join(CampaignUnit, CampaignUnit.unit_id == Unit.id)
                            .where(CampaignUnit.campaign_id == campaign_id, CampaignUnit.partner.is_(False),
                                   Unit.path.startswith(actor.unit_path))
                            .order_by(Unit.level, Unit.sort_order, Unit.id)).scalars().all()
    children = [u for u in links if u.parent_id == actor.unit_id]
    return children or [u for u in links if u.id != actor.unit_id] or list(links)


def _owner_of(units: list[Unit], path: str) -> int | None:
    """The ranked unit whose subtree holds a unit path (ranked units never nest: the deepest match wins)."""
    best = None
    for unit in units:
        if path.startswith(unit.path) and (best is None or len(unit.path) > len(best.path)):
            best = unit
    return best.id if best else None


def _case_figures(session: Session, actor: Actor, units: list[Unit], month: date) -> dict[int, tuple[int, ...]]:
    """Per ranked unit: (cases, cases same month last year, loss fen, recovered fen), one grouped query."""
    start, end = month_window(month)
    prev_start, prev_end = month_window(_year_before(month))
    now = and_(FraudCase.reported_at >= start, FraudCase.reported_at < end)
    before = and_(FraudCase.reported_at >= prev_start, FraudCase.reported_at < prev_end)
    rows = session.execute(
        select(Unit.path, func.sum(case((now, 1), else_=0)), func.sum(case((before, 1), else_=0)),
               func.sum(case((now, FraudCase.loss_fen), else_=0)),
               func.sum(case((now, FraudCase.recovered_fen), else_=0)))
        .join(Unit, Unit.id == FraudCase.unit_id)
        .where(or_(now, before), Unit.path.startswith(actor.unit_path))
        .group_by(Unit.path)).all()
    totals = {u.id: [0, 0, 0, 0] for u in units}
    for path, *values in rows:
        owner = _owner_of(units, path)
        if owner is not None:
            totals[owner] = [a + int(b or 0) for a, b in zip(totals[owner], values, strict=True)]
    return {key: tuple(value) for key, value in totals.items()}


def _populations(session: Session, units: list[Unit]) -> dict[int, int | None]:
    """unit.population, or the sum over the units below it when it has none."""
    result = {}
    for unit in units:
        if unit.population:
            result[unit.id] = unit.population
            continue
        below = session.execute(select(func.sum(Unit.population)).where(
            Unit.path.startswith(unit.path), Unit.id != unit.id)).scalar()
        result[unit.id] = int(below) if below else None
    return result


def _overdue(session: Session, units: list[Unit], as_of: date) -> dict[int, int]:
    """Accountability items open at the end of as_of whose due date was before as_of."""
    cutoff = day_start_utc(as_of + timedelta(days=1))
    rows = session.execute(
        select(Unit.path, func.count()).select_from(AccountabilityItem)
        .join(Unit, Unit.id == AccountabilityItem.unit_id)
        .where(AccountabilityItem.raised_at < cutoff, AccountabilityItem.due_date < as_of,
               or_(and_(AccountabilityItem.closed_at.is_(None), AccountabilityItem.status != ItemStatus.CLOSED.value),
                   AccountabilityItem.closed_at >= cutoff),
               Unit.path.startswith(_common_path(units)))
        .group_by(Unit.path)).all()
    counts = {u.id: 0 for u in units}
    for path, count in rows:
        owner = _owner_of(units, path)
        if owner is not None:
            counts[owner] += int(count)
    return counts


def _common_path(units: list[Unit]) -> str:
    paths = [u.path for u in units]
    prefix = paths[0] if paths else "/"
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[:prefix.rstrip("/").rfind("/") + 1] or "/"
    return prefix


def _late_reports(session: Session, campaign, units: list[Unit], month: date, now: datetime) -> dict[int, int]:
    """Report periods due in the month (and by now) that police units of each subtree reported late or not at all."""
    start, end = month.replace(day=1), (month.replace(day=1) + timedelta(days=32)).replace(day=1)
    due = [p for p in calendar.periods_due(calendar.report_periods(campaign.start_date, campaign.end_date), now)
           if start <= p.due < end]
    counts = {u.id: 0 for u in units}
    if not due:
        return counts
    police = session.execute(select(Unit.id, Unit.path).join(CampaignUnit, CampaignUnit.unit_id == Unit.id)
                             .where(CampaignUnit.campaign_id == campaign.id, CampaignUnit.partner.is_(False),
                                    Unit.path.startswith(_common_path(units)))).all()
    submitted = {(r.unit_id, r.period_number): r.submitted_at for r in session.execute(
        select(CampaignReport.unit_id, CampaignReport.period_number, CampaignReport.submitted_at)
        .where(CampaignReport.campaign_id == campaign.id,
               CampaignReport.period_number.in_([p.number for p in due]))).all()}
    bad = (calendar.ReportStatus.LATE, calendar.ReportStatus.MISSING)
    for unit_id, path in police:
        owner = _owner_of(units, path)
        if owner is None:
            continue
        counts[owner] += sum(calendar.status(p, submitted.get((unit_id, p.number)), now) in bad for p in due)
    return counts


def _targets_met(session: Session, actor: Actor, campaign_id: int, units: list[Unit], as_of: date) -> dict:
    standing = progress(session, actor, campaign_id, as_of)
    shares: dict[int, float | None] = {}
    for unit in units:
        cells = [cell for (unit_id, _), cell in standing.cells.items() if unit_id == unit.id]
        shares[unit.id] = (sum(c.light is Light.GREEN for c in cells) / len(cells) * 100) if cells else None
    return shares


# ---------------------------------------------------------------- scoring


def _scores(values: dict[int, float | None], higher_better: bool) -> dict[int, float | None]:
    known = [v for v in values.values() if v is not None]
    if not known:
        return {key: None for key in values}
    low, high = min(known), max(known)
    result: dict[int, float | None] = {}
    for key, value in values.items():
        if value is None:
            result[key] = None
        elif high == low:
            result[key] = 100.0
        else:
            share = (value - low) / (high - low)
            result[key] = 100.0 * (share if higher_better else 1 - share)
    return result


def score(rows: dict[int, dict[str, float | None]], weights_: dict[str, int]) -> dict[int, float]:
    """Weighted mean of the 0–100 indicator scores of each unit (indicators without a value left out)."""
    per_indicator = {key: _scores({u: r[key] for u, r in rows.items()}, INDICATORS[key][1]) for key in INDICATORS}
    result = {}
    for unit_id in rows:
        parts = [(weights_[key], per_indicator[key][unit_id]) for key in INDICATORS
                 if weights_.get(key) and per_indicator[key][unit_id] is not None]
        total = sum(w for w, _ in parts)
        result[unit_id] = round(sum(w * s for w, s in parts) / total, 1) if total else 0.0
    return result


def _ranks(scores: list[float]) -> list[int]:
    """Competition ranks of scores sorted best first (1, 2, 2, 4)."""
    ranks = []
    for i, value in enumerate(scores):
        ranks.append(ranks[-1] if i and value == scores[i - 1] else i + 1)
    return ranks


def ranking(session: Session, actor: Actor, campaign_id: int, month: date, now: datetime | None = None) -> Ranking:
    """The ranking of one Beijing-time month of the campaign within the actor's scope."""
    if not actor.can(Permission.VIEW_WALL):  # the wall shows the running campaign's ranking (read-only)
        require(actor, Permission.VIEW_CAMPAIGNS)
    now = now or now_utc()
    today = shanghai_today(now)
    campaign = load_campaign(session, actor, campaign_id)
    month = month.replace(day=1)
    if month > today or month > campaign.end_date or month_window(month)[1] <= day_start_utc(campaign.start_date):
        raise InvalidInput({"month": t.ERR_RANK_MONTH})
    units = ranked_units(session, actor, campaign.id)
    month_end = month_window(month)[1].astimezone(UTC)
    last_day = shanghai_today(month_end - timedelta(microseconds=1))
    as_of = min(last_day, today, campaign.end_date)
    weights_ = weights(session, campaign.id)
    cases = _case_figures(session, actor, units, month)
    population = _populations(session, units)
    met = _targets_met(session, actor, campaign.id, units, as_of)
    overdue = _overdue(session, units, as_of) if units else {}
    late = _late_reports(session, campaign, units, month, now) if units else {}
    raw = {}
    for unit in units:
        count, before, loss, recovered = cases[unit.id]
        raw[unit.id] = {
            "rate": count / population[unit.id] * 10_000 if population[unit.id] else None,
            "change": (count - before) / before * 100 if before else None,
            "loss": float(loss), "recovered": float(recovered), "targets": met[unit.id],
            "overdue": float(overdue[unit.id]), "late": float(late[unit.id]),
        }
    scores = score(raw, weights_)
    order = sorted(units, key=lambda u: (-scores[u.id], u.sort_order, u.id))
    ranks = _ranks([scores[u.id] for u in order])
    rows = []
    for unit, rank in zip(order, ranks, strict=True):
        count, before, loss, recovered = cases[unit.id]
        values = raw[unit.id]
        rows.append(RankRow(unit.id, unit.name, population[unit.id], count, before, values["rate"],
                            values["change"], loss, recovered, values["targets"], overdue[unit.id], late[unit.id],
                            scores[unit.id], rank))
    issuer = session.get(Unit, actor.unit_id)
    return Ranking(campaign.name, issuer.name if issuer else actor.unit_name,
                   bool(issuer and issuer.parent_id is None), month, as_of, weights_, rows, is_demo(session))


def wan(fen: int) -> float:
    """A table's 万元 figure (never rounded up across a whole 万)."""
    return float(wan_figure(fen))


def ranking_file(session: Session, actor: Actor, campaign_id: int, month: date,
                 now: datetime | None = None) -> tuple[str, bytes]:
    """The monthly ranking 通报 as DOCX (file name, bytes), dated today (Beijing); the export is audited."""
    require(actor, Permission.EXPORT)
    now = now or now_utc()
    result = ranking(session, actor, campaign_id, month, now)
    label = t.RANK_MONTH_FORMAT.format(year=result.month.year, month=result.month.month)
    audit.record(session, AuditAction.EXPORT, actor, object_type="campaign_ranking", object_id=campaign_id,
                 detail=t.AUDIT_RANK_EXPORT.format(month=label, units=len(result.rows)))
    name = t.RANK_FILE.format(issuer=result.issuer, month=label)
    return f"{name}.docx", ranking_docx(result, shanghai_today(now))


def table_rows(result: Ranking) -> list[dict[str, object]]:
    """The ranking as the page shows it: Chinese column names with units, numbers as numbers (None: no value)."""
    def rounded(value: float | None, places: int) -> float | None:
        return None if value is None else round(value, places)

    return [{t.RANK_COL_RANK: row.rank, t.RANK_COL_UNIT: row.unit_name, t.RANK_COL_CASES: row.cases,
             t.RANK_COL_RATE: rounded(row.rate, 2), t.RANK_COL_CHANGE: rounded(row.change, 1),
             t.RANK_COL_LOSS: wan(row.loss_fen), t.RANK_COL_RECOVERED: wan(row.recovered_fen),
             t.RANK_COL_TARGETS: rounded(row.targets_met, 1), t.RANK_COL_OVERDUE: row.overdue,
             t.RANK_COL_LATE: row.late, t.RANK_COL_SCORE: row.score} for row in result.rows]


def weight_labels() -> dict[str, str]:
    """Each weighted indicator and its Chinese name (for the weights form)."""
    return {key: label for key, (label, _) in INDICATORS.items()}
