"""Is the database built for this tracker? A `tracker` command that reads or writes tables asks first, so a
database never upgraded (or one behind the code) gets one sentence saying what to run, not a traceback about a
missing table or column."""

from __future__ import annotations

import functools
from pathlib import Path

import click
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import Config

from tracker.extensions import db

UPGRADE = "run `tracker db upgrade` first"


def migration_revisions() -> tuple[set[str], set[str]]:
    """Every revision this tracker's migrations know, and the head(s)."""
    directory = current_app.extensions["migrate"].directory
    config = Config(str(Path(directory) / "alembic.ini"))
    config.set_main_option("script_location", str(directory))
    script = ScriptDirectory.from_config(config)
    return {rev.revision for rev in script.walk_revisions()}, set(script.get_heads())


def schema_problem() -> str | None:
    """None when the database is at this tracker's migration head; else what is wrong and what to do."""
    with db.engine.connect() as conn:
        # Alembic looks for its version table before reading it: no failed statement, on SQLite or PostgreSQL.
        current = set(MigrationContext.configure(conn).get_current_heads())
    known, heads = migration_revisions()
    if current == heads:
        return None
    if not current:
        return f"The database has no tables yet: {UPGRADE}."
    if current <= known:
        return f"The database's schema is older than this tracker's: {UPGRADE}."
    return (f"The database's schema ({', '.join(sorted(current))}) is newer than this tracker's: use the tracker "
            "that upgraded it.")


def requires_schema(command):
    """For a `tracker` command, under `with_appcontext`: stop with schema_problem()'s sentence (exit 1) before
    the command touches a table."""

    @functools.wraps(command)
    def checked(*args, **kwargs):
        problem = schema_problem()
        if problem is not None:
            raise click.ClickException(problem)
        return command(*args, **kwargs)

    return checked
