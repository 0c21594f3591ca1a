"""The case register read side: scoped, filtered, masked case lists and details; audited unmasking."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from db.models import CaseRevision, FraudCase, Identifier, IdentifierLink, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.masking import mask_free_text, mask_identifier, mask_name
from services.access.permissions import Permission
from services.access.scope import require, scoped_unit
from services.access.text import NOT_FOUND_OR_OUT_OF_SCOPE, UNMASK_REASON_TOO_SHORT
from services.cases.text import CASE_FIELD_LABELS
from services.shared.money import format_yuan
from vocabulary import AuditAction, CaseSource, CaseStatus, FraudType, IdentifierKind, SolvedHow

MIN_REASON_LENGTH = 4
MAX_PAGE_SIZE = 200
SORTS = {"reported_desc": FraudCase.reported_at.desc(), "reported_asc": FraudCase.reported_at.asc(),
         "loss_desc": FraudCase.loss_fen.desc(), "loss_asc": FraudCase.loss_fen.asc()}


@dataclass(frozen=True)
class CaseFilter:
    """What a case list asks for; unit_id None means the actor's whole scope."""

    unit_id: int | None = None
    fraud_type: FraudType | None = None
    start: datetime | None = None
    end: datetime | None = None
    min_loss_fen: int | None = None
    max_loss_fen: int | None = None
    case_no: str | None = None
    sort: str = "reported_desc"


@dataclass(frozen=True)
class CaseRow:
    """One case as a list shows it (personal data masked)."""

    id: int
    case_no: str
    unit_name: str
    reported_at: datetime
    fraud_type: str
    loss_fen: int
    recovered_fen: int
    status: str
    victim_name: str | None
    victim_age: int | None


@dataclass(frozen=True)
class CasePage:
    """A page of the list and how many cases match in all."""

    total: int
    rows: list[CaseRow]


def _conditions(session: Session, actor: Actor, criteria: CaseFilter) -> list:
    unit = scoped_unit(session, actor, criteria.unit_id)
    conditions = [FraudCase.unit_id.in_(select(Unit.id).where(Unit.path.startswith(unit.path)))]
    if criteria.fraud_type:
        conditions.append(FraudCase.fraud_type == FraudType(criteria.fraud_type).value)
    if criteria.start:
        conditions.append(FraudCase.reported_at >= criteria.start)
    if criteria.end:
        conditions.append(FraudCase.reported_at < criteria.end)
    if criteria.min_loss_fen is not None:
        conditions.append(FraudCase.loss_fen >= criteria.min_loss_fen)
    if criteria.max_loss_fen is not None:
        conditions.append(FraudCase.loss_fen < criteria.max_loss_fen)
    if criteria.case_no:
        conditions.append(FraudCase.case_no.startswith(criteria.case_no.strip().upper(), autoescape=True))
    return conditions


def list_cases(session: Session, actor: Actor, criteria: CaseFilter, limit: int = 50, offset: int = 0) -> CasePage:
    """Cases in the actor's scope matching the filter, one page, masked."""
    return matching_cases(session, actor, criteria, min(limit, MAX_PAGE_SIZE), offset)


def matching_cases(session: Session, actor: Actor, criteria: CaseFilter, limit: int, offset: int = 0) -> CasePage:
    """Cases in the actor's scope matching the filter, `limit` of them in the list's order, masked (pages, exports)."""
    require(actor, Permission.VIEW_CASES)
    conditions = _conditions(session, actor, criteria)
    total = session.execute(select(func.count()).select_from(FraudCase).where(*conditions)).scalar()
    statement = (
        select(FraudCase, Unit.name).join(Unit, Unit.id == FraudCase.unit_id).where(*conditions)
        .order_by(SORTS.get(criteria.sort, SORTS["reported_desc"]), FraudCase.id.desc())
        .limit(max(limit, 1)).offset(max(offset, 0))
    )
    rows = [
        CaseRow(c.id, c.case_no, unit_name, c.reported_at, FraudType(FraudType(c.fraud_type)).label, c.loss_fen,
                c.recovered_fen, CaseStatus(CaseStatus(c.status)).label, mask_name(c.victim_name), c.victim_age)
        for c, unit_name in session.execute(statement)
    ]
    return CasePage(int(total), rows)


@dataclass(frozen=True)
class IdentifierView:
    """An identifier linked to a case, masked or not."""

    kind: str
    kind_label: str
    value: str
    bank_name: str | None


@dataclass(frozen=True)
class CaseRecord:
    """A case's own fields as the register shows and edits them; personal data already masked where it must be."""

    id: int
    case_no: str
    unit_id: int
    reported_at: datetime
    occurred_at: datetime | None
    fraud_type: str
    status: str
    loss_fen: int
    recovered_fen: int
    frozen_fen: int
    lon: float | None
    lat: float | None
    victim_age: int | None
    victim_occupation: str | None
    victim_education: str | None
    victim_economic: str | None
    victim_reached_by_propaganda: bool | None
    summary: str | None
    updated_at: datetime


@dataclass(frozen=True)
class CaseDetail:
    """Everything a case shows; `masked` says whether personal data is hidden (in fields and in the narrative)."""

    case: CaseRecord
    unit_name: str
    fraud_type_label: str
    status_label: str
    victim_name: str | None
    identifiers: list[IdentifierView]
    masked: bool


def _scoped_case(session: Session, actor: Actor, case_id: int) -> tuple[FraudCase, Unit]:
    row = session.execute(
        select(FraudCase, Unit).join(Unit, Unit.id == FraudCase.unit_id).where(FraudCase.id == case_id)
    ).first()
    if row is None or not row[1].path.startswith(actor.unit_path):
        raise AccessDenied(NOT_FOUND_OR_OUT_OF_SCOPE)
    return row[0], row[1]


def _identifiers(session: Session, case_id: int) -> list[Identifier]:
    return list(session.execute(
        select(Identifier).join(IdentifierLink, IdentifierLink.identifier_id == Identifier.id)
        .where(IdentifierLink.case_id == case_id).order_by(Identifier.kind, Identifier.id)
    ).scalars())


def _record(case: FraudCase, masked: bool) -> CaseRecord:
    summary = mask_free_text(case.summary, names=(case.victim_name,)) if masked else case.summary
    return CaseRecord(
        case.id, case.case_no, case.unit_id, case.reported_at, case.occurred_at, case.fraud_type, case.status,
        case.loss_fen, case.recovered_fen, case.frozen_fen, case.lon, case.lat, case.victim_age,
        case.victim_occupation, case.victim_education, case.victim_economic, case.victim_reached_by_propaganda,
        summary, case.updated_at,
    )


def _detail(session: Session, case: FraudCase, unit: Unit, masked: bool) -> CaseDetail:
    views = [
        IdentifierView(i.kind, IdentifierKind(IdentifierKind(i.kind)).label,
                       mask_identifier(i.kind, i.value_norm) if masked else i.value_norm, i.bank_name)
        for i in _identifiers(session, case.id)
    ]
    return CaseDetail(
        case=_record(case, masked), unit_name=unit.name, fraud_type_label=FraudType(FraudType(case.fraud_type)).label,
        status_label=CaseStatus(CaseStatus(case.status)).label,
        victim_name=mask_name(case.victim_name) if masked else case.victim_name, identifiers=views, masked=masked,
    )


def case_detail(session: Session, actor: Actor, case_id: int) -> CaseDetail:
    """One case in the actor's scope, personal data masked."""
    require(actor, Permission.VIEW_CASES)
    case, unit = _scoped_case(session, actor, case_id)
    return _detail(session, case, unit, masked=True)


def unmask_case(session: Session, actor: Actor, case_id: int, reason: str) -> CaseDetail:
    """The full personal data of one case, for a role that may see it, with a reason; audited in this transaction."""
    require(actor, Permission.UNMASK)
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise ValueError(UNMASK_REASON_TOO_SHORT)
    case, unit = _scoped_case(session, actor, case_id)
    audit.record(session, AuditAction.UNMASK, actor, object_type="fraud_case", object_id=case.id, detail=reason.strip())
    return _detail(session, case, unit, masked=False)


@dataclass(frozen=True)
class RevisionRow:
    """One kept change of a case, values shown as users read them."""

    at: datetime
    username: str | None
    field: str
    old: str
    new: str
    reason: str | None
    source: str


def _shown(field: str, value: str | None, unit_names: dict[int, str]) -> str:
    if value is None:
        return ""
    if field.endswith("_fen"):
        return f"{format_yuan(int(value))} 元"
    if field == "fraud_type":
        return FraudType.label_of(FraudType(value), value) if value in set(FraudType) else value
    if field == "status":
        return CaseStatus.label_of(CaseStatus(value), value) if value in set(CaseStatus) else value
    if field == "unit_id":
        return unit_names.get(int(value), value)
    if field == "solved_how":
        return SolvedHow.label_of(value, value)
    return value


def case_revisions(session: Session, actor: Actor, case_id: int) -> list[RevisionRow]:
    """The revision history of a case in the actor's scope, newest first."""
    require(actor, Permission.VIEW_CASES)
    _scoped_case(session, actor, case_id)
    revisions = list(session.execute(
        select(CaseRevision).where(CaseRevision.case_id == case_id).order_by(CaseRevision.at.desc(), CaseRevision.id)
    ).scalars())
    unit_ids = {int(v) for r in revisions if r.field == "unit_id" for v in (r.old_value, r.new_value) if v}
    unit_names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
    return [
        RevisionRow(r.at, r.username, CASE_FIELD_LABELS.get(r.field, r.field), _shown(r.field, r.old_value, unit_names),
                    _shown(r.field, r.new_value, unit_names), r.reason, CaseSource.label_of(r.source, r.source))
        for r in revisions
    ]
