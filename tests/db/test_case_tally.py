"""case_day_tally always equals a recount from fraud_case: after random creates, edits (unit, type, loss, report
time, an attribute set without loading it), imports, desk calls, deletions and rolled-back transactions; after a
rebuild; and as migration 0014 fills it from the cases already there. Its roll-ups (per day and unit, per month, unit
and type; kept by database triggers, migration 0022) always equal the tally rolled up."""

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from db import case_tally
from db.engine import make_engine, read_session, write_session
from db.migrate import upgrade
from db.models import AccountabilityItem, FraudCase, Unit
from services.access import auth
from services.case_import.writer import import_records
from services.cases.write import apply_changes, insert_case
from services.desk.calls import CallDraft, submit_call, validate
from services.shared.config import normalise_database_url
from services.shared.timeutil import now_utc
from services.units.tree import add_unit
from vocabulary import CallOutcome, CallType, CaseSource, FraudType, Role

NOW = datetime(2026, 11, 28, 2, tzinfo=UTC)
TYPES = ("rebate", "investment", "fake_authority")
STATIONS = ("S1", "S2", "S3")
# Instants near Beijing midnight (16:00 UTC) and a few in 1988, when China kept summer time (UTC+9).
moment = st.one_of(
    st.builds(lambda d, us: datetime(2026, 10, 1, 15, 30, tzinfo=UTC) + timedelta(days=d, microseconds=us),
              st.integers(0, 40), st.sampled_from((0, 1, 1_799_999_999, 1_800_000_000, 3_600_000_000))),
    st.builds(lambda d, m: datetime(2025, 11, 1, tzinfo=UTC) + timedelta(days=d, minutes=m),
              st.integers(0, 400), st.integers(0, 1439)),
    st.builds(lambda m: datetime(1988, 7, 1, 14, 30, tzinfo=UTC) + timedelta(minutes=m), st.integers(0, 120)),
)
# The map counts a case without both coordinates apart.
longitude, latitude = st.one_of(st.none(), st.just(117.65)), st.one_of(st.none(), st.just(24.51))
new_case = st.fixed_dictionaries({"unit": st.sampled_from(STATIONS), "reported_at": moment,
                                  "fraud_type": st.sampled_from(TYPES), "loss_fen": st.integers(0, 20_000_000)},
                                 optional={"lon": longitude, "lat": latitude})
edit = st.fixed_dictionaries({}, optional={"unit": st.sampled_from(STATIONS), "reported_at": moment,
                                           "fraud_type": st.sampled_from(TYPES),
                                           "loss_fen": st.integers(0, 20_000_000), "lon": longitude,
                                           "lat": latitude})
operation = st.one_of(
    st.tuples(st.just("create"), new_case),
    st.tuples(st.just("edit"), st.integers(0, 1000), edit),
    st.tuples(st.just("blind_edit"), st.integers(0, 1000), st.integers(0, 9_000_000)),
    st.tuples(st.just("import"), st.lists(st.tuples(st.integers(0, 1000), st.booleans(), new_case), max_size=4)),
    st.tuples(st.just("call"), st.sampled_from(STATIONS), st.sampled_from(("500", "12万", "0"))),
    st.tuples(st.just("bare"), new_case),
    st.tuples(st.just("delete"), st.integers(0, 1000)),
    st.tuples(st.just("rolled_back"), new_case),
    st.tuples(st.just("rebuild")),
)


def _world(engine) -> tuple[dict[str, int], object]:
    with write_session(engine) as session:
        add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        add_unit(session, code="D", name="长泰区公安分局", kind="district_bureau", parent_code="C")
        units = {code: add_unit(session, code=code, name=f"{code}派出所", kind="station", parent_code="D").id
                 for code in STATIONS}
        city = session.execute(text("SELECT id FROM unit WHERE code = 'C'")).scalar_one()
        auth.create_user(session, None, username="desk1", display_name="desk1", role=Role.DESK, unit_id=city,
                         password="Strong#Pass9")
    with write_session(engine) as session:
        actor = auth.authenticate(session, "desk1", "Strong#Pass9", "127.0.0.1").actor
    return units, actor


def _values(units: dict[str, int], spec: dict) -> dict:
    values = {k: v for k, v in spec.items() if k != "unit"}
    return {**values, "unit_id": units[spec["unit"]]} if "unit" in spec else values


def _case_ids(session) -> list[int]:
    """Cases edited and imported over (the bare ones, which a test may delete, are kept free of revisions)."""
    return list(session.execute(select(FraudCase.id).where(~FraudCase.case_no.startswith("X"))
                                .order_by(FraudCase.id)).scalars())


def _blind_edit(session, pick: int, loss_fen: int) -> None:
    every = list(session.execute(select(FraudCase.id).order_by(FraudCase.id)).scalars())
    if every:
        case = session.get(FraudCase, every[pick % len(every)])
        session.expire(case)  # set without loading: no old value in the attribute's history
        case.loss_fen = loss_fen


def _run(engine, units, actor, op) -> None:
    kind = op[0]
    if kind == "call":
        received = now_utc() - timedelta(minutes=5)
        draft = CallDraft(idempotency_key=uuid.uuid4().hex, received_at=received, call_type=CallType.REPORT,
                          outcome=CallOutcome.TO_CASE, jurisdiction_unit_id=units[op[1]], lost=op[2],
                          fraud_type=FraudType.FAKE_AUTHORITY)
        submit_call(engine, actor, validate(draft))
        return
    if kind == "rolled_back":
        with pytest.raises(RuntimeError), write_session(engine) as session:
            insert_case(session, {**_values(units, op[1]), "case_no": f"R{uuid.uuid4().hex[:12]}"}, None, NOW)
            raise RuntimeError("the transaction fails after the case was written")
        return
    with write_session(engine) as session:
        ids = _case_ids(session)
        if kind == "create":
            insert_case(session, {**_values(units, op[1]), "case_no": f"N{uuid.uuid4().hex[:12]}"}, None, NOW)
        elif kind == "edit" and ids:
            case = session.get(FraudCase, ids[op[1] % len(ids)])
            apply_changes(session, case, _values(units, op[2]), actor=None, reason="核对", source=CaseSource.MANUAL,
                          now=NOW)
        elif kind == "blind_edit":
            _blind_edit(session, op[1], op[2])
        elif kind == "import":
            existing = {n: session.get(FraudCase, ids[n % len(ids)]).case_no for n, _, _ in op[1]} if ids else {}
            records, seen = [], set()
            for n, update, spec in op[1]:
                case_no = existing[n] if update and ids else f"I{uuid.uuid4().hex[:12]}"
                if case_no not in seen:
                    seen.add(case_no)
                    records.append({**_values(units, spec), "case_no": case_no})
            import_records(session, None, records, filename="核对.csv")
        elif kind == "delete":  # only cases nothing refers to (the app itself deletes no cases): plain ORM ones
            # An import backfills accountability items for every case over a threshold, bare ones included.
            flagged = select(AccountabilityItem.case_id).where(AccountabilityItem.case_id.is_not(None))
            bare = list(session.execute(select(FraudCase.id).where(FraudCase.case_no.startswith("X"),
                                                                   FraudCase.id.not_in(flagged))
                                        .order_by(FraudCase.id)).scalars())
            if bare:
                session.delete(session.get(FraudCase, bare[op[1] % len(bare)]))
        elif kind == "bare":
            session.add(FraudCase(**_values(units, op[1]), case_no=f"X{uuid.uuid4().hex[:12]}", created_at=NOW,
                                  updated_at=NOW))
        elif kind == "rebuild":
            case_tally.rebuild(session)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=6))
def test_tally_equals_a_recount_after_any_writes(engine, operations):
    with read_session(engine) as session:
        fresh = session.execute(text("SELECT count(*) FROM unit")).scalar_one() == 0
    if fresh:
        _world(engine)
    with write_session(engine) as session:
        units = dict(session.execute(text("SELECT code, id FROM unit WHERE level = 3")).all())
        actor = auth.authenticate(session, "desk1", "Strong#Pass9", "127.0.0.1").actor
    for op in operations:
        _run(engine, units, actor, op)
        with read_session(engine) as session:
            expected = case_tally.recount(session)
            assert case_tally.stored(session) == expected, op
            assert case_tally.rollups_stored(session) == case_tally.rolled_up(expected), op
    with write_session(engine) as session:
        expected = case_tally.recount(session)
        case_tally.rebuild(session)
        assert case_tally.stored(session) == expected
        assert case_tally.rollups_stored(session) == case_tally.rolled_up(expected)


def test_day_is_the_beijing_date(engine):
    units, _ = _world(engine)
    with write_session(engine) as session:
        for n, at in enumerate((datetime(2026, 11, 27, 15, 59, 59, 999999, tzinfo=UTC),
                                datetime(2026, 11, 27, 16, tzinfo=UTC), datetime(1988, 7, 1, 15, 30, tzinfo=UTC))):
            insert_case(session, {"case_no": f"B{n}", "unit_id": units["S1"], "reported_at": at,
                                  "fraud_type": "rebate", "loss_fen": 100}, None, NOW)
    with write_session(engine) as session:
        days = sorted(day for day, _, _ in case_tally.stored(session))
        case_tally.rebuild(session)
        rebuilt = sorted(day for day, _, _ in case_tally.stored(session))
    assert [d.isoformat() for d in days] == [d.isoformat() for d in rebuilt] == ["1988-07-02", "2026-11-27",
                                                                                   "2026-11-28"]


def _case_rows(units: list[int]) -> list[dict]:
    start = datetime(2026, 3, 1, 15, tzinfo=UTC)
    return [{"case_no": f"M{n}", "unit_id": units[n % len(units)], "reported_at": start + timedelta(hours=7 * n),
             "fraud_type": TYPES[n % 3], "loss_fen": n * 1_000, "status": "registered", "recovered_fen": 0,
             "frozen_fen": 0, "source": "manual", "created_at": NOW, "updated_at": NOW,
             "lon": 117.6 if n % 4 else None, "lat": 24.5 if n % 5 else None} for n in range(300)]


def _migration_database(backend: str):
    if backend == "sqlite":
        return make_engine("sqlite://"), None
    url = make_url(normalise_database_url(os.environ["FANZHA_TEST_PG_URL"]))
    name = f"fanzha_test_tally_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return make_engine(url.set(database=name).render_as_string(hide_password=False)), (admin, name)


@pytest.mark.parametrize("backend", ["sqlite"] + (["postgresql"] if os.environ.get("FANZHA_TEST_PG_URL") else []))
def test_migration_counts_the_cases_already_there(backend):
    engine, cleanup = _migration_database(backend)
    try:
        upgrade(engine, "0013")
        with engine.begin() as connection:
            connection.execute(Unit.__table__.insert(), [
                Unit(code=code, name=code, full_name=code, kind="station", level=level, path="/").model_dump(
                    exclude={"id"}) for code, level in (("C", 1), ("S1", 2), ("S2", 2))])
            units = list(connection.execute(text("SELECT id FROM unit WHERE level = 2 ORDER BY id")).scalars())
            rows = _case_rows(units)
            rows.append({**rows[0], "case_no": "OLD", "reported_at": datetime(1988, 7, 1, 15, 30, tzinfo=UTC)})
            connection.execute(FraudCase.__table__.insert(), rows)  # Core: no tally kept before 0014
        upgrade(engine)
        with read_session(engine) as session:
            stored, expected = case_tally.stored(session), case_tally.recount(session)
            rollups = case_tally.rollups_stored(session)
        assert stored == expected and sum(n for n, *_ in stored.values()) == 301
        assert 0 < sum(unlocated for *_, unlocated in stored.values()) < 301
        assert rollups == case_tally.rolled_up(expected) and all(rollups)
    finally:
        engine.dispose()
        if cleanup:
            admin, name = cleanup
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
