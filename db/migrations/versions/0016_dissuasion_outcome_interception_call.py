"""劝阻 outcome time and the interception → desk call link index

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 12:40:00

A 劝阻 keeps when its outcome was known (stopped / already paid / unreachable), so 打击挽损 shows the minutes of every
stage: warning → contact attempted → reached → outcome. Rows saved before have no outcome time: their last stage
and total show no minutes (never zero). The desk's 记录阻截 looks up the interceptions of a call by call_id.
"""

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dissuasion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome_at', db.types.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('interception', schema=None) as batch_op:
        batch_op.create_index('ix_interception_call', ['call_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('interception', schema=None) as batch_op:
        batch_op.drop_index('ix_interception_call')
    with op.batch_alter_table('dissuasion', schema=None) as batch_op:
        batch_op.drop_column('outcome_at')
