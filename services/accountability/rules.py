"""Accountability rules as versioned configuration: the rule set in force on a date, new versions by administrators."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from db.models import AccountabilityRule
from services import audit
from services.access.actor import AccessDenied, Actor
from services.access.permissions import Permission
from services.access.scope import at_top, require
from services.accountability.text import (
    RULE_ACTION_REQUIRED,
    RULE_AUDIT_DETAIL,
    RULE_DEADLINE_INVALID,
    RULE_EFFECTIVE_PAST,
    RULE_EFFECTIVE_TAKEN,
    RULE_FIELD_TOO_LONG,
    RULE_REASON_REQUIRED,
    RULE_RESPONSIBLE_REQUIRED,
    RULE_RETIRED_SUFFIX,
    RULE_THRESHOLD_INVALID,
    RULE_THRESHOLD_ORDER,
    RULES_CITY_ONLY,
)
from services.shared.errors import InvalidInput
from services.shared.money import format_wan
from services.shared.timeutil import now_utc, shanghai_today
from vocabulary import AccountabilityLevel, AuditAction

LEVEL_ORDER: tuple[AccountabilityLevel, ...] = (
    AccountabilityLevel.L10W, AccountabilityLevel.L50W, AccountabilityLevel.L100W,
)
LEVEL_RANK: dict[str, int] = {level.value: rank for rank, level in enumerate(LEVEL_ORDER)}
MAX_DEADLINE_DAYS = 365
MIN_REASON_LENGTH = 4
ACTION_LIMIT, RESPONSIBLE_LIMIT = 255, 100


@dataclass(frozen=True)
class RuleVersionRow:
    """A rule version as pages show it (a plain read model, no ORM object)."""

    level: str
    threshold_fen: int
    required_action: str
    responsible: str
    deadline_days: int
    effective_from: date
    retired: bool
    created_by: str | None
    created_at: datetime | None
    reason: str | None

    @classmethod
    def of(cls, rule: AccountabilityRule) -> "RuleVersionRow":
        """The read model of a stored rule version."""
        return cls(rule.level, rule.threshold_fen, rule.required_action, rule.responsible, rule.deadline_days,
                   rule.effective_from, bool(rule.retired), rule.created_by, rule.created_at, rule.reason)


def _effective(versions: list[AccountabilityRule], day: date) -> list[AccountabilityRule]:
    latest: dict[str, AccountabilityRule] = {}
    for rule in sorted(versions, key=lambda r: r.effective_from, reverse=True):
        if rule.effective_from <= day:
            latest.setdefault(rule.level, rule)
    return sorted((r for r in latest.values() if not r.retired), key=lambda r: LEVEL_RANK.get(r.level, 99))


def rules_in_force(versions: list[AccountabilityRule], day: date) -> list[AccountabilityRule]:
    """Among already loaded versions, the rules in force on a Beijing date (for set-wise raising)."""
    return _effective(versions, day)


def all_versions(session: Session) -> list[AccountabilityRule]:
    """Every rule version, by level then newest first."""
    rows = session.execute(select(AccountabilityRule)).scalars().all()
    return sorted(rows, key=lambda r: (LEVEL_RANK.get(r.level, 99), -r.effective_from.toordinal(), -(r.id or 0)))


def effective_rules(session: Session, day: date) -> list[AccountabilityRule]:
    """The rules in force on a Beijing date: per level the version with the latest effective_from ≤ day, lowest level first."""
    return _effective(all_versions(session), day)


def highest_reached(rules: list[AccountabilityRule], loss_fen: int) -> AccountabilityRule | None:
    """The highest-level rule whose threshold the loss reaches ("以上" includes the threshold itself)."""
    reached = [r for r in rules if loss_fen >= r.threshold_fen]
    return max(reached, key=lambda r: LEVEL_RANK[r.level]) if reached else None


def list_rule_versions(session: Session, actor: Actor) -> list[AccountabilityRule]:
    """Every rule version, for the administrators' rules page (district administrators read them too)."""
    require(actor, Permission.MANAGE_RULES)
    return all_versions(session)


def may_edit_rules(session: Session, actor: Actor) -> bool:
    """Rules are city-wide: only an administrator of the top unit of the tree adds versions."""
    return actor.can(Permission.MANAGE_RULES) and at_top(session, actor)


def _require_editor(session: Session, actor: Actor) -> None:
    require(actor, Permission.MANAGE_RULES)
    if not at_top(session, actor):
        raise AccessDenied(RULES_CITY_ONLY)


@dataclass(frozen=True)
class RuleDraft:
    """A new version of one level's rule, as the administrator typed it."""

    level: AccountabilityLevel
    threshold_fen: int
    required_action: str
    responsible: str
    deadline_days: int
    effective_from: date
    reason: str
    retired: bool = False


def _field_errors(draft: RuleDraft, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if draft.threshold_fen <= 0:
        errors["threshold_fen"] = RULE_THRESHOLD_INVALID
    for name, limit, missing in (("required_action", ACTION_LIMIT, RULE_ACTION_REQUIRED),
                                 ("responsible", RESPONSIBLE_LIMIT, RULE_RESPONSIBLE_REQUIRED)):
        text = getattr(draft, name).strip()
        if not text:
            errors[name] = missing
        elif len(text) > limit:
            errors[name] = RULE_FIELD_TOO_LONG.format(limit=limit)
    if not 1 <= draft.deadline_days <= MAX_DEADLINE_DAYS:
        errors["deadline_days"] = RULE_DEADLINE_INVALID.format(days=MAX_DEADLINE_DAYS)
    if draft.effective_from < today:
        errors["effective_from"] = RULE_EFFECTIVE_PAST.format(today=today.isoformat())
    if len(draft.reason.strip()) < MIN_REASON_LENGTH:
        errors["reason"] = RULE_REASON_REQUIRED.format(length=MIN_REASON_LENGTH)
    return errors


def _order_error(versions: list[AccountabilityRule], candidate: AccountabilityRule) -> str | None:
    # The new version must keep thresholds increasing by level on its own date and on every later version date.
    combined = [*versions, candidate]
    for day in sorted({candidate.effective_from} | {v.effective_from for v in versions
                                                     if v.effective_from > candidate.effective_from}):
        rules = _effective(combined, day)
        thresholds = [r.threshold_fen for r in rules]
        if any(a >= b for a, b in zip(thresholds, thresholds[1:])):
            levels = "，".join(f"{AccountabilityLevel(AccountabilityLevel(r.level)).label} {format_wan(r.threshold_fen)} 万元"
                              for r in rules)
            return RULE_THRESHOLD_ORDER.format(date=day.isoformat(), levels=levels)
    return None


def add_rule_version(session: Session, actor: Actor, draft: RuleDraft, now: datetime | None = None) -> AccountabilityRule:
    """Add a rule version effective from a date not before today (Beijing); validated and audited (top unit only)."""
    _require_editor(session, actor)
    now = now or now_utc()
    errors = _field_errors(draft, shanghai_today(now))
    versions = all_versions(session)
    if any(v.level == draft.level.value and v.effective_from == draft.effective_from for v in versions):
        errors["effective_from"] = RULE_EFFECTIVE_TAKEN.format(
            level=AccountabilityLevel(draft.level).label, date=draft.effective_from.isoformat())
    rule = AccountabilityRule(
        level=draft.level.value, threshold_fen=draft.threshold_fen, required_action=draft.required_action.strip(),
        responsible=draft.responsible.strip(), deadline_days=draft.deadline_days, effective_from=draft.effective_from,
        created_at=now, retired=draft.retired, created_by=actor.username, reason=draft.reason.strip(),
    )
    if not errors:
        order = _order_error(versions, rule)
        if order:
            errors["threshold_fen"] = order
    if errors:
        raise InvalidInput(errors)
    session.add(rule)
    session.flush()
    audit.record(session, AuditAction.CREATE, actor, object_type="accountability_rule", object_id=rule.id,
                 detail=RULE_AUDIT_DETAIL.format(
                     level=AccountabilityLevel(draft.level).label, date=draft.effective_from.isoformat(),
                     threshold=format_wan(draft.threshold_fen), days=draft.deadline_days,
                     retired=RULE_RETIRED_SUFFIX if draft.retired else ""))
    return rule
