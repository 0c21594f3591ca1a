"""The 10th/25th progress reports: a unit submits the period it owes, frozen as a JSON snapshot (figures and target
standing as they were); who reported and who is late, with the 联络员 to call; the frozen report as DOCX/XLSX."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from db import queries
from db.models import Activity, CampaignReport, CampaignUnit, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.masking import mask_phone
from services.access.permissions import Permission
from services.access.scope import require
from services.campaigns import calendar, documents
from services.campaigns import report_model as model
from services.campaigns import text as t
from services.campaigns.entries import load_campaign, participant
from services.campaigns.progress import Progress, outcome_met, progress, target_measure
from services.campaigns.report_model import Figures, Liaison, Rollup, Tally, TargetRow, UnitReport
from services.campaigns.validate import TEXT_LIMIT, text_value
from services.shared.errors import InvalidInput
from services.shared.money import wan_figure
from services.shared.timeutil import now_utc, shanghai_today
from vocabulary import ActivityChannel, AuditAction, Light, Outreach, Role, TargetKind

LIGHT_STATUS = {Light.GREEN: "达标/进度正常", Light.AMBER: "稍有落后", Light.RED: "落后", Light.GREY: "暂无数据"}


def period_label(period: calendar.ReportPeriod) -> str:
    template = t.REP_FINAL if period.final else t.REP_PERIOD
    return template.format(number=period.number, start=period.covers_from, end=period.covers_to, due=period.due)


def _periods(campaign) -> list[calendar.ReportPeriod]:
    return calendar.report_periods(campaign.start_date, campaign.end_date)


def owed_period(session: Session, campaign, unit_id: int, today: date) -> calendar.ReportPeriod | None:
    """The earliest period the unit has not reported that has begun (late ones first)."""
    done = set(session.execute(select(CampaignReport.period_number).where(
        CampaignReport.campaign_id == campaign.id, CampaignReport.unit_id == unit_id)).scalars())
    return next((p for p in _periods(campaign) if p.number not in done and p.covers_from <= today), None)


def figures(session: Session, campaign_id: int, unit_ids: list[int], first: date, last: date) -> Figures:
    """主要数据 of the units' activities in first..last."""
    rows = session.execute(select(Activity.channel, Activity.outreach, Activity.people_reached, Activity.households,
                                  Activity.pieces, Activity.officers)
                           .where(Activity.campaign_id == campaign_id, Activity.unit_id.in_(unit_ids),
                                  Activity.activity_date >= first, Activity.activity_date <= last)).all()
    return figures_of(rows)


def subtree_figures(session: Session, campaign_id: int, path: str, first: date, last: date) -> Figures:
    """主要数据 of every unit under path (the unit itself, the units below it and their partners) in first..last."""
    rows = session.execute(select(Activity.channel, Activity.outreach, Activity.people_reached, Activity.households,
                                  Activity.pieces, Activity.officers).join(Unit, Unit.id == Activity.unit_id)
                           .where(Activity.campaign_id == campaign_id, Unit.path.startswith(path),
                                  Activity.activity_date >= first, Activity.activity_date <= last)).all()
    return figures_of(rows)


def units_below(police: list[Unit], unit: Unit) -> list[Unit]:
    """The participating police units under `unit` (its 辖区), in the order given."""
    return [other for other in police if other.id != unit.id and other.path.startswith(unit.path)]


def figures_of(rows) -> Figures:
    """主要数据 of activity rows (channel, outreach, people, households, pieces, officers)."""
    channels = Counter(ActivityChannel.label_of(r[0], r[0]) for r in rows)
    places = Counter(Outreach.label_of(r[1], r[1]) for r in rows)
    return Figures(len(rows), sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows),
                   sum(r[5] for r in rows), tuple(Tally(k, v) for k, v in channels.most_common()),
                   tuple(Tally(k, v) for k, v in places.most_common()))


def _decimal(value: float | None) -> Decimal:
    return Decimal(str(round(value or 0.0, 1)))


def is_demo(session: Session) -> bool:
    """Whether this installation holds the generated demo (its documents are marked 演示数据)."""
    return queries.setting(session, queries.DEMO_SETTING_KEY) is not None


def _outcome_row(target, cell) -> TargetRow:
    """An outcome target as this period against the same days last year (the progress cell's figures): 起/人, or 万元
    cut so as never to read above a threshold the amount is below; met at ≤ -goal% (a drop) or ≥ +goal% (a rise)."""
    measure = target_measure(target)
    def figure(value: float | None) -> Decimal:
        if measure.is_money:
            return wan_figure(round((value or 0.0) * 1_000_000))
        return Decimal(round(value or 0))
    goal = _decimal(target.target_value)
    if cell.change_pct is None:
        status = t.REP_OUTCOME_NO_PREV if cell.previous is not None else LIGHT_STATUS[cell.light]
        change = None
    else:
        met = outcome_met(measure, cell.change_pct, target.target_value)
        status = t.REP_OUTCOME_MET if met else t.REP_OUTCOME_NOT_MET
        change = _decimal(cell.change_pct)
    unit = "万元" if measure.is_money else t.OUTCOME_UOM[measure.value]
    return TargetRow(target.description, figure(cell.value), goal, unit, status, light=cell.light.value, outcome=True,
                     previous=figure(cell.previous) if cell.previous is not None else None, change_pct=change,
                     good_when_up=measure.good_when_up)


def target_rows(standing: Progress, unit_id: int) -> tuple[TargetRow, ...]:
    """A unit's standing on each target that applies to it, as frozen into its report."""
    rows = []
    for target in standing.targets:
        cell = standing.cells.get((unit_id, target.id))
        if cell is None:
            continue
        if target.kind is TargetKind.OUTCOME:
            rows.append(_outcome_row(target, cell))
            continue
        needed = cell.pacing.needed_per_week if cell.pacing and not cell.pacing.on_track else None
        rows.append(TargetRow(target.description, _decimal(cell.value), _decimal(cell.goal or target.target_value),
                              target.unit_of_measure, LIGHT_STATUS[cell.light],
                              _decimal(needed) if needed is not None else None, light=cell.light.value))
    return tuple(rows)


def submit_report(session: Session, actor: Actor, campaign_id: int, unit_id: int, methods: str, channels: str,
                  process: str, scope: str, next_steps: str, now: datetime | None = None) -> int:
    """A police unit submits the period it owes; figures and target standing are frozen into the snapshot."""
    require(actor, Permission.LOG_ACTIVITIES)
    now = now or now_utc()
    today = shanghai_today(now)
    campaign = load_campaign(session, actor, campaign_id)
    link, unit = participant(session, actor, campaign.id, unit_id)
    if link.partner:
        raise InvalidInput({"unit": t.ERR_REPORT_NOT_POLICE})
    errors: dict[str, str] = {}
    words = {name: text_value(value, name, errors, TEXT_LIMIT, 2) for name, value in
             (("methods", methods), ("channels", channels), ("process", process), ("scope", scope))}
    steps = text_value(next_steps, "next_steps", errors, TEXT_LIMIT)
    period = owed_period(session, campaign, unit_id, today)
    if period is None:
        errors["form"] = t.ERR_REPORT_NOTHING_DUE
    if errors:
        raise InvalidInput(errors)
    partners = [u for u, in session.execute(select(CampaignUnit.unit_id).join(Unit, Unit.id == CampaignUnit.unit_id)
                                            .where(CampaignUnit.campaign_id == campaign.id, CampaignUnit.partner,
                                                   Unit.parent_id == unit_id)).all()]
    standing = progress(session, actor, campaign.id, min(today, period.covers_to))
    last = min(period.covers_to, today)
    own = figures(session, campaign.id, [unit_id, *partners], period.covers_from, last)
    below = [u for _, u in session.execute(
        select(CampaignUnit, Unit).join(Unit, Unit.id == CampaignUnit.unit_id)
        .where(CampaignUnit.campaign_id == campaign.id, CampaignUnit.partner.is_(False), Unit.id != unit_id,
               Unit.path.startswith(unit.path)).order_by(Unit.level, Unit.sort_order, Unit.id)).all()]
    report = UnitReport(
        campaign_name=campaign.name, theme=campaign.theme or "", period=period, unit_name=unit.name,
        liaison=Liaison(link.liaison_name or "", mask_phone(link.liaison_phone) or ""),
        methods=words["methods"], channels=words["channels"], process=words["process"], scope=words["scope"],
        figures=subtree_figures(session, campaign.id, unit.path, period.covers_from, last) if below else own,
        targets=target_rows(standing, unit_id), next_steps=steps or "", report_date=today,
        demo=is_demo(session), own_figures=own if below else None, includes=tuple(u.name for u in below))
    row = CampaignReport(campaign_id=campaign.id, unit_id=unit_id, period_number=period.number, due_date=period.due,
                         submitted_at=now, submitted_by=actor.username, snapshot=report.to_json())
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="campaign_report", object_id=row.id,
                 detail=t.AUDIT_REPORT.format(number=period.number))
    return row.id


@dataclass(frozen=True)
class BoardRow:
    """A unit's standing on the latest due report, with its 联络员 to call when it is late."""

    unit_id: int
    unit_name: str
    status: calendar.ReportStatus
    submitted_at: datetime | None
    missed_in_a_row: int
    liaison_name: str | None
    liaison_phone: str | None


@dataclass(frozen=True)
class ReportBoard:
    period: calendar.ReportPeriod | None  # the latest period due (None before the first due day)
    rows: list[BoardRow]
    submitted: list[tuple[int, str]]  # (report id, "unit 第N期") in scope, newest first
    owed: dict[int, calendar.ReportPeriod]  # police unit in scope → the period it owes now


def board(session: Session, actor: Actor, campaign_id: int, now: datetime) -> ReportBoard:
    """Who reported the latest due period, who is late, and what each unit owes; phones masked but for leaders."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    campaign = load_campaign(session, actor, campaign_id)
    periods = _periods(campaign)
    due = calendar.periods_due(periods, now)
    latest = due[-1] if due else None
    links = session.execute(select(CampaignUnit, Unit).join(Unit, Unit.id == CampaignUnit.unit_id)
                            .where(CampaignUnit.campaign_id == campaign.id, CampaignUnit.partner.is_(False),
                                   Unit.path.startswith(actor.unit_path))
                            .order_by(Unit.level, Unit.sort_order, Unit.id)).all()
    reports = session.execute(select(CampaignReport.id, CampaignReport.unit_id, CampaignReport.period_number,
                                     CampaignReport.submitted_at)
                              .where(CampaignReport.campaign_id == campaign.id,
                                     CampaignReport.unit_id.in_([u.id for _, u in links]))).all()
    submitted_at = {(r.unit_id, r.period_number): r.submitted_at for r in reports}
    show_phone = actor.role == Role.LEADER
    today = shanghai_today(now)
    rows, owed = [], {}
    for link, unit in links:
        statuses = [calendar.status(p, submitted_at.get((unit.id, p.number)), now) for p in due]
        if latest is not None:
            rows.append(BoardRow(unit.id, unit.name, statuses[-1], submitted_at.get((unit.id, latest.number)),
                                 calendar.missed_in_a_row(statuses), link.liaison_name,
                                 link.liaison_phone if show_phone else mask_phone(link.liaison_phone)))
        done = {n for (u, n) in submitted_at if u == unit.id}
        period = next((p for p in periods if p.number not in done and p.covers_from <= today), None)
        if period is not None:
            owed[unit.id] = period
    names = {u.id: u.name for _, u in links}
    submitted = [(r.id, f"{names[r.unit_id]} 第{r.period_number}期")
                 for r in sorted(reports, key=lambda r: (r.submitted_at, r.id), reverse=True)]
    return ReportBoard(latest, rows, submitted, owed)


def report_file(session: Session, actor: Actor, report_id: int, fmt: str) -> tuple[str, bytes]:
    """The frozen report as DOCX or XLSX (file name, bytes), rebuilt from its snapshot; the download is audited."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    row = session.execute(select(CampaignReport).join(Unit, Unit.id == CampaignReport.unit_id)
                          .where(CampaignReport.id == report_id, Unit.path.startswith(actor.unit_path))).scalar()
    if row is None:
        raise AccessDenied(t.ERR_REPORT_NOT_FOUND)
    load_campaign(session, actor, row.campaign_id)
    report = UnitReport.from_json(row.snapshot)
    content = documents.unit_report_docx(report) if fmt == "docx" else documents.unit_report_xlsx(report)
    audit.record(session, AuditAction.EXPORT, actor, object_type="campaign_report", object_id=row.id,
                 detail=t.AUDIT_REPORT_DOWNLOAD.format(unit=report.unit_name, number=row.period_number, fmt=fmt))
    name = t.REP_FILE.format(unit=report.unit_name, period=f"第{row.period_number}期")
    return f"{name}.{fmt}", content


# ---------------------------------------------------------------- the roll-up of a period

ROLLUP_ROLES = (Role.LEADER, Role.COMMAND)


def _police_in_scope(session: Session, actor: Actor, campaign_id: int) -> list[tuple[CampaignUnit, Unit]]:
    return [tuple(r) for r in session.execute(
        select(CampaignUnit, Unit).join(Unit, Unit.id == CampaignUnit.unit_id)
        .where(CampaignUnit.campaign_id == campaign_id, CampaignUnit.partner.is_(False),
               Unit.path.startswith(actor.unit_path))
        .order_by(Unit.level, Unit.sort_order, Unit.id)).all()]


def may_roll_up(session: Session, actor: Actor, campaign) -> bool:
    """A leader or command of the owning unit (or above it), or of a unit with police units below it in the campaign."""
    if actor.role not in ROLLUP_ROLES:
        return False
    owner = session.get(Unit, campaign.owner_unit_id)
    if owner is not None and owner.path.startswith(actor.unit_path):
        return True
    return any(unit.id != actor.unit_id for _, unit in _police_in_scope(session, actor, campaign.id))


@dataclass(frozen=True)
class RollupOptions:
    """What the roll-up section offers: whether the actor may build it and the periods due so far (latest first)."""

    allowed: bool
    periods: list[calendar.ReportPeriod]


def rollup_options(session: Session, actor: Actor, campaign_id: int, now: datetime) -> RollupOptions:
    """Whether the actor may build the roll-up, and of which periods."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    campaign = load_campaign(session, actor, campaign_id)
    return RollupOptions(may_roll_up(session, actor, campaign),
                         list(reversed(calendar.periods_due(_periods(campaign), now))))


STATUS_LIGHT = {label: light.value for light, label in LIGHT_STATUS.items()} | {
    t.REP_OUTCOME_MET: Light.GREEN.value, t.REP_OUTCOME_NOT_MET: Light.RED.value}


def light_of(row: TargetRow) -> str:
    """The row's traffic light; read from its status in snapshots frozen before the light was kept."""
    return row.light or STATUS_LIGHT.get(row.status, Light.GREY.value)


def _targets_across(units: list[UnitReport]) -> tuple[model.TargetSummary, ...]:
    """Per target (in order of first appearance): the reporting units by the light they stood at when frozen."""
    found: dict[str, dict[str, list[str]]] = {}
    for unit in units:
        for row in unit.targets:
            lights = found.setdefault(row.description, {light.value: [] for light in Light})
            lights[light_of(row)].append(unit.unit_name)
    return tuple(model.TargetSummary(name, *(tuple(lights[light.value]) for light in
                                       (Light.GREEN, Light.AMBER, Light.RED, Light.GREY)))
                 for name, lights in found.items())


def _groups(session: Session, actor: Actor, links, reported: dict[int, int]) -> tuple[model.RollupGroup, ...]:
    """The units by 辖区: the unit just below the issuer that each belongs to (a unit at the issuer's own level, or
    above a single station, stands for itself); reported maps unit id → index into the roll-up's units."""
    depth = len(actor.unit_path.strip("/").split("/"))
    heads: dict[int, tuple[list[int], list[str]]] = {}
    for _, unit in links:
        ids = [int(part) for part in unit.path.strip("/").split("/")]
        head = ids[depth] if len(ids) > depth else unit.id
        members, missing = heads.setdefault(head, ([], []))
        if unit.id in reported:
            members.append(reported[unit.id])
        else:
            missing.append(unit.name)
    names = {u.id: u.name for u in session.execute(select(Unit).where(Unit.id.in_(list(heads)))
                                                   .order_by(Unit.level, Unit.sort_order, Unit.id)).scalars()}
    return tuple(model.RollupGroup(names[head], tuple(heads[head][0]), tuple(heads[head][1])) for head in names)


def build_rollup(session: Session, actor: Actor, campaign_id: int, period_number: int, now: datetime) -> Rollup:
    """The roll-up of one due period from the frozen snapshots of the units in scope; the units that did not report
    are listed by name (their figures are not counted), those that reported after the due day too."""
    require(actor, Permission.VIEW_CAMPAIGNS)
    campaign = load_campaign(session, actor, campaign_id)
    if not may_roll_up(session, actor, campaign):
        raise AccessDenied(t.ERR_ROLLUP_DENIED)
    period = next((p for p in calendar.periods_due(_periods(campaign), now) if p.number == period_number), None)
    if period is None:
        raise InvalidInput({"period": t.ERR_ROLLUP_PERIOD})
    links = _police_in_scope(session, actor, campaign.id)
    rows = {r.unit_id: r for r in session.execute(
        select(CampaignReport).where(CampaignReport.campaign_id == campaign.id,
                                     CampaignReport.period_number == period.number,
                                     CampaignReport.unit_id.in_([u.id for _, u in links]))).scalars()}
    units, missing, late, reported = [], [], [], {}
    for _, unit in links:
        row = rows.get(unit.id)
        if row is None:
            missing.append(unit.name)
            continue
        reported[unit.id] = len(units)
        units.append(UnitReport.from_json(row.snapshot))
        if calendar.status(period, row.submitted_at, now) is calendar.ReportStatus.LATE:
            late.append(unit.name)
    issuer = session.get(Unit, actor.unit_id)
    return Rollup(campaign.name, campaign.theme or "", period, issuer.name if issuer else actor.unit_name,
                  tuple(units), tuple(missing), _targets_across(units), t.ROLLUP_NEXT_STEPS,
                  shanghai_today(now), is_demo(session) or any(u.demo for u in units), tuple(late),
                  _groups(session, actor, links, reported))


@dataclass(frozen=True)
class RollupFiles:
    docx_name: str
    docx: bytes
    xlsx_name: str
    xlsx: bytes
    reported: int
    missing: int
    late: int


def rollup_files(session: Session, actor: Actor, campaign_id: int, period_number: int, now: datetime) -> RollupFiles:
    """The roll-up of a period as DOCX and XLSX; both downloads are audited."""
    rollup = build_rollup(session, actor, campaign_id, period_number, now)
    name = t.ROLLUP_FILE.format(issuer=rollup.issuer, period=f"第{period_number}期")
    for fmt in ("docx", "xlsx"):
        audit.record(session, AuditAction.EXPORT, actor, object_type="campaign_rollup", object_id=campaign_id,
                     detail=t.AUDIT_ROLLUP.format(number=period_number, units=len(rollup.units),
                                                  missing=len(rollup.missing_units), fmt=fmt))
    return RollupFiles(f"{name}.docx", documents.rollup_docx(rollup), f"{name}.xlsx", documents.rollup_xlsx(rollup),
                       len(rollup.units), len(rollup.missing_units), len(rollup.late_units))
