"""督导检查: a visit saved once per form key with photos, refusals by field, who may mark fixed, states and filters."""

from datetime import date, timedelta

import pytest
from campaign_world import NOW, TODAY, build_world, png
from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import AuditLog, CampaignInspection, InspectionPhoto
from services.access.actor import AccessDenied
from services.campaigns import api, inspections
from services.campaigns.inspections import InspectionDraft
from services.campaigns.photos import Upload
from services.shared.errors import InvalidInput
from vocabulary import InspectionState

FINDINGS = "宣传栏内容过期，入户走访记录不全。"


@pytest.fixture
def world(engine):
    return build_world(engine)


def _draft(world, code="WA", key="k-1", visited=date(2026, 11, 2), fix_by=date(2026, 11, 12), **changes):
    values = dict(campaign_id=world.campaign_id, unit_id=world.units[code], visited_on=visited, inspector="陈建华",
                  findings=FINDINGS, fix_by=fix_by, idempotency_key=key)
    return InspectionDraft(**{**values, **changes})


def _record(world, who="leader_d", photos=(), **draft):
    with write_session(world.engine) as session:
        return inspections.record_inspection(session, world.actors[who], _draft(world, **draft), list(photos), now=NOW)


def _mark(world, who, inspection_id, fixed_on=TODAY, note="已更换宣传栏内容并补录走访记录。"):
    with write_session(world.engine) as session:
        return inspections.mark_fixed(session, world.actors[who], inspection_id, fixed_on, note, now=NOW)


def _list(world, who="leader_d", **filters):
    with read_session(world.engine) as session:
        return inspections.list_inspections(session, world.actors[who], world.campaign_id, TODAY, **filters)


def _count(world, model) -> int:
    with read_session(world.engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def test_a_visit_with_photos_is_saved_once_per_form_key(world):
    first = _record(world, photos=[Upload("现场.png", "image/png", png())])
    again = _record(world, photos=[Upload("现场.png", "image/png", png())])  # a double click: same key
    assert (first.duplicate, again.duplicate) == (False, True) and first.inspection_id == again.inspection_id
    assert again.photos == 1 and _count(world, CampaignInspection) == 1 and _count(world, InspectionPhoto) == 1
    # Through the page's api too (one transaction each), and a new key is a new visit.
    assert api.record_inspection(world.engine, world.actors["leader_d"], _draft(world), []).duplicate
    assert api.inspection_saved(world.engine, world.actors["leader_d"], "k-1").inspection_id == first.inspection_id
    [row] = _list(world).rows
    assert row.thumbnails and row.thumbnails[0][:2] == b"\xff\xd8"  # a JPEG thumbnail
    with read_session(world.engine) as session:
        audits = session.execute(select(AuditLog.detail).where(AuditLog.object_type == "campaign_inspection")).all()
    assert len(audits) == 1 and "武安派出所" in audits[0][0]


@pytest.mark.parametrize(("changes", "field"), [
    ({"inspector": " "}, "inspector"), ({"findings": "差"}, "findings"),
    ({"visited": date(2026, 7, 20)}, "visited_on"), ({"visited": TODAY + timedelta(days=1)}, "visited_on"),
    ({"fix_by": date(2026, 11, 1)}, "fix_by"), ({"code": "WAX", "photos": [Upload("a.txt", "image/png", b"x")]}, "photos"),
])
def test_bad_visits_are_refused_by_field_and_nothing_is_saved(world, changes, field):
    changes = dict(changes)  # the parameters are shared by both backends' runs
    photos = changes.pop("photos", ())
    with pytest.raises(InvalidInput) as refused:
        _record(world, photos=photos, **changes)
    assert field in refused.value.errors
    assert _count(world, CampaignInspection) == 0


def test_only_leaders_record_and_only_in_scope(world):
    with pytest.raises(AccessDenied):
        _record(world, who="clerk_wa")
    with pytest.raises(AccessDenied):
        _record(world, who="command")  # 指挥中心 reads
    with pytest.raises(InvalidInput) as refused:
        _record(world, who="leader_d", code="D2")  # not a unit of the campaign
    assert "unit" in refused.value.errors


def test_the_units_clerk_or_a_leader_marks_fixed_once(world):
    wa = _record(world).inspection_id
    yx = _record(world, code="YX", key="k-2").inspection_id
    with pytest.raises(AccessDenied):
        _mark(world, "clerk_wa", yx)  # another station's finding: out of the clerk's scope
    with pytest.raises(AccessDenied):
        _mark(world, "command", wa)
    with pytest.raises(InvalidInput) as refused:
        _mark(world, "clerk_wa", wa, note="好")
    assert "fix_note" in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        _mark(world, "clerk_wa", wa, fixed_on=date(2026, 11, 1))  # before the visit
    assert "fixed_on" in refused.value.errors
    _mark(world, "clerk_wa", wa)
    with pytest.raises(InvalidInput):
        _mark(world, "leader_d", wa)
    _mark(world, "leader_d", yx, fixed_on=date(2026, 11, 15))
    rows = {r.id: r for r in _list(world).rows}
    assert rows[wa].fixed_on == TODAY and rows[wa].fix_note.startswith("已更换") and rows[wa].state is InspectionState.FIXED


def test_states_counts_and_filters(world):
    overdue = _record(world, key="a", fix_by=date(2026, 11, 12)).inspection_id  # 8 days past on 20 Nov
    due_today = _record(world, key="b", fix_by=TODAY).inspection_id
    no_fix_by = _record(world, code="YX", key="c", fix_by=None).inspection_id
    fixed = _record(world, code="YX", key="d").inspection_id
    _mark(world, "leader_d", fixed)
    found = _list(world)
    assert found.counts == {InspectionState.OPEN: 2, InspectionState.OVERDUE: 1, InspectionState.FIXED: 1}
    states = {r.id: (r.state, r.days_overdue) for r in found.rows}
    assert states[overdue] == (InspectionState.OVERDUE, 8) and states[due_today] == (InspectionState.OPEN, 0)
    assert states[no_fix_by] == (InspectionState.OPEN, 0)
    assert [r.id for r in _list(world, state=InspectionState.OVERDUE).rows] == [overdue]
    assert {r.id for r in _list(world, unit_id=world.units["YX"]).rows} == {no_fix_by, fixed}
    clerk = _list(world, who="clerk_wa")
    assert {r.id for r in clerk.rows} == {overdue, due_today} and all(r.may_mark for r in clerk.rows)
    assert [r.may_mark for r in _list(world, who="command").rows] == [False] * 4
    with pytest.raises(InvalidInput):
        _list(world, unit_id=world.units["D2"])


def test_findings_and_fix_notes_show_identifiers_only_to_roles_that_may_unmask(world):
    typed = "**宣传栏**过期；[群主](http://x) 13812345678 收款卡 6222021234567890128 未处理。"
    wa = _record(world, findings=typed).inspection_id
    _mark(world, "clerk_wa", wa, note="已联系 13812345678 并更换宣传栏内容。")
    [clerk_row] = _list(world, who="clerk_wa").rows
    assert "13812345678" not in clerk_row.findings and "6222021234567890128" not in clerk_row.findings
    assert "138****5678" in clerk_row.findings and "**宣传栏**" in clerk_row.findings  # kept as typed, not rendered
    assert "13812345678" not in clerk_row.fix_note
    [leader_row] = _list(world).rows  # 局领导 may unmask
    assert leader_row.findings == typed and "13812345678" in leader_row.fix_note
