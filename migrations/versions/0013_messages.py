"""messages between a runner and their practitioner

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa
import backend.db


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('messages',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('consent_id', sa.Uuid(), nullable=False),
    sa.Column('runner_id', sa.Uuid(), nullable=False),
    sa.Column('practitioner_id', sa.Uuid(), nullable=True),
    sa.Column('sender_id', sa.Uuid(), nullable=True),
    sa.Column('author', sa.String(length=12), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('run_id', sa.Uuid(), nullable=True),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.Column('routine_id', sa.Uuid(), nullable=True),
    sa.Column('weekdays', sa.JSON(), nullable=True),
    sa.Column('assignment_id', sa.Uuid(), nullable=True),
    sa.Column('accepted_at', backend.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', backend.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_messages_assignment_id_assignments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consent_id'], ['consents.id'], name=op.f('fk_messages_consent_id_consents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practitioner_id'], ['users.id'], name=op.f('fk_messages_practitioner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['routine_id'], ['routines.id'], name=op.f('fk_messages_routine_id_routines'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_messages_run_id_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['runner_id'], ['users.id'], name=op.f('fk_messages_runner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_messages_sender_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['routine_sessions.id'], name=op.f('fk_messages_session_id_routine_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_assignment_id', ['assignment_id'], unique=False)
        batch_op.create_index('ix_messages_consent_id_created_at', ['consent_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_messages_practitioner_id_read_at', ['practitioner_id', 'read_at'], unique=False)
        batch_op.create_index('ix_messages_routine_id', ['routine_id'], unique=False)
        batch_op.create_index('ix_messages_run_id', ['run_id'], unique=False)
        batch_op.create_index('ix_messages_runner_id_read_at', ['runner_id', 'read_at'], unique=False)
        batch_op.create_index('ix_messages_sender_id', ['sender_id'], unique=False)
        batch_op.create_index('ix_messages_session_id', ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_session_id')
        batch_op.drop_index('ix_messages_sender_id')
        batch_op.drop_index('ix_messages_runner_id_read_at')
        batch_op.drop_index('ix_messages_run_id')
        batch_op.drop_index('ix_messages_routine_id')
        batch_op.drop_index('ix_messages_practitioner_id_read_at')
        batch_op.drop_index('ix_messages_consent_id_created_at')
        batch_op.drop_index('ix_messages_assignment_id')

    op.drop_table('messages')
