"""Command-line tasks: `flask seed` and `flask demo`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from backend import demo
from backend.routines.content import load_builtin


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load or refresh the built-in exercises and routines (safe to run again)."""
    counts = load_builtin()
    click.echo(f"Built-in content: {counts}")
    from backend.outcomes.content import load_questionnaires

    click.echo(f"Built-in questionnaires: {load_questionnaires()}")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create the demo accounts with a few weeks of history, once."""
    created = demo.create_demo()
    for login in demo.DEMO_LOGINS:
        click.echo(f"  {login.role:<13} {login.email}  password: {login.password}")
    if not created:
        click.echo("(the demo accounts already existed; nothing changed)")


@click.command("load-questionnaires")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--practitioner", "email", required=True, help="Email of the licence holder.")
@with_appcontext
def load_questionnaires_command(path: Path, email: str) -> None:
    """Load or refresh a practice's own questionnaires from a content file (safe to rerun)."""
    from sqlalchemy import select

    from backend.auth.models import User
    from backend.extensions import db
    from backend.outcomes.content import ContentError, load_questionnaires

    owner = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if owner is None or owner.role != "practitioner":
        raise click.ClickException(f"No practitioner account with the email {email}.")
    try:
        counts = load_questionnaires(path, owner.id)
    except ContentError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Questionnaires for {owner.email}: {counts}")


commands = (seed_command, demo_command, load_questionnaires_command)
