"""month tallies of desk calls, the ledger and interceptions, kept by triggers

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 22:40:00

The 总览/大屏 headline reads 本月 and its comparisons (last month's and last year's same days) as whole Beijing months
less their other days: desk calls and 劝阻成功 per month and unit (from desk_call_day_tally), the ledger's requests and
止付/冻结/返还 per month of request and unit (from recovery_request), and counted 阻截 (not 未能阻截) per month and
unit (from interception). Each is kept by triggers on its source, whatever writes it, and filled here once. Months
are Beijing months by the fixed UTC+8 offset; reads use them only from October 1991 (China kept summer time until
September 1991), so a row of an earlier instant filed in a neighbouring month is never read from them.
"""

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

MONTH_OF_DAY = {'postgresql': "date_trunc('month', {row}.{column})::date",
                'sqlite': "date({row}.{column}, 'start of month')"}
MONTH_OF_INSTANT = {'postgresql': "date_trunc('month', timezone('Asia/Shanghai', {row}.{column}))::date",
                    'sqlite': "date(substr({row}.{column}, 1, 19), '+8 hours', 'start of month')"}
# table: (source, month expression and its column, unit expression, [(column, value expression)], condition or None)
TALLIES = {
    'desk_call_month_tally': ('desk_call_day_tally', (MONTH_OF_DAY, 'day'), '{row}.unit_id',
                              [('calls', '{row}.calls'), ('dissuaded', '{row}.dissuaded')], None),
    'ledger_month_tally': ('recovery_request', (MONTH_OF_INSTANT, 'requested_at'), '{row}.unit_id',
                           [('requests', '1'), ('stopped_fen', '{row}.stopped_fen'),
                            ('frozen_fen', '{row}.frozen_fen'), ('returned_fen', '{row}.returned_fen')], None),
    'interception_month_tally': ('interception', (MONTH_OF_INSTANT, 'intercepted_at'), '{row}.unit_id',
                                 [('interceptions', '1'), ('amount_fen', '{row}.amount_fen')],
                                 "({row}.outcome IS NULL OR {row}.outcome <> 'failed')"),
}


def upgrade() -> None:
    for table, (_, _, _, values, _) in TALLIES.items():
        op.create_table(table,
                        sa.Column('month', sa.Date(), nullable=False),
                        sa.Column('unit_id', sa.Integer(), nullable=False),
                        *[sa.Column(name, sa.BigInteger() if name.endswith('_fen') else sa.Integer(), nullable=False)
                          for name, _ in values],
                        sa.PrimaryKeyConstraint('month', 'unit_id'),
                        sqlite_with_rowid=False)
    dialect = op.get_bind().dialect.name
    for table in TALLIES:
        op.execute(fill_statement(table, dialect))
        for statement in trigger_statements(table, dialect):
            op.execute(statement)


def _parts(table: str, dialect: str, row: str) -> tuple[str, str, list[str], list[str], str]:
    source, (month, column), unit, values, condition = TALLIES[table]
    return (month[dialect].format(row=row, column=column), unit.format(row=row), [name for name, _ in values],
            [value.format(row=row) for _, value in values], (condition or 'true').format(row=row))


def fill_statement(table: str, dialect: str) -> str:
    """Count the tally from its source's rows (here once)."""
    source = TALLIES[table][0]
    month, unit, names, values, condition = _parts(table, dialect, source)
    sums = ", ".join(f"SUM({v})" for v in values)
    return (f"INSERT INTO {table} (month, unit_id, {', '.join(names)}) SELECT {month}, {unit}, {sums} "
            f"FROM {source} WHERE {condition} GROUP BY 1, 2")


def _upsert(table: str, dialect: str, row: str, sign: str, postgresql: bool) -> str:
    month, unit, names, values, condition = _parts(table, dialect, row)
    signed = ", ".join(f"{sign}({v})" for v in values)
    owner = f"{table}." if postgresql else ""
    updates = ", ".join(f"{n} = {owner}{n} + excluded.{n}" for n in names)
    head = f"INSERT INTO {table} (month, unit_id, {', '.join(names)})"
    if postgresql:
        return (f"IF {condition} THEN {head} VALUES ({month}, {unit}, {signed}) "
                f"ON CONFLICT (month, unit_id) DO UPDATE SET {updates}; END IF;")
    return f"{head} SELECT {month}, {unit}, {signed} WHERE {condition} ON CONFLICT (month, unit_id) DO UPDATE SET {updates};"


def trigger_statements(table: str, dialect: str) -> list[str]:
    """The triggers that keep the tally with every row change of its source."""
    source = TALLIES[table][0]
    if dialect == 'postgresql':
        return [f"""
CREATE FUNCTION {table}_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {_upsert(table, dialect, 'OLD', '-', True)}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {_upsert(table, dialect, 'NEW', '', True)}
    END IF;
    RETURN NULL;
END $$""", f"CREATE TRIGGER {table}_keep AFTER INSERT OR UPDATE OR DELETE ON {source} "
           f"FOR EACH ROW EXECUTE FUNCTION {table}_keep()"]
    statements = []
    for when, parts in (('INSERT', [('NEW', '')]), ('UPDATE', [('OLD', '-'), ('NEW', '')]), ('DELETE', [('OLD', '-')])):
        body = " ".join(_upsert(table, dialect, row, sign, False) for row, sign in parts)
        statements.append(f"CREATE TRIGGER {table}_keep_{when.lower()} AFTER {when} ON {source} "
                          f"FOR EACH ROW BEGIN {body} END")
    return statements


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, (source, *_) in TALLIES.items():
        if dialect == 'postgresql':
            op.execute(f"DROP TRIGGER IF EXISTS {table}_keep ON {source}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_keep()")
        else:
            for when in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_keep_{when}")
        op.drop_table(table)
