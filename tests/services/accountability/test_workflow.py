"""The item workflow: explanation → review → return/resubmit → close, refusals, attachments, audit trail."""

from datetime import timedelta

import pytest
from accountability_world import NOW, build_world
from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import ATTACHMENT_MAX_BYTES, AccountabilityAttachment, AuditLog
from services.access.actor import AccessDenied
from services.accountability.workflow import Upload, attachment, available_steps, close, review, submit_explanation
from services.audit.text import CLI_USERNAME
from services.shared.errors import InvalidInput
from vocabulary import Decision, ItemAction

EXPLANATION = "被害人轻信虚假投资平台，本所反诈宣传未覆盖该小区，已查找问题。"
PREVENTION = "案发前90天本所在该村开展宣传两次，未入户走访，存在宣传盲区，负有失职责任。"


@pytest.fixture
def world(engine):
    return build_world(engine)


def _do(world, step, *args, **kwargs):
    with write_session(world.engine) as session:
        return step(session, *args, **kwargs)


def test_full_workflow_with_return_and_resubmission(world):
    item_id = world.item(world.add_case(loss_yuan="1200000")).id
    clerk, leader = world.actors["clerk_wa"], world.actors["leader_d"]
    _do(world, submit_explanation, clerk, item_id, EXPLANATION, PREVENTION, now=NOW + timedelta(hours=1))
    _do(world, review, leader, item_id, approve=False, note="倒查不具体，请补充走访记录", now=NOW + timedelta(hours=2))
    assert world.item_by_id(item_id).status == "returned"
    _do(world, submit_explanation, clerk, item_id, EXPLANATION + "（补充）", PREVENTION, now=NOW + timedelta(hours=3))
    _do(world, review, leader, item_id, approve=True, now=NOW + timedelta(hours=4))
    _do(world, close, leader, item_id, Decision.TALK, "局长对武安派出所所长进行谈话", now=NOW + timedelta(days=2))
    events = world.events(item_id)
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("raised", None, "pending"), ("submitted", "pending", "submitted"), ("returned", "submitted", "returned"),
        ("submitted", "returned", "submitted"), ("approved", "submitted", "approved"), ("closed", "approved", "closed"),
    ]
    assert [e.username for e in events[1:]] == ["clerk_wa", "leader_d", "clerk_wa", "leader_d", "leader_d"]
    assert events[2].note == "倒查不具体，请补充走访记录" and EXPLANATION in events[1].note
    assert events[5].note == "谈话：局长对武安派出所所长进行谈话"
    audits = world.audits(item_id)
    assert len(audits) == 6 and {a.action for a in audits[1:]} == {"update"}
    assert [a.username for a in audits] == [CLI_USERNAME, "clerk_wa", "leader_d", "clerk_wa", "leader_d", "leader_d"]
    item = world.item_by_id(item_id)
    assert (item.status, item.decision, item.closed_at) == ("closed", "talk", NOW + timedelta(days=2))
    assert item.explanation == EXPLANATION + "（补充）" and item.prevention_review == PREVENTION


@pytest.mark.parametrize(("step", "args"), [
    (review, (True,)), (review, (False, "理由充分的退回")), (close, (Decision.TALK, "谈话内容记录")),
])
def test_steps_out_of_order_are_refused_in_chinese(world, step, args):
    item_id = world.item(world.add_case(loss_yuan="1200000")).id
    with pytest.raises(InvalidInput) as refused:
        _do(world, step, world.actors["leader_d"], item_id, *args)
    assert "待说明" in refused.value.errors["status"] and "不能" in refused.value.errors["status"]
    assert world.actions(item_id) == ["raised"]


def test_submitting_twice_and_closing_unapproved_are_refused(world):
    item_id = world.item(world.add_case(loss_yuan="200000")).id
    _do(world, submit_explanation, world.actors["clerk_wa"], item_id, EXPLANATION)
    with pytest.raises(InvalidInput):
        _do(world, submit_explanation, world.actors["clerk_wa"], item_id, EXPLANATION)
    with pytest.raises(InvalidInput):
        _do(world, close, world.actors["leader_d"], item_id)


def test_roles_and_scope(world):
    item_id = world.item(world.add_case(loss_yuan="200000")).id
    for name in ("clerk_yx", "wall", "command", "admin"):
        with pytest.raises(AccessDenied):
            _do(world, submit_explanation, world.actors[name], item_id, EXPLANATION)
    _do(world, submit_explanation, world.actors["clerk_d"], item_id, EXPLANATION)  # the district's clerk may
    for name in ("clerk_wa", "command"):
        with pytest.raises(AccessDenied):
            _do(world, review, world.actors[name], item_id, True)
    assert world.actions(item_id) == ["raised", "submitted"]


def test_a_leader_may_not_approve_their_own_submission(world):
    item_id = world.item(world.add_case(loss_yuan="200000")).id
    _do(world, submit_explanation, world.actors["leader_wa"], item_id, EXPLANATION)
    with pytest.raises(AccessDenied):
        _do(world, review, world.actors["leader_wa"], item_id, True)
    _do(world, review, world.actors["leader_d"], item_id, True)


def test_required_texts(world):
    small = world.item(world.add_case(loss_yuan="200000")).id
    middle = world.item(world.add_case(loss_yuan="500000")).id
    with pytest.raises(InvalidInput) as refused:
        _do(world, submit_explanation, world.actors["clerk_wa"], small, "太短")
    assert set(refused.value.errors) == {"explanation"}
    with pytest.raises(InvalidInput) as refused:
        _do(world, submit_explanation, world.actors["clerk_wa"], middle, EXPLANATION)
    assert set(refused.value.errors) == {"prevention_review"}
    _do(world, submit_explanation, world.actors["clerk_wa"], middle, EXPLANATION, PREVENTION)
    with pytest.raises(InvalidInput) as refused:
        _do(world, review, world.actors["leader_d"], middle, False, " ")
    assert set(refused.value.errors) == {"note"}


def test_top_level_close_requires_the_decision(world):
    item_id = world.item(world.add_case(loss_yuan="1000000")).id
    _do(world, submit_explanation, world.actors["clerk_wa"], item_id, EXPLANATION, PREVENTION)
    _do(world, review, world.actors["leader_d"], item_id, True)
    with pytest.raises(InvalidInput) as refused:
        _do(world, close, world.actors["leader_d"], item_id, None, "")
    assert set(refused.value.errors) == {"decision", "decision_note"}
    _do(world, close, world.actors["leader_d"], item_id, Decision.OTHER, "通报批评并责令书面检查")
    item = world.item_by_id(item_id)
    assert (item.status, item.decision, item.decision_note) == ("closed", "other", "通报批评并责令书面检查")


def test_lower_level_close_needs_no_decision(world):
    item_id = world.item(world.add_case(loss_yuan="100000")).id
    _do(world, submit_explanation, world.actors["clerk_wa"], item_id, EXPLANATION)
    _do(world, review, world.actors["leader_d"], item_id, True)
    _do(world, close, world.actors["leader_d"], item_id)
    assert world.actions(item_id)[-1] == "closed"


def test_available_steps_follow_status_and_role(world):
    item_id = world.item(world.add_case(loss_yuan="200000")).id
    item = world.item_by_id(item_id)
    assert available_steps(item, world.actors["clerk_wa"]) == {ItemAction.SUBMITTED}
    assert available_steps(item, world.actors["command"]) == set()
    _do(world, submit_explanation, world.actors["clerk_wa"], item_id, EXPLANATION)
    item = world.item_by_id(item_id)
    assert available_steps(item, world.actors["leader_d"]) == {ItemAction.APPROVED, ItemAction.RETURNED}
    assert available_steps(item, world.actors["clerk_wa"]) == set()


def _count_attachments(world) -> int:
    with read_session(world.engine) as session:
        return session.execute(select(func.count()).select_from(AccountabilityAttachment)).scalar()


def test_attachment_size_cap_and_contents(world):
    item_id = world.item(world.add_case(loss_yuan="200000")).id
    clerk = world.actors["clerk_wa"]
    too_big = Upload("会议记录.pdf", "application/pdf", b"x" * (ATTACHMENT_MAX_BYTES + 1))
    with pytest.raises(InvalidInput) as refused:
        _do(world, submit_explanation, clerk, item_id, EXPLANATION, uploads=[too_big])
    assert "10 MB" in refused.value.errors["attachments"]
    with pytest.raises(InvalidInput):
        _do(world, submit_explanation, clerk, item_id, EXPLANATION, uploads=[Upload("空.txt", "text/plain", b"")])
    assert _count_attachments(world) == 0 and world.actions(item_id) == ["raised"]
    largest = b"\x00\xff" * (ATTACHMENT_MAX_BYTES // 2)
    photo = Upload("C:\\Users\\民警\\现场照片.jpg", "image/jpeg", b"\xff\xd8\xff\xe0JFIF")
    _do(world, submit_explanation, clerk, item_id, EXPLANATION,
        uploads=[Upload("扫描件.pdf", "application/pdf", largest), photo])
    with read_session(world.engine) as session:
        rows = session.execute(select(AccountabilityAttachment).order_by(AccountabilityAttachment.id)).scalars().all()
        assert [(r.filename, r.size, r.uploaded_by) for r in rows] == [
            ("扫描件.pdf", ATTACHMENT_MAX_BYTES, "clerk_wa"), ("现场照片.jpg", len(photo.content), "clerk_wa")]
        assert rows[0].content == largest
        ids = [r.id for r in rows]
    with pytest.raises(AccessDenied):
        _do(world, attachment, world.actors["clerk_yx"], ids[1])
    row = _do(world, attachment, world.actors["leader_d"], ids[1])
    assert row.content == photo.content
    with read_session(world.engine) as session:
        export = session.execute(select(AuditLog).where(AuditLog.object_type == "accountability_attachment")).scalars().all()
    assert [(a.username, a.action, a.object_id) for a in export] == [("leader_d", "export", str(ids[1]))]
