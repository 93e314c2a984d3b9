"""keep the runner's trail, invite expiry, per-account sign-in brake

A practitioner who erases their account no longer takes their former clients' consent
history and access log with them: the link is cleared and their name is kept. Invite
codes may expire. Wrong passwords are counted per account.

Revision ID: 0006
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from backend.db import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TRAIL = ("consents", "access_logs")


def _fk(table: str) -> str:
    return f"fk_{table}_practitioner_id_users"


def upgrade():
    for table in TRAIL:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("practitioner_name", sa.String(length=80)))
            batch_op.alter_column("practitioner_id", existing_type=sa.Uuid(), nullable=True)
            batch_op.drop_constraint(_fk(table), type_="foreignkey")
            batch_op.create_foreign_key(
                _fk(table), "users", ["practitioner_id"], ["id"], ondelete="SET NULL"
            )
    with op.batch_alter_table("practice_invites") as batch_op:
        batch_op.add_column(sa.Column("expires_at", UTCDateTime(), nullable=True))
    op.create_table(
        "login_brakes",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", UTCDateTime(), nullable=False),
        sa.Column("blocked_until", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key_hash", name="pk_login_brakes"),
    )


def downgrade():
    op.drop_table("login_brakes")
    with op.batch_alter_table("practice_invites") as batch_op:
        batch_op.drop_column("expires_at")
    for table in TRAIL:
        op.execute(f"DELETE FROM {table} WHERE practitioner_id IS NULL")  # noqa: S608
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(_fk(table), type_="foreignkey")
            batch_op.create_foreign_key(
                _fk(table), "users", ["practitioner_id"], ["id"], ondelete="CASCADE"
            )
            batch_op.alter_column("practitioner_id", existing_type=sa.Uuid(), nullable=False)
            batch_op.drop_column("practitioner_name")
