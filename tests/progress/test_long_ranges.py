"""A long range answers with what fits a screen: the latest weeks listed week by week, and
triggers weighed on the latest rated runs, saying from when."""

from datetime import UTC, datetime, timedelta

from backend.progress import service
from tests.practice.support import store_runs


def today():
    return datetime.now(UTC).date()


def monday(day):
    return day - timedelta(days=day.weekday())


def test_the_weekly_lists_hold_the_latest_weeks_of_a_long_range(runner_api, runner, sql):
    this_week = monday(today())
    store_runs(
        sql,
        runner.id,
        [{"day": this_week - timedelta(weeks=w), "stiffness": w % 10} for w in range(40)],
    )
    start = (this_week - timedelta(weeks=39)).isoformat()
    body = runner_api.get(f"/api/v1/progress?from={start}").get_json()

    first_listed = (this_week - timedelta(weeks=service.WEEKS_LISTED - 1)).isoformat()
    for listed in (body["stiffness"]["weekly"], body["load"]["weekly"]):
        assert len(listed) == service.WEEKS_LISTED
        assert listed[0]["week_start"] == first_listed
        assert listed[-1]["week_start"] == this_week.isoformat()
    # The series still covers the whole range, one point a week.
    assert body["stiffness"]["resolution"] == "week"
    assert len(body["stiffness"]["series"]) == 40
    assert body["stiffness"]["series"][0]["date"] == start


def test_a_short_range_lists_every_week(runner_api, runner, sql):
    this_week = monday(today())
    store_runs(
        sql, runner.id, [{"day": this_week - timedelta(weeks=w), "stiffness": 3} for w in range(5)]
    )
    body = runner_api.get("/api/v1/progress").get_json()
    assert [w["week_start"] for w in body["stiffness"]["weekly"]] == [
        (this_week - timedelta(weeks=w)).isoformat() for w in reversed(range(5))
    ]
    assert len(body["load"]["weekly"]) == 5


def _older_trails_newer_roads(sql, runner_id):
    day = today()
    runs = [
        {"day": day - timedelta(days=30 + i), "stiffness": 8, "surface": "trail"} for i in range(5)
    ]
    runs += [{"day": day - timedelta(days=i), "stiffness": 2 + i % 2} for i in range(10)]
    store_runs(sql, runner_id, runs)
    return day - timedelta(days=9)


def test_triggers_weigh_every_rated_run_when_there_are_few(runner_api, runner, sql):
    _older_trails_newer_roads(sql, runner.id)
    body = runner_api.get(f"/api/v1/progress?from={today() - timedelta(days=60)}").get_json()
    assert body["triggers_from"] is None
    trail = [t for t in body["triggers"] if t["value"] == "trail"]
    assert trail and trail[0]["runs"] == 5


def test_triggers_weigh_only_the_latest_runs_of_a_long_history(
    runner_api, runner, sql, monkeypatch
):
    oldest_weighed = _older_trails_newer_roads(sql, runner.id)
    monkeypatch.setattr(service, "TRIGGER_RUNS", 10)
    body = runner_api.get(f"/api/v1/progress?from={today() - timedelta(days=60)}").get_json()
    assert body["triggers_from"] == oldest_weighed.isoformat()
    assert not [t for t in body["triggers"] if t["value"] == "trail"]
    # Everything else still covers the whole range.
    assert {s["surface"]: s["runs"] for s in body["by_surface"]} == {"road": 10, "trail": 5}
    morning = runner_api.get(
        f"/api/v1/progress?from={today() - timedelta(days=60)}&outcome=next_morning"
    ).get_json()
    assert morning["triggers_from"] == oldest_weighed.isoformat()
