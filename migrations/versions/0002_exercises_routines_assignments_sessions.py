"""exercises, routines, assignments and routine sessions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 08:18:45.035788

"""
from alembic import op
import sqlalchemy as sa
import backend.db


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exercises',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=True),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('instructions', sa.JSON(), nullable=False),
    sa.Column('cues', sa.JSON(), nullable=False),
    sa.Column('safety', sa.JSON(), nullable=False),
    sa.Column('illustration', sa.String(length=200), nullable=True),
    sa.Column('equipment', sa.String(length=40), nullable=False),
    sa.Column('body_areas', sa.JSON(), nullable=False),
    sa.Column('content_version', sa.Integer(), nullable=True),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(owner_id IS NULL AND slug IS NOT NULL) OR (owner_id IS NOT NULL AND slug IS NULL)', name=op.f('ck_exercises_builtin_or_owned')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_exercises_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exercises')),
    sa.UniqueConstraint('slug', name=op.f('uq_exercises_slug'))
    )
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.create_index('ix_exercises_owner_id', ['owner_id'], unique=False)

    op.create_table('routines',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=True),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('safety', sa.JSON(), nullable=False),
    sa.Column('estimated_minutes', sa.Integer(), nullable=False),
    sa.Column('starter_order', sa.Integer(), nullable=True),
    sa.Column('content_version', sa.Integer(), nullable=True),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(owner_id IS NULL AND slug IS NOT NULL) OR (owner_id IS NOT NULL AND slug IS NULL)', name=op.f('ck_routines_builtin_or_owned')),
    sa.CheckConstraint('estimated_minutes > 0', name=op.f('ck_routines_estimated_minutes')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_routines_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routines')),
    sa.UniqueConstraint('slug', name=op.f('uq_routines_slug'))
    )
    with op.batch_alter_table('routines', schema=None) as batch_op:
        batch_op.create_index('ix_routines_owner_id', ['owner_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('runner_id', sa.Uuid(), nullable=False),
    sa.Column('routine_id', sa.Uuid(), nullable=False),
    sa.Column('weekdays', sa.JSON(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('assigned_by', sa.Uuid(), nullable=False),
    sa.Column('deleted_at', backend.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_assignments_dates')),
    sa.ForeignKeyConstraint(['assigned_by'], ['users.id'], name=op.f('fk_assignments_assigned_by_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['routine_id'], ['routines.id'], name=op.f('fk_assignments_routine_id_routines')),
    sa.ForeignKeyConstraint(['runner_id'], ['users.id'], name=op.f('fk_assignments_runner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_assigned_by', ['assigned_by'], unique=False)
        batch_op.create_index('ix_assignments_routine_id', ['routine_id'], unique=False)
        batch_op.create_index('ix_assignments_runner_id_starts_on', ['runner_id', 'starts_on'], unique=False)

    op.create_table('routine_sessions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('runner_id', sa.Uuid(), nullable=False),
    sa.Column('routine_id', sa.Uuid(), nullable=False),
    sa.Column('completed_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['routine_id'], ['routines.id'], name=op.f('fk_routine_sessions_routine_id_routines')),
    sa.ForeignKeyConstraint(['runner_id'], ['users.id'], name=op.f('fk_routine_sessions_runner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routine_sessions'))
    )
    with op.batch_alter_table('routine_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_routine_sessions_routine_id', ['routine_id'], unique=False)
        batch_op.create_index('ix_routine_sessions_runner_id_completed_at', ['runner_id', 'completed_at'], unique=False)
        batch_op.create_index('ix_routine_sessions_runner_id_local_date', ['runner_id', 'local_date'], unique=False)

    op.create_table('routine_steps',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('routine_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Uuid(), nullable=False),
    sa.Column('sets', sa.Integer(), nullable=False),
    sa.Column('reps', sa.Integer(), nullable=True),
    sa.Column('seconds', sa.Integer(), nullable=True),
    sa.Column('breaths', sa.Integer(), nullable=True),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('rest_s', sa.Integer(), nullable=False),
    sa.Column('cues', sa.JSON(), nullable=False),
    sa.CheckConstraint("side IN ('both', 'left', 'right', 'each')", name=op.f('ck_routine_steps_side')),
    sa.CheckConstraint('(CASE WHEN reps IS NULL THEN 0 ELSE 1 END) + (CASE WHEN seconds IS NULL THEN 0 ELSE 1 END) + (CASE WHEN breaths IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_routine_steps_one_dose')),
    sa.CheckConstraint('rest_s >= 0', name=op.f('ck_routine_steps_rest_s')),
    sa.CheckConstraint('sets >= 1', name=op.f('ck_routine_steps_sets')),
    sa.ForeignKeyConstraint(['exercise_id'], ['exercises.id'], name=op.f('fk_routine_steps_exercise_id_exercises')),
    sa.ForeignKeyConstraint(['routine_id'], ['routines.id'], name=op.f('fk_routine_steps_routine_id_routines'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routine_steps')),
    sa.UniqueConstraint('routine_id', 'position', name=op.f('uq_routine_steps_routine_id_position'))
    )
    with op.batch_alter_table('routine_steps', schema=None) as batch_op:
        batch_op.create_index('ix_routine_steps_exercise_id', ['exercise_id'], unique=False)



def downgrade():
    with op.batch_alter_table('routine_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_routine_steps_exercise_id')

    op.drop_table('routine_steps')
    with op.batch_alter_table('routine_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_routine_sessions_runner_id_local_date')
        batch_op.drop_index('ix_routine_sessions_runner_id_completed_at')
        batch_op.drop_index('ix_routine_sessions_routine_id')

    op.drop_table('routine_sessions')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_runner_id_starts_on')
        batch_op.drop_index('ix_assignments_routine_id')
        batch_op.drop_index('ix_assignments_assigned_by')

    op.drop_table('assignments')
    with op.batch_alter_table('routines', schema=None) as batch_op:
        batch_op.drop_index('ix_routines_owner_id')

    op.drop_table('routines')
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.drop_index('ix_exercises_owner_id')

    op.drop_table('exercises')
