"""`tracker letter REQUEST_ID KIND [-o FILE.pdf] [--text]`: the web's "Generate PDF" from the shell."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.core.clock import now_utc, today
from tracker.core.errors import NotFound, TrackerError
from tracker.core.storage import storage as app_storage
from tracker.extensions import db
from tracker.letters import services, sources
from tracker.letters.plaintext import html_to_text
from tracker.requests import access, audit
from tracker.requests.models import RecordsRequest


@click.command("letter")
@click.argument("request_id", type=int)
@click.argument("kind")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the PDF to this file (default: its suggested name in the current folder).")
@click.option("--text", "as_text", is_flag=True,
              help="Print the plain text for an agency portal. With -o, also write and store the PDF.")
@with_appcontext
def letter_command(request_id: int, kind: str, output: Path | None, as_text: bool) -> None:
    """Write letter KIND (foia_request, state_request, status_inquiry, appeal, ogis_mediation,
    expedite_request, or a newsroom's own) for request REQUEST_ID, signed by the request's owner.

    A PDF is stored with the request as the kind's next version, like "Generate PDF" in the web app.
    """
    req = db.session.get(RecordsRequest, request_id) if 0 < request_id <= access.MAX_ID else None
    if req is None:
        raise click.ClickException(f"There is no request {request_id}.")
    audit.origin.set("cli")
    config = current_app.config
    search, letterhead = sources.roots(config), services.letterhead_from_config(config)
    options = services.default_options(req, kind, req.owner)
    try:
        if as_text and output is None:
            draft = services.prepare(req, kind, options, today=today(), search=search, letterhead=letterhead)
            if draft.missing:
                raise click.ClickException("The letter cannot be written yet: "
                                           + "; ".join(m.label for m in draft.missing) + ".")
            click.echo(html_to_text(services.preview_html(draft)))
            audit.record(req, actor=None, action="view", detail=f"{kind} letter text, from the command line")
            db.session.commit()
            return
        storage = app_storage()
        letter = services.generate_letter(req, kind, options, actor=None, now=now_utc(), today=today(),
                                          storage=storage, search=search, letterhead=letterhead)
        audit.record(req, actor=None, action="download", detail=f"{letter.filename}, from the command line")
        db.session.commit()
    except NotFound as exc:
        fitting = ", ".join(k.key for k in sources.catalog(search).fitting(req.agency.jurisdiction))
        raise click.ClickException(f"{exc.message} Letters for this agency: {fitting or 'none'}.") from exc
    except TrackerError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    target = output or Path(letter.filename)
    with storage.open(letter.storage_key) as pdf:
        target.write_bytes(pdf.read())
    if as_text:
        click.echo(letter.text)
    click.echo(f"Wrote {target}: {letter.label}, {letter.pages} page(s), {letter.size} bytes, stored with "
               f"request {req.id}.", err=as_text)
