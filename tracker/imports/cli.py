"""`tracker import-csv FILE --mapping M.json --user EMAIL [--dry-run]`: the web import, from a terminal.

The mapping is the JSON the mapping page saves (or downloads). All or nothing, like the web: any problem in any
row and nothing is imported; the problems are printed, one line each, and the command exits with status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.auth.services import find_by_email
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.core.storage import storage as app_storage
from tracker.extensions import db
from tracker.imports.mapping import Mapping
from tracker.imports.reader import read_table
from tracker.imports.runner import ImportRun


def _fail(message: str):
    raise click.ClickException(message)


def print_report(report: dict) -> None:
    for problem in report["problems"]:
        click.echo(f"Problem: {problem}", err=True)
    for row in report["rows"]:
        for p in row["problems"]:
            where = f", column “{p['column']}”" if p["column"] else ""
            value = f" (“{p['value']}”)" if p["value"] else ""
            click.echo(f"Row {row['row']}{where}{value}: {p['message']}", err=True)
    for entry in report["unknown_agencies"]:
        click.echo(f"Unknown agency “{entry['name']}” in {len(entry['rows'])} row(s): add it to \"agencies\" "
                   "(an agency's name) or \"new_agencies\" (a jurisdiction) in the mapping.", err=True)


@click.command("import-csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The mapping, as JSON (download it from the import's mapping page).")
@click.option("--user", "email", required=True, help="Whose requests they become (the email of an active user).")
@click.option("--dry-run", is_flag=True, help="Check every row and report; import nothing.")
@with_appcontext
def import_csv_command(file: Path, mapping_file: Path, email: str, dry_run: bool) -> None:
    """Import records requests from a CSV FILE: all rows, or none if any row has a problem."""
    try:
        mapping = Mapping.from_json(json.loads(mapping_file.read_text(encoding="utf-8-sig")))
        table = read_table(file.read_bytes())
    except json.JSONDecodeError as exc:
        _fail(f"{mapping_file} is not valid JSON: {exc}")
    except (TrackerError, UnicodeDecodeError) as exc:
        fields = getattr(exc, "fields", {}) or {}
        _fail(" ".join(f"{k}: {v}" for k, v in fields.items()) or str(exc))
    if problems := mapping.problems(table.headers):
        _fail("The mapping does not fit the file: " + " ".join(problems.values()))
    user = find_by_email(email)
    if user is None or not user.active:
        _fail(f"There is no active user with the email {email}.")
    storage = app_storage()
    run = ImportRun(table, mapping, actor=user, now=now_utc(), today=today(), storage=storage, dry_run=dry_run)
    with click.progressbar(run.steps(), length=len(table.rows), label="Checking" if dry_run else "Importing",
                           file=sys.stderr) as steps:
        for _ in steps:
            pass
    report = run.report
    if dry_run or not run.clean:
        db.session.rollback()
    else:
        db.session.commit()
    print_report(report)
    rows_with_problems = len(report["rows"])
    if not run.clean:
        click.echo(f"{report['total']} rows read; {rows_with_problems} with problems. Nothing was imported.")
        raise SystemExit(1)
    if dry_run:
        click.echo(f"{report['total']} rows read; all can be imported. Nothing was imported (dry run).")
    else:
        click.echo(f"Imported {report['imported']} requests for {user.email}.")
