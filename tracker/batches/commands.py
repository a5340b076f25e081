"""`tracker batch show|act BATCH_ID --user EMAIL`: the batch page from a terminal, as one user sees it."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.auth.models import User
from tracker.auth.services import find_by_email
from tracker.batches import actions, queries
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.core.storage import storage as app_storage
from tracker.extensions import db
from tracker.letters import services as letter_services
from tracker.letters import sources
from tracker.requests import audit


@click.group("batch")
def batch_command() -> None:
    """Requests drafted together for several agencies."""


def _user(email: str) -> User:
    user = find_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"There is no active user with the email {email}.")
    return user


def _load(user: User, batch_id: int, **kw):
    try:
        return queries.load(user, batch_id, **kw)
    except TrackerError as exc:
        raise click.ClickException(exc.message) from exc


@batch_command.command("show")
@click.argument("batch_id", type=int)
@click.option("--user", "email", required=True, help="Whose view (the email of an active user).")
@with_appcontext
def show_command(batch_id: int, email: str) -> None:
    """Print the batch's requests side by side: agency, status, tracking number, due date, outcome."""
    audit.origin.set("cli")
    user = _user(email)
    batch, reqs = _load(user, batch_id, audit_as="view", detail="batch, from the command line", now=now_utc())
    db.session.commit()
    click.echo(f"{batch.title} ({len(reqs)} request{'s' if len(reqs) != 1 else ''})")
    for row in queries.rows(user, reqs):
        due = f"{row.due_label} {row.due.isoformat()}" if row.due else "no deadline running"
        click.echo(f"  #{row.req.id}  {row.req.agency.label}: {row.status_label}; "
                   f"{row.tracking_number or 'no tracking number'}; {due}; {row.outcome or 'no outcome yet'}")


@batch_command.command("act")
@click.argument("batch_id", type=int)
@click.argument("action", type=click.Choice(list(actions.ACTIONS)))
@click.option("--user", "email", required=True, help="Who acts (the email of an active user).")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), help="file: the day they went out.")
@click.option("--channel", type=click.Choice(list(actions.FILE_CHANNELS)), help="file: how they went.")
@with_appcontext
def act_command(batch_id: int, action: str, email: str, on, channel: str | None) -> None:
    """Apply ACTION (letters, file, email) to every request of the batch that allows it, or to none."""
    audit.origin.set("cli")
    user = _user(email)
    _batch, reqs = _load(user, batch_id)
    config = current_app.config
    ctx = actions.Context(actor=user, now=now_utc(), today=today(), storage=app_storage(),
                          search=sources.roots(config), letterhead=letter_services.letterhead_from_config(config))
    day: date | None = on.date() if on else None
    try:
        summary = actions.apply(reqs, action, actions.BatchActionInput(on=day, channel=channel or ""), ctx)
        db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        details = " ".join(f"{k}: {v}" for k, v in exc.fields.items() if k in ("on", "channel"))
        raise click.ClickException(" ".join(x for x in (exc.message, details) if x)) from exc
    click.echo(summary.headline)
    for req, line in summary.changed:
        click.echo(f"  #{req.id} {req.agency.label}: {line}")
    for req, why in summary.skipped:
        click.echo(f"  #{req.id} {req.agency.label}, left as it was: {why}")
