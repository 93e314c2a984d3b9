"""Real activity files for tests: GPX written by gpxpy, TCX as XML, FIT by fit-tool."""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import math
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

M_PER_DEG_LAT = 111_195.0  # metres per degree of latitude on the mean Earth sphere
START = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)


@dataclass
class Route:
    """A straight route north, one point every `step_s` seconds at `speed` m/s."""

    km: float = 5.0
    speed: float = 3.0
    step_s: int = 10
    hill_m: float = 0.0  # amplitude of the hills, one every km
    cadence_rpm: int | None = None  # per foot, as devices record it
    pause_s: int = 0  # one stop of this length half way
    noise_m: float = 0.0  # GPS altitude wobble, up to this much either way
    start: datetime = START
    lat0: float = 51.5
    lon0: float = -0.12

    def points(self) -> list[tuple[datetime, float, float, float, float, int | None]]:
        """(time, lat, lon, elevation, distance so far, cadence) per point."""
        out = []
        n = int(self.km * 1000 / (self.speed * self.step_s))
        for i in range(n + 1):
            d = i * self.speed * self.step_s
            t = self.start + timedelta(seconds=i * self.step_s)
            if self.pause_s and d > self.km * 500:
                t += timedelta(seconds=self.pause_s)
            ele = 50 + self.hill_m * math.sin(2 * math.pi * d / 1000)
            ele += self.noise_m * math.sin(i * 2.7)  # fixed wobble, the same every run
            out.append((t, self.lat0 + d / M_PER_DEG_LAT, self.lon0, ele, d, self.cadence_rpm))
        return out

    @property
    def distance_m(self) -> float:
        return self.points()[-1][4]

    def true_gain(self) -> float:
        eles = [p[3] for p in self.points()]
        return sum(max(0.0, b - a) for a, b in itertools.pairwise(eles))


def gpx(route: Route, sport: str = "running") -> bytes:
    import gpxpy.gpx

    doc = gpxpy.gpx.GPX()
    track = gpxpy.gpx.GPXTrack(name="Morning run")
    track.type = sport
    doc.tracks.append(track)
    segment = gpxpy.gpx.GPXTrackSegment()
    track.segments.append(segment)
    last = None
    for t, lat, lon, ele, _, _ in route.points():
        if last is not None and (t - last).total_seconds() > 60:
            segment = gpxpy.gpx.GPXTrackSegment()  # the watch starts a new segment after a pause
            track.segments.append(segment)
        segment.points.append(gpxpy.gpx.GPXTrackPoint(lat, lon, elevation=ele, time=t))
        last = t
    return doc.to_xml().encode()


def tcx(route: Route, sport: str = "Running") -> bytes:
    points = []
    for t, lat, lon, ele, d, cad in route.points():
        extra = (
            f"<Extensions><ns3:TPX><ns3:RunCadence>{cad}</ns3:RunCadence></ns3:TPX></Extensions>"
            if cad
            else ""
        )
        points.append(
            f"<Trackpoint><Time>{t.strftime('%Y-%m-%dT%H:%M:%SZ')}</Time>"
            f"<Position><LatitudeDegrees>{lat:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{ele:.2f}</AltitudeMeters>"
            f"<DistanceMeters>{d:.1f}</DistanceMeters>{extra}</Trackpoint>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'
        ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{route.start.isoformat()}</Id>'
        f'<Lap StartTime="{route.start.isoformat()}"><DistanceMeters>{route.distance_m}'
        f"</DistanceMeters><Track>{''.join(points)}</Track></Lap></Activity></Activities>"
        "</TrainingCenterDatabase>"
    ).encode()


def fit(route: Route, sport: str = "running") -> bytes:
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

    def ms(t: datetime) -> int:
        return round(t.timestamp() * 1000)

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 0x12345678
    file_id.time_created = ms(route.start)
    builder.add(file_id)
    points = route.points()
    for t, lat, lon, ele, d, cad in points:
        record = RecordMessage()
        record.timestamp = ms(t)
        record.position_lat = lat
        record.position_long = lon
        record.altitude = ele
        record.distance = d
        if cad:
            record.cadence = cad
        builder.add(record)
    session = SessionMessage()
    session.timestamp = ms(points[-1][0])
    session.start_time = ms(route.start)
    session.sport = Sport.RUNNING if sport == "running" else Sport.CYCLING
    session.total_distance = route.distance_m
    builder.add(session)
    return builder.build().to_bytes()


def gz(data: bytes) -> bytes:
    return gzip.compress(data)


def strava_archive(activities: int, start: datetime = START, rides: int = 0) -> bytes:
    """A Strava-style bulk export: activities.csv and activities/ with one file each."""
    buffer = io.BytesIO()
    rows = []
    writers = [("gpx", gpx), ("fit.gz", lambda r: gz(fit(r))), ("tcx.gz", lambda r: gz(tcx(r)))]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(activities + rides):
            ride = i >= activities
            route = Route(
                km=3 + (i % 5), hill_m=20.0 if i % 3 == 0 else 0.0, start=start + timedelta(days=i)
            )
            ext, write = writers[i % 3]
            name = f"activities/{1000 + i}.{ext}"
            zf.writestr(name, write(route))
            rows.append(
                [
                    str(1000 + i),
                    route.start.strftime("%b %d, %Y, %I:%M:%S %p"),
                    f"Run {i}" if not ride else f"Ride {i}",
                    "Ride" if ride else ("Walk" if i % 10 == 9 else "Run"),
                    str(route.points()[-1][4] / 1000),
                    name,
                ]
            )
        text = io.StringIO()
        out = csv.writer(text)
        out.writerow(
            [
                "Activity ID",
                "Activity Date",
                "Activity Name",
                "Activity Type",
                "Distance",
                "Filename",
            ]
        )
        out.writerows(rows)
        zf.writestr("activities.csv", text.getvalue())
    return buffer.getvalue()


def zip_of(members: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()
