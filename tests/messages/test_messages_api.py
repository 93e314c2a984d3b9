"""Messages between a runner and their practitioner, through the API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

from sqlalchemy import func, select

from backend.messages.models import Message
from backend.notifications.models import Delivery, Notification, NotificationSettings
from backend.practice.models import AccessRead
from backend.routines.models import Assignment
from tests.messages.conftest import write
from tests.practice.support import link
from tests.support import run_body

MINE = "/api/v1/me/messages"
TRICKY = '<img src=x onerror="alert(1)"> see javascript:alert(2)\n\n  two  spaces & <b>'


def theirs(runner) -> str:
    return f"/api/v1/clients/{runner.id}/messages"


class TestConversation:
    def test_runner_asks_practitioner_answers_runner_reads(
        self, runner, runner_api, practitioner_api, linked, sql
    ):
        asked = write(runner_api, MINE, "The ball release made my back ache - keep going?")
        assert asked["author"] == "runner" and asked["mine"] and asked["read_at"] is None
        assert practitioner_api.get("/api/v1/me/unread").get_json() == {
            "messages": 1,
            "notifications": 0,
        }
        page = practitioner_api.get(theirs(runner)).get_json()
        assert [m["body"] for m in page["items"]] == [asked["body"]]
        assert page["thread"]["open"] is True
        reads = sql(lambda s: s.scalars(select(AccessRead.what)).all())
        assert "messages" in reads
        read = practitioner_api.post(f"{theirs(runner)}/{asked['id']}/read")
        assert read.get_json() == {"unread": 0}
        write(practitioner_api, theirs(runner), "Yes, gently; stop if it is sharp.")
        assert runner_api.get("/api/v1/me/unread").get_json()["messages"] == 1
        mine = runner_api.get(MINE).get_json()
        assert [m["author"] for m in mine["items"]] == ["practitioner", "runner"]
        # Read receipt: the runner sees the practitioner read their question.
        assert mine["items"][1]["read_at"] is not None
        assert mine["thread"]["practitioner_name"]
        runner_api.post(f"{MINE}/{mine['items'][0]['id']}/read")
        assert runner_api.get("/api/v1/me/unread").get_json()["messages"] == 0

    def test_text_comes_back_exactly_as_written(self, runner, runner_api, practitioner_api, linked):
        sent = write(runner_api, MINE, TRICKY)
        assert sent["body"] == TRICKY
        assert practitioner_api.get(theirs(runner)).get_json()["items"][0]["body"] == TRICKY

    def test_bad_input_names_the_field_and_stores_nothing(self, runner_api, linked, sql):
        for body, field in (
            ({"body": "x" * 4001}, "body"),
            ({"body": "   \n"}, "body"),
            ({}, "body"),
            ({"body": "hi", "run_id": "nope"}, "run_id"),
            ({"body": "hi", "run_id": str(uuid.uuid4())}, "run_id"),
            ({"body": "hi", "colour": "red"}, "colour"),
            ({"body": "a\u0000b"}, "body"),
        ):
            response = runner_api.post(MINE, body)
            assert response.status_code == 422, (body, response.get_json())
            assert field in response.get_json()["errors"]["json"], response.get_json()
        assert runner_api.post(MINE, {"body": "x" * 4000}).status_code == 201
        assert sql(lambda s: s.scalar(select(func.count()).select_from(Message))) == 1

    def test_the_same_client_id_stores_once(self, runner_api, linked, sql):
        body = {"id": str(uuid.uuid4()), "body": "sent from the outbox"}
        assert runner_api.post(MINE, body).status_code == 201
        again = runner_api.post(MINE, body)
        assert again.status_code == 200 and again.get_json()["id"] == body["id"]
        assert runner_api.post(MINE, {**body, "body": "other"}).status_code == 409
        assert sql(lambda s: s.scalar(select(func.count()).select_from(Message))) == 1

    def test_without_a_link_there_is_no_thread_to_write_in(self, runner_api):
        page = runner_api.get(MINE).get_json()
        assert page == {"thread": None, "items": [], "next_cursor": None, "newest": None}
        assert runner_api.post(MINE, {"body": "hello?"}).status_code == 409


class TestConsent:
    def test_revoke_closes_the_thread_and_relinking_opens_a_new_one(
        self, runner, runner_api, practitioner_api, linked
    ):
        first = write(runner_api, MINE, "before")
        assert runner_api.delete("/api/v1/me/practitioner").status_code == 204
        old = runner_api.get(MINE).get_json()
        assert old["thread"]["open"] is False and old["items"][0]["id"] == first["id"]
        assert runner_api.post(MINE, {"body": "after"}).status_code == 409
        assert practitioner_api.get(theirs(runner)).status_code == 404
        assert practitioner_api.post(theirs(runner), {"body": "hi"}).status_code == 404
        assert practitioner_api.get("/api/v1/me/unread").get_json()["messages"] == 0
        link(runner_api, practitioner_api)
        new = runner_api.get(MINE).get_json()
        assert new["thread"]["open"] and new["thread"]["id"] != old["thread"]["id"]
        assert new["items"] == []
        # The earlier thread stays readable for the runner, by its id.
        back = runner_api.get(f"{MINE}?thread={old['thread']['id']}").get_json()
        assert [m["id"] for m in back["items"]] == [first["id"]]
        assert practitioner_api.get(theirs(runner)).get_json()["items"] == []

    def test_another_runners_thread_is_not_found(self, app, runner_api, linked, make_user):
        from tests.support import Api

        other = Api(app.test_client()).login(make_user(role="runner"))
        thread = runner_api.get(MINE).get_json()["thread"]["id"]
        assert other.get(f"{MINE}?thread={thread}").status_code == 404
        mine = write(runner_api, MINE, "private")
        assert other.post(f"{MINE}/{mine['id']}/read").status_code == 404


class TestContext:
    def test_about_this_run_shows_it_inline(self, runner, runner_api, practitioner_api, linked):
        run = runner_api.post("/api/v1/runs", run_body(stiffness=6, red_flags=["sharp_pain"]))
        run_id = run.get_json()["id"]
        write(runner_api, MINE, "About this one", run_id=run_id)
        seen = practitioner_api.get(theirs(runner)).get_json()["items"][0]["run"]
        assert seen["id"] == run_id and seen["stiffness"] == 6
        assert seen["red_flags"] == ["sharp_pain"]
        assert seen["estimate"]["steps"]["low"] > 0
        assert seen["advice"]["level"] == "see_professional"

    def test_someone_elses_run_cannot_be_attached(self, app, runner_api, linked, make_user):
        from tests.support import Api

        other = Api(app.test_client()).login(make_user(role="runner"))
        run_id = other.post("/api/v1/runs", run_body()).get_json()["id"]
        response = runner_api.post(MINE, {"body": "x", "run_id": run_id})
        assert response.status_code == 422 and "run_id" in response.get_json()["errors"]["json"]

    def test_a_suggestion_becomes_an_assignment_once(
        self, runner, runner_api, practitioner_api, linked, routine_id, sql
    ):
        suggestion = {"routine_id": str(routine_id), "weekdays": [3, 1, 1]}
        sent = write(
            practitioner_api, theirs(runner), "Try this twice a week", suggestion=suggestion
        )
        assert sent["suggestion"]["weekdays"] == [1, 3]
        assert sent["suggestion"]["routine_name"]
        first = runner_api.post(f"{MINE}/{sent['id']}/accept")
        assert first.status_code == 200, first.get_json()
        second = runner_api.post(f"{MINE}/{sent['id']}/accept").get_json()
        assert (
            second["suggestion"]["assignment_id"] == first.get_json()["suggestion"]["assignment_id"]
        )
        rows = sql(lambda s: [(a.weekdays, a.runner_id) for a in s.scalars(select(Assignment))])
        assert rows == [([1, 3], runner.id)]
        plain = write(practitioner_api, theirs(runner), "No suggestion here")
        assert runner_api.post(f"{MINE}/{plain['id']}/accept").status_code == 404

    def test_a_routine_the_practitioner_cannot_use_is_refused(
        self, runner, practitioner_api, linked
    ):
        body = {"body": "x", "suggestion": {"routine_id": str(uuid.uuid4()), "weekdays": [0]}}
        response = practitioner_api.post(theirs(runner), body)
        assert response.status_code == 422
        assert "suggestion" in response.get_json()["errors"]["json"]


class TestPaging:
    def test_pages_and_since_polling(self, runner, runner_api, practitioner_api, linked):
        sent = [write(runner_api, MINE, f"m{i}")["id"] for i in range(5)]
        first = runner_api.get(f"{MINE}?limit=2").get_json()
        assert [m["body"] for m in first["items"]] == ["m4", "m3"]
        rest = runner_api.get(f"{MINE}?limit=10&cursor={first['next_cursor']}").get_json()
        assert [m["body"] for m in rest["items"]] == ["m2", "m1", "m0"]
        newest = first["newest"]
        quiet = runner_api.get(f"{MINE}?since={newest}").get_json()
        assert quiet["items"] == [] and quiet["newest"] == newest
        reply = write(practitioner_api, theirs(runner), "answer")
        polled = runner_api.get(f"{MINE}?since={newest}").get_json()
        assert [m["id"] for m in polled["items"]] == [reply["id"]]
        assert polled["newest"] != newest
        assert sent

    def test_a_position_the_api_never_gave_is_422(self, runner_api, linked):
        response = runner_api.get(f"{MINE}?since=garbage")
        assert response.status_code == 422 and "since" in response.get_json()["errors"]["query"]


class TestRoster:
    def test_conversations_say_who_waits_for_a_reply(
        self, app, runner, runner_api, practitioner_api, linked, make_user, sql
    ):
        from tests.support import Api

        second_user = make_user(role="runner")
        second = Api(app.test_client()).login(second_user)
        link(second, practitioner_api)

        def at(message, hour):
            def move(s):
                s.get(Message, uuid.UUID(message["id"])).created_at = datetime(
                    2026, 11, 2, hour, tzinfo=UTC
                )
                s.commit()

            sql(move)

        at(write(second, MINE, "first question"), 8)
        at(write(runner_api, MINE, "a question"), 9)
        at(write(practitioner_api, theirs(runner), "an answer"), 10)
        at(write(runner_api, MINE, "a follow-up"), 11)
        items = practitioner_api.get("/api/v1/practice/conversations").get_json()["items"]
        by_id = {i["client_id"]: i for i in items}
        assert by_id[str(runner.id)]["unread"] == 2
        assert by_id[str(runner.id)]["waiting_since"].startswith("2026-11-02T11:00")
        assert by_id[str(second_user.id)]["waiting_since"].startswith("2026-11-02T08:00")
        at(write(practitioner_api, theirs(second_user), "answered"), 12)
        items = practitioner_api.get("/api/v1/practice/conversations").get_json()["items"]
        assert {i["client_id"]: i["waiting_since"] for i in items}[str(second_user.id)] is None


class TestNotifications:
    def test_the_other_side_is_told_without_the_text(
        self, runner, practitioner, runner_api, practitioner_api, linked, sql
    ):
        write(runner_api, MINE, "my back is stiff after hills")
        rows = sql(lambda s: s.scalars(select(Notification)).all())
        assert [(n.user_id, n.kind) for n in rows] == [(practitioner.id, "message")]
        assert "hills" not in rows[0].title + rows[0].body
        assert rows[0].url == f"/clients/{runner.id}#messages"
        # In the badge as a message, not twice as a notification.
        assert practitioner_api.get("/api/v1/me/unread").get_json() == {
            "messages": 1,
            "notifications": 0,
        }

    def test_reading_the_thread_reads_its_notifications(
        self, runner, runner_api, practitioner_api, linked, sql
    ):
        sent = write(practitioner_api, theirs(runner), "hello")
        runner_api.post(f"{MINE}/{sent['id']}/read")
        unread = sql(
            lambda s: s.scalar(
                select(func.count()).select_from(Notification).where(Notification.read_at.is_(None))
            )
        )
        assert unread == 0

    def test_quiet_hours_hold_push_and_email_but_keep_the_badge(
        self, runner, practitioner, runner_api, linked, sql, app
    ):
        hour = datetime.now(UTC).hour

        def quiet(start):
            def change(s):
                row = s.get(NotificationSettings, practitioner.id) or NotificationSettings(
                    user_id=practitioner.id
                )
                row.channels = {"message": {"email": True}}
                row.quiet_start, row.quiet_end = time(start % 24), time((start + 1) % 24)
                s.add(row)
                s.commit()

            sql(change)

        quiet(hour)  # now is inside them
        write(runner_api, MINE, "late question")
        assert sql(lambda s: s.scalar(select(func.count()).select_from(Delivery))) == 0
        assert sql(lambda s: s.scalar(select(func.count()).select_from(Notification))) == 1
        quiet(hour + 2)  # now is outside them
        write(runner_api, MINE, "daytime question")
        channels = sql(lambda s: sorted(s.scalars(select(Delivery.channel))))
        assert channels == ["email"]  # no push subscription; email chosen on

    def test_an_email_says_only_that_there_is_a_message(self, app, runner, practitioner, sql):
        from backend.notifications import email

        with app.app_context():
            note = Notification(
                id=uuid.uuid4(),
                user_id=practitioner.id,
                kind="message",
                key="k",
                title="t",
                body="secret words",
                url=f"/clients/{runner.id}#messages",
            )
            message = email.compose(type("U", (), {"email": "p@example.test"})(), note)
        text = message.get_body(("plain",)).get_content()
        assert "You have a new message" in text and "secret" not in text
