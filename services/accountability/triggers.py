"""Loss-threshold accountability (问责预警): raising, escalating and flagging items as cases are saved.

Due dates run from the Beijing date the requirement is raised (or escalated), not from the report date:
a case imported late, or a loss revised upwards months later, gives the unit its full deadline from the
day it learns of the duty. The report date chooses which rule version applies.
"""

from datetime import datetime, timedelta

from sqlalchemy import insert, select
from sqlmodel import Session

from db.models import AccountabilityEvent, AccountabilityItem, AccountabilityRule, Campaign, FraudCase, Unit
from services import audit
from services.access.actor import Actor
from services.accountability.rules import LEVEL_RANK, all_versions, effective_rules, highest_reached, rules_in_force
from services.accountability.text import (
    ACC_AUDIT_DETAIL,
    ACC_AUDIT_DETAIL_CAMPAIGN,
    ACC_BACKFILL_AUDIT,
    ACC_NOTE_ESCALATED,
    ACC_NOTE_FLAGGED,
    ACC_NOTE_RAISED,
    ACC_NOTE_UNIT_CHANGED,
)
from services.audit.text import CLI_USERNAME
from services.shared.money import money_text
from services.shared.timeutil import shanghai_today
from vocabulary import AccountabilityLevel, AuditAction, CampaignConsequence, ItemAction, ItemStatus

OBJECT_TYPE = "accountability_item"
SYSTEM_USERNAME = "system"  # who raises campaign items (a page load or `fanzha campaigns check`)


def level_label(level: str) -> str:
    """The Chinese label of a level value: a loss level (case items) or a consequence (campaign items)."""
    return AccountabilityLevel.label_of(level) or CampaignConsequence.label_of(level, level)


def _audit_detail(session: Session, item: AccountabilityItem, action: ItemAction, case_no: str | None) -> str:
    if item.case_id is None:
        name = session.execute(select(Campaign.name).where(Campaign.id == item.campaign_id)).scalar()
        return ACC_AUDIT_DETAIL_CAMPAIGN.format(item_id=item.id, campaign=name, action=ItemAction(action).label)
    if case_no is None:
        case_no = session.execute(select(FraudCase.case_no).where(FraudCase.id == item.case_id)).scalar()
    return ACC_AUDIT_DETAIL.format(item_id=item.id, case_no=case_no, action=ItemAction(action).label)


def record_step(
    session: Session, item: AccountabilityItem, action: ItemAction, actor: Actor | None, now: datetime, *,
    from_status: str | None = None, from_level: str | None = None, note: str | None = None, case_no: str | None = None,
    username: str | None = None,
) -> None:
    """One history event and one audit record for a step on an item, in the caller's transaction.

    Without an actor the step is the command line's (or, given `username`, the system's)."""
    nobody = username or CLI_USERNAME
    session.add(AccountabilityEvent(
        item_id=item.id, at=now, user_id=actor.user_id if actor else None,
        username=actor.username if actor else nobody, action=action.value,
        from_status=from_status, to_status=item.status, from_level=from_level, to_level=item.level, note=note,
    ))
    detail = _audit_detail(session, item, action, case_no)
    audit.record(session, AuditAction.CREATE if action is ItemAction.RAISED else AuditAction.UPDATE, actor,
                 object_type=OBJECT_TYPE, object_id=item.id, detail=detail,
                 username=None if actor else nobody)


def _due(rule: AccountabilityRule, now: datetime):
    return shanghai_today(now) + timedelta(days=rule.deadline_days)


def _apply_rule(item: AccountabilityItem, rule: AccountabilityRule, now: datetime) -> None:
    item.rule_id, item.level = rule.id, rule.level
    item.required_action, item.responsible = rule.required_action, rule.responsible
    item.due_date = _due(rule, now)


def _raise(session: Session, case: FraudCase, rule: AccountabilityRule, actor: Actor | None, now: datetime) -> None:
    item = AccountabilityItem(case_id=case.id, unit_id=case.unit_id, rule_id=rule.id, level=rule.level,
                              required_action=rule.required_action, responsible=rule.responsible,
                              due_date=_due(rule, now), status=ItemStatus.PENDING.value, raised_at=now)
    session.add(item)
    session.flush()
    note = ACC_NOTE_RAISED.format(loss=money_text(case.loss_fen), level=level_label(rule.level))
    record_step(session, item, ItemAction.RAISED, actor, now, note=note, case_no=case.case_no)


def _escalate(session: Session, item: AccountabilityItem, case: FraudCase, rule: AccountabilityRule,
              previous_loss_fen: int | None, actor: Actor | None, now: datetime) -> None:
    # A higher level is a new requirement: back to 待说明 with the new action, responsible and deadline.
    from_status, from_level = item.status, item.level
    _apply_rule(item, rule, now)
    item.escalated_from_level = from_level
    item.status, item.closed_at, item.decision, item.decision_note = ItemStatus.PENDING.value, None, None, None
    note = ACC_NOTE_ESCALATED.format(
        old=money_text(previous_loss_fen or 0), new=money_text(case.loss_fen),
        from_level=level_label(from_level), to_level=level_label(rule.level))
    record_step(session, item, ItemAction.ESCALATED, actor, now, from_status=from_status, from_level=from_level,
                note=note, case_no=case.case_no)


def _flag(session: Session, item: AccountabilityItem, case: FraudCase, threshold_fen: int,
          previous_loss_fen: int, actor: Actor | None, now: datetime) -> None:
    note = ACC_NOTE_FLAGGED.format(old=money_text(previous_loss_fen), new=money_text(case.loss_fen),
                                     level=level_label(item.level), threshold=money_text(threshold_fen))
    item.needs_review, item.needs_review_reason = True, note
    record_step(session, item, ItemAction.FLAGGED, actor, now, from_status=item.status, from_level=item.level,
                note=note, case_no=case.case_no)


def _follow_unit(session: Session, item: AccountabilityItem, case: FraudCase, actor: Actor | None, now: datetime) -> None:
    item.unit_id = case.unit_id
    unit_name = session.execute(select(Unit.name).where(Unit.id == case.unit_id)).scalar()
    record_step(session, item, ItemAction.UNIT_CHANGED, actor, now, from_status=item.status, from_level=item.level,
                note=ACC_NOTE_UNIT_CHANGED.format(unit=unit_name), case_no=case.case_no)


BULK_CHUNK = 5_000


def _missing(session: Session, lowest: int) -> list:
    return session.execute(
        select(FraudCase.id, FraudCase.unit_id, FraudCase.loss_fen, FraudCase.reported_at, FraudCase.case_no)
        # IS NOT NULL: campaign items have no case, and NOT IN over a NULL would match no case at all.
        .where(FraudCase.loss_fen >= lowest,
               ~FraudCase.id.in_(select(AccountabilityItem.case_id).where(AccountabilityItem.case_id.is_not(None))))
        .order_by(FraudCase.reported_at, FraudCase.id)
    ).all()


def _item_rows(cases: list, versions: list[AccountabilityRule], now: datetime, at_report_time: bool) -> list[dict]:
    rows = []
    for case_id, unit_id, loss_fen, reported_at, case_no in cases:
        rule = highest_reached(rules_in_force(versions, shanghai_today(reported_at)), loss_fen)
        if rule is None:
            continue
        moment = reported_at if at_report_time else now
        item = AccountabilityItem(case_id=case_id, unit_id=unit_id, rule_id=rule.id, level=rule.level,
                                  required_action=rule.required_action, responsible=rule.responsible,
                                  due_date=_due(rule, moment), status=ItemStatus.PENDING.value, raised_at=moment)
        rows.append({**item.model_dump(exclude={"id"}), "_note": ACC_NOTE_RAISED.format(
            loss=money_text(loss_fen), level=level_label(rule.level))})
    return rows


def backfill(session: Session, now: datetime, actor: Actor | None = None, at_report_time: bool = False) -> int:
    """Raise, set-wise, the missing items of cases written in bulk (demo load, file import); how many.

    at_report_time dates each item from its case's report (the demo's history); otherwise from now.
    One history event per item and one audit record for the whole batch.
    """
    versions = all_versions(session)
    if not versions:
        return 0
    rows = _item_rows(_missing(session, min(v.threshold_fen for v in versions)), versions, now, at_report_time)
    for start in range(0, len(rows), BULK_CHUNK):
        chunk = rows[start:start + BULK_CHUNK]
        session.execute(insert(AccountabilityItem), [{k: v for k, v in r.items() if k != "_note"} for r in chunk])
        ids = dict(session.execute(select(AccountabilityItem.case_id, AccountabilityItem.id)
                                   .where(AccountabilityItem.case_id.in_([r["case_id"] for r in chunk]))).all())
        session.execute(insert(AccountabilityEvent), [
            {"item_id": ids[r["case_id"]], "at": r["raised_at"], "user_id": actor.user_id if actor else None,
             "username": actor.username if actor else CLI_USERNAME, "action": ItemAction.RAISED.value,
             "to_status": r["status"], "to_level": r["level"], "note": r["_note"]}
            for r in chunk
        ])
    if rows:
        audit.record(session, AuditAction.CREATE, actor, object_type=OBJECT_TYPE, username=None if actor else CLI_USERNAME,
                     detail=ACC_BACKFILL_AUDIT.format(count=len(rows)))
    return len(rows)


def on_case_saved(
    session: Session, case: FraudCase, previous_loss_fen: int | None, actor: Actor | None, now: datetime,
) -> None:
    """Raise, escalate or flag the case's item in the caller's transaction (previous_loss_fen None: a new case)."""
    rule = highest_reached(effective_rules(session, shanghai_today(case.reported_at)), case.loss_fen)
    item = session.execute(
        select(AccountabilityItem).where(AccountabilityItem.case_id == case.id).with_for_update()
    ).scalar_one_or_none()
    if item is None:
        if rule is not None:
            _raise(session, case, rule, actor, now)
        return
    if item.unit_id != case.unit_id:
        _follow_unit(session, item, case, actor, now)
    if rule is not None and LEVEL_RANK[rule.level] > LEVEL_RANK[item.level]:
        _escalate(session, item, case, rule, previous_loss_fen, actor, now)
        return
    own_threshold = session.get(AccountabilityRule, item.rule_id).threshold_fen
    lowered = previous_loss_fen is not None and case.loss_fen < previous_loss_fen
    if lowered and case.loss_fen < own_threshold and item.status != ItemStatus.CLOSED.value:
        _flag(session, item, case, own_threshold, previous_loss_fen, actor, now)
    session.flush()
