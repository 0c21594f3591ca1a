"""Accountability as pages use it: each call is one transaction of its own and returns plain read models."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from services.access.actor import Actor
from services.accountability import export, read, rules, workflow
from services.accountability.read import ItemDetail, ItemFilter, ItemPage, UnitTodo
from services.accountability.rules import RuleDraft, RuleVersionRow
from services.accountability.workflow import Upload
from services.shared.unit_of_work import reading, writing
from vocabulary import Decision


@dataclass(frozen=True)
class AttachmentFile:
    """An attachment's bytes, ready to hand to a download button."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class RulesPage:
    """What the 问责规则 page shows: every version, the set in force today, and whether the actor may add one."""

    versions: list[RuleVersionRow]
    current: list[RuleVersionRow]
    editable: bool


def items(engine: Engine, actor: Actor, criteria: ItemFilter, now: datetime, limit: int, offset: int) -> ItemPage:
    """One page of the filtered item list in scope, and how many items match in all (paged in SQL)."""
    return reading(engine, read.page_items, actor, criteria, now, limit, offset)


def export_items(engine: Engine, actor: Actor, criteria: ItemFilter, now: datetime) -> bytes:
    """The filtered item list (every page, up to export.EXPORT_LIMIT) as XLSX with its filters; audited."""
    return writing(engine, export.export_items, actor, criteria, now)


def unit_todo(engine: Engine, actor: Actor, now: datetime) -> UnitTodo:
    """The actor's own unit's open items: how many, how many it must explain, how many are overdue."""
    return reading(engine, read.unit_todo, actor, now)


def item_detail(engine: Engine, actor: Actor, item_id: int, now: datetime) -> ItemDetail:
    """One item in scope with everything its page shows."""
    return reading(engine, read.item_detail, actor, item_id, now)


def submit_explanation(engine: Engine, actor: Actor, item_id: int, explanation: str, prevention_review: str | None,
                       uploads: list[Upload]) -> None:
    """The unit submits its explanation (and 倒查) with attachments (refusals by field as InvalidInput)."""
    writing(engine, workflow.submit_explanation, actor, item_id, explanation, prevention_review, uploads)


def review(engine: Engine, actor: Actor, item_id: int, approve: bool, note: str) -> None:
    """A leader approves or returns a submitted explanation."""
    writing(engine, workflow.review, actor, item_id, approve, note)


def close(engine: Engine, actor: Actor, item_id: int, decision: Decision | None, note: str) -> None:
    """A leader closes an approved item (with the decision at the 100万 level)."""
    writing(engine, workflow.close, actor, item_id, decision, note)


def resolve_flag(engine: Engine, actor: Actor, item_id: int, keep: bool, reason: str) -> None:
    """A leader settles a downward-revision flag: keep the item or close it."""
    writing(engine, workflow.resolve_flag, actor, item_id, keep, reason)


def attachment(engine: Engine, actor: Actor, attachment_id: int) -> AttachmentFile:
    """An attachment of an item in scope, for download (the download is audited)."""
    def _fetch(session: Session) -> AttachmentFile:
        row = workflow.attachment(session, actor, attachment_id)
        return AttachmentFile(row.filename, row.content_type, row.content)
    return writing(engine, _fetch)


def rules_page(engine: Engine, actor: Actor, today: date) -> RulesPage:
    """The rule versions the actor may read, the set in force today, and whether the actor may add a version."""
    def _read(session: Session) -> RulesPage:
        versions = rules.list_rule_versions(session, actor)
        current = rules.effective_rules(session, today)
        return RulesPage([RuleVersionRow.of(r) for r in versions], [RuleVersionRow.of(r) for r in current],
                         rules.may_edit_rules(session, actor))
    return reading(engine, _read)


def add_rule_version(engine: Engine, actor: Actor, draft: RuleDraft) -> RuleVersionRow:
    """Add a rule version (validated and audited; refusals by field as InvalidInput)."""
    def _add(session: Session) -> RuleVersionRow:
        return RuleVersionRow.of(rules.add_rule_version(session, actor, draft))
    return writing(engine, _add)
