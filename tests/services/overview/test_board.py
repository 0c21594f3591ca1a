"""总览/大屏 read models against an independent recomputation (plain Python over the rows) on hand-made data."""

import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import AccountabilityItem, AccountabilityRule, DeskCall, FraudCase, Interception, Unit
from services.access.actor import AccessDenied, Actor
from services.overview import api, board
from services.overview.board import Delta, Measure
from services.shared.timeutil import SHANGHAI, reporting_span
from vocabulary import AccountabilityLevel, Role

NOW = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)  # 2026-11-28 10:30 Beijing time
TODAY = date(2026, 11, 28)

CASES = [  # unit, Beijing time, loss 元, type
    ("s1", (2026, 11, 28, 0, 0, 0), 1_000, "rebate"),                 # today, its first instant (UTC: the 27th)
    ("s1", (2026, 11, 27, 23, 59, 59, 999_999), 2_000, "rebate"),     # yesterday, its last microsecond
    ("s2", (2026, 11, 28, 23, 59, 59), 3_000, "investment"),          # today, late evening (UTC: still the 28th)
    ("s3", (2026, 11, 1, 0, 0), 99_999.99, "investment"),             # first instant of the month
    ("d1", (2026, 11, 10, 9, 0), 5_000, "fake_customer_service"),     # held by the district itself
    ("s3", (2025, 11, 28, 12, 0), 7_000, "rebate"),                   # the same day last year
    ("s1", (2025, 11, 15, 8, 0), 8_000, "rebate"),                    # the same days last year
    ("s2", (2025, 11, 29, 0, 0), 9_000, "rebate"),                    # just after the same days last year
    ("s1", (2026, 10, 28, 23, 59), 4_000, "rebate"),                  # last day of the same days last month
    ("s1", (2026, 10, 29, 0, 0), 6_000, "rebate"),                    # just after them
    ("s3", (2026, 10, 31, 23, 59, 59), 800_000, "rebate"),            # last month, outside the same days
    ("s1", (2026, 11, 29, 0, 0, 0), 1, "rebate"),                     # tomorrow
    ("s2", (2026, 11, 22, 15, 0), 2_500, "unknown_code"),             # a type the vocabulary does not know
]
INTERCEPTIONS = [  # unit, Beijing time, 元
    ("s1", (2026, 11, 28, 0, 1), 30_000),
    ("s3", (2026, 11, 5, 10, 0), 12_345.67),
    ("s2", (2025, 11, 3, 10, 0), 50_000),
    ("s2", (2026, 10, 27, 23, 59, 59), 1_000),
]
CALLS = [  # jurisdiction (None: the desk's own unit), Beijing time, outcome
    ("s1", (2026, 11, 28, 9, 0), "dissuaded"),
    ("s3", (2026, 11, 28, 0, 0), "answered"),
    (None, (2026, 11, 27, 23, 59), "dissuaded"),
    ("s2", (2026, 11, 3, 10, 0), "lead_logged"),
    ("s2", (2026, 10, 3, 10, 0), "dissuaded"),
    ("s1", (2025, 11, 28, 10, 0), "dissuaded"),
]
ITEMS = [("s1", "l10w", "pending"), ("s1", "l50w", "submitted"), ("s3", "l10w", "closed"), ("d2", "l100w", "pending")]


def beijing(*parts) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI).astimezone(UTC)


def fen(yuan) -> int:
    return int(Decimal(str(yuan)) * 100)


def _tree(session) -> dict[str, Unit]:
    city = Unit(code="C", name="市局", full_name="市局", kind="city_bureau", level=1, path="")
    session.add(city)
    session.flush()
    city.path = f"/{city.id}/"
    units = {"city": city}
    for key, parent in (("d1", "city"), ("d2", "city"), ("desk", "city"), ("s1", "d1"), ("s2", "d1"), ("s3", "d2")):
        unit = Unit(code=key, name=f"单位{key}", full_name=key, kind="station", level=units[parent].level + 1,
                    parent_id=units[parent].id, path="", sort_order=len(units))
        session.add(unit)
        session.flush()
        unit.path = f"{units[parent].path}{unit.id}/"
        units[key] = unit
    return units


@pytest.fixture
def seeded(engine):
    with write_session(engine) as session:
        units = _tree(session)
        rule = {r.level: r.id for r in session.execute(select(AccountabilityRule)).scalars()}
        for i, (unit, when, loss, kind) in enumerate(CASES):
            session.add(FraudCase(case_no=f"A{i}", unit_id=units[unit].id, reported_at=beijing(*when), fraud_type=kind,
                                  loss_fen=fen(loss), created_at=NOW, updated_at=NOW))
        for unit, when, amount in INTERCEPTIONS:
            session.add(Interception(unit_id=units[unit].id, intercepted_at=beijing(*when), branch_name="某银行",
                                     amount_fen=fen(amount), created_at=NOW))
        for i, (unit, when, outcome) in enumerate(CALLS):
            session.add(DeskCall(idempotency_key=f"k{i}", received_at=beijing(*when), desk_unit_id=units["desk"].id,
                                 jurisdiction_unit_id=units[unit].id if unit else None, call_type="consult",
                                 outcome=outcome, created_at=NOW))
        session.flush()
        for i, (unit, level, status) in enumerate(ITEMS):
            case = FraudCase(case_no=f"I{i}", unit_id=units[unit].id, reported_at=beijing(2020, 1, 1, 12, 0),
                             fraud_type="rebate", loss_fen=fen(200_000), created_at=NOW, updated_at=NOW)
            session.add(case)
            session.flush()
            session.add(AccountabilityItem(case_id=case.id, unit_id=units[unit].id, rule_id=rule[level], level=level,
                                           required_action="说明", responsible="所长", due_date=TODAY, status=status,
                                           raised_at=NOW))
        ids = {key: unit.id for key, unit in units.items()}
    return engine, ids


def actor_of(engine, unit_id: int, role: Role = Role.LEADER) -> Actor:
    with read_session(engine) as session:
        unit = session.get(Unit, unit_id)
        return Actor(1, "u", "u", role, unit.id, unit.path, unit.name, None)


# ---------------------------------------------------------------- the independent recomputation (no SQL, no Period)
SUBTREES = {"city": {"city", "d1", "d2", "desk", "s1", "s2", "s3"}, "d1": {"d1", "s1", "s2"}, "d2": {"d2", "s3"},
            "s1": {"s1"}}


def _day(parts) -> date:
    return datetime(*parts, tzinfo=SHANGHAI).date()


def expected(root: str, first: date, last: date) -> dict[Measure, int]:
    keep = SUBTREES[root]
    cases = [(u, fen(loss)) for u, when, loss, _ in CASES if u in keep and first <= _day(when) <= last]
    blocked = [fen(a) for u, when, a in INTERCEPTIONS if u in keep and first <= _day(when) <= last]
    calls = [o for u, when, o in CALLS if (u or "desk") in keep and first <= _day(when) <= last]
    return {Measure.CASES: len(cases), Measure.LOSS: sum(loss for _, loss in cases),
            Measure.INTERCEPTED: sum(blocked), Measure.INTERCEPTIONS: len(blocked),
            Measure.DISSUADED: calls.count("dissuaded"), Measure.CALLS: len(calls),
            # Nothing solved, caught or stopped here (tests/services/overview/test_strike_figures.py has those).
            Measure.SOLVED: 0, Measure.CAUGHT: 0, Measure.STOPPED: 0, Measure.FROZEN: 0, Measure.RETURNED: 0}


WINDOWS = {  # span kind -> (current, 环比, 同比) as first/last Beijing days, written out by hand
    "today": ((TODAY, TODAY), (date(2026, 11, 27),) * 2, (date(2025, 11, 28),) * 2),
    "month": ((date(2026, 11, 1), TODAY), (date(2026, 10, 1), date(2026, 10, 28)),
              (date(2025, 11, 1), date(2025, 11, 28))),
}


@pytest.mark.parametrize("root", ["city", "d1", "s1"])
def test_headline_matches_recomputation_for_today_and_the_month(seeded, root):
    engine, ids = seeded
    headline = api.headline(engine, actor_of(engine, ids["city"]), NOW, ids[root])
    assert [block.title for block in headline.blocks] == ["今日", "本月"]
    for block, kind in zip(headline.blocks, ("today", "month"), strict=True):
        current, previous, year_ago = (expected(root, *days) for days in WINDOWS[kind])
        for figure in block.figures:
            assert (figure.value, figure.previous.before, figure.year_ago.before) == (
                current[figure.measure], previous[figure.measure], year_ago[figure.measure]), (kind, figure.measure)


def test_headline_figures_by_hand(seeded):
    engine, ids = seeded
    today, month = api.headline(engine, actor_of(engine, ids["city"]), NOW).blocks
    assert today.figure(Measure.CASES).value == 2  # 00:00:00 and 23:59:59 Beijing; not 23:59:59.999999 the day before
    assert today.figure(Measure.CASES).previous.before == 1
    assert today.figure(Measure.CALLS).value == 2 and today.figure(Measure.DISSUADED).value == 1
    assert month.figure(Measure.LOSS).value == fen(1_000 + 2_000 + 3_000 + 99_999.99 + 5_000 + 2_500)
    assert month.figure(Measure.INTERCEPTED).value == fen(30_000 + 12_345.67)
    assert month.figure(Measure.LOSS).previous.before == fen(4_000)  # Oct 1–28; the 29th and 31st are out
    assert month.figure(Measure.CASES).year_ago.before == 2  # 2025-11-15 and -28; the 29th is out


def test_open_items_by_level_are_scoped_and_skip_closed(seeded):
    engine, ids = seeded
    actor = actor_of(engine, ids["city"])
    assert api.headline(engine, actor, NOW).open_items == {
        AccountabilityLevel.L10W: 1, AccountabilityLevel.L50W: 1, AccountabilityLevel.L100W: 1}
    assert api.headline(engine, actor, NOW, ids["d1"]).open_items == {
        AccountabilityLevel.L10W: 1, AccountabilityLevel.L50W: 1, AccountabilityLevel.L100W: 0}


def test_a_chosen_span_has_one_block_and_the_year_has_no_month_on_month(seeded):
    engine, ids = seeded
    span = reporting_span("year", TODAY)
    (block,) = api.headline(engine, actor_of(engine, ids["city"]), NOW, span=span).blocks
    assert block.title == "本年" and all(f.previous is None for f in block.figures)
    want = expected("city", date(2026, 1, 1), TODAY)
    assert {f.measure: f.value for f in block.figures} == want
    assert block.figure(Measure.CASES).year_ago.before == expected("city", date(2025, 1, 1), date(2025, 11, 28))[
        Measure.CASES]


def test_figures_do_not_depend_on_the_server_time_zone(seeded, monkeypatch):
    engine, ids = seeded
    actor = actor_of(engine, ids["city"])
    before = api.headline(engine, actor, NOW)
    for zone in ("UTC", "America/Los_Angeles", "Pacific/Kiritimati"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        try:
            assert api.headline(engine, actor, NOW).blocks == before.blocks
        finally:
            monkeypatch.undo()
            time.tzset()


def test_trend_days_match_recomputation_with_last_year(seeded):
    engine, ids = seeded
    result = api.trend(engine, actor_of(engine, ids["city"]), TODAY, days=30)
    assert [d.day for d in result.days] == [TODAY - timedelta(days=29 - n) for n in range(30)]
    for day in result.days:
        now, then = expected("city", day.day, day.day), expected("city", day.last_year_day, day.last_year_day)
        assert (day.cases, day.loss_fen) == (now[Measure.CASES], now[Measure.LOSS])
        assert (day.last_year_cases, day.last_year_loss_fen) == (then[Measure.CASES], then[Measure.LOSS])
        assert day.last_year_day == day.day.replace(year=2025)
    assert sum(d.cases for d in result.days) == expected("city", TODAY - timedelta(days=29), TODAY)[Measure.CASES]


def test_trend_over_29_february_uses_28_february_last_year(engine):
    with write_session(engine) as session:
        units = _tree(session)
        for n, (when, loss) in enumerate((((2027, 2, 28, 23, 59), 100), ((2027, 3, 1, 0, 0), 200),
                                          ((2028, 2, 29, 0, 0), 300), ((2028, 2, 29, 23, 59), 400))):
            session.add(FraudCase(case_no=f"L{n}", unit_id=units["s1"].id, reported_at=beijing(*when),
                                  fraud_type="rebate", loss_fen=fen(loss), created_at=NOW, updated_at=NOW))
        city = units["city"].id
    result = api.trend(engine, actor_of(engine, city), date(2028, 3, 1), first_day=date(2028, 2, 28))
    assert [(d.day.day, d.cases, d.last_year_day, d.last_year_cases) for d in result.days] == [
        (28, 0, date(2027, 2, 28), 1), (29, 2, date(2027, 2, 28), 1), (1, 0, date(2027, 3, 1), 1)]
    (block,) = api.headline(engine, actor_of(engine, city), beijing(2028, 2, 29, 12, 0),
                            span=reporting_span("today", date(2028, 2, 29))).blocks
    assert (block.figure(Measure.LOSS).value, block.figure(Measure.LOSS).year_ago.before) == (fen(700), fen(100))


def test_type_breakdown_matches_recomputation(seeded):
    engine, ids = seeded
    span = reporting_span("month", TODAY)
    rows = api.type_breakdown(engine, actor_of(engine, ids["city"]), span.current)
    want: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, when, loss, kind in CASES:
        if date(2026, 11, 1) <= _day(when) <= TODAY:
            want[kind][0] += 1
            want[kind][1] += fen(loss)
    assert {r.code: [r.cases, r.loss_fen] for r in rows} == want
    labels = {r.code: r.label for r in rows}
    assert labels["investment"] == "虚假网络投资理财类" and labels["unknown_code"] == "未知类型（unknown_code）"
    assert rows[0].cases >= rows[-1].cases


def test_branches_with_total_row_match_recomputation(seeded):
    engine, ids = seeded
    span = reporting_span("month", TODAY)
    table = api.branches(engine, actor_of(engine, ids["city"]), span)
    assert [row.unit_id for row in table.rows] == [ids["d1"], ids["d2"], ids["desk"]]
    for row, root in zip(table.rows[:2], ("d1", "d2"), strict=True):
        for figure, measure in ((row.cases, Measure.CASES), (row.loss, Measure.LOSS)):
            assert figure.value == expected(root, date(2026, 11, 1), TODAY)[measure]
            assert figure.year_ago.before == expected(root, date(2025, 11, 1), date(2025, 11, 28))[measure]
            assert figure.previous.before == expected(root, date(2026, 10, 1), date(2026, 10, 28))[measure]
    total = expected("city", date(2026, 11, 1), TODAY)
    assert (table.total.name, table.total.cases.value, table.total.loss.value) == (
        "合计", total[Measure.CASES], total[Measure.LOSS])
    assert sum(r.cases.value for r in table.rows) == table.total.cases.value


def test_branches_of_a_district_start_with_its_own_level(seeded):
    engine, ids = seeded
    table = api.branches(engine, actor_of(engine, ids["city"]), reporting_span("month", TODAY), ids["d1"])
    assert [row.unit_id for row in table.rows] == [ids["d1"], ids["s1"], ids["s2"]]
    assert table.rows[0].name.endswith("（本级）") and table.rows[0].cases.value == 1
    assert table.branch_label == "派出所"


@pytest.mark.parametrize("root", ["city", "d1", "s1"])
@pytest.mark.parametrize("kind", ["today", "week", "month", "year", "custom"])
def test_figures_read_together_equal_each_read_model_alone_and_the_recount(seeded, root, kind):
    """The 总览 and the wall read a span's headline, branches, types and trend together (one unit tree; the span's
    per-unit cases read once, the headline's cases of the same periods their totals): nothing may change."""
    engine, ids = seeded
    actor = actor_of(engine, ids["city"])
    span = reporting_span(kind, TODAY, date(2026, 10, 20), date(2026, 11, 27))
    first, last = board.trend_days(span)
    with read_session(engine) as session:
        alone = (board.headline(session, actor, NOW, ids[root], span), board.branches(session, actor, span, ids[root]),
                 board.type_breakdown(session, actor, span.current, ids[root]),
                 board.trend(session, actor, last, unit_id=ids[root], first_day=first))
        assert board.view(session, actor, NOW, ids[root], span) == alone
        read = board.together(session, actor, NOW, ids[root], span, first, last)  # headline: 今日 and 本月
        assert read.headline == board.headline(session, actor, NOW, ids[root])
        assert (read.branches, read.types, read.trend) == alone[1:]
    periods = [span.current, span.year_ago] + ([span.previous] if span.previous else [])
    for sums, period in zip(read.by_unit, periods, strict=True):
        want = expected(root, period.first_day, period.last_day)
        assert (sum(n for n, _ in sums.values()), sum(loss for _, loss in sums.values())) == (
            want[Measure.CASES], want[Measure.LOSS])
    (block,) = alone[0].blocks
    for measure in (Measure.CASES, Measure.LOSS, Measure.CALLS, Measure.INTERCEPTED):
        assert block.figure(measure).value == expected(root, span.current.first_day, span.current.last_day)[measure]


def test_open_items_count_every_status_but_closed(seeded):
    engine, ids = seeded
    statuses = ["approved", "returned", "closed", "submitted"]  # 待说明 (pending) is in the test above
    with write_session(engine) as session:
        items = session.execute(select(AccountabilityItem).order_by(AccountabilityItem.id)).scalars().all()
        for n, item in enumerate(items):
            item.status = statuses[n % len(statuses)]
        want: dict[str, dict[AccountabilityLevel, int]] = {}
        for root in ("city", "d1", "d2"):
            keep = {ids[code] for code in SUBTREES[root]}
            counts = {level: 0 for level in AccountabilityLevel}
            for item in items:
                if item.unit_id in keep and item.status != "closed":
                    counts[AccountabilityLevel(item.level)] += 1
            want[root] = counts
    for root, counts in want.items():
        assert api.headline(engine, actor_of(engine, ids["city"]), NOW, ids[root]).open_items == counts, root
    assert sum(want["city"].values()) == 3 and sum(want["d1"].values()) == 2  # the closed one left out


def test_scope_is_enforced(seeded):
    engine, ids = seeded
    station = actor_of(engine, ids["s1"])
    assert api.headline(engine, station, NOW).blocks[1].figure(Measure.CASES).value == expected(
        "s1", date(2026, 11, 1), TODAY)[Measure.CASES]
    for call in (lambda: api.headline(engine, station, NOW, ids["d1"]),
                 lambda: api.trend(engine, station, TODAY, unit_id=ids["city"]),
                 lambda: api.branches(engine, station, reporting_span("month", TODAY), ids["s2"]),
                 lambda: api.headline(engine, actor_of(engine, ids["city"], Role.ADMIN), NOW)):
        with pytest.raises(AccessDenied):
            call()


def test_the_wall_role_reads_the_headline(seeded):
    engine, ids = seeded
    assert api.headline(engine, actor_of(engine, ids["city"], Role.WALL), NOW).root_id == ids["city"]


@pytest.mark.parametrize(("before", "after", "text", "good"), [
    (1, 2, "1→2，+1（+100.0%）", False),
    (0, 2, "0→2，新增", False),
    (3, 3, "3→3，持平", None),
    (12, 9, "12→9，-3（-25.0%）", True),
    (0, 0, "0→0，持平", None),
])
def test_changes_show_counts_and_percentages_only_alongside(before, after, text, good):
    delta = Delta(before, after, Measure.CASES)
    assert (delta.text, delta.good) == (text, good)
    assert Delta(before, after, Measure.CALLS).good is None  # no 两升两降 direction for calls


def test_money_changes_in_wan_never_rounded_up_to_a_threshold():
    assert Delta(fen(120_000), fen(150_000), Measure.LOSS).text == "12.00→15.00，+3.00（+25.0%）"
    assert Delta(fen(50_000), fen(99_999.99), Measure.LOSS).text.startswith("5.00→9.99，")


def test_export_of_what_is_shown_is_audited_and_needs_export(seeded):
    from services.access.auth import actor_by_username, create_user
    from services.overview.board import chosen_span
    from services.shared.errors import InvalidInput
    from services.shared.export_cells import read_back

    engine, ids = seeded
    with write_session(engine) as session:
        for name, role in (("boss", Role.LEADER), ("screen", Role.WALL)):
            create_user(session, None, username=name, display_name=name, role=role, unit_id=ids["city"],
                        password="Overview#Test2026")
    with read_session(engine) as session:
        leader, wall = actor_by_username(session, "boss", None), actor_by_username(session, "screen", None)
    span = reporting_span("month", TODAY)
    data = api.export_view(engine, leader, NOW, ids["city"], span)
    filters, rows = read_back(data)
    assert ("统计时段（北京时间）", "本月 2026-11-01 至 2026-11-28") in [tuple(f[:2]) for f in filters]
    flat = [tuple(r) for r in rows]
    assert any(r[:2] == ("发案数", expected("city", date(2026, 11, 1), TODAY)[Measure.CASES]) for r in flat)
    assert any(r[0] == "合计" for r in flat) and any(r[0] == "虚假网络投资理财类" for r in flat)
    csv_text = api.export_view(engine, leader, NOW, ids["city"], span, "csv").decode("utf-8-sig")
    assert "合计" in csv_text and "去年同日" in csv_text
    with read_session(engine) as session:
        from db.models import AuditLog as Log
        details = [r.detail for r in session.execute(select(Log).where(Log.action == "export")).scalars()]
    assert len(details) == 2 and all("总览" in d for d in details)
    with pytest.raises(AccessDenied):
        api.export_view(engine, wall, NOW, ids["city"], span)
    with pytest.raises(InvalidInput):
        chosen_span("custom", TODAY, TODAY, TODAY - timedelta(days=1))
    with pytest.raises(InvalidInput):
        chosen_span("custom", TODAY, TODAY - timedelta(days=400), TODAY)
    assert chosen_span("nonsense", TODAY).kind == "month"
