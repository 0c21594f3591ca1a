"""Integrity monitor: the exact binomial test, bunching under thresholds, downward revisions, retyped cases."""

import itertools
import random
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from math import comb

import pytest
from accountability_world import NOW, build_world
from hypothesis import given
from hypothesis import strategies as st

from db.engine import read_session, write_session
from db.models import FraudCase
from services.access.actor import AccessDenied
from services.accountability.integrity import (
    ALPHA,
    MIN_CASES,
    WINDOW_DAYS,
    bands,
    binomial_upper_tail,
    expected_share_below,
    integrity_flags,
)
from services.accountability.rules import RuleDraft, add_rule_version
from vocabulary import AccountabilityLevel, IntegrityKind


def _exact_tail(k: int, n: int, p: Fraction) -> Fraction:
    return sum((comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(max(k, 0), n + 1)), Fraction(0))


@given(st.integers(0, 60), st.integers(0, 60), st.fractions(0, 1, max_denominator=50))
def test_binomial_tail_matches_exact_rational_arithmetic(k, n, p):
    assert binomial_upper_tail(k, n, float(p)) == pytest.approx(float(_exact_tail(k, n, p)), rel=1e-9, abs=1e-300)


def test_binomial_tail_known_values_and_large_n():
    assert binomial_upper_tail(9, 10, 0.5) == pytest.approx(11 / 1024)
    assert binomial_upper_tail(0, 5, 0.3) == 1.0 and binomial_upper_tail(6, 5, 0.3) == 0.0
    assert binomial_upper_tail(5000, 10_000, 0.5) == pytest.approx(0.5 + comb(10_000, 5000) / 2**10_001, rel=1e-9)


def test_expected_share_is_smoothed_and_at_least_half():
    assert expected_share_below(0, 0) == 0.5 and expected_share_below(10, 30) == 0.5
    assert expected_share_below(70, 30) == pytest.approx(71 / 102)


@pytest.fixture
def world(engine):
    return build_world(engine)


_serial = itertools.count()


def _cases(world, unit: str, yuan: list[int]) -> list[int]:
    with write_session(world.engine) as session:
        rows = [FraudCase(case_no=f"B-{next(_serial)}", unit_id=world.units[unit], reported_at=NOW - timedelta(days=i % 300),
                          fraud_type="rebate", loss_fen=amount * 100, created_at=NOW, updated_at=NOW)
                for i, amount in enumerate(yuan)]
        session.add_all(rows)
        session.flush()
        return [r.id for r in rows]


def _spread(count: int, low: int, high: int) -> list[int]:
    return [low + (high - low) * i // count for i in range(count)]


def _flags(world, actor: str = "leader_d", kind: IntegrityKind | None = None, **kwargs):
    with read_session(world.engine) as session:
        flags = integrity_flags(session, world.actors[actor], kwargs.pop("unit_id", None), kwargs.pop("now", NOW),
                                **kwargs)
    return [f for f in flags if kind is None or f.kind is kind]


def test_skewed_unit_is_flagged_and_smooth_units_are_not(world):
    skewed_below = _cases(world, "WA", _spread(40, 90_000, 100_000))
    _cases(world, "WA", _spread(4, 100_000, 110_000) + [5_000, 300_000])
    _cases(world, "YX", _spread(20, 90_000, 100_000) + _spread(18, 100_000, 110_000))
    _cases(world, "D", _spread(30, 90_000, 100_000) + _spread(28, 100_000, 110_000))
    [flag] = _flags(world, kind=IntegrityKind.BUNCHING)
    assert (flag.unit_name, flag.threshold_fen) == ("武安派出所", 10_000_000)
    assert flag.case_ids == tuple(sorted(skewed_below)) and flag.p_value < 0.01
    assert "9–10 万元 40 起" in flag.detail and "10–11 万元 4 起" in flag.detail
    # The reference share comes from every other unit: (20 + 30 + 1) / (38 + 58 + 2).
    expected = binomial_upper_tail(40, 44, 51 / 98)
    assert flag.p_value == pytest.approx(expected)


def test_smooth_data_flags_nobody(world):
    for unit in ("WA", "YX", "D"):
        _cases(world, unit, _spread(25, 90_000, 100_000) + _spread(22, 100_000, 110_000)
               + _spread(6, 450_000, 500_000) + _spread(5, 500_000, 550_000))
    assert _flags(world, kind=IntegrityKind.BUNCHING) == []


def test_too_few_cases_are_not_flagged(world):
    _cases(world, "WA", _spread(9, 450_000, 500_000))  # p = 0.5^9 < 0.01, but only 9 cases
    assert _flags(world, kind=IntegrityKind.BUNCHING) == []


def test_cases_outside_the_window_are_ignored(world):
    _cases(world, "WA", _spread(40, 90_000, 100_000))
    assert _flags(world, kind=IntegrityKind.BUNCHING, now=NOW + timedelta(days=700)) == []


def test_downward_revisions_across_a_threshold(world):
    crossed = world.add_case("WA", "120000")
    big = world.add_case("YX", "2000000")
    within = world.add_case("WA", "600000")
    small = world.add_case("WA", "80000")
    raised = world.add_case("WA", "90000")
    world.revise(crossed, loss_yuan="99999.99")
    world.revise(big, actor="leader_d", loss_yuan="400000")
    world.revise(within, loss_yuan="550000")
    world.revise(small, loss_yuan="50000")
    world.revise(raised, loss_yuan="200000")
    flags = _flags(world, kind=IntegrityKind.DOWNWARD)
    assert [(f.unit_name, f.case_ids) for f in flags] == [("武安派出所", (crossed,)), ("岩溪派出所", (big,))]
    assert "1 起" in flags[0].detail
    assert _flags(world, kind=IntegrityKind.DOWNWARD, now=NOW + timedelta(days=400)) == []


def test_cases_retyped_away_from_telecom_fraud(world):
    retyped = world.add_case("WA", "5000", fraud_type="investment")
    back = world.add_case("WA", "5000", fraud_type="other")
    sideways = world.add_case("YX", "5000", fraud_type="rebate")
    world.revise(retyped, fraud_type="other")
    world.revise(back, fraud_type="investment")
    world.revise(sideways, actor="leader_d", fraud_type="investment")
    [flag] = _flags(world, kind=IntegrityKind.RETYPED)
    assert (flag.unit_name, flag.case_ids) == ("武安派出所", (retyped,))


def test_only_leaders_and_only_their_subtree(world):
    world.revise(world.add_case("YX", "5000", fraud_type="investment"), actor="leader_d", fraud_type="other")
    for name in ("clerk_wa", "command", "admin", "wall"):
        with pytest.raises(AccessDenied):
            _flags(world, name)
    assert _flags(world, "leader_wa") == []
    assert len(_flags(world, "leader_d")) == 1
    with pytest.raises(AccessDenied):
        _flags(world, "leader_wa", unit_id=world.units["YX"])


THRESHOLDS = (10_000_000, 50_000_000, 100_000_000)  # the seeded rules: 10, 50 and 100 万元


def _random_cases(world, rng: random.Random, count: int) -> list[tuple[int, int, int, datetime]]:
    """Cases near the thresholds, a few of them right at the window's ends; (id, unit, loss, reported_at)."""
    start = NOW - timedelta(days=WINDOW_DAYS)
    moments = [start - timedelta(microseconds=1), start, NOW, NOW + timedelta(microseconds=1)]
    rows = []
    for n in range(count):
        unit = rng.choice(["WA", "YX", "D", "C"])
        threshold = rng.choice(THRESHOLDS)
        skewed = unit == "WA" and threshold == THRESHOLDS[0]  # WA crowds under 10 万
        low, high = (bands(threshold)[0], threshold) if skewed and rng.random() < 0.9 else (
            threshold * 85 // 100, threshold * 115 // 100)
        loss = rng.choice([low, high - 1, threshold, threshold - 1, rng.randrange(low, high)])
        reported = rng.choice(moments) if rng.random() < 0.1 else NOW - timedelta(seconds=rng.randrange(400 * 86_400))
        rows.append((world.units[unit], loss, reported))
    with write_session(world.engine) as session:
        cases = [FraudCase(case_no=f"X-{next(_serial)}", unit_id=u, reported_at=at, fraud_type="rebate", loss_fen=loss,
                           created_at=NOW, updated_at=NOW) for u, loss, at in rows]
        session.add_all(cases)
        session.flush()
        return [(c.id, c.unit_id, c.loss_fen, c.reported_at) for c in cases]


def _expected_bunching(cases, units: set[int]) -> list[tuple]:
    start = NOW - timedelta(days=WINDOW_DAYS)
    window = [(i, u, loss) for i, u, loss, at in cases if start <= at <= NOW]
    expected = []
    for threshold in THRESHOLDS:
        low, _, high = bands(threshold)
        below = {u: sorted(i for i, unit, loss in window if unit == u and low <= loss < threshold) for u in units}
        above = {u: sum(1 for _, unit, loss in window if unit == u and threshold <= loss < high) for u in units}
        for unit in sorted(u for u in units if below[u]):
            k, n = len(below[unit]), len(below[unit]) + above[unit]
            share = expected_share_below(sum(map(len, below.values())) - k, sum(above.values()) - above[unit])
            p = binomial_upper_tail(k, n, share)
            if n >= MIN_CASES and p < ALPHA:
                expected.append((unit, threshold, tuple(below[unit]), p))
    return expected


@pytest.mark.parametrize("seed", [3, 41])
def test_bunching_matches_a_per_case_computation(world, seed):
    cases = _random_cases(world, random.Random(seed), 700)
    flags = _flags(world, "leader_c", kind=IntegrityKind.BUNCHING)
    expected = _expected_bunching(cases, set(world.units.values()))
    assert [(f.unit_id, f.threshold_fen, f.case_ids, f.p_value) for f in flags] == expected
    assert any(unit == world.units["WA"] for unit, *_ in expected)
    # A district leader is flagged on the same reference (every unit's cases), for the units of the district only.
    district = {world.units[code] for code in ("D", "WA", "YX")}
    assert [(f.unit_id, f.threshold_fen, f.case_ids) for f in _flags(world, "leader_d", kind=IntegrityKind.BUNCHING)] \
        == [(u, t, ids) for u, t, ids, _ in expected if u in district]


def test_downward_revisions_use_the_thresholds_of_the_report_date(world):
    with write_session(world.engine) as session:  # 10 万 becomes 20 万 for cases reported from 1 June
        add_rule_version(session, world.actors["admin"], RuleDraft(
            level=AccountabilityLevel.L10W, threshold_fen=20_000_000, required_action="书面说明", responsible="所长",
            deadline_days=3, effective_from=date(2026, 6, 1), reason="调整起点门槛"), now=datetime(2026, 5, 1, tzinfo=UTC))
    may, july = datetime(2026, 5, 10, 2, tzinfo=UTC), datetime(2026, 7, 1, 2, tzinfo=UTC)
    first_of_june = datetime(2026, 5, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 June in Beijing
    under_old = world.add_case("WA", "120000", reported_at=may)
    not_under_new = world.add_case("WA", "120000", reported_at=july)
    under_new = world.add_case("WA", "210000", reported_at=july)
    not_under_old = world.add_case("YX", "210000", reported_at=may)
    on_the_day = world.add_case("YX", "210000", reported_at=first_of_june)
    for case_id in (under_old, not_under_new):
        world.revise(case_id, loss_yuan="90000")
    for case_id in (under_new, not_under_old, on_the_day):
        world.revise(case_id, loss_yuan="190000")
    flags = _flags(world, kind=IntegrityKind.DOWNWARD)
    assert [(f.unit_id, f.case_ids) for f in flags] == [
        (world.units["WA"], tuple(sorted((under_old, under_new)))), (world.units["YX"], (on_the_day,))]
