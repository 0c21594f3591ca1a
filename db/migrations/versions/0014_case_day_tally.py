"""case day tally: cases and loss per Beijing day of report, unit and fraud type, kept with every case write

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 09:40:00

The 总览/大屏 read models sum these rows instead of the cases. The existing cases are counted here once
(INSERT … SELECT … GROUP BY on the Beijing date); db/case_tally.py keeps the table afterwards and
`fanzha rebuild-tallies` recounts it.
"""

from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# Asia/Shanghai is UTC+8 without daylight saving from here on: SQLite dates by a fixed offset, older rows in Python.
FIXED_OFFSET_SINCE = datetime(1991, 9, 15, tzinfo=UTC)


def upgrade() -> None:
    tally = op.create_table('case_day_tally',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('fraud_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('loss_fen', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'unit_id', 'fraud_type'),
    sqlite_with_rowid=False,
    )
    op.create_index('ix_case_day_tally_unit_day', 'case_day_tally', ['unit_id', 'day'], unique=False)
    _count_existing(op.get_bind(), tally)


def downgrade() -> None:
    op.drop_index('ix_case_day_tally_unit_day', table_name='case_day_tally')
    op.drop_table('case_day_tally')


def _count_existing(bind, tally) -> None:
    """The same rows db/case_tally.py keeps, for the cases recorded before this revision."""
    case = sa.table('fraud_case', *[sa.column(c) for c in ('reported_at', 'unit_id', 'fraud_type', 'loss_fen')])
    postgresql = bind.dialect.name == 'postgresql'
    if postgresql:
        day = sa.func.date(sa.func.timezone('Asia/Shanghai', case.c.reported_at))
        where = sa.true()
    else:
        # Whole seconds first: SQLite rounds fractions to milliseconds (…59.9999995 would become the next day).
        day = sa.func.date(sa.func.substr(case.c.reported_at, 1, 19), sa.literal_column("'+8 hours'"))
        where = case.c.reported_at >= FIXED_OFFSET_SINCE.strftime('%Y-%m-%d %H:%M:%S')  # SQLite stores UTC text
    day = day.label('day')
    grouped = (sa.select(day, case.c.unit_id, case.c.fraud_type, sa.func.count(),
                         sa.func.coalesce(sa.func.sum(case.c.loss_fen), 0))
               .where(where).group_by(day, case.c.unit_id, case.c.fraud_type))
    bind.execute(tally.insert().from_select(['day', 'unit_id', 'fraud_type', 'cases', 'loss_fen'], grouped))
    if postgresql:
        bind.exec_driver_sql('ANALYZE case_day_tally')
        return
    older: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for reported_at, unit_id, fraud_type, loss in bind.execute(
            sa.select(case.c.reported_at, case.c.unit_id, case.c.fraud_type, case.c.loss_fen)
            .where(case.c.reported_at < FIXED_OFFSET_SINCE.strftime('%Y-%m-%d %H:%M:%S'))):
        moment = datetime.fromisoformat(str(reported_at)).replace(tzinfo=UTC)
        row = older[(moment.astimezone(ZoneInfo('Asia/Shanghai')).date(), unit_id, fraud_type)]
        row[0] += 1
        row[1] += int(loss or 0)
    if older:
        bind.execute(tally.insert(), [{'day': d, 'unit_id': u, 'fraud_type': t, 'cases': n, 'loss_fen': f}
                                      for (d, u, t), (n, f) in older.items()])
