"""morning check-in on runs, private calendar feeds

A run gets the stiffness the runner reports the morning after (0-10) and when it was
given; each runner may have one private calendar URL, stored as a hash of its token.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

import backend.db

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("runs") as batch_op:
        batch_op.add_column(sa.Column("morning_stiffness", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("morning_at", backend.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_check_constraint(
            op.f("ck_runs_morning_stiffness"), "morning_stiffness BETWEEN 0 AND 10"
        )
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_fetched_at", backend.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
        sa.UniqueConstraint("user_id", name=op.f("uq_calendar_feeds_user_id")),
    )


def downgrade():
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("runs") as batch_op:
        batch_op.drop_constraint(op.f("ck_runs_morning_stiffness"), type_="check")
        batch_op.drop_column("morning_at")
        batch_op.drop_column("morning_stiffness")
