"""The case register as pages use it: each call is one transaction of its own."""

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from services.access.actor import Actor
from services.cases.export import export_cases
from services.cases.read import (
    CaseDetail,
    CaseFilter,
    CasePage,
    RevisionRow,
    case_detail,
    case_revisions,
    list_cases,
    unmask_case,
)
from services.cases.write import (
    CaseForm,
    SaveResult,
    changes_from_form,
    create_case,
    new_case_from_input,
    normalise_case_no,
    update_case,
)
from services.shared.unit_of_work import reading, writing


def page(engine: Engine, actor: Actor, criteria: CaseFilter, limit: int, offset: int) -> CasePage:
    """One page of the filtered, masked case list in the actor's scope."""
    return reading(engine, list_cases, actor, criteria, limit=limit, offset=offset)


def export(engine: Engine, actor: Actor, criteria: CaseFilter, now: datetime) -> bytes:
    """Every case of the filter (not just the page; up to export.EXPORT_LIMIT) as XLSX, masked, filters first; audited."""
    return writing(engine, export_cases, actor, criteria, now)


def detail(engine: Engine, actor: Actor, case_id: int) -> tuple[CaseDetail, list[RevisionRow]]:
    """A case in scope, masked, with its revision history."""
    def _detail(session: Session) -> tuple[CaseDetail, list[RevisionRow]]:
        return case_detail(session, actor, case_id), case_revisions(session, actor, case_id)
    return reading(engine, _detail)


def unmask(engine: Engine, actor: Actor, case_id: int, reason: str) -> CaseDetail:
    """The full personal data of a case, for a role that may see it, with the reason audited."""
    return writing(engine, unmask_case, actor, case_id, reason)


def register(engine: Engine, actor: Actor, **typed) -> tuple[SaveResult, str]:
    """Register a case typed into the new-case form; returns the result and the case number as stored."""
    new = new_case_from_input(**typed)
    return writing(engine, create_case, actor, new), normalise_case_no(new.case_no)


def edit(engine: Engine, actor: Actor, case_id: int, form: CaseForm) -> SaveResult:
    """Save an edit typed into the case form (amount text parsed, refusals by field)."""
    return writing(engine, update_case, actor, case_id, changes_from_form(form))
