"""login sessions: one-time handoff code for the server-set HttpOnly cookie

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 06:00:00
"""

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handoff_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("handoff_expires_at", db.types.UTCDateTime(), nullable=True))
        batch_op.create_index("ix_login_session_handoff", ["handoff_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_index("ix_login_session_handoff")
        batch_op.drop_column("handoff_expires_at")
        batch_op.drop_column("handoff_hash")
