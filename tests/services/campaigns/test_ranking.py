"""The monthly ranking: each indicator against an independent recomputation on constructed data (Beijing months over
UTC timestamps, whatever the server's zone), the scoring, the weights and the dated 通报."""

import io
import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from campaign_world import build_world
from docx import Document
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AccountabilityItem, AuditLog, CampaignReport, FraudCase, Unit
from services.access.actor import AccessDenied
from services.campaigns import ranking
from services.campaigns.entries import complete_task
from services.campaigns.progress import progress
from services.shared.errors import InvalidInput
from vocabulary import Light

NOW = datetime(2026, 12, 10, 2, tzinfo=UTC)  # 10:00 Beijing, 10 December: November has ended
NOVEMBER = date(2026, 11, 1)
BEIJING = ZoneInfo("Asia/Shanghai")
POPULATION = {"WA": 20_000, "YX": 50_000}
# (unit, reported at UTC, loss fen, recovered fen): boundaries of the Beijing month on both sides
CASES = (
    ("WA", datetime(2026, 10, 31, 16, 30, tzinfo=UTC), 15_000_000, 2_000_000),  # 1 Nov 00:30 Beijing: November
    ("WA", datetime(2026, 11, 30, 15, 59, tzinfo=UTC), 250_000, 0),  # 30 Nov 23:59 Beijing: November
    ("WA", datetime(2026, 11, 30, 16, 0, tzinfo=UTC), 99_999_900, 0),  # 1 Dec 00:00 Beijing: December
    ("WA", datetime(2026, 10, 31, 15, 59, tzinfo=UTC), 88_888_800, 0),  # 31 Oct 23:59 Beijing: October
    ("YX", datetime(2026, 11, 15, 4, 0, tzinfo=UTC), 1_000_000, 500_000),
    *[("WA", datetime(2025, 11, d, 4, 0, tzinfo=UTC), 10_000, 0) for d in (1, 2, 3, 4)],  # November last year
    ("WA", datetime(2025, 10, 31, 16, 1, tzinfo=UTC), 10_000, 0),  # 1 Nov 2025 Beijing: last year's November too
)


@pytest.fixture
def world(engine):
    world = build_world(engine)
    with write_session(engine) as session:
        for code, people in POPULATION.items():
            session.get(Unit, world.units[code]).population = people
        for n, (code, at, loss, recovered) in enumerate(CASES):
            session.add(FraudCase(case_no=f"R{n:04d}", unit_id=world.units[code], reported_at=at,
                                  fraud_type="rebate", loss_fen=loss, recovered_fen=recovered, created_at=at,
                                  updated_at=at))
    return world


def _rank(world, who="leader_d", month=NOVEMBER, now=NOW):
    with read_session(world.engine) as session:
        return ranking.ranking(session, world.actors[who], world.campaign_id, month, now)


def _recount(code: str, year: int, month: int) -> list[tuple]:
    """The independent recomputation: the constructed cases whose Beijing-time month is (year, month)."""
    return [c for c in CASES if c[0] == code and (c[1].astimezone(BEIJING).year, c[1].astimezone(BEIJING).month)
            == (year, month)]


@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Asia/Shanghai"])
def test_case_indicators_follow_beijing_months_whatever_the_servers_zone(world, monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        rows = {r.unit_name: r for r in _rank(world).rows}
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert set(rows) == {"武安派出所", "岩溪派出所"}  # the campaign's police units below 长泰区公安分局
    for code, name in (("WA", "武安派出所"), ("YX", "岩溪派出所")):
        now, before = _recount(code, 2026, 11), _recount(code, 2025, 11)
        row = rows[name]
        assert (row.cases, row.cases_last_year) == (len(now), len(before))
        assert row.rate == pytest.approx(len(now) / POPULATION[code] * 10_000)
        assert row.loss_fen == sum(c[2] for c in now) and row.recovered_fen == sum(c[3] for c in now)
        assert row.change == (pytest.approx((len(now) - len(before)) / len(before) * 100) if before else None)
    # the known answers of the construction
    assert (rows["武安派出所"].cases, rows["武安派出所"].cases_last_year, rows["武安派出所"].rate) == (2, 5, 1.0)
    assert rows["武安派出所"].change == pytest.approx(-60.0) and rows["岩溪派出所"].change is None
    assert (rows["武安派出所"].loss_fen, rows["武安派出所"].recovered_fen) == (15_250_000, 2_000_000)


def test_targets_met_is_the_share_of_green_targets_at_the_months_end(world):
    def green_share(code: str) -> float:
        with read_session(world.engine) as session:
            standing = progress(session, world.actors["leader_d"], world.campaign_id, date(2026, 11, 30))
        cells = [c for (u, _), c in standing.cells.items() if u == world.units[code]]
        return sum(c.light is Light.GREEN for c in cells) / len(cells) * 100

    before = {r.unit_name: r.targets_met for r in _rank(world).rows}
    assert before["武安派出所"] == pytest.approx(green_share("WA"))
    with write_session(world.engine) as session:
        complete_task(session, world.actors["clerk_wa"], world.campaign_id, world.targets["finance"],
                      world.units["WA"], date(2026, 11, 5), "签到表与告知书已存档")
    after = {r.unit_name: r.targets_met for r in _rank(world).rows}
    assert after["武安派出所"] == pytest.approx(before["武安派出所"] + 100 / len(world.targets))  # one more of 7 green
    assert after["岩溪派出所"] == before["岩溪派出所"]


def _item(session, world, code: str, key: str, due: date, raised: datetime, closed: datetime | None = None):
    session.add(AccountabilityItem(unit_id=world.units[code], campaign_id=world.campaign_id, trigger_key=key,
                                   reason="test", level="warn", required_action="说明", responsible="所长",
                                   due_date=due, raised_at=raised, status="closed" if closed else "pending",
                                   closed_at=closed))


def test_overdue_items_are_those_open_at_the_months_end_past_their_due_date(world):
    raised = datetime(2026, 11, 1, 2, tzinfo=UTC)
    with write_session(world.engine) as session:
        _item(session, world, "WA", "a", date(2026, 11, 10), raised)  # open, overdue: counts
        _item(session, world, "WA", "b", date(2026, 11, 10), raised, datetime(2026, 11, 20, 2, tzinfo=UTC))  # closed
        _item(session, world, "WA", "c", date(2026, 11, 10), raised, datetime(2026, 12, 5, 2, tzinfo=UTC))  # later
        _item(session, world, "WA", "d", date(2026, 12, 3), raised)  # not yet due at the month's end
        _item(session, world, "WA", "e", date(2026, 11, 10), datetime(2026, 12, 1, 2, tzinfo=UTC))  # raised later
        _item(session, world, "YX", "f", date(2026, 11, 29), raised, datetime(2026, 11, 30, 16, 0, tzinfo=UTC))
    rows = {r.unit_name: r.overdue for r in _rank(world).rows}
    # a & c for 武安; f closed at 00:00 on 1 December Beijing time, so it was still open at the end of November
    assert rows == {"武安派出所": 2, "岩溪派出所": 1}


def test_late_reports_count_the_months_periods_reported_late_or_not_at_all(world):
    def report(code: str, number: int, due: date, at: datetime) -> None:
        session.add(CampaignReport(campaign_id=world.campaign_id, unit_id=world.units[code], period_number=number,
                                   due_date=due, submitted_at=at, snapshot="{}"))

    with write_session(world.engine) as session:
        report("WA", 7, date(2026, 11, 10), datetime(2026, 11, 10, 15, 59, tzinfo=UTC))  # 23:59 Beijing: on time
        report("WA", 8, date(2026, 11, 25), datetime(2026, 11, 25, 16, 1, tzinfo=UTC))  # 00:01 on the 26th: late
        report("YX", 6, date(2026, 10, 25), datetime(2026, 10, 30, 2, tzinfo=UTC))  # October's: not counted
    rows = {r.unit_name: r.late for r in _rank(world).rows}
    assert rows == {"武安派出所": 1, "岩溪派出所": 2}  # 岩溪 sent neither of November's two reports


def test_scores_are_weighted_means_of_min_max_scores_and_ranks_are_shared():
    rows = {1: {"rate": 1.0, "change": None, "loss": 100.0, "recovered": 0.0, "targets": 50.0, "overdue": 0.0,
                "late": 0.0},
            2: {"rate": 3.0, "change": 10.0, "loss": 300.0, "recovered": 30.0, "targets": 100.0, "overdue": 2.0,
                "late": 1.0},
            3: {"rate": 2.0, "change": -10.0, "loss": 200.0, "recovered": 15.0, "targets": 75.0, "overdue": 1.0,
                "late": 0.0}}
    only_rate = {**{k: 0 for k in ranking.DEFAULT_WEIGHTS}, "rate": 1}
    assert ranking.score(rows, only_rate) == {1: 100.0, 2: 0.0, 3: 50.0}
    half = {**only_rate, "targets": 1}  # unit 1: (100 + 0) / 2; unit 2: (0 + 100) / 2; unit 3: (50 + 50) / 2
    assert ranking.score(rows, half) == {1: 50.0, 2: 50.0, 3: 50.0}
    change = {**{k: 0 for k in ranking.DEFAULT_WEIGHTS}, "change": 3, "late": 1}
    # unit 1 has no change: only 'late' counts for it (100); unit 2: (0*3 + 0*1)/4; unit 3: (100*3 + 100)/4
    assert ranking.score(rows, change) == {1: 100.0, 2: 0.0, 3: 100.0}
    assert ranking._ranks([90.0, 80.0, 80.0, 70.0]) == [1, 2, 2, 4]


def test_weights_are_stored_per_campaign_checked_and_audited(world):
    with read_session(world.engine) as session:
        assert ranking.weights(session, world.campaign_id) == ranking.DEFAULT_WEIGHTS
    assert sum(ranking.DEFAULT_WEIGHTS.values()) == 100
    with write_session(world.engine) as session:
        with pytest.raises(InvalidInput) as refused:
            ranking.set_weights(session, world.actors["leader_d"], world.campaign_id, {k: 0 for k in ranking.INDICATORS})
        assert "form" in refused.value.errors
        with pytest.raises(InvalidInput) as refused:
            ranking.set_weights(session, world.actors["leader_d"], world.campaign_id, {"rate": 101, "loss": -1})
        assert set(refused.value.errors) == {"rate", "loss"}
        with pytest.raises(AccessDenied):
            ranking.set_weights(session, world.actors["command"], world.campaign_id, {"rate": 1})
    with write_session(world.engine) as session:
        ranking.set_weights(session, world.actors["leader_c"], world.campaign_id, {"rate": 0, "late": 100})
    rows = _rank(world).rows  # only 迟报漏报 weighs now: both units missed November's two reports, so they tie
    assert [(r.score, r.rank, r.late) for r in rows] == [(100.0, 1, 2), (100.0, 1, 2)]
    with read_session(world.engine) as session:
        stored = ranking.weights(session, world.campaign_id)
        audited = session.execute(select(AuditLog.detail).where(AuditLog.object_type == "ranking_weights")).scalars()
        assert stored["late"] == 100 and stored["rate"] == 0 and stored["loss"] == 0 and len(list(audited)) == 1


def test_months_outside_the_campaign_are_refused_and_the_default_is_the_last_ended_month(world):
    with pytest.raises(InvalidInput):
        _rank(world, month=date(2026, 7, 1))
    with pytest.raises(InvalidInput):
        _rank(world, month=date(2027, 1, 1), now=datetime(2027, 1, 5, tzinfo=UTC))
    with read_session(world.engine) as session:
        months = ranking.month_choices(session, world.actors["leader_d"], world.campaign_id, date(2026, 12, 10))
    assert months == [date(2026, 12, 1), date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1)]
    assert ranking.default_month(months, date(2026, 12, 10)) == NOVEMBER
    assert ranking.default_month([date(2026, 8, 1)], date(2026, 8, 20)) == date(2026, 8, 1)


def test_the_tongbao_is_dated_names_the_best_and_the_worst_and_is_audited(world):
    with write_session(world.engine) as session:
        name, data = ranking.ranking_file(session, world.actors["leader_d"], world.campaign_id, NOVEMBER, NOW)
    assert name == "长泰区公安分局_2026年11月反诈宣传工作情况通报.docx"
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    assert texts[0] == "关于11月份全区（县）反诈宣传工作情况的通报"
    assert texts[-2:] == ["长泰区公安分局", "2026年12月10日"]
    rows = _rank(world).rows
    assert any(t.startswith(f"综合得分排名前1位的{rows[0].unit_name}") for t in texts)
    assert any(t.startswith(f"综合得分排名后1位的{rows[1].unit_name}") for t in texts)
    assert any("共发案3起，同比下降40.0%（去年同月5起）" in t for t in texts)
    table = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert table[0][:2] == ["名次", "单位"] and [r[1] for r in table[1:]] == [r.unit_name for r in rows]
    wa = next(r for r in table[1:] if r[1] == "武安派出所")
    assert wa[2:6] == ["1.00", "-60.0", "15.25", "2.00"]  # 15,250,000 fen = 15.25万元
    with read_session(world.engine) as session:
        assert session.execute(select(AuditLog.detail).where(AuditLog.object_type == "campaign_ranking")).scalar() \
            == "生成2026年11月月度排名通报（2个单位，DOCX）"
    with write_session(world.engine) as session, pytest.raises(AccessDenied):
        ranking.ranking_file(session, world.actors["clerk_wa"], world.campaign_id, NOVEMBER, NOW)


def test_ranked_units_are_the_campaigns_police_units_below_the_actor(world):
    # 长泰区公安分局 owns the campaign; the city ranks the units below it that take part (no bureau takes part here)
    assert {r.unit_name for r in _rank(world, "leader_c").rows} == {"武安派出所", "岩溪派出所"}
    assert [r.unit_name for r in _rank(world, "clerk_wa").rows] == ["武安派出所"]
