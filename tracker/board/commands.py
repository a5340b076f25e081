"""`tracker board rebuild-tallies`: count the board's tallies and facts again from the requests."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from tracker.board import tallies
from tracker.board.models import BoardEntry, BoardFact
from tracker.extensions import db


@click.group("board")
def board_command() -> None:
    """The newsroom status board."""


@board_command.command("rebuild-tallies")
@with_appcontext
def rebuild_tallies_command() -> None:
    """Count the board's tallies and its windows' facts again from every request, in one transaction. Needed
    after rows were written without the app (raw SQL, a bulk load); the windows are counted afresh by the
    board's next read."""
    tallies.rebuild(db.session)
    db.session.commit()
    entries = db.session.scalar(select(func.count()).select_from(BoardEntry))
    facts = db.session.scalar(select(func.count()).select_from(BoardFact))
    click.echo(f"Counted {entries} request(s) into the board's tallies and {facts} fact(s) into its windows.")
