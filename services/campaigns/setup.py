"""Setting a campaign up and keeping it up: the owner's leaders create it with units, 联络员, targets and
consequences, then edit 联络员, add partners and targets, change consequences or the period (one transaction each)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import phonenumbers
from sqlalchemy import func, select, update
from sqlmodel import Session

from db.models import Campaign, CampaignReport, CampaignTarget, CampaignUnit, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.masking import mask_phone
from services.access.permissions import Permission
from services.access.scope import require
from services.campaigns import tallies
from services.campaigns import text as t
from services.campaigns.validate import text_value
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc
from services.units.tree import add_unit
from vocabulary import (
    ActivityChannel,
    AuditAction,
    CampaignConsequence,
    CountMeasure,
    OutcomeMeasure,
    Outreach,
    TargetKind,
    TargetPeriod,
    UnitKind,
)

PERCENT_KINDS = {TargetKind.COVERAGE, TargetKind.SURVEY, TargetKind.OUTCOME}
RISE_LIMIT = 1000  # an up-measure (破案/抓获/冻结/返还) may be asked to rise more than 100%


def _percent_limit(kind: TargetKind, measure: str | None) -> float:
    """The largest percentage a target may ask: a drop or a share at most 100%, a rise at most RISE_LIMIT."""
    if kind is TargetKind.OUTCOME and measure in {m.value for m in OutcomeMeasure if m.good_when_up}:
        return RISE_LIMIT
    return 100
DEFAULT_UOM = {TargetKind.COVERAGE: "%", TargetKind.SURVEY: "%", TargetKind.OUTCOME: "%", TargetKind.TASK: "项"}
MEASURE_UOM = {CountMeasure.ACTIVITIES: "次", CountMeasure.PEOPLE: "人", CountMeasure.HOUSEHOLDS: "户",
               CountMeasure.PIECES: "份"}
LIAISON_NAME_LIMIT = 32
MISSED_LIMIT_MAX = 20
CONSEQUENCE_DAYS_MAX = 90
PHONE_CHARACTERS = re.compile(r"[0-9 ()+\-]+")
PHONE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
               phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


@dataclass(frozen=True)
class UnitEntry:
    """A participating unit: police (partner=False) or partner, with its 联络员."""

    unit_id: int
    partner: bool = False
    liaison_name: str | None = None
    liaison_phone: str | None = None


@dataclass(frozen=True)
class TargetDraft:
    """A target as a leader sets it."""

    description: str
    kind: str
    target_value: float
    unit_of_measure: str = ""
    period: str | None = None
    measure: str | None = None
    outreach: str | None = None
    channel: str | None = None
    applies_to_unit_id: int | None = None
    due_date: date | None = None
    min_sample: int | None = None


@dataclass(frozen=True)
class Consequences:
    """What falling behind raises: after how many missed reports, which step, and the days to respond (None = off)."""

    missed_reports_limit: int | None = 2
    missed_reports_action: str | None = CampaignConsequence.TALK.value
    behind_pace_action: str | None = CampaignConsequence.WARN.value
    consequence_days: int = 7


@dataclass(frozen=True)
class CampaignDraft:
    """A new campaign: name, theme, period, units, targets and its consequence settings."""

    name: str
    theme: str | None
    start_date: date
    end_date: date
    units: list[UnitEntry] = field(default_factory=list)
    targets: list[TargetDraft] = field(default_factory=list)
    consequences: Consequences = field(default_factory=Consequences)


# --- checks -------------------------------------------------------------------------------------------------------

def normalise_phone(value: str | None) -> str | None:
    """A mainland mobile (13812345678) or landline with area code (0596-6123456), or None when it is neither."""
    raw = (value or "").strip()
    if not raw or len(raw) > 32 or not PHONE_CHARACTERS.fullmatch(raw):  # no letters: phonenumbers reads ABC as 222
        return None
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if (number.country_code != 86 or not phonenumbers.is_valid_number(number)
            or phonenumbers.number_type(number) not in PHONE_TYPES):
        return None
    national = str(number.national_number)
    if phonenumbers.number_type(number) is phonenumbers.PhoneNumberType.MOBILE:
        return national
    area = phonenumbers.length_of_geographical_area_code(number)
    return f"0{national[:area]}-{national[area:]}" if area else f"0{national}"


def target_problem(draft: TargetDraft, start: date, end: date, police: set[int]) -> str | None:
    """Why a target cannot be set as drafted (Chinese), or None; `police` are the campaign's police units."""
    try:
        kind = TargetKind(draft.kind)
    except ValueError:
        return t.ERR_CHOICE
    if not (draft.description or "").strip():
        return t.ERR_TARGET_DESCRIPTION
    if len(draft.description.strip()) > 200:
        return t.ERR_TEXT_TOO_LONG.format(limit=200)
    if kind is not TargetKind.TASK and not draft.target_value > 0:
        return t.ERR_TARGET_VALUE
    if kind in PERCENT_KINDS and draft.target_value > (limit := _percent_limit(kind, draft.measure)):
        return t.ERR_TARGET_RISE.format(limit=RISE_LIMIT) if limit == RISE_LIMIT else t.ERR_TARGET_PCT
    if kind is TargetKind.COUNT and draft.period not in {p.value for p in TargetPeriod}:
        return t.ERR_TARGET_PERIOD
    if kind in (TargetKind.COUNT, TargetKind.COVERAGE) and draft.measure not in {m.value for m in CountMeasure}:
        return t.ERR_TARGET_MEASURE
    if kind is TargetKind.OUTCOME and draft.measure not in {m.value for m in OutcomeMeasure}:
        return t.ERR_TARGET_MEASURE
    if kind is TargetKind.TASK and (draft.due_date is None or not start <= draft.due_date <= end):
        return t.ERR_TARGET_DUE
    if kind is TargetKind.SURVEY and (draft.min_sample is None or draft.min_sample < 1):
        return t.ERR_TARGET_SAMPLE
    if draft.outreach and draft.outreach not in {o.value for o in Outreach}:
        return t.ERR_CHOICE
    if draft.channel and draft.channel not in {c.value for c in ActivityChannel}:
        return t.ERR_CHOICE
    if draft.applies_to_unit_id is not None and draft.applies_to_unit_id not in police:
        return t.ERR_TARGET_APPLIES
    return None


def _consequences(value: Consequences, errors: dict[str, str]) -> None:
    limit = value.missed_reports_limit
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                              or not 1 <= limit <= MISSED_LIMIT_MAX):
        errors["missed_reports_limit"] = t.ERR_MISSED_LIMIT.format(limit=MISSED_LIMIT_MAX)
    for name in ("missed_reports_action", "behind_pace_action"):
        code = getattr(value, name)
        if code is not None and code not in {c.value for c in CampaignConsequence}:
            errors[name] = t.ERR_CHOICE
    days = value.consequence_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= CONSEQUENCE_DAYS_MAX:
        errors["consequence_days"] = t.ERR_CONSEQUENCE_DAYS.format(limit=CONSEQUENCE_DAYS_MAX)


def _liaison(entry: UnitEntry, unit_name: str, errors: dict[str, str]) -> tuple[str | None, str | None]:
    """The 联络员 name and normalised phone of an entry; a bad one adds a refusal naming the unit."""
    name = (entry.liaison_name or "").strip() or None
    if name is not None and len(name) > LIAISON_NAME_LIMIT:
        errors["liaisons"] = t.ERR_LIAISON_NAME.format(unit=unit_name, limit=LIAISON_NAME_LIMIT)
    raw = (entry.liaison_phone or "").strip()
    phone = normalise_phone(raw) if raw else None
    if raw and phone is None:
        errors["liaisons"] = t.ERR_LIAISON_PHONE.format(unit=unit_name)
    return name, phone


def _units_in_scope(session: Session, actor: Actor, ids: list[int]) -> dict[int, Unit]:
    return {u.id: u for u in session.execute(
        select(Unit).where(Unit.id.in_(ids), Unit.path.startswith(actor.unit_path))).scalars()}


def _check_units(session: Session, actor: Actor, entries: list[UnitEntry],
                 errors: dict[str, str]) -> dict[int, tuple[str | None, str | None]]:
    units = _units_in_scope(session, actor, [e.unit_id for e in entries])
    liaisons = {}
    for entry in entries:
        unit = units.get(entry.unit_id)
        name = "partners" if entry.partner else "units"
        if unit is None:
            errors[name] = t.ERR_UNIT_SCOPE
        elif entry.partner != (unit.kind == UnitKind.PARTNER.value):
            errors[name] = t.ERR_PARTNER_KIND
        else:
            liaisons[entry.unit_id] = _liaison(entry, unit.name, errors)
    if len({e.unit_id for e in entries}) != len(entries):
        errors["units"] = t.ERR_UNIT_TWICE
    return liaisons


def _target_row(campaign_id: int, metric: str, target: TargetDraft) -> CampaignTarget:
    kind = TargetKind(target.kind)
    uom = target.unit_of_measure or DEFAULT_UOM.get(kind) or MEASURE_UOM.get(CountMeasure(target.measure), "次")
    return CampaignTarget(
        campaign_id=campaign_id, metric=metric, description=target.description.strip(), kind=kind.value,
        target_value=float(1 if kind is TargetKind.TASK else target.target_value), unit_of_measure=uom,
        period=target.period if kind is TargetKind.COUNT else None,
        measure=target.measure if kind in (TargetKind.COUNT, TargetKind.COVERAGE, TargetKind.OUTCOME) else None,
        outreach=(target.outreach or None) if kind is TargetKind.COUNT else None,
        channel=(target.channel or None) if kind is TargetKind.COUNT else None,
        applies_to_unit_id=target.applies_to_unit_id,
        due_date=target.due_date if kind is TargetKind.TASK else None,
        min_sample=target.min_sample if kind is TargetKind.SURVEY else None)


def _lock_owner(session: Session, unit_id: int) -> None:
    """Serialise the writes of one owner unit (PostgreSQL row lock; SQLite writes are serialised already)."""
    session.execute(select(Unit.id).where(Unit.id == unit_id).with_for_update()).first()


# --- create -------------------------------------------------------------------------------------------------------

def create_campaign(session: Session, actor: Actor, draft: CampaignDraft, now: datetime | None = None) -> int:
    """A leader creates a campaign of their unit with units in scope, targets and consequences (one transaction).

    A campaign of the same owner with the same name and start date is refused: a second click, a second tab or a
    re-sent form never creates it twice.
    """
    require(actor, Permission.MANAGE_CAMPAIGNS)
    now = now or now_utc()
    errors: dict[str, str] = {}
    name = text_value(draft.name, "name", errors, 100, 1)
    theme = text_value(draft.theme, "theme", errors, 200)
    if draft.end_date < draft.start_date:
        errors["period"] = t.ERR_PERIOD
    police = [e for e in draft.units if not e.partner]
    if not police:
        errors["units"] = t.ERR_UNITS_REQUIRED
    liaisons = _check_units(session, actor, draft.units, errors)
    if not draft.targets:
        errors["targets"] = t.ERR_TARGETS_REQUIRED
    police_ids = {e.unit_id for e in police}
    for index, target in enumerate(draft.targets, start=1):
        if (problem := target_problem(target, draft.start_date, draft.end_date, police_ids)) is not None:
            errors["targets"] = t.ERR_TARGET_SPEC.format(index=index, problem=problem)
    if len({x.description.strip() for x in draft.targets}) != len(draft.targets):
        errors["targets"] = t.ERR_TARGET_TWICE
    _consequences(draft.consequences, errors)
    _lock_owner(session, actor.unit_id)
    if name and "name" not in errors and session.execute(select(Campaign.id).where(
            Campaign.owner_unit_id == actor.unit_id, Campaign.name == name,
            Campaign.start_date == draft.start_date)).first() is not None:
        errors["name"] = t.ERR_CAMPAIGN_EXISTS.format(name=name, start=draft.start_date)
    if errors:
        raise InvalidInput(errors)
    c = draft.consequences
    campaign = Campaign(name=name, theme=theme, start_date=draft.start_date, end_date=draft.end_date,
                        owner_unit_id=actor.unit_id, created_at=now)
    session.add(campaign)
    session.flush()
    # Set after the insert: the ORM leaves a None out of an INSERT, and the column's server default would win.
    session.execute(update(Campaign).where(Campaign.id == campaign.id).values(
        missed_reports_limit=c.missed_reports_limit, missed_reports_action=c.missed_reports_action,
        behind_pace_action=c.behind_pace_action, consequence_days=c.consequence_days))
    for entry in draft.units:
        liaison_name, phone = liaisons[entry.unit_id]
        session.add(CampaignUnit(campaign_id=campaign.id, unit_id=entry.unit_id, partner=entry.partner,
                                 liaison_name=liaison_name, liaison_phone=phone))
    for index, target in enumerate(draft.targets, start=1):
        session.add(_target_row(campaign.id, f"t{index}", target))
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="campaign", object_id=campaign.id,
                 detail=t.AUDIT_CAMPAIGN.format(name=name, units=len(draft.units), targets=len(draft.targets)))
    return campaign.id


# --- read models of the admin page ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitOption:
    """A unit a leader may pick: police or partner, with the station a partner belongs to."""

    id: int
    name: str
    kind: str
    parent_name: str | None


@dataclass(frozen=True)
class AdminChoices:
    """Units in the leader's scope: police units (stations marked) and partner units."""

    police: list[UnitOption]
    stations: list[int]
    partners: list[UnitOption]


def admin_choices(session: Session, actor: Actor) -> AdminChoices:
    """Police and partner units within the leader's scope, in tree order."""
    require(actor, Permission.MANAGE_CAMPAIGNS)
    rows = session.execute(select(Unit).where(Unit.path.startswith(actor.unit_path))
                           .order_by(Unit.level, Unit.sort_order, Unit.code)).scalars().all()
    names = {u.id: u.name for u in rows}
    options = [UnitOption(u.id, u.name, u.kind, names.get(u.parent_id)) for u in rows]
    return AdminChoices(police=[o for o in options if o.kind != UnitKind.PARTNER.value],
                        stations=[o.id for o in options if o.kind == UnitKind.STATION.value],
                        partners=[o for o in options if o.kind == UnitKind.PARTNER.value])


@dataclass(frozen=True)
class CampaignSummary:
    """A row of the leader's campaign list."""

    id: int
    name: str
    start_date: date
    end_date: date
    status: str
    police_units: int
    partner_units: int
    targets: int


def status_of(start: date, end: date, today: date) -> str:
    """未开始 / 进行中 / 已结束 on a Beijing day."""
    if today < start:
        return t.ADM_STATUS_NOT_STARTED
    return t.ADM_STATUS_RUNNING if today <= end else t.ADM_STATUS_ENDED


def owned_campaigns(session: Session, actor: Actor, today: date) -> list[CampaignSummary]:
    """The campaigns the leader's unit owns, newest first, with their unit and target counts."""
    require(actor, Permission.MANAGE_CAMPAIGNS)
    campaigns = session.execute(select(Campaign).where(Campaign.owner_unit_id == actor.unit_id)
                                .order_by(Campaign.start_date.desc(), Campaign.id.desc())).scalars().all()
    ids = [c.id for c in campaigns]
    units = dict(((cid, partner), n) for cid, partner, n in session.execute(
        select(CampaignUnit.campaign_id, CampaignUnit.partner, func.count()).where(CampaignUnit.campaign_id.in_(ids))
        .group_by(CampaignUnit.campaign_id, CampaignUnit.partner)).all())
    targets = dict(session.execute(select(CampaignTarget.campaign_id, func.count())
                                   .where(CampaignTarget.campaign_id.in_(ids))
                                   .group_by(CampaignTarget.campaign_id)).all())
    return [CampaignSummary(c.id, c.name, c.start_date, c.end_date, status_of(c.start_date, c.end_date, today),
                            units.get((c.id, False), 0), units.get((c.id, True), 0), targets.get(c.id, 0))
            for c in campaigns]


@dataclass(frozen=True)
class LiaisonRow:
    """A participating unit and its 联络员 (phone masked for a role that may not unmask)."""

    unit_id: int
    name: str
    partner: bool
    liaison_name: str | None
    liaison_phone: str | None


@dataclass(frozen=True)
class TargetRow:
    """A target as the admin page lists it."""

    id: int
    description: str
    kind: TargetKind
    goal: str
    applies_to: str | None


@dataclass(frozen=True)
class CampaignSetup:
    """What the owner's leaders maintain: period, units with 联络员, targets, consequences."""

    id: int
    name: str
    theme: str | None
    start_date: date
    end_date: date
    units: list[LiaisonRow]
    targets: list[TargetRow]
    consequences: Consequences
    reports_submitted: int


def _owned(session: Session, actor: Actor, campaign_id: int) -> Campaign:
    """A campaign the actor's unit owns; a campaign of another unit is refused."""
    require(actor, Permission.MANAGE_CAMPAIGNS)
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise AccessDenied(t.ERR_CAMPAIGN)
    if campaign.owner_unit_id != actor.unit_id:
        raise AccessDenied(t.ERR_NOT_OWNER)
    return campaign


def goal_text(target: CampaignTarget) -> str:
    """目标值 in words: 每月≥1次, ≥90%（样本≥200）, 11月30日前完成, 同比下降≥35%."""
    kind = TargetKind(target.kind)
    value = f"{target.target_value:g}"
    if kind is TargetKind.COUNT:
        return t.ADM_GOAL_COUNT.format(period=TargetPeriod.label_of(target.period or "", ""), value=value,
                                       uom=target.unit_of_measure)
    if kind is TargetKind.COVERAGE:
        return t.ADM_GOAL_COVERAGE.format(value=value, measure=CountMeasure.label_of(target.measure or "", ""))
    if kind is TargetKind.SURVEY:
        return t.ADM_GOAL_SURVEY.format(value=value, sample=target.min_sample or "-")
    if kind is TargetKind.TASK:
        return t.ADM_GOAL_TASK.format(due=target.due_date)
    measure = OutcomeMeasure(target.measure or OutcomeMeasure.INCIDENTS.value)
    goal = t.ADM_GOAL_OUTCOME_UP if measure.good_when_up else t.ADM_GOAL_OUTCOME
    return goal.format(measure=measure.label, value=value)


def campaign_setup(session: Session, actor: Actor, campaign_id: int) -> CampaignSetup:
    """A campaign the actor's unit owns, as its admin form shows it."""
    campaign = _owned(session, actor, campaign_id)
    show_phone = actor.can(Permission.UNMASK)
    units = [LiaisonRow(u.id, u.name, link.partner, link.liaison_name,
                        link.liaison_phone if show_phone else mask_phone(link.liaison_phone))
             for link, u in session.execute(
                 select(CampaignUnit, Unit).join(Unit, Unit.id == CampaignUnit.unit_id)
                 .where(CampaignUnit.campaign_id == campaign.id)
                 .order_by(CampaignUnit.partner, Unit.level, Unit.sort_order, Unit.code)).all()]
    names = {u.unit_id: u.name for u in units}
    targets = [TargetRow(x.id, x.description, TargetKind(x.kind), goal_text(x), names.get(x.applies_to_unit_id))
               for x in session.execute(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign.id)
                                        .order_by(CampaignTarget.id)).scalars()]
    reports = session.execute(select(func.count()).select_from(CampaignReport)
                              .where(CampaignReport.campaign_id == campaign.id)).scalar_one()
    return CampaignSetup(campaign.id, campaign.name, campaign.theme, campaign.start_date, campaign.end_date, units,
                         targets, Consequences(campaign.missed_reports_limit, campaign.missed_reports_action,
                                               campaign.behind_pace_action, campaign.consequence_days), reports)


# --- maintain -------------------------------------------------------------------------------------------------------

def update_liaisons(session: Session, actor: Actor, campaign_id: int,
                    liaisons: dict[int, tuple[str | None, str | None]]) -> int:
    """Set the 联络员 name and phone of participating units; returns how many changed."""
    campaign = _owned(session, actor, campaign_id)
    links = {link.unit_id: (link, unit) for link, unit in session.execute(
        select(CampaignUnit, Unit).join(Unit, Unit.id == CampaignUnit.unit_id)
        .where(CampaignUnit.campaign_id == campaign.id)).all()}
    errors: dict[str, str] = {}
    wanted = {}
    for unit_id, (name, phone) in liaisons.items():
        if unit_id not in links:
            errors["liaisons"] = t.ERR_UNIT_NOT_PARTICIPATING
            continue
        wanted[unit_id] = _liaison(UnitEntry(unit_id, liaison_name=name, liaison_phone=phone),
                                   links[unit_id][1].name, errors)
    if errors:
        raise InvalidInput(errors)
    changed = []
    for unit_id, (name, phone) in wanted.items():
        link, unit = links[unit_id]
        if (link.liaison_name, link.liaison_phone) != (name, phone):
            link.liaison_name, link.liaison_phone = name, phone
            changed.append(unit.name)
    if changed:
        audit.record(session, AuditAction.UPDATE, actor, object_type="campaign", object_id=campaign.id,
                     detail=t.AUDIT_LIAISONS.format(name=campaign.name, units="、".join(changed)))
    return len(changed)


def add_partner(session: Session, actor: Actor, campaign_id: int, entry: UnitEntry) -> None:
    """Add a partner unit in scope (村居委会、学校、银行网点、营业厅) with its 联络员 to a campaign."""
    campaign = _owned(session, actor, campaign_id)
    errors: dict[str, str] = {}
    liaisons = _check_units(session, actor, [UnitEntry(entry.unit_id, True, entry.liaison_name, entry.liaison_phone)],
                            errors)
    if "partners" not in errors and session.get(CampaignUnit, (campaign.id, entry.unit_id)) is not None:
        errors["partners"] = t.ERR_UNIT_ALREADY
    if errors:
        raise InvalidInput(errors)
    name, phone = liaisons[entry.unit_id]
    session.add(CampaignUnit(campaign_id=campaign.id, unit_id=entry.unit_id, partner=True, liaison_name=name,
                             liaison_phone=phone))
    unit = session.get(Unit, entry.unit_id)
    audit.record(session, AuditAction.UPDATE, actor, object_type="campaign", object_id=campaign.id,
                 detail=t.AUDIT_PARTNER.format(name=campaign.name, unit=unit.name))


def add_target(session: Session, actor: Actor, campaign_id: int, draft: TargetDraft) -> int:
    """Add a target to a campaign; a second target with the same description is refused."""
    campaign = _owned(session, actor, campaign_id)
    police = set(session.execute(select(CampaignUnit.unit_id).where(
        CampaignUnit.campaign_id == campaign.id, CampaignUnit.partner.is_(False))).scalars())
    existing = session.execute(select(CampaignTarget.metric, CampaignTarget.description)
                               .where(CampaignTarget.campaign_id == campaign.id)).all()
    problem = target_problem(draft, campaign.start_date, campaign.end_date, police)
    if problem is None and draft.description.strip() in {d for _, d in existing}:
        problem = t.ERR_TARGET_TWICE
    if problem is not None:
        raise InvalidInput({"target": problem})
    taken = {m for m, _ in existing}
    number = len(existing) + 1
    while f"t{number}" in taken:
        number += 1
    row = _target_row(campaign.id, f"t{number}", draft)
    session.add(row)
    session.flush()
    tallies.rebuild_targets(session, [row.id])  # the activities logged before the target count for it
    audit.record(session, AuditAction.UPDATE, actor, object_type="campaign", object_id=campaign.id,
                 detail=t.AUDIT_TARGET.format(name=campaign.name, target=row.description))
    return row.id


def update_consequences(session: Session, actor: Actor, campaign_id: int, value: Consequences) -> None:
    """Change what falling behind raises (None switches a trigger off)."""
    campaign = _owned(session, actor, campaign_id)
    errors: dict[str, str] = {}
    _consequences(value, errors)
    if errors:
        raise InvalidInput(errors)
    campaign.missed_reports_limit = value.missed_reports_limit
    campaign.missed_reports_action = value.missed_reports_action
    campaign.behind_pace_action = value.behind_pace_action
    campaign.consequence_days = value.consequence_days
    audit.record(session, AuditAction.UPDATE, actor, object_type="campaign", object_id=campaign.id,
                 detail=t.AUDIT_CONSEQUENCES.format(name=campaign.name, limit=value.missed_reports_limit or "-",
                                                    missed=value.missed_reports_action or "-",
                                                    behind=value.behind_pace_action or "-",
                                                    days=value.consequence_days))


def change_period(session: Session, actor: Actor, campaign_id: int, start: date, end: date) -> None:
    """Move the campaign's period, until the first progress report is submitted (the periods are frozen then)."""
    campaign = _owned(session, actor, campaign_id)
    errors: dict[str, str] = {}
    reported = session.execute(select(func.count()).select_from(CampaignReport)
                               .where(CampaignReport.campaign_id == campaign.id)).scalar_one()
    if reported:
        errors["period"] = t.ERR_PERIOD_REPORTED.format(count=reported)
    elif end < start:
        errors["period"] = t.ERR_PERIOD
    else:
        for target in session.execute(select(CampaignTarget).where(
                CampaignTarget.campaign_id == campaign.id, CampaignTarget.due_date.is_not(None))).scalars():
            if not start <= target.due_date <= end:
                errors["period"] = t.ERR_PERIOD_TASK_DUE.format(target=target.description, due=target.due_date)
    if errors:
        raise InvalidInput(errors)
    old = (campaign.start_date, campaign.end_date)
    campaign.start_date, campaign.end_date = start, end
    audit.record(session, AuditAction.UPDATE, actor, object_type="campaign", object_id=campaign.id,
                 detail=t.AUDIT_PERIOD.format(name=campaign.name, old=f"{old[0]}至{old[1]}", new=f"{start}至{end}"))


def create_partner_unit(session: Session, actor: Actor, parent_id: int, name: str, partner_kind: str) -> int:
    """A leader adds a partner unit (村居委会、学校、银行网点、营业厅…) under a station in scope; returns its id.

    The unit tree's own `add_unit` does the insert; a partner is no jurisdiction, so no MANAGE_UNITS is needed.
    The kind of partner, free text, is kept in the unit's full name: 武安中心小学（学校）.
    """
    require(actor, Permission.MANAGE_CAMPAIGNS)
    errors: dict[str, str] = {}
    clean = text_value(name, "partner_name", errors, 64, 1) or ""
    kind = text_value(partner_kind, "partner_kind", errors, 20, 1) or ""
    parent = session.get(Unit, parent_id) if isinstance(parent_id, int) else None
    if parent is None or not parent.path.startswith(actor.unit_path) or parent.kind != UnitKind.STATION.value:
        errors["partner_parent"] = t.ERR_PARTNER_PARENT
    elif clean and session.execute(select(Unit.id).where(Unit.parent_id == parent.id, Unit.name == clean)).first():
        errors["partner_name"] = t.ERR_PARTNER_EXISTS.format(parent=parent.name, name=clean)
    if errors:
        raise InvalidInput(errors)
    _lock_owner(session, parent.id)
    taken = set(session.execute(select(Unit.code).where(Unit.code.startswith(f"{parent.code}P"))).scalars())
    number = 1
    while f"{parent.code}P{number}" in taken:
        number += 1
    unit = add_unit(session, code=f"{parent.code}P{number}", name=clean, kind=UnitKind.PARTNER,
                    parent_code=parent.code)
    unit.full_name = f"{clean}（{kind}）"
    unit.sort_order = 50 + number
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="unit", object_id=unit.id,
                 detail=t.AUDIT_PARTNER_UNIT.format(name=clean, kind=kind, parent=parent.name))
    return unit.id
