"""The migrations are the schema: one head, and nothing in the models they lack."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Config

from tracker.documents import fts
from tracker.extensions import db


def test_one_head(app):
    with app.app_context():
        config = Config(app.extensions["migrate"].directory + "/alembic.ini")
        config.set_main_option("script_location", app.extensions["migrate"].directory)
        heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, heads


def test_migrations_match_models(app):
    with app.app_context(), db.engine.connect() as conn:
        # The full-text index lives outside the models (tracker/documents/fts.py); env.py leaves it out alike.
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": fts.include_object,
                                                         "include_name": fts.include_name})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
