"""`flask vapid`: a new VAPID key pair for Web Push."""

from __future__ import annotations

import click

from backend.notifications.push import generate_keys


@click.command("vapid")
def vapid_command() -> None:
    """Print a new VAPID key pair to put in the environment (VAPID_PRIVATE_KEY)."""
    private, public = generate_keys()
    click.echo(f"VAPID_PRIVATE_KEY={private}")
    click.echo(f"# public key (browsers get it from the API): {public}")
