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

    register_extensions(app)
    register_observability(app)
    register_security(app)
    register_blueprints(app)
    register_signals()
    register_error_handlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

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
        n = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]


def register_observability(app: Flask) -> None:
    from backend.observability import register_observability as register

    register(app)


def register_security(app: Flask) -> None:
    from backend.security import register_security as register

    register(app)


def register_blueprints(app: Flask) -> None:
    from backend.auth.routes import blp as auth_blp
    from backend.auth.routes import me_blp
    from backend.extensions import api
    from backend.health.routes import blp as health_blp
    from backend.imports.routes import blp as imports_blp
    from backend.practice.routes import alerts_blp, clients_blp, consent_blp, practice_blp
    from backend.privacy.routes import blp as privacy_blp
    from backend.progress.routes import blp as progress_blp
    from backend.routines.routes import blp as library_blp
    from backend.routines.routes import plan_blp
    from backend.runs.routes import blp as runs_blp
    from backend.web.routes import blp as web_blp

    for blp in (
        health_blp,
        auth_blp,
        me_blp,
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
    ):
        api.register_blueprint(blp)
    app.register_blueprint(web_blp)  # last: it serves the PWA for every other path


def register_signals() -> None:
    from backend.practice.alerts import connect_signals

    connect_signals()


def register_error_handlers(app: Flask) -> None:
    from backend.errors import register_error_handlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from backend.commands import commands

    for command in commands:
        app.cli.add_command(command)


def _unauthorized() -> Any:
    from backend.errors import envelope

    return envelope(401, "Sign in first.")


def _repo_path(name: str) -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / name
