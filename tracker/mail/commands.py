"""`tracker fetch-mail` (for cron, the same as the scheduler's mail.fetch job) and `tracker mail-demo`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.core.schema import requires_schema


@click.command("fetch-mail")
@click.option("--limit", type=click.IntRange(min=1), help="Fetch at most this many new messages.")
@with_appcontext
@requires_schema
def fetch_mail_command(limit: int | None) -> None:
    """Fetch new agency mail from the newsroom mailbox (TRACKER_IMAP_*), file each message on its request or
    in Unsorted mail. Safe to run at any time: nothing is stored twice."""
    from tracker.mail.fetch import fetch_mail

    result = fetch_mail(limit=limit)
    click.echo(result.summary)
    if result.problems:
        raise SystemExit(1)


@click.command("mail-demo")
@with_appcontext
@requires_schema
def mail_demo_command() -> None:
    """Put a few agency messages for the demo requests into the configured mailbox (IMAP APPEND), for trying
    `tracker fetch-mail` on a local test server. Never use it on a real newsroom mailbox. Running it again
    appends the same messages, which the fetch stores only once."""
    from tracker.core.errors import TrackerError
    from tracker.extensions import db
    from tracker.mail.demo import append_messages, demo_messages
    from tracker.mail.imap import MailboxError

    if not current_app.config.get("TRACKER_IMAP_HOST"):
        click.echo("No mailbox is set up (TRACKER_IMAP_HOST is empty); nothing appended. See the README, "
                   "\"Agency mail\".")
        return
    try:
        messages = demo_messages()
    except TrackerError as exc:
        raise click.ClickException(exc.message) from exc
    # The installation's random part in the Message-IDs is kept before any message carries it.
    db.session.commit()
    try:
        count = append_messages(messages)
    except MailboxError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Appended {count} demo messages to {current_app.config['TRACKER_IMAP_FOLDER']}. "
               "Run `tracker fetch-mail` (or wait for the scheduler) to file them.")
