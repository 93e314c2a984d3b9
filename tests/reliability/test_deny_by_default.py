"""Every route states who may call it; a route without a rule refuses everyone."""

from flask.views import MethodView

from backend import create_app
from backend.access import RULES, rule_for
from backend.extensions import db
from tests.reliability.routes import EXTENSION_ENDPOINTS, limber_routes, routes, view_of
from tests.support import Api


class TestEveryRouteHasARule:
    def test_it_finds_an_explicit_rule_for_every_endpoint_and_method(self, app):
        missing = [
            str(route)
            for route in limber_routes(app)
            if rule_for(view_of(app, route), route.method) not in RULES
        ]
        assert missing == []
        assert len(limber_routes(app)) >= 10

    def test_it_excepts_only_the_named_extension_endpoints(self, app):
        extension = {r.endpoint for r in routes(app) if r.endpoint.startswith("api-docs.")}
        assert extension == set(EXTENSION_ENDPOINTS)

    def test_the_public_routes_are_the_known_few(self, app):
        public = {
            str(route)
            for route in limber_routes(app)
            if rule_for(view_of(app, route), route.method) == "public"
        }
        assert {
            "GET /healthz",
            "GET /readyz",
            "GET /api/v1/auth/csrf",
            "GET /api/v1/auth/session",
            "POST /api/v1/auth/register",
            "POST /api/v1/auth/login",
            "GET /api/v1/unsubscribe/<token>",
            "POST /api/v1/unsubscribe/<token>",
        } <= public
        # Anything else public serves the app shell or the JSON 404 for unknown API paths.
        others = public - {
            "GET /healthz",
            "GET /readyz",
            "GET /api/v1/auth/csrf",
            "GET /api/v1/auth/session",
            "POST /api/v1/auth/register",
            "POST /api/v1/auth/login",
            # The secret token in the address is the key (docs/notifications.md).
            "GET /api/v1/calendar/<string:feed_token>.ics",
            "GET /api/v1/unsubscribe/<token>",
            "POST /api/v1/unsubscribe/<token>",
        }
        endpoints = {r.endpoint for r in limber_routes(app) if str(r) in others}
        assert endpoints <= {"web.shell", "web.frontend", "web.unknown_api_path"}

    def test_only_the_second_step_of_signing_in_waits_for_a_password(self, app):
        second_step = {
            str(route)
            for route in limber_routes(app)
            if rule_for(view_of(app, route), route.method) == "second_step"
        }
        assert second_step == {
            "POST /api/v1/auth/two-step/code",
            "POST /api/v1/auth/two-step/passkey/options",
            "POST /api/v1/auth/two-step/passkey",
        }


class TestARouteWithoutARule:
    def test_it_answers_403_to_everyone(self, database_url, runner):
        app = create_app({"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})

        class Forgotten(MethodView):
            def get(self):
                return {"secret": "data"}

        def bare():
            return {"secret": "data"}

        app.add_url_rule("/api/v1/forgotten", view_func=Forgotten.as_view("forgotten"))
        app.add_url_rule("/api/v1/bare", view_func=bare)
        anonymous = app.test_client()
        signed_in = Api(app.test_client()).login(runner)
        try:
            for client in (anonymous, signed_in):
                for path in ("/api/v1/forgotten", "/api/v1/bare"):
                    response = client.get(path)
                    assert response.status_code == 403
                    assert b"secret" not in response.data
        finally:
            # Close this app's connections now: left to the garbage collector, PostgreSQL
            # connections are reported as unclosed during whichever test runs then.
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
