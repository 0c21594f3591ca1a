"""campaign follow-through: idempotent entries, inspections, consequences on accountability items

Revision ID: 0010
Revises: 0009
Also wall_device (issue 14): revocable sign-in of wall-display screens.

Create Date: 2026-11-30 08:12:08.590958
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('wall_device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('last_seen_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_seen_addr', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash', name='uq_wall_device_token_hash')
    )
    op.create_table('campaign_inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('inspector', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('fix_by', sa.Date(), nullable=True),
    sa.Column('fixed_on', sa.Date(), nullable=True),
    sa.Column('fix_note', sa.Text(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.CheckConstraint('fix_by IS NULL OR fix_by >= visited_on', name='ck_campaign_inspection_fix_by'),
    sa.CheckConstraint('fixed_on IS NULL OR fixed_on >= visited_on', name='ck_campaign_inspection_fixed_on'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key', name='uq_campaign_inspection_idempotency_key')
    )
    with op.batch_alter_table('campaign_inspection', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_inspection_campaign_unit', ['campaign_id', 'unit_id', 'visited_on'], unique=False)

    op.create_table('inspection_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size BETWEEN 1 AND 5242880', name='ck_inspection_photo_size'),
    sa.ForeignKeyConstraint(['inspection_id'], ['campaign_inspection.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inspection_photo', schema=None) as batch_op:
        batch_op.create_index('ix_inspection_photo_inspection', ['inspection_id'], unique=False)

    with op.batch_alter_table('accountability_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('trigger_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch_op.alter_column('case_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('rule_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_unique_constraint('uq_accountability_item_campaign_trigger', ['campaign_id', 'unit_id', 'trigger_key'])
        batch_op.create_foreign_key('fk_accountability_item_campaign_id', 'campaign', ['campaign_id'], ['id'])
        batch_op.create_check_constraint(
            'ck_accountability_item_source',
            "(case_id IS NULL AND campaign_id IS NOT NULL AND trigger_key IS NOT NULL) "
            "OR (case_id IS NOT NULL AND rule_id IS NOT NULL AND campaign_id IS NULL)")

    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_activity_idempotency_key', ['idempotency_key'])
        batch_op.create_check_constraint('ck_activity_receipts', 'receipts >= 0')

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('missed_reports_limit', sa.Integer(), server_default='2', nullable=True))
        batch_op.add_column(sa.Column('missed_reports_action', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='talk', nullable=True))
        batch_op.add_column(sa.Column('behind_pace_action', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='warn', nullable=True))
        batch_op.add_column(sa.Column('consequence_days', sa.Integer(), server_default='7', nullable=False))
        batch_op.create_check_constraint('ck_campaign_missed_limit', 'missed_reports_limit IS NULL OR missed_reports_limit >= 1')
        batch_op.create_check_constraint('ck_campaign_consequence_days', 'consequence_days >= 1')

    with op.batch_alter_table('campaign_base', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_campaign_base_idempotency_key', ['idempotency_key'])

    with op.batch_alter_table('campaign_survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_campaign_survey_idempotency_key', ['idempotency_key'])

    with op.batch_alter_table('campaign_task_done', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_unique_constraint('uq_campaign_task_done_idempotency_key', ['idempotency_key'])



def downgrade() -> None:
    with op.batch_alter_table('campaign_task_done', schema=None) as batch_op:
        batch_op.drop_constraint('uq_campaign_task_done_idempotency_key', type_='unique')
        batch_op.drop_column('idempotency_key')

    with op.batch_alter_table('campaign_survey', schema=None) as batch_op:
        batch_op.drop_constraint('uq_campaign_survey_idempotency_key', type_='unique')
        batch_op.drop_column('idempotency_key')

    with op.batch_alter_table('campaign_base', schema=None) as batch_op:
        batch_op.drop_constraint('uq_campaign_base_idempotency_key', type_='unique')
        batch_op.drop_column('idempotency_key')

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint('ck_campaign_consequence_days', type_='check')
        batch_op.drop_constraint('ck_campaign_missed_limit', type_='check')
        batch_op.drop_column('consequence_days')
        batch_op.drop_column('behind_pace_action')
        batch_op.drop_column('missed_reports_action')
        batch_op.drop_column('missed_reports_limit')

    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_constraint('ck_activity_receipts', type_='check')
        batch_op.drop_constraint('uq_activity_idempotency_key', type_='unique')
        batch_op.drop_column('idempotency_key')
        batch_op.drop_column('receipts')

    with op.batch_alter_table('accountability_item', schema=None) as batch_op:
        batch_op.drop_constraint('ck_accountability_item_source', type_='check')
        batch_op.drop_constraint('fk_accountability_item_campaign_id', type_='foreignkey')
        batch_op.drop_constraint('uq_accountability_item_campaign_trigger', type_='unique')
        batch_op.alter_column('rule_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('case_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('reason')
        batch_op.drop_column('trigger_key')
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('inspection_photo', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_photo_inspection')

    op.drop_table('inspection_photo')
    with op.batch_alter_table('campaign_inspection', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_inspection_campaign_unit')

    op.drop_table('campaign_inspection')
    op.drop_table('wall_device')
