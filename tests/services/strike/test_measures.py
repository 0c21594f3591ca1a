"""两升两降, the ledger's measures and 挽损 totals against a plain-Python recount of constructed rows (Beijing days)."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from statistics import median
from zoneinfo import ZoneInfo

import pytest

from db.engine import write_session
from db.models import FraudCase, Identifier, Interception, RecoveryRequest, StrikeResult
from services.shared.timeutil import reporting_span
from services.strike import api
from services.strike.cells import change_text, two_up_rows
from vocabulary import InterceptionOutcome, RecoveryStatus

BJ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 30)
SPAN = reporting_span("custom", TODAY, date(2026, 11, 1), date(2026, 11, 30))


def bj(*parts) -> datetime:
    return datetime(*parts, tzinfo=BJ).astimezone(UTC)


# (unit, reported Beijing, loss fen, solved_on) — the edges: 00:10 on the 1st (still 31 Oct in UTC), 23:50 on the
# 30th (1 Dec 15:50 UTC is outside, 23:59 on 30 Nov is 15:59 UTC inside), last year's same days, a case reported
# before the period but solved inside it.
CASES = [
    ("WA", bj(2026, 11, 1, 0, 10), 1_000_000, date(2026, 11, 20)),
    ("WA", bj(2026, 11, 30, 23, 50), 250_00, None),
    ("WA", bj(2026, 12, 1, 0, 5), 999_00, date(2026, 12, 1)),  # after the period
    ("WA", bj(2026, 10, 31, 23, 59), 5_000_00, date(2026, 11, 2)),  # reported before, solved inside
    ("YX", bj(2026, 11, 15, 12, 0), 30_000_00, None),
    ("XC", bj(2026, 11, 3, 9, 0), 7_777_77, date(2026, 11, 4)),
    ("WA", bj(2025, 11, 1, 0, 0), 2_000_000, date(2025, 11, 30)),
    ("WA", bj(2025, 11, 30, 23, 59), 1_00, None),
    ("YX", bj(2025, 10, 31, 23, 59), 9_00, date(2025, 11, 1)),
    ("YX", bj(2025, 11, 10, 8, 0), 4_000_00, date(2025, 12, 1)),  # solved after last year's span
    ("D", bj(2026, 11, 5, 10, 0), 1_00, date(2026, 11, 6)),  # on the 分局 itself: in its first row, no station's
]
STRIKES = [("WA", date(2026, 11, 1), 3), ("WA", date(2026, 11, 30), 2), ("YX", date(2026, 12, 1), 9),
           ("XC", date(2026, 11, 5), 4), ("WA", date(2025, 11, 15), 1), ("YX", date(2025, 11, 30), 6),
           ("D", date(2026, 11, 6), 7)]
# (unit, reported, requested at, stopped after minutes or None, requested, frozen, returned, bank, type)
LEDGER = [
    ("WA", bj(2026, 11, 1, 0, 5), bj(2026, 11, 1, 0, 20), 30, 1_000_000, 800_000, 500_000, "工商银行", "rebate"),
    ("WA", bj(2026, 11, 10, 9, 0), bj(2026, 11, 10, 9, 5), 61, 300_000, 300_000, 0, "建设银行", "investment"),
    ("YX", bj(2026, 11, 12, 9, 0), bj(2026, 11, 12, 9, 1), 60, 50_000, 0, 0, "工商银行", None),
    ("XC", bj(2026, 11, 20, 9, 0), bj(2026, 11, 20, 9, 30), None, 70_000, 0, 0, "农业银行", "rebate"),
    ("WA", bj(2026, 10, 31, 23, 0), bj(2026, 10, 31, 23, 59), 5, 10_000, 10_000, 10_000, "工商银行", "rebate"),
]
INTERCEPTIONS = [
    ("WA", bj(2026, 11, 2, 10, 0), "工行武安支行", 200_000_00, "fake_authority", InterceptionOutcome.STOPPED),
    ("WA", bj(2026, 11, 3, 10, 0), "工行武安支行", 50_000_00, "rebate", InterceptionOutcome.FAILED),
    ("YX", bj(2026, 11, 4, 10, 0), "农行岩溪分理处", 10_000_00, None, None),
    ("XC", bj(2026, 12, 1, 0, 0), "建行西桥支行", 1_00, "rebate", InterceptionOutcome.STOPPED),
]


@pytest.fixture
def data(world):
    engine, actors, ids = world
    now = datetime(2026, 11, 30, tzinfo=UTC)
    with write_session(engine) as session:
        for n, (unit, reported, loss, solved) in enumerate(CASES):
            session.add(FraudCase(case_no=f"K{n}", unit_id=ids[unit], reported_at=reported, fraud_type="rebate",
                                  loss_fen=loss, solved_on=solved, solved_how="local" if solved else None,
                                  created_at=now, updated_at=now))
        for n, (unit, day, caught) in enumerate(STRIKES):
            session.add(StrikeResult(idempotency_key=f"s{n}", unit_id=ids[unit], result_date=day, caught=caught,
                                     created_at=now))
        account = Identifier(kind="bank_account", value_norm="6222021234567890128", first_seen_at=now)
        session.add(account)
        session.flush()
        case = FraudCase(case_no="L0", unit_id=ids["WA"], reported_at=bj(2024, 1, 1), fraud_type="rebate",
                         created_at=now, updated_at=now)
        session.add(case)
        session.flush()
        for n, (unit, reported, requested, minutes, req, frozen, returned, bank, kind) in enumerate(LEDGER):
            stopped = reported + timedelta(minutes=minutes) if minutes is not None else None
            session.add(RecoveryRequest(
                idempotency_key=f"r{n}", case_id=case.id, unit_id=ids[unit], identifier_id=account.id, bank_name=bank,
                fraud_type=kind, reported_at=reported, requested_at=requested, stopped_at=stopped,
                frozen_at=stopped if frozen else None, requested_fen=req, stopped_fen=req if stopped else 0,
                frozen_fen=frozen, returned_fen=returned, status=RecoveryStatus.FROZEN.value, created_at=now,
                updated_at=now))
        for unit, at, branch, amount, kind, outcome in INTERCEPTIONS:
            session.add(Interception(unit_id=ids[unit], intercepted_at=at, branch_name=branch, amount_fen=amount,
                                     fraud_type=kind, outcome=outcome.value if outcome else None, created_at=now))
    return engine, actors, ids


def _within(moment: datetime, first: date, last: date) -> bool:
    return first <= moment.astimezone(BJ).date() <= last


def _recount(units: set[str], first: date, last: date) -> dict[str, int]:
    cases = [c for c in CASES if c[0] in units]
    return {
        "solved": sum(1 for c in cases if c[3] is not None and first <= c[3] <= last),
        "caught": sum(s[2] for s in STRIKES if s[0] in units and first <= s[1] <= last),
        "incidents": sum(1 for c in cases if _within(c[1], first, last)),
        "loss_fen": sum(c[2] for c in cases if _within(c[1], first, last)),
    }


def test_two_up_two_down_matches_a_recount(data):
    engine, actors, ids = data
    rows = api.two_up_two_down(engine, actors["leader"], ids["D"], SPAN)
    expected = {"长泰区公安分局": {"WA", "YX", "D"}, "武安派出所": {"WA"}, "岩溪派出所": {"YX"}}
    assert [r.unit_name for r in rows] == list(expected)
    for row in rows:
        now = _recount(expected[row.unit_name], date(2026, 11, 1), date(2026, 11, 30))
        before = _recount(expected[row.unit_name], date(2025, 11, 1), date(2025, 11, 30))
        for measure in now:
            assert (row.changes[measure].current, row.changes[measure].previous) == (now[measure], before[measure])


def test_known_answers_and_their_wording(data):
    engine, actors, ids = data
    wa = api.two_up_two_down(engine, actors["leader"], ids["WA"], SPAN)[0]
    # solved: K0 (20 Nov) and K3 (reported 31 Oct, solved 2 Nov) against K6 (30 Nov 2025): 1 → 2
    assert (wa.changes["solved"].current, wa.changes["solved"].previous) == (2, 1)
    assert change_text("solved", wa.changes["solved"]) == "1起→2起（+1起，上升 100.0%）"
    assert wa.changes["solved"].good is True
    # incidents: K0 (00:10 on the 1st) and K1 (23:50 on the 30th); last year K6 and K7
    assert (wa.changes["incidents"].current, wa.changes["incidents"].previous) == (2, 2)
    assert change_text("incidents", wa.changes["incidents"]) == "2起→2起（持平）"
    assert wa.changes["loss_fen"].current == 1_025_000 and wa.changes["loss_fen"].good is True
    assert (wa.changes["caught"].current, wa.changes["caught"].previous) == (5, 1)
    yx = api.two_up_two_down(engine, actors["leader"], ids["YX"], SPAN)[0]
    assert change_text("caught", yx.changes["caught"]) == "6人→0人（−6人，下降 100.0%）"
    xc = api.two_up_two_down(engine, actors["leader"], ids["XC"], SPAN)[0]
    assert change_text("solved", xc.changes["solved"]) == "0起→1起（去年同期为 0，无法计算比率）"
    assert two_up_rows([xc])[0][0] == "西桥派出所"


def test_recovery_figures_match_a_recount(data):
    engine, actors, ids = data
    figures, saved = api.recovery(engine, actors["leader"], ids["C"], SPAN)
    mine = [r for r in LEDGER if _within(r[2], date(2026, 11, 1), date(2026, 11, 30))]
    minutes = [r[3] for r in mine if r[3] is not None]
    assert figures.requests == len(mine) == 4
    assert figures.frozen_fen == sum(r[5] for r in mine) == 1_100_000
    assert figures.returned_fen == sum(r[6] for r in mine) == 500_000
    assert figures.return_rate == Decimal("45.5")  # 50万 ÷ 110万
    assert figures.median_minutes == Decimal(str(median(minutes))) == Decimal("60")
    assert (figures.within_golden_hour, figures.stopped) == (sum(1 for m in minutes if m <= 60), len(minutes)) == (2, 3)
    protected = sum(i[3] for i in INTERCEPTIONS if _within(i[1], date(2026, 11, 1), date(2026, 11, 30))
                    and i[5] is not InterceptionOutcome.FAILED)
    assert saved.total.protected_fen == protected == 210_000_00
    assert saved.total.saved_fen == protected + figures.frozen_fen  # returned is part of frozen: not added again
    by_type = defaultdict(int)
    for r in mine:
        by_type[r[8]] += r[5]
    for i in INTERCEPTIONS:
        if _within(i[1], date(2026, 11, 1), date(2026, 11, 30)) and i[5] is not InterceptionOutcome.FAILED:
            by_type[i[4]] += i[3]
    shown = {s.name: s.saved_fen for s in saved.by_type}
    assert shown == {"刷单返利类": by_type["rebate"], "虚假网络投资理财类": by_type["investment"],
                     "冒充公检法及政府机关类": by_type["fake_authority"], "（未登记类型）": by_type[None]}
    assert sum(s.saved_fen for s in saved.by_unit) == saved.total.saved_fen
    assert {s.name: s.frozen_fen for s in saved.by_unit} == {"长泰区公安分局": 1_100_000, "芗城区公安分局": 0}


def test_a_station_sees_only_itself(data):
    engine, actors, ids = data
    from services.access.actor import AccessDenied
    with pytest.raises(AccessDenied):
        api.two_up_two_down(engine, actors["clerk"], ids["YX"], SPAN)
    board = api.board(engine, actors["clerk"], None, SPAN)
    assert board.unit_name == "武安派出所" and {r.unit_name for r in board.ledger} == {"武安派出所"}
    assert all("****" in r.account for r in board.ledger)
