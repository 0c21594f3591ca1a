"""报送 and 封停 on identifiers: checked at the field, saved once per key, roles and scope, 已有记录 and hot-lead flags."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from db.engine import read_session, write_session
from db.models import Identifier, IdentifierAction
from services.access import auth
from services.access.actor import AccessDenied
from services.desk import identifier_actions as actions
from services.desk.identifier_actions import ActionDraft
from services.desk.identifier_store import HOT_LEAD_REPORTS, hot_leads, search, seen_before
from services.shared.errors import InvalidInput
from services.shared.timeutil import shanghai_today
from services.units.tree import add_unit
from vocabulary import IdentifierActionKind, Role

PHONE = "13800001111"
SEEN = datetime(2026, 11, 1, 2, tzinfo=UTC)
PASSWORD = "Strong#Pass9"


@pytest.fixture
def desk(engine):
    """C 市局 → D 分局 → S 派出所; C → D2. desk (C), clerk (S), clerk2 (D2), command (C), wall (C), admin (C)."""
    with write_session(engine) as session:
        city = add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        district = add_unit(session, code="D", name="长泰区公安分局", kind="district_bureau", parent_code="C")
        station = add_unit(session, code="S", name="武安派出所", kind="station", parent_code="D")
        other = add_unit(session, code="D2", name="芗城区公安分局", kind="district_bureau", parent_code="C")
        for name, role, unit in (("desk1", Role.DESK, city), ("clerk1", Role.CLERK, station),
                                 ("clerk2", Role.CLERK, other), ("command1", Role.COMMAND, city),
                                 ("wall1", Role.WALL, city), ("admin1", Role.ADMIN, city),
                                 ("deskd", Role.DESK, district)):
            auth.create_user(session, None, username=name, display_name=name, role=role, unit_id=unit.id,
                             password=PASSWORD)
        phone = Identifier(kind="phone", value_norm=PHONE, first_seen_at=SEEN, last_seen_at=SEEN, report_count=0)
        session.add(phone)
        session.flush()
        phone_id = phone.id
    actors = {}
    for name in ("desk1", "clerk1", "clerk2", "command1", "wall1", "admin1", "deskd"):
        with write_session(engine) as session:
            actors[name] = auth.authenticate(session, name, PASSWORD, "127.0.0.1").actor
    return engine, actors, phone_id


def draft(identifier_id, **changes) -> ActionDraft:
    values = dict(identifier_id=identifier_id, kind=IdentifierActionKind.OPERATOR_REPORT.value,
                  institution="中国移动漳州分公司", on_date=shanghai_today() - timedelta(days=2), note="诈骗号码")
    return ActionDraft(**{**values, **changes})


def _count(engine) -> int:
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(IdentifierAction)).scalar()


# ---------------------------------------------------------------------------------------------- validation

@settings(max_examples=40, deadline=None)
@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)))
def test_a_day_is_accepted_exactly_from_2000_to_today(day):
    today = date(2026, 11, 30)
    item = draft(1, on_date=day)
    if date(2000, 1, 1) <= day <= today:
        assert actions.validate(item, today)["on_date"] == day
    else:
        with pytest.raises(InvalidInput) as refused:
            actions.validate(item, today)
        assert set(refused.value.errors) == {"on_date"}
        assert ("晚于今天" if day > today else "2000") in refused.value.errors["on_date"]


@settings(max_examples=40, deadline=None)
@given(institution=st.text(max_size=90), note=st.text(max_size=520))
def test_institution_and_note_are_required_and_bounded(institution, note):
    item = draft(1, institution=institution, note=note)
    clean_institution = " ".join(institution.split())
    expected = set()
    if not clean_institution or len(clean_institution) > actions.MAX_INSTITUTION:
        expected.add("institution")
    if len(note.strip()) > actions.MAX_NOTE:
        expected.add("note")
    if expected:
        with pytest.raises(InvalidInput) as refused:
            actions.validate(item, date(2026, 11, 30))
        assert set(refused.value.errors) == expected
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in refused.value.errors.values())
    else:
        values = actions.validate(item, date(2026, 11, 30))
        assert values["institution"] == clean_institution and values["note"] == (note.strip() or None)


def test_every_field_refused_at_once_in_chinese(desk):
    engine, actors, phone = desk
    with pytest.raises(InvalidInput) as refused:
        actions.add_action(engine, actors["desk1"], draft(phone, kind="bogus", institution=" ", on_date=None),
                           uuid.uuid4().hex)
    assert refused.value.errors == {"kind": "请选择事项（银行报送、运营商报送、平台报送或封停）。",
                                    "institution": "请填写报送机构或封停单位。", "on_date": "请填写日期。"}
    with pytest.raises(InvalidInput) as unknown:
        actions.add_action(engine, actors["desk1"], draft(phone + 999), uuid.uuid4().hex)
    assert set(unknown.value.errors) == {"identifier_id"}
    assert _count(engine) == 0


# ---------------------------------------------------------------------------------------------- once, roles, scope

def test_saved_once_per_key(desk):
    engine, actors, phone = desk
    key = uuid.uuid4().hex
    first = actions.add_action(engine, actors["desk1"], draft(phone), key)
    again = actions.add_action(engine, actors["desk1"], draft(phone), key)
    assert first[1] is False and again == (first[0], True)
    assert _count(engine) == 1
    actions.add_action(engine, actors["desk1"], draft(phone), uuid.uuid4().hex)
    assert _count(engine) == 2


@pytest.mark.parametrize(("name", "allowed"), [("desk1", True), ("clerk1", True), ("command1", False),
                                                ("wall1", False), ("admin1", False)])
def test_only_desk_and_case_editors_record(desk, name, allowed):
    engine, actors, phone = desk
    if allowed:
        actions.add_action(engine, actors[name], draft(phone), uuid.uuid4().hex)
        assert _count(engine) == 1
    else:
        with pytest.raises(AccessDenied):
            actions.add_action(engine, actors[name], draft(phone), uuid.uuid4().hex)
        assert _count(engine) == 0


def test_other_units_notes_are_withheld_and_readers_need_a_role(desk):
    engine, actors, phone = desk
    actions.add_action(engine, actors["clerk2"], draft(phone, note="芗城备注"), uuid.uuid4().hex)
    actions.add_action(engine, actors["clerk1"], draft(phone, note="武安备注"), uuid.uuid4().hex)
    seen_by_city = [(r.unit_name, r.note) for r in actions.actions_of(engine, actors["desk1"], phone)]
    assert seen_by_city == [("芗城区公安分局", "芗城备注"), ("武安派出所", "武安备注")]
    seen_by_district = [(r.unit_name, r.note) for r in actions.actions_of(engine, actors["deskd"], phone)]
    assert seen_by_district == [("芗城区公安分局", None), ("武安派出所", "武安备注")]
    with pytest.raises(AccessDenied):
        actions.actions_of(engine, actors["wall1"], phone)


# ---------------------------------------------------------------------------------------------- summary, hot leads

def test_seen_before_shows_sources_and_suspension(desk):
    engine, actors, phone = desk
    today = shanghai_today()
    plan = [(IdentifierActionKind.BANK_REPORT, "工商银行", today - timedelta(days=9)),
            (IdentifierActionKind.SUSPENDED, "中国移动", today - timedelta(days=3)),
            (IdentifierActionKind.PLATFORM_REPORT, "支付宝", today - timedelta(days=5)),
            (IdentifierActionKind.SUSPENDED, "中国联通", today - timedelta(days=1))]
    with read_session(engine) as session:
        before = seen_before(session, actors["desk1"], "phone", PHONE)
    assert not before.known and not before.suspended
    for kind, institution, day in plan:
        actions.add_action(engine, actors["desk1"], draft(phone, kind=kind.value, institution=institution, on_date=day),
                           uuid.uuid4().hex)
    with read_session(engine) as session:
        seen = seen_before(session, actors["desk1"], "phone", PHONE)
        found = search(session, actors["desk1"], "138-0000-1111")
    expected_sources = sorted((k.value, i, d) for k, i, d in plan if k != IdentifierActionKind.SUSPENDED)
    expected_sources.sort(key=lambda s: s[2])
    closed = min((d, i) for k, i, d in plan if k == IdentifierActionKind.SUSPENDED)
    assert list(seen.actions.sources) == expected_sources
    assert (seen.actions.suspended_on, seen.actions.suspended_by) == closed
    assert seen.suspended and seen.known and seen.identifier_id == phone
    assert found[0].actions == seen.actions


def test_hot_leads_flag_suspended_numbers(desk):
    engine, actors, phone = desk
    with write_session(engine) as session:
        session.add(Identifier(kind="phone", value_norm="13900002222", first_seen_at=SEEN, last_seen_at=SEEN,
                               report_count=HOT_LEAD_REPORTS))  # reported by three separate calls
        session.execute(update(Identifier).where(Identifier.value_norm == PHONE)
                        .values(report_count=HOT_LEAD_REPORTS + 1))
    day = shanghai_today() - timedelta(days=4)
    actions.add_action(engine, actors["desk1"], draft(phone, kind="suspended", institution="中国移动", on_date=day),
                       uuid.uuid4().hex)
    actions.add_action(engine, actors["desk1"], draft(phone, kind="bank_report"), uuid.uuid4().hex)
    with read_session(engine) as session:
        leads = {lead.value: lead.suspended_on for lead in hot_leads(session, actors["desk1"])}
    assert leads == {PHONE: day, "13900002222": None}
