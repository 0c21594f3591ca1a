"""打击挽损 read shapes: 两升两降 from the day tally, median minutes and the newest ledger rows against recounts."""

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from zoneinfo import ZoneInfo

from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import Dissuasion, FraudCase, Identifier, RecoveryRequest
from services.shared.timeutil import reporting_span
from services.strike import api
from services.strike.read import STAGES, stage_seconds
from vocabulary import RecoveryStatus

BJ = ZoneInfo("Asia/Shanghai")
SPAN = reporting_span("custom", date(2026, 11, 30), date(2026, 11, 1), date(2026, 11, 30))
NOW = datetime(2026, 11, 30, tzinfo=UTC)


def bj(*parts) -> datetime:
    return datetime(*parts, tzinfo=BJ).astimezone(UTC)


# (case_no, unit, reported, loss): the first and last instants of the span's Beijing days and of last year's,
# and the instants just outside them.
CASES = [
    ("E1", "WA", bj(2026, 11, 1), 100),
    ("E2", "WA", bj(2026, 11, 30, 23, 59, 59, 999_999), 200),
    ("E3", "YX", bj(2026, 10, 31, 23, 59, 59, 999_999), 400),
    ("E4", "YX", bj(2026, 12, 1), 800),
    ("E5", "WA", bj(2025, 11, 1), 1_600),
    ("E6", "YX", bj(2025, 11, 30, 23, 59, 59), 3_200),
    ("E7", "D", bj(2026, 11, 15, 12), 6_400),
    ("E8", "WA", bj(2026, 11, 10, 8), 12_800),  # moves to YX below
    ("E9", "WA", bj(2026, 11, 11, 8), 25_600),  # deleted below
    ("E10", "YX", bj(2026, 11, 29, 16), 51_200),  # reported time moved into December below
]


def _write_cases(engine, ids) -> None:
    with write_session(engine) as session:
        for case_no, unit, reported, loss in CASES:
            session.add(FraudCase(case_no=case_no, unit_id=ids[unit], reported_at=reported, fraud_type="rebate",
                                  loss_fen=loss, created_at=NOW, updated_at=NOW))
    with write_session(engine) as session:
        cases = {c.case_no: c for c in session.execute(select(FraudCase)).scalars()}
        cases["E8"].unit_id = ids["YX"]
        cases["E8"].loss_fen = 12_801
        cases["E10"].reported_at = bj(2026, 12, 1, 0, 0, 1)
        session.delete(cases["E9"])


def _recount(engine, units: set[int], first: date, last: date) -> tuple[int, int]:
    """Cases and loss reported on the Beijing days first..last in the units, counted from fraud_case itself."""
    with read_session(engine) as session:
        rows = session.execute(select(FraudCase.unit_id, FraudCase.reported_at, FraudCase.loss_fen)).all()
    inside = [loss for unit, at, loss in rows if unit in units and first <= at.astimezone(BJ).date() <= last]
    return len(inside), sum(inside)


def test_incidents_and_loss_from_the_tally_match_the_cases(world):
    engine, actors, ids = world
    _write_cases(engine, ids)
    rows = api.two_up_two_down(engine, actors["leader"], ids["D"], SPAN)
    units = {"长泰区公安分局": {ids["WA"], ids["YX"], ids["D"]}, "武安派出所": {ids["WA"]}, "岩溪派出所": {ids["YX"]}}
    assert [r.unit_name for r in rows] == list(units)
    for row in rows:
        now = _recount(engine, units[row.unit_name], date(2026, 11, 1), date(2026, 11, 30))
        before = _recount(engine, units[row.unit_name], date(2025, 11, 1), date(2025, 11, 30))
        assert (row.changes["incidents"].current, row.changes["loss_fen"].current) == now
        assert (row.changes["incidents"].previous, row.changes["loss_fen"].previous) == before
    wa, yx = rows[1], rows[2]
    assert (wa.changes["incidents"].current, wa.changes["loss_fen"].current) == (2, 300)  # E1, E2
    assert (yx.changes["incidents"].current, yx.changes["loss_fen"].current) == (1, 12_801)  # E8 moved in
    assert (rows[0].changes["incidents"].previous, rows[0].changes["loss_fen"].previous) == (2, 4_800)


def _ledger(engine, ids, stops: list[tuple[str, datetime, float | None]]) -> None:
    """Requests (unit, requested at, seconds from report to 止付 or None), the report an hour before the request."""
    with write_session(engine) as session:
        account = Identifier(kind="bank_account", value_norm="6222021234567890128", first_seen_at=NOW)
        case = FraudCase(case_no="L0", unit_id=ids["WA"], reported_at=bj(2024, 1, 1), fraud_type="rebate",
                         created_at=NOW, updated_at=NOW)
        session.add_all([account, case])
        session.flush()
        for n, (unit, requested, seconds) in enumerate(stops):
            reported = requested - timedelta(hours=1)
            stopped = reported + timedelta(seconds=seconds) if seconds is not None else None
            session.add(RecoveryRequest(
                idempotency_key=f"q{n}", case_id=case.id, unit_id=ids[unit], identifier_id=account.id,
                bank_name="工商银行", fraud_type="rebate", reported_at=reported, requested_at=requested,
                stopped_at=stopped, requested_fen=1_000 + n, stopped_fen=0, frozen_fen=n, returned_fen=0,
                status=RecoveryStatus.REQUESTED.value, created_at=NOW, updated_at=NOW))


def test_median_of_an_even_count_and_the_golden_hour_edge(world):
    engine, actors, ids = world
    at = bj(2026, 11, 20, 10)
    seconds = [3600, 3600.001, 59.9, 7200.5, None, 125.25, 3599.999]
    _ledger(engine, ids, [("WA", at + timedelta(minutes=n), s) for n, s in enumerate(seconds)]
            + [("XC", at, 10.0), ("WA", bj(2026, 12, 1), 1.0)])  # XC outside 长泰; 1 Dec outside the span
    figures, _ = api.recovery(engine, actors["leader"], ids["D"], SPAN)
    minutes = [s / 60 for s in seconds if s is not None]
    assert (figures.requests, figures.stopped) == (7, 6)
    assert figures.within_golden_hour == sum(1 for m in minutes if m <= 60) == 4  # 3600 s yes, 3600.001 s no
    assert figures.median_minutes == Decimal(str(median(minutes))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert figures.median_minutes == Decimal("60.0")
    odd, _ = api.recovery(engine, actors["leader"], ids["XC"], SPAN)
    assert (odd.stopped, odd.median_minutes, odd.within_golden_hour) == (1, Decimal("0.2"), 1)
    empty, _ = api.recovery(engine, actors["leader"], ids["YX"], SPAN)
    assert (empty.requests, empty.stopped, empty.median_minutes, empty.golden_hour_rate) == (0, 0, None, None)


def test_the_ledger_list_is_the_newest_in_scope_ties_by_id(world):
    engine, actors, ids = world
    at = bj(2026, 11, 20, 10)
    plan = [("WA" if n % 3 else "XC", at + timedelta(minutes=n // 2), None) for n in range(40)]  # pairs share a time
    plan += [("WA", bj(2026, 12, 1), None), ("WA", bj(2026, 11, 1) - timedelta(microseconds=1), None),
             ("YX", bj(2026, 11, 1), None)]
    _ledger(engine, ids, plan)
    with read_session(engine) as session:
        stored = session.execute(select(RecoveryRequest.id, RecoveryRequest.unit_id, RecoveryRequest.requested_at)).all()
    scope = {ids["D"], ids["WA"], ids["YX"]}
    expected = sorted(((at_, id_) for id_, unit, at_ in stored if unit in scope
                       and bj(2026, 11, 1) <= at_ < bj(2026, 12, 1)), reverse=True)
    board = api.board(engine, actors["changtai"], ids["D"], SPAN)
    assert [r.id for r in board.ledger] == [id_ for _, id_ in expected]
    assert board.ledger[-1].unit_name == "岩溪派出所" and "****" in board.ledger[0].account
    from services.strike import read
    with read_session(engine) as session:
        newest = read.ledger(session, actors["changtai"], ids["D"], SPAN.current, limit=5)
    assert [r.id for r in newest] == [id_ for _, id_ in expected[:5]]


def test_stage_medians_round_half_seconds_as_the_rows_do(world):
    """Stage seconds from the raw stored times: ties at .5 s and fractions match the records' own
    round(total_seconds()) (half to even), and missing ends stay out of the medians."""
    engine, actors, ids = world
    start = bj(2026, 11, 30, 23, 59, 59, 500_000)
    spans = [(0.5, 1.5, 2.5), (3.5, None, 0.000001), (59.999999, 90.5, 1.499999), (86_400.5, 0.25, None)]
    with write_session(engine) as session:
        for n, (a, b, c) in enumerate(spans):
            attempted = start + timedelta(seconds=a)
            reached = attempted + timedelta(seconds=b) if b is not None else None
            outcome_at = (reached or attempted) + timedelta(seconds=c) if c is not None else None
            session.add(Dissuasion(idempotency_key=f"d{n}", unit_id=ids["WA" if n % 2 else "YX"], warning_at=start,
                                   attempted_at=attempted, reached_at=reached, outcome="stopped",
                                   outcome_at=outcome_at, created_at=NOW))
    rows = api.board(engine, actors["leader"], ids["D"], SPAN).dissuasion_minutes
    with read_session(engine) as session:
        stored = session.execute(select(Dissuasion)).scalars().all()
        seconds = [(d.unit_id, stage_seconds(d)) for d in stored]
    expected = {"长泰区公安分局": [s for _, s in seconds], "武安派出所": [s for u, s in seconds if u == ids["WA"]],
                "岩溪派出所": [s for u, s in seconds if u == ids["YX"]]}
    assert [r.name for r in rows] == list(expected)
    for row in rows:
        for stage in STAGES:
            values = [s[stage] for s in expected[row.name] if s[stage] is not None]
            assert row.counted[stage] == len(values)
            want = (Decimal(median(values)) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP) if values else None
            assert row.medians[stage] == want, (row.name, stage)
    assert seconds[0][1]["to_attempt"] == 0 and seconds[0][1]["to_reach"] == 2  # 0.5 → 0, 1.5 → 2
