"""desk_call_day_tally always equals a recount from desk_call: after random calls (with and without a jurisdiction,
dissuaded or not, near Beijing midnight), edits, deletions, rolled-back transactions and rebuilds; and as migration
0021 fills it from the calls already there."""

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from db import call_tally, month_tallies
from db.engine import make_engine, read_session, write_session
from db.migrate import upgrade
from db.models import DeskCall, Unit
from services.access import auth
from services.desk.calls import CallDraft, submit_call, validate
from services.shared.config import normalise_database_url
from services.shared.timeutil import now_utc
from services.units.tree import add_unit
from vocabulary import CallOutcome, CallType, FraudType, Role

STATIONS = ("S1", "S2")
OUTCOMES = ("dissuaded", "answered", "lead_logged")
# Instants near Beijing midnight (16:00 UTC) and a few in 1988, when China kept summer time (UTC+9).
moment = st.one_of(
    st.builds(lambda d, us: datetime(2026, 10, 1, 15, 30, tzinfo=UTC) + timedelta(days=d, microseconds=us),
              st.integers(0, 40), st.sampled_from((0, 1, 1_799_999_999, 1_800_000_000, 3_600_000_000))),
    st.builds(lambda m: datetime(1988, 7, 1, 14, 30, tzinfo=UTC) + timedelta(minutes=m), st.integers(0, 120)),
)
new_call = st.fixed_dictionaries({"unit": st.sampled_from((None, *STATIONS)), "received_at": moment,
                                  "outcome": st.sampled_from(OUTCOMES)})
edit = st.fixed_dictionaries({}, optional={"unit": st.sampled_from((None, *STATIONS)), "received_at": moment,
                                           "outcome": st.sampled_from(OUTCOMES)})
operation = st.one_of(
    st.tuples(st.just("desk"), st.sampled_from((None, *STATIONS)), st.booleans()),
    st.tuples(st.just("bare"), new_call),
    st.tuples(st.just("edit"), st.integers(0, 1000), edit),
    st.tuples(st.just("blind_edit"), st.integers(0, 1000), st.sampled_from(OUTCOMES)),
    st.tuples(st.just("delete"), st.integers(0, 1000)),
    st.tuples(st.just("rolled_back"), new_call),
    st.tuples(st.just("rebuild")),
)


def _world(engine) -> None:
    with write_session(engine) as session:
        add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        add_unit(session, code="D", name="长泰区公安分局", kind="district_bureau", parent_code="C")
        for code in STATIONS:
            add_unit(session, code=code, name=f"{code}派出所", kind="station", parent_code="D")
        city = session.execute(text("SELECT id FROM unit WHERE code = 'C'")).scalar_one()
        auth.create_user(session, None, username="desk1", display_name="desk1", role=Role.DESK, unit_id=city,
                         password="Strong#Pass9")


def _setup(engine) -> tuple[dict[str, int], int, object]:
    with read_session(engine) as session:
        fresh = session.execute(text("SELECT count(*) FROM unit")).scalar_one() == 0
    if fresh:
        _world(engine)
    with write_session(engine) as session:
        units = dict(session.execute(text("SELECT code, id FROM unit")).all())
        actor = auth.authenticate(session, "desk1", "Strong#Pass9", "127.0.0.1").actor
    return units, units["C"], actor


def _bare(units: dict[str, int], city: int, spec: dict) -> DeskCall:
    return DeskCall(idempotency_key=uuid.uuid4().hex, received_at=spec["received_at"], desk_unit_id=city,
                    jurisdiction_unit_id=units.get(spec["unit"]), call_type=CallType.CONSULT.value,
                    outcome=spec["outcome"], created_at=spec["received_at"])


def _run(engine, units, city, actor, op) -> None:
    kind = op[0]
    if kind == "desk":  # through the desk's own service, as an officer logs it
        draft = CallDraft(idempotency_key=uuid.uuid4().hex, received_at=now_utc() - timedelta(minutes=5),
                          call_type=CallType.CONSULT, jurisdiction_unit_id=units.get(op[1]),
                          outcome=CallOutcome.DISSUADED if op[2] else CallOutcome.ANSWERED, pending="2000",
                          fraud_type=FraudType.REBATE)
        submit_call(engine, actor, validate(draft))
        return
    if kind == "rolled_back":
        with pytest.raises(RuntimeError), write_session(engine) as session:
            session.add(_bare(units, city, op[1]))
            session.flush()
            raise RuntimeError("the transaction fails after the call was written")
        return
    with write_session(engine) as session:
        ids = list(session.execute(select(DeskCall.id).order_by(DeskCall.id)).scalars())
        if kind == "bare":
            session.add(_bare(units, city, op[1]))
        elif kind == "edit" and ids:
            call = session.get(DeskCall, ids[op[1] % len(ids)])
            for name, value in op[2].items():
                if name == "unit":
                    call.jurisdiction_unit_id = units.get(value)
                else:
                    setattr(call, name, value)
        elif kind == "blind_edit" and ids:
            call = session.get(DeskCall, ids[op[1] % len(ids)])
            session.expire(call)  # set without loading: no old value in the attribute's history
            call.outcome = op[2]
        elif kind == "delete" and ids:
            session.delete(session.get(DeskCall, ids[op[1] % len(ids)]))
        elif kind == "rebuild":
            call_tally.rebuild(session)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=6))
def test_tally_equals_a_recount_after_any_writes(engine, operations):
    units, city, actor = _setup(engine)
    for op in operations:
        _run(engine, units, city, actor, op)
        with read_session(engine) as session:
            assert call_tally.stored(session) == call_tally.recount(session), op
            calls = month_tallies.stored(session)["desk_call_month_tally"]
            assert calls == month_tallies.recount(session)["desk_call_month_tally"], op
    with write_session(engine) as session:
        expected = call_tally.recount(session)
        call_tally.rebuild(session)
        assert call_tally.stored(session) == expected


def test_a_call_counts_on_its_beijing_day_for_its_jurisdiction_or_else_the_desk(engine):
    units, city, _ = _setup(engine)
    with write_session(engine) as session:
        for unit, at, outcome in ((None, datetime(2026, 11, 27, 15, 59, 59, 999999, tzinfo=UTC), "dissuaded"),
                                  ("S1", datetime(2026, 11, 27, 16, tzinfo=UTC), "dissuaded"),
                                  ("S1", datetime(2026, 11, 28, 15, 59, tzinfo=UTC), "answered"),
                                  ("S2", datetime(1988, 7, 1, 15, 30, tzinfo=UTC), "answered")):
            session.add(_bare(units, city, {"unit": unit, "received_at": at, "outcome": outcome}))
    expected = {(datetime(2026, 11, 27).date(), city): (1, 1), (datetime(2026, 11, 28).date(), units["S1"]): (2, 1),
                (datetime(1988, 7, 2).date(), units["S2"]): (1, 0)}
    with write_session(engine) as session:
        kept = call_tally.stored(session)
        call_tally.rebuild(session)
        assert kept == call_tally.stored(session) == expected


def _migration_database(backend: str):
    if backend == "sqlite":
        return make_engine("sqlite://"), None
    url = make_url(normalise_database_url(os.environ["FANZHA_TEST_PG_URL"]))
    name = f"fanzha_test_calls_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return make_engine(url.set(database=name).render_as_string(hide_password=False)), (admin, name)


@pytest.mark.parametrize("backend", ["sqlite"] + (["postgresql"] if os.environ.get("FANZHA_TEST_PG_URL") else []))
def test_migration_counts_the_calls_already_there(backend):
    engine, cleanup = _migration_database(backend)
    try:
        upgrade(engine, "0020")
        with engine.begin() as connection:
            connection.execute(Unit.__table__.insert(), [
                Unit(code=code, name=code, full_name=code, kind="station", level=level, path="/").model_dump(
                    exclude={"id"}) for code, level in (("C", 1), ("S1", 2), ("S2", 2))])
            city, *stations = connection.execute(text("SELECT id FROM unit ORDER BY level, id")).scalars()
            start = datetime(2026, 3, 1, 15, tzinfo=UTC)
            rows = [{"idempotency_key": f"k{n}", "received_at": start + timedelta(hours=5 * n), "desk_unit_id": city,
                     "jurisdiction_unit_id": None if n % 4 == 0 else stations[n % 2], "call_type": "consult",
                     "outcome": OUTCOMES[n % 3], "lost_fen": 0, "pending_fen": 0, "follow_up": False,
                     "created_at": start} for n in range(300)]
            rows.append({**rows[1], "idempotency_key": "old", "received_at": datetime(1988, 7, 1, 15, 30, tzinfo=UTC)})
            connection.execute(DeskCall.__table__.insert(), rows)  # Core: no tally kept before 0021
        upgrade(engine)
        with read_session(engine) as session:
            stored, expected = call_tally.stored(session), call_tally.recount(session)
            months, months_expected = month_tallies.stored(session), month_tallies.recount(session)
            assert months == months_expected and months["desk_call_month_tally"]
        assert stored == expected and sum(n for n, _ in stored.values()) == 301
        assert sum(k for _, k in stored.values()) == sum(1 for row in rows if row["outcome"] == "dissuaded")
    finally:
        engine.dispose()
        if cleanup:
            admin, name = cleanup
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


@pytest.mark.parametrize("module", ["db.case_tally", "db.call_tally", "db.strike_tally", "db.models"])
def test_each_tally_module_imports_first(module):
    """The tally modules and db.models import one another: any of them must load first in a fresh process."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, capture_output=True)
