"""per-runner daily run rollups, and a data version on every user for conditional GETs

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('run_rollups',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('surface', sa.String(length=16), nullable=False),
    sa.Column('workout_type', sa.String(length=16), nullable=False),
    sa.Column('terrain', sa.String(length=8), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('rated', sa.Integer(), nullable=False),
    sa.Column('stiffness_sum', sa.Integer(), nullable=False),
    sa.Column('km', sa.Float(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('unweighed', sa.Integer(), nullable=False),
    sa.Column('unweighed_km', sa.Float(), nullable=False),
    sa.Column('unweighed_s', sa.Integer(), nullable=False),
    sa.Column('weight_km', sa.Float(), nullable=False),
    sa.Column('weight_s', sa.Float(), nullable=False),
    sa.Column('mornings', sa.Integer(), nullable=False),
    sa.Column('morning_sum', sa.Integer(), nullable=False),
    sa.Column('lingering', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_run_rollups_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'local_date', 'surface', 'workout_type', 'terrain', name=op.f('pk_run_rollups'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_version', sa.Integer(), server_default='0', nullable=False))

    # Backfill: the rollups of every run already stored.
    from sqlalchemy.orm import Session

    from backend.progress.rollups import rebuild

    session = Session(bind=op.get_bind())
    rebuild(session)
    session.flush()


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('data_version')

    op.drop_table('run_rollups')
