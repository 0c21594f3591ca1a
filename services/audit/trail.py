"""The audit trail (等保2.0): append-only records of logins, writes, exports and unmasking."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from db.models import AppUser, AuditLog
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import at_top, scoped_unit_ids
from services.access.text import ACCESS_DENIED
from services.audit.text import AUDIT_OBJECT_LABELS
from services.shared.export_cells import csv_bytes
from services.shared.timeutil import now_utc, to_shanghai
from vocabulary import AuditAction, Role

RETENTION_DAYS = 180


def record(
    session: Session,
    action: AuditAction,
    actor: Actor | None = None,
    *,
    object_type: str | None = None,
    object_id: object = None,
    success: bool = True,
    detail: str | None = None,
    username: str | None = None,
    client_addr: str | None = None,
) -> None:
    """Add an audit record to the caller's transaction (so it commits or rolls back with the write)."""
    session.add(AuditLog(
        at=now_utc(),
        user_id=actor.user_id if actor else None,
        username=actor.username if actor else username,
        role=actor.role.value if actor else None,
        unit_id=actor.unit_id if actor else None,
        action=action.value,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        success=success,
        client_addr=actor.client_addr if actor else client_addr,
        detail=detail,
    ))


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page asks for."""

    username: str | None = None
    action: AuditAction | None = None
    start: datetime | None = None
    end: datetime | None = None


def _filtered(statement, criteria: AuditFilter):
    if criteria.username:
        statement = statement.where(AuditLog.username == criteria.username)
    if criteria.action:
        statement = statement.where(AuditLog.action == criteria.action.value)
    if criteria.start:
        statement = statement.where(AuditLog.at >= criteria.start)
    if criteria.end:
        statement = statement.where(AuditLog.at < criteria.end)
    return statement


def _require_auditor(actor: Actor) -> None:
    if not actor.can(Permission.VIEW_AUDIT):
        raise AccessDenied(ACCESS_DENIED)


def _scoped(statement, session: Session, actor: Actor):
    """Only records of the administrator's subtree: the actor's unit in it, or (no unit: failed logins) the account's.

    Records with no unit whose user name is no account of the subtree (unknown names) only the top of the tree sees.
    """
    units = scoped_unit_ids(actor)
    own_accounts = select(AppUser.username).where(AppUser.unit_id.in_(units))
    no_unit = AuditLog.unit_id.is_(None)
    if not at_top(session, actor):
        no_unit = no_unit & AuditLog.username.in_(own_accounts)
    return statement.where(AuditLog.unit_id.in_(units) | no_unit)


def _matching(statement, session: Session, actor: Actor, criteria: AuditFilter):
    return _scoped(_filtered(statement, criteria), session, actor)


def search(session: Session, actor: Actor, criteria: AuditFilter, limit: int = 500, offset: int = 0) -> tuple[int, list[AuditLog]]:
    """Total matching and one page of records of the administrator's subtree, newest first (administrators only)."""
    _require_auditor(actor)
    total = session.execute(_matching(select(func.count()).select_from(AuditLog), session, actor, criteria)).scalar()
    rows = session.execute(
        _matching(select(AuditLog), session, actor, criteria).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit).offset(offset)
    ).scalars().all()
    return int(total), list(rows)


EXPORT_HEADERS = ("时间（北京时间）", "用户", "角色", "单位ID", "操作", "对象类型", "对象ID", "结果", "客户端地址", "详情")


def as_rows(records: list[AuditLog]) -> list[tuple]:
    """Records as display rows with Chinese labels."""
    return [
        (
            to_shanghai(r.at).strftime("%Y-%m-%d %H:%M:%S"), r.username or "", Role.label_of(Role(r.role), "") if r.role else "",
            r.unit_id or "", AuditAction.label_of(AuditAction(r.action), r.action),
            AUDIT_OBJECT_LABELS.get(r.object_type, r.object_type or ""),
            r.object_id or "", "成功" if r.success else "失败", r.client_addr or "", r.detail or "",
        )
        for r in records
    ]


def export_csv(session: Session, actor: Actor, criteria: AuditFilter) -> bytes:
    """All matching records of the administrator's subtree as UTF-8 CSV (with BOM for Excel); the export is audited."""
    _require_auditor(actor)
    records = session.execute(_matching(select(AuditLog), session, actor, criteria)
                              .order_by(AuditLog.at, AuditLog.id)).scalars().all()
    record(session, AuditAction.EXPORT, actor, object_type="audit_log", detail=f"{len(records)} 条")
    return csv_bytes(EXPORT_HEADERS, as_rows(list(records)))
