"""The migrations are the schema: one head, and nothing in the models they lack."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Config

from tracker.extensions import db


def test_one_head(app):
    with app.app_context():
        config = Config(app.extensions["migrate"].directory + "/alembic.ini")
        config.set_main_option("script_location", app.extensions["migrate"].directory)
        heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, heads


def test_migrations_match_models(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
