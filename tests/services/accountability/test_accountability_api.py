"""The page-facing accountability api: one transaction per call, plain read models out, refusals as before."""

from dataclasses import fields, is_dataclass
from datetime import timedelta

import pytest
from sqlmodel import SQLModel

from services.access.actor import AccessDenied
from services.accountability import api
from services.accountability.rules import RuleDraft
from services.accountability.workflow import Upload
from services.shared.errors import InvalidInput
from services.shared.timeutil import shanghai_today
from tests.services.accountability.accountability_world import NOW, build_world
from vocabulary import AccountabilityLevel, ItemStatus

TEXT = "发案原因已查明，问题已整改到位，特此说明。"


@pytest.fixture
def world(engine):
    return build_world(engine)


def _no_orm(value: object) -> None:
    """No ORM object anywhere in a read model."""
    assert not isinstance(value, SQLModel), value
    if is_dataclass(value):
        for part in fields(value):
            _no_orm(getattr(value, part.name))
    elif isinstance(value, (list, tuple, set)):
        for part in value:
            _no_orm(part)


def test_item_workflow_through_the_api(world):
    item = world.item(world.add_case("WA", "200000"))
    clerk, leader = world.actors["clerk_wa"], world.actors["leader_d"]
    with pytest.raises(InvalidInput):
        api.submit_explanation(world.engine, clerk, item.id, "短", None, [])
    api.submit_explanation(world.engine, clerk, item.id, TEXT, None, [Upload("说明.pdf", "application/pdf", b"%PDF")])
    detail = api.item_detail(world.engine, leader, item.id, NOW)
    _no_orm(detail)
    assert detail.item.status == ItemStatus.SUBMITTED.value and detail.item.explanation == TEXT
    assert [e.action for e in detail.events] == ["raised", "submitted"] and detail.rule.level == "l10w"
    fetched = api.attachment(world.engine, leader, detail.attachments[0].id)
    assert (fetched.filename, fetched.content_type, fetched.content) == ("说明.pdf", "application/pdf", b"%PDF")
    api.review(world.engine, leader, item.id, True, "")
    api.close(world.engine, leader, item.id, None, "已核实")
    assert api.item_detail(world.engine, leader, item.id, NOW).item.status == ItemStatus.CLOSED.value
    with pytest.raises(AccessDenied):
        api.item_detail(world.engine, world.actors["clerk_yx"], item.id, NOW)


def test_rules_page_and_a_new_version(world):
    admin = world.actors["admin"]
    today = shanghai_today()
    page = api.rules_page(world.engine, admin, today)
    _no_orm(page)
    assert page.editable and [r.level for r in page.current] == ["l10w", "l50w", "l100w"]
    assert not api.rules_page(world.engine, world.actors["admin_d"], today).editable
    base = page.current[0]
    draft = RuleDraft(level=AccountabilityLevel.L10W, threshold_fen=15_000_000, required_action=base.required_action,
                      responsible=base.responsible, deadline_days=base.deadline_days,
                      effective_from=today + timedelta(days=1), reason="县局党委会决定调整")
    added = api.add_rule_version(world.engine, admin, draft)
    _no_orm(added)
    assert (added.threshold_fen, added.created_by) == (15_000_000, "admin")
    assert len(api.rules_page(world.engine, admin, today).versions) == len(page.versions) + 1
