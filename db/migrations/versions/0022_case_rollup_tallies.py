"""case roll-up tallies: cases and loss per day and unit, and per month, unit and fraud type

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 23:00:00

strike_month_cases gets an index by month. The 大屏/总览 sums that do not ask for types read case_day_unit_tally (a day's units, not its units x types), and a
month's types read case_month_type_tally (a month's units x types, not every day's): at 1,000,000 cases and more the
reads stay the size of the unit tree, whatever the number of cases. Both are kept by triggers on case_day_tally (every
upsert, delete and recount of it, whatever wrote the cases, as strike_month_cases is since 0020) and filled here once.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

# (table, key columns, the key's expressions from a case_day_tally row with {row} = NEW or OLD, per dialect)
ROLLUPS = {
    'case_day_unit_tally': (('day', 'unit_id'), {
        'postgresql': ('{row}.day', '{row}.unit_id'),
        'sqlite': ('{row}.day', '{row}.unit_id')}),
    'case_month_type_tally': (('month', 'unit_id', 'fraud_type'), {
        'postgresql': ("date_trunc('month', {row}.day)::date", '{row}.unit_id', '{row}.fraud_type'),
        'sqlite': ("date({row}.day, 'start of month')", '{row}.unit_id', '{row}.fraud_type')}),
}


def upgrade() -> None:
    op.create_table('case_day_unit_tally',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('loss_fen', sa.BigInteger(), nullable=False),
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
    bind = op.get_bind()
    for statement in fill_statements(bind.dialect.name):
        op.execute(statement)
    for statement in trigger_statements(bind.dialect.name):
        op.execute(statement)


def fill_statements(dialect: str) -> list[str]:
    """Count the roll-ups from case_day_tally (here once; db/case_tally.rebuild after a recount)."""
    statements = []
    for table, (keys, expressions) in ROLLUPS.items():
        selected = ", ".join(e.format(row='case_day_tally') for e in expressions[dialect])
        grouped = ", ".join(str(n + 1) for n in range(len(keys)))
        statements.append(f"INSERT INTO {table} ({', '.join(keys)}, cases, loss_fen) "
                          f"SELECT {selected}, SUM(cases), SUM(loss_fen) FROM case_day_tally GROUP BY {grouped}")
    return statements


def _sqlite_add(table: str, keys: tuple[str, ...], expressions: tuple[str, ...], row: str, sign: str) -> str:
    values = ", ".join(e.format(row=row) for e in expressions)
    return (f"INSERT INTO {table} ({', '.join(keys)}, cases, loss_fen) SELECT {values}, {sign}{row}.cases, "
            f"{sign}{row}.loss_fen WHERE true ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
            f"cases = cases + excluded.cases, loss_fen = loss_fen + excluded.loss_fen;")


def trigger_statements(dialect: str) -> list[str]:
    """The triggers that keep each roll-up with every row change of case_day_tally."""
    statements = []
    for table, (keys, expressions) in ROLLUPS.items():
        if dialect == 'postgresql':
            def add(row: str, sign: str, table=table, keys=keys, expressions=expressions) -> str:
                values = ", ".join(e.format(row=row) for e in expressions[dialect])
                return (f"INSERT INTO {table} ({', '.join(keys)}, cases, loss_fen) VALUES ({values}, "
                        f"{sign}{row}.cases, {sign}{row}.loss_fen) ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
                        f"cases = {table}.cases + excluded.cases, loss_fen = {table}.loss_fen + excluded.loss_fen;")
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
                body = " ".join(_sqlite_add(table, keys, expr, row, sign) for row, sign in parts)
                statements.append(f"CREATE TRIGGER {table}_tally_{when.lower()} AFTER {when} ON case_day_tally "
                                  f"FOR EACH ROW BEGIN {body} END")
    return statements


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in ROLLUPS:
        if dialect == 'postgresql':
            op.execute(f"DROP TRIGGER IF EXISTS {table}_tally ON case_day_tally")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_from_tally()")
        else:
            for when in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_tally_{when}")
        op.drop_table(table)
    op.drop_index('ix_strike_month_cases_month', table_name='strike_month_cases')
