"""Issue 12 in the accountability services: paging with a true total, explanations awaiting approval counted,
the clerk's own to-do, stations named with their district, amounts near a threshold, the audited XLSX export."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AuditLog
from services.access.actor import AccessDenied
from services.accountability import api
from services.accountability.export import ITEM_HEADER, as_read_back, item_cells
from services.accountability.read import ItemFilter, list_items, page_items, summary, unit_table, unit_todo
from services.accountability.workflow import submit_explanation
from services.shared.export_cells import read_back
from tests.services.accountability.accountability_world import NOW, build_world
from tests.services.accountability.test_accountability_read import _extra_units, _insert_random_items
from vocabulary import AccountabilityLevel, AuditAction

EXPLANATION = "被害人轻信虚假投资平台，本所宣传未覆盖该小区，已整改。"


@pytest.fixture
def world(engine):
    return build_world(engine)


def _read(world, function, actor, *args, **kwargs):
    with read_session(world.engine) as session:
        return function(session, world.actors[actor], *args, **kwargs)


def test_items_are_paged_in_sql_with_the_true_total(world):
    _extra_units(world.engine)
    _insert_random_items(world, random.Random(12), 620)  # more than the old 500-row cap
    criteria = ItemFilter()
    first = _read(world, page_items, "leader_c", criteria, NOW, 50, 0)
    assert first.total == 620 and len(first.rows) == 50
    pages = [_read(world, page_items, "leader_c", criteria, NOW, 50, offset).rows for offset in range(0, 650, 50)]
    every = [row for page in pages for row in page]
    assert len(every) == 620 and len({r.id for r in every}) == 620  # every item once, none hidden by a cap
    assert every[:500] == _read(world, list_items, "leader_c", criteria, NOW)  # the same order as the list
    narrowed = _read(world, page_items, "leader_c", ItemFilter(level=AccountabilityLevel.L50W), NOW, 50, 0)
    assert narrowed.total == sum(r.level == "l50w" for r in every)


def test_explanations_awaiting_approval_are_counted_apart_from_flags(world):
    submitted = world.item(world.add_case("WA", "150000")).id
    world.add_case("WA", "200000")
    flagged = world.add_case("YX", "600000")
    world.revise(flagged, loss_yuan="400000")
    with write_session(world.engine) as session:
        submit_explanation(session, world.actors["clerk_wa"], submitted, EXPLANATION, now=NOW)
    figures = _read(world, summary, "leader_d", NOW)
    assert (figures.awaiting_approval, figures.needs_review) == (1, 1)
    table = _read(world, unit_table, "leader_d", None, NOW)
    assert [(r.name, r.awaiting_approval, r.needs_review) for r in table.rows] == [
        ("武安派出所", 1, 0), ("岩溪派出所", 0, 1)]
    assert table.total.awaiting_approval == 1


def test_a_clerk_sees_their_own_open_and_overdue_items(world):
    late = world.item(world.add_case("WA", "200000", now=NOW - timedelta(days=30))).id
    world.add_case("WA", "150000")
    world.add_case("YX", "150000")  # another station's: not the clerk's
    todo = _read(world, unit_todo, "clerk_wa", NOW)
    assert (todo.unit_name, todo.open_total, todo.actionable, todo.overdue) == ("武安派出所", 2, 2, 1)
    assert todo.rows[0].id == late and todo.rows[0].days_overdue > 0
    assert todo.rows[0].unit_label == "长泰区 · 武安派出所"
    assert _read(world, unit_todo, "clerk_yx", NOW).open_total == 1


def test_overdue_stations_are_named_with_their_district(world):
    world.add_case("WA", "200000", now=NOW - timedelta(days=30))
    assert _read(world, summary, "leader_c", NOW).overdue_by_unit == [("长泰区 · 武安派出所", 1)]


def test_notes_never_round_an_amount_up_to_a_threshold(world):
    item = world.item(world.add_case("WA", "999999.99"))
    assert item.level == "l50w"
    assert world.events(item.id)[0].note == "损失 999,999.99 元，达到“50万元以上”。"
    row = _read(world, page_items, "leader_d", ItemFilter(), NOW, 50, 0).rows[0]
    assert str(item_cells(row)[ITEM_HEADER.index("损失万元")]) == "99.99"  # not 100.00


def test_the_export_holds_the_filtered_list_with_its_filters_and_is_audited(world):
    _extra_units(world.engine)
    _insert_random_items(world, random.Random(7), 300)
    criteria = ItemFilter(unit_id=world.units["D"], open_only=True)
    shown = _read(world, page_items, "leader_d", criteria, NOW, 10_000, 0)
    data = api.export_items(world.engine, world.actors["leader_d"], criteria, NOW)
    filters, table = read_back(data)
    assert table[0] == tuple(ITEM_HEADER)
    assert table[1:] == [as_read_back(item_cells(r)) for r in shown.rows] and len(table) - 1 == shown.total > 50
    written = dict(row[:2] for row in filters)
    assert (written["单位"], written["仅未关闭"], written["级别"], written["仅逾期"]) == ("长泰区公安分局", "是", "全部", "否")
    assert written["符合条件"] == f"{shown.total:,} 项，导出 {shown.total:,} 项"
    with read_session(world.engine) as session:
        audits = session.execute(select(AuditLog).where(AuditLog.action == AuditAction.EXPORT.value)).scalars().all()
    assert len(audits) == 1 and audits[0].username == "leader_d" and audits[0].object_type == "accountability_item"
    assert f"导出问责事项 {shown.total} 项" in audits[0].detail and "仅未关闭：是" in audits[0].detail


def test_the_export_stays_within_scope(world):
    with pytest.raises(AccessDenied):
        api.export_items(world.engine, world.actors["clerk_wa"], ItemFilter(unit_id=world.units["YX"]), NOW)
    with read_session(world.engine) as session:
        assert not session.execute(select(AuditLog).where(AuditLog.action == AuditAction.EXPORT.value)).first()
