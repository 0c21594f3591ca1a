"""The accountability item workflow: explanation, leader review, closing, resolving downward-revision flags."""

import os
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from db.models import (
    ATTACHMENT_MAX_BYTES,
    AccountabilityAttachment,
    AccountabilityEvent,
    AccountabilityItem,
    Campaign,
    FraudCase,
    Unit,
)
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import require
from services.access.text import NOT_FOUND_OR_OUT_OF_SCOPE
from services.accountability.rules import LEVEL_RANK
from services.accountability.text import (
    ACC_ATTACHMENT_AUDIT,
    ACC_ATTACHMENT_EMPTY,
    ACC_ATTACHMENT_NAME,
    ACC_ATTACHMENT_TOO_LARGE,
    ACC_ATTACHMENT_TOO_MANY,
    ACC_DECISION_NOTE_REQUIRED,
    ACC_DECISION_REQUIRED,
    ACC_EXPLANATION_REQUIRED,
    ACC_FLAG_REASON_REQUIRED,
    ACC_NOT_FLAGGED,
    ACC_OWN_SUBMISSION,
    ACC_PREVENTION_REQUIRED,
    ACC_RETURN_REASON_REQUIRED,
    ACC_TEXT_TOO_LONG,
    ACC_TRANSITION_REFUSED,
)
from services.accountability.triggers import record_step
from services.shared.errors import InvalidInput
from services.shared.timeutil import now_utc
from vocabulary import AccountabilityLevel, AuditAction, Decision, ItemAction, ItemStatus

MIN_TEXT, MIN_REASON = 10, 4
TEXT_LIMIT = 5000
MAX_ATTACHMENTS = 10
ATTACHMENT_MAX_MB = ATTACHMENT_MAX_BYTES // (1024 * 1024)

# Which statuses each step starts from, and where it leads.
TRANSITIONS: dict[ItemAction, tuple[frozenset[ItemStatus], ItemStatus]] = {
    ItemAction.SUBMITTED: (frozenset({ItemStatus.PENDING, ItemStatus.RETURNED}), ItemStatus.SUBMITTED),
    ItemAction.APPROVED: (frozenset({ItemStatus.SUBMITTED}), ItemStatus.APPROVED),
    ItemAction.RETURNED: (frozenset({ItemStatus.SUBMITTED}), ItemStatus.RETURNED),
    ItemAction.CLOSED: (frozenset({ItemStatus.APPROVED}), ItemStatus.CLOSED),
}
STEP_PERMISSION: dict[ItemAction, Permission] = {
    ItemAction.SUBMITTED: Permission.EDIT_CASES,
    ItemAction.APPROVED: Permission.SIGN_OFF,
    ItemAction.RETURNED: Permission.SIGN_OFF,
    ItemAction.CLOSED: Permission.SIGN_OFF,
    ItemAction.FLAG_KEPT: Permission.SIGN_OFF,
    ItemAction.FLAG_CLOSED: Permission.SIGN_OFF,
}


@dataclass(frozen=True)
class Upload:
    """A file attached to an explanation."""

    filename: str
    content_type: str
    content: bytes


def needs_prevention_review(level: str) -> bool:
    """The 倒查 of the station's prevention work is part of the explanation from the 50万 level up (case items only:
    a campaign item's level is a consequence such as 谈话, which ranks nowhere)."""
    return LEVEL_RANK.get(level, -1) >= LEVEL_RANK[AccountabilityLevel.L50W.value]


def needs_decision(level: str) -> bool:
    """Closing a 100万-level item records the decision taken (打招呼/谈话/告诫/其他)."""
    return level == AccountabilityLevel.L100W.value


def load_item(session: Session, actor: Actor, item_id: int, for_update: bool = False) -> AccountabilityItem:
    """An item whose unit is in the actor's scope; anything else is refused as not found."""
    statement = (select(AccountabilityItem).join(Unit, Unit.id == AccountabilityItem.unit_id)
                 .where(AccountabilityItem.id == item_id, Unit.path.startswith(actor.unit_path)))
    item = session.execute(statement.with_for_update(of=AccountabilityItem) if for_update else statement).scalar()
    if item is None:
        raise AccessDenied(NOT_FOUND_OR_OUT_OF_SCOPE)
    return item


def available_steps(item: AccountabilityItem, actor: Actor) -> set[ItemAction]:
    """The steps the actor may take on the item now (for showing the right forms)."""
    steps = {step for step, (sources, _) in TRANSITIONS.items()
             if ItemStatus(item.status) in sources and actor.can(STEP_PERMISSION[step])}
    if item.needs_review and item.status != ItemStatus.CLOSED.value and actor.can(Permission.SIGN_OFF):
        steps |= {ItemAction.FLAG_KEPT, ItemAction.FLAG_CLOSED}
    return steps


def _start(session: Session, actor: Actor, item_id: int, step: ItemAction) -> AccountabilityItem:
    require(actor, STEP_PERMISSION[step])
    item = load_item(session, actor, item_id, for_update=True)
    sources, _ = TRANSITIONS[step]
    if ItemStatus(item.status) not in sources:
        raise InvalidInput({"status": ACC_TRANSITION_REFUSED.format(
            status=ItemStatus(item.status).label, action=ItemAction(step).label)})
    return item


def _move(session: Session, item: AccountabilityItem, step: ItemAction, actor: Actor, now: datetime,
          note: str | None) -> None:
    from_status = item.status
    item.status = TRANSITIONS[step][1].value
    session.flush()
    record_step(session, item, step, actor, now, from_status=from_status, from_level=item.level, note=note)


def _text(value: str | None, name: str, minimum: int, message: str, errors: dict[str, str]) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        errors[name] = message.format(length=minimum)
    elif len(text) > TEXT_LIMIT:
        errors[name] = ACC_TEXT_TOO_LONG.format(limit=TEXT_LIMIT)
    return text


def _check_uploads(uploads: list[Upload], errors: dict[str, str]) -> None:
    if len(uploads) > MAX_ATTACHMENTS:
        errors["attachments"] = ACC_ATTACHMENT_TOO_MANY.format(count=MAX_ATTACHMENTS)
    for upload in uploads:
        name = _safe_name(upload.filename)
        if not name:
            errors["attachments"] = ACC_ATTACHMENT_NAME
        elif len(upload.content) > ATTACHMENT_MAX_BYTES:
            errors["attachments"] = ACC_ATTACHMENT_TOO_LARGE.format(name=name, mb=ATTACHMENT_MAX_MB)
        elif not upload.content:
            errors["attachments"] = ACC_ATTACHMENT_EMPTY.format(name=name)


def _safe_name(filename: str) -> str:
    # Browsers may send a path; keep the last component only, without control characters.
    base = os.path.basename(filename.replace("\\", "/")).strip()
    return "".join(ch for ch in base if ch.isprintable())[:255]


def submit_explanation(session: Session, actor: Actor, item_id: int, explanation: str,
                       prevention_review: str | None = None, uploads: list[Upload] | None = None,
                       now: datetime | None = None) -> AccountabilityItem:
    """The unit's explanation (and 倒查 from 50万 up) with attachments: 待说明/退回 → 已提交说明."""
    item = _start(session, actor, item_id, ItemAction.SUBMITTED)
    uploads, now = uploads or [], now or now_utc()
    errors: dict[str, str] = {}
    text = _text(explanation, "explanation", MIN_TEXT, ACC_EXPLANATION_REQUIRED, errors)
    review = (prevention_review or "").strip() or None
    if needs_prevention_review(item.level):
        review = _text(prevention_review, "prevention_review", MIN_TEXT, ACC_PREVENTION_REQUIRED, errors)
    _check_uploads(uploads, errors)
    if errors:
        raise InvalidInput(errors)
    item.explanation, item.prevention_review, item.submitted_at = text, review, now
    for upload in uploads:
        session.add(AccountabilityAttachment(
            item_id=item.id, filename=_safe_name(upload.filename), content=upload.content, size=len(upload.content),
            content_type=(upload.content_type or "application/octet-stream")[:100], uploaded_by=actor.username, at=now))
    # The event keeps each submitted text, so a resubmission does not lose the earlier one.
    _move(session, item, ItemAction.SUBMITTED, actor, now, "\n\n".join(t for t in (text, review) if t))
    return item


def _last_submitter(session: Session, item: AccountabilityItem) -> str | None:
    return session.execute(
        select(AccountabilityEvent.username).where(AccountabilityEvent.item_id == item.id,
                                                   AccountabilityEvent.action == ItemAction.SUBMITTED.value)
        .order_by(AccountabilityEvent.at.desc(), AccountabilityEvent.id.desc()).limit(1)
    ).scalar()


def review(session: Session, actor: Actor, item_id: int, approve: bool, note: str = "",
           now: datetime | None = None) -> AccountabilityItem:
    """A leader approves (→ 已审核通过) or returns with a reason (→ 退回) a submitted explanation."""
    step = ItemAction.APPROVED if approve else ItemAction.RETURNED
    item = _start(session, actor, item_id, step)
    if _last_submitter(session, item) == actor.username:
        raise AccessDenied(ACC_OWN_SUBMISSION)
    errors: dict[str, str] = {}
    text = _text(note, "note", 0 if approve else MIN_REASON, ACC_RETURN_REASON_REQUIRED, errors)
    if errors:
        raise InvalidInput(errors)
    item.review_note = text or None
    _move(session, item, step, actor, now or now_utc(), text or None)
    return item


def close(session: Session, actor: Actor, item_id: int, decision: Decision | None = None, note: str = "",
          now: datetime | None = None) -> AccountabilityItem:
    """Close an approved item; at the 100万 level the decision taken and what it was are required."""
    item = _start(session, actor, item_id, ItemAction.CLOSED)
    now, errors = now or now_utc(), {}
    if needs_decision(item.level):
        if decision is None:
            errors["decision"] = ACC_DECISION_REQUIRED
        text = _text(note, "decision_note", MIN_REASON, ACC_DECISION_NOTE_REQUIRED, errors)
    else:
        text = _text(note, "decision_note", 0, "", errors)
    if errors:
        raise InvalidInput(errors)
    item.decision = decision.value if decision else None
    item.decision_note, item.closed_at = text or None, now
    label = f"{Decision(decision).label}：{text}" if decision else text
    _move(session, item, ItemAction.CLOSED, actor, now, label or None)
    return item


def resolve_flag(session: Session, actor: Actor, item_id: int, keep: bool, reason: str,
                 now: datetime | None = None) -> AccountabilityItem:
    """A leader settles a downward-revision flag: keep the item open, or close it; a reason either way."""
    step = ItemAction.FLAG_KEPT if keep else ItemAction.FLAG_CLOSED
    require(actor, STEP_PERMISSION[step])
    item = load_item(session, actor, item_id, for_update=True)
    if not item.needs_review or item.status == ItemStatus.CLOSED.value:
        raise InvalidInput({"status": ACC_NOT_FLAGGED})
    errors: dict[str, str] = {}
    text = _text(reason, "reason", MIN_REASON, ACC_FLAG_REASON_REQUIRED, errors)
    if errors:
        raise InvalidInput(errors)
    now, from_status = now or now_utc(), item.status
    item.needs_review = False
    if not keep:
        item.status, item.closed_at = ItemStatus.CLOSED.value, now
    session.flush()
    record_step(session, item, step, actor, now, from_status=from_status, from_level=item.level, note=text)
    return item


def attachment(session: Session, actor: Actor, attachment_id: int) -> AccountabilityAttachment:
    """One attachment of an item in scope, for download; the download is audited."""
    require(actor, Permission.VIEW_CASES)
    row = session.get(AccountabilityAttachment, attachment_id)
    if row is None:
        raise AccessDenied(NOT_FOUND_OR_OUT_OF_SCOPE)
    item = load_item(session, actor, row.item_id)
    if item.case_id is not None:
        source = session.execute(select(FraudCase.case_no).where(FraudCase.id == item.case_id)).scalar()
    else:
        source = session.execute(select(Campaign.name).where(Campaign.id == item.campaign_id)).scalar()
    audit.record(session, AuditAction.EXPORT, actor, object_type="accountability_attachment", object_id=row.id,
                 detail=f"{ACC_ATTACHMENT_AUDIT.format(name=row.filename)}（{source}）")
    return row
