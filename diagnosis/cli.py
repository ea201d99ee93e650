"""Flask commands. Each feature registers its command group in COMMANDS (one import, one entry)."""

from __future__ import annotations

import click
from alembic import command
from flask import current_app
from flask.cli import AppGroup

from diagnosis.cli_i18n import translations_cli
from diagnosis.cli_pipeline import pipeline_cli
from diagnosis.cli_questionnaires import QUESTIONNAIRE_COMMANDS
from diagnosis.cli_reports import report_cli
from diagnosis.cli_roster import roster_cli
from diagnosis.cli_users import users_cli
from diagnosis.demo import demo_cli
from diagnosis.store import alembic_config

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the configured database to REVISION (default: the latest)."""
    url = current_app.config["DATABASE_URL"]
    command.upgrade(alembic_config(database_url=url), revision)
    click.echo(f"database at {revision}: {url.split('@')[-1]}")


COMMANDS = [
    db_cli,
    users_cli,
    demo_cli,
    translations_cli,
    *QUESTIONNAIRE_COMMANDS,
    report_cli,
    roster_cli,
    pipeline_cli,
]


def init_cli(app) -> None:
    for group in COMMANDS:
        app.cli.add_command(group)
