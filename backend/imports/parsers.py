"""Reading GPX, TCX and FIT files into the few figures Limber keeps. Plain functions.

Each reader takes the file's bytes and returns an `Activity`, or raises `FileProblem`
with a sentence the runner can read. Positions are used only to measure distance and are
dropped with the rest of the track once the figures are made.

Cadence: GPX (Garmin's track point extension), TCX (`RunCadence`) and FIT all record
running cadence per foot, so the value is doubled to give steps per minute.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from backend.imports.terrain import climb, moving_seconds

EARTH_RADIUS_M = 6_371_008.8
RUN_SPORTS = {"running", "run", "trail_running", "trail run", "virtual run", "virtualrun", "9"}
WALK_SPORTS = {"walking", "walk", "hiking", "hike", "10"}
DOCTYPE_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


class FileProblem(Exception):
    """A file that cannot be imported; the message says why in plain words."""


@dataclass
class Point:
    time: datetime | None
    lat: float | None = None
    lon: float | None = None
    ele: float | None = None
    distance_m: float | None = None  # as the device measured it, when it says
    cadence_spm: float | None = None


@dataclass
class Track:
    sport: str = ""
    sub_sport: str = ""
    utc_offset_min: int | None = None
    segments: list[list[Point]] = field(default_factory=list)
    # Totals a file may state on its own (FIT sessions, TCX laps) when points lack them.
    stated_distance_m: float | None = None


@dataclass(frozen=True)
class Activity:
    """The derived figures of one recorded activity."""

    kind: str  # "run" or "walk"
    surface: str | None
    started_at: datetime
    utc_offset_min: int | None
    distance_km: float
    elapsed_s: int
    moving_s: int | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    avg_cadence_spm: float | None
    terrain: str | None
    uphill_share: float | None
    downhill_share: float | None


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def kind_of(sport: str) -> str | None:
    name = sport.strip().lower().replace("-", "_")
    if name in RUN_SPORTS or name == "":
        return "run"
    if name in WALK_SPORTS:
        return "walk"
    return None


def surface_of(sport: str, sub_sport: str) -> str | None:
    text = f"{sport} {sub_sport}".lower()
    if "trail" in text:
        return "trail"
    if "treadmill" in text or "virtual" in text or "indoor" in text:
        return "treadmill"
    if "track" in text:
        return "track"
    return None


def summarise(track: Track) -> Activity:
    """Figures of a track: distance, times, climbing, terrain and cadence."""
    kind = kind_of(track.sport)
    if kind is None:
        raise FileProblem(f"This is a {track.sport.replace('_', ' ')} activity, not a run or walk.")
    segments = [[p for p in seg if p.time is not None] for seg in track.segments]
    segments = [seg for seg in segments if seg]
    if not segments:
        raise FileProblem("The file holds no timed track points.")
    start = segments[0][0].time
    end = segments[-1][-1].time
    if start is None or end is None:
        raise FileProblem("The file holds no timed track points.")
    elapsed = (end - start).total_seconds()

    all_dist: list[float] = []
    all_ele: list[float | None] = []
    moving = 0.0
    covered = 0.0
    cadences: list[tuple[float, float]] = []
    for seg in segments:
        dist = _cumulative(seg)
        times = [(p.time - start).total_seconds() for p in seg]  # type: ignore[operator]
        moving += moving_seconds(times, dist)
        all_dist += [covered + d for d in dist]
        all_ele += [p.ele for p in seg]
        covered += dist[-1]
        for i in range(1, len(seg)):
            cad = seg[i].cadence_spm
            if cad is not None and cad > 0:
                cadences.append((cad, times[i] - times[i - 1]))
    distance_m = covered if covered > 0 else (track.stated_distance_m or 0.0)
    if distance_m <= 0 or elapsed <= 0:
        raise FileProblem("The track has no distance or no duration.")
    if distance_m > 300_000:
        raise FileProblem("The track is longer than 300 km.")
    hills = climb(all_dist, all_ele) if covered > 0 else None
    cadence = None
    weight = sum(dt for _, dt in cadences)
    if weight > 0:
        cadence = round(sum(c * dt for c, dt in cadences) / weight, 1)
    return Activity(
        kind=kind,
        surface=surface_of(track.sport, track.sub_sport),
        started_at=start.astimezone(UTC),
        utc_offset_min=track.utc_offset_min,
        distance_km=round(distance_m / 1000, 3),
        elapsed_s=round(elapsed),
        moving_s=round(moving) if moving > 0 else None,
        elevation_gain_m=hills.gain_m if hills else None,
        elevation_loss_m=hills.loss_m if hills else None,
        avg_cadence_spm=cadence,
        terrain=hills.terrain if hills else None,
        uphill_share=hills.uphill_share if hills else None,
        downhill_share=hills.downhill_share if hills else None,
    )


def _cumulative(seg: Sequence[Point]) -> list[float]:
    """Distance along a segment: the device's own figure where every point has one."""
    if all(p.distance_m is not None for p in seg):
        first = seg[0].distance_m or 0.0
        return [max(0.0, (p.distance_m or 0.0) - first) for p in seg]
    out = [0.0]
    for a, b in itertools.pairwise(seg):
        step = 0.0
        if None not in (a.lat, a.lon, b.lat, b.lon):
            step = haversine_m(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        out.append(out[-1] + step)
    return out


# ---- format detection --------------------------------------------------------------


def sniff(data: bytes) -> str | None:
    """The format the content really has: gpx, tcx, fit, gzip, zip or None."""
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        lowered = head.lower()
        if b"<gpx" in lowered:
            return "gpx"
        if b"<trainingcenterdatabase" in lowered:
            return "tcx"
    return None


def read_activity(fmt: str, data: bytes) -> Activity:
    readers = {"gpx": read_gpx, "tcx": read_tcx, "fit": read_fit}
    return summarise(readers[fmt](data))


def _refuse_doctype(data: bytes) -> None:
    # Activity files never need a DTD; refusing one rules out entity expansion attacks.
    if any(marker in data for marker in DOCTYPE_MARKERS):
        raise FileProblem("The file declares a DTD, which activity files never do.")


# ---- GPX ---------------------------------------------------------------------------


def read_gpx(data: bytes) -> Track:
    import gpxpy
    import gpxpy.gpx

    _refuse_doctype(data)
    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig"))
    except (gpxpy.gpx.GPXException, UnicodeDecodeError, ValueError) as exc:
        raise FileProblem(f"The GPX file is damaged or incomplete ({_short(exc)}).") from exc
    except Exception as exc:  # the XML layer underneath raises its own kinds
        raise FileProblem(f"The GPX file is damaged or incomplete ({_short(exc)}).") from exc
    track = Track()
    for trk in gpx.tracks:
        track.sport = track.sport or (trk.type or "")
        for seg in trk.segments:
            points = [
                Point(
                    time=_aware(p.time),
                    lat=p.latitude,
                    lon=p.longitude,
                    ele=p.elevation,
                    cadence_spm=_gpx_cadence(p.extensions),
                )
                for p in seg.points
            ]
            if points:
                track.segments.append(points)
    return track


def _gpx_cadence(extensions: Iterable[object]) -> float | None:
    for ext in extensions:
        for el in ext.iter():  # type: ignore[attr-defined]
            tag = str(el.tag)
            if tag.endswith("}cad") or tag == "cad":
                try:
                    return 2 * float(el.text)
                except (TypeError, ValueError):
                    return None
    return None


# ---- TCX ---------------------------------------------------------------------------


def read_tcx(data: bytes) -> Track:
    from lxml import etree

    _refuse_doctype(data)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.parse(io.BytesIO(data), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise FileProblem(f"The TCX file is damaged or incomplete ({_short(exc)}).") from exc

    def local(el: object) -> str:
        return etree.QName(el).localname

    def child(el: object, name: str) -> object | None:
        for c in el:  # type: ignore[attr-defined]
            if isinstance(c.tag, str) and local(c) == name:
                return c
        return None

    def number(el: object | None) -> float | None:
        if el is None or el.text is None:  # type: ignore[attr-defined]
            return None
        try:
            return float(el.text)  # type: ignore[attr-defined]
        except ValueError:
            return None

    track = Track()
    activity = next(
        (el for el in root.iter() if isinstance(el.tag, str) and local(el) == "Activity"), None
    )
    if activity is None:
        raise FileProblem("The TCX file holds no activity.")
    track.sport = activity.get("Sport", "")
    stated = 0.0
    for el in activity.iter():
        if not isinstance(el.tag, str):
            continue
        name = local(el)
        if name == "Lap":
            stated += number(child(el, "DistanceMeters")) or 0.0
        if name != "Track":
            continue
        points = []
        for tp in el:
            if not isinstance(tp.tag, str) or local(tp) != "Trackpoint":
                continue
            time_el = child(tp, "Time")
            position = child(tp, "Position")
            cadence = None
            for sub in tp.iter():
                if isinstance(sub.tag, str) and local(sub) == "RunCadence":
                    value = number(sub)
                    cadence = 2 * value if value is not None else None
            points.append(
                Point(
                    time=_parse_time(time_el.text if time_el is not None else None),  # type: ignore[attr-defined]
                    lat=number(child(position, "LatitudeDegrees"))
                    if position is not None
                    else None,
                    lon=number(child(position, "LongitudeDegrees"))
                    if position is not None
                    else None,
                    ele=number(child(tp, "AltitudeMeters")),
                    distance_m=number(child(tp, "DistanceMeters")),
                    cadence_spm=cadence,
                )
            )
        if points:
            track.segments.append(points)
    track.stated_distance_m = stated or None
    return track


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return _aware(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except ValueError as exc:
        raise FileProblem(f"A time in the file cannot be read ({text[:40]!r}).") from exc


# ---- FIT ---------------------------------------------------------------------------

SEMICIRCLE = 180 / 2**31


def read_fit(data: bytes) -> Track:
    import fitdecode

    track = Track()
    points: list[Point] = []
    last_time: datetime | None = None
    local_offset: int | None = None
    stated: float | None = None
    try:
        with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name == "record":
                    point = _fit_point(frame)
                    if point.time is None:
                        continue
                    if last_time and (point.time - last_time) > timedelta(minutes=1):
                        track.segments.append(points)  # a pause: start a new segment
                        points = []
                    points.append(point)
                    last_time = point.time
                elif frame.name == "session":
                    track.sport = str(_fit_value(frame, "sport") or track.sport)
                    track.sub_sport = str(_fit_value(frame, "sub_sport") or "")
                    total = _fit_value(frame, "total_distance")
                    stated = float(total) if isinstance(total, int | float) else stated
                elif frame.name == "sport" and not track.sport:
                    track.sport = str(_fit_value(frame, "sport") or "")
                elif frame.name == "activity":
                    stamp, local_stamp = (
                        _fit_value(frame, "timestamp"),
                        _fit_value(frame, "local_timestamp"),
                    )
                    if isinstance(stamp, datetime) and isinstance(local_stamp, datetime):
                        local_offset = round(
                            (
                                local_stamp.replace(tzinfo=None) - stamp.replace(tzinfo=None)
                            ).total_seconds()
                            / 60
                        )
    except fitdecode.FitError as exc:
        raise FileProblem(f"The FIT file is damaged or incomplete ({_short(exc)}).") from exc
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise FileProblem(f"The FIT file cannot be read ({_short(exc)}).") from exc
    if points:
        track.segments.append(points)
    if local_offset is not None and abs(local_offset) <= 14 * 60:
        track.utc_offset_min = local_offset
    track.stated_distance_m = float(stated) if isinstance(stated, int | float) else None
    return track


def _fit_value(frame: object, name: str) -> object:
    if not frame.has_field(name):  # type: ignore[attr-defined]
        return None
    return frame.get_value(name)  # type: ignore[attr-defined]


def _fit_point(frame: object) -> Point:
    stamp = _fit_value(frame, "timestamp")
    lat, lon = _fit_value(frame, "position_lat"), _fit_value(frame, "position_long")
    ele = _fit_value(frame, "enhanced_altitude")
    if ele is None:
        ele = _fit_value(frame, "altitude")
    cadence = _fit_value(frame, "cadence")
    fraction = _fit_value(frame, "fractional_cadence") or 0
    distance = _fit_value(frame, "distance")
    return Point(
        time=_aware(stamp) if isinstance(stamp, datetime) else None,
        lat=lat * SEMICIRCLE if isinstance(lat, int) else None,
        lon=lon * SEMICIRCLE if isinstance(lon, int) else None,
        ele=float(ele) if isinstance(ele, int | float) else None,
        distance_m=float(distance) if isinstance(distance, int | float) else None,
        cadence_spm=2 * (float(cadence) + float(fraction))  # type: ignore[arg-type]
        if isinstance(cadence, int | float)
        else None,
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:120]
