"""What an attack from outside found, one class per finding (docs/security.md lists them).

Each case is marked `hardening_case`; the summary line counts them (hardening=passed/all)
and every response the app gives here is counted for 5xx like the rest of the suite.
"""

from __future__ import annotations

import json
import math
import runpy
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from sqlalchemy import select, update

from backend import create_app
from backend.auth.models import LoginBrake, User
from backend.auth.passwords import password_problems
from backend.auth.signals import login_brake_engaged
from backend.consent import CODE_LENGTH
from backend.db import utcnow
from backend.extensions import db
from backend.practice.models import AccessVisit, Consent, PracticeInvite
from tests.privacy.helpers import link
from tests.reliability.conftest import count_response
from tests.reliability.figures import figures
from tests.reliability.routes import limber_routes, view_of
from tests.reliability.servers import NGINX_ADDR, Gunicorn, Nginx, Visitor, call, raw
from tests.reliability.test_access_matrix import example_body
from tests.reliability.world import MARKER, World, build_world, snapshot
from tests.support import PASSWORD, Api, run_body

ROOT = Path(__file__).resolve().parents[2]
response_status = runpy.run_path(str(ROOT / "deploy/gunicorn.conf.py"))["response_status"]

pytestmark = pytest.mark.hardening_case
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _answered(answer: Any) -> Any:
    count_response(answer.status)
    return answer


@pytest.fixture
def world(app, make_user) -> World:
    return build_world(app, make_user)


@pytest.fixture(scope="module")
def spec(app) -> dict[str, Any]:
    return app.test_client().get("/api/v1/openapi.json").get_json()


@pytest.fixture
def make_app(app, database_url) -> Iterator[Any]:
    """An app on the test database with settings changed (built after the shared one)."""
    made: list[Any] = []

    def make(**settings: Any) -> Any:
        config = {"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url, **settings}
        built = create_app(config)
        made.append(built)
        return built

    yield make
    for built in made:
        with built.app_context():
            db.session.remove()
            db.engine.dispose()
    # The rate limiter is one object per process: give it back to the shared app.
    from backend.extensions import limiter

    limiter.init_app(app)


# 1. One request killed a gunicorn worker --------------------------------------------------


@pytest.fixture(scope="module")
def gunicorn(app, database_url) -> Iterator[Gunicorn]:
    server = Gunicorn(database_url, workers=2, LOG_LEVEL="info")
    yield server
    server.stop()


def _status_and_json(answer: bytes) -> tuple[int, dict[str, Any], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


class TestGunicornOwnErrors:
    def test_two_content_lengths_never_take_a_worker_down(self, gunicorn) -> None:
        bad = (
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
            b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"
        )
        for _ in range(20):
            status, headers, body = _status_and_json(raw(gunicorn.port, bad))
            count_response(status)
            assert status == 400
            assert headers["Content-Type"] == "application/json"
            assert json.loads(body)["code"] == 400
        probes = [_answered(call(gunicorn.port, "GET", "/healthz")).status for _ in range(5)]
        assert probes == [200] * 5
        log = gunicorn.logged()
        assert log.count("Booting worker") == 2, log  # no worker was replaced
        assert "Traceback" not in log

    def test_an_over_long_request_line_gets_json_not_html(self, gunicorn) -> None:
        line = b"GET /api/v1/runs?q=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        status, headers, body = _status_and_json(raw(gunicorn.port, line))
        count_response(status)
        # gunicorn 27 names the problem: 414 URI Too Long (23 said 400).
        assert status == 414
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body)["code"] == 414

    def test_the_access_line_reads_a_status_without_status_code(self) -> None:
        class Refused:  # what gunicorn passes for a request it refused itself
            status = "400 Bad Request"
            headers: list[tuple[str, str]] = []

        assert response_status(Refused()) == 400

    def test_trace_is_405_with_allow_through_gunicorn(self, gunicorn) -> None:
        answer = _answered(call(gunicorn.port, "TRACE", "/api/v1/runs"))
        assert answer.status == 405
        assert "GET" in answer.headers["Allow"] and "TRACE" not in answer.headers["Allow"]
        assert answer.json()["code"] == 405


# 2. A former practitioner could still read a client's data through their export ----------


class TestPractitionerExport:
    def test_a_former_practitioner_gets_nothing_of_the_client(self, world) -> None:
        a, p = world.client("A"), world.client("P")
        before = p.get("/api/v1/me/export").get_json()
        assert str(world.users["A"].id) in json.dumps(before)  # while A consents
        assert world.client("A").delete("/api/v1/me/practitioner").status_code == 204
        after = p.get("/api/v1/me/export")
        count_response(after.status_code)
        text = after.get_data(as_text=True)
        assert after.status_code == 200
        assert str(world.users["A"].id) not in text
        assert MARKER not in text
        # Their own account and content stay.
        tables = after.get_json()["tables"]
        assert tables["users"][0]["id"] == str(world.users["P"].id)
        assert tables["practice_invites"]
        assert a.get("/api/v1/me/export").status_code == 200

    @pytest.mark.parametrize("actor", ["B", "Q", "R"])
    def test_nobody_else_gets_anything_of_the_client(self, world, actor) -> None:
        response = world.client(actor).get("/api/v1/me/export")
        count_response(response.status_code)
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert str(world.users["A"].id) not in text and MARKER not in text


# 3. A non-Latin name broke the client CSV export -----------------------------------------


class TestClientCsvName:
    @pytest.mark.parametrize("name", ["Łukasz", "王小明", "Zoë O'Brien"])
    def test_any_name_gives_a_file_with_an_ascii_header(self, app, make_user, name) -> None:
        runner = make_user(role="runner", display_name=name)
        practitioner = make_user(role="practitioner")
        link(app, runner.id, practitioner.id)
        api = Api(app.test_client()).login(practitioner)
        response = api.get(f"/api/v1/clients/{runner.id}/export.csv")
        count_response(response.status_code)
        assert response.status_code == 200
        header = response.headers["Content-Disposition"]
        header.encode("ascii")  # what a WSGI server can send
        assert 'filename="limber-' in header
        encoded = header.split("filename*=UTF-8''", 1)[1]
        slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
        assert unquote(encoded).startswith(f"limber-{slug}-")

    def test_gunicorn_sends_the_file_for_a_chinese_name(self, app, make_user, gunicorn) -> None:
        runner = make_user(role="runner", display_name="王小明")
        practitioner = make_user(role="practitioner")
        link(app, runner.id, practitioner.id)
        visitor = Visitor(gunicorn.port, "127.0.0.1").start()
        assert _answered(visitor.login(practitioner.email, PASSWORD)).status == 200
        visitor.start()
        answer = _answered(visitor.send("GET", f"/api/v1/clients/{runner.id}/export.csv"))
        assert answer.status == 200
        assert answer.body.startswith(b"record,id,")
        probes = [_answered(call(gunicorn.port, "GET", "/healthz")).status for _ in range(3)]
        assert probes == [200] * 3


# 4. Bodies that crashed the parser ---------------------------------------------------------

PARSER_BOMBS = {
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "a 5,000-digit integer": b'{"email": ' + b"7" * 5000 + b', "password": "x"}',
    "broken UTF-8": b'{"email": "\xff\xfe"}',
}


def _string_fields(spec: dict[str, Any], route: Any) -> list[str]:
    path = route.rule.rule
    for name in route.rule.arguments:
        path = path.replace(f"<uuid:{name}>", f"{{{name}}}").replace(f"<{name}>", f"{{{name}}}")
    operation = spec["paths"].get(path, {}).get(route.method.lower(), {})
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = schema.get("schema", {})
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return [
        name
        for name, prop in schema.get("properties", {}).items()
        if prop.get("type") == "string" and "enum" not in prop
    ]


def _writes_with_text(app: Any, spec: dict[str, Any]) -> list[tuple[Any, str]]:
    from backend.access import rule_for

    # The second step of signing in answers only a sign-in held after a right password;
    # without one it is 401 before any body is read (tests/mfa cover its input).
    return [
        (route, field)
        for route in limber_routes(app)
        if route.method in UNSAFE and rule_for(view_of(app, route), route.method) != "second_step"
        for field in _string_fields(spec, route)
    ]


def _actor_for(app: Any, route: Any) -> str:
    from backend.access import rule_for

    return "P" if rule_for(view_of(app, route), route.method) == "practitioner" else "A"


class TestBodiesThatCrashedTheParser:
    @pytest.mark.parametrize("bomb", list(PARSER_BOMBS))
    @pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/auth/register"])
    def test_an_undecodable_body_is_a_400(self, api, path, bomb) -> None:
        response = api.post(
            path, data=PARSER_BOMBS[bomb], headers={"Content-Type": "application/json"}
        )
        count_response(response.status_code)
        figures.add("bad_inputs")
        assert response.status_code == 400, response.get_data()[:200]
        assert response.get_json()["message"]

    def test_every_text_field_refuses_nul_and_lone_surrogates(self, app, world, spec) -> None:
        targets = _writes_with_text(app, spec)
        assert len(targets) >= 15, targets  # login, register, profile, runs, notes, ...
        tried = 0
        for route, field in targets:
            try:
                path, _ = world.fill(route)
            except LookupError:
                # No such object in the world (a passkey would give P a second step): the
                # body is refused before any lookup, so any id will do.
                ids = {name: uuid.uuid4() for name in route.ids}
                path = route.rule.build(ids, append_unknown=False)[1]
            body = example_body(world, route, spec) or {}
            for bad in ("a\x00b", "a\ud800b"):
                before = snapshot(app)
                api = world.client(_actor_for(app, route))
                response = api._unsafe(route.method, path, {**body, field: bad})
                count_response(response.status_code)
                tried += 1
                text = response.get_data(as_text=True)[:300]
                assert response.status_code == 422, (str(route), field, text)
                assert field in response.get_json()["errors"]["json"], (str(route), text)
                assert snapshot(app) == before, (str(route), field)
        figures.add("bad_inputs", tried)

    def test_a_surrogate_in_a_query_string_is_a_422(self, world) -> None:
        response = world.client("A").get("/api/v1/runs?cursor=%ED%A0%80")
        count_response(response.status_code)
        assert response.status_code in (400, 422)

    @pytest.mark.parametrize(
        "when",
        ["0001-01-01T00:30:00+05:00", "9999-12-31T23:30:00-05:00", "9999-12-31T23:59:59+00:00"],
    )
    def test_dates_at_the_ends_of_the_calendar_are_422(self, app, world, when) -> None:
        before = snapshot(app)
        run = world.client("A").post("/api/v1/runs", run_body(started_at=when))
        count_response(run.status_code)
        figures.add("bad_inputs")
        assert run.status_code == 422, run.get_data()[:200]
        assert "started_at" in run.get_json()["errors"]["json"]
        assert snapshot(app) == before


# 5. Rate limits behind the documented proxies ----------------------------------------------


def _bad_logins_until_refused(visitor: Visitor, tries: int) -> list[int]:
    statuses = []
    for _ in range(tries):
        email = f"nobody-{uuid.uuid4().hex[:10]}@example.test"  # the account brake stays out
        statuses.append(_answered(visitor.login(email, "wrong password")).status)
    return statuses


@pytest.fixture(scope="module")
def one_proxy(app, database_url) -> Iterator[tuple[Gunicorn, Nginx]]:
    server = Gunicorn(
        database_url,
        RATELIMIT_ENABLED="true",
        RATELIMIT_LOGIN="3 per minute",
        RATELIMIT_KEY_PREFIX=f"hardening-{uuid.uuid4().hex[:8]}",
        PROXY_FIX_X_FOR="1",
        PROXY_TRUSTED_NETWORKS=f"{NGINX_ADDR}/32",
    )
    proxy = Nginx(server.port)
    yield server, proxy
    proxy.stop()
    server.stop()


@pytest.fixture(scope="module")
def two_proxies(app, database_url) -> Iterator[tuple[Gunicorn, Nginx]]:
    server = Gunicorn(
        database_url,
        RATELIMIT_ENABLED="true",
        RATELIMIT_LOGIN="3 per minute",
        RATELIMIT_KEY_PREFIX=f"hardening-{uuid.uuid4().hex[:8]}",
        PROXY_FIX_X_FOR="2",
        PROXY_TRUSTED_NETWORKS=f"{NGINX_ADDR}/32",
    )
    proxy = Nginx(server.port, outer=True)
    yield server, proxy
    proxy.stop()
    server.stop()


class TestRateLimitsBehindProxies:
    @pytest.mark.parametrize("setup", ["one_proxy", "two_proxies"])
    def test_each_client_has_its_own_bucket_and_cannot_forge_another(self, request, setup) -> None:
        _, proxy = request.getfixturevalue(setup)
        first = Visitor(proxy.entry, "127.0.0.10").start()
        assert _bad_logins_until_refused(first, 4) == [401, 401, 401, 429]
        # Someone else behind the same proxies is not locked out by the first client.
        second = Visitor(proxy.entry, "127.0.0.11").start()
        assert _bad_logins_until_refused(second, 1) == [401]
        # Writing another address into X-Forwarded-For does not give a fresh bucket.
        forger = Visitor(proxy.entry, "127.0.0.10", forwarded_for="198.51.100.23").start()
        assert _bad_logins_until_refused(forger, 1) == [429]

    def test_forwarded_headers_sent_straight_to_gunicorn_are_ignored(self, one_proxy) -> None:
        server, _ = one_proxy
        statuses = []
        for n in range(4):
            forger = Visitor(server.port, "127.0.0.20", forwarded_for=f"203.0.113.{n}").start()
            statuses += _bad_logins_until_refused(forger, 1)
        assert statuses == [401, 401, 401, 429]

    def test_https_from_the_outer_proxy_reaches_the_app(self, two_proxies) -> None:
        _, proxy = two_proxies
        answer = _answered(call(proxy.entry, "GET", "/healthz", source="127.0.0.12"))
        assert answer.status == 200
        assert "Strict-Transport-Security" in answer.headers  # the app saw https


# 6. and 7. The per-account brake, on sign-in and on password change -------------------------


def _unbrake(sql: Any) -> None:
    """Let the back-off run out (the clock is the row's, moved instead of waited for)."""

    def rewind(s: Any) -> None:
        s.execute(update(LoginBrake).values(blocked_until=utcnow() - timedelta(seconds=1)))
        s.commit()

    sql(rewind)


class TestLoginBrake:
    def test_thirty_addresses_cannot_try_thirty_passwords(self, app, runner, sql) -> None:
        statuses = []
        for n in range(30):
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
            response = Api(client).post(
                "/api/v1/auth/login", {"email": runner.email, "password": f"guess {n}"}
            )
            count_response(response.status_code)
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert int(response.headers["Retry-After"]) >= 1
        assert statuses[:5] == [401] * 5
        assert statuses[5:].count(429) >= 20  # only tries after each wait are checked

    def test_the_owner_signs_in_after_the_back_off_and_it_resets(self, api, runner, sql) -> None:
        for n in range(6):
            api.post("/api/v1/auth/login", {"email": runner.email, "password": f"wrong {n}"})
        held = api.post("/api/v1/auth/login", {"email": runner.email, "password": PASSWORD})
        count_response(held.status_code)
        assert held.status_code == 429
        _unbrake(sql)
        ok = api.post("/api/v1/auth/login", {"email": runner.email, "password": PASSWORD})
        count_response(ok.status_code)
        assert ok.status_code == 200
        assert sql(lambda s: s.scalars(select(LoginBrake)).all()) == []

    def test_the_wait_is_capped_so_the_owner_is_never_kept_out_long(self, app, runner, sql):
        for _ in range(40):
            _unbrake(sql)
            Api(app.test_client()).post(
                "/api/v1/auth/login", {"email": runner.email, "password": "wrong"}
            )
        wait = sql(lambda s: s.scalar(select(LoginBrake.blocked_until))) - utcnow()
        assert timedelta(0) < wait <= timedelta(seconds=app.config["LOGIN_BRAKE_MAX_S"])

    def test_the_owner_is_told_when_the_brake_engages(self, app, runner) -> None:
        told: list[tuple[str, int]] = []

        def listen(sender: Any, user: User, failures: int, **_: Any) -> None:
            told.append((user.email, failures))

        login_brake_engaged.connect(listen, app)
        try:
            api = Api(app.test_client())
            for n in range(5):
                api.post("/api/v1/auth/login", {"email": runner.email, "password": f"no {n}"})
        finally:
            login_brake_engaged.disconnect(listen, app)
        assert told == [(runner.email, 5)]

    def test_an_unknown_address_is_braked_the_same_way(self, api) -> None:
        statuses = [
            api.post("/api/v1/auth/login", {"email": "ghost@example.test", "password": "x"})
            for _ in range(6)
        ]
        for response in statuses:
            count_response(response.status_code)
        assert [r.status_code for r in statuses] == [401] * 5 + [429]


class TestPasswordChangeBrake:
    def test_it_has_the_per_account_brake(self, runner_api) -> None:
        statuses = []
        for n in range(6):
            response = runner_api.post(
                "/api/v1/auth/password",
                {"current_password": f"guess {n}", "new_password": "a brand new phrase"},
            )
            count_response(response.status_code)
            statuses.append(response.status_code)
        assert statuses == [422] * 5 + [429]

    def test_it_has_the_sign_in_limit(self, make_app, runner) -> None:
        limited = make_app(
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="memory://",
            RATELIMIT_LOGIN="2 per minute",
            RATELIMIT_KEY_PREFIX=f"pw-{uuid.uuid4().hex[:8]}",
        )
        api = Api(limited.test_client()).login(runner)
        body = {"current_password": "not it", "new_password": "a brand new phrase"}
        statuses = [api.post("/api/v1/auth/password", body).status_code for _ in range(3)]
        for status in statuses:
            count_response(status)
        assert statuses[-1] == 429


# 8. Account enumeration: registration says so on purpose; nothing else does -------------------


class TestNothingElseRevealsAccounts:
    def test_login_answers_the_same_for_unknown_and_known_addresses(
        self, api, runner, monkeypatch
    ) -> None:
        from backend.auth import passwords

        calls: list[str] = []
        real = passwords.verify

        def counting(hasher: Any, stored: str, password: str) -> bool:
            calls.append(stored[:10])
            return real(hasher, stored, password)

        monkeypatch.setattr(passwords, "verify", counting)
        unknown = api.post("/api/v1/auth/login", {"email": "ghost@example.test", "password": "x"})
        known = api.post("/api/v1/auth/login", {"email": runner.email, "password": "x"})
        for response in (unknown, known):
            count_response(response.status_code)

        def bare(body: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in body.items() if k != "request_id"}

        assert unknown.status_code == known.status_code == 401
        assert bare(unknown.get_json()) == bare(known.get_json())
        assert len(calls) == 2  # one Argon2 verification each: the same work either way

    def test_registration_says_so_as_a_documented_trade_off(self, api, runner) -> None:
        body = {
            "email": runner.email,
            "password": "a long enough phrase",
            "display_name": "Again",
            "role": "runner",
        }
        response = api.post("/api/v1/auth/register", body)
        count_response(response.status_code)
        assert response.status_code == 409
        from tests.deploy.support import REPO

        assert "deliberate trade-off" in (REPO / "docs/security.md").read_text()


# 9. Erasing a practitioner erased the runner's trail ----------------------------------------


class TestTheTrailOutlivesThePractitioner:
    def test_the_runner_still_sees_who_looked(self, app, world, sql) -> None:
        a, p = world.client("A"), world.client("P")
        a_id = world.users["A"].id
        p_name = sql(lambda s: s.get(User, world.users["P"].id).display_name)
        assert p.get(f"/api/v1/clients/{a_id}").status_code == 200
        response = p.delete("/api/v1/me", {"password": PASSWORD})
        count_response(response.status_code)
        assert response.status_code == 204
        log = a.get("/api/v1/me/access-log").get_json()["items"]
        count_response(200)
        assert log and {item["practitioner"]["display_name"] for item in log} >= {p_name}
        assert any(item["practitioner"]["id"] is None for item in log)
        consents = a.get("/api/v1/me/export").get_json()["tables"]["consents"]
        assert {c["practitioner_name"] for c in consents} >= {p_name}
        assert all(c["revoked_at"] for c in consents)
        # Their consent ended with the account: they can join someone new.
        assert a.get("/api/v1/auth/me").get_json()["practitioner"] is None
        q_code = world.client("Q").get("/api/v1/practice/invite").get_json()["code"]
        joined = a.post("/api/v1/me/practitioner", {"invite_code": q_code})
        count_response(joined.status_code)
        assert joined.status_code == 201

    def test_the_rows_stay_in_the_database(self, app, world, sql) -> None:
        a_id = world.users["A"].id
        world.client("P").get(f"/api/v1/clients/{a_id}")
        world.client("P").delete("/api/v1/me", {"password": PASSWORD})
        logs = sql(
            lambda s: s.scalars(select(AccessVisit).where(AccessVisit.runner_id == a_id)).all()
        )
        kept = sql(lambda s: s.scalars(select(Consent).where(Consent.runner_id == a_id)).all())
        assert any(row.practitioner_id is None and row.practitioner_name for row in logs)
        assert len(kept) == 2  # the one revoked before and the one the erasure ended


# 10. Smaller points -----------------------------------------------------------------------


class TestSmallerPoints:
    def test_a_short_local_part_cannot_be_the_password(self, api) -> None:
        assert password_problems("ra2@x.test", "ra2@x.test")
        assert password_problems("ra2-is-running", "ra2@x.test")
        body = {
            "email": "ra2@x.test",
            "password": "ra2@x.test",
            "display_name": "R",
            "role": "runner",
        }
        response = api.post("/api/v1/auth/register", body)
        count_response(response.status_code)
        assert response.status_code == 422
        assert "password" in response.get_json()["errors"]["json"]

    def test_the_invite_url_ignores_a_forwarded_host(self, make_app, practitioner) -> None:
        site = make_app(PUBLIC_URL="https://limber.example.org", PROXY_FIX_X_FOR=1)
        client = site.test_client()
        client.environ_base["HTTP_HOST"] = "evil.test"
        client.environ_base["HTTP_X_FORWARDED_HOST"] = "evil.test"
        api = Api(client).login(practitioner)
        body = api.get("/api/v1/practice/invite").get_json()
        assert body["url"] == f"https://limber.example.org/join?code={body['code']}"

    def test_the_session_token_changes_with_the_password(self, app, runner) -> None:
        api = Api(app.test_client()).login(runner)
        before = api.client.get_cookie("limber_session").value
        response = api.post(
            "/api/v1/auth/password",
            {"current_password": PASSWORD, "new_password": "a brand new phrase"},
        )
        count_response(response.status_code)
        assert response.status_code == 204
        assert api.get("/api/v1/auth/me").status_code == 200  # this device stays in
        copied = app.test_client()
        copied.set_cookie("limber_session", before)
        assert copied.get("/api/v1/auth/me").status_code == 401  # a copy taken before is not

    def test_invite_codes_have_64_bits_or_more(self, practitioner_api) -> None:
        code = practitioner_api.get("/api/v1/practice/invite").get_json()["code"]
        assert len(code) == CODE_LENGTH
        assert len(code) * math.log2(31) >= 64

    def test_an_invite_code_can_expire(self, make_app, practitioner, runner, sql) -> None:
        site = make_app(INVITE_TTL_DAYS=7)
        p = Api(site.test_client()).login(practitioner)
        first = p.get("/api/v1/practice/invite").get_json()
        assert first["expires_at"] is not None

        def expire(s: Any) -> None:
            s.execute(update(PracticeInvite).values(expires_at=utcnow() - timedelta(minutes=1)))
            s.commit()

        sql(expire)
        r = Api(site.test_client()).login(runner)
        joined = r.post("/api/v1/me/practitioner", {"invite_code": first["code"]})
        count_response(joined.status_code)
        assert joined.status_code == 422
        assert "expired" in joined.get_json()["errors"]["json"]["invite_code"][0]
        assert p.get("/api/v1/practice/invite").get_json()["code"] != first["code"]

    def test_the_api_explorer_is_off_in_production_unless_enabled(self, monkeypatch) -> None:
        monkeypatch.setenv("SECRET_KEY", "x" * 40)
        monkeypatch.setenv("DATABASE_URL", "postgresql://limber@127.0.0.1:1/limber")
        off = create_app("production").test_client()
        assert off.get("/api/docs").status_code == 404
        monkeypatch.setenv("API_DOCS_ENABLED", "true")
        on = create_app("production").test_client()
        assert on.get("/api/docs").status_code == 200

    @pytest.mark.parametrize("path", ["/api/v1/runs", "/", "/healthz"])
    def test_trace_is_405_with_allow(self, client, path) -> None:
        response = client.open(path, method="TRACE")
        count_response(response.status_code)
        assert response.status_code == 405
        assert response.headers["Allow"]
        assert "TRACE" not in response.headers["Allow"]

    def test_the_spec_states_the_password_length_it_enforces(self, spec) -> None:
        schemas = spec["components"]["schemas"]
        for name, field in (("RegisterIn", "password"), ("PasswordChangeIn", "new_password")):
            prop = schemas[name]["properties"][field]
            assert (prop["minLength"], prop["maxLength"]) == (8, 128), name
