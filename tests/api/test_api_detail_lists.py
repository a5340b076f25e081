"""A request's answer reads its matters as their id and title, and its determinations with every determination's
documents in one statement, in the relationships' orders (matters by title; determinations by id, documents by
position): the same answer as from the relationships, in fewer statements."""

from __future__ import annotations

import re

from tests.board.test_board_query_counts import counting
from tests.helpers import d, make_agency, make_matter, make_request
from tracker.extensions import db
from tracker.requests.models import Determination, DeterminationDocument, RecordsRequest


def _decided(app, owner_id: int) -> int:
    with app.app_context():
        matters = [make_matter(title) for title in ("Zeta inquiry", "Alpha inquiry", "Mu inquiry")]
        req = make_request(owner_id, make_agency(), title="Decided", matter_ids=[m.id for m in matters])
        for stage, outcome, day, documents in (("initial", "partial", "2026-10-01", [(2, "Second"), (1, "First")]),
                                               ("appeal", "affirmed", "2026-11-01", []),
                                               ("appeal", "remanded", "2026-11-20", [(3, "Third"), (1, "One")])):
            decided = Determination(request_id=req.id, stage=stage, outcome=outcome, decided_on=d(day))
            db.session.add(decided)
            db.session.flush()
            db.session.add_all([DeterminationDocument(determination_id=decided.id, position=position,
                                                      description=text, pages=position)
                                for position, text in documents])
        db.session.commit()
        return req.id


def _expected(app, request_id: int) -> dict:
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        return {"matters": [{"id": m.id, "title": m.title} for m in req.matters],
                "determinations": [(x.outcome, [doc.description for doc in x.documents])
                                   for x in req.determinations]}


def test_matters_and_determinations_are_read_in_one_statement_each(app, client, users, bearer, frozen):
    request_id = _decided(app, users["reporter"])
    path = f"/api/v1/requests/{request_id}"
    client.get(path, headers=bearer())
    with counting(app) as statements:
        body = client.get(path, headers=bearer()).get_json()
    expected = _expected(app, request_id)
    assert [m["title"] for m in body["matters"]] == ["Alpha inquiry", "Mu inquiry", "Zeta inquiry"]
    assert body["matters"] == expected["matters"]
    assert [(x["outcome"], [doc["description"] for doc in x["documents"]]) for x in body["determinations"]] \
        == expected["determinations"] == [("partial", ["First", "Second"]), ("affirmed", []),
                                          ("remanded", ["One", "Third"])]
    assert not [s for s in statements if re.match(r"\s*SELECT matters\.id, matters\.title, matters\.summary", s)]
    assert len([s for s in statements if re.match(r"\s*SELECT determinations\.id\b", s)]) == 1
    assert not [s for s in statements if re.match(r"\s*SELECT determination_documents\.id\b", s)]


def test_a_write_answer_shows_the_matters_it_set(app, client, users, bearer, frozen):
    request_id = _decided(app, users["reporter"])
    with app.app_context():
        ids = {m.title: m.id for m in db.session.get(RecordsRequest, request_id).matters}
    response = client.patch(f"/api/v1/requests/{request_id}", json={"matter_ids": [ids["Zeta inquiry"]]},
                            headers={**bearer(), "Idempotency-Key": "set-matters"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["matters"] == [{"id": ids["Zeta inquiry"], "title": "Zeta inquiry"}]
    assert client.get(f"/api/v1/requests/{request_id}", headers=bearer()).get_json()["matters"] \
        == [{"id": ids["Zeta inquiry"], "title": "Zeta inquiry"}]
