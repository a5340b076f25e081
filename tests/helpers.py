"""Small helpers shared by tests: build agencies, matters and requests through the real services."""

from __future__ import annotations

import contextlib
import re
from datetime import date

from sqlalchemy import event

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.extensions import db
from tracker.matters.models import Matter, MatterCategory
from tracker.requests import lifecycle, services


def make_agency(name="ICE FOIA Office", abbreviation="ICE", jurisdiction="US-DHS") -> Agency:
    agency = Agency(name=name, abbreviation=abbreviation, jurisdiction=jurisdiction)
    db.session.add(agency)
    db.session.flush()
    return agency


def make_matter(title="Denver death card inquiry") -> Matter:
    matter = Matter(title=title, category=MatterCategory.ADMINISTRATIVE)
    db.session.add(matter)
    db.session.flush()
    return matter


def make_request(owner_id: int, agency: Agency, *, title="OPR report", private=False, matter_ids=(), **data):
    owner = db.session.get(User, owner_id)
    return services.create_request(actor=owner, now=now_utc(), today=today(), matter_ids=list(matter_ids),
                                   data={"title": title, "agency_id": agency.id, "private": private, **data})


def perform(req, action: str, actor_id: int, storage=None, **fields):
    from flask import current_app

    from tracker.core.storage import DirectoryStorage

    storage = storage or DirectoryStorage(current_app.config["TRACKER_UPLOAD_DIR"])
    return lifecycle.perform(req, action, lifecycle.ActionInput(**fields), actor=db.session.get(User, actor_id),
                            now=now_utc(), today=today(), storage=storage)


def csrf_token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def d(text: str) -> date:
    return date.fromisoformat(text)


@contextlib.contextmanager
def on_engine(app, name: str, listener):
    """`listener` hears the app's engine's event `name` (e.g. "before_cursor_execute") meanwhile."""
    with app.app_context():
        engine = db.engine
    event.listen(engine, name, listener)
    try:
        yield
    finally:
        event.remove(engine, name, listener)


def sqlite_plan(statement, params: dict | None = None) -> list[str]:
    """The detail lines of SQLite's EXPLAIN QUERY PLAN for a statement with these parameters (expanding ones
    included; by default the statement's own)."""
    compiled = statement.compile(db.engine)
    expanded = compiled.construct_expanded_state(params)
    rows = db.session.connection().exec_driver_sql(
        "EXPLAIN QUERY PLAN " + expanded.statement, tuple(expanded.parameters[k] for k in expanded.positiontup))
    return [row[3] for row in rows]
