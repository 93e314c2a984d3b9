"""The engine's bookkeeping: failures kept for `flask jobs failed` and /readyz."""

from huey import crontab

from backend.jobs import enqueue, huey, job
from backend.jobs.models import JobFailure
from backend.notifications.cli import vapid_command
from backend.notifications.push import b64url_decode


@job(retries=0)
def always_fails(thing: str) -> None:
    raise RuntimeError(f"cannot do {thing}")


def test_a_task_that_gives_up_is_listed_and_counted(app, client, sql):
    assert client.get("/readyz").get_json()["details"] == {"failed_jobs": 0}
    huey.immediate = True
    try:
        with app.test_request_context(headers={"X-Request-ID": "req-0123456789"}):
            app.preprocess_request()
            enqueue(always_fails, "thing-42")  # runs here, fails, gives up
    finally:
        huey.immediate = False
    rows = sql(lambda s: s.query(JobFailure).all())
    assert [(r.arguments, r.request_id) for r in rows] == [("thing-42", "req-0123456789")]
    assert client.get("/readyz").get_json()["details"] == {"failed_jobs": 1}
    out = app.test_cli_runner().invoke(args=["jobs", "failed"]).output
    assert "always_fails" in out and "cannot do thing-42" in out and "req-0123456789" in out
    app.test_cli_runner().invoke(args=["jobs", "failed", "--clear"])
    assert app.test_cli_runner().invoke(args=["jobs", "failed"]).output == "No failed tasks.\n"


def test_each_minutes_periodic_tasks_go_to_one_consumer_only():
    from datetime import datetime

    tick = datetime(2026, 12, 2, 7, 0)  # noqa: DTZ001 - huey keeps naive UTC times
    assert huey.read_periodic(tick)  # the first consumer to ask gets them
    assert huey.read_periodic(tick) == []  # any other consumer, the same minute
    assert huey.read_periodic(tick.replace(second=40)) == []  # still the same tick
    assert crontab(minute="0")(tick)


def test_a_shorter_tick_runs_the_schedule_once_per_tick(monkeypatch):
    from datetime import datetime

    monkeypatch.setattr(huey, "tick_seconds", 2)
    at = datetime(2026, 12, 2, 8, 0, 10)  # noqa: DTZ001 - huey keeps naive UTC times
    assert huey.read_periodic(at)
    assert huey.read_periodic(at.replace(second=11)) == []  # the same 2-second tick
    assert huey.read_periodic(at.replace(second=12))  # the next one
    consumer = huey.create_consumer(workers=1, worker_type="thread")
    assert consumer.scheduler_class.periodic_task_seconds == 2


def test_flask_vapid_prints_a_usable_key_pair(app):
    out = app.test_cli_runner().invoke(vapid_command).output
    private = out.splitlines()[0].removeprefix("VAPID_PRIVATE_KEY=")
    assert len(b64url_decode(private)) == 32
