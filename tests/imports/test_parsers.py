"""Reading real GPX, TCX and FIT files back into the figures that were written."""

import pytest

from backend.imports import archive
from backend.imports.parsers import FileProblem, read_activity, sniff
from backend.imports.terrain import climb, terrain_class
from tests.imports.files import Route, fit, gpx, gz, tcx

WRITERS = {"gpx": gpx, "tcx": tcx, "fit": fit}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
class TestFormats:
    def test_a_hilly_route_reads_back(self, fmt):
        route = Route(km=6, hill_m=20)
        a = read_activity(fmt, WRITERS[fmt](route))
        assert a.distance_km == pytest.approx(route.distance_m / 1000, rel=0.01)
        assert a.elevation_gain_m == pytest.approx(route.true_gain(), rel=0.05)
        assert a.elevation_loss_m == pytest.approx(route.true_gain(), rel=0.08)
        assert a.terrain == "hilly"
        assert 0.3 < a.uphill_share < 0.6 and 0.3 < a.downhill_share < 0.6
        assert a.started_at == route.start
        assert a.elapsed_s == pytest.approx((route.points()[-1][0] - route.start).total_seconds())
        assert a.kind == "run"

    def test_a_flat_route_with_a_wobbling_altimeter_is_flat(self, fmt):
        route = Route(km=5, noise_m=1.5)
        a = read_activity(fmt, WRITERS[fmt](route))
        assert a.terrain == "flat"
        assert a.elevation_gain_m < 10  # 3 m of wobble on every point, smoothed away
        assert a.distance_km == pytest.approx(route.distance_m / 1000, rel=0.01)

    def test_a_pause_counts_in_elapsed_time_only(self, fmt):
        route = Route(km=5, pause_s=300)
        a = read_activity(fmt, WRITERS[fmt](route))
        assert a.elapsed_s - a.moving_s == pytest.approx(300, abs=15)
        assert a.distance_km == pytest.approx(route.distance_m / 1000, rel=0.01)


class TestCadence:
    @pytest.mark.parametrize("fmt", ["tcx", "fit"])
    def test_recorded_cadence_becomes_steps_per_minute(self, fmt):
        a = read_activity(fmt, WRITERS[fmt](Route(cadence_rpm=85)))
        assert a.avg_cadence_spm == 170

    def test_no_cadence_when_none_was_recorded(self):
        assert read_activity("fit", fit(Route())).avg_cadence_spm is None


class TestBadFiles:
    def test_a_truncated_fit_file(self):
        data = fit(Route())
        with pytest.raises(FileProblem, match="FIT"):
            read_activity("fit", data[: len(data) // 2])

    def test_a_truncated_gpx_file(self):
        data = gpx(Route())
        with pytest.raises(FileProblem, match="GPX"):
            read_activity("gpx", data[: len(data) // 2])

    def test_an_entity_bomb_is_refused(self):
        bomb = b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>'
        with pytest.raises(FileProblem, match="DTD"):
            read_activity("gpx", bomb)

    def test_a_bike_ride_is_not_a_run(self):
        with pytest.raises(FileProblem, match="not a run or walk"):
            read_activity("fit", fit(Route(), sport="cycling"))

    def test_a_walk_is_kept_as_a_walk(self):
        assert read_activity("tcx", tcx(Route(speed=1.4), sport="Walking")).kind == "walk"


class TestSniffing:
    def test_it_tells_formats_by_content(self):
        assert sniff(gpx(Route())) == "gpx"
        assert sniff(tcx(Route())) == "tcx"
        assert sniff(fit(Route())) == "fit"
        assert sniff(gz(b"x")) == "gzip"
        assert sniff(b"\x89PNG....") is None

    def test_a_gzip_bomb_stops_at_the_limit(self):
        with pytest.raises(FileProblem, match="25 MB"):
            archive.gunzip(gz(b"\0" * (2 * 1024 * 1024)), cap=1024 * 1024)


class TestTerrain:
    def test_classes(self):
        assert terrain_class(4) == "flat"
        assert terrain_class(15) == "rolling"
        assert terrain_class(30) == "hilly"

    def test_too_little_elevation_says_nothing(self):
        assert climb([0, 100, 200, 300], [None, None, None, 5.0]) is None
