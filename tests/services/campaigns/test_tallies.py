"""The campaign tallies always equal a recount from the activity table, kept one activity at a time, backfilled for
a target added later, rebuilt in bulk, and read exactly for any window (the edges of weeks and months included)."""

import itertools
from collections import defaultdict
from datetime import date, timedelta

from campaign_world import NOW, build_world
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from db.engine import read_session, write_session
from db.models import Activity, CampaignTarget, CampaignTargetTally, CampaignUnitTally
from services.campaigns import tallies
from services.campaigns.setup import CampaignDraft, TargetDraft, UnitEntry, add_target, create_campaign

START, END = date(2026, 8, 13), date(2026, 10, 20)  # starts on a Thursday, mid-month
PLACES, CHANNELS = ("school", "community", "bank"), ("leaflet", "push")
COLUMN = {"people": "people_reached", "households": "households", "pieces": "pieces"}

activity = st.tuples(st.sampled_from(("WA", "YX", "WAX")), st.integers(0, (END - START).days),
                     st.sampled_from(PLACES), st.sampled_from(CHANNELS), st.integers(0, 40), st.integers(0, 9),
                     st.integers(0, 30))
target = st.tuples(st.sampled_from(("count", "coverage")), st.sampled_from(("month", "week", "campaign")),
                   st.sampled_from(("activities", "people", "households", "pieces")),
                   st.sampled_from((None, *PLACES)), st.sampled_from((None, *CHANNELS)))
_names = itertools.count(1)


def _draft(spec, index: int) -> TargetDraft:
    kind, period, measure, outreach, channel = spec
    return TargetDraft(f"目标{index}", kind, 40 if kind == "coverage" else 3, "%" if kind == "coverage" else "次",
                       period=period if kind == "count" else None, measure=measure, outreach=outreach, channel=channel)


def _add(world, session, campaign_id: int, rows) -> None:
    for code, offset, place, channel, people, households, pieces in rows:
        row = Activity(campaign_id=campaign_id, unit_id=world.units[code], activity_date=START + timedelta(days=offset),
                       outreach=place, channel=channel, people_reached=people, households=households, pieces=pieces,
                       created_at=NOW)
        session.add(row)
        session.flush()
        tallies.record(session, row)


def _first(span: str, day: date) -> date:
    if span == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if span == "month" else day


def _recount(session, campaign_id: int) -> tuple[dict, dict]:
    """Tally rows recomputed in Python from the activity table (the specification)."""
    units: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    targets: dict[tuple, int] = defaultdict(int)
    goals = session.execute(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)).scalars().all()
    for a in session.execute(select(Activity).where(Activity.campaign_id == campaign_id)).scalars():
        for span, place in (("day", a.outreach), ("month", a.outreach), ("week", "")):
            row = units[(span, _first(span, a.activity_date), a.unit_id, place)]
            row[0] += 1
            row[1] += a.people_reached
        for g in goals:
            if g.kind not in ("count", "coverage") or (g.outreach and g.outreach != a.outreach) or (
                    g.channel and g.channel != a.channel):
                continue
            amount = 1 if g.measure in (None, "activities") else getattr(a, COLUMN[g.measure])
            if amount:
                for span in ("day", "week" if g.period == "week" else "month"):
                    targets[(g.id, span, _first(span, a.activity_date), a.unit_id)] += amount
    return {k: tuple(v) for k, v in units.items()}, dict(targets)


def _stored(session, campaign_id: int) -> tuple[dict, dict]:
    u = CampaignUnitTally
    units = {(r.span, r.first_day, r.unit_id, r.outreach): (r.activities, r.people) for r in session.execute(
        select(u).where(u.campaign_id == campaign_id)).scalars()}
    ids = select(CampaignTarget.id).where(CampaignTarget.campaign_id == campaign_id)
    t = CampaignTargetTally
    targets = {(r.target_id, r.span, r.first_day, r.unit_id): r.value for r in session.execute(
        select(t).where(t.target_id.in_(ids))).scalars()}
    return units, targets


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(activity, max_size=25), after=st.lists(activity, max_size=25),
       goals=st.lists(target, min_size=1, max_size=3), late=target,
       window=st.tuples(st.integers(0, (END - START).days), st.integers(0, (END - START).days)))
def test_tallies_always_equal_a_recount_and_read_exactly_for_any_window(engine, before, after, goals, late, window):
    world = _world(engine)
    leader = world.actors["leader_d"]
    with write_session(engine) as session:
        campaign_id = create_campaign(session, leader, CampaignDraft(
            f"专项{next(_names)}", None, START, END,
            [UnitEntry(world.units["WA"]), UnitEntry(world.units["YX"]), UnitEntry(world.units["WAX"], partner=True)],
            [_draft(spec, i) for i, spec in enumerate(goals, 1)]), now=NOW)
        _add(world, session, campaign_id, before)
    with write_session(engine) as session:  # a target added to a running campaign counts what was logged before
        add_target(session, leader, campaign_id, _draft(late, 9))
        _add(world, session, campaign_id, after)
    with read_session(engine) as session:
        expected, kept = _recount(session, campaign_id), _stored(session, campaign_id)
    assert kept == expected
    with write_session(engine) as session:
        tallies.rebuild(session, [campaign_id])
    with read_session(engine) as session:
        assert _stored(session, campaign_id) == expected
        _check_window(session, world, campaign_id, *sorted(START + timedelta(days=d) for d in window))


def _check_window(session, world, campaign_id: int, start: date, last: date) -> None:
    """target_sums and unit_sums over start..last equal sums over the activities of those days."""
    units = [world.units[c] for c in ("WA", "YX", "WAX")]
    rows = [a for a in session.execute(select(Activity).where(Activity.campaign_id == campaign_id)).scalars()
            if start <= a.activity_date <= last]
    goals = session.execute(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)).scalars().all()
    spans = {g.id: "week" if g.period == "week" else "month" for g in goals}
    whole = frozenset(g.id for g in goals if g.period not in ("month", "week"))  # one sum over the window
    read = tallies.target_sums(session, spans, units, start, last, whole)
    for g in goals:
        want: dict[tuple, int] = defaultdict(int)
        for a in rows:
            if not ((g.outreach and g.outreach != a.outreach) or (g.channel and g.channel != a.channel)):
                amount = 1 if g.measure in (None, "activities") else getattr(a, COLUMN[g.measure])
                first = start if g.id in whole else max(_first(spans[g.id], a.activity_date), start)
                want[(a.unit_id, first)] += amount
        got = {(u, first): v for u, by in read[g.id].items() for first, v in by.items() if v}
        assert got == {k: v for k, v in want.items() if v}
        days = tallies.target_days(session, g.id, units, start, last)
        assert sum(days.values()) == sum(want.values())
    sums = tallies.unit_sums(session, campaign_id, units, start, last)
    places: dict[tuple, int] = defaultdict(int)
    weeks: dict[date, int] = defaultdict(int)
    for a in rows:
        places[(a.unit_id, a.outreach)] += 1
        weeks[_first("week", a.activity_date)] += 1
    assert {(u, p): n for u, by in sums.places.items() for p, n in by.items() if n} == dict(places)
    assert {u: n for u, n in sums.people.items() if n} == {
        u: n for u in units if (n := sum(a.people_reached for a in rows if a.unit_id == u))}
    assert {w: n for w, n in sums.weeks.items() if n} == dict(weeks)


_worlds: dict[int, tuple] = {}


def _world(engine):
    """One small world per database (hypothesis runs many examples in one test)."""
    kept = _worlds.get(id(engine))
    if kept is None or kept[0] is not engine:
        kept = _worlds[id(engine)] = (engine, build_world(engine))
    return kept[1]


def test_logged_activities_keep_the_tallies_and_the_cli_rebuilds_them(engine, monkeypatch):
    from typer.testing import CliRunner

    import cli
    from cli import app
    from services.campaigns import entries
    from services.campaigns.entries import ActivityDraft

    world = build_world(engine)
    for code, day, place in (("WA", date(2026, 11, 3), "school"), ("WAX", date(2026, 11, 3), "school"),
                             ("YX", date(2026, 9, 30), "community")):
        with write_session(engine) as session:
            entries.log_activity(session, world.actors["leader_d"], ActivityDraft(
                world.campaign_id, world.units[code], day, place, "leaflet", "student", "某地", people_reached=30,
                households=4, pieces=10), now=NOW)
    with read_session(engine) as session:
        expected = _recount(session, world.campaign_id)
        assert _stored(session, world.campaign_id) == expected and expected[0]
    with write_session(engine) as session:  # a stale tally (e.g. a bulk load without a recount) …
        session.execute(CampaignUnitTally.__table__.update().values(activities=99))
    monkeypatch.setattr(cli, "_engine", lambda: engine)  # the test's database (in memory on SQLite)
    result = CliRunner().invoke(app, ["campaigns", "rebuild-tallies"])
    assert result.exit_code == 0, result.output
    assert "重算" in result.output
    with read_session(engine) as session:  # … is recounted
        assert _stored(session, world.campaign_id) == expected
