"""outcome questionnaires, their answers, and each runner's schedule

Revision ID: 0011
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
import backend.db


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outcome_schedules',
    sa.Column('runner_id', sa.Uuid(), nullable=False),
    sa.Column('interval_weeks', sa.Integer(), nullable=False),
    sa.Column('requested_at', backend.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('interval_weeks BETWEEN 1 AND 26', name=op.f('ck_outcome_schedules_interval_weeks')),
    sa.ForeignKeyConstraint(['runner_id'], ['users.id'], name=op.f('fk_outcome_schedules_runner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('runner_id', name=op.f('pk_outcome_schedules'))
    )
    op.create_table('questionnaires',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content_version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_questionnaires_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaires')),
    sa.UniqueConstraint('slug', name=op.f('uq_questionnaires_slug'))
    )
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.create_index('ix_questionnaires_owner_id', ['owner_id'], unique=False)

    op.create_table('questionnaire_responses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('runner_id', sa.Uuid(), nullable=False),
    sa.Column('questionnaire_id', sa.Uuid(), nullable=False),
    sa.Column('answered_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], name=op.f('fk_questionnaire_responses_questionnaire_id_questionnaires'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['runner_id'], ['users.id'], name=op.f('fk_questionnaire_responses_runner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_responses'))
    )
    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.create_index('ix_questionnaire_responses_questionnaire_id', ['questionnaire_id'], unique=False)
        batch_op.create_index('ix_questionnaire_responses_runner_id_answered_at', ['runner_id', 'answered_at'], unique=False)



def downgrade():
    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_questionnaire_responses_runner_id_answered_at')
        batch_op.drop_index('ix_questionnaire_responses_questionnaire_id')

    op.drop_table('questionnaire_responses')
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.drop_index('ix_questionnaires_owner_id')

    op.drop_table('questionnaires')
    op.drop_table('outcome_schedules')
