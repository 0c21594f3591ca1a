"""The wall's board against direct SQL on a generated demo: headline, branches, map, triggers, masked leads."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from db.engine import read_session, write_session
from db.models import AccountabilityItem, DeskCall, FraudCase, Identifier, RecoveryRequest, StrikeResult, Unit
from services.access.actor import AccessDenied
from services.access.auth import actor_by_username
from services.demo.generator import DemoSpec
from services.demo.loader import load_demo
from services.overview.board import Measure
from services.shared.timeutil import MONTH, TODAY, reporting_span, shanghai_today
from services.wall import api


@pytest.fixture
def demo(engine):
    load_demo(engine, DemoSpec(cases=1_500, seed=5, anchor=datetime.now(UTC)))
    return engine


def _actor(engine, username):
    with read_session(engine) as session:
        return actor_by_username(session, username, "127.0.0.1")


def _count(session, model, column, period, *where):
    return session.execute(select(func.count()).select_from(model).where(
        column >= period.start, column < period.end, *where)).scalar_one()


def test_headline_and_branches_equal_direct_queries(demo):
    moment = datetime.now(UTC)
    board = api.wall_board(demo, _actor(demo, "wall"), moment)
    today, month = board.headline.blocks
    day = shanghai_today(moment)
    spans = {TODAY: reporting_span(TODAY, day), MONTH: reporting_span(MONTH, day)}
    with read_session(demo) as session:
        for block, kind in ((today, TODAY), (month, MONTH)):
            span = spans[kind]
            assert block.figure(Measure.CASES).value == _count(session, FraudCase, FraudCase.reported_at, span.current)
            assert block.figure(Measure.CASES).year_ago.before == _count(session, FraudCase, FraudCase.reported_at,
                                                                         span.year_ago)
            assert block.figure(Measure.CALLS).value == _count(session, DeskCall, DeskCall.received_at, span.current)
            loss = session.execute(select(func.coalesce(func.sum(FraudCase.loss_fen), 0)).where(
                FraudCase.reported_at >= span.current.start, FraudCase.reported_at < span.current.end)).scalar_one()
            assert block.figure(Measure.LOSS).value == loss
        month_cases = month.figure(Measure.CASES).value
    assert board.branches.total.cases.value == month_cases
    assert sum(line.cases.value for line in board.branches.rows) == month_cases
    assert sum(j.cases for j in board.jurisdictions) == month_cases  # the map's 本月 is the same days
    assert sum(t.cases for t in board.types) <= month_cases and board.types == sorted(board.types,
                                                                                       key=lambda t: -t.cases)
    assert len(board.trend.days) == 30 and board.trend.days[-1].day == day


def test_solved_caught_and_the_ledger_equal_direct_queries(demo):
    moment = datetime.now(UTC)
    board = api.wall_board(demo, _actor(demo, "wall"), moment)
    day = shanghai_today(moment)
    seen = []
    with read_session(demo) as session:
        for block, kind in zip(board.headline.blocks, (TODAY, MONTH), strict=True):
            span = reporting_span(kind, day)
            for period, shown in ((span.current, lambda m, b=block: b.figure(m).value),
                                  (span.year_ago, lambda m, b=block: b.figure(m).year_ago.before),
                                  (span.previous, lambda m, b=block: b.figure(m).previous.before)):
                solved = session.execute(select(func.count()).select_from(FraudCase).where(
                    FraudCase.solved_on >= period.first_day, FraudCase.solved_on <= period.last_day)).scalar_one()
                caught = session.execute(select(func.coalesce(func.sum(StrikeResult.caught), 0)).where(
                    StrikeResult.result_date >= period.first_day, StrikeResult.result_date <= period.last_day)
                ).scalar_one()
                money = session.execute(select(RecoveryRequest.stopped_fen, RecoveryRequest.frozen_fen,
                                               RecoveryRequest.returned_fen).where(
                    RecoveryRequest.requested_at >= period.start, RecoveryRequest.requested_at < period.end)).all()
                assert (shown(Measure.SOLVED), shown(Measure.CAUGHT)) == (solved, caught), (kind, period)
                assert [shown(m) for m in (Measure.STOPPED, Measure.FROZEN, Measure.RETURNED)] == [
                    sum(row[i] for row in money) for i in range(3)], (kind, period)
                seen.append((shown(Measure.SOLVED), shown(Measure.FROZEN)))
    # The demo has both (in 本月, or, just after a month begins, in its 同比 period a year back).
    assert max(s for s, _ in seen) > 0 and max(f for _, f in seen) > 0


def test_triggers_are_the_latest_and_carry_no_case_number(demo):
    board = api.wall_board(demo, _actor(demo, "wall"), datetime.now(UTC))
    with read_session(demo) as session:
        latest = session.execute(select(AccountabilityItem.raised_at, FraudCase.case_no)
                                 .join(FraudCase, FraudCase.id == AccountabilityItem.case_id)
                                 .order_by(AccountabilityItem.raised_at.desc(), AccountabilityItem.id.desc())
                                 .limit(len(board.triggers))).all()
    assert [t.raised_at for t in board.triggers] == [at for at, _ in latest]
    shown = " ".join(str(t) for t in board.triggers)
    assert all(case_no not in shown for _, case_no in latest)


def test_hot_leads_are_masked_even_for_roles_that_may_unmask(demo):
    for username in ("wall", "command"):
        board = api.wall_board(demo, _actor(demo, username), datetime.now(UTC))
        assert board.leads, "the demo has hot leads"
        with read_session(demo) as session:
            raw = set(session.execute(select(Identifier.value_norm).where(Identifier.report_count >= 3)).scalars())
        assert all(lead.masked not in raw and "*" in lead.masked for lead in board.leads)


def test_scope_and_permission_are_enforced(demo):
    with pytest.raises(AccessDenied):
        api.wall_board(demo, _actor(demo, "desk"), datetime.now(UTC))  # no VIEW_WALL
    changtai = _actor(demo, "changtai")
    with read_session(demo) as session:
        city = session.execute(text("SELECT id FROM unit WHERE parent_id IS NULL")).scalar_one()
    with pytest.raises(AccessDenied):
        api.wall_board(demo, changtai, datetime.now(UTC), city)
    assert api.wall_board(demo, changtai, datetime.now(UTC)).root_id == changtai.unit_id


def test_triggers_look_further_back_when_the_last_week_is_quiet(demo):
    from datetime import timedelta

    from services.wall.read import TRIGGERS_SHOWN, triggers

    with read_session(demo) as session:
        root = session.execute(select(Unit).where(Unit.parent_id.is_(None))).scalar_one()
        newest = session.execute(select(AccountabilityItem.raised_at).where(AccountabilityItem.case_id.is_not(None))
                                 .order_by(AccountabilityItem.raised_at.desc(), AccountabilityItem.id.desc())
                                 .limit(TRIGGERS_SHOWN)).scalars().all()
        for moment in (datetime.now(UTC), datetime.now(UTC) + timedelta(days=60)):  # a busy week, a quiet one
            assert [t.raised_at for t in triggers(session, root, moment)] == newest
        week = session.execute(select(func.count()).select_from(AccountabilityItem).where(
            AccountabilityItem.raised_at >= datetime.now(UTC) - timedelta(days=7))).scalar_one()
    assert week >= TRIGGERS_SHOWN  # the first moment was answered from the last week alone


def test_a_suspended_hot_lead_is_marked_on_the_wall(demo):
    from datetime import date

    from services.access.masking import mask_identifier
    from services.desk.identifier_actions import ActionDraft, add_action

    wall = _actor(demo, "wall")
    before = api.wall_board(demo, wall, datetime.now(UTC)).leads
    assert before and not any(lead.suspended for lead in before)
    with read_session(demo) as session:
        top = session.execute(select(Identifier.id, Identifier.kind, Identifier.value_norm)
                              .where(Identifier.report_count >= 3)
                              .order_by(Identifier.report_count.desc(), Identifier.id)).first()
    add_action(demo, _actor(demo, "desk"), ActionDraft(top.id, "suspended", "中国移动", date(2026, 11, 1)), "wall-susp")
    after = api.wall_board(demo, wall, datetime.now(UTC)).leads
    marked = [lead for lead in after if lead.suspended]
    assert [lead.masked for lead in marked] == [mask_identifier(top.kind, top.value_norm)]


@pytest.mark.parametrize("username", ["wall", "changtai"])
def test_board_read_together_equals_each_read_model_alone(demo, username):
    """The board reads the 总览 figures together and hands 本月's per-unit sums to the map: every part equals the
    read model read alone (the map with its own reads), which the map and 总览 tests check against recounts."""
    from services.map.read import MapFilter, jurisdiction_measures, time_window
    from services.overview import board as overview_board
    from services.wall.read import TREND_DAYS, TYPES_SHOWN, board
    from vocabulary import MapWindow

    actor = _actor(demo, username)
    moment = datetime.now(UTC)
    day = shanghai_today(moment)
    month = reporting_span(MONTH, day)
    with write_session(demo) as session:  # an open campaign item: in the panel's open items, not the headline's
        unit_id, campaign_id = session.execute(text(
            "SELECT u.id, c.id FROM app_user a JOIN unit u ON u.id = a.unit_id, campaign c "
            "WHERE a.username = :name ORDER BY c.id LIMIT 1"), {"name": username}).one()
        # One at a campaign level, and one whose level reads like a case level: the headline counts case items.
        for n, level in enumerate(("warn", "l10w")):
            session.add(AccountabilityItem(unit_id=unit_id, campaign_id=campaign_id, trigger_key=f"test:open:{n}",
                                           level=level, required_action="说明", responsible="所长",
                                           due_date=day, raised_at=moment))
    with read_session(demo) as session:
        shown = board(session, actor, moment)
        assert shown.accountability.open_campaign >= 2
        root = shown.root_id
        assert shown.headline == overview_board.headline(session, actor, moment, root)
        assert shown.branches == overview_board.branches(session, actor, month, root)
        assert shown.trend == overview_board.trend(session, actor, day, TREND_DAYS, root)
        assert shown.types == overview_board.type_breakdown(session, actor, month.current, root)[:TYPES_SHOWN]
        alone = jurisdiction_measures(session, actor, MapFilter.of(time_window(MapWindow.MONTH, day), unit_id=root,
                                                                   depth=1))
        assert shown.jurisdictions == alone
        previous_cases = session.execute(select(func.count()).select_from(FraudCase).where(
            FraudCase.reported_at >= month.previous.start, FraudCase.reported_at < month.previous.end)).scalar_one()
    assert sum(j.cases for j in shown.jurisdictions) == shown.branches.total.cases.value
    assert sum(j.prev_cases for j in shown.jurisdictions) == shown.branches.total.cases.previous.before
    if username == "wall":  # the whole city: every case of last month's same days is on the map
        assert sum(j.prev_cases for j in shown.jurisdictions) == previous_cases > 0
