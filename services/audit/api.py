"""The audit trail as the 审计日志 page uses it: each call is one transaction of its own."""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from services.access.actor import Actor
from services.audit import trail
from services.audit.trail import AuditFilter
from services.shared.unit_of_work import reading, writing


@dataclass(frozen=True)
class AuditPage:
    """How many records match, and the newest of them as display rows (columns as `trail.EXPORT_HEADERS`)."""

    total: int
    rows: list[tuple]


def search(engine: Engine, actor: Actor, criteria: AuditFilter) -> AuditPage:
    """The matching records of the administrator's subtree, newest first (administrators only)."""
    def _search(session: Session) -> AuditPage:
        total, records = trail.search(session, actor, criteria)
        return AuditPage(total, trail.as_rows(records))
    return reading(engine, _search)


def export_csv(engine: Engine, actor: Actor, criteria: AuditFilter) -> bytes:
    """All matching records as UTF-8 CSV; the export itself is audited."""
    return writing(engine, trail.export_csv, actor, criteria)
