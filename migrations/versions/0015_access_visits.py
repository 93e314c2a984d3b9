"""access log as visits; exercises say when to skip them

A practitioner's reads of one runner that come close together are one visit: a row in
`access_visits` (who, whom, started, last seen) and the set of what was read in
`access_reads`. Existing `access_logs` rows are grouped into visits (reads by the same
practitioner of the same runner less than 30 minutes apart) and the old table goes.

Exercises get `skip_if`: reasons not to do an exercise at all (pregnancy, say), kept
apart from `safety`, which now holds only the signs to stop.

Revision ID: 0015
Revises: 0013
"""

import uuid
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from backend.db import UTCDateTime

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

WINDOW = timedelta(minutes=30)


def _visits_table():
    op.create_table(
        "access_visits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=True),
        sa.Column("practitioner_name", sa.String(length=80), nullable=True),
        sa.Column("runner_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["users.id"],
            name=op.f("fk_access_visits_practitioner_id_users"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["runner_id"], ["users.id"],
            name=op.f("fk_access_visits_runner_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_visits")),
    )
    with op.batch_alter_table("access_visits") as batch_op:
        batch_op.create_index(
            "ix_access_visits_runner_id_started_at", ["runner_id", "started_at"], unique=False
        )
        batch_op.create_index(
            "uq_access_visits_open",
            ["practitioner_id", "runner_id"],
            unique=True,
            sqlite_where=sa.text("is_open"),
            postgresql_where=sa.text("is_open"),
        )
    op.create_table(
        "access_reads",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.Column("first_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["access_visits.id"],
            name=op.f("fk_access_reads_visit_id_access_visits"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visit_id", "what", name=op.f("pk_access_reads")),
    )


def _old_table():
    op.create_table(
        "access_logs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=True),
        sa.Column("runner_id", sa.Uuid(), nullable=False),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("practitioner_name", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["practitioner_id"], ["users.id"],
            name=op.f("fk_access_logs_practitioner_id_users"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["runner_id"], ["users.id"],
            name=op.f("fk_access_logs_runner_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_logs")),
    )
    with op.batch_alter_table("access_logs") as batch_op:
        batch_op.create_index("ix_access_logs_runner_id_at", ["runner_id", "at"], unique=False)


def _group(rows):
    """Old log rows (ordered by who, whom, time) into visits and their reads."""
    visits, reads, current, last_key = [], {}, None, None
    for row in rows:
        key = (row.practitioner_id, row.practitioner_name, row.runner_id)
        if current is None or key != last_key or row.at - current["last_seen_at"] >= WINDOW:
            current = {
                "id": uuid.uuid4(),
                "practitioner_id": row.practitioner_id,
                "practitioner_name": row.practitioner_name,
                "runner_id": row.runner_id,
                "started_at": row.at,
                "last_seen_at": row.at,
                "is_open": False,
            }
            visits.append(current)
        current["last_seen_at"] = row.at
        reads.setdefault((current["id"], row.what), row.at)
        last_key = key
    return visits, [{"visit_id": v, "what": w, "first_at": at} for (v, w), at in reads.items()]


def upgrade():
    with op.batch_alter_table("exercises") as batch_op:
        batch_op.add_column(sa.Column("skip_if", sa.JSON(), nullable=True))
    op.execute("UPDATE exercises SET skip_if = '[]'")
    with op.batch_alter_table("exercises") as batch_op:
        batch_op.alter_column("skip_if", existing_type=sa.JSON(), nullable=False)

    _visits_table()
    meta = sa.MetaData()
    old = sa.Table("access_logs", meta, autoload_with=op.get_bind())
    visits = sa.Table("access_visits", meta, autoload_with=op.get_bind())
    reads = sa.Table("access_reads", meta, autoload_with=op.get_bind())
    rows = op.get_bind().execute(
        sa.select(old).order_by(
            old.c.practitioner_id, old.c.practitioner_name, old.c.runner_id, old.c.at
        )
    )
    new_visits, new_reads = _group(rows)
    if new_visits:
        op.bulk_insert(visits, new_visits)
        op.bulk_insert(reads, new_reads)
    with op.batch_alter_table("access_logs") as batch_op:
        batch_op.drop_index("ix_access_logs_runner_id_at")
    op.drop_table("access_logs")


def downgrade():
    _old_table()
    meta = sa.MetaData()
    visits = sa.Table("access_visits", meta, autoload_with=op.get_bind())
    reads = sa.Table("access_reads", meta, autoload_with=op.get_bind())
    old = sa.Table("access_logs", meta, autoload_with=op.get_bind())
    joined = sa.select(
        visits.c.practitioner_id, visits.c.practitioner_name, visits.c.runner_id,
        reads.c.what, reads.c.first_at,
    ).join_from(visits, reads, reads.c.visit_id == visits.c.id)
    rows = [
        {"id": uuid.uuid4(), "practitioner_id": r.practitioner_id,
         "practitioner_name": r.practitioner_name, "runner_id": r.runner_id,
         "what": r.what, "at": r.first_at}
        for r in op.get_bind().execute(joined)
    ]
    if rows:
        op.bulk_insert(old, rows)
    op.drop_table("access_reads")
    with op.batch_alter_table("access_visits") as batch_op:
        batch_op.drop_index("uq_access_visits_open")
        batch_op.drop_index("ix_access_visits_runner_id_started_at")
    op.drop_table("access_visits")
    with op.batch_alter_table("exercises") as batch_op:
        batch_op.drop_column("skip_if")
