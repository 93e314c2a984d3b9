"""Command-line tasks: `flask seed` and `flask demo`."""

from __future__ import annotations

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


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create the demo accounts with a few weeks of history, once."""
    created = demo.create_demo()
    for login in demo.DEMO_LOGINS:
        click.echo(f"  {login.role:<13} {login.email}  password: {login.password}")
    if not created:
        click.echo("(the demo accounts already existed; nothing changed)")


commands = (seed_command, demo_command)
