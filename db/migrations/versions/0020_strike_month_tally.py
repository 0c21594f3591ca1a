"""打击挽损 month tally, kept 止付 milliseconds and 劝阻 stage seconds, indexes for 两升两降

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 16:00:00

strike_month_tally holds the ledger requests and counted interceptions per Beijing month, unit and grouping (unit,
bank/branch, fraud type); db/strike_tally.py keeps it with every write, so the page reads whole months from it and
only a period's edge days from the rows. recovery_request.stop_ms (milliseconds from report to 止付) and dissuasion's
stage seconds are kept with the row, so medians and the golden hour read integers; the covering indexes change to
hold them. strike_month_cases (cases, loss and solved per month and unit) is kept by triggers on case_day_tally and
fraud_case, so 两升两降 reads whole months from it whatever wrote the cases.
The existing rows are filled and counted here once (the same functions the writes use).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

REQUEST_SUMS = ['requested_at', 'unit_id', 'requested_fen', 'frozen_fen', 'returned_fen', 'stopped_at', 'reported_at',
                'bank_name', 'fraud_type']
REQUEST_STOP = ['requested_at', 'unit_id', 'requested_fen', 'frozen_fen', 'returned_fen', 'stop_ms', 'bank_name',
                'fraud_type']
DISSUASION_STAGES = ['warning_at', 'unit_id', 'attempted_at', 'reached_at', 'outcome_at']
STAGE_SECONDS = ['unit_id', 'warning_at', 'to_attempt_s', 'to_reach_s', 'to_outcome_s', 'total_s']


def upgrade() -> None:
    op.create_table('strike_month_tally',
    sa.Column('grouping', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('requests', sa.Integer(), nullable=False),
    sa.Column('requested_fen', sa.BigInteger(), nullable=False),
    sa.Column('frozen_fen', sa.BigInteger(), nullable=False),
    sa.Column('returned_fen', sa.BigInteger(), nullable=False),
    sa.Column('stopped', sa.Integer(), nullable=False),
    sa.Column('golden', sa.Integer(), nullable=False),
    sa.Column('interceptions', sa.Integer(), nullable=False),
    sa.Column('protected_fen', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('grouping', 'unit_id', 'key', 'month'),
    sqlite_with_rowid=False,
    )
    op.create_table('strike_month_values',
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('vals', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'month', 'unit_id'),
    )
    op.create_table('strike_month_cases',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('loss_fen', sa.BigInteger(), nullable=False),
    sa.Column('solved', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_id', 'month'),
    sqlite_with_rowid=False,
    )
    _month_cases(op.get_bind())
    op.add_column('recovery_request', sa.Column('stop_ms', sa.BigInteger(), nullable=True))
    for name in ('to_attempt_s', 'to_reach_s', 'to_outcome_s', 'total_s'):
        op.add_column('dissuasion', sa.Column(name, sa.Integer(), nullable=True))
    op.drop_index('ix_recovery_request_requested_sums', table_name='recovery_request')
    op.drop_index('ix_dissuasion_warning_stages', table_name='dissuasion')
    bind = op.get_bind()
    from db import strike_tally  # the functions every write uses: the same values for the existing rows
    strike_tally.fill_kept(bind)
    strike_tally.rebuild(bind)
    op.create_index('ix_recovery_request_requested_stop', 'recovery_request', REQUEST_STOP, unique=False)
    op.create_index('ix_dissuasion_unit_stage_seconds', 'dissuasion', STAGE_SECONDS, unique=False)


# strike_month_cases kept by the database: every change of case_day_tally (db/case_tally.py's upserts, deletes and
# rebuilds, whatever wrote the cases) and of a case's solved_on or unit moves the month's figures with it.
SQLITE_ADD = ("INSERT INTO strike_month_cases (unit_id, month, cases, loss_fen, solved) "
              "SELECT {unit}, date({day}, 'start of month'), {cases}, {loss}, {solved} WHERE {when} "
              "ON CONFLICT (unit_id, month) DO UPDATE SET cases = cases + excluded.cases, "
              "loss_fen = loss_fen + excluded.loss_fen, solved = solved + excluded.solved;")
SQLITE_TRIGGERS = {
    'strike_month_cases_tally_insert': ('AFTER INSERT ON case_day_tally', [
        ('NEW.unit_id', 'NEW.day', 'NEW.cases', 'NEW.loss_fen', '0', '1')]),
    'strike_month_cases_tally_update': ('AFTER UPDATE ON case_day_tally', [
        ('OLD.unit_id', 'OLD.day', '-OLD.cases', '-OLD.loss_fen', '0', '1'),
        ('NEW.unit_id', 'NEW.day', 'NEW.cases', 'NEW.loss_fen', '0', '1')]),
    'strike_month_cases_tally_delete': ('AFTER DELETE ON case_day_tally', [
        ('OLD.unit_id', 'OLD.day', '-OLD.cases', '-OLD.loss_fen', '0', '1')]),
    'strike_month_cases_solved_insert': ('AFTER INSERT ON fraud_case', [
        ('NEW.unit_id', 'NEW.solved_on', '0', '0', '1', 'NEW.solved_on IS NOT NULL')]),
    'strike_month_cases_solved_update': ('AFTER UPDATE OF solved_on, unit_id ON fraud_case', [
        ('OLD.unit_id', 'OLD.solved_on', '0', '0', '-1', 'OLD.solved_on IS NOT NULL'),
        ('NEW.unit_id', 'NEW.solved_on', '0', '0', '1', 'NEW.solved_on IS NOT NULL')]),
    'strike_month_cases_solved_delete': ('AFTER DELETE ON fraud_case', [
        ('OLD.unit_id', 'OLD.solved_on', '0', '0', '-1', 'OLD.solved_on IS NOT NULL')]),
}
POSTGRESQL_FUNCTIONS = """
CREATE FUNCTION strike_month_cases_add(u integer, d date, c integer, l bigint, s integer) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO strike_month_cases (unit_id, month, cases, loss_fen, solved)
    VALUES (u, date_trunc('month', d)::date, c, l, s)
    ON CONFLICT (unit_id, month) DO UPDATE SET cases = strike_month_cases.cases + excluded.cases,
        loss_fen = strike_month_cases.loss_fen + excluded.loss_fen, solved = strike_month_cases.solved + excluded.solved
$$;
CREATE FUNCTION strike_month_cases_from_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM strike_month_cases_add(OLD.unit_id, OLD.day, -OLD.cases, -OLD.loss_fen, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM strike_month_cases_add(NEW.unit_id, NEW.day, NEW.cases, NEW.loss_fen, 0);
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION strike_month_cases_from_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.solved_on IS NOT NULL THEN
        PERFORM strike_month_cases_add(OLD.unit_id, OLD.solved_on, 0, 0, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.solved_on IS NOT NULL THEN
        PERFORM strike_month_cases_add(NEW.unit_id, NEW.solved_on, 0, 0, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER strike_month_cases_tally AFTER INSERT OR UPDATE OR DELETE ON case_day_tally
    FOR EACH ROW EXECUTE FUNCTION strike_month_cases_from_tally();
CREATE TRIGGER strike_month_cases_solved AFTER INSERT OR UPDATE OF solved_on, unit_id OR DELETE ON fraud_case
    FOR EACH ROW EXECUTE FUNCTION strike_month_cases_from_case();
"""


def _month_cases(bind) -> None:
    """Count the existing months once, then let the triggers keep them."""
    if bind.dialect.name == 'postgresql':
        month = "date_trunc('month', {})::date"
    else:
        month = "date({}, 'start of month')"
    op.execute(f"""
        INSERT INTO strike_month_cases (unit_id, month, cases, loss_fen, solved)
        SELECT unit_id, month, SUM(cases), SUM(loss_fen), SUM(solved) FROM (
            SELECT unit_id, {month.format('day')} AS month, cases, loss_fen, 0 AS solved FROM case_day_tally
            UNION ALL
            SELECT unit_id, {month.format('solved_on')}, 0, 0, 1 FROM fraud_case WHERE solved_on IS NOT NULL
        ) AS counted GROUP BY unit_id, month
    """)
    if bind.dialect.name == 'postgresql':
        op.execute(POSTGRESQL_FUNCTIONS)
        return
    for name, (when, statements) in SQLITE_TRIGGERS.items():
        body = " ".join(SQLITE_ADD.format(unit=u, day=d, cases=c, loss=l, solved=s, when=w)
                        for u, d, c, l, s, w in statements)
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {body} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS strike_month_cases_solved ON fraud_case")
        op.execute("DROP TRIGGER IF EXISTS strike_month_cases_tally ON case_day_tally")
        op.execute("DROP FUNCTION IF EXISTS strike_month_cases_from_case()")
        op.execute("DROP FUNCTION IF EXISTS strike_month_cases_from_tally()")
        op.execute("DROP FUNCTION IF EXISTS strike_month_cases_add(integer, date, integer, bigint, integer)")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('strike_month_cases')
    op.drop_index('ix_dissuasion_unit_stage_seconds', table_name='dissuasion')
    op.drop_index('ix_recovery_request_requested_stop', table_name='recovery_request')
    op.create_index('ix_dissuasion_warning_stages', 'dissuasion', DISSUASION_STAGES, unique=False)
    op.create_index('ix_recovery_request_requested_sums', 'recovery_request', REQUEST_SUMS, unique=False)
    with op.batch_alter_table('dissuasion', schema=None) as batch_op:
        for name in ('total_s', 'to_outcome_s', 'to_reach_s', 'to_attempt_s'):
            batch_op.drop_column(name)
    with op.batch_alter_table('recovery_request', schema=None) as batch_op:
        batch_op.drop_column('stop_ms')
    op.drop_table('strike_month_values')
    op.drop_table('strike_month_tally')
