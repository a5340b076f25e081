"""A commit that changes requests writes the board's tallies before its windows' counts in every process: two web
workers that wrote them in opposite orders deadlocked on PostgreSQL. Blinker calls a signal's receivers in the
order of a set, so the order must not depend on it."""

from __future__ import annotations

import re

import pytest

from tests.board.test_board_query_counts import counting
from tests.helpers import d, make_agency, make_request, perform
from tracker.board import windows
from tracker.extensions import db
from tracker.requests.changes import requests_committing


@pytest.mark.parametrize("order", [list, lambda receivers: list(reversed(list(receivers)))])
def test_tallies_are_written_before_the_windows_whatever_order_the_signal_calls(app, users, frozen, monkeypatch,
                                                                               order):
    calls = requests_committing.receivers_for
    monkeypatch.setattr(requests_committing, "receivers_for", lambda sender: order(calls(sender)))
    with app.app_context():
        agency = make_agency()
        windows.current(db.session, d("2026-11-30"))
        db.session.commit()
        req = make_request(users["reporter"], agency)
        db.session.commit()
        with counting(app) as statements:
            perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
            db.session.commit()
    writes = [m.group(1) for s in statements if (m := re.match(r"INSERT INTO (board_tallies|board_facts)\b", s))]
    assert writes and writes[0] == "board_tallies" and "board_facts" in writes
