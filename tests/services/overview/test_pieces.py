"""The sums read in pieces (several periods per read) against a plain recomputation over the rows, on both backends."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from db.engine import read_session, write_session
from db.models import DeskCall, FraudCase, Identifier, Interception, RecoveryRequest, StrikeResult, Unit
from services.overview import figures
from services.shared.timeutil import SHANGHAI, period_of_days

NOW = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)
FIRST = date(2025, 10, 1)
DAYS = 425  # to 2026-11-29: two Novembers, so far-apart periods are read in separate windows


@pytest.fixture
def rows(engine):
    """Three units, and cases, interceptions, calls and ledger requests at random instants (some on a day's first and
    last second), cases solved on random later days (some a year after their report) and strike results by day."""
    rng = random.Random(14)
    with write_session(engine) as session:
        units = []
        for n in range(3):
            unit = Unit(code=f"u{n}", name=f"单位{n}", full_name=f"u{n}", kind="station", level=1, path="")
            session.add(unit)
            session.flush()
            unit.path = f"/{unit.id}/"
            units.append(unit.id)
        cases, blocked, calls, solved_days, strikes, ledger = [], [], [], [], [], []
        account = Identifier(kind="bank_account", value_norm="6222020000000000000", first_seen_at=NOW)
        session.add(account)
        session.flush()
        for n in range(1_500):
            day = FIRST + timedelta(days=rng.randrange(DAYS))
            second = rng.choice([0, 86_399, rng.randrange(86_400)])
            at = (datetime(day.year, day.month, day.day, tzinfo=SHANGHAI) + timedelta(seconds=second)).astimezone(UTC)
            unit, loss = rng.choice(units), rng.randrange(0, 5_000_000)
            kind = rng.choice(["rebate", "investment", "odd_code"])
            solved = day + timedelta(days=rng.choice([0, 3, 40, 365])) if n % 4 == 0 else None
            case = FraudCase(case_no=f"C{n}", unit_id=unit, reported_at=at, fraud_type=kind, loss_fen=loss,
                             solved_on=solved, created_at=NOW, updated_at=NOW)
            session.add(case)
            cases.append((unit, day, loss, kind))
            if solved is not None:
                solved_days.append((unit, solved))
            if n % 7 == 0:
                caught = rng.randrange(0, 9)
                session.add(StrikeResult(idempotency_key=f"s{n}", unit_id=unit, result_date=day, caught=caught,
                                         created_at=NOW))
                strikes.append((unit, day, caught))
            if n % 6 == 0:
                session.flush()
                frozen = rng.randrange(0, loss + 1)
                amounts = (rng.randrange(frozen, loss + 1), frozen, rng.randrange(0, frozen + 1))
                session.add(RecoveryRequest(idempotency_key=f"r{n}", case_id=case.id, unit_id=unit,
                                            identifier_id=account.id, reported_at=at, requested_at=at,
                                            requested_fen=loss, stopped_fen=amounts[0], frozen_fen=amounts[1],
                                            returned_fen=amounts[2], status="frozen", created_at=NOW, updated_at=NOW))
                ledger.append((unit, day, *amounts))
            if n % 5 == 0:
                # 未能阻截 is recorded but not counted as 阻截 (services.strike.measures), as on 打击挽损.
                outcome = rng.choice([None, "stopped", "partial", "failed"])
                session.add(Interception(unit_id=unit, intercepted_at=at, branch_name="某银行", amount_fen=loss,
                                         outcome=outcome, created_at=NOW))
                if outcome != "failed":
                    blocked.append((unit, day, loss))
            if n % 3 == 0:
                own = rng.random() < 0.3  # no jurisdiction: the desk's own unit
                outcome = rng.choice(["dissuaded", "answered"])
                session.add(DeskCall(idempotency_key=f"k{n}", received_at=at, desk_unit_id=units[0],
                                     jurisdiction_unit_id=None if own else unit, call_type="consult",
                                     outcome=outcome, created_at=NOW))
                calls.append((units[0] if own else unit, day, outcome))
    return engine, units, cases, blocked, calls, (solved_days, strikes, ledger)


FIXED = [  # what the headline asks: 本月, the same days last month (3 days before it), 今日, 昨日, last year's
    [(date(2026, 11, 1), date(2026, 11, 28)), (date(2026, 10, 1), date(2026, 10, 28)),
     (date(2026, 11, 28), date(2026, 11, 28)), (date(2026, 11, 27), date(2026, 11, 27)),
     (date(2025, 11, 1), date(2025, 11, 28)), (date(2025, 11, 28), date(2025, 11, 28))],
    [(date(2026, 2, 1), date(2026, 2, 10)), (date(2026, 2, 14), date(2026, 2, 20))],  # a 3-day gap between
]


def _periods(rng: random.Random, seed: int) -> list:
    """A few periods: overlapping, adjacent, a few days apart, and a year apart."""
    if seed < len(FIXED):
        return FIXED[seed]
    chosen = []
    for _ in range(rng.randrange(1, 6)):
        first = FIRST + timedelta(days=rng.randrange(DAYS - 1))
        last = min(first + timedelta(days=rng.choice([0, 1, 6, 27, 40])), FIRST + timedelta(days=DAYS - 1))
        chosen.append((first, last))
    return chosen


@pytest.mark.parametrize("seed", range(8))
def test_tallies_and_branch_sums_match_the_rows(rows, seed):
    engine, units, cases, blocked, calls, (solved_days, strikes, ledger) = rows
    rng = random.Random(seed)
    days = _periods(rng, seed)
    periods = [period_of_days(first, last) for first, last in days]
    scope = None if seed % 2 else set(units[:2])
    keep = set(units) if scope is None else scope
    with read_session(engine) as session:
        tallies = figures.tallies(session, scope, periods)
        by_unit = figures.case_sums_by_unit(session, scope, periods)
    for (first, last), tally, per_unit in zip(days, tallies, by_unit, strict=True):
        mine = [(u, loss) for u, d, loss, _ in cases if u in keep and first <= d <= last]
        stopped = [a for u, d, a in blocked if u in keep and first <= d <= last]
        heard = [o for u, d, o in calls if u in keep and first <= d <= last]
        solved = [u for u, d in solved_days if u in keep and first <= d <= last]
        caught = [n for u, d, n in strikes if u in keep and first <= d <= last]
        money = [amounts for u, d, *amounts in ledger if u in keep and first <= d <= last]
        assert tally == figures.Tally(len(mine), sum(loss for _, loss in mine), len(stopped), sum(stopped),
                                      len(heard), heard.count("dissuaded"), len(solved), sum(caught),
                                      *(sum(m[i] for m in money) for i in range(3)))
        expected = {u: (sum(1 for v, _ in mine if v == u), sum(loss for v, loss in mine if v == u)) for u in keep}
        assert per_unit == {u: sums for u, sums in expected.items() if sums[0]}


@pytest.mark.parametrize("scoped", [False, True])
def test_days_and_types_match_the_rows(rows, scoped):
    engine, units, cases, *_ = rows
    keep = {units[1]} if scoped else set(units)
    first, last = date(2025, 11, 1), date(2026, 11, 28)
    with read_session(engine) as session:
        daily = figures.daily_case_sums(session, keep if scoped else None, period_of_days(first, last))
        types = figures.type_sums(session, keep if scoped else None, period_of_days(first, last))
    expected_days: dict[date, tuple[int, int]] = {}
    expected_types: dict[str, tuple[int, int]] = {}
    for unit, day, loss, kind in cases:
        if unit in keep and first <= day <= last:
            n, total = expected_days.get(day, (0, 0))
            expected_days[day] = (n + 1, total + loss)
            n, total = expected_types.get(kind, (0, 0))
            expected_types[kind] = (n + 1, total + loss)
    assert daily == expected_days
    assert types == expected_types
