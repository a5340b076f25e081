"""Two people pressing "Record all as filed" on the same batch at once, on PostgreSQL: each request is filed once."""

from __future__ import annotations

import os
import threading
import time

import pytest
from flask import current_app
from sqlalchemy import func, select

from tests.batches.test_batches_services import _create
from tests.helpers import d
from tracker.auth.models import User
from tracker.batches import actions, queries
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.extensions import db
from tracker.letters import services as letter_services
from tracker.letters import sources
from tracker.requests.models import Event

pytestmark = pytest.mark.skipif(not os.environ.get("TRACKER_TEST_DATABASE_URL", "").startswith("postgresql"),
                                reason="SQLite lets one writer in at a time; the race needs PostgreSQL")


def test_two_people_filing_at_once_file_each_request_once(app, world, frozen, storage):
    with app.app_context():
        batch_id = _create(world["reporter"], [world["oig"], world["crcl"]]).id
        db.session.commit()
    loaded, first_applied = threading.Barrier(2, timeout=20), threading.Event()
    results: dict[str, object] = {}

    def press(who: str, first: bool) -> None:
        with app.app_context():
            user = db.session.get(User, world[who])
            _batch, reqs = queries.load(user, batch_id)
            assert {r.status for r in reqs} == {"draft"}  # both pages showed drafts
            loaded.wait()
            if not first:
                first_applied.wait(20)
            config = current_app.config
            ctx = actions.Context(actor=user, now=now_utc(), today=today(), storage=storage,
                                  search=sources.roots(config),
                                  letterhead=letter_services.letterhead_from_config(config))
            try:
                summary = actions.apply(reqs, "file", actions.BatchActionInput(on=d("2026-11-30"), channel="portal"),
                                        ctx)
                if first:
                    first_applied.set()
                    time.sleep(0.5)  # the other press arrives while this one has not committed
                db.session.commit()
                results[who] = len(summary.changed)
            except TrackerError as exc:
                db.session.rollback()
                results[who] = exc
            finally:
                first_applied.set()
                db.session.remove()

    threads = [threading.Thread(target=press, args=("reporter", True)),
               threading.Thread(target=press, args=("editor", False))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results["reporter"] == 2
    assert isinstance(results["editor"], actions.NoneFits), results["editor"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Event).where(Event.action == "file")) == 2
