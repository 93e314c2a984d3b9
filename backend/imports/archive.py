"""Listing and reading the files of an upload within fixed limits. Plain functions.

An upload is one or more spooled files; a zip archive is opened in place and read one
entry at a time, so memory holds at most one activity file (25 MB) at once. A Strava bulk
export is recognised by its `activities.csv`: every listed run and walk becomes one
entry, with the name, date and type Strava gives.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from backend.imports.parsers import FileProblem, sniff

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 25 * MB
    archive_bytes: int = 200 * MB
    archive_files: int = 5000
    unpacked_bytes: int = 1024 * MB  # all entries of one archive together
    ratio: int = 100  # unpacked size over packed size, per entry


FORMATS = {".gpx": "gpx", ".tcx": "tcx", ".fit": "fit"}
UPLOAD_SUFFIXES = (".gpx", ".tcx", ".fit", ".gpx.gz", ".tcx.gz", ".fit.gz", ".zip")
STRAVA_RUNS = {
    "run": "run",
    "trail run": "run",
    "virtual run": "run",
    "walk": "walk",
    "hike": "walk",
}
STRAVA_SURFACES = {"trail run": "trail", "virtual run": "treadmill"}


@dataclass
class Entry:
    """One thing to import: a file, an archive member or a row of a Strava export."""

    name: str
    path: str  # the spooled upload on disk
    member: str | None = None  # inside the archive at `path`
    problem: str | None = None  # known before reading: reported as is
    skip: str | None = None  # not an error: e.g. a bike ride in a Strava export
    strava: dict[str, str] = field(default_factory=dict)


def expected_format(name: str) -> tuple[str | None, bool]:
    """(format the name promises, gzip-compressed?)."""
    lowered = name.lower()
    packed = lowered.endswith(".gz")
    if packed:
        lowered = lowered[:-3]
    return FORMATS.get(posixpath.splitext(lowered)[1]), packed


def accepted_upload(name: str) -> bool:
    return name.lower().endswith(UPLOAD_SUFFIXES)


def _climbs_out(member: str) -> bool:
    if member.startswith(("/", "\\")) or (len(member) > 1 and member[1] == ":"):
        return True
    parts = member.replace("\\", "/").split("/")
    return ".." in parts


def list_entries(path: str, name: str, limits: Limits, size: int) -> Iterator[Entry]:
    """Everything one spooled upload holds, in order, without reading file contents."""
    if not name.lower().endswith(".zip"):
        if size > limits.file_bytes:
            yield Entry(name, path, problem="The file is larger than 25 MB.")
        else:
            yield Entry(name, path)
        return
    if size > limits.archive_bytes:
        yield Entry(name, path, problem="The archive is larger than 200 MB.")
        return
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            problem = _archive_problem(infos, limits)
            if problem:
                yield Entry(name, path, problem=problem)
                return
            csv_info = next(
                (i for i in infos if posixpath.basename(i.filename).lower() == "activities.csv"),
                None,
            )
            if csv_info is not None:
                yield from _strava_entries(zf, csv_info, infos, path, limits)
                return
            for info in infos:
                yield _member_entry(info, path, limits)
    except zipfile.BadZipFile:
        yield Entry(name, path, problem="The archive is damaged or incomplete.")


def _archive_problem(infos: list[zipfile.ZipInfo], limits: Limits) -> str | None:
    if len(infos) > limits.archive_files:
        return f"The archive holds more than {limits.archive_files:,} files."
    unpacked = sum(i.file_size for i in infos)
    if unpacked > limits.unpacked_bytes:
        return "The archive would unpack to more than 1 GB, far more than activity files need."
    return None


def _member_entry(info: zipfile.ZipInfo, path: str, limits: Limits) -> Entry:
    member = info.filename
    entry = Entry(member[-255:], path, member=member)
    if _climbs_out(member):
        entry.problem = "Its path leads out of the archive."
    elif info.file_size > limits.file_bytes:
        entry.problem = "The file would unpack to more than 25 MB."
    elif info.compress_size and info.file_size / info.compress_size > limits.ratio:
        entry.problem = "The file is packed far more tightly than activity files can be."
    elif info.filename.lower().endswith(".zip"):
        entry.problem = "Archives inside archives are not read."
    elif expected_format(member)[0] is None:
        entry.skip = "Not an activity file (GPX, TCX or FIT)."
    return entry


def _strava_entries(
    zf: zipfile.ZipFile,
    csv_info: zipfile.ZipInfo,
    infos: list[zipfile.ZipInfo],
    path: str,
    limits: Limits,
) -> Iterator[Entry]:
    if csv_info.file_size > limits.file_bytes:
        yield Entry("activities.csv", path, problem="activities.csv is larger than 25 MB.")
        return
    base = posixpath.dirname(csv_info.filename)
    by_name = {i.filename: i for i in infos}
    text = zf.read(csv_info).decode("utf-8-sig", errors="replace")
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        record = _strava_record(header, row)
        label = record.get("Activity Name") or record.get("Activity ID") or "activity"
        kind_key = record.get("Activity Type", "").strip().lower()
        filename = record.get("Filename", "").strip()
        entry = Entry(label[:255], path, strava=record)
        if kind_key not in STRAVA_RUNS:
            entry.skip = (
                f"A {record.get('Activity Type') or 'non-run'} activity, not a run or walk."
            )
        elif filename:
            member = posixpath.normpath(posixpath.join(base, filename)) if base else filename
            info = by_name.get(member)
            if _climbs_out(filename):
                entry.problem = "Its path leads out of the archive."
            elif info is None:
                entry.problem = f"{filename} is listed but not in the archive."
            else:
                checked = _member_entry(info, path, limits)
                entry.member, entry.problem, entry.skip = member, checked.problem, checked.skip
        yield entry


def _strava_record(header: list[str], row: list[str]) -> dict[str, str]:
    """The row by column name. Strava repeats some names: the first is in the runner's
    units, a later `Distance` is in metres, kept as `Distance (m)`."""
    record: dict[str, str] = {}
    for key, value in zip(header, row, strict=False):
        key = key.strip()
        if key == "Distance" and key in record:
            record.setdefault("Distance (m)", value)
        else:
            record.setdefault(key, value)
    return record


def read_entry(entry: Entry, limits: Limits) -> tuple[str, bytes]:
    """(format, content) of an entry, checked against what its name says."""
    with _open(entry) as stream:
        data = stream.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise FileProblem("The file is larger than 25 MB.")
    name = entry.member or entry.name
    fmt, packed = expected_format(name)
    if fmt is None:
        raise FileProblem("Not an activity file (GPX, TCX or FIT).")
    if packed:
        if sniff(data) != "gzip":
            raise FileProblem("The name ends in .gz but the file is not gzip-compressed.")
        data = gunzip(data, limits.file_bytes)
    found = sniff(data)
    if found != fmt:
        what = found.upper() if found else "an unknown kind of file"
        raise FileProblem(f"The name says {fmt.upper()} but the content is {what}.")
    return fmt, data


def gunzip(data: bytes, cap: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(cap + 1)
    except (OSError, EOFError) as exc:
        raise FileProblem("The compressed file is damaged or incomplete.") from exc
    if len(out) > cap:
        raise FileProblem("The file would unpack to more than 25 MB.")
    return out


class _open:
    """The entry's bytes as a stream: the spooled file, or one archive member."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.zf: zipfile.ZipFile | None = None

    def __enter__(self) -> io.BufferedIOBase:
        if self.entry.member is None:
            self.raw = open(self.entry.path, "rb")
            return self.raw
        try:
            self.zf = zipfile.ZipFile(self.entry.path)
            self.raw = self.zf.open(self.entry.member)  # type: ignore[assignment]
        except (zipfile.BadZipFile, KeyError, NotImplementedError) as exc:
            self.__exit__()
            raise FileProblem("The archive entry cannot be read.") from exc
        return self.raw

    def __exit__(self, *exc: object) -> None:
        if getattr(self, "raw", None) is not None:
            self.raw.close()
        if self.zf is not None:
            self.zf.close()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def strava_row_hash(record: dict[str, str]) -> str:
    key = "strava:" + "|".join(f"{k}={v}" for k, v in sorted(record.items()))
    return hashlib.sha256(key.encode()).hexdigest()


STRAVA_DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ")


def strava_started_at(text: str) -> datetime | None:
    """Strava writes the start in UTC, e.g. "Nov 20, 2026, 7:30:00 AM"."""
    cleaned = text.strip().replace("\u202f", " ")
    for fmt in STRAVA_DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def strava_number(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None
