"""The `tracker` command line: thin wrappers over services. `tracker db upgrade` comes from Flask-Migrate."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from tracker.extensions import db


def _create_app(*_args) -> Flask:
    from tracker import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def cli() -> None:
    """Records tracker: manage the database, demo data, deadlines, the scheduler."""


@click.command("create-user")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["reporter", "editor", "admin"]), default="reporter")
@click.password_option()
@with_appcontext
def create_user_command(name: str, email: str, role: str, password: str) -> None:
    """Create a user who can log in."""
    from tracker.auth.services import create_user
    from tracker.core.errors import TrackerError

    try:
        user = create_user(name=name, email=email, password=password, role=role)
        db.session.commit()
    except TrackerError as exc:
        raise click.ClickException(" ".join(exc.fields.values()) or exc.message) from exc
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo newsroom: agencies, OPR matters, two users, requests. Running it twice changes nothing."""
    from tracker.demo import seed_demo

    created = seed_demo()
    db.session.commit()
    if created:
        click.echo("Demo data loaded.")
    else:
        click.echo("Demo data already present; nothing changed.")
    from tracker.demo import DEMO_LOGINS

    for login in DEMO_LOGINS:
        click.echo(f"  {login['role']:<8} {login['email']}  password: {login['password']}")


def _tolled_span(value: str):
    from datetime import date

    try:
        start, end = value.split(":")
        return date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not FROM:TO, e.g. 2026-12-01:2026-12-09") from exc


@click.command("deadline")
@click.argument("jurisdiction")
@click.argument("received", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--extended", is_flag=True, help="Add the unusual-circumstances extension.")
@click.option("--tolled", "tolled", multiple=True, help="A paused span FROM:TO (repeatable).")
@click.option("--appeal", "appeal_from", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Also the last day to appeal a determination made on this date.")
@click.option("--explain", "show_steps", is_flag=True, help="Print how each date was computed.")
def deadline_command(jurisdiction, received, extended, tolled, appeal_from, show_steps) -> None:
    """Print the response due date for a request JURISDICTION received on RECEIVED (YYYY-MM-DD)."""
    from tracker import deadlines

    spans = [_tolled_span(t) for t in tolled]
    try:
        results = [("Response due", deadlines.explain("response", jurisdiction, received.date(), extended=extended,
                                                       tolled=spans))]
        if appeal_from is not None:
            results.append(("Last day to appeal", deadlines.explain("appeal", jurisdiction, appeal_from.date())))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    for label, explanation in results:
        due = explanation.result.isoformat() if explanation.result else "no statutory deadline"
        click.echo(f"{label}: {due}")
        if show_steps:
            for number, step in enumerate(explanation.steps, 1):
                click.echo(f"  {number}. {step.text}")


@click.command("backup")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Write a consistent copy of the database and attachments, with checksums, into TARGET."""
    from tracker.core import backup
    from tracker.core.clock import now_utc

    try:
        manifest = backup.backup(db.engine, Path(current_app.config["TRACKER_UPLOAD_DIR"]), target, now=now_utc())
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up the {manifest['database']} database and {len(manifest['files']) - 1} file(s) to {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current data.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database and attachments with the backup in SOURCE, after checking its manifest."""
    from tracker.core import backup

    try:
        backup.verify(source)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    if not yes:
        click.confirm("This replaces every request, letter and attachment with the backup's. Go on?", abort=True)
    db.session.remove()
    try:
        manifest = backup.restore(db.engine, Path(current_app.config["TRACKER_UPLOAD_DIR"]), source)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored the backup made {manifest['created_at']}.")


def register_commands(app: Flask) -> None:
    from tracker.jobs.commands import scheduler_command, send_reminders_command

    for command in (create_user_command, seed_demo_command, deadline_command, backup_command, restore_command):
        app.cli.add_command(command)
    for command in (scheduler_command, send_reminders_command):
        app.cli.add_command(command)
    from tracker.letters.commands import letter_command

    app.cli.add_command(letter_command)
    from tracker.imports.cli import import_csv_command

    app.cli.add_command(import_csv_command)
