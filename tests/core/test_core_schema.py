"""core.schema: whether the database is at this tracker's migration head, and the one sentence a command
says when it is not (no tables, an older schema, a newer one), on a database of the suite's own kind."""

from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from tests.conftest import _drop_postgres_database, _fresh_postgres_database
from tracker import create_app
from tracker.core.schema import migration_revisions, schema_problem
from tracker.extensions import db


@pytest.fixture
def bare_app(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        url = _fresh_postgres_database(url, f"schema_{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}_{os.getpid()}")
    else:
        url = f"sqlite:///{tmp_path / 'bare.sqlite'}"
    bare = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                       "TRACKER_UPLOAD_DIR": str(tmp_path / "uploads")})
    yield bare
    with bare.app_context():
        db.engine.dispose()
    _drop_postgres_database(url)


def test_each_state_of_the_schema_gets_its_sentence(bare_app):
    with bare_app.app_context():
        known, heads = migration_revisions()
        assert len(heads) == 1 and heads <= known
        assert schema_problem() == "The database has no tables yet: run `tracker db upgrade` first."
        from alembic.script import ScriptDirectory

        script = ScriptDirectory(bare_app.extensions["migrate"].directory)
        before_head = script.get_revision(next(iter(heads))).down_revision
        upgrade(revision=before_head)
        assert schema_problem() == "The database's schema is older than this tracker's: run `tracker db upgrade` first."
        upgrade()
        assert schema_problem() is None
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'from_a_newer_tracker'"))
        assert schema_problem() == ("The database's schema (from_a_newer_tracker) is newer than this tracker's: use "
                                    "the tracker that upgraded it.")
        db.session.remove()


@pytest.mark.parametrize("args", [["fetch-mail"], ["seed-demo"], ["create-user", "--name", "Ann Editor", "--email",
                                  "ann@newsroom.example", "--role", "editor", "--password", "a-long-password-1"]])
def test_a_command_under_requires_schema_stops_before_touching_a_table(bare_app, args):
    result = bare_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert result.output == "Error: The database has no tables yet: run `tracker db upgrade` first.\n"
