"""Issue 12: the register's XLSX export holds every case of the filter (not just the page), masked as on screen,
its filters in the first rows, audited in the same transaction; amounts never rounded up to a threshold."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AppUser, AuditLog, FraudCase, Unit
from services.access.actor import AccessDenied, Actor
from services.cases import api, export
from services.cases.export import CASE_HEADER, case_cells
from services.cases.read import CaseFilter, matching_cases
from services.shared.export_cells import read_back
from services.units.tree import add_unit
from vocabulary import AuditAction, FraudType, Role

NOW = datetime(2026, 11, 28, 2, tzinfo=UTC)


@pytest.fixture
def world(engine):
    with write_session(engine) as session:
        add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        add_unit(session, code="D", name="长泰区公安分局", kind="district_bureau", parent_code="C")
        wuan = add_unit(session, code="WA", name="武安派出所", kind="station", parent_code="D")
        yanxi = add_unit(session, code="YX", name="岩溪派出所", kind="station", parent_code="D")
        for n in range(260):  # more than a page (50) and than the page cap (200)
            unit = wuan if n % 3 else yanxi
            session.add(FraudCase(case_no=f"E-{n:04d}", unit_id=unit.id, reported_at=NOW - timedelta(hours=n),
                                  fraud_type="investment" if n % 2 else "rebate", loss_fen=9_999_999 + n % 5,
                                  victim_name="张三丰", created_at=NOW, updated_at=NOW))
        units = {u.code: u for u in session.execute(select(Unit)).scalars()}
        actors = {}
        for name, role, code in (("changtai", Role.LEADER, "D"), ("clerk_wuan", Role.CLERK, "WA")):
            user = AppUser(username=name, display_name=name, password_hash="-", role=role.value,
                           unit_id=units[code].id, created_at=NOW)
            session.add(user)
            session.flush()
            actors[name] = Actor(user.id, name, name, role, units[code].id, units[code].path, units[code].name,
                                 "127.0.0.1")
    return engine, actors, {code: u.id for code, u in units.items()}


def _exports(engine) -> list[AuditLog]:
    with read_session(engine) as session:
        return list(session.execute(select(AuditLog).where(AuditLog.action == AuditAction.EXPORT.value)).scalars())


def test_the_export_holds_every_case_of_the_filter_masked_with_the_filters(world):
    engine, actors, units = world
    criteria = CaseFilter(fraud_type=FraudType.INVESTMENT, start=NOW - timedelta(days=30), end=NOW + timedelta(hours=1),
                          sort="loss_desc")
    with read_session(engine) as session:
        shown = matching_cases(session, actors["changtai"], criteria, 10_000)
    assert shown.total == 130
    filters, table = read_back(api.export(engine, actors["changtai"], criteria, NOW))
    assert table[0] == tuple(CASE_HEADER)
    expected = [tuple(float(v) if k in (4, 5) else v for k, v in enumerate(case_cells(r))) for r in shown.rows]
    assert table[1:] == expected and len(expected) == 130  # all of them, not one page
    assert {row[CASE_HEADER.index("受害人")] for row in table[1:]} == {"张**"}  # masked exactly as on screen
    assert {row[CASE_HEADER.index("损失(万元)")] for row in table[1:]} <= {9.99, 10.0}  # 99,999.99 元 is not 10.00
    written = dict(row[:2] for row in filters)
    assert written["单位"] == "长泰区公安分局" and written["诈骗类型"] == "虚假网络投资理财类"
    assert written["排序"] == "损失金额（大→小）" and written["符合条件"] == "130 起，导出 130 起"
    (audit,) = _exports(engine)
    assert audit.username == "changtai" and audit.object_type == "fraud_case"
    assert "导出案件 130 起" in audit.detail and "诈骗类型：虚假网络投资理财类" in audit.detail


def test_the_export_is_capped_and_says_so(world, monkeypatch):
    engine, actors, _ = world
    monkeypatch.setattr(export, "EXPORT_LIMIT", 100)
    filters, table = read_back(api.export(engine, actors["changtai"], CaseFilter(), NOW))
    assert len(table) - 1 == 100 and dict(row[:2] for row in filters)["符合条件"] == "260 起，导出 100 起"


def test_the_export_stays_within_scope(world):
    engine, actors, units = world
    _, table = read_back(api.export(engine, actors["clerk_wuan"], CaseFilter(), NOW))
    assert {row[1] for row in table[1:]} == {"武安派出所"}
    with pytest.raises(AccessDenied):
        api.export(engine, actors["clerk_wuan"], CaseFilter(unit_id=units["YX"]), NOW)
    assert len(_exports(engine)) == 1  # the refused export wrote nothing
