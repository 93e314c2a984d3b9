"""Limber: run and stiffness log, daily routines, and practitioner review."""

from __future__ import annotations

from typing import Any

from flask import Flask

from backend.config import load_config

__all__ = ["create_app"]


def create_app(config: dict[str, Any] | str | None = None) -> Flask:
    """Build the app. `config` is a config name or a dict of overrides on the default."""
    app = Flask(__name__, static_folder=None, instance_relative_config=True)
    if isinstance(config, dict):
        settings = load_config(config.get("LIMBER_ENV"))
        settings.update(config)
    else:
        settings = load_config(config)
    app.config.update(settings)
    if not app.config.get("API_DOCS_ENABLED", True):
        app.config["OPENAPI_SWAGGER_UI_PATH"] = None  # the explorer page is not served

    register_extensions(app)
    register_jobs(app)
    register_observability(app)
    register_security(app)
    register_blueprints(app)
    register_signals()
    register_error_handlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from backend.access import register_access_control
    from backend.auth.service import load_user
    from backend.db import install_sqlite_pragmas
    from backend.extensions import api, compress, csrf, db, limiter, login_manager, migrate

    install_sqlite_pragmas()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_repo_path("migrations")))
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    register_access_control(app)  # before CSRF: an anonymous caller learns 401 first
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    api.init_app(app)
    if app.config["PROXY_FIX_X_FOR"]:
        from backend.proxies import TrustedProxyFix, parse_networks

        networks = parse_networks(app.config["PROXY_TRUSTED_NETWORKS"])
        app.wsgi_app = TrustedProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, app.config["PROXY_FIX_X_FOR"], networks
        )


def register_jobs(app: Flask) -> None:
    import backend.imports.jobs
    import backend.jobs.models
    import backend.notifications.practice
    import backend.notifications.service
    import backend.reminders.tasks  # noqa: F401  (registers the tasks)
    from backend.jobs import init_app

    init_app(app)
    if app.config["LIMBER_ENV"] == "development":
        from backend.notifications.push import vapid_key

        vapid_key(app)  # the embedded default makes its key under instance/ on first start


def register_observability(app: Flask) -> None:
    from backend.observability import register_observability as register

    register(app)


def register_security(app: Flask) -> None:
    from backend.security import register_security as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from backend.auth.mfa.routes import settings_blp as two_step_blp
    from backend.auth.mfa.routes import sign_in_blp as two_step_sign_in_blp
    from backend.auth.routes import blp as auth_blp
    from backend.auth.routes import me_blp
    from backend.extensions import api
    from backend.health.routes import blp as health_blp
    from backend.imports.routes import blp as imports_blp
    from backend.messages.routes import clients_blp as client_messages_blp
    from backend.messages.routes import me_blp as messages_blp
    from backend.messages.routes import practice_blp as conversations_blp
    from backend.notifications.routes import blp as notifications_blp
    from backend.notifications.routes import unsubscribe_blp
    from backend.outcomes.routes import blp as outcomes_blp
    from backend.practice.routes import alerts_blp, clients_blp, consent_blp, practice_blp
    from backend.privacy.routes import blp as privacy_blp
    from backend.progress.routes import blp as progress_blp
    from backend.reminders.routes import blp as calendar_blp
    from backend.routines.library.routes import blp as library_blp
    from backend.routines.plan.routes import plan_blp
    from backend.runs.routes import blp as runs_blp
    from backend.web.routes import blp as web_blp

    for blp in (
        health_blp,
        auth_blp,
        two_step_sign_in_blp,
        me_blp,
        two_step_blp,
        privacy_blp,
        runs_blp,
        imports_blp,
        library_blp,
        plan_blp,
        progress_blp,
        practice_blp,
        consent_blp,
        clients_blp,
        alerts_blp,
        outcomes_blp,
        messages_blp,
        client_messages_blp,
        conversations_blp,
        calendar_blp,
        notifications_blp,
        unsubscribe_blp,
    ):
        api.register_blueprint(blp)
    from backend.extensions import csrf

    # The signed token in the link is the credential (RFC 8058 one-click unsubscribe).
    csrf.exempt("backend.notifications.routes.Unsubscribe")
    app.register_blueprint(web_blp)  # last: it serves the PWA for every other path


def register_signals() -> None:
    from backend.notifications.practice import connect_signals as connect_notifications
    from backend.practice.alerts import connect_signals

    connect_signals()
    connect_notifications()


def register_error_handlers(app: Flask) -> None:
    from backend.errors import register_error_handlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from backend.commands import commands
    from backend.jobs.cli import jobs_cli
    from backend.notifications.cli import vapid_command

    for command in (*commands, jobs_cli, vapid_command):
        app.cli.add_command(command)


def _unauthorized() -> Any:
    from backend.errors import envelope

    return envelope(401, "Sign in first.")


def _repo_path(name: str) -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / name
