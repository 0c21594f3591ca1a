"""campaign progress (issue 13): targets by kind, partners, bases, surveys, tasks, photos

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 06:21:39.053256
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activity_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size BETWEEN 1 AND 5242880', name='ck_activity_photo_size'),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('activity_photo', schema=None) as batch_op:
        batch_op.create_index('ix_activity_photo_activity', ['activity_id'], unique=False)

    op.create_table('campaign_base',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('base_value', sa.Integer(), nullable=False),
    sa.Column('declared_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('declared_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.CheckConstraint('base_value > 0', name='ck_campaign_base_value'),
    sa.ForeignKeyConstraint(['target_id'], ['campaign_target.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('campaign_base', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_base_target_unit', ['target_id', 'unit_id', 'declared_at'], unique=False)

    op.create_table('campaign_survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('survey_date', sa.Date(), nullable=False),
    sa.Column('sample_size', sa.Integer(), nullable=False),
    sa.Column('yes_count', sa.Integer(), nullable=False),
    sa.Column('entered_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('sample_size > 0 AND yes_count >= 0 AND yes_count <= sample_size', name='ck_campaign_survey_counts'),
    sa.ForeignKeyConstraint(['target_id'], ['campaign_target.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('campaign_survey', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_survey_target_unit', ['target_id', 'unit_id'], unique=False)

    op.create_table('campaign_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_number', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('submitted_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.CheckConstraint('period_number >= 1', name='ck_campaign_report_period'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'unit_id', 'period_number', name='uq_campaign_report_period')
    )
    op.create_table('campaign_task_done',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('evidence_note', sa.Text(), nullable=False),
    sa.Column('entered_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['campaign_target.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('target_id', 'unit_id', name='uq_campaign_task_done_target_unit')
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('officers', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint('ck_activity_officers', 'officers >= 0')

    with op.batch_alter_table('campaign_target', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='count', nullable=False))
        batch_op.add_column(sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('measure', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('outreach', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column('applies_to_unit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('due_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('min_sample', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_campaign_target_applies_to_unit', 'unit', ['applies_to_unit_id'], ['id'])
        batch_op.create_check_constraint('ck_campaign_target_min_sample', 'min_sample IS NULL OR min_sample > 0')

    with op.batch_alter_table('campaign_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('liaison_name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column('liaison_phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('campaign_unit', schema=None) as batch_op:
        batch_op.drop_column('liaison_phone')
        batch_op.drop_column('liaison_name')
        batch_op.drop_column('partner')

    with op.batch_alter_table('campaign_target', schema=None) as batch_op:
        batch_op.drop_constraint('ck_campaign_target_min_sample', type_='check')
        batch_op.drop_constraint('fk_campaign_target_applies_to_unit', type_='foreignkey')
        batch_op.drop_column('min_sample')
        batch_op.drop_column('due_date')
        batch_op.drop_column('applies_to_unit_id')
        batch_op.drop_column('channel')
        batch_op.drop_column('outreach')
        batch_op.drop_column('measure')
        batch_op.drop_column('period')
        batch_op.drop_column('kind')

    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_constraint('ck_activity_officers', type_='check')
        batch_op.drop_column('officers')
        batch_op.drop_column('audience')

    op.drop_table('campaign_task_done')
    op.drop_table('campaign_report')
    with op.batch_alter_table('campaign_survey', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_survey_target_unit')

    op.drop_table('campaign_survey')
    with op.batch_alter_table('campaign_base', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_base_target_unit')

    op.drop_table('campaign_base')
    with op.batch_alter_table('activity_photo', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_photo_activity')

    op.drop_table('activity_photo')
