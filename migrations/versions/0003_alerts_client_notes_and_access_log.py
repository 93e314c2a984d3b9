"""alerts, client notes and access log

Revision ID: 0003
Revises: 0002

"""
from alembic import op
import sqlalchemy as sa
import backend.db


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_logs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('practitioner_id', sa.Uuid(), nullable=False),
    sa.Column('runner_id', sa.Uuid(), nullable=False),
    sa.Column('what', sa.String(length=20), nullable=False),
    sa.Column('at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['practitioner_id'], ['users.id'], name=op.f('fk_access_logs_practitioner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['runner_id'], ['users.id'], name=op.f('fk_access_logs_runner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_logs'))
    )
    with op.batch_alter_table('access_logs', schema=None) as batch_op:
        batch_op.create_index('ix_access_logs_runner_id_at', ['runner_id', 'at'], unique=False)

    op.create_table('client_notes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('practitioner_id', sa.Uuid(), nullable=False),
    sa.Column('runner_id', sa.Uuid(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['practitioner_id'], ['users.id'], name=op.f('fk_client_notes_practitioner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['runner_id'], ['users.id'], name=op.f('fk_client_notes_runner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_notes'))
    )
    with op.batch_alter_table('client_notes', schema=None) as batch_op:
        batch_op.create_index('ix_client_notes_practitioner_id_runner_id', ['practitioner_id', 'runner_id', 'created_at'], unique=False)

    op.create_table('alerts',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('practitioner_id', sa.Uuid(), nullable=False),
    sa.Column('runner_id', sa.Uuid(), nullable=False),
    sa.Column('run_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', backend.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['practitioner_id'], ['users.id'], name=op.f('fk_alerts_practitioner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_alerts_run_id_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['runner_id'], ['users.id'], name=op.f('fk_alerts_runner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('practitioner_id', 'runner_id', 'key', name=op.f('uq_alerts_practitioner_id_runner_id_key'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index('ix_alerts_practitioner_id_created_at', ['practitioner_id', 'created_at'], unique=False)
        batch_op.create_index('ix_alerts_runner_id', ['runner_id'], unique=False)



def downgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_alerts_runner_id')
        batch_op.drop_index('ix_alerts_practitioner_id_created_at')

    op.drop_table('alerts')
    with op.batch_alter_table('client_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_client_notes_practitioner_id_runner_id')

    op.drop_table('client_notes')
    with op.batch_alter_table('access_logs', schema=None) as batch_op:
        batch_op.drop_index('ix_access_logs_runner_id_at')

    op.drop_table('access_logs')
