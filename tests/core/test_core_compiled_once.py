"""A web worker compiles each statement of the load's mix once: after the mix has run, running it again (writes
between, as a reporter and as an editor) takes every statement from SQLAlchemy's compiled cache. A statement whose
SQL held the data (the ledger's, with a reporter's private requests written into a CASE) was compiled again, and
planned again by PostgreSQL, after every change to those requests."""

from __future__ import annotations

import contextlib

from sqlalchemy import select

from bench.newsroom import generate_newsroom
from tests.conftest import PASSWORD
from tests.helpers import csrf_token, on_engine
from tracker.agencies.models import Agency
from tracker.auth.api_tokens import create_token
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests.models import RecordsRequest

READS = ("/requests", "/requests?status=acknowledged&agency_id={agency}", "/requests/{request}", "/board",
         "/matters", "/matters?sort=title", "/matters?sort=state&page=2", "/matters?state=pending")
API_READS = ("/api/v1/requests?per_page=50&status=acknowledged", "/api/v1/requests/{request}")


@contextlib.contextmanager
def compiled(app):
    """The statements run meanwhile that SQLAlchemy compiled rather than took from its cache."""
    found: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if context.compiled is not None and context.cache_hit is not context.dialect.CACHE_HIT:
            found.append(" ".join(statement.split())[:300])

    with on_engine(app, "after_cursor_execute", record):
        yield found


def _signed_in(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302
    return client


def _mix(people: dict, world: dict, matter: int) -> None:
    """The reads of bench/load.py as each person, then their writes: a private request on a matter created, filed,
    and a communication recorded on it."""
    for client, token in people.values():
        for path in READS:
            assert client.get(path.format(**world)).status_code == 200, path
        for path in API_READS:
            assert client.get(path.format(**world), headers=token).status_code == 200, path
    for client, token in people.values():
        made = client.post("/api/v1/requests", headers=token, json={
            "title": "Use of force review", "agency_id": world["agency"], "private": True,
            "matter_ids": [world["matters"][matter]]})
        assert made.status_code == 201
        path = f"/api/v1/requests/{made.get_json()['id']}"
        assert client.post(f"{path}/actions/file", headers=token, json={
            "on": today().isoformat(), "channel": "portal"}).status_code == 200
        assert client.post(f"{path}/communications", headers=token, json={
            "direction": "out", "channel": "email", "occurred_on": today().isoformat(), "subject": "Follow-up",
            "body": "Checking on the status."}).status_code == 201


def test_the_mix_run_again_compiles_nothing(app, users, frozen):
    with app.app_context():
        generate_newsroom(db.session, requests=150, communications=150, matters=20, agencies=5, users=4, seed=3)
        world = {"agency": db.session.scalars(select(Agency.id).order_by(Agency.id)).first(),
                 "request": db.session.scalars(select(RecordsRequest.id).where(RecordsRequest.private.is_(False))
                                               .order_by(RecordsRequest.id)).first(),
                 "matters": db.session.scalars(select(Matter.id).order_by(Matter.id)).all()}
        people = {}
        for who in ("reporter", "editor"):
            user = db.session.get(User, users[who])
            _token, secret = create_token(user, "mix", now=now_utc())
            people[who] = (user.email, {"Authorization": f"Bearer {secret}"})
        db.session.commit()
    people = {who: (_signed_in(app, email), token) for who, (email, token) in people.items()}
    # Two rounds meet every statement, a few of them in two forms: compiling a statement for the first time marks
    # the subqueries of its conditions (SQLAlchemy's ORM), so the request list's count, which shares them with its
    # rows, is compiled once with the marks and once without; and the second round meets its first stale summary.
    _mix(people, world, 0)
    _mix(people, world, 1)
    with compiled(app) as again:
        _mix(people, world, 2)
    assert again == []
