"""A web worker made ready before its first request (`warm_worker`, from wsgi.py).

Left to first use, each new worker compiles every page's templates (about 0.45 s) and builds the working-day
calendars and response tables of the agencies' jurisdictions (about 0.25 s) while users wait on its first
requests: with four workers, a few seconds of CPU in the first minute of serving. Built here, before
`settle_worker` freezes the startup heap, they are also left out of the garbage collector's full passes.

Nothing here is needed for correctness: what fails to warm (no database yet, a template that does not compile,
a jurisdiction the rules no longer have) is logged and left to first use, where it fails as it always did.
"""

from __future__ import annotations

import logging

from flask import Flask
from jinja2 import TemplateError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from tracker import deadlines
from tracker.agencies.models import Agency, observed_days_list
from tracker.core import clock
from tracker.extensions import db

log = logging.getLogger(__name__)


def warm_worker(app: Flask) -> None:
    with app.app_context():
        _templates(app)
        _deadline_tables()


def _templates(app: Flask) -> None:
    env = app.jinja_env
    for name in env.list_templates():
        try:
            env.get_template(name)
        except TemplateError as exc:
            log.warning("template %s not compiled ahead: %s", name, exc)


def _deadline_tables() -> None:
    try:
        rows = db.session.execute(select(Agency.jurisdiction, Agency.observed_days).distinct()).all()
    except SQLAlchemyError as exc:
        log.warning("deadline calendars not built ahead (no agencies read): %s", exc)
        return
    finally:
        # No connection outlives the warm-up: a server that forks workers after loading the app (gunicorn
        # --preload) must not hand one socket to every worker.
        db.session.remove()
        db.engine.dispose()
    today = clock.today()
    for code, observed_days in rows:
        observes = observed_days_list(observed_days)
        try:
            for extended in (False, True):
                deadlines.response_due(code, today, extended=extended, observes=observes)
        except deadlines.DeadlineError as exc:
            log.warning("deadline calendar for %s not built ahead: %s", code, exc)
