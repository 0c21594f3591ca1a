"""indexes for the wall's 未定位 count and its accountability reads

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 13:40:00

The map's and the wall's 未定位 count reads only the cases without a location (a partial index, the same condition
as the query); the wall's latest threshold triggers and the summary's items raised/closed in a month read
accountability items by raised_at and closed_at instead of every item.
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

UNLOCATED = sa.text("lon IS NULL OR lat IS NULL")


def upgrade() -> None:
    op.create_index('ix_fraud_case_unlocated', 'fraud_case', ['reported_at', 'unit_id', 'fraud_type'], unique=False,
                    sqlite_where=UNLOCATED, postgresql_where=UNLOCATED)
    op.create_index('ix_accountability_item_raised', 'accountability_item', ['raised_at'], unique=False)
    op.create_index('ix_accountability_item_closed', 'accountability_item', ['closed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_accountability_item_closed', table_name='accountability_item')
    op.drop_index('ix_accountability_item_raised', table_name='accountability_item')
    op.drop_index('ix_fraud_case_unlocated', table_name='fraud_case')
