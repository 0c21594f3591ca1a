"""Rule versions: a change applies to cases reported from its effective date; past items keep their rule."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from accountability_world import NOW, build_world
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AccountabilityRule, AuditLog
from services.access.actor import AccessDenied
from services.accountability.rules import (
    RuleDraft,
    add_rule_version,
    effective_rules,
    list_rule_versions,
    may_edit_rules,
)
from services.accountability.text import RULES_CITY_ONLY
from services.shared.errors import InvalidInput
from services.shared.timeutil import day_start_utc, shanghai_today
from vocabulary import AccountabilityLevel

TODAY = shanghai_today(NOW)
DRAFT = RuleDraft(level=AccountabilityLevel.L10W, threshold_fen=20_000_000, required_action="向分管副局长书面说明原因",
                  responsible="所长 → 分管副局长", deadline_days=3, effective_from=TODAY + timedelta(days=1),
                  reason="县局党委会决定调整门槛")


@pytest.fixture
def world(engine):
    return build_world(engine)


def _add(world, draft: RuleDraft, who: str = "admin") -> AccountabilityRule:
    with write_session(world.engine) as session:
        return add_rule_version(session, world.actors[who], draft, now=NOW)


def _rule(world, rule_id: int) -> AccountabilityRule:
    with read_session(world.engine) as session:
        return session.get(AccountabilityRule, rule_id)


def test_a_change_applies_from_its_effective_date(world):
    old_item = world.item(world.add_case(loss_yuan="150000"))
    new_rule = _add(world, DRAFT)
    effective = day_start_utc(DRAFT.effective_from)
    just_before = world.item(world.add_case(loss_yuan="150000", reported_at=effective - timedelta(seconds=1),
                                            now=effective))
    assert world.item(world.add_case(loss_yuan="150000", reported_at=effective, now=effective)) is None
    raised = world.item(world.add_case(loss_yuan="200000", reported_at=effective, now=effective))
    assert (raised.rule_id, raised.due_date) == (new_rule.id, DRAFT.effective_from + timedelta(days=3))
    assert raised.required_action == DRAFT.required_action
    assert just_before.rule_id == old_item.rule_id != new_rule.id
    assert world.item_by_id(old_item.id).rule_id == old_item.rule_id
    assert _rule(world, old_item.rule_id).threshold_fen == 10_000_000


def test_escalation_after_a_change_uses_the_rules_of_the_report_date(world):
    case_id = world.add_case(loss_yuan="150000")
    _add(world, replace(DRAFT, level=AccountabilityLevel.L50W, threshold_fen=40_000_000, required_action="新版要求"))
    world.revise(case_id, now=NOW + timedelta(days=5), loss_yuan="450000")
    assert world.item(case_id).level == "l10w"  # reported under the old 50万 threshold


def test_retiring_a_level(world):
    _add(world, replace(DRAFT, threshold_fen=10_000_000, retired=True))
    later = day_start_utc(DRAFT.effective_from) + timedelta(hours=3)
    assert world.item(world.add_case(loss_yuan="300000", reported_at=later, now=later)) is None
    assert world.item(world.add_case(loss_yuan="600000", reported_at=later, now=later)).level == "l50w"
    with read_session(world.engine) as session:
        assert [r.level for r in effective_rules(session, DRAFT.effective_from)] == ["l50w", "l100w"]
        assert [r.level for r in effective_rules(session, TODAY)] == ["l10w", "l50w", "l100w"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"effective_from": TODAY - timedelta(days=1)}, "effective_from"),
    ({"threshold_fen": 0}, "threshold_fen"),
    ({"threshold_fen": 50_000_000}, "threshold_fen"),  # not below the 50万 level
    ({"required_action": "  "}, "required_action"),
    ({"responsible": "人" * 101}, "responsible"),
    ({"deadline_days": 0}, "deadline_days"),
    ({"deadline_days": 366}, "deadline_days"),
    ({"reason": "改"}, "reason"),
])
def test_invalid_versions_are_refused_by_field(world, changes, field):
    with pytest.raises(InvalidInput) as refused:
        _add(world, replace(DRAFT, **changes))
    assert field in refused.value.errors
    with read_session(world.engine) as session:
        assert len(session.execute(select(AccountabilityRule)).scalars().all()) == 3


def test_order_is_checked_on_later_version_dates_too(world):
    _add(world, replace(DRAFT, level=AccountabilityLevel.L50W, threshold_fen=30_000_000,
                        effective_from=TODAY + timedelta(days=10)))
    with pytest.raises(InvalidInput) as refused:
        _add(world, replace(DRAFT, threshold_fen=35_000_000))  # fine tomorrow, not from day 10
    assert (TODAY + timedelta(days=10)).isoformat() in refused.value.errors["threshold_fen"]


def test_same_level_and_date_is_refused(world):
    _add(world, DRAFT)
    with pytest.raises(InvalidInput) as refused:
        _add(world, replace(DRAFT, threshold_fen=15_000_000))
    assert "effective_from" in refused.value.errors


def test_only_administrators_manage_rules_and_it_is_audited(world):
    for name in ("leader_c", "clerk_wa", "command"):
        with pytest.raises(AccessDenied):
            _add(world, DRAFT, who=name)
        with pytest.raises(AccessDenied):
            with read_session(world.engine) as session:
                list_rule_versions(session, world.actors[name])
    rule = _add(world, DRAFT)
    assert (rule.created_by, rule.reason, rule.retired) == ("admin", DRAFT.reason, False)
    with read_session(world.engine) as session:
        versions = list_rule_versions(session, world.actors["admin"])
        [record] = session.execute(select(AuditLog).where(AuditLog.object_type == "accountability_rule")).scalars().all()
    assert [(v.level, v.effective_from) for v in versions][:2] == [("l10w", DRAFT.effective_from),
                                                                  ("l10w", date(2000, 1, 1))]
    assert (record.username, record.action, record.object_id) == ("admin", "create", str(rule.id))
    assert "20" in record.detail and DRAFT.effective_from.isoformat() in record.detail


def test_rules_are_city_wide_a_district_administrator_reads_but_cannot_add(world):
    with pytest.raises(AccessDenied, match=RULES_CITY_ONLY):
        _add(world, DRAFT, who="admin_d")
    with read_session(world.engine) as session:
        assert len(list_rule_versions(session, world.actors["admin_d"])) == 3
        assert not may_edit_rules(session, world.actors["admin_d"])
        assert may_edit_rules(session, world.actors["admin"])
        assert not may_edit_rules(session, world.actors["leader_c"])
        assert session.execute(select(AuditLog).where(AuditLog.object_type == "accountability_rule")).first() is None
    assert _add(world, DRAFT).created_by == "admin"
