"""The demo's 打击挽损 records: plausible, consistent with the cases and calls, deterministic, replaced cleanly."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from db.engine import read_session
from db.models import AppUser
from services.access.actor import Actor
from services.demo.generator import DemoSpec
from services.demo.loader import load_demo
from services.shared.timeutil import SHANGHAI, reporting_span
from services.strike import api
from vocabulary import Role

ANCHOR = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)
SPEC = DemoSpec(cases=1_500, seed=5, anchor=ANCHOR)
ANCHOR_DAY = ANCHOR.astimezone(SHANGHAI).date()


def _rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql)).all()]


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _moment(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


@pytest.fixture
def demo(engine):
    load_demo(engine, SPEC)
    return engine


def test_solved_cases_have_a_day_after_their_report_and_a_way(demo):
    rows = _rows(demo, "SELECT status, reported_at, solved_on, solved_how FROM fraud_case")
    solved = [r for r in rows if r[2] is not None]
    assert {r[0] for r in solved} == {"solved"}
    assert all(r[0] != "solved" or r[2] is not None for r in rows)  # every solved case has its day
    assert 0.25 <= len(solved) / len(rows) <= 0.45
    for _, reported, solved_on, how in solved:
        assert _moment(reported).astimezone(SHANGHAI).date() <= _day(solved_on) <= ANCHOR_DAY
        assert how in {"local", "assisted", "ministry"}
    hows = [r[3] for r in solved]
    assert hows.count("local") > hows.count("assisted") > hows.count("ministry") > 0


def test_ledger_amounts_and_times_are_ordered_and_the_return_rate_plausible(demo):
    rows = _rows(demo, "SELECT r.reported_at, r.requested_at, r.stopped_at, r.frozen_at, r.returned_on, r.requested_fen,"
                       " r.stopped_fen, r.frozen_fen, r.returned_fen, r.status, c.loss_fen, r.desk_call_id, k.case_id"
                       " FROM recovery_request r JOIN fraud_case c ON c.id = r.case_id"
                       " LEFT JOIN desk_call k ON k.id = r.desk_call_id")
    cases = _rows(demo, "SELECT COUNT(*) FROM fraud_case")[0][0]
    assert 0.1 * cases <= len(rows) <= 0.35 * cases
    frozen = returned = 0
    for reported, requested, stopped, frozen_at, returned_on, req, stop, froz, ret, status, loss, call, call_case in rows:
        assert _moment(reported) <= _moment(requested) <= ANCHOR
        assert req == loss and 0 <= ret <= froz <= stop <= req
        assert stopped is None or _moment(requested) < _moment(stopped) <= _moment(requested) + timedelta(hours=4)
        assert frozen_at is None or _moment(stopped) <= _moment(frozen_at) <= ANCHOR
        assert returned_on is None or _moment(frozen_at).astimezone(SHANGHAI).date() < _day(returned_on) <= ANCHOR_DAY
        assert status == ("returned" if returned_on else "frozen" if frozen_at else "stopped" if stopped
                          else status)
        assert call is None or call_case is not None
        frozen, returned = frozen + froz, returned + ret
    assert 0.2 <= returned / frozen <= 0.5
    statuses = {r[9] for r in rows}
    assert {"stopped", "frozen", "returned", "failed"} <= statuses
    # each step recorded is in the ledger's history, with its amount
    events = dict(_rows(demo, "SELECT step, SUM(amount_fen) FROM recovery_event GROUP BY step"))
    assert events["frozen"] == frozen and events["returned"] == returned


def test_results_and_dissuasions_follow_the_reporting_days_and_stages(demo):
    results = _rows(demo, "SELECT result_date, caught, detained FROM strike_result")
    assert results and all(_day(d).day in (10, 25) and _day(d) <= ANCHOR_DAY and det <= c for d, c, det in results)
    assert sum(r[1] for r in results) > 0
    stages = _rows(demo, "SELECT warning_at, attempted_at, reached_at, outcome, call_id, outcome_at FROM dissuasion")
    assert {s[3] for s in stages} == {"stopped", "paid", "unreachable"}
    for warning, attempted, reached, outcome, call, known in stages:
        assert attempted is None or _moment(warning) < _moment(attempted)
        assert reached is None or _moment(attempted) < _moment(reached)
        assert (outcome == "unreachable") == (reached is None)
        assert (call is not None) == (outcome == "stopped")
        # The outcome is known after the last stage reached, never after the demo's anchor.
        last = reached or attempted
        assert known is None or (last is not None and _moment(last) < _moment(known) <= ANCHOR)
    known = [s for s in stages if s[5] is not None]
    assert len(known) >= 0.8 * len([s for s in stages if s[1] is not None])  # nearly every tried warning has one
    assert any(s[2] is None for s in known) and any(s[2] is not None for s in known)


def test_the_page_reads_the_demo_ledger_as_recomputed(demo):
    with read_session(demo) as session:
        user = session.execute(select(AppUser).where(AppUser.username == "leader")).scalar_one()
        unit_path = session.execute(text("SELECT path FROM unit WHERE id = :u"), {"u": user.unit_id}).scalar()
    actor = Actor(user.id, "leader", user.display_name, Role.LEADER, user.unit_id, unit_path, "", "127.0.0.1")
    span = reporting_span("year", ANCHOR_DAY)
    board = api.board(demo, actor, None, span)
    start, end = span.current.start, span.current.end
    rows = [r for r in _rows(demo, "SELECT requested_at, frozen_fen, returned_fen FROM recovery_request")
            if start <= _moment(r[0]) < end]
    assert board.recovery.requests == len(rows) > 0
    assert (board.recovery.frozen_fen, board.recovery.returned_fen) == (sum(r[1] for r in rows), sum(r[2] for r in rows))
    assert board.ledger and all("*" in r.account for r in board.ledger)
    solved = sum(1 for (d,) in _rows(demo, "SELECT solved_on FROM fraud_case WHERE solved_on IS NOT NULL")
                 if span.current.first_day <= _day(d) <= span.current.last_day)
    assert board.two_up[0].changes["solved"].current == solved > 0


def test_same_seed_same_ledger_and_replace_is_clean(demo):
    query = ("SELECT case_id, requested_at, stopped_fen, frozen_fen, returned_fen, status FROM recovery_request "
             "ORDER BY id")
    first = _rows(demo, query)
    counts = _rows(demo, "SELECT (SELECT COUNT(*) FROM dissuasion), (SELECT COUNT(*) FROM strike_result)")
    load_demo(demo, SPEC, replace=True)
    assert _rows(demo, query) == first
    assert _rows(demo, "SELECT (SELECT COUNT(*) FROM dissuasion), (SELECT COUNT(*) FROM strike_result)") == counts


def _tallies_match(engine) -> None:
    from db import strike_tally
    from db.models import Dissuasion, RecoveryRequest

    with read_session(engine) as session:
        assert strike_tally.stored(session) == strike_tally.recount(session)
        assert strike_tally.stored_values(session) == strike_tally.recount_values(session)
        for reported, stopped, kept in session.execute(
                select(RecoveryRequest.reported_at, RecoveryRequest.stopped_at, RecoveryRequest.stop_ms)):
            assert kept == strike_tally.stop_ms(reported, stopped)
        for row in session.execute(select(Dissuasion)).scalars():
            assert [row.to_attempt_s, row.to_reach_s, row.to_outcome_s, row.total_s] == [
                strike_tally.stage_seconds(row.warning_at, row.attempted_at),
                strike_tally.stage_seconds(row.attempted_at, row.reached_at),
                strike_tally.stage_seconds(row.reached_at, row.outcome_at),
                strike_tally.stage_seconds(row.warning_at, row.outcome_at)]
    cases = _rows(engine, "SELECT unit_id, reported_at, loss_fen, solved_on FROM fraud_case")
    month_cases: dict = {}
    for unit_id, reported, loss, solved in cases:
        key = (unit_id, _moment(reported).astimezone(SHANGHAI).date().replace(day=1))
        month_cases.setdefault(key, [0, 0, 0])
        month_cases[key][0] += 1
        month_cases[key][1] += loss or 0
        if solved is not None:
            key = (unit_id, _day(solved).replace(day=1))
            month_cases.setdefault(key, [0, 0, 0])[2] += 1
    stored = {(u, _day(m)): [c, int(loss), s] for u, m, c, loss, s in _rows(
        engine, "SELECT unit_id, month, cases, loss_fen, solved FROM strike_month_cases") if (c, loss, s) != (0, 0, 0)}
    assert stored == month_cases


def test_the_month_tallies_and_kept_seconds_match_the_demo_rows_after_load_and_replace(demo):
    """The bulk-loaded ledger, interceptions and 劝阻 pass no mapper events: the loader counts them once."""
    _tallies_match(demo)
    load_demo(demo, SPEC, replace=True)
    _tallies_match(demo)
