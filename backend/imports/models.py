from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db import Base, UTCDateTime, utcnow

STATUSES = ("queued", "running", "done", "failed")
OUTCOMES = ("pending", "imported", "merged", "duplicate", "skipped", "failed")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Import(Base):
    """One upload: a file, several files or an archive, worked through in the background."""

    __tablename__ = "imports"
    __table_args__ = (
        Index("ix_imports_user_id_created_at", "user_id", "created_at"),
        CheckConstraint(_in("status", STATUSES), name="status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(8), default="queued")
    # Where the upload waits on disk until the job has read it; removed afterwards.
    spool_dir: Mapped[str] = mapped_column(String(500), default="")
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    # The job's claims: how many workers took it up, and when the one working on it last
    # showed life; a stale heartbeat means its worker died and the import is resumed.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    files: Mapped[list[ImportFile]] = relationship(
        back_populates="upload",
        order_by="ImportFile.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ImportFile(Base):
    """What became of one file (or one archive entry) of an import."""

    __tablename__ = "import_files"
    __table_args__ = (
        Index("ix_import_files_import_id_position", "import_id", "position", unique=True),
        CheckConstraint(_in("outcome", OUTCOMES), name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    import_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    outcome: Mapped[str] = mapped_column(String(10), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    run_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("runs.id", ondelete="SET NULL"), nullable=True
    )

    upload: Mapped[Import] = relationship(back_populates="files")
