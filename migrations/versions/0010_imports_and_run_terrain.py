"""imports, and the figures an imported run brings

Runs gain the figures read from a watch or app file (terrain, elevation, cadence, moving
time) and may wait for the runner's stiffness. Imports record each upload and what
became of every file in it.

Revision ID: 0010
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import backend.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("runs") as batch_op:
        batch_op.alter_column("stiffness", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column("source", sa.String(length=8), nullable=False, server_default="typed")
        )
        batch_op.add_column(sa.Column("source_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("title", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("utc_offset_min", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("moving_s", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("elapsed_s", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("elevation_gain_m", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("elevation_loss_m", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("avg_cadence_spm", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("terrain", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("uphill_share", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("downhill_share", sa.Float(), nullable=True))
        batch_op.create_check_constraint(
            "terrain", "terrain IN ('flat', 'rolling', 'hilly')"
        )
        batch_op.create_check_constraint("source", "source IN ('typed', 'file')")
        batch_op.create_index(
            "uq_runs_user_id_source_hash", ["user_id", "source_hash"], unique=True
        )

    op.create_table(
        "imports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("spool_dir", sa.String(length=500), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", backend.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_imports_status")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_imports_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_index("ix_imports_user_id_created_at", "imports", ["user_id", "created_at"])
    op.create_table(
        "import_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('pending', 'imported', 'merged', 'duplicate', 'skipped', 'failed')",
            name=op.f("ck_import_files_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_import_files_import_id_imports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_import_files_run_id_runs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_files")),
    )
    op.create_index(
        "ix_import_files_import_id_position", "import_files", ["import_id", "position"], unique=True
    )


def downgrade():
    op.drop_index("ix_import_files_import_id_position", table_name="import_files")
    op.drop_table("import_files")
    op.drop_index("ix_imports_user_id_created_at", table_name="imports")
    op.drop_table("imports")
    # Runs still waiting for their stiffness cannot be kept by the older schema.
    op.execute("DELETE FROM runs WHERE stiffness IS NULL")
    with op.batch_alter_table("runs") as batch_op:
        batch_op.drop_index("uq_runs_user_id_source_hash")
        batch_op.drop_constraint("source", type_="check")
        batch_op.drop_constraint("terrain", type_="check")
        for column in (
            "downhill_share",
            "uphill_share",
            "terrain",
            "avg_cadence_spm",
            "elevation_loss_m",
            "elevation_gain_m",
            "elapsed_s",
            "moving_s",
            "utc_offset_min",
            "title",
            "source_hash",
            "source",
        ):
            batch_op.drop_column(column)
        batch_op.alter_column("stiffness", existing_type=sa.Integer(), nullable=False)
