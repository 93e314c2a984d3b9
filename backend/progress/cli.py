"""`flask rollups rebuild`: recompute the run rollups from the runs."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from backend.extensions import db
from backend.progress.rollups import rebuild

rollups_cli = AppGroup("rollups", help="The per-runner daily rollups that progress reads.")


@rollups_cli.command("rebuild")
def rebuild_command() -> None:
    """Recompute every runner's rollups from their runs, in one transaction."""
    rows = rebuild(db.session())
    db.session.commit()
    click.echo(f"Rebuilt {rows} rollup row{'s' if rows != 1 else ''}.")
