"""campaign tallies: activities summed per unit and day, week or month, kept with every activity

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 10:00:00

The progress view reads these instead of the activity table. The existing activities are counted here once
(grouped in SQL, rolled up to weeks and months); services/campaigns/tallies.py keeps them afterwards and
`fanzha campaigns rebuild-tallies` recounts them.
"""

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

MEASURE_COLUMN = {'people': 'people_reached', 'households': 'households', 'pieces': 'pieces'}


def upgrade() -> None:
    target_tally = op.create_table('campaign_target_tally',
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('span', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['campaign_target.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('target_id', 'span', 'first_day', 'unit_id')
    )
    unit_tally = op.create_table('campaign_unit_tally',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('span', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('outreach', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('activities', sa.Integer(), nullable=False),
    sa.Column('people', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('campaign_id', 'span', 'first_day', 'unit_id', 'outreach')
    )
    _count_existing(op.get_bind(), target_tally, unit_tally)


def downgrade() -> None:
    op.drop_table('campaign_unit_tally')
    op.drop_table('campaign_target_tally')


# ---------------------------------------------------------------- counting the activities already logged

def _first(span: str, day: date) -> date:
    if span == 'week':
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if span == 'month' else day


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _insert(bind, table, rows: dict, names: tuple[str, ...]) -> None:
    batch = [dict(zip(names, key + values, strict=True)) for key, values in rows.items()]
    for start in range(0, len(batch), 5000):
        bind.execute(table.insert(), batch[start:start + 5000])


def _count_existing(bind, target_tally, unit_tally) -> None:
    """The same figures services/campaigns/tallies.record keeps, for the activities logged before this revision."""
    activity = sa.table('activity', *[sa.column(c) for c in (
        'campaign_id', 'unit_id', 'activity_date', 'outreach', 'channel', 'people_reached', 'households', 'pieces')])
    target = sa.table('campaign_target', *[sa.column(c) for c in (
        'id', 'campaign_id', 'kind', 'period', 'measure', 'outreach', 'channel')])
    a = activity.c
    units: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for campaign_id, unit_id, day, outreach, n, people in bind.execute(
            sa.select(a.campaign_id, a.unit_id, a.activity_date, a.outreach, sa.func.count(),
                      sa.func.coalesce(sa.func.sum(a.people_reached), 0))
            .where(a.campaign_id.is_not(None)).group_by(a.campaign_id, a.unit_id, a.activity_date, a.outreach)):
        day = _day(day)
        for span, place in (('day', outreach), ('month', outreach), ('week', '')):
            row = units[(campaign_id, span, _first(span, day), unit_id, place)]
            row[0] += n
            row[1] += int(people)
    _insert(bind, unit_tally, {k: tuple(v) for k, v in units.items()},
            ('campaign_id', 'span', 'first_day', 'unit_id', 'outreach', 'activities', 'people'))
    targets: dict[tuple, int] = defaultdict(int)
    for target_id, campaign_id, period, measure, outreach, channel in bind.execute(
            sa.select(target.c.id, target.c.campaign_id, target.c.period, target.c.measure, target.c.outreach,
                      target.c.channel).where(target.c.kind.in_(('count', 'coverage')))):
        column = MEASURE_COLUMN.get(measure or 'activities')
        amount = sa.func.count() if column is None else sa.func.coalesce(sa.func.sum(a[column]), 0)
        where = [a.campaign_id == campaign_id] + ([a.outreach == outreach] if outreach else []) + (
            [a.channel == channel] if channel else [])
        bucket = 'week' if period == 'week' else 'month'
        for unit_id, day, value in bind.execute(sa.select(a.unit_id, a.activity_date, amount).where(*where)
                                                .group_by(a.unit_id, a.activity_date)):
            if value:
                for span in ('day', bucket):
                    targets[(target_id, span, _first(span, _day(day)), unit_id)] += int(value)
    _insert(bind, target_tally, {k: (v,) for k, v in targets.items()},
            ('target_id', 'span', 'first_day', 'unit_id', 'value'))
    if bind.dialect.name == 'postgresql':  # the planner sees the new tables' sizes at once
        bind.exec_driver_sql('ANALYZE campaign_target_tally')
        bind.exec_driver_sql('ANALYZE campaign_unit_tally')

