"""core.schema: whether the database is at this tracker's migration head, and the one sentence a command
says when it is not (no tables, an older schema, a newer one), on a database of the suite's own kind."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from tracker.core.schema import migration_revisions, schema_problem
from tracker.extensions import db


def test_each_state_of_the_schema_gets_its_sentence(never_upgraded_app):
    with never_upgraded_app.app_context():
        known, heads = migration_revisions()
        assert len(heads) == 1 and heads <= known
        assert schema_problem() == "The database has no tables yet: run `tracker db upgrade` first."
        from alembic.script import ScriptDirectory

        script = ScriptDirectory(never_upgraded_app.extensions["migrate"].directory)
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
def test_a_command_under_requires_schema_stops_before_touching_a_table(never_upgraded_app, args):
    result = never_upgraded_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert result.output == "Error: The database has no tables yet: run `tracker db upgrade` first.\n"
