"""case roll-up tallies: cases and loss per day and unit, and per month, unit and fraud type; unlocated; solved

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 23:00:00

case_day_tally also counts the cases without coordinates (unlocated: the map shows them apart, and read them from
the cases' partial index, which grows with the cases). strike_month_cases gets an index by month. The 大屏/总览 sums
that do not ask for types read case_day_unit_tally (a day's units, not its units x types), and a month's types read
case_month_type_tally (a month's units x types, not every day's): at 1,000,000 cases and more the
reads stay the size of the unit tree, whatever the number of cases. Both are kept by triggers on case_day_tally (every
upsert, delete and recount of it, whatever wrote the cases, as strike_month_cases is since 0020) and filled here once.
solved_day_tally counts 破案 per day of solving and unit (kept by triggers on fraud_case), so the headline's edge
days read a day's units, not every case solved that day.
"""

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

# (table, key columns, the key's expressions from a case_day_tally row with {row} = NEW or OLD, per dialect, the
# summed columns)
ROLLUPS = {
    'case_day_unit_tally': (('day', 'unit_id'), {
        'postgresql': ('{row}.day', '{row}.unit_id'),
        'sqlite': ('{row}.day', '{row}.unit_id')}, ('cases', 'loss_fen', 'unlocated')),
    'case_month_type_tally': (('month', 'unit_id', 'fraud_type'), {
        'postgresql': ("date_trunc('month', {row}.day)::date", '{row}.unit_id', '{row}.fraud_type'),
        'sqlite': ("date({row}.day, 'start of month')", '{row}.unit_id', '{row}.fraud_type')}, ('cases', 'loss_fen')),
}
SHANGHAI = ZoneInfo('Asia/Shanghai')


def upgrade() -> None:
    op.add_column('case_day_tally', sa.Column('unlocated', sa.Integer(), server_default='0', nullable=False))
    _count_unlocated(op.get_bind())
    op.create_table('case_day_unit_tally',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('loss_fen', sa.BigInteger(), nullable=False),
    sa.Column('unlocated', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'unit_id'),
    sqlite_with_rowid=False,
    )
    op.create_table('case_month_type_tally',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('fraud_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('loss_fen', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'unit_id', 'fraud_type'),
    sqlite_with_rowid=False,
    )
    # 总览 and the wall read one month of every unit: month first (its key is unit first, for 两升两降's units). Not
    # covering: a trigger's update of a month's figures stays a heap-only update.
    op.create_index('ix_strike_month_cases_month', 'strike_month_cases', ['month'], unique=False)
    op.create_table('solved_day_tally',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('solved', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'unit_id'),
    sqlite_with_rowid=False,
    )
    bind = op.get_bind()
    for statement in fill_statements(bind.dialect.name) + [SOLVED_FILL]:
        op.execute(statement)
    for statement in trigger_statements(bind.dialect.name) + solved_triggers(bind.dialect.name):
        op.execute(statement)


# 破案 per Beijing day of solving and unit, kept by triggers on fraud_case (as strike_month_cases's solved, 0020).
SOLVED_FILL = ("INSERT INTO solved_day_tally (day, unit_id, solved) SELECT solved_on, unit_id, COUNT(*) FROM fraud_case "
               "WHERE solved_on IS NOT NULL GROUP BY solved_on, unit_id")


def _solved_add(row: str, sign: str, postgresql: bool) -> str:
    owner = "solved_day_tally." if postgresql else ""
    head = "INSERT INTO solved_day_tally (day, unit_id, solved)"
    tail = f"ON CONFLICT (day, unit_id) DO UPDATE SET solved = {owner}solved + excluded.solved;"
    if postgresql:
        return f"IF {row}.solved_on IS NOT NULL THEN {head} VALUES ({row}.solved_on, {row}.unit_id, {sign}1) {tail} END IF;"
    return f"{head} SELECT {row}.solved_on, {row}.unit_id, {sign}1 WHERE {row}.solved_on IS NOT NULL {tail}"


def solved_triggers(dialect: str) -> list[str]:
    """The triggers that keep solved_day_tally with every write of a case's solving day or unit."""
    if dialect == 'postgresql':
        return [f"""
CREATE FUNCTION solved_day_tally_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_solved_add('OLD', '-', True)}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {_solved_add('NEW', '', True)}
    END IF;
    RETURN NULL;
END $$""", "CREATE TRIGGER solved_day_tally_keep AFTER INSERT OR UPDATE OF solved_on, unit_id OR DELETE ON fraud_case "
           "FOR EACH ROW EXECUTE FUNCTION solved_day_tally_keep()"]
    return [f"CREATE TRIGGER solved_day_tally_keep_{name} AFTER {when} ON fraud_case FOR EACH ROW BEGIN "
            f"{' '.join(_solved_add(row, sign, False) for row, sign in parts)} END"
            for name, when, parts in (('insert', 'INSERT', [('NEW', '')]),
                                      ('update', 'UPDATE OF solved_on, unit_id', [('OLD', '-'), ('NEW', '')]),
                                      ('delete', 'DELETE', [('OLD', '-')]))]


def _count_unlocated(bind) -> None:
    """The existing tally rows' cases without coordinates (dated in Python, as db/case_tally.py dates them)."""
    case = sa.table('fraud_case', *[sa.column(c) for c in ('reported_at', 'unit_id', 'fraud_type', 'lon', 'lat')])
    counted: Counter = Counter()
    for reported_at, unit_id, fraud_type in bind.execute(
            sa.select(case.c.reported_at, case.c.unit_id, case.c.fraud_type)
            .where(sa.or_(case.c.lon.is_(None), case.c.lat.is_(None)))):
        moment = reported_at if isinstance(reported_at, datetime) else datetime.fromisoformat(str(reported_at))
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
        counted[(moment.astimezone(SHANGHAI).date(), unit_id, fraud_type)] += 1
    if counted:
        tally = sa.table('case_day_tally', sa.column('day', sa.Date), sa.column('unit_id', sa.Integer),
                         sa.column('fraud_type', sa.String), sa.column('unlocated', sa.Integer))
        bind.execute(tally.update().where(tally.c.day == sa.bindparam('d', type_=sa.Date),
                                          tally.c.unit_id == sa.bindparam('u'), tally.c.fraud_type == sa.bindparam('t'))
                     .values(unlocated=sa.bindparam('n')),
                     [{'d': d, 'u': u, 't': t, 'n': n} for (d, u, t), n in counted.items()])


def fill_statements(dialect: str) -> list[str]:
    """Count the roll-ups from case_day_tally (here once; db/case_tally.rebuild after a recount)."""
    statements = []
    for table, (keys, expressions, sums) in ROLLUPS.items():
        selected = ", ".join(e.format(row='case_day_tally') for e in expressions[dialect])
        grouped = ", ".join(str(n + 1) for n in range(len(keys)))
        summed = ", ".join(f"SUM({c})" for c in sums)
        statements.append(f"INSERT INTO {table} ({', '.join(keys)}, {', '.join(sums)}) "
                          f"SELECT {selected}, {summed} FROM case_day_tally GROUP BY {grouped}")
    return statements


def _sqlite_add(table: str, keys: tuple[str, ...], expressions: tuple[str, ...], sums: tuple[str, ...], row: str,
                sign: str) -> str:
    values = ", ".join(e.format(row=row) for e in expressions)
    signed = ", ".join(f"{sign}{row}.{c}" for c in sums)
    updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in sums)
    return (f"INSERT INTO {table} ({', '.join(keys)}, {', '.join(sums)}) SELECT {values}, {signed} WHERE true "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates};")


def trigger_statements(dialect: str) -> list[str]:
    """The triggers that keep each roll-up with every row change of case_day_tally."""
    statements = []
    for table, (keys, expressions, sums) in ROLLUPS.items():
        if dialect == 'postgresql':
            def add(row: str, sign: str, table=table, keys=keys, expressions=expressions, sums=sums) -> str:
                values = ", ".join(e.format(row=row) for e in expressions[dialect])
                signed = ", ".join(f"{sign}{row}.{c}" for c in sums)
                updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sums)
                return (f"INSERT INTO {table} ({', '.join(keys)}, {', '.join(sums)}) VALUES ({values}, {signed}) "
                        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates};")
            statements.append(f"""
CREATE FUNCTION {table}_from_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {add('OLD', '-')}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {add('NEW', '')}
    END IF;
    RETURN NULL;
END $$""")
            statements.append(f"CREATE TRIGGER {table}_tally AFTER INSERT OR UPDATE OR DELETE ON case_day_tally "
                              f"FOR EACH ROW EXECUTE FUNCTION {table}_from_tally()")
        else:
            expr = expressions[dialect]
            for when, parts in (('INSERT', [('NEW', '')]), ('UPDATE', [('OLD', '-'), ('NEW', '')]),
                                ('DELETE', [('OLD', '-')])):
                body = " ".join(_sqlite_add(table, keys, expr, sums, row, sign) for row, sign in parts)
                statements.append(f"CREATE TRIGGER {table}_tally_{when.lower()} AFTER {when} ON case_day_tally "
                                  f"FOR EACH ROW BEGIN {body} END")
    return statements


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS solved_day_tally_keep ON fraud_case")
        op.execute("DROP FUNCTION IF EXISTS solved_day_tally_keep()")
    else:
        for when in ('insert', 'update', 'delete'):
            op.execute(f"DROP TRIGGER IF EXISTS solved_day_tally_keep_{when}")
    op.drop_table('solved_day_tally')
    for table in ROLLUPS:
        if dialect == 'postgresql':
            op.execute(f"DROP TRIGGER IF EXISTS {table}_tally ON case_day_tally")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_from_tally()")
        else:
            for when in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_tally_{when}")
        op.drop_table(table)
    op.drop_index('ix_strike_month_cases_month', table_name='strike_month_cases')
    with op.batch_alter_table('case_day_tally') as batch_op:
        batch_op.drop_column('unlocated')
