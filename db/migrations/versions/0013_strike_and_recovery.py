"""打击与挽损: case solving, strike results, the 止付/冻结/返还 ledger, dissuasion, fuller interceptions

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 09:12:41.337513
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('strike_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('result_date', sa.Date(), nullable=False),
    sa.Column('caught', sa.Integer(), nullable=False),
    sa.Column('detained', sa.Integer(), nullable=False),
    sa.Column('dens', sa.Integer(), nullable=False),
    sa.Column('two_card_cases', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('import_batch', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('caught >= 0 AND detained >= 0 AND dens >= 0 AND two_card_cases >= 0', name='ck_strike_result_counts'),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key', name='uq_strike_result_idempotency_key')
    )
    with op.batch_alter_table('strike_result', schema=None) as batch_op:
        batch_op.create_index('ix_strike_result_day_unit', ['result_date', 'unit_id'], unique=False)

    op.create_table('dissuasion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('warning_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempted_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reached_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['desk_call.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['fraud_case.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key', name='uq_dissuasion_idempotency_key')
    )
    with op.batch_alter_table('dissuasion', schema=None) as batch_op:
        batch_op.create_index('ix_dissuasion_unit_warning', ['unit_id', 'warning_at'], unique=False)
        batch_op.create_index('ix_dissuasion_warning', ['warning_at'], unique=False)

    op.create_table('recovery_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('desk_call_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('identifier_id', sa.Integer(), nullable=False),
    sa.Column('bank_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('fraud_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('reported_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('stopped_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('frozen_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('requested_fen', sa.BigInteger(), nullable=False),
    sa.Column('stopped_fen', sa.BigInteger(), nullable=False),
    sa.Column('frozen_fen', sa.BigInteger(), nullable=False),
    sa.Column('returned_fen', sa.BigInteger(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('case_id IS NOT NULL OR desk_call_id IS NOT NULL', name='ck_recovery_request_source'),
    sa.CheckConstraint('frozen_fen <= requested_fen', name='ck_recovery_request_frozen'),
    sa.CheckConstraint('requested_fen >= 0 AND stopped_fen >= 0 AND frozen_fen >= 0 AND returned_fen >= 0', name='ck_recovery_request_amounts'),
    sa.CheckConstraint('returned_fen <= frozen_fen', name='ck_recovery_request_returned'),
    sa.CheckConstraint('stopped_fen <= requested_fen', name='ck_recovery_request_stopped'),
    sa.ForeignKeyConstraint(['case_id'], ['fraud_case.id'], ),
    sa.ForeignKeyConstraint(['desk_call_id'], ['desk_call.id'], ),
    sa.ForeignKeyConstraint(['identifier_id'], ['identifier.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.ForeignKeyConstraint(['updated_by'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key', name='uq_recovery_request_idempotency_key')
    )
    with op.batch_alter_table('recovery_request', schema=None) as batch_op:
        batch_op.create_index('ix_recovery_request_call', ['desk_call_id'], unique=False)
        batch_op.create_index('ix_recovery_request_case', ['case_id'], unique=False)
        batch_op.create_index('ix_recovery_request_requested', ['requested_at'], unique=False)
        batch_op.create_index('ix_recovery_request_unit_requested', ['unit_id', 'requested_at'], unique=False)

    op.create_table('recovery_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_fen >= 0', name='ck_recovery_event_amount'),
    sa.ForeignKeyConstraint(['request_id'], ['recovery_request.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key', name='uq_recovery_event_idempotency_key')
    )
    with op.batch_alter_table('recovery_event', schema=None) as batch_op:
        batch_op.create_index('ix_recovery_event_request', ['request_id'], unique=False)

    with op.batch_alter_table('fraud_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('solved_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('solved_how', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.create_index('ix_fraud_case_solved_on', ['solved_on', 'unit_id'], unique=False)

    with op.batch_alter_table('interception', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bank_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('officer_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('call_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_interception_idempotency_key', ['idempotency_key'])
        batch_op.create_foreign_key('fk_interception_call_id', 'desk_call', ['call_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('interception', schema=None) as batch_op:
        batch_op.drop_constraint('fk_interception_call_id', type_='foreignkey')
        batch_op.drop_constraint('uq_interception_idempotency_key', type_='unique')
        batch_op.drop_column('idempotency_key')
        batch_op.drop_column('call_id')
        batch_op.drop_column('outcome')
        batch_op.drop_column('officer_name')
        batch_op.drop_column('bank_name')

    with op.batch_alter_table('fraud_case', schema=None) as batch_op:
        batch_op.drop_index('ix_fraud_case_solved_on')
        batch_op.drop_column('solved_how')
        batch_op.drop_column('solved_on')

    with op.batch_alter_table('recovery_request', schema=None) as batch_op:
        batch_op.drop_index('ix_recovery_request_unit_requested')
        batch_op.drop_index('ix_recovery_request_requested')
        batch_op.drop_index('ix_recovery_request_case')
        batch_op.drop_index('ix_recovery_request_call')

    with op.batch_alter_table('recovery_event', schema=None) as batch_op:
        batch_op.drop_index('ix_recovery_event_request')

    op.drop_table('recovery_event')
    op.drop_table('recovery_request')
    with op.batch_alter_table('dissuasion', schema=None) as batch_op:
        batch_op.drop_index('ix_dissuasion_warning')
        batch_op.drop_index('ix_dissuasion_unit_warning')

    op.drop_table('dissuasion')
    with op.batch_alter_table('strike_result', schema=None) as batch_op:
        batch_op.drop_index('ix_strike_result_day_unit')

    op.drop_table('strike_result')
