"""The migrations are the schema: one head, and after `upgrade head` the models and the database agree."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from diagnosis.store import alembic_config, load_models
from diagnosis.store.db import Base


def test_there_is_exactly_one_head():
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, script.get_heads()


def test_first_revision_is_accounts():
    script = ScriptDirectory.from_config(alembic_config())
    bases = script.get_bases()
    assert bases == ["0001_accounts"]


def test_models_match_the_migrated_schema(db_connection):
    load_models()
    context = MigrationContext.configure(db_connection, opts={"compare_type": True})
    differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_migration_file_name_starts_with_a_date():
    script = ScriptDirectory.from_config(alembic_config())
    for revision in script.walk_revisions():
        name = revision.path.rsplit("/", 1)[-1]
        assert name[:11].replace("_", "").isdigit() and name[4] == "_", name
