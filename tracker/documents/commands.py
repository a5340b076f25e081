"""`tracker extract-text`, and the function the scheduler job `documents.extract` runs: one path for both."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker.core.storage import storage
from tracker.documents import limits as limits_module
from tracker.documents import services
from tracker.extensions import db


def run_extraction(*, limit: int | None = None, ocr: bool = True) -> services.ExtractResult:
    """Read the waiting documents within the run's time budget (the job), or `limit` of them."""
    return services.extract_pending(storage=storage(), limits=limits_module.current(), limit=limit, ocr=ocr)


@click.command("extract-text")
@click.option("--request", "request_id", type=int, help="Only this request's documents (with --again).")
@click.option("--again", is_flag=True, help="Read documents again, e.g. after installing an OCR language.")
@click.option("--unreadable", is_flag=True, help="With --again: only documents with unreadable pages.")
@click.option("--no-ocr", is_flag=True, help="Text layers only; scanned pages are marked, not OCR'd.")
@with_appcontext
def extract_text_command(request_id: int | None, again: bool, unreadable: bool, no_ocr: bool) -> None:
    """Read the text of every stored document that waits for it (a backlog), with OCR for scans."""
    if again:
        count = services.requeue(request_id, unreadable_only=unreadable)
        db.session.commit()
        click.echo(f"{count} document(s) will be read again.")
    total = services.ExtractResult()
    with click.progressbar(length=0, label="Reading documents", show_pos=True) as bar:
        while True:
            result = run_extraction(limit=1, ocr=not no_ocr)
            if not result.documents:
                break
            bar.length = (bar.pos or 0) + result.documents + result.left
            bar.update(result.documents)
            total.documents += result.documents
            total.pages += result.pages
            total.ocr_pages += result.ocr_pages
            total.unreadable_pages += result.unreadable_pages
            total.failed += result.failed
    click.echo(total.summary() + ".")
    for name in total.failed[:20]:
        click.echo(f"  unreadable: {name}", err=True)
