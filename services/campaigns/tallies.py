"""Campaign activity tallies kept with every activity (per unit and day, week or month): the progress view adds up
these small tables instead of the activities, so its work grows with units × periods, not with activities.

Rows are kept per activity unit (partners included) and folded onto the police unit they count for when read,
because that depends on who takes part and on the reader's scope. A tally is exact for any window start..last: the
week and month rows of the windows's edges are corrected with the day rows outside the window (none for today)."""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Date, String, and_, case, delete, func, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from db.models import Activity, Campaign, CampaignTarget, CampaignTargetTally, CampaignUnitTally
from vocabulary import CountMeasure, TargetKind, TargetPeriod

DAY, WEEK, MONTH = "day", "week", "month"
ALL_PLACES = ""  # the outreach of week rows: every place together
MEASURED_KINDS = (TargetKind.COUNT.value, TargetKind.COVERAGE.value)
MEASURE_COLUMN = {CountMeasure.PEOPLE.value: "people_reached", CountMeasure.HOUSEHOLDS.value: "households",
                  CountMeasure.PIECES.value: "pieces"}
ACTIVITY = Activity.__table__
TARGET = CampaignTarget.__table__
TARGET_TALLY = CampaignTargetTally.__table__
UNIT_TALLY = CampaignUnitTally.__table__
TARGET_KEYS = ("target_id", "span", "first_day", "unit_id")
UNIT_KEYS = ("campaign_id", "span", "first_day", "unit_id", "outreach")


# ---------------------------------------------------------------- buckets

def bucket_span(period: str | None) -> str:
    """A target's bucket: its week for weekly targets, else the month (months make up months and campaigns)."""
    return WEEK if period == TargetPeriod.WEEK.value else MONTH


def bucket_start(span: str, day: date) -> date:
    if span == WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if span == MONTH else day


def bucket_end(span: str, day: date) -> date:
    first = bucket_start(span, day)
    if span == WEEK:
        return first + timedelta(days=6)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1]) if span == MONTH else first


def _edges(start: date, last: date) -> tuple[date, date]:
    """The days a week or month row of the window start..last may hold beyond it."""
    return (min(bucket_start(WEEK, start), bucket_start(MONTH, start)),
            max(bucket_end(WEEK, last), bucket_end(MONTH, last)))


# ---------------------------------------------------------------- one activity (same transaction)

def target_amount(measure: str | None, outreach: str | None, channel: str | None, activity: Activity) -> int:
    """What one activity adds to a target: its measure if it has the target's place and channel, else 0."""
    if (outreach and activity.outreach != outreach) or (channel and activity.channel != channel):
        return 0
    column = MEASURE_COLUMN.get(measure or CountMeasure.ACTIVITIES.value)
    return 1 if column is None else int(getattr(activity, column) or 0)


def _dialect(db) -> str:
    """The database of a Connection or a Session."""
    return db.dialect.name if hasattr(db, "dialect") else db.get_bind().dialect.name


def _upsert(db, table, keys: tuple[str, ...], sums: tuple[str, ...], rows: list[dict]) -> None:
    """Add rows' sums to existing rows of the same keys (INSERT … ON CONFLICT DO UPDATE: atomic on both databases)."""
    insert = postgresql.insert if _dialect(db) == "postgresql" else sqlite.insert
    statement = insert(table).values(rows)
    statement = statement.on_conflict_do_update(index_elements=[table.c[k] for k in keys],
                                                set_={name: table.c[name] + statement.excluded[name] for name in sums})
    db.execute(statement)


def record(session, activity: Activity) -> None:
    """Add a new activity to its campaign's tallies, in the transaction that saves it."""
    if activity.campaign_id is None:
        return
    day, people = activity.activity_date, activity.people_reached or 0
    base = {"campaign_id": activity.campaign_id, "unit_id": activity.unit_id, "activities": 1, "people": people}
    _upsert(session, UNIT_TALLY, UNIT_KEYS, ("activities", "people"), [
        {**base, "span": DAY, "first_day": day, "outreach": activity.outreach},
        {**base, "span": MONTH, "first_day": bucket_start(MONTH, day), "outreach": activity.outreach},
        {**base, "span": WEEK, "first_day": bucket_start(WEEK, day), "outreach": ALL_PLACES}])
    rows = []
    for target_id, period, measure, outreach, channel in session.execute(
            select(TARGET.c.id, TARGET.c.period, TARGET.c.measure, TARGET.c.outreach, TARGET.c.channel)
            .where(TARGET.c.campaign_id == activity.campaign_id, TARGET.c.kind.in_(MEASURED_KINDS))).all():
        if amount := target_amount(measure, outreach, channel, activity):
            span = bucket_span(period)
            key = {"target_id": target_id, "unit_id": activity.unit_id, "value": amount}
            rows += [{**key, "span": DAY, "first_day": day}, {**key, "span": span, "first_day": bucket_start(span, day)}]
    if rows:
        _upsert(session, TARGET_TALLY, TARGET_KEYS, ("value",), rows)


# ---------------------------------------------------------------- rebuilding from the activities (INSERT … SELECT)

def _bucket_case(column, span: str, low: date, high: date):
    """The bucket's first day of a date column, as a CASE over the buckets of low..high (portable SQL)."""
    starts, day = [], bucket_start(span, low)
    while day <= high:
        starts.append(day)
        day = bucket_end(span, day) + timedelta(days=1)
    if len(starts) == 1:
        return literal(starts[0], Date)
    return case(*[(column >= literal(first, Date), literal(first, Date)) for first in reversed(starts[1:])],
                else_=literal(starts[0], Date))


def _roll_up(db, table, keys: dict, where, span: str, outreach=None) -> None:
    """Insert the week or month rows of `where`'s day rows, summed (a subquery names the bucket, then one GROUP BY)."""
    low, high = db.execute(select(func.min(table.c.first_day), func.max(table.c.first_day))
                           .where(*where, table.c.span == DAY)).one()
    if low is None:
        return
    sums = [name for name in ("value", "activities", "people") if name in table.c]
    place = [table.c.outreach if outreach is None else literal(outreach, String).label("outreach")] \
        if "outreach" in table.c else []
    inner = (select(*[table.c[k] for k in keys], _bucket_case(table.c.first_day, span, low, high).label("bucket"),
                    table.c.unit_id, *place, *[table.c[s] for s in sums])
             .where(*where, table.c.span == DAY).subquery())
    group = [inner.c[k] for k in keys] + [inner.c.bucket, inner.c.unit_id] + ([inner.c.outreach] if place else [])
    chosen = select(*[inner.c[k] for k in keys], literal(span, String), inner.c.bucket, inner.c.unit_id,
                    *([inner.c.outreach] if place else []), *[func.sum(inner.c[s]) for s in sums]).group_by(*group)
    columns = [*keys, "span", "first_day", "unit_id", *(["outreach"] if place else []), *sums]
    db.execute(table.insert().from_select(columns, chosen))


def rebuild_targets(db, target_ids: Iterable[int]) -> None:
    """Recount the tallies of these targets from the activity table (a target added to a running campaign)."""
    ids = list(target_ids)
    if not ids:
        return
    db.execute(delete(TARGET_TALLY).where(TARGET_TALLY.c.target_id.in_(ids)))
    for target_id, campaign_id, period, measure, outreach, channel in db.execute(
            select(TARGET.c.id, TARGET.c.campaign_id, TARGET.c.period, TARGET.c.measure, TARGET.c.outreach,
                   TARGET.c.channel).where(TARGET.c.id.in_(ids), TARGET.c.kind.in_(MEASURED_KINDS))).all():
        column = MEASURE_COLUMN.get(measure or CountMeasure.ACTIVITIES.value)
        amount = func.count() if column is None else func.coalesce(func.sum(ACTIVITY.c[column]), 0)
        where = [ACTIVITY.c.campaign_id == campaign_id]
        where += [ACTIVITY.c.outreach == outreach] if outreach else []
        where += [ACTIVITY.c.channel == channel] if channel else []
        days = (select(literal(target_id), literal(DAY, String), ACTIVITY.c.activity_date, ACTIVITY.c.unit_id, amount)
                .where(*where).group_by(ACTIVITY.c.unit_id, ACTIVITY.c.activity_date).having(amount > 0))
        db.execute(TARGET_TALLY.insert().from_select(list(TARGET_KEYS) + ["value"], days))
        _roll_up(db, TARGET_TALLY, ("target_id",), [TARGET_TALLY.c.target_id == target_id], bucket_span(period))


def rebuild(db, campaign_ids: Iterable[int] | None = None) -> None:
    """Recount every tally of these campaigns (all campaigns: None) from the activity table."""
    ids = list(campaign_ids) if campaign_ids is not None else list(db.execute(select(Campaign.id)).scalars())
    if not ids:
        return
    db.execute(delete(UNIT_TALLY).where(UNIT_TALLY.c.campaign_id.in_(ids)))
    days = (select(ACTIVITY.c.campaign_id, literal(DAY, String), ACTIVITY.c.activity_date, ACTIVITY.c.unit_id,
                   ACTIVITY.c.outreach, func.count(), func.coalesce(func.sum(ACTIVITY.c.people_reached), 0))
            .where(ACTIVITY.c.campaign_id.in_(ids))
            .group_by(ACTIVITY.c.campaign_id, ACTIVITY.c.unit_id, ACTIVITY.c.activity_date, ACTIVITY.c.outreach))
    db.execute(UNIT_TALLY.insert().from_select(list(UNIT_KEYS) + ["activities", "people"], days))
    for campaign_id in ids:
        where = [UNIT_TALLY.c.campaign_id == campaign_id]
        _roll_up(db, UNIT_TALLY, ("campaign_id",), where, MONTH)
        _roll_up(db, UNIT_TALLY, ("campaign_id",), where, WEEK, outreach=ALL_PLACES)
    rebuild_targets(db, db.execute(select(TARGET.c.id).where(TARGET.c.campaign_id.in_(ids))).scalars())


# ---------------------------------------------------------------- reading a window start..last

def target_sums(db, spans: dict[int, str], units: list[int], start: date, last: date,
                whole: frozenset[int] = frozenset()) -> dict[int, dict[int, dict[date, int]]]:
    """Target → activity unit → bucket (its first day, not before start) → the measure within start..last; the
    targets in `whole` (month buckets) are summed over the window in SQL, under the key start."""
    found: dict[int, dict[int, dict[date, int]]] = {target_id: defaultdict(lambda: defaultdict(int)) for target_id in spans}
    if not spans or not units or last < start:
        return found
    low, high = _edges(start, last)
    tally = TARGET_TALLY.c
    periodic = [target_id for target_id in spans if target_id not in whole]
    for target_id, span, first, unit_id, value in db.execute(
            select(tally.target_id, tally.span, tally.first_day, tally.unit_id, tally.value)
            .where(tally.target_id.in_(periodic), tally.span != DAY, tally.first_day >= low,
                   tally.first_day <= last, tally.unit_id.in_(units))).all() if periodic else ():
        if span == spans[target_id] and bucket_end(span, first) >= start:
            found[target_id][unit_id][max(first, start)] += value
    summed = [target_id for target_id in spans if target_id in whole]
    for target_id, unit_id, value in db.execute(
            select(tally.target_id, tally.unit_id, func.sum(tally.value))
            .where(tally.target_id.in_(summed), tally.span == MONTH, tally.first_day >= bucket_start(MONTH, start),
                   tally.first_day <= last, tally.unit_id.in_(units))
            .group_by(tally.target_id, tally.unit_id)).all() if summed else ():
        found[target_id][unit_id][start] += int(value)
    for target_id, day, unit_id, value in db.execute(
            select(tally.target_id, tally.first_day, tally.unit_id, tally.value)
            .where(tally.target_id.in_(list(spans)), tally.span == DAY, tally.unit_id.in_(units),
                   or_(and_(tally.first_day >= low, tally.first_day < start),
                       and_(tally.first_day > last, tally.first_day <= high)))).all():
        first = bucket_start(spans[target_id], day)
        if first <= last and bucket_end(spans[target_id], day) >= start:  # a bucket read above: take the day out
            found[target_id][unit_id][start if target_id in whole else max(first, start)] -= value
    return found


def target_days(db, target_id: int, units: list[int], start: date, last: date) -> dict[date, int]:
    """Day → the target's measure over these activity units, start..last."""
    if not units:
        return {}
    tally = TARGET_TALLY.c
    return {day: int(value) for day, value in db.execute(
        select(tally.first_day, func.sum(tally.value))
        .where(tally.target_id == target_id, tally.span == DAY, tally.first_day >= start, tally.first_day <= last,
               tally.unit_id.in_(units)).group_by(tally.first_day)).all()}


@dataclass
class UnitSums:
    """A campaign's activities within start..last per activity unit: by place, people reached; and per week."""

    places: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    people: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    weeks: dict[date, int] = field(default_factory=lambda: defaultdict(int))  # Monday → activities (these units)


def unit_sums(db, campaign_id: int, units: list[int], start: date, last: date) -> UnitSums:
    """Places, people and weekly activities of these activity units, start..last, from month and week rows."""
    sums = UnitSums()
    if not units or last < start:
        return sums
    tally = UNIT_TALLY.c
    mine = [tally.campaign_id == campaign_id, tally.unit_id.in_(units)]
    for unit_id, outreach, activities, people in db.execute(
            select(tally.unit_id, tally.outreach, func.sum(tally.activities), func.sum(tally.people))
            .where(*mine, tally.span == MONTH, tally.first_day >= bucket_start(MONTH, start), tally.first_day <= last)
            .group_by(tally.unit_id, tally.outreach)).all():
        sums.places[unit_id][outreach] += int(activities)
        sums.people[unit_id] += int(people)
    for monday, activities in db.execute(
            select(tally.first_day, func.sum(tally.activities))
            .where(*mine, tally.span == WEEK, tally.first_day >= bucket_start(WEEK, start), tally.first_day <= last)
            .group_by(tally.first_day)).all():
        sums.weeks[monday] += int(activities)
    low, high = _edges(start, last)
    for unit_id, day, outreach, activities, people in db.execute(
            select(tally.unit_id, tally.first_day, tally.outreach, tally.activities, tally.people)
            .where(*mine, tally.span == DAY, or_(and_(tally.first_day >= low, tally.first_day < start),
                                                 and_(tally.first_day > last, tally.first_day <= high)))).all():
        if bucket_start(MONTH, day) <= last and bucket_end(MONTH, day) >= start:
            sums.places[unit_id][outreach] -= activities
            sums.people[unit_id] -= people
        if bucket_start(WEEK, day) <= last and bucket_end(WEEK, day) >= start:
            sums.weeks[bucket_start(WEEK, day)] -= activities
    return sums
