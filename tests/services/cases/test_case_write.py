"""Case writes: hand-registered cases, edits kept as revisions, reasons for lowering a loss, scope and races."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.engine import read_session, write_session
from db.models import AppUser, AuditLog, CaseRevision, FraudCase, Unit
from services.access.actor import AccessDenied, Actor
from services.cases.read import case_revisions
from services.cases.text import CASE_REASON_REQUIRED
from services.cases.write import (
    CaseChanges,
    CaseForm,
    NewCase,
    changes_from_form,
    create_case,
    new_case_from_input,
    update_case,
)
from services.shared.errors import InvalidInput
from services.units.tree import add_unit
from vocabulary import CaseStatus, FraudType, Role

NOW = datetime(2026, 11, 28, 2, tzinfo=UTC)


@pytest.fixture
def world(engine):
    with write_session(engine) as session:
        add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        add_unit(session, code="D", name="长泰区公安分局", kind="district_bureau", parent_code="C")
        add_unit(session, code="WA", name="武安派出所", kind="station", parent_code="D")
        add_unit(session, code="YX", name="岩溪派出所", kind="station", parent_code="D")
        units = {u.code: u for u in session.execute(select(Unit)).scalars()}
        case = FraudCase(case_no="A-1", unit_id=units["WA"].id, reported_at=NOW, fraud_type="fake_authority",
                         loss_fen=5_000_000, created_at=NOW, updated_at=NOW)
        session.add(case)
        actors = {}
        for name, role, code in (("clerk_wuan", Role.CLERK, "WA"), ("changtai", Role.LEADER, "D"),
                                 ("desk", Role.DESK, "C")):
            user = AppUser(username=name, display_name=name, role=role.value, unit_id=units[code].id, created_at=NOW)
            session.add(user)
            session.flush()
            unit = units[code]
            actors[name] = Actor(user.id, name, name, role, unit.id, unit.path, unit.name, "127.0.0.1")
        ids = {code: u.id for code, u in units.items()}
        case_id = case.id
    return engine, case_id, actors, ids


def _changes(ids, **overrides) -> CaseChanges:
    values = dict(fraud_type=FraudType.FAKE_AUTHORITY, status=CaseStatus.REGISTERED, unit_id=ids["WA"],
                  loss_fen=5_000_000, recovered_fen=0, frozen_fen=0, reason="")
    values.update(overrides)
    return CaseChanges(**values)


def _update(engine, actor, case_id, changes):
    with write_session(engine) as session:
        return update_case(session, actor, case_id, changes)


def _revisions(engine, case_id):
    with read_session(engine) as session:
        return list(session.execute(select(CaseRevision).where(CaseRevision.case_id == case_id)
                                    .order_by(CaseRevision.id)).scalars())


def test_raising_the_loss_is_kept_as_a_revision(world):
    engine, case_id, actors, ids = world
    saved = _update(engine, actors["clerk_wuan"], case_id, _changes(ids, loss_fen=6_000_000))
    assert saved.changed == ("loss_fen",)
    [revision] = _revisions(engine, case_id)
    assert (revision.field, revision.old_value, revision.new_value) == ("loss_fen", "5000000", "6000000")
    assert revision.username == "clerk_wuan" and revision.user_id == actors["clerk_wuan"].user_id
    with read_session(engine) as session:
        assert session.get(FraudCase, case_id).loss_fen == 6_000_000
        audit = session.execute(select(AuditLog).where(AuditLog.object_type == "fraud_case")).scalars().all()
        assert [a.action for a in audit] == ["update"]


def test_lowering_the_loss_or_changing_the_type_needs_a_reason(world):
    engine, case_id, actors, ids = world
    for changes in (_changes(ids, loss_fen=4_000_000), _changes(ids, fraud_type=FraudType.OTHER)):
        with pytest.raises(InvalidInput) as refused:
            _update(engine, actors["changtai"], case_id, changes)
        assert refused.value.errors == {"reason": CASE_REASON_REQUIRED}
    assert _revisions(engine, case_id) == []
    _update(engine, actors["changtai"], case_id, _changes(ids, loss_fen=4_000_000, fraud_type=FraudType.OTHER,
                                                           reason="受害人追回部分款项，核减损失"))
    revisions = _revisions(engine, case_id)
    assert {r.field for r in revisions} == {"loss_fen", "fraud_type"}
    assert len({r.change_key for r in revisions}) == 1
    assert all(r.reason == "受害人追回部分款项，核减损失" for r in revisions)


def test_history_reads_as_users_expect(world):
    engine, case_id, actors, ids = world
    _update(engine, actors["changtai"], case_id, _changes(ids, unit_id=ids["YX"], status=CaseStatus.SOLVED,
                                                           loss_fen=5_000_050))
    with read_session(engine) as session:
        rows = {r.field: r for r in case_revisions(session, actors["changtai"], case_id)}
    assert (rows["所属单位"].old, rows["所属单位"].new) == ("武安派出所", "岩溪派出所")
    assert (rows["案件状态"].old, rows["案件状态"].new) == ("已立案", "已破案")
    assert (rows["损失金额"].old, rows["损失金额"].new) == ("50,000.00 元", "50,000.50 元")


def test_no_change_saves_nothing_so_a_double_click_is_harmless(world):
    engine, case_id, actors, ids = world
    first = _update(engine, actors["clerk_wuan"], case_id, _changes(ids, loss_fen=7_000_000))
    second = _update(engine, actors["clerk_wuan"], case_id, _changes(ids, loss_fen=7_000_000))
    assert first.changed == ("loss_fen",) and second.changed == ()
    assert len(_revisions(engine, case_id)) == 1


def test_a_save_over_someone_elses_change_is_refused(world):
    engine, case_id, actors, ids = world
    with read_session(engine) as session:
        seen = session.get(FraudCase, case_id).updated_at
    _update(engine, actors["changtai"], case_id, _changes(ids, loss_fen=7_000_000))
    with pytest.raises(InvalidInput) as refused:
        _update(engine, actors["clerk_wuan"], case_id, _changes(ids, loss_fen=8_000_000, seen_updated_at=seen))
    assert "form" in refused.value.errors


def test_scope_holds_for_the_case_and_the_new_unit(world):
    engine, case_id, actors, ids = world
    with write_session(engine) as session:
        other = FraudCase(case_no="B-1", unit_id=ids["YX"], reported_at=NOW, fraud_type="other", loss_fen=1,
                          created_at=NOW, updated_at=NOW)
        session.add(other)
        session.flush()
        other_id = other.id
    with pytest.raises(AccessDenied):
        _update(engine, actors["clerk_wuan"], other_id, _changes(ids, unit_id=ids["YX"]))
    with pytest.raises(AccessDenied):  # moving its own case to a sibling station
        _update(engine, actors["clerk_wuan"], case_id, _changes(ids, unit_id=ids["YX"]))
    with pytest.raises(AccessDenied):  # the desk may read cases, not edit them
        _update(engine, actors["desk"], case_id, _changes(ids, loss_fen=1))
    assert _revisions(engine, case_id) == []


def test_recovered_cannot_exceed_the_loss(world):
    engine, case_id, actors, ids = world
    with pytest.raises(InvalidInput) as refused:
        _update(engine, actors["changtai"], case_id, _changes(ids, recovered_fen=5_000_001))
    assert set(refused.value.errors) == {"recovered_fen"}


def test_form_amounts_are_parsed_exactly_and_refused_by_field(world):
    engine, case_id, actors, ids = world
    form = CaseForm(FraudType.FAKE_AUTHORITY, CaseStatus.REGISTERED, ids["WA"], "12.5万", "1,000.01", "", "")
    changes = changes_from_form(form)
    assert (changes.loss_fen, changes.recovered_fen, changes.frozen_fen) == (12_500_000, 100_001, 0)
    with pytest.raises(InvalidInput) as refused:
        changes_from_form(CaseForm(FraudType.OTHER, CaseStatus.REGISTERED, ids["WA"], "abc", "-5", "1.234"))
    assert set(refused.value.errors) == {"loss_fen", "recovered_fen", "frozen_fen"}


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_any_fen_amount_typed_in_yuan_parses_back_exactly(fen):
    form = CaseForm(FraudType.OTHER, CaseStatus.REGISTERED, 1, f"{fen // 100}.{fen % 100:02d}", "0", "0")
    assert changes_from_form(form).loss_fen == fen


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_typed_text_is_parsed_or_refused_by_field(text):
    try:
        changes_from_form(CaseForm(FraudType.OTHER, CaseStatus.REGISTERED, 1, text, "", ""))
    except InvalidInput as refused:
        assert set(refused.errors) == {"loss_fen"}


def test_registering_a_case_by_hand(world):
    engine, _, actors, ids = world
    new = new_case_from_input(case_no=" zt2026-01 ", unit_id=ids["WA"], reported_local=datetime(2026, 11, 28, 0, 30),
                              fraud_type=FraudType.REBATE, loss="3万", address="武安镇", summary="刷单")
    with write_session(engine) as session:
        saved = create_case(session, actors["clerk_wuan"], new)
    with read_session(engine) as session:
        case = session.get(FraudCase, saved.case_id)
        assert case.case_no == "ZT2026-01" and case.loss_fen == 3_000_000 and case.source == "manual"
        # 00:30 Beijing time is 16:30 UTC the day before.
        assert case.reported_at == datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    with pytest.raises(InvalidInput) as refused:
        with write_session(engine) as session:
            create_case(session, actors["clerk_wuan"], new)
    assert set(refused.value.errors) == {"case_no"}
    with read_session(engine) as session:
        assert session.execute(select(func.count()).select_from(FraudCase)).scalar() == 2


def test_registering_refuses_bad_fields_and_other_units(world):
    engine, _, actors, ids = world
    with pytest.raises(InvalidInput) as refused:
        new_case_from_input(case_no="", unit_id=None, reported_local=datetime(2026, 11, 28), fraud_type=FraudType.OTHER,
                            loss="若干")
    assert set(refused.value.errors) == {"case_no", "unit_id", "loss_fen"}
    future = NewCase("F-1", ids["WA"], datetime.now(UTC) + timedelta(days=1), FraudType.OTHER, 0)
    with pytest.raises(InvalidInput) as refused, write_session(engine) as session:
        create_case(session, actors["clerk_wuan"], future)
    assert set(refused.value.errors) == {"reported_at"}
    with pytest.raises(AccessDenied), write_session(engine) as session:
        create_case(session, actors["clerk_wuan"], NewCase("Y-1", ids["YX"], NOW, FraudType.OTHER, 0))


def test_raising_the_loss_over_10wan_raises_the_accountability_item(world):
    from db.models import AccountabilityItem

    engine, case_id, actors, ids = world
    _update(engine, actors["clerk_wuan"], case_id, _changes(ids, loss_fen=9_999_999))
    with read_session(engine) as session:
        assert session.execute(select(func.count()).select_from(AccountabilityItem)).scalar() == 0
    _update(engine, actors["clerk_wuan"], case_id, _changes(ids, loss_fen=10_000_000))
    with read_session(engine) as session:
        [item] = session.execute(select(AccountabilityItem)).scalars().all()
        assert (item.case_id, item.level, item.unit_id) == (case_id, "l10w", ids["WA"])
