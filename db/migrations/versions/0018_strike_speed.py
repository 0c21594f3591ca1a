"""covering indexes for the 打击挽损 page's ledger measures, 挽损 tables and 劝阻 stage medians

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 13:05:00

The page sums the ledger requests of a period (requested, frozen, returned, minutes from report to 止付, grouped
by bank and fraud type), the interceptions of a period by branch and type, and the 劝阻 stage times of a period.
Indexes led by the time column and holding every column those reads use make each one an index range read with no
table lookups (the unit filter is checked in the index).
"""

from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

REQUEST_SUMS = ['requested_at', 'unit_id', 'requested_fen', 'frozen_fen', 'returned_fen', 'stopped_at', 'reported_at',
                'bank_name', 'fraud_type']
INTERCEPTION_SUMS = ['intercepted_at', 'unit_id', 'outcome', 'amount_fen', 'branch_name', 'fraud_type']
DISSUASION_STAGES = ['warning_at', 'unit_id', 'attempted_at', 'reached_at', 'outcome_at']


def upgrade() -> None:
    with op.batch_alter_table('recovery_request', schema=None) as batch_op:
        batch_op.create_index('ix_recovery_request_requested_sums', REQUEST_SUMS, unique=False)
    with op.batch_alter_table('interception', schema=None) as batch_op:
        batch_op.create_index('ix_interception_at_sums', INTERCEPTION_SUMS, unique=False)
    with op.batch_alter_table('dissuasion', schema=None) as batch_op:
        batch_op.create_index('ix_dissuasion_warning_stages', DISSUASION_STAGES, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dissuasion', schema=None) as batch_op:
        batch_op.drop_index('ix_dissuasion_warning_stages')
    with op.batch_alter_table('interception', schema=None) as batch_op:
        batch_op.drop_index('ix_interception_at_sums')
    with op.batch_alter_table('recovery_request', schema=None) as batch_op:
        batch_op.drop_index('ix_recovery_request_requested_sums')
