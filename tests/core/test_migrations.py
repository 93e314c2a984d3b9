"""The schema comes only from migrations: upgrade, no drift, downgrade and back."""

from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect

from backend import create_app
from backend.extensions import db
from tests.support import temporary_database


def test_upgrade_check_and_downgrade_round_trip(tmp_path_factory, capsys):
    import os

    with temporary_database(os.environ.get("TEST_DATABASE_URL"), tmp_path_factory) as url:
        app = create_app({"LIMBER_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            check()  # raises SystemExit / prints on drift
            assert "New upgrade operations detected" not in capsys.readouterr().out
            tables = set(inspect(db.engine).get_table_names())
            assert {"users", "runs", "auth_sessions", "consents"} <= tables
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert {"users", "runs"} <= set(inspect(db.engine).get_table_names())
            db.session.remove()
            db.engine.dispose()
