"""Every period the page offers (本月, 本年, custom ranges of whole months, half months, single days, edges at Beijing
midnight) reads the same figures from the month tallies and edge days as a plain-Python recount of the rows."""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from zoneinfo import ZoneInfo

import pytest

from db.engine import write_session
from db.models import Dissuasion, FraudCase, Identifier, Interception, RecoveryRequest, StrikeResult
from services.shared.timeutil import reporting_span
from services.strike import api
from services.strike.text import NO_BRANCH, NO_TYPE
from vocabulary import FraudType

BJ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, tzinfo=UTC)
TODAY = date(2026, 11, 28)
UNITS = ("WA", "YX", "XC", "D")
BANKS = ("工商银行", "建设银行", None)
TYPES = ("rebate", "investment", None)
STOPS = (None, 59.9, 3_600, 3_600.001, 3_599.999, 125.25, 7_200.5, 0.001, 30)


def _moment(rng: random.Random, first: date, days: int) -> datetime:
    """A Beijing instant on one of the days, often exactly at midnight or just before it."""
    day = first + timedelta(days=rng.randrange(days))
    start = datetime(day.year, day.month, day.day, tzinfo=BJ)
    offset = rng.choice((timedelta(0), timedelta(days=1, microseconds=-1), timedelta(seconds=rng.randrange(86_400))))
    return (start + offset).astimezone(UTC)


def _rows(seed: int):
    rng = random.Random(seed)
    ledger = [(rng.choice(UNITS), _moment(rng, date(2026, 8, 1), 135), rng.choice(STOPS), rng.randrange(1, 10**7),
               rng.choice(BANKS), rng.choice(TYPES), rng.random()) for _ in range(160)]
    interceptions = [(rng.choice(UNITS), _moment(rng, date(2026, 8, 1), 135), rng.choice(("工行支行", "建行分理处")),
                      rng.randrange(0, 10**6), rng.choice(TYPES), rng.choice((None, "stopped", "partial", "failed")))
                     for _ in range(80)]
    dissuasions = [(rng.choice(UNITS), _moment(rng, date(2026, 8, 1), 135),
                    *(rng.choice((None, 0.5, 1.5, 61, 119.5, 240, 3_599.5)) for _ in range(3))) for _ in range(120)]
    cases = [(rng.choice(UNITS), _moment(rng, date(2025, 8, 1), 500), rng.randrange(0, 10**6),
              rng.choice((None, date(2025, 8, 1) + timedelta(days=rng.randrange(500))))) for _ in range(200)]
    strikes = [(rng.choice(UNITS), date(2025, 8, 1) + timedelta(days=rng.randrange(500)), rng.randrange(5))
               for _ in range(40)]
    return ledger, interceptions, dissuasions, cases, strikes


ROWS = _rows(7)


@pytest.fixture
def data(world):
    engine, actors, ids = world
    ledger, interceptions, dissuasions, cases, strikes = ROWS
    with write_session(engine) as session:
        account = Identifier(kind="bank_account", value_norm="6222021234567890128", first_seen_at=NOW)
        written = [FraudCase(case_no=f"K{n}", unit_id=ids[unit], reported_at=reported, fraud_type="rebate",
                             loss_fen=loss, solved_on=solved, created_at=NOW, updated_at=NOW)
                   for n, (unit, reported, loss, solved) in enumerate(cases)]
        session.add_all([*written, account])
        session.flush()
        for n, (unit, day, caught) in enumerate(strikes):
            session.add(StrikeResult(idempotency_key=f"s{n}", unit_id=ids[unit], result_date=day, caught=caught,
                                     created_at=NOW))
        for n, (unit, requested, stop, fen, bank, kind, share) in enumerate(ledger):
            reported = requested - timedelta(minutes=5)
            stopped = reported + timedelta(seconds=stop) if stop is not None else None
            frozen = int(fen * share) if stopped else 0
            session.add(RecoveryRequest(
                idempotency_key=f"r{n}", case_id=written[0].id, unit_id=ids[unit], identifier_id=account.id, bank_name=bank,
                fraud_type=kind, reported_at=reported, requested_at=requested, stopped_at=stopped,
                requested_fen=fen, stopped_fen=fen if stopped else 0, frozen_fen=frozen, returned_fen=frozen // 3,
                status="frozen", created_at=NOW, updated_at=NOW))
        for unit, at, branch, amount, kind, outcome in interceptions:
            session.add(Interception(unit_id=ids[unit], intercepted_at=at, branch_name=branch, amount_fen=amount,
                                     fraud_type=kind, outcome=outcome, created_at=NOW))
        for n, (unit, warning, a, b, c) in enumerate(dissuasions):
            attempted = warning + timedelta(seconds=a) if a is not None else None
            reached = attempted + timedelta(seconds=b) if attempted and b is not None else None
            outcome_at = (reached or attempted or warning) + timedelta(seconds=c) if c is not None else None
            session.add(Dissuasion(idempotency_key=f"d{n}", unit_id=ids[unit], warning_at=warning,
                                   attempted_at=attempted, reached_at=reached, outcome="paid", outcome_at=outcome_at,
                                   created_at=NOW))
    return engine, actors, ids


SPANS = [reporting_span("month", TODAY), reporting_span("year", TODAY), reporting_span("week", TODAY),
         reporting_span("today", TODAY)] + [
    reporting_span("custom", TODAY, first, last) for first, last in (
        (date(2026, 9, 1), date(2026, 9, 30)), (date(2026, 9, 10), date(2026, 11, 20)),
        (date(2026, 9, 16), date(2026, 10, 15)), (date(2026, 8, 1), date(2026, 11, 28)),
        (date(2026, 10, 31), date(2026, 11, 1)), (date(2026, 11, 15), date(2026, 11, 15)),
        (date(2026, 9, 14), date(2026, 11, 16)), (date(2016, 12, 1), date(2026, 11, 28)),
        (date(2026, 2, 1), date(2026, 2, 28)), (date(2025, 12, 31), date(2026, 1, 1)))]


def _in(moment: datetime, first: date, last: date) -> bool:
    return first <= moment.astimezone(BJ).date() <= last


def _minutes(values) -> Decimal | None:
    return (Decimal(median(values)) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP) if values else None


def _stage_seconds(warning, a, b, c) -> list[int | None]:
    """Whole seconds (Python's round) of each stage, from the times the fixture wrote."""
    attempted = warning + timedelta(seconds=a) if a is not None else None
    reached = attempted + timedelta(seconds=b) if attempted and b is not None else None
    outcome_at = (reached or attempted or warning) + timedelta(seconds=c) if c is not None else None
    pairs = ((warning, attempted), (attempted, reached), (reached, outcome_at), (warning, outcome_at))
    return [round((y - x).total_seconds()) if x and y else None for x, y in pairs]


@pytest.mark.parametrize("span", SPANS, ids=lambda s: f"{s.kind}-{s.current.first_day}-{s.current.last_day}")
def test_every_period_matches_a_recount(data, span):
    engine, actors, ids = data
    ledger, interceptions, dissuasions, cases, strikes = ROWS
    first, last = span.current.first_day, span.current.last_day
    board = api.board(engine, actors["leader"], ids["D"], span)
    subtree = {"WA", "YX", "D"}
    rows = {"长泰区公安分局": subtree, "武安派出所": {"WA"}, "岩溪派出所": {"YX"}}

    mine = [r for r in ledger if r[0] in subtree and _in(r[1], first, last)]
    stops = [r[2] for r in mine if r[2] is not None]
    frozen = [int(r[3] * r[6]) if r[2] is not None else 0 for r in mine]
    figures = board.recovery
    assert (figures.requests, figures.requested_fen, figures.frozen_fen, figures.returned_fen) == (
        len(mine), sum(r[3] for r in mine), sum(frozen), sum(f // 3 for f in frozen))
    assert (figures.stopped, figures.within_golden_hour) == (len(stops), sum(1 for s in stops if s <= 3_600))
    assert figures.median_minutes == _minutes([Decimal(str(s)) for s in stops])

    counted = [i for i in interceptions if i[0] in subtree and _in(i[1], first, last) and i[5] != "failed"]
    saved = board.saved
    assert (saved.total.protected_fen, saved.total.interceptions) == (sum(i[3] for i in counted), len(counted))
    assert saved.total.frozen_fen == sum(frozen) and saved.total.requests == len(mine)
    by_branch, by_type = defaultdict(int), defaultdict(int)
    for r, f in zip(mine, frozen, strict=True):
        by_branch[r[4] or NO_BRANCH] += f
        by_type[FraudType.label_of(r[5], r[5]) if r[5] else NO_TYPE] += f
    for i in counted:
        by_branch[i[2]] += i[3]
        by_type[FraudType.label_of(i[4], i[4]) if i[4] else NO_TYPE] += i[3]
    assert {s.name: s.saved_fen for s in saved.by_branch} == dict(by_branch)
    assert {s.name: s.saved_fen for s in saved.by_type} == dict(by_type)
    assert [s.name for s in saved.by_branch] == sorted(by_branch, key=lambda n: (-by_branch[n], n))
    assert {s.name: s.protected_fen + s.frozen_fen for s in saved.by_unit} == {
        "武安派出所": sum(f for r, f in zip(mine, frozen, strict=True) if r[0] == "WA")
        + sum(i[3] for i in counted if i[0] == "WA"),
        "岩溪派出所": sum(f for r, f in zip(mine, frozen, strict=True) if r[0] == "YX")
        + sum(i[3] for i in counted if i[0] == "YX")}

    for row in board.dissuasion_minutes:
        stages = [_stage_seconds(*d[1:]) for d in dissuasions if d[0] in rows[row.name] and _in(d[1], first, last)]
        assert row.dissuasions == len(stages)
        for n, stage in enumerate(("to_attempt", "to_reach", "to_outcome", "total")):
            values = [s[n] for s in stages if s[n] is not None]
            assert (row.counted[stage], row.medians[stage]) == (len(values), _minutes(values)), (row.name, stage)

    for row in board.two_up:
        for period, side in ((span.current, "current"), (span.year_ago, "previous")):
            a, b = period.first_day, period.last_day
            units = rows[row.unit_name]
            expected = {
                "solved": sum(1 for c in cases if c[0] in units and c[3] is not None and a <= c[3] <= b),
                "caught": sum(s[2] for s in strikes if s[0] in units and a <= s[1] <= b),
                "incidents": sum(1 for c in cases if c[0] in units and _in(c[1], a, b)),
                "loss_fen": sum(c[2] for c in cases if c[0] in units and _in(c[1], a, b)),
            }
            assert {m: getattr(row.changes[m], side) for m in expected} == expected, (row.unit_name, side)
