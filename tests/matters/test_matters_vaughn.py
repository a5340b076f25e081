"""Exemptions per document (a Vaughn index): recorded with the determination or later, and aggregated."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.board.scenario import text
from tests.helpers import csrf_token, make_agency, make_matter, make_request, perform
from tracker.extensions import db
from tracker.requests.documents import parse_exemptions
from tracker.requests.models import Determination, DeterminationDocument, RecordsRequest


@pytest.mark.parametrize(("written", "codes", "unknown"), [
    ("(b)(6), (b)(7)(C)", ["b6", "b7C"], []),
    ("b6 b7c", ["b6", "b7C"], []),
    ("6; 7(E)", ["b6", "b7E"], []),
    ("(b)(6) (b)(6)", ["b6"], []),
    ("b10, b7G, Exemption 6", ["b6"], ["b10", "b7G", "Exemption"]),
    ("", [], []),
])
def test_exemptions_as_lawyers_write_them(written, codes, unknown):
    assert parse_exemptions(written) == (codes, unknown)


def _filed_request(app, users):
    with app.app_context():
        agency = make_agency()
        matter = make_matter()
        req = make_request(users["reporter"], agency)
        req.matters = [matter]
        perform(req, "file", users["reporter"], on=date(2026, 11, 2), channel="portal")
        db.session.commit()
        return req.id, matter.id


def _rows(*rows):
    data = {}
    for i, (description, pages, full, part, exemptions) in enumerate(rows):
        data.update({f"documents-{i}-description": description, f"documents-{i}-pages": pages,
                     f"documents-{i}-withheld_in_full": full, f"documents-{i}-withheld_in_part": part,
                     f"documents-{i}-exemptions": exemptions})
    return data


def test_determination_form_records_the_documents(app, client, auth, users, frozen):
    request_id, matter_id = _filed_request(app, users)
    auth.login("reporter")
    url = f"/requests/{request_id}/actions/determine"
    form = client.get(url).get_data(as_text=True)
    assert "Vaughn index" in form and 'name="documents-2-exemptions"' in form
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "on": "2026-11-27", "outcome": "granted_in_part",
        "exemptions": ["b6"], "pages_released": "10", "pages_withheld": "30",
        **_rows(("Report of investigation", "25", "20", "3", "(b)(6), (b)(7)(E)"), ("", "", "", "", ""),
                ("Exhibit list", "5", "", "", "")),
    })
    assert response.status_code == 302, text(response.get_data(as_text=True))[:1500]
    with app.app_context():
        docs = db.session.scalars(select(DeterminationDocument).order_by(DeterminationDocument.position)).all()
        assert [(d.position, d.description, d.pages, d.withheld_in_full, d.withheld_in_part, d.exemptions,
                 d.disposition) for d in docs] == [
            (1, "Report of investigation", 25, 20, 3, ["b6", "b7E"], "released in part"),
            (2, "Exhibit list", 5, 0, 0, [], "released in full"),
        ]
    ledger = text(client.get("/matters").get_data(as_text=True))
    assert "(b)(6), (b)(7)(E)" in ledger  # (b)(7)(E) only in the Vaughn index
    scorecards = text(client.get("/board/agencies?period=all").get_data(as_text=True))
    assert "(b)(7)(E) Law enforcement: techniques" in scorecards
    assert matter_id


def test_a_bad_document_row_changes_nothing(app, client, auth, users, frozen):
    request_id, _matter_id = _filed_request(app, users)
    auth.login("reporter")
    url = f"/requests/{request_id}/actions/determine"
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "on": "2026-11-27", "outcome": "denied",
        **_rows(("Report", "10", "8", "5", "b6"), ("Memo", "3", "", "", "b10")),
    })
    assert response.status_code == 422
    page = text(response.get_data(as_text=True))
    assert "Document 1: 13 pages withheld in full or in part, but the document has 10." in page
    assert "Document 2: not an exemption of 5 U.S.C. 552(b): b10." in page
    with app.app_context():
        assert db.session.get(RecordsRequest, request_id).status == "filed"
        assert db.session.scalars(select(Determination)).all() == []
    bad_number = client.post(url, data={"csrf_token": csrf_token(client, url), "on": "2026-11-27",
                                        "outcome": "denied", **_rows(("Report", "many", "", "", ""))})
    assert bad_number.status_code == 422


def test_documents_added_later_and_removed(app, client, auth, users, frozen):
    request_id, _matter_id = _filed_request(app, users)
    with app.app_context():
        perform(db.session.get(RecordsRequest, request_id), "determine", users["reporter"],
                on=date(2026, 11, 27), outcome="denied", exemptions=["b7A"])
        db.session.commit()
        det_id = db.session.scalar(select(Determination.id))
    url = f"/requests/{request_id}/determinations/{det_id}/documents"
    auth.login("other_reporter")
    assert client.get(url).status_code == 200  # may read a newsroom request
    assert client.post(url, data={"csrf_token": csrf_token(client, url),
                                  **_rows(("Report", "10", "10", "0", "b7A"))}).status_code == 403
    auth.logout()
    auth.login("reporter")
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      **_rows(("Report of investigation", "40", "40", "0", "b7A b6"))})
    assert response.status_code == 302
    page = text(client.get(url).get_data(as_text=True))
    assert "1 Report of investigation 40 40 0 withheld in full (b)(7)(A) , (b)(6)" in page
    with app.app_context():
        doc_id = db.session.scalar(select(DeterminationDocument.id))
    assert client.post(f"{url}/{doc_id}/delete", data={"csrf_token": csrf_token(client, url)}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(DeterminationDocument)).all() == []
    assert client.get(f"/requests/{request_id + 1}/determinations/{det_id}/documents").status_code == 404
