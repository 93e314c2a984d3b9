"""alerts outlive their run; runs keep the body weight of the day

An alert is a clinical record: deleting the run it is about now leaves the alert, with
the run's date and flags kept on it. Alerts can be updated and resolved (a trend that
eased). Each run records the runner's body weight when it was logged, so its figures do
not change when the weight does; existing runs take the weight on file today.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FK = "fk_alerts_run_id_runs"


def upgrade():
    with op.batch_alter_table("alerts") as batch_op:
        batch_op.add_column(sa.Column("run_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("flags", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column(
            "message", existing_type=sa.String(length=300), type_=sa.String(length=500)
        )
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.create_foreign_key(FK, "runs", ["run_id"], ["id"], ondelete="SET NULL")
    op.execute(
        "UPDATE alerts SET run_date = (SELECT local_date FROM runs WHERE runs.id = alerts.run_id)"
    )
    with op.batch_alter_table("alerts") as batch_op:
        batch_op.alter_column("flags", existing_type=sa.JSON(), server_default=None)
    with op.batch_alter_table("runs") as batch_op:
        batch_op.add_column(
            sa.Column("body_weight_kg", sa.Numeric(precision=5, scale=1), nullable=True)
        )
    op.execute(
        "UPDATE runs SET body_weight_kg = "
        "(SELECT body_weight_kg FROM users WHERE users.id = runs.user_id)"
    )


def downgrade():
    with op.batch_alter_table("runs") as batch_op:
        batch_op.drop_column("body_weight_kg")
    op.execute("DELETE FROM alerts WHERE run_id IS NULL AND run_date IS NOT NULL")
    with op.batch_alter_table("alerts") as batch_op:
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.create_foreign_key(FK, "runs", ["run_id"], ["id"], ondelete="CASCADE")
        batch_op.alter_column(
            "message", existing_type=sa.String(length=500), type_=sa.String(length=300)
        )
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("flags")
        batch_op.drop_column("run_date")
