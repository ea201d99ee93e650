"""Persistence: SQLAlchemy 2 models and queries. Functions here flush at most; callers commit."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from alembic.config import Config

#: Modules that define mapped classes.
MODEL_MODULES = ("diagnosis.store.accounts", "diagnosis.store.companies", "diagnosis.store.assessments",
                 "diagnosis.store.batches", "diagnosis.store.assignments", "diagnosis.store.reviews",
                 "diagnosis.store.projects", "diagnosis.store.targets", "diagnosis.store.tokens")


def load_models() -> None:
    """Import every model module so Base.metadata knows all tables (Alembic, the agreement test)."""
    for name in MODEL_MODULES:
        importlib.import_module(name)


def alembic_config(database_url: str | None = None, connection: Any = None) -> Config:
    """An Alembic Config for this repository's migrations.

    :param database_url: the database to migrate; migrations/env.py falls back to the app's config
    :param connection: an open SQLAlchemy connection to run on instead (tests)
    """
    root = Path(__file__).resolve().parents[2]
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["connection"] = connection
    return config
