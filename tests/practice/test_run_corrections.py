"""A runner's corrections to a run: safe to replay from the outbox, and what the
practitioner sees follows them. The API speaks plainly when it refuses a run."""

from __future__ import annotations

from typing import Any

from tests.support import Api, run_body


def client_runs(practitioner_api: Api, runner: Any) -> list[dict[str, Any]]:
    response = practitioner_api.get(f"/api/v1/clients/{runner.id}/runs")
    assert response.status_code == 200, response.get_json()
    return list(response.get_json()["items"])


def open_alerts(practitioner_api: Api, runner: Any) -> list[dict[str, Any]]:
    response = practitioner_api.get(f"/api/v1/clients/{runner.id}/alerts?status=open")
    assert response.status_code == 200, response.get_json()
    return list(response.get_json()["items"])


def test_the_practitioner_sees_an_edit_and_a_replayed_edit_changes_nothing(
    runner_api, practitioner_api, runner, linked
):
    run = runner_api.post("/api/v1/runs", run_body(distance_km=5, stiffness=3)).get_json()
    change = {"distance_km": 8.2, "duration_s": 2952, "stiffness": 8}
    first = runner_api.patch(f"/api/v1/runs/{run['id']}", change)
    assert first.status_code == 200, first.get_json()
    alerts = open_alerts(practitioner_api, runner)
    # The outbox may send the same change again (an answer lost on the way back).
    again = runner_api.patch(f"/api/v1/runs/{run['id']}", change)
    assert again.status_code == 200
    drop = {"updated_at", "estimate"}
    assert {k: v for k, v in again.get_json().items() if k not in drop} == {
        k: v for k, v in first.get_json().items() if k not in drop
    }
    assert len(open_alerts(practitioner_api, runner)) == len(alerts)
    seen = client_runs(practitioner_api, runner)
    assert [(r["distance_km"], r["duration_s"], r["stiffness"]) for r in seen] == [(8.2, 2952, 8)]


def test_a_deleted_run_leaves_the_practitioners_view_and_a_replay_is_a_plain_404(
    runner_api, practitioner_api, runner, linked
):
    kept = runner_api.post("/api/v1/runs", run_body(distance_km=6)).get_json()
    gone = runner_api.post(
        "/api/v1/runs", run_body(distance_km=5, started_at="2026-11-21T07:30:00Z")
    ).get_json()
    assert runner_api.delete(f"/api/v1/runs/{gone['id']}").status_code == 204
    # A replay finds nothing to delete: the outbox counts that 404 as done (outbox.js).
    replay = runner_api.delete(f"/api/v1/runs/{gone['id']}")
    assert replay.status_code == 404
    assert replay.get_json()["message"] == "No such run."
    assert [r["id"] for r in client_runs(practitioner_api, runner)] == [kept["id"]]
    # An edit of a deleted run is a definitive refusal the runner is shown.
    assert runner_api.patch(f"/api/v1/runs/{gone['id']}", {"stiffness": 2}).status_code == 404


def test_a_refused_run_says_plainly_what_to_fix(runner_api):
    response = runner_api.post(
        "/api/v1/runs", {"distance_km": 0, "surface": "moon", "stiffness": 11}
    )
    assert response.status_code == 422
    fields = response.get_json()["errors"]["json"]
    assert fields == {
        "distance_km": ["Enter a distance above 0 and up to 300 km."],
        "duration_s": ["Enter how long it took."],
        "surface": ["Pick a surface."],
        "workout_type": ["Pick the kind of run."],
        "stiffness": ["Pick how stiff you feel, 0 to 10."],
    }


def test_sign_up_says_plainly_what_to_fix(api):
    response = api.post(
        "/api/v1/auth/register",
        {"email": "not-an-email", "password": "short", "display_name": "", "role": "runner"},
    )
    assert response.status_code == 422
    fields = response.get_json()["errors"]["json"]
    assert fields["display_name"] == ["Enter your name (up to 80 characters)."]
    assert fields["email"] == ["Enter an email address like name@example.com."]
    assert fields["password"][0].startswith("Use a password of 8 to ")


def test_an_edit_to_another_tier_raises_again_and_back_to_a_seen_tier_does_not(
    runner_api, practitioner_api, runner, linked
):
    run = runner_api.post("/api/v1/runs", run_body(red_flags=["night_pain"])).get_json()
    path = f"/api/v1/runs/{run['id']}"

    def levels() -> list[str]:
        found = practitioner_api.get(f"/api/v1/clients/{runner.id}/alerts?status=all").get_json()
        return sorted(a["level"] for a in found["items"] if a["kind"] == "red_flag")

    assert levels() == ["urgent"]
    # A milder tier is a new event too (docs/practice.md, "Alerts").
    runner_api.patch(path, {"red_flags": ["sharp_pain"]})
    assert levels() == ["see_professional", "urgent"]
    runner_api.patch(path, {"red_flags": ["night_pain"]})
    assert levels() == ["see_professional", "urgent"]
