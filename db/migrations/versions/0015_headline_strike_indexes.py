"""covering indexes for the 总览/大屏 打击挽损 figures (抓获, 止付/冻结/返还)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 12:30:00

The headline sums the people caught in strike results by day and the ledger's 止付/冻结/返还 amounts by the time
each request was made, over a unit subtree. Indexes holding every column those sums read make each period one
index range with no table lookups (破案 already reads ix_fraud_case_solved_on).
"""

from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('strike_result', schema=None) as batch_op:
        batch_op.create_index('ix_strike_result_day_cover', ['result_date', 'unit_id', 'caught'], unique=False)
    with op.batch_alter_table('recovery_request', schema=None) as batch_op:
        batch_op.create_index('ix_recovery_request_requested_cover',
                              ['requested_at', 'unit_id', 'stopped_fen', 'frozen_fen', 'returned_fen'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('recovery_request', schema=None) as batch_op:
        batch_op.drop_index('ix_recovery_request_requested_cover')
    with op.batch_alter_table('strike_result', schema=None) as batch_op:
        batch_op.drop_index('ix_strike_result_day_cover')
