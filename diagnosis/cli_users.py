"""`flask users ...`: account commands for operators."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from diagnosis.store.accounts import create_user, email_taken
from diagnosis.store.db import get_session, session
from diagnosis.web.auth.passwords import password_problem
from diagnosis.web.fields import MIN_PASSWORD_LENGTH

users_cli = AppGroup("users", help="User accounts.")


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
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # no request: no user's language
        problem = password_problem(password, email, [name])
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    if email_taken(get_session(), email):
        raise click.BadParameter(f"{email} already has an account", param_hint="--email")
    user = create_user(get_session(), email=email, name=name, password=password, role="admin")
    session.commit()
    click.echo(f"admin {user.email} created (id {user.id})")
