"""Outcome targets on 破案/抓获/冻结/返还 (should rise): progress cells, reports, admin wording, against plain Python."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from campaign_world import TODAY, build_world

from db.engine import read_session, write_session
from db.models import FraudCase, Identifier, RecoveryRequest, StrikeResult
from services.access.actor import AccessDenied
from services.campaigns import documents
from services.campaigns.progress import progress, same_days_last_year
from services.campaigns.report_model import TargetRow
from services.campaigns.reports import target_rows
from services.campaigns.setup import TargetDraft, add_target, goal_text, target_problem
from services.shared.errors import InvalidInput
from services.shared.money import wan_figure
from services.strike.shared_measures import strike_figures
from vocabulary import Light, OutcomeMeasure, RecoveryStatus

START = date(2026, 8, 1)  # the campaign runs 2026-08-01..12-31; today is 11-20, so it compares 08-01..11-20
GOALS = {"solved": 50, "arrested": 10, "frozen": 20, "returned": 150}
UOM = {"solved": "起", "arrested": "人", "frozen": "万元", "returned": "万元"}


def bj(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    """A Beijing wall-clock time as a UTC instant (the server zone is UTC)."""
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC) - timedelta(hours=8)


# Rows at the Beijing edges of both windows (this year 08-01..11-20, last year 2025-08-01..2025-11-20).
SOLVED = [("WA", date(2026, 8, 1)), ("WA", date(2026, 11, 20)), ("WA", date(2026, 7, 31)), ("WA", date(2026, 11, 21)),
          ("WAX", date(2026, 10, 1)),
          ("WA", date(2025, 8, 1)), ("WA", date(2025, 11, 20)), ("WA", date(2025, 11, 21)),
          ("YX", date(2026, 9, 1)), ("YX", date(2025, 9, 1)), ("YX", date(2025, 9, 2)), ("YX", date(2025, 10, 2)),
          ("D2", date(2026, 9, 1))]
STRIKES = [("WA", date(2026, 8, 1), 4), ("WA", date(2026, 11, 20), 7), ("WA", date(2026, 7, 31), 90),
           ("WA", date(2026, 11, 21), 90), ("WA", date(2025, 8, 1), 5), ("WA", date(2025, 11, 20), 5),
           ("WA", date(2025, 7, 31), 90), ("YX", date(2026, 10, 10), 31), ("YX", date(2025, 10, 10), 30),
           ("D2", date(2026, 10, 10), 50)]
# (unit, requested at (Beijing), frozen, returned)
LEDGER = [("WA", (2026, 8, 1, 0, 0, 0), 1_000_000, 900_000), ("WA", (2026, 11, 20, 23, 59, 59), 200_000, 100_000),
          ("WA", (2026, 7, 31, 23, 59, 59), 7_000_000, 7_000_000), ("WA", (2026, 11, 21, 0, 0, 0), 7_000_000, 0),
          ("WAX", (2026, 9, 3, 12, 0, 0), 300_000, 0),
          ("WA", (2025, 8, 1, 0, 0, 0), 1_000_000, 400_000), ("WA", (2025, 11, 21, 0, 0, 0), 9_000_000, 9_000_000),
          ("YX", (2026, 9, 1, 9, 0, 0), 50_000, 0), ("YX", (2025, 9, 1, 9, 0, 0), 100_000, 100_000),
          ("D2", (2026, 9, 1, 9, 0, 0), 5_000_000, 5_000_000)]


@pytest.fixture
def world(engine):
    world = build_world(engine)
    with write_session(engine) as session:
        world.strike_targets = {m: add_target(session, world.actors["leader_d"], world.campaign_id, TargetDraft(
            f"{OutcomeMeasure(m).label}同比上升", "outcome", goal, "%", measure=m)) for m, goal in GOALS.items()}
        now = bj(2026, 11, 20, 10)
        for n, (code, day) in enumerate(SOLVED):
            session.add(FraudCase(case_no=f"S{n:04d}", unit_id=world.units[code], reported_at=bj(2024, 1, 1),
                                  fraud_type="rebate", loss_fen=0, solved_on=day, created_at=now, updated_at=now))
        for n, (code, day, caught) in enumerate(STRIKES):
            session.add(StrikeResult(idempotency_key=f"s{n}", unit_id=world.units[code], result_date=day,
                                     caught=caught, created_at=now))
        account = Identifier(kind="bank_account", value_norm="6222021234567890128", first_seen_at=now)
        case = FraudCase(case_no="L0", unit_id=world.units["WA"], reported_at=bj(2024, 1, 1), fraud_type="rebate",
                         created_at=now, updated_at=now)
        session.add_all([account, case])
        session.flush()
        for n, (code, at, frozen, returned) in enumerate(LEDGER):
            moment = bj(*at)
            session.add(RecoveryRequest(
                idempotency_key=f"r{n}", case_id=case.id, unit_id=world.units[code], identifier_id=account.id,
                reported_at=moment, requested_at=moment, frozen_at=moment, requested_fen=frozen, frozen_fen=frozen,
                returned_fen=returned, status=RecoveryStatus.FROZEN.value, created_at=now, updated_at=now))
    return world


def _subtree(code: str) -> set[str]:
    return {"WA": {"WA", "WAX"}, "YX": {"YX"}}[code]


def expected(code: str, measure: str, first: date, last: date) -> int:
    """A unit's subtree figure over Beijing days first..last, in plain Python over the rows above."""
    units = _subtree(code)
    if measure == "solved":
        return sum(1 for unit, day in SOLVED if unit in units and first <= day <= last)
    if measure == "arrested":
        return sum(c for unit, day, c in STRIKES if unit in units and first <= day <= last)
    column = 2 if measure == "frozen" else 3
    return sum(row[column] for row in LEDGER if row[0] in units and first <= date(*row[1][:3]) <= last)


def _light(measure: str, now: int, before: int) -> Light:
    if before == 0:
        return Light.GREY
    change = (now - before) / before * 100
    return Light.GREEN if change >= GOALS[measure] else Light.AMBER if change > 0 else Light.RED


@pytest.mark.parametrize("code", ["WA", "YX"])
def test_strike_outcome_cells_against_plain_python(world, code):
    with read_session(world.engine) as session:
        standing = progress(session, world.actors["leader_d"], world.campaign_id, TODAY)
    for measure, target_id in world.strike_targets.items():
        now = expected(code, measure, START, TODAY)
        before = expected(code, measure, date(2025, 8, 1), date(2025, 11, 20))
        cell = standing.cells[(world.units[code], target_id)]
        scale = 1_000_000 if measure in ("frozen", "returned") else 1
        assert (cell.value, cell.previous) == (pytest.approx(now / scale), pytest.approx(before / scale)), measure
        assert cell.light is _light(measure, now, before), (measure, now, before)
        if before:
            assert cell.change_pct == pytest.approx((now - before) / before * 100)
            assert f"目标升{GOALS[measure]}%" in cell.text


def test_the_known_answers_exercise_every_light(world):
    """WA (with its partner school): 破案 3 vs 2 (+50%, goal 50: met at the edge), 抓获 11 vs 10 (+10%, goal 10: met
    at the edge), 冻结 150万 vs 100万 (+50%), 返还 100万 vs 40万 (+150%, goal 150: met at the edge); YX: 破案 1 vs 3
    (down: red), 抓获 31 vs 30 (up but short: amber), 冻结 5万 vs 10万 (red), 返还 0 vs 10万 (red)."""
    assert [expected("WA", m, START, TODAY) for m in GOALS] == [3, 11, 1_500_000, 1_000_000]
    assert [expected("WA", m, date(2025, 8, 1), date(2025, 11, 20)) for m in GOALS] == [2, 10, 1_000_000, 400_000]
    with read_session(world.engine) as session:
        standing = progress(session, world.actors["leader_d"], world.campaign_id, TODAY)
    wa = [standing.cells[(world.units["WA"], world.strike_targets[m])].light for m in GOALS]
    yx = [standing.cells[(world.units["YX"], world.strike_targets[m])].light for m in GOALS]
    assert wa == [Light.GREEN] * 4
    assert yx == [Light.RED, Light.AMBER, Light.RED, Light.RED]


def test_the_cells_use_the_strike_page_definitions(world):
    """破案/抓获/冻结/返还 of each unit equal services.strike's figures for the same days (this year and last)."""
    window = same_days_last_year(START, TODAY)
    with read_session(world.engine) as session:
        actor = world.actors["leader_d"]
        standing = progress(session, actor, world.campaign_id, TODAY)
        for code in ("WA", "YX"):
            now = strike_figures(session, actor, world.units[code], window.current)
            before = strike_figures(session, actor, world.units[code], window.previous)
            got = {m: standing.cells[(world.units[code], world.strike_targets[m])] for m in GOALS}
            assert (got["solved"].value, got["solved"].previous) == (now.solved, before.solved)
            assert (got["arrested"].value, got["arrested"].previous) == (now.caught, before.caught)
            assert got["frozen"].value == pytest.approx(now.frozen_fen / 1_000_000)
            assert got["returned"].previous == pytest.approx(before.returned_fen / 1_000_000)


def test_down_measures_keep_their_meaning(world):
    """An existing 发案数 target (goal 35) is still met only at a drop of 35% or more; its rows are unchanged."""
    for day in (date(2025, 9, 1), date(2025, 9, 2)):
        world.case("WA", bj(day.year, day.month, day.day, 12))
    world.case("WA", bj(2026, 9, 1, 12))
    with read_session(world.engine) as session:
        standing = progress(session, world.actors["leader_d"], world.campaign_id, TODAY)
    cell = standing.cells[(world.units["WA"], world.targets["incidents"])]
    assert (cell.value, cell.previous, cell.light) == (1, 2, Light.GREEN) and "目标降35%" in cell.text
    row = next(r for r in target_rows(standing, world.units["WA"]) if r.description == "发案数同比下降")
    assert (row.unit, row.status, row.good_when_up) == ("起", "达标", False)


def test_report_rows_and_documents_of_rising_targets(world):
    with read_session(world.engine) as session:
        standing = progress(session, world.actors["leader_d"], world.campaign_id, TODAY)
    rows = {r.description: r for r in target_rows(standing, world.units["WA"])}
    for measure in GOALS:
        row = rows[f"{OutcomeMeasure(measure).label}同比上升"]
        now, before = expected("WA", measure, START, TODAY), expected("WA", measure, date(2025, 8, 1),
                                                                       date(2025, 11, 20))
        money = measure in ("frozen", "returned")
        assert row.unit == UOM[measure] and row.good_when_up and row.outcome
        assert row.value == (wan_figure(now) if money else now)
        assert row.previous == (wan_figure(before) if money else before)
        assert row.status == ("达标" if (now - before) / before * 100 >= GOALS[measure] else "未达标")
        cells = documents._outcome_cells(row)
        assert cells[4] == f"上升≥{GOALS[measure]:.1f}%" and cells[3].startswith("上升")
    yx = {r.description: r for r in target_rows(standing, world.units["YX"])}
    assert yx["破案数同比上升"].status == "未达标"  # 1 against 3: down, never met


def test_an_old_snapshot_row_reads_as_a_drop():
    """A TargetRow saved before good_when_up existed loads with it False (all old outcome targets were drops)."""
    from services.campaigns import report_model

    raw = {"description": "警情数同比下降", "value": "112", "goal": "35.0", "unit": "起", "status": "未达标",
           "needed_per_week": None, "light": "red", "outcome": True, "previous": "128", "change_pct": "-12.5"}
    row = report_model._decode(TargetRow, json.loads(json.dumps(raw)))
    assert row.good_when_up is False and documents._outcome_cells(row)[4] == "下降≥35.0%"


def test_admin_wording_and_checks_follow_the_direction(world):
    with read_session(world.engine) as session:
        from db.models import CampaignTarget

        saved = {m: goal_text(session.get(CampaignTarget, tid)) for m, tid in world.strike_targets.items()}
    assert saved == {"solved": "破案数同比上升≥50%", "arrested": "抓获数同比上升≥10%", "frozen": "冻结金额同比上升≥20%",
                     "returned": "返还金额同比上升≥150%"}
    police = {world.units["WA"]}
    end = date(2026, 12, 31)
    assert target_problem(TargetDraft("破案数翻番", "outcome", 150, "%", measure="solved"), START, end, police) is None
    assert target_problem(TargetDraft("发案数", "outcome", 150, "%", measure="incidents"), START, end, police)
    assert target_problem(TargetDraft("抓获", "outcome", 1500, "%", measure="arrested"), START, end, police)
    assert target_problem(TargetDraft("抓获", "outcome", 0, "%", measure="arrested"), START, end, police)
    assert target_problem(TargetDraft("未知", "outcome", 10, "%", measure="stopped"), START, end, police)
    with write_session(world.engine) as session, pytest.raises(InvalidInput):
        add_target(session, world.actors["leader_d"], world.campaign_id,
                   TargetDraft("发案数", "outcome", 101, "%", measure="incidents"))


def test_scope_a_station_sees_only_its_own_cells(world):
    with read_session(world.engine) as session:
        wa = progress(session, world.actors["clerk_wa"], world.campaign_id, TODAY)
        with pytest.raises(AccessDenied):
            strike_figures(session, world.actors["clerk_wa"], world.units["YX"], same_days_last_year(START, TODAY).current)
    assert {unit for unit, _ in wa.cells} == {world.units["WA"]}
    cell = wa.cells[(world.units["WA"], world.strike_targets["arrested"])]
    assert (cell.value, cell.previous) == (expected("WA", "arrested", START, TODAY),
                                           expected("WA", "arrested", date(2025, 8, 1), date(2025, 11, 20)))
