"""Integrity monitor: the exact binomial test, bunching under thresholds, downward revisions, retyped cases."""

import itertools
from datetime import timedelta
from fractions import Fraction
from math import comb

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.engine import read_session, write_session
from db.models import FraudCase
from services.actor import AccessDenied
from services.integrity import binomial_upper_tail, expected_share_below, integrity_flags
from services.labels import IntegrityKind
from accountability_world import NOW, build_world


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
