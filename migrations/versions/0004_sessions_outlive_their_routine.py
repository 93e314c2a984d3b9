"""routine sessions outlive their routine

A practitioner who erases their account takes their own routines with them; their
clients' sessions of those routines stay, keeping the routine's name.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FK = "fk_routine_sessions_routine_id_routines"


def upgrade():
    with op.batch_alter_table("routine_sessions") as batch_op:
        batch_op.add_column(
            sa.Column("routine_name", sa.String(length=80), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE routine_sessions SET routine_name = "
        "(SELECT name FROM routines WHERE routines.id = routine_sessions.routine_id)"
    )
    with op.batch_alter_table("routine_sessions") as batch_op:
        batch_op.alter_column("routine_name", server_default=None)
        batch_op.alter_column("routine_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.create_foreign_key(FK, "routines", ["routine_id"], ["id"], ondelete="SET NULL")


def downgrade():
    op.execute("DELETE FROM routine_sessions WHERE routine_id IS NULL")
    with op.batch_alter_table("routine_sessions") as batch_op:
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.create_foreign_key(FK, "routines", ["routine_id"], ["id"])
        batch_op.alter_column("routine_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_column("routine_name")
