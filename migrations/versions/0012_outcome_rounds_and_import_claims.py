"""one answer per due questionnaire round, fresh PSFS activity sets, import job claims

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa
import backend.db


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('heartbeat_at', backend.db.UTCDateTime(timezone=True), nullable=True))

    op.create_table('questionnaire_series',
    sa.Column('runner_id', sa.Uuid(), nullable=False),
    sa.Column('questionnaire_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('started_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_by', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], name=op.f('fk_questionnaire_series_questionnaire_id_questionnaires'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['runner_id'], ['users.id'], name=op.f('fk_questionnaire_series_runner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['started_by'], ['users.id'], name=op.f('fk_questionnaire_series_started_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('runner_id', 'questionnaire_id', 'number', name=op.f('pk_questionnaire_series'))
    )
    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follows', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('series', sa.Integer(), server_default='1', nullable=False))

    # Each earlier answer follows the one before it (by time) for the same runner and
    # questionnaire: distinct by construction, so the constraint below holds at once.
    responses = sa.table(
        'questionnaire_responses',
        sa.column('id', sa.Uuid()),
        sa.column('runner_id', sa.Uuid()),
        sa.column('questionnaire_id', sa.Uuid()),
        sa.column('answered_at', backend.db.UTCDateTime(timezone=True)),
        sa.column('follows', sa.String(36)),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(responses.c.id, responses.c.runner_id, responses.c.questionnaire_id)
        .order_by(responses.c.runner_id, responses.c.questionnaire_id,
                  responses.c.answered_at, responses.c.id)
    ).all()
    previous = {}
    for ident, runner_id, questionnaire_id in rows:
        pair = (runner_id, questionnaire_id)
        follows = previous.get(pair, 'start')
        bind.execute(
            responses.update().where(responses.c.id == ident).values(follows=follows)
        )
        previous[pair] = str(ident)

    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.alter_column('follows', existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_questionnaire_responses_runner_id_questionnaire_id_follows'), ['runner_id', 'questionnaire_id', 'follows'])


def downgrade():
    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_questionnaire_responses_runner_id_questionnaire_id_follows'), type_='unique')
        batch_op.drop_column('series')
        batch_op.drop_column('follows')

    op.drop_table('questionnaire_series')
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('attempts')
