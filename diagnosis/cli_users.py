"""`flask users ...`: account commands for operators."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from diagnosis.store.accounts import create_user, email_taken
from diagnosis.store.db import get_session, session

users_cli = AppGroup("users", help="User accounts.")

MIN_PASSWORD_LENGTH = 10


@users_cli.command("create-admin")
@click.option("--email", prompt=True, help="Login e-mail.")
@click.option("--name", default="管理员", show_default=True, help="Display name.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Password (at least 10 characters).",
)
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"at least {MIN_PASSWORD_LENGTH} characters", param_hint="--password")
    if "@" not in email:
        raise click.BadParameter("not an e-mail address", param_hint="--email")
    if email_taken(get_session(), email):
        raise click.BadParameter(f"{email} already has an account", param_hint="--email")
    user = create_user(get_session(), email=email, name=name, password=password, role="admin")
    session.commit()
    click.echo(f"admin {user.email} created (id {user.id})")
