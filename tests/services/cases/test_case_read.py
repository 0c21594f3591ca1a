"""Case register reads: scope by the unit tree, masking by default, audited one-record unmasking."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AuditLog, FraudCase, Identifier, IdentifierLink, Unit
from services.access.actor import AccessDenied, Actor
from services.cases.read import CaseFilter, case_detail, list_cases, unmask_case
from services.units.tree import add_unit
from vocabulary import Role

NOW = datetime(2026, 11, 28, 2, tzinfo=UTC)


@pytest.fixture
def world(engine):
    with write_session(engine) as session:
        add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        add_unit(session, code="D", name="长泰区公安分局", kind="district_bureau", parent_code="C")
        wuan = add_unit(session, code="WA", name="武安派出所", kind="station", parent_code="D")
        yanxi = add_unit(session, code="YX", name="岩溪派出所", kind="station", parent_code="D")
        cases = {}
        for key, unit in (("wuan", wuan), ("yanxi", yanxi)):
            case = FraudCase(case_no=f"A-{key}", unit_id=unit.id, reported_at=NOW, fraud_type="fake_authority",
                             loss_fen=12_000_000, victim_name="张三丰", created_at=NOW, updated_at=NOW)
            session.add(case)
            session.flush()
            identifier = Identifier(kind="bank_account", value_norm=f"622202123456789{len(cases)}123",
                                    bank_name="中国工商银行", first_seen_at=NOW)
            phone = Identifier(kind="phone", value_norm=f"1381234{len(cases)}678", first_seen_at=NOW)
            session.add_all([identifier, phone])
            session.flush()
            session.add_all([IdentifierLink(identifier_id=i.id, case_id=case.id, seen_at=NOW) for i in (identifier, phone)])
            cases[key] = case.id
        units = {u.code: u for u in session.execute(select(Unit)).scalars()}
    actors = {
        name: Actor(i, name, name, role, units[code].id, units[code].path, units[code].name, "127.0.0.1")
        for i, (name, role, code) in enumerate((
            ("clerk_wuan", Role.CLERK, "WA"), ("changtai", Role.LEADER, "D"), ("admin", Role.ADMIN, "C"),
            ("wall", Role.WALL, "C"), ("desk", Role.DESK, "C"),
        ))
    }
    return engine, cases, actors, {code: u.id for code, u in units.items()}


def _list(engine, actor, **criteria):
    with read_session(engine) as session:
        return list_cases(session, actor, CaseFilter(**criteria))


def test_clerk_sees_only_own_station(world):
    engine, cases, actors, _ = world
    page = _list(engine, actors["clerk_wuan"])
    assert [r.case_no for r in page.rows] == ["A-wuan"] and page.total == 1


def test_clerk_cannot_widen_by_naming_a_sibling_or_parent(world):
    engine, cases, actors, units = world
    for unit in ("YX", "D", "C"):
        with pytest.raises(AccessDenied):
            _list(engine, actors["clerk_wuan"], unit_id=units[unit])
    with pytest.raises(AccessDenied):
        with read_session(engine) as session:
            case_detail(session, actors["clerk_wuan"], cases["yanxi"])


def test_leader_sees_the_subtree(world):
    engine, _, actors, units = world
    assert _list(engine, actors["changtai"]).total == 2
    assert _list(engine, actors["changtai"], unit_id=units["YX"]).total == 1


def test_roles_without_case_access_are_refused(world):
    engine, _, actors, _ = world
    for role in ("admin", "wall"):
        with pytest.raises(AccessDenied):
            _list(engine, actors[role])


def test_lists_and_details_are_masked(world):
    engine, cases, actors, _ = world
    row = _list(engine, actors["changtai"]).rows[0]
    assert row.victim_name == "张**"
    with read_session(engine) as session:
        detail = case_detail(session, actors["changtai"], cases["wuan"])
    values = {i.kind: i.value for i in detail.identifiers}
    assert values == {"bank_account": "6222 **** **** 0123", "phone": "138****0678"}
    assert detail.victim_name == "张**"


def test_unmask_needs_reason_role_and_scope_and_is_audited(world):
    engine, cases, actors, _ = world
    with pytest.raises(ValueError, match="查看理由"):
        with write_session(engine) as session:
            unmask_case(session, actors["changtai"], cases["wuan"], "  ")
    with pytest.raises(AccessDenied):
        with write_session(engine) as session:
            unmask_case(session, actors["clerk_wuan"], cases["wuan"], "核查涉案账户")
    with write_session(engine) as session:
        full = unmask_case(session, actors["desk"], cases["yanxi"], "核查涉案账户")
    assert full.victim_name == "张三丰"
    assert {i.value for i in full.identifiers} == {"6222021234567891123", "13812341678"}
    with read_session(engine) as session:
        log = session.execute(select(AuditLog).where(AuditLog.action == "unmask")).scalar_one()
    assert (log.username, log.object_id, log.detail) == ("desk", str(cases["yanxi"]), "核查涉案账户")


NARRATIVE = ("受害人张三丰，身份证 350602199001011234，手机 13812345678，"
             "向 6222020200112233445 转账。![x](http://203.0.113.7/t.png) **急** :red[假]")


def _with_narrative(engine, case_id: int) -> None:
    with write_session(engine) as session:
        session.get(FraudCase, case_id).summary = NARRATIVE


def test_the_narrative_is_masked_like_the_fields_until_unmasked(world):
    engine, cases, actors, _ = world
    _with_narrative(engine, cases["wuan"])
    with read_session(engine) as session:
        shown = case_detail(session, actors["clerk_wuan"], cases["wuan"]).case.summary
    for secret in ("张三丰", "350602199001011234", "13812345678", "6222020200112233445"):
        assert secret not in shown
    assert "张**" in shown and "138****5678" in shown and "![x](http://203.0.113.7/t.png) **急** :red[假]" in shown
    with write_session(engine) as session:
        full = unmask_case(session, actors["changtai"], cases["wuan"], "核查涉案账户").case.summary
    assert full == NARRATIVE
