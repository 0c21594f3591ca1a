"""Record a case solved (破案): its day and how, kept as revisions like every other case change."""

import uuid
from datetime import date

from sqlmodel import Session

from db.models import CaseRevision, FraudCase, Unit
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import require
from services.audit.text import CLI_USERNAME
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc, shanghai_today
from services.strike.text import (
    SOLVED_BEFORE_REPORT,
    SOLVED_CASE_NOT_FOUND,
    SOLVED_DATE_FUTURE,
    SOLVED_HOW_REQUIRED,
    SOLVED_REVISION_LABELS,
)
from vocabulary import AuditAction, CaseSource, CaseStatus, SolvedHow


def _case_in_scope(session: Session, actor: Actor, case_id: int) -> FraudCase:
    case = session.get(FraudCase, case_id)
    unit = session.get(Unit, case.unit_id) if case else None
    if case is None or unit is None or not unit.path.startswith(actor.unit_path):
        raise AccessDenied(SOLVED_CASE_NOT_FOUND)
    return case


def record_solved(session: Session, actor: Actor, case_id: int, solved_on: date, how: SolvedHow | str | None,
                  reason: str = "") -> tuple[str, ...]:
    """Mark a case in scope solved on a Beijing day; each changed field is a revision; audited. Returns the fields."""
    require(actor, Permission.EDIT_CASES)
    case = _case_in_scope(session, actor, case_id)
    now = now_utc()
    report_day = shanghai_today(case.reported_at)
    errors = {}
    if solved_on > shanghai_today(now):
        errors["solved_on"] = SOLVED_DATE_FUTURE
    elif solved_on < report_day:
        errors["solved_on"] = SOLVED_BEFORE_REPORT.format(day=report_day.isoformat())
    if how not in set(SolvedHow):
        errors["solved_how"] = SOLVED_HOW_REQUIRED
    if errors:
        raise InvalidInput(errors)
    new = {"solved_on": solved_on, "solved_how": SolvedHow(how).value, "status": CaseStatus.SOLVED.value}
    changed = tuple(name for name, value in new.items() if getattr(case, name) != value)
    if not changed:
        return ()
    key = uuid.uuid4().hex
    for name in changed:
        old = getattr(case, name)
        session.add(CaseRevision(
            case_id=case.id, change_key=key, at=now, user_id=actor.user_id, username=actor.username or CLI_USERNAME,
            field=name, old_value=None if old is None else str(old), new_value=str(new[name]),
            reason=reason.strip() or None, source=CaseSource.MANUAL.value,
        ))
        setattr(case, name, new[name])
    case.updated_at = now
    audit.record(session, AuditAction.UPDATE, actor, object_type="fraud_case", object_id=case.id,
                 detail="，".join(SOLVED_REVISION_LABELS.get(name, "案件状态") for name in changed))
    return changed
