"""strike_month_tally, strike_month_values and strike_month_cases always equal a recount from the rows: after random
ledger requests, their steps (止付 → 冻结 → 返还, through the service), edits and deletions, interceptions and their
outcomes, 劝阻, case writes, solving, imports and rebuilds; and as migration 0020 fills them from the rows there. The
headline's month tallies of the ledger and of 阻截 (triggers, migration 0023) the same."""

import os
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from db import case_tally, month_tallies, strike_tally
from db.engine import make_engine, read_session, write_session
from db.migrate import upgrade
from db.models import CaseDayTally, Dissuasion, FraudCase, Identifier, Interception, RecoveryRequest
from services.access import auth
from services.access.actor import Actor
from services.case_import.writer import import_records
from services.cases.write import apply_changes, insert_case
from services.shared.config import normalise_database_url
from services.shared.errors import InvalidInput
from services.shared.timeutil import SHANGHAI
from services.strike import ledger
from services.units.tree import add_unit
from vocabulary import CaseSource, RecoveryStatus, Role

NOW = datetime(2026, 11, 28, 2, tzinfo=UTC)
STATIONS = ("S1", "S2", "S3")
BANKS = ("工商银行", "建设银行", None)
TYPES = ("rebate", "investment", None)
# Instants around Beijing midnight at month ends (16:00 UTC on the last day is 00:00 on the 1st in Beijing).
moment = st.builds(lambda month, us: datetime(2026, month, 1, tzinfo=SHANGHAI).astimezone(UTC) + timedelta(microseconds=us),
                   st.integers(8, 11), st.sampled_from((-1, 0, 1, -3_600_000_000, 86_400_000_000 * 14 + 7)))
seconds = st.one_of(st.none(), st.sampled_from((0.5, 1.5, 59.9995, 3_599.9995, 3_600.0005, 7_200.25)))
request = st.fixed_dictionaries({"unit": st.sampled_from(STATIONS), "at": moment, "bank": st.sampled_from(BANKS),
                                 "type": st.sampled_from(TYPES), "fen": st.integers(1, 10_000_000),
                                 "stop": seconds})
operation = st.one_of(
    st.tuples(st.just("request"), request),
    st.tuples(st.just("step"), st.integers(0, 100), st.sampled_from(("stopped", "frozen", "returned", "failed")),
              st.integers(0, 100)),
    st.tuples(st.just("edit_request"), st.integers(0, 100), request),
    st.tuples(st.just("delete_request"), st.integers(0, 100)),
    st.tuples(st.just("interception"), st.sampled_from(STATIONS), moment, st.sampled_from(("工行支行", "建行分理处")),
              st.sampled_from((None, "stopped", "partial", "failed")), st.integers(0, 1_000_000)),
    st.tuples(st.just("outcome"), st.integers(0, 100), st.sampled_from((None, "stopped", "failed"))),
    st.tuples(st.just("delete_interception"), st.integers(0, 100)),
    st.tuples(st.just("dissuasion"), st.sampled_from(STATIONS), moment, seconds, seconds),
    st.tuples(st.just("move_dissuasion"), st.integers(0, 100), moment, st.sampled_from(STATIONS)),
    st.tuples(st.just("delete_dissuasion"), st.integers(0, 100)),
    st.tuples(st.just("case"), st.sampled_from(STATIONS), moment, st.integers(0, 5_000_000)),
    st.tuples(st.just("solve"), st.integers(0, 100), st.one_of(st.none(), st.dates(date(2026, 9, 28), date(2026, 11, 2)))),
    st.tuples(st.just("move_case"), st.integers(0, 100), st.sampled_from(STATIONS), moment),
    st.tuples(st.just("import"), st.sampled_from(STATIONS), moment, st.integers(0, 5_000_000)),
    st.tuples(st.just("rebuild")),
)


def _world(engine) -> tuple[dict[str, int], Actor, int, int]:
    """The unit tree, a desk officer of the city, an account and a case for ledger rows (made once per database)."""
    with write_session(engine) as session:
        if session.execute(text("SELECT id FROM unit WHERE code = 'C'")).scalar() is None:
            add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
            add_unit(session, code="D", name="长泰区公安分局", kind="district_bureau", parent_code="C")
            for code in STATIONS:
                add_unit(session, code=code, name=f"{code}派出所", kind="station", parent_code="D")
            city = session.execute(text("SELECT id FROM unit WHERE code = 'C'")).scalar_one()
            auth.create_user(session, None, username="desk1", display_name="desk1", role=Role.DESK, unit_id=city,
                             password="Strong#Pass9")
            session.add(Identifier(kind="bank_account", value_norm="6222021234567890128", first_seen_at=NOW))
        units = dict(session.execute(text("SELECT code, id FROM unit")).all())
        if session.execute(select(FraudCase.id).where(FraudCase.case_no == "L0")).scalar() is None:
            session.add(FraudCase(case_no="L0", unit_id=units["S1"], reported_at=datetime(2024, 1, 1, tzinfo=UTC),
                                  fraud_type="rebate", created_at=NOW, updated_at=NOW))
    with write_session(engine) as session:
        actor = auth.authenticate(session, "desk1", "Strong#Pass9", "127.0.0.1").actor
        account = session.execute(select(Identifier.id)).scalars().first()
        case = session.execute(select(FraudCase.id).where(FraudCase.case_no == "L0")).scalar_one()
    return units, actor, account, case


def _pick(session, model, n: int):
    ids = list(session.execute(select(model.id).order_by(model.id)).scalars())
    return session.get(model, ids[n % len(ids)]) if ids else None


def _run(engine, world, op) -> None:
    units, actor, account, ledger_case = world
    kind = op[0]
    if kind == "step":  # through the ledger service, in a transaction of its own
        with read_session(engine) as session:
            row = _pick(session, RecoveryRequest, op[1])
            if row is None:
                return
            limit = row.frozen_fen if op[2] == "returned" else row.requested_fen
            step = (row.id, RecoveryStatus(op[2]), row.reported_at + timedelta(hours=1),
                    f"{max(1, limit * op[3] // 100) / 100:.2f}")
        try:
            with write_session(engine) as session:
                ledger.record_step(session, actor, *step, uuid.uuid4().hex)
        except InvalidInput:  # a step the ledger refuses (order, amount): nothing written
            pass
        return
    with write_session(engine) as session:
        if kind in ("request", "edit_request"):
            spec = op[-1]
            stopped = spec["at"] + timedelta(seconds=spec["stop"]) if spec["stop"] is not None else None
            values = {"unit_id": units[spec["unit"]], "bank_name": spec["bank"], "fraud_type": spec["type"],
                      "reported_at": spec["at"], "requested_at": spec["at"] + timedelta(minutes=1),
                      "stopped_at": stopped, "requested_fen": spec["fen"]}
            if kind == "request":
                session.add(RecoveryRequest(idempotency_key=uuid.uuid4().hex, case_id=ledger_case, identifier_id=account,
                                            status=RecoveryStatus.REQUESTED.value, created_at=NOW, updated_at=NOW,
                                            **values))
            elif (row := _pick(session, RecoveryRequest, op[1])) is not None:
                for name, value in values.items():
                    setattr(row, name, value)
                row.stopped_fen = row.frozen_fen = row.returned_fen = 0  # the edited amount may be below the old ones
        elif kind == "delete_request" and (row := _pick(session, RecoveryRequest, op[1])) is not None:
            session.delete(row)
        elif kind == "interception":
            session.add(Interception(unit_id=units[op[1]], intercepted_at=op[2], branch_name=op[3], outcome=op[4],
                                     amount_fen=op[5], created_at=NOW))
        elif kind == "outcome" and (row := _pick(session, Interception, op[1])) is not None:
            row.outcome = op[2]
        elif kind == "delete_interception" and (row := _pick(session, Interception, op[1])) is not None:
            session.delete(row)
        elif kind == "dissuasion":
            attempted = op[2] + timedelta(seconds=op[3]) if op[3] is not None else None
            outcome_at = (attempted or op[2]) + timedelta(seconds=op[4]) if op[4] is not None else None
            session.add(Dissuasion(idempotency_key=uuid.uuid4().hex, unit_id=units[op[1]], warning_at=op[2],
                                   attempted_at=attempted, outcome="paid", outcome_at=outcome_at, created_at=NOW))
        elif kind == "move_dissuasion" and (row := _pick(session, Dissuasion, op[1])) is not None:
            row.warning_at, row.unit_id = op[2], units[op[3]]
        elif kind == "delete_dissuasion" and (row := _pick(session, Dissuasion, op[1])) is not None:
            session.delete(row)
        elif kind == "case":
            insert_case(session, {"case_no": f"N{uuid.uuid4().hex[:12]}", "unit_id": units[op[1]], "reported_at": op[2],
                                  "fraud_type": "rebate", "loss_fen": op[3]}, None, NOW)
        elif kind == "solve" and (row := _pick(session, FraudCase, op[1])) is not None:
            row.solved_on = op[2]
        elif kind == "move_case" and (row := _pick(session, FraudCase, op[1])) is not None:
            apply_changes(session, row, {"unit_id": units[op[2]], "reported_at": op[3]}, actor=None, reason="核对",
                          source=CaseSource.MANUAL, now=NOW)
        elif kind == "import":
            import_records(session, None, [{"case_no": f"I{uuid.uuid4().hex[:12]}", "unit_id": units[op[1]],
                                            "reported_at": op[2], "fraud_type": "rebate", "loss_fen": op[3]}],
                           filename="核对.csv")
        elif kind == "rebuild":
            case_tally.rebuild(session)
            strike_tally.rebuild(session)


def _month(moment_or_day) -> date:
    day = moment_or_day.astimezone(SHANGHAI).date() if isinstance(moment_or_day, datetime) else moment_or_day
    return day.replace(day=1)


def _month_cases(session) -> dict:
    """strike_month_cases recounted from fraud_case: cases and loss by report month, solved by solving month."""
    counted: dict = defaultdict(lambda: [0, 0, 0])
    for unit_id, reported, loss, solved in session.execute(
            select(FraudCase.unit_id, FraudCase.reported_at, FraudCase.loss_fen, FraudCase.solved_on)):
        counted[(unit_id, _month(reported))][0] += 1
        counted[(unit_id, _month(reported))][1] += loss or 0
        if solved is not None:
            counted[(unit_id, _month(solved))][2] += 1
    return {key: tuple(v) for key, v in counted.items() if any(v)}


def _stored_cases(session) -> dict:
    rows = session.execute(text("SELECT unit_id, month, cases, loss_fen, solved FROM strike_month_cases")).all()
    return {(u, m if isinstance(m, date) else date.fromisoformat(m)): (c, int(loss), s)
            for u, m, c, loss, s in rows if (c, loss, s) != (0, 0, 0)}


def _check(engine) -> None:
    with read_session(engine) as session:
        assert strike_tally.stored(session) == strike_tally.recount(session)
        assert month_tallies.stored(session) == month_tallies.recount(session)  # the headline's (migration 0023)
        assert strike_tally.stored_values(session) == strike_tally.recount_values(session)
        assert _stored_cases(session) == _month_cases(session)
        assert case_tally.solved_stored(session) == case_tally.solved_recount(session)  # 破案 by day (0022)
        for reported, stopped, kept in session.execute(
                select(RecoveryRequest.reported_at, RecoveryRequest.stopped_at, RecoveryRequest.stop_ms)):
            assert kept == strike_tally.stop_ms(reported, stopped)
        for row in session.execute(select(Dissuasion)).scalars():
            assert (row.to_attempt_s, row.total_s) == (strike_tally.stage_seconds(row.warning_at, row.attempted_at),
                                                       strike_tally.stage_seconds(row.warning_at, row.outcome_at))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=8))
def test_tallies_equal_a_recount_after_any_writes(engine, operations):
    world = _world(engine)  # the rows of earlier examples stay: the tallies must still equal a recount
    for op in operations:
        _run(engine, world, op)
        _check(engine)


def test_the_month_is_beijing_and_a_step_moves_the_tally(engine):
    units, actor, account, case = _world(engine)
    last_utc_of_october = datetime(2026, 10, 31, 15, 59, 59, 999_999, tzinfo=UTC)  # 23:59:59.999999 on 31 Oct
    with write_session(engine) as session:
        for n, at in enumerate((last_utc_of_october, last_utc_of_october + timedelta(microseconds=1))):
            session.add(RecoveryRequest(idempotency_key=f"m{n}", case_id=case, identifier_id=account,
                                        unit_id=units["S1"], bank_name="工商银行", reported_at=at, requested_at=at,
                                        requested_fen=10_000, status="requested", created_at=NOW, updated_at=NOW))
    with read_session(engine) as session:
        months = {m: v[0] for (g, m, _, _), v in strike_tally.stored(session).items() if g == "unit"}
    assert months == {date(2026, 10, 1): 1, date(2026, 11, 1): 1}
    with write_session(engine) as session:
        request = session.execute(select(RecoveryRequest).where(RecoveryRequest.idempotency_key == "m1")).scalar_one()
        ledger.record_step(session, actor, request.id, RecoveryStatus.FROZEN, request.reported_at + timedelta(
            seconds=3_600), "60", "k1")
    with read_session(engine) as session:
        november = strike_tally.stored(session)[("bank", date(2026, 11, 1), units["S1"], "工商银行")]
        assert dict(zip(strike_tally.FIELDS, november, strict=True)) == {
            "requests": 1, "requested_fen": 10_000, "frozen_fen": 6_000, "returned_fen": 0, "stopped": 1,
            "golden": 1, "interceptions": 0, "protected_fen": 0}  # frozen straight away: stopped then, 60 min
        assert strike_tally.stored_values(session)[("stop_ms", date(2026, 11, 1), units["S1"])] == (1, [3_600_000])
    _check(engine)


def _backends() -> list[str]:
    return ["sqlite"] + (["postgresql"] if os.environ.get("FANZHA_TEST_PG_URL") else [])


@pytest.fixture(params=_backends())
def backend(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    url = make_url(normalise_database_url(os.environ["FANZHA_TEST_PG_URL"]))
    name = f"fanzha_strike_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migration_fills_the_rows_already_there(backend):
    engine = make_engine(backend)
    upgrade(engine, "0019")
    with write_session(engine) as session:
        add_unit(session, code="C", name="市局", kind="city_bureau", parent_code=None)
        session.add(Identifier(kind="bank_account", value_norm="6222021234567890128", first_seen_at=NOW))
    with engine.begin() as connection:  # Core, as rows written before 0020 were: no kept seconds, no tally
        connection.execute(FraudCase.__table__.insert(), [
            {"id": 1, "case_no": "A1", "unit_id": 1, "reported_at": datetime(2026, 10, 31, 16, tzinfo=UTC),
             "fraud_type": "rebate", "loss_fen": 500, "solved_on": date(2026, 11, 30), "created_at": NOW,
             "updated_at": NOW, "status": "solved"}])
        # The day tally as 0014 kept it (rebuild today also recounts later roll-ups this schema does not have yet).
        connection.execute(CaseDayTally.__table__.insert(), {"day": date(2026, 11, 1), "unit_id": 1,
                                                              "fraud_type": "rebate", "cases": 1, "loss_fen": 500})
        connection.execute(text(
            "INSERT INTO recovery_request (idempotency_key, case_id, unit_id, identifier_id, reported_at, requested_at, "
            "stopped_at, requested_fen, stopped_fen, frozen_fen, returned_fen, status, created_at, updated_at) VALUES "
            "('r1', 1, 1, 1, :rep, :req, :stop, 100, 100, 80, 10, 'returned', :t, :t)"),
            {"rep": datetime(2026, 10, 31, 15, 0, tzinfo=UTC), "req": datetime(2026, 10, 31, 16, 0, tzinfo=UTC),
             "stop": datetime(2026, 10, 31, 16, 0, 0, 500, tzinfo=UTC), "t": NOW})
        connection.execute(text(
            "INSERT INTO interception (unit_id, intercepted_at, branch_name, amount_fen, outcome, created_at) VALUES "
            "(1, :at, '工行支行', 700, 'stopped', :t), (1, :at, '工行支行', 900, 'failed', :t)"),
            {"at": datetime(2026, 11, 3, tzinfo=UTC), "t": NOW})
        connection.execute(text(
            "INSERT INTO dissuasion (idempotency_key, unit_id, warning_at, attempted_at, outcome, created_at) VALUES "
            "('d1', 1, :w, :a, 'paid', :t)"),
            {"w": datetime(2026, 11, 3, tzinfo=UTC), "a": datetime(2026, 11, 3, 0, 0, 2, 500_000, tzinfo=UTC),
             "t": NOW})
    upgrade(engine)
    _check(engine)
    with read_session(engine) as session:
        assert strike_tally.stored(session)[("unit", date(2026, 11, 1), 1, "")] == [1, 100, 80, 10, 1, 0, 1, 700]  # 3,600.0005 s: not golden
        assert session.execute(select(RecoveryRequest.stop_ms)).scalar_one() == 3_600_001
        assert session.execute(select(Dissuasion.to_attempt_s)).scalar_one() == 2  # round(2.5): half to even
        assert _stored_cases(session) == {(1, date(2026, 11, 1)): (1, 500, 1)}
        tallies = month_tallies.stored(session)
        # The request of 00:00 on 1 November Beijing; the stopped interception, not the failed one.
        assert tallies["ledger_month_tally"] == {(date(2026, 11, 1), 1): (1, 100, 80, 10)}
        assert tallies["interception_month_tally"] == {(date(2026, 11, 1), 1): (1, 700)}
    engine.dispose()
