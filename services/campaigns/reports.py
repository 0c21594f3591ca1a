"""The 10th/25th progress reports: a unit submits the period it owes, frozen as a JSON snapshot (figures and target
standing as they were); who reported and who is late, with the 联络员 to call; the frozen report as DOCX/XLSX."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from db.models import Activity, CampaignReport, CampaignUnit, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.masking import mask_phone
from services.access.permissions import Permission
from services.access.scope import require
from services.campaigns import calendar, documents
from services.campaigns import text as t
from services.campaigns.entries import TEXT_LIMIT, _text, load_campaign, participant
from services.campaigns.progress import progress
from services.campaigns.report_model import Figures, Liaison, Tally, TargetRow, UnitReport
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, shanghai_today
from vocabulary import ActivityChannel, AuditAction, Light, Outreach, Role

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
    channels = Counter(ActivityChannel.label_of(r[0], r[0]) for r in rows)
    places = Counter(Outreach.label_of(r[1], r[1]) for r in rows)
    return Figures(len(rows), sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows),
                   sum(r[5] for r in rows), tuple(Tally(k, v) for k, v in channels.most_common()),
                   tuple(Tally(k, v) for k, v in places.most_common()))


def _decimal(value: float | None) -> Decimal:
    return Decimal(str(round(value or 0.0, 1)))


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
    words = {name: _text(value, name, errors, TEXT_LIMIT, 2) for name, value in
             (("methods", methods), ("channels", channels), ("process", process), ("scope", scope))}
    steps = _text(next_steps, "next_steps", errors, TEXT_LIMIT)
    period = owed_period(session, campaign, unit_id, today)
    if period is None:
        errors["form"] = t.ERR_REPORT_NOTHING_DUE
    if errors:
        raise InvalidInput(errors)
    partners = [u for u, in session.execute(select(CampaignUnit.unit_id).join(Unit, Unit.id == CampaignUnit.unit_id)
                                            .where(CampaignUnit.campaign_id == campaign.id, CampaignUnit.partner,
                                                   Unit.parent_id == unit_id)).all()]
    standing = progress(session, actor, campaign.id, min(today, period.covers_to))
    rows = []
    for target in standing.targets:
        cell = standing.cells.get((unit_id, target.id))
        if cell is None:
            continue
        needed = cell.pacing.needed_per_week if cell.pacing and not cell.pacing.on_track else None
        rows.append(TargetRow(target.description, _decimal(cell.value), _decimal(cell.goal or target.target_value),
                              target.unit_of_measure, LIGHT_STATUS[cell.light],
                              _decimal(needed) if needed is not None else None))
    report = UnitReport(
        campaign_name=campaign.name, theme=campaign.theme or "", period=period, unit_name=unit.name,
        liaison=Liaison(link.liaison_name or "", mask_phone(link.liaison_phone) or ""),
        methods=words["methods"], channels=words["channels"], process=words["process"], scope=words["scope"],
        figures=figures(session, campaign.id, [unit_id, *partners], period.covers_from, min(period.covers_to, today)),
        targets=tuple(rows), next_steps=steps or "", report_date=today)
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
