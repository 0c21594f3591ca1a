"""Importing a case file: all or nothing, case number as the key, updates kept as revisions, accountability raised."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import AccountabilityItem, AppUser, AuditLog, CaseRevision, FraudCase, Unit
from services.access.actor import AccessDenied, Actor
from services.case_import.writer import import_file, unit_lookup
from services.units.tree import add_unit
from vocabulary import Role

NOW = datetime(2026, 11, 28, 2, tzinfo=UTC)
HEADER = "案件编号,所属单位,接报时间,诈骗类型,损失金额（元）,经度,纬度,受害人姓名"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode("utf-8")


GOOD = _csv(
    "ZT-001,350605100,2026-11-20 10:30,刷单返利类,35000,117.7612,24.6213,张某",
    "ZT-002,武安派出所,2026-11-21 09:00,虚假网络投资理财类,120000,,,",
    "ZT-003,350605101,2026-11-22,冒充公检法及政府机关类,500000,,,李某",
)


@pytest.fixture
def world(engine):
    with write_session(engine) as session:
        add_unit(session, code="350600", name="漳州市公安局", kind="city_bureau", parent_code=None)
        add_unit(session, code="350605", name="长泰区公安分局", kind="district_bureau", parent_code="350600")
        add_unit(session, code="350605100", name="武安派出所", kind="station", parent_code="350605")
        add_unit(session, code="350605101", name="岩溪派出所", kind="station", parent_code="350605")
        units = {u.code: u for u in session.execute(select(Unit)).scalars()}
        actors = {}
        for name, role, code in (("changtai", Role.LEADER, "350605"), ("clerk_wuan", Role.CLERK, "350605100"),
                                 ("desk", Role.DESK, "350600")):
            user = AppUser(username=name, display_name=name, role=role.value, unit_id=units[code].id, created_at=NOW)
            session.add(user)
            session.flush()
            unit = units[code]
            actors[name] = Actor(user.id, name, name, role, unit.id, unit.path, unit.name, "127.0.0.1")
    return engine, actors, {code: u.id for code, u in units.items()}


def _cases(engine) -> dict[str, FraudCase]:
    with read_session(engine) as session:
        return {c.case_no: c for c in session.execute(select(FraudCase)).scalars()}


def _count(engine, model) -> int:
    with read_session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def test_a_good_file_imports_once(world):
    engine, actors, units = world
    report = import_file(engine, actors["changtai"], GOOD, "cases.csv", "wgs84")
    assert report.errors == [] and (report.outcome.created, report.outcome.updated) == (3, 0)
    cases = _cases(engine)
    assert cases["ZT-001"].loss_fen == 3_500_000 and cases["ZT-001"].unit_id == units["350605100"]
    assert cases["ZT-002"].unit_id == units["350605100"]  # by unit name
    assert cases["ZT-001"].reported_at == datetime(2026, 11, 20, 2, 30, tzinfo=UTC)  # Beijing 10:30
    assert {c.source for c in cases.values()} == {"import"}
    again = import_file(engine, actors["changtai"], GOOD, "cases.csv", "wgs84")
    assert (again.outcome.created, again.outcome.updated, again.outcome.unchanged) == (0, 0, 3)
    assert _count(engine, FraudCase) == 3
    assert _count(engine, CaseRevision) == 0


def test_cases_over_a_threshold_get_their_item_in_the_same_import(world):
    engine, actors, _ = world
    import_file(engine, actors["changtai"], GOOD, "cases.csv", "wgs84")
    with read_session(engine) as session:
        items = {session.get(FraudCase, i.case_id).case_no: i.level
                 for i in session.execute(select(AccountabilityItem)).scalars()}
    assert items == {"ZT-002": "l10w", "ZT-003": "l50w"}


def test_bad_rows_are_all_reported_and_nothing_is_written(world):
    engine, actors, _ = world
    bad = _csv(
        "ZT-001,350605100,2026-11-20 10:30,刷单返利类,35000,117.7612,24.6213,张某",
        "ZT-002,不存在的所,2026-11-21 09:00,刷单返利类,-5,,,",
        "ZT-003,350605101,昨天,骗术,12.345,200,24.6,",
        "ZT-001,350605100,2026-11-20,刷单返利类,1,,,",
    )
    report = import_file(engine, actors["changtai"], bad, "bad.csv", "wgs84")
    assert report.outcome is None
    by_row = {}
    for error in report.errors:
        by_row.setdefault(error.row, set()).add(error.column)
    assert by_row[3] >= {"所属单位", "损失金额（元）"}
    assert by_row[4] >= {"接报时间", "诈骗类型", "损失金额（元）", "经度"}
    assert "案件编号" in by_row[5]
    assert all(error.reason for error in report.errors)
    assert _count(engine, FraudCase) == 0 and _count(engine, AuditLog) == 0


def test_a_changed_row_updates_the_case_with_a_revision_and_leaves_absent_columns(world):
    engine, actors, _ = world
    import_file(engine, actors["changtai"], GOOD, "first.csv", "wgs84")
    changed = _csv("ZT-001,350605100,2026-11-20 10:30,刷单返利类,150000",
                   header="案件编号,所属单位,接报时间,诈骗类型,损失金额（元）")
    report = import_file(engine, actors["changtai"], changed, "second.csv", "wgs84")
    assert (report.outcome.created, report.outcome.updated) == (0, 1)
    case = _cases(engine)["ZT-001"]
    assert case.loss_fen == 15_000_000 and case.victim_name == "张某" and case.lon == pytest.approx(117.7612)
    with read_session(engine) as session:
        [revision] = session.execute(select(CaseRevision)).scalars().all()
        assert (revision.field, revision.old_value, revision.new_value) == ("loss_fen", "3500000", "15000000")
        assert revision.source == "import" and "second.csv" in revision.reason
        assert session.execute(select(AccountabilityItem.level).join(FraudCase, FraudCase.id == AccountabilityItem.case_id)
                               .where(FraudCase.case_no == "ZT-001")).scalar() == "l10w"


def test_gcj02_coordinates_are_stored_as_wgs84(world):
    engine, actors, _ = world
    import_file(engine, actors["changtai"], GOOD, "gcj.csv", "gcj02")
    case = _cases(engine)["ZT-001"]
    # GCJ-02 lies about +0.0049° east and -0.0028° south of WGS84 near 长泰.
    assert 117.7612 - case.lon == pytest.approx(0.0049, abs=0.0005)
    assert 24.6213 - case.lat == pytest.approx(-0.0028, abs=0.0005)


def test_units_outside_the_scope_are_unknown_to_the_file(world):
    engine, actors, _ = world
    report = import_file(engine, actors["clerk_wuan"], GOOD, "cases.csv", "wgs84")
    assert report.outcome is None
    assert {(e.row, e.column) for e in report.errors} == {(4, "所属单位")}  # 岩溪 is a sibling station
    with pytest.raises(AccessDenied):
        import_file(engine, actors["desk"], GOOD, "cases.csv", "wgs84")
    assert _count(engine, FraudCase) == 0


def test_unit_lookup_drops_ambiguous_names(world):
    engine, actors, units = world
    with write_session(engine) as session:
        add_unit(session, code="350602", name="芗城分局", kind="district_bureau", parent_code="350600")
        add_unit(session, code="350602100", name="武安派出所", kind="station", parent_code="350602")
    with read_session(engine) as session:
        lookup = unit_lookup(session, None)
        scoped = unit_lookup(session, actors["changtai"])
    assert "武安派出所" not in lookup and lookup["350605100"] == units["350605100"]
    assert scoped["武安派出所"] == units["350605100"]


def test_the_import_is_audited(world):
    engine, actors, _ = world
    import_file(engine, actors["changtai"], GOOD, "cases.csv", "wgs84")
    with read_session(engine) as session:
        [entry] = session.execute(select(AuditLog).where(AuditLog.object_type == "case_import")).scalars().all()
    assert entry.username == "changtai" and "cases.csv" in entry.detail and "新增 3" in entry.detail
