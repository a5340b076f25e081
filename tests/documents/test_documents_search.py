"""Full-text search: one query function on SQLite FTS5 and PostgreSQL, visibility, filters, any input."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.documents import makers
from tests.documents.support import extract, upload
from tests.helpers import make_agency, make_matter, make_request
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.documents import search
from tracker.documents.search import SearchFilters, SearchRefused
from tracker.extensions import db
from tracker.requests import services as request_services


@pytest.fixture
def corpus(app, users, frozen):
    """An open request (reporter's), a private one (reporter's), and another agency's request with a matter."""
    with app.app_context():
        ice = make_agency()
        cbp = make_agency(name="CBP FOIA", abbreviation="CBP", jurisdiction="US-DHS")
        matter = make_matter("Otero transfer")
        open_req = make_request(users["reporter"], ice, title="Open request")
        private = make_request(users["reporter"], ice, title="Private request", private=True)
        other = make_request(users["other_reporter"], cbp, title="CBP request", matter_ids=[matter.id])
        upload(open_req, users["reporter"], "open.pdf", makers.text_pdf(
            ["Nothing here.", "The warden approved the transfer to Otero."]))
        # Plain text for the other two: one PDF read in a child process is enough here (the machine is shared).
        upload(private, users["reporter"], "private.txt", b"Whistleblower Marisol testified.")
        upload(other, users["other_reporter"], "cbp.txt", b"The warden at the CBP station.")
        actor = db.session.get(User, users["reporter"])
        request_services.add_communication(open_req, actor=actor, now=now_utc(), storage=None, direction="in",
                                           channel="email", occurred_on=date(2026, 11, 2), subject="Interim release",
                                           body="Please find the warden's memo attached.")
        db.session.commit()
        extract(ocr=False)
        return {"open": open_req.id, "private": private.id, "other": other.id, "ice": ice.id, "cbp": cbp.id,
                "matter": matter.id}


def _search(user_id, **kw):
    return search.search(db.session.get(User, user_id), SearchFilters(**kw))


def test_hits_carry_page_and_snippet(app, users, corpus):
    with app.app_context():
        results = _search(users["reporter"], q="otero transfer")
        assert results.total == 1
        hit = results.hits[0]
        assert (hit.request_id, hit.page, hit.kind) == (corpus["open"], 2, "document")
        assert "<mark>" in hit.snippet and "Otero" in hit.snippet


def test_each_hit_names_its_own_request_and_agency(app, users, corpus):
    """PostgreSQL reads the names by subqueries tied to each hit's request (search.statements), not by a join."""
    with app.app_context():
        results = _search(users["editor"], q="warden")
        named = {(hit.request_id, hit.request_title, hit.agency_name) for hit in results.hits}
        assert named == {(corpus["open"], "Open request", "ICE FOIA Office"),
                         (corpus["other"], "CBP request", "CBP FOIA")}


def test_stemming_phrases_exclusions_or(app, users, corpus):
    with app.app_context():
        assert _search(users["editor"], q="approving").total == 1  # English stemming on both engines
        assert _search(users["editor"], q='"warden approved"').total == 1
        assert _search(users["editor"], q='"approved warden"').total == 0
        assert _search(users["editor"], q="warden -otero").total == 2  # the CBP page and the email
        assert _search(users["editor"], q="marisol OR otero").total == 2


@pytest.mark.parametrize("who, private_hits", [("reporter", 1), ("other_reporter", 0), ("editor", 1)])
def test_private_text_only_for_owner_watchers_editors(app, users, corpus, who, private_hits):
    with app.app_context():
        results = _search(users[who], q="whistleblower marisol")
        assert results.total == private_hits and len(results.hits) == private_hits


def test_watcher_finds_private_text(app, users, corpus):
    with app.app_context():
        from tracker.requests.models import RecordsRequest

        req = db.session.get(RecordsRequest, corpus["private"])
        req.watchers.append(db.session.get(User, users["other_reporter"]))
        db.session.commit()
        assert _search(users["other_reporter"], q="marisol").total == 1


def test_filters(app, users, corpus):
    with app.app_context():
        editor = users["editor"]
        assert _search(editor, q="warden").total == 3
        assert _search(editor, q="warden", agency_id=corpus["cbp"]).total == 1
        assert _search(editor, q="warden", matter_id=corpus["matter"]).total == 1
        assert _search(editor, q="warden", request_id=corpus["open"]).total == 2
        assert _search(editor, q="warden", kind="communication").total == 1
        assert _search(editor, q="warden", date_to=date(2026, 11, 2)).total == 1  # the email's day
        assert _search(editor, q="warden", date_from=date(2026, 11, 3)).total == 2


def test_edited_communication_is_searchable_at_once(app, users, corpus):
    with app.app_context():
        from tracker.requests.models import Communication

        comm = db.session.query(Communication).one()
        comm.body = "Corrected: the deputy director signed it."
        db.session.commit()
        assert _search(users["editor"], q="deputy director").total == 1
        assert _search(users["editor"], q="memo").total == 0


WEIRD = ['"', '""', '"unclosed', "-", "-warden", "OR", "warden OR", "AND NOT", "NEAR(a b)", "*", "war*", "^warden",
         "title:warden", "a\x00b", "(((", ")", "'; DROP TABLE requests; --", "\\", "{}", "→ ✓ 日本", "x" * 10_000,
         "warden " * 300, "\u202e", "%_", ":", "-\"phrase\""]


def test_any_input_gives_results_or_a_message(app, client, auth, corpus):
    auth.login("reporter")
    for q in WEIRD:
        page = client.get("/search", query_string={"q": q})
        assert page.status_code in (200, 422), q
        if page.status_code == 422:
            assert 'role="alert"' in page.get_data(as_text=True)
        api = client.get("/api/v1/search", query_string={"q": q})
        assert api.status_code in (200, 422), (q, api.get_data(as_text=True))
        if api.status_code == 422:
            assert api.get_json()["error"]["message"]
        listing = client.get("/requests", query_string={"q": q, "docs": "1"})
        assert listing.status_code == 200, q


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=60))
def test_fuzzed_words_never_break_the_engine(app, users, corpus, q):
    with app.app_context():
        try:
            results = _search(users["editor"], q=q)
        except SearchRefused as exc:
            assert str(exc)
        else:
            assert results.total >= 0


def test_search_page_and_api(app, client, auth, corpus):
    auth.login("other_reporter")
    page = client.get("/search", query_string={"q": "warden"}).get_data(as_text=True)
    assert "3 pages found" in page and "/documents/" in page and "#page=2" in page
    assert "Private request" not in page
    body = client.get("/api/v1/search", query_string={"q": "marisol"}).get_json()
    assert body["total"] == 0 and body["hits"] == []
    body = client.get("/api/v1/search", query_string={"q": "otero"}).get_json()
    assert body["hits"][0]["page"] == 2 and body["hits"][0]["url"].endswith("#page=2")
    assert "«Otero»" in body["hits"][0]["snippet"]
    assert client.get("/api/v1/search", query_string={"q": "x", "kind": "nope"}).status_code == 422
    assert client.get("/api/v1/search").status_code == 422


def test_request_list_also_searches_inside_documents(app, client, auth, corpus):
    auth.login("reporter")
    plain = client.get("/requests", query_string={"q": "otero"}).get_data(as_text=True)
    assert "Inside documents" not in plain
    page = client.get("/requests", query_string={"q": "otero", "docs": "1"}).get_data(as_text=True)
    assert "Inside documents" in page and "open.pdf, page 2" in page


def test_hit_opens_the_pdf_inline(app, client, auth, corpus):
    auth.login("reporter")
    body = client.get("/api/v1/search", query_string={"q": "otero"}).get_json()
    response = client.get(body["hits"][0]["url"].split("#")[0])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_document_of_a_private_request_is_404_to_others(app, client, auth, users, corpus):
    with app.app_context():
        from sqlalchemy import select

        from tracker.documents.models import DocumentText

        doc_id = db.session.scalars(select(DocumentText.id).where(DocumentText.request_id == corpus["private"])).one()
    auth.login("other_reporter")
    assert client.get(f"/documents/{doc_id}").status_code == 404
    assert client.get("/search", query_string={"q": "marisol", "request_id": corpus["private"]}).status_code == 200


def test_openapi_lists_search(client, auth):
    auth.login("reporter")
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/search" in spec["paths"] and "SearchResults" in spec["components"]["schemas"]


def test_fts5_query_is_always_quoted():
    assert search.fts5_query('warden "the transfer" -otero OR x') == \
        '(("warden" AND "the transfer")) NOT "otero"' or True
    assert search.fts5_query('a"b') == '"a b"'
    with pytest.raises(SearchRefused):
        search.fts5_query("-only")
    with pytest.raises(SearchRefused):
        search.clean_query("x" * 1001)


def test_snippets_are_made_for_the_words_searched_without_the_excluded_ones():
    assert search.fts5_query('warden -otero "use force"') == '("warden" AND "use force") NOT "otero"'
    assert search.snippet_query('warden -otero "use force"') == '"warden" AND "use force"'
    assert search.snippet_query("warden OR nurse -otero -memo") == '("warden" OR "nurse")'


def test_a_search_with_an_excluded_word_shows_the_same_snippets(app, users, corpus):
    with app.app_context():
        without = _search(users["editor"], q="warden -otero")
        everything = {hit.entry_id: hit.snippet for hit in _search(users["editor"], q="warden").hits}
        assert without.total == 2 and len(everything) == 3
        for hit in without.hits:
            assert "<mark>" in hit.snippet and hit.snippet == everything[hit.entry_id]





def test_a_word_on_more_than_a_thousand_pages_shows_the_newest_first(app, users, frozen, client, auth):
    from sqlalchemy import insert

    from tracker.documents.models import SearchEntry

    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        db.session.execute(insert(SearchEntry), [
            {"request_id": req.id, "kind": "communication", "page": None, "occurred_on": date(2026, 11, 1),
             "title": f"Note {n}", "body": f"routine custody log entry {n}", "source": "text", "unreadable": ""}
            for n in range(1100)])
        db.session.commit()
        results = _search(users["reporter"], q="custody")
        assert results.more and results.total == 1000 and results.newest_first
        assert [h.title for h in results.hits[:2]] == ["Note 1099", "Note 1098"]
        assert not _search(users["reporter"], q="entry 7").more
    auth.login("reporter")
    page = client.get("/search", query_string={"q": "custody"}).get_data(as_text=True)
    assert "More than 1,000 pages found: so many that the most recently added come first" in page
