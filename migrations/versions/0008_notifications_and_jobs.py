"""notifications, push subscriptions and failed background tasks

Revision ID: 0008
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
import backend.db


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_failures',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('task', sa.String(length=120), nullable=False),
    sa.Column('task_id', sa.String(length=64), nullable=False),
    sa.Column('arguments', sa.String(length=300), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=False),
    sa.Column('request_id', sa.String(length=128), nullable=True),
    sa.Column('failed_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_failures'))
    )
    with op.batch_alter_table('job_failures', schema=None) as batch_op:
        batch_op.create_index('ix_job_failures_failed_at', ['failed_at'], unique=False)

    op.create_table('notification_settings',
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('reminder_time', sa.Time(), nullable=False),
    sa.Column('checkin_time', sa.Time(), nullable=False),
    sa.Column('digest_time', sa.Time(), nullable=False),
    sa.Column('quiet_start', sa.Time(), nullable=True),
    sa.Column('quiet_end', sa.Time(), nullable=True),
    sa.Column('digest_through', backend.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_settings'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.Column('in_app', sa.Boolean(), nullable=False),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', backend.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_notifications_user_id_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_id_created_at', ['user_id', 'created_at'], unique=False)

    op.create_table('push_subscriptions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('endpoint', sa.String(length=1000), nullable=False),
    sa.Column('p256dh', sa.String(length=200), nullable=False),
    sa.Column('auth', sa.String(length=100), nullable=False),
    sa.Column('created_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_push_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscriptions_endpoint'))
    )
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.create_index('ix_push_subscriptions_user_id', ['user_id'], unique=False)

    op.create_table('notification_deliveries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('notification_id', sa.Uuid(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('subscription_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.Column('updated_at', backend.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', backend.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_notification_deliveries_notification_id_notifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subscription_id'], ['push_subscriptions.id'], name=op.f('fk_notification_deliveries_subscription_id_push_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_deliveries'))
    )
    with op.batch_alter_table('notification_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_notification_deliveries_notification_id', ['notification_id'], unique=False)
        batch_op.create_index('ix_notification_deliveries_status_updated_at', ['status', 'updated_at'], unique=False)



def downgrade():
    with op.batch_alter_table('notification_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_deliveries_status_updated_at')
        batch_op.drop_index('ix_notification_deliveries_notification_id')

    op.drop_table('notification_deliveries')
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_index('ix_push_subscriptions_user_id')

    op.drop_table('push_subscriptions')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_id_created_at')

    op.drop_table('notifications')
    op.drop_table('notification_settings')
    with op.batch_alter_table('job_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_job_failures_failed_at')

    op.drop_table('job_failures')
