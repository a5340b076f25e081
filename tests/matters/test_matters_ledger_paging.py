"""The database filters, counts, sorts and pages the ledger by the stored states; the rows it shows are
built in Python by disclosure.derive. The two must agree: on every page, for every viewer."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from bench.newsroom import generate_newsroom
from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.auth.models import Role, User
from tracker.extensions import db
from tracker.ledger import disclosure as dz
from tracker.ledger import queries as ledger
from tracker.matters import services
from tracker.matters.models import Matter, Source

TODAY = date(2026, 11, 30)


def _newsroom(users) -> dict:
    made = generate_newsroom(db.session, requests=200, matters=30, agencies=4, users=3, seed=7, today=TODAY,
                             private_share=0.3)
    editor = db.session.get(User, users["editor"])
    matters = [db.session.get(Matter, m) for m in made["matters"][:6]]
    services.set_override(matters[0], state=dz.DISCLOSED, reason="Published by the agency on its website.",
                          actor=editor, now=datetime(2026, 11, 30, 15, tzinfo=UTC))
    services.set_override(matters[1], state=dz.WITHHELD, reason="The released pages are blank.",
                          actor=editor, now=datetime(2026, 11, 30, 15, tzinfo=UTC))
    db.session.add(Source(matter_id=matters[2].id, title="OPR summary", publisher="ICE", url="", quote="",
                          published_on=date(2026, 1, 5), official_report=True))
    db.session.commit()
    return made


def _key(sort: str):
    order = {s: i for i, s in enumerate(dz.STATES)}
    if sort == "title":
        return lambda r: (r["title"].lower(), r["id"])
    if sort == "state":
        return lambda r: (order[r["state"]], -(r["undisclosed_days"] if r["undisclosed_days"] is not None else -1),
                          r["title"].lower(), r["id"])
    return lambda r: (r["undisclosed_days"] is None, -(r["undisclosed_days"] or 0), order[r["state"]],
                      r["title"].lower(), r["id"])


@pytest.mark.parametrize("sort", list(ledger.SORTS))
def test_pages_counts_and_order_agree_with_the_rows(app, users, frozen, sort):
    with app.app_context():
        made = _newsroom(users)
        viewers = [users["editor"], made["reporters"][0], made["reporters"][1]]
        for viewer_id in viewers:
            viewer = db.session.get(User, viewer_id)
            everything = ledger.ledger_rows(viewer, ledger.LedgerFilters(sort=sort), TODAY)
            assert len(everything) == 30
            assert everything == sorted(everything, key=_key(sort))
            first = ledger.ledger(viewer, ledger.LedgerFilters(sort=sort), TODAY, page=1, per_page=7)
            assert first["state_counts"] == {s: Counter(r["state"] for r in everything).get(s, 0) for s in dz.STATES}
            paged = [row for page in range(1, first["pages"] + 1)
                     for row in ledger.ledger(viewer, ledger.LedgerFilters(sort=sort), TODAY, page=page,
                                              per_page=7)["rows"]]
            assert paged == everything
            for state in dz.STATES:
                only = ledger.ledger_rows(viewer, ledger.LedgerFilters(state=state, sort=sort), TODAY)
                assert only == [r for r in everything if r["state"] == state], (viewer_id, state)
        assert len({r["state"] for r in everything}) >= 4  # the newsroom reaches most states


def test_a_reporter_counts_their_own_private_requests_and_nobody_elses(app, users, frozen):
    """The ledger's SQL takes a reporter's private requests into account where Python does: the rows
    and the counts differ between two reporters exactly where their private requests are."""
    with app.app_context():
        made = _newsroom(users)
        one, two = (db.session.get(User, r) for r in made["reporters"][:2])
        rows_one = {r["id"]: r for r in ledger.ledger_rows(one, ledger.LedgerFilters(), TODAY)}
        rows_two = {r["id"]: r for r in ledger.ledger_rows(two, ledger.LedgerFilters(), TODAY)}
        differ = {m for m in rows_one if rows_one[m]["requests"] != rows_two[m]["requests"]}
        assert differ  # 30% of the requests are private, spread over three reporters
        for viewer, rows in ((one, rows_one), (two, rows_two)):
            counts = ledger.ledger(viewer, ledger.LedgerFilters(), TODAY)["state_counts"]
            assert counts == {s: sum(1 for r in rows.values() if r["state"] == s) for s in dz.STATES}


def test_a_private_request_counts_for_its_owner_its_watchers_and_editors_only(app, users, frozen):
    with app.app_context():
        matter = make_matter("Watched matter")
        req = make_request(users["other_reporter"], make_agency(), private=True, title="Private ask")
        req.matters = [matter]
        req.watchers = [db.session.get(User, users["reporter"])]
        perform(req, "file", users["other_reporter"], on=d("2026-11-02"), channel="portal")
        db.session.commit()
        stranger = User(name="Third Reporter", email="third@newsroom.example", password_hash="x", role=Role.REPORTER)
        db.session.add(stranger)
        db.session.commit()
        seen = {}
        for who, user_id in (("owner", users["other_reporter"]), ("watcher", users["reporter"]),
                             ("editor", users["editor"]), ("stranger", stranger.id)):
            row = ledger.matter_row(db.session.get(User, user_id), matter.id, TODAY)
            counts = ledger.ledger(db.session.get(User, user_id), ledger.LedgerFilters(), TODAY)["state_counts"]
            seen[who] = (row["state"], row["requests"]["pending"], counts[dz.PENDING])
        assert seen == {"owner": (dz.PENDING, 1, 1), "watcher": (dz.PENDING, 1, 1), "editor": (dz.PENDING, 1, 1),
                        "stranger": (dz.NOT_REQUESTED, 0, 0)}
