"""A card reads its request's latest appeal decision (the cards statement carries it), not an earlier one."""

from __future__ import annotations

import pytest

from tests.board import scenario
from tests.helpers import d, make_agency, make_request, perform
from tracker.extensions import db
from tracker.requests.models import Determination


@pytest.mark.parametrize(("earlier", "latest", "exhausted"), [("reversed", "affirmed", True),
                                                                ("affirmed", "reversed", False)])
def test_a_card_weighs_the_latest_appeal_decision(app, client, auth, users, frozen, earlier, latest, exhausted):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Appealed twice")
        perform(req, "file", users["reporter"], on=d("2026-06-01"), channel="portal")
        perform(req, "determine", users["reporter"], on=d("2026-07-01"), outcome="denied", exemptions=["b6"])
        perform(req, "appeal", users["reporter"], on=d("2026-07-10"))
        perform(req, "decide_appeal", users["reporter"], on=d("2026-08-03"), outcome=earlier)
        db.session.add(Determination(request_id=req.id, stage="appeal", outcome=latest, decided_on=d("2026-09-01")))
        db.session.commit()
        request_id = req.id
    auth.login("editor")
    card = scenario.cards(client.get("/board").get_data(as_text=True))[request_id]
    assert ("exhausted: may sue" in card) is exhausted
