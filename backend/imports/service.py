"""Taking uploads in, and the import job that turns their files into runs.

`start_import` spools the upload to disk and answers at once; `process_import` does the
whole job for one import and is what a background worker calls. `enqueue_import` is the
one seam between them (see `backend/imports/jobs.py`).

Each file is all or nothing: its run is written and its result recorded in one commit,
and a file that fails leaves no trace but its result line.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select, update
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from backend.auth.models import User
from backend.db import utcnow
from backend.errors import DomainError, NotFound, Unprocessable
from backend.extensions import db
from backend.imports import archive
from backend.imports.archive import Entry, Limits
from backend.imports.models import Import, ImportFile
from backend.imports.parsers import Activity, FileProblem, read_activity
from backend.imports.terrain import terrain_class
from backend.runs.models import Run
from backend.runs.service import local_date_of
from backend.runs.signals import run_saved

MERGE_WINDOW = timedelta(minutes=10)
MERGE_DISTANCE = 0.05  # share of the distance
MAX_UPLOAD_FILES = 50  # files in one request (an archive counts as one)


class PayloadTooLarge(DomainError):
    status = 413


class UnsupportedType(DomainError):
    status = 415


def limits() -> Limits:
    return Limits()


# ---- taking the upload in ----------------------------------------------------------


def start_import(user: User, files: Iterable[FileStorage]) -> Import:
    """Spool the uploaded files and queue the job; raises 413/415/422 for the request."""
    uploads = [f for f in files if f and f.filename]
    if not uploads:
        raise Unprocessable("Choose a file to import.", {"files": ["Choose a file to import."]})
    if len(uploads) > MAX_UPLOAD_FILES:
        raise Unprocessable(
            f"Send at most {MAX_UPLOAD_FILES} files at once, or one archive.",
            {"files": [f"At most {MAX_UPLOAD_FILES} files."]},
        )
    refused = [f.filename for f in uploads if not archive.accepted_upload(f.filename or "")]
    if refused:
        raise UnsupportedType(
            "Limber reads GPX, TCX and FIT files (also gzip-compressed) and zip archives.",
            {"files": [f"{name}: not a GPX, TCX, FIT or zip file." for name in refused]},
        )
    upload = Import(id=uuid.uuid4(), user_id=user.id, status="queued", total=0, processed=0)
    spool = Path(current_app.config["IMPORTS_SPOOL_DIR"]) / upload.id.hex
    spool.mkdir(parents=True, exist_ok=True)
    lim = limits()
    try:
        for n, storage in enumerate(uploads):
            name = (storage.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1]
            target = spool / f"{n:03d}-{secure_filename(name) or 'upload'}"
            storage.save(target)
            cap = lim.archive_bytes if name.lower().endswith(".zip") else lim.file_bytes
            if target.stat().st_size > cap:
                raise PayloadTooLarge(
                    f"{name} is larger than {cap // archive.MB} MB.",
                    {"files": [f"{name}: larger than {cap // archive.MB} MB."]},
                )
            (spool / f"{n:03d}.name").write_text(name[:255], encoding="utf-8")
    except Exception:
        shutil.rmtree(spool, ignore_errors=True)
        raise
    upload.spool_dir = str(spool)
    db.session.add(upload)
    db.session.commit()
    return upload


def get_import(user: User, import_id: uuid.UUID) -> Import:
    upload = db.session.scalar(
        select(Import).where(Import.id == import_id, Import.user_id == user.id)
    )
    if upload is None:
        raise NotFound("No such import.")
    return upload


# ---- the job -----------------------------------------------------------------------


def _spooled(spool: Path) -> list[tuple[str, Path]]:
    out = []
    for name_file in sorted(spool.glob("*.name")):
        stem = name_file.name[:-5]
        data = next((p for p in spool.glob(f"{stem}-*")), None)
        if data is not None:
            out.append((name_file.read_text(encoding="utf-8"), data))
    return out


def _claim(import_id: uuid.UUID) -> bool:
    """Take the import for this worker: queued, or running under a worker gone quiet."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["IMPORTS_STALE_AFTER"])
    claimed = db.session.execute(
        update(Import)
        .where(
            Import.id == import_id,
            (Import.status == "queued")
            | (
                (Import.status == "running")
                & (Import.heartbeat_at.is_(None) | (Import.heartbeat_at < stale))
            ),
        )
        .values(status="running", heartbeat_at=now, attempts=Import.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def process_import(import_id: uuid.UUID) -> None:
    """Do, or resume, the whole job of one import. Safe to call again: an import that is
    finished, or in another live worker's hands, is left be."""
    if not _claim(import_id):
        return
    upload = db.session.get(Import, import_id)
    if upload is None:
        return
    user = db.session.get(User, upload.user_id)
    spool = Path(upload.spool_dir)
    lim = limits()
    try:
        if user is None or not spool.is_dir():
            raise FileNotFoundError("the upload is no longer there")
        if upload.attempts > current_app.config["IMPORTS_MAX_ATTEMPTS"]:
            raise RuntimeError("the import was taken up too many times")
        entries: list[Entry] = []
        for name, path in _spooled(spool):
            entries += archive.list_entries(str(path), name, lim, path.stat().st_size)
        rows = _result_rows(upload, entries)
        for position, entry in enumerate(entries):
            row_id, outcome = rows[position]
            if outcome == "pending":  # recorded files are done: a resumed job skips them
                _one(user, upload.id, row_id, entry, lim)
        upload = db.session.get(Import, import_id)
        if upload is None:
            return  # the account went while the job ran
        upload.status = "done"
    except Exception as exc:  # the job must always finish, and say why it stopped
        current_app.logger.exception("import %s failed", import_id)
        db.session.rollback()
        upload = db.session.get(Import, import_id)
        if upload is None:
            return
        upload.status = "failed"
        upload.message = "The import stopped before the end; files listed as done are in." + (
            "" if not isinstance(exc, FileNotFoundError) else " The upload was lost; send it again."
        )
    upload.finished_at = utcnow()
    db.session.commit()
    shutil.rmtree(spool, ignore_errors=True)


def _result_rows(upload: Import, entries: list[Entry]) -> dict[int, tuple[int, str]]:
    """Position -> (result row id, outcome): made on the first claim, kept on a resume."""
    existing = {
        f.position: (f.id, f.outcome)
        for f in db.session.scalars(select(ImportFile).where(ImportFile.import_id == upload.id))
    }
    if len(existing) != len(entries):  # first claim (or an upload read differently): afresh
        db.session.execute(delete(ImportFile).where(ImportFile.import_id == upload.id))
        db.session.add_all(
            ImportFile(import_id=upload.id, position=i, name=e.name[:255], outcome="pending")
            for i, e in enumerate(entries)
        )
        upload.total, upload.processed = len(entries), 0
        db.session.commit()
        existing = {
            f.position: (f.id, f.outcome)
            for f in db.session.scalars(select(ImportFile).where(ImportFile.import_id == upload.id))
        }
    return existing


def _one(user: User, import_id: uuid.UUID, row_id: int, entry: Entry, lim: Limits) -> None:
    outcome, reason, run_id, saved = "failed", "", None, None
    try:
        if entry.problem:
            reason = entry.problem
        elif entry.skip:
            outcome, reason = "skipped", entry.skip
        else:
            outcome, reason, saved = _import_entry(user, entry, lim)
            run_id = saved.id if saved is not None else None
    except FileProblem as exc:
        db.session.rollback()
        outcome, reason, saved = "failed", str(exc), None
    except Exception:
        current_app.logger.exception("import %s: %s could not be read", import_id, entry.name)
        db.session.rollback()
        outcome, reason, saved = "failed", "The file could not be read.", None
    row = db.session.get(ImportFile, row_id)
    if row is not None:
        row.outcome, row.reason, row.run_id = outcome, reason[:500], run_id
    db.session.execute(
        update(Import)
        .where(Import.id == import_id)
        .values(processed=Import.processed + 1, heartbeat_at=utcnow())
    )
    db.session.commit()
    if saved is not None:
        run_saved.send(None, run=saved, created=outcome == "imported")


def _import_entry(user: User, entry: Entry, lim: Limits) -> tuple[str, str, Run | None]:
    if entry.member is None and entry.strava:
        activity, digest = _from_strava_row(entry.strava), archive.strava_row_hash(entry.strava)
    else:
        fmt, data = archive.read_entry(entry, lim)
        digest = archive.content_hash(data)
        activity = read_activity(fmt, data)
        del data
    existing = db.session.scalar(
        select(Run.id).where(Run.user_id == user.id, Run.source_hash == digest)
    )
    if existing is not None:
        return "duplicate", "This file was imported before.", None
    match = _matching_run(user, activity)
    if match is not None and match.source == "file":
        return "duplicate", "The same run was already imported from another file.", None
    if match is not None:
        _fill(match, activity, digest, entry, user, keep_runner_choices=True)
        db.session.flush()
        return "merged", "Added to the run you logged; your stiffness and notes are kept.", match
    run = Run(
        id=uuid.uuid4(),
        user_id=user.id,
        stiffness=None,
        stiffness_areas=[],
        red_flags=[],
        advice_level="none",
        notes="",
        fingerprint=digest,
    )
    _fill(run, activity, digest, entry, user, keep_runner_choices=False)
    db.session.add(run)
    db.session.flush()
    return "imported", "", run


def _matching_run(user: User, activity: Activity) -> Run | None:
    near = db.session.scalars(
        select(Run)
        .where(
            Run.user_id == user.id,
            Run.started_at >= activity.started_at - MERGE_WINDOW,
            Run.started_at <= activity.started_at + MERGE_WINDOW,
        )
        .order_by(func.abs(Run.distance_km - activity.distance_km))
    ).all()
    for run in near:
        if abs(run.distance_km - activity.distance_km) <= MERGE_DISTANCE * max(
            run.distance_km, activity.distance_km
        ):
            return run
    return None


def _fill(
    run: Run, a: Activity, digest: str, entry: Entry, user: User, keep_runner_choices: bool
) -> None:
    strava_type = entry.strava.get("Activity Type", "").strip().lower()
    run.source, run.source_hash = "file", digest
    run.started_at = a.started_at
    run.local_date = local_date_of(a.started_at, user.timezone)
    run.utc_offset_min = a.utc_offset_min
    run.distance_km = a.distance_km
    run.duration_s = max(1, a.moving_s or a.elapsed_s)
    run.moving_s, run.elapsed_s = a.moving_s, a.elapsed_s
    run.elevation_gain_m, run.elevation_loss_m = a.elevation_gain_m, a.elevation_loss_m
    run.avg_cadence_spm = a.avg_cadence_spm
    run.terrain, run.uphill_share, run.downhill_share = a.terrain, a.uphill_share, a.downhill_share
    if entry.strava.get("Activity Name") and not run.title:
        run.title = entry.strava["Activity Name"].strip()[:120]
    if keep_runner_choices:
        return
    kind = archive.STRAVA_RUNS.get(strava_type, a.kind)
    run.workout_type = "walk" if kind == "walk" else "other"
    run.surface = a.surface or archive.STRAVA_SURFACES.get(strava_type) or "other"


def _from_strava_row(record: dict[str, str]) -> Activity:
    """A Strava activity without a file: the figures of its row."""
    started = archive.strava_started_at(record.get("Activity Date", ""))
    if started is None:
        raise FileProblem("Its date cannot be read.")
    metres = archive.strava_number(record.get("Distance (m)"))
    km = metres / 1000 if metres else archive.strava_number(record.get("Distance"))
    elapsed = archive.strava_number(record.get("Elapsed Time"))
    moving = archive.strava_number(record.get("Moving Time"))
    if not km or km <= 0 or km > 300 or not elapsed or elapsed <= 0:
        raise FileProblem("It has no distance or no duration.")
    gain = archive.strava_number(record.get("Elevation Gain"))
    kind = archive.STRAVA_RUNS[record.get("Activity Type", "").strip().lower()]
    return Activity(
        kind=kind,
        surface=None,
        started_at=started,
        utc_offset_min=None,
        distance_km=round(km, 3),
        elapsed_s=round(elapsed),
        moving_s=round(moving) if moving else None,
        elevation_gain_m=gain,
        elevation_loss_m=None,
        avg_cadence_spm=None,
        terrain=terrain_class(gain / km) if gain is not None else None,
        uphill_share=None,
        downhill_share=None,
    )


def remove_spool(upload: Import) -> None:
    if upload.spool_dir and os.path.isdir(upload.spool_dir):
        shutil.rmtree(upload.spool_dir, ignore_errors=True)
