"""Identifier sources and results (银行/运营商/平台报送, 封停) and strike results linked to cases and identifiers

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 13:00:00

identifier_action records per identifier who reported it as a fraud number/account (a bank, an operator, a platform)
and who suspended it (封停), with the institution, the day and a note; saved once per form key.
strike_result_link ties a strike result (打击战果) to the cases and identifiers it struck.
"""

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'identifier_action',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=80), nullable=False),
        sa.Column('identifier_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('institution', sa.String(length=64), nullable=False),
        sa.Column('on_date', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['identifier_id'], ['identifier.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id']),
        sa.ForeignKeyConstraint(['created_by'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('idempotency_key', name='uq_identifier_action_idempotency_key'),
    )
    op.create_index('ix_identifier_action_identifier', 'identifier_action', ['identifier_id', 'kind'], unique=False)
    op.create_table(
        'strike_result_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('strike_result_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('identifier_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('case_id IS NOT NULL OR identifier_id IS NOT NULL', name='ck_strike_result_link_target'),
        sa.ForeignKeyConstraint(['strike_result_id'], ['strike_result.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['case_id'], ['fraud_case.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['identifier_id'], ['identifier.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_strike_result_link_result', 'strike_result_link', ['strike_result_id'], unique=False)
    op.create_index('ix_strike_result_link_case', 'strike_result_link', ['case_id'], unique=False)
    op.create_index('ix_strike_result_link_identifier', 'strike_result_link', ['identifier_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_strike_result_link_identifier', table_name='strike_result_link')
    op.drop_index('ix_strike_result_link_case', table_name='strike_result_link')
    op.drop_index('ix_strike_result_link_result', table_name='strike_result_link')
    op.drop_table('strike_result_link')
    op.drop_index('ix_identifier_action_identifier', table_name='identifier_action')
    op.drop_table('identifier_action')
