"""The `tracker` command line: thin wrappers over services. `tracker db upgrade` comes from Flask-Migrate."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from tracker.core.schema import migration_revisions, requires_schema
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
@requires_schema
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
@requires_schema
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


def _observed_day(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value) if value[:4].isdigit() else value
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD or a holiday's name") from exc


@click.command("deadline")
@click.argument("jurisdiction")
@click.argument("received", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--extended", is_flag=True, help="Add the unusual-circumstances extension.")
@click.option("--tolled", "tolled", multiple=True, help="A paused span FROM:TO (repeatable).")
@click.option("--appeal", "appeal_from", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Also the last day to appeal a determination made on this date.")
@click.option("--explain", "show_steps", is_flag=True, help="Print how each date was computed.")
@click.option("--variant", default=None,
              help="A kind of request with its own state periods, e.g. commercial (US-NJ), criminal_files (US-VA).")
@click.option("--channel", default=None, help="How the request was sent (email, fax, portal, mail): Michigan "
                                              "counts email and fax requests as received 1 business day later.")
@click.option("--observes", multiple=True, help="An optional holiday the agency observes, or its own closed "
                                                "day YYYY-MM-DD, where the state allows it (Texas; repeatable).")
@click.option("--appeal-received", "appeal_received", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Also the agency's deadline to decide an appeal received on this date (Washington: the denial's "
                   "date).")
def deadline_command(jurisdiction, received, extended, tolled, appeal_from, show_steps, variant=None, channel=None,
                     observes=(), appeal_received=None) -> None:
    """Print the response due date for a request JURISDICTION received on RECEIVED (YYYY-MM-DD), and the other
    deadlines the jurisdiction's law sets from it (deemed denial, Texas's 10-business-day periods)."""
    from tracker import deadlines

    spans = [_tolled_span(t) for t in tolled]
    own = [_observed_day(o) for o in observes]
    seen = {"observes": own} if own else {}
    try:
        options = {"variant": variant, "channel": channel, **seen}
        results = [("Response due", deadlines.explain("response", jurisdiction, received.date(), extended=extended,
                                                       tolled=spans, **options))]
        rules = deadlines.jurisdiction(jurisdiction)
        if rules.no_response is not None and rules.no_response.deemed_denied:
            denied = deadlines.explain("deemed_denial", jurisdiction, received.date(), extended=extended,
                                       tolled=spans, **options)
            results.append(("Deemed denied if no response by", denied))
            if denied.result is not None and rules.appeal is not None:
                results.append(("Last day to appeal if there is no response",
                                deadlines.explain("appeal", jurisdiction, denied.result, basis="deemed_denial",
                                                  **seen)))
        for kind, label in (("certification", "Produce or certify a date by"),
                            ("ag_ruling", "Attorney General ruling request due")):
            if getattr(rules, kind) is not None:
                results.append((label, deadlines.explain(kind, jurisdiction, received.date(), channel=channel,
                                                         **seen)))
        if appeal_from is not None:
            results.append(("Last day to appeal", deadlines.explain("appeal", jurisdiction, appeal_from.date(),
                                                                    **seen)))
        if appeal_received is not None:
            results.append(("Appeal decision due", deadlines.explain("appeal_decision", jurisdiction,
                                                                     appeal_received.date(), **seen)))
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
    """Replace the database and attachments with the backup in SOURCE, after checking its manifest and schema.
    A backup from an older schema is upgraded after the restore; one from a newer tracker is refused."""
    from tracker.core import backup

    try:
        manifest = backup.verify(source)
        revision = backup.backup_revision(source, manifest)
        known, heads = migration_revisions()
        [head] = heads  # one linear history: one head
        plan = backup.schema_plan(revision, known, head)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    if not yes:
        click.confirm("This replaces every request, letter and attachment with the backup's. Go on?", abort=True)
    db.session.remove()
    try:
        manifest = backup.restore(db.engine, Path(current_app.config["TRACKER_UPLOAD_DIR"]), source)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored the backup made {manifest['created_at']} "
               f"(tracker {manifest.get('tracker_version', 'unknown')}, schema {revision}).")
    if plan == "older":
        from flask_migrate import upgrade

        try:
            upgrade()
        except Exception as exc:  # noqa: BLE001  (say exactly what to run)
            raise click.ClickException(f"The backup's schema {revision} is older than this tracker's ({head}) and "
                                       f"the upgrade failed: {exc}. Run `tracker db upgrade` before serving the "
                                       "app.") from exc
        click.echo(f"Upgraded its schema from {revision} to {head}.")


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
    from tracker.documents.commands import extract_text_command

    app.cli.add_command(extract_text_command)
    from tracker.mail.commands import fetch_mail_command, mail_demo_command

    for command in (fetch_mail_command, mail_demo_command):
        app.cli.add_command(command)
    from tracker.batches.commands import batch_command

    app.cli.add_command(batch_command)
    from tracker.board.commands import board_command

    app.cli.add_command(board_command)
