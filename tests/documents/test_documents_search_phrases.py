"""Quoted phrases: counted and found exactly on both engines, beside the same words apart, at the cap too, and only
in what the viewer may see. On PostgreSQL a phrase's pages are read from the index of adjacent word pairs
(tracker/documents/fts.py), which only narrows the pages the tsvector condition decides: a phrase that is one side
of an OR, or excluded, or holds stop words, must not narrow anything."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from sqlalchemy import event, insert, text

from tests.helpers import make_agency, make_request
from tracker.auth.models import User
from tracker.documents import search
from tracker.documents.models import SearchEntry
from tracker.documents.search import MAX_COUNT, SearchFilters, required_phrases
from tracker.extensions import db

WORDS = ["medical", "staff", "nurse", "warden", "report"]


def _entries(request_id: int, bodies: list[str]) -> None:
    db.session.execute(insert(SearchEntry), [
        {"request_id": request_id, "kind": "communication", "page": None, "occurred_on": date(2026, 11, 1),
         "title": f"Note {n}", "body": body, "source": "text", "unreadable": ""} for n, body in enumerate(bodies)])


def _search(user_id: int, q: str, page: int = 1, **kw):
    return search.search(db.session.get(User, user_id), SearchFilters(q=q, **kw), page=page)


def _holds(body: str, phrase: str) -> bool:
    return re.search(rf"(^| ){phrase}( |$)", body) is not None


# What each search finds, read from the words themselves: AND of its parts, a part being a phrase, "a OR b", or
# an excluded "-phrase". The phrases hold no stop words, so both engines read them alike.
QUERIES = {
    '"medical staff"': lambda b: _holds(b, "medical staff"),
    '"staff medical"': lambda b: _holds(b, "staff medical"),
    '"medical staff nurse"': lambda b: _holds(b, "medical staff nurse"),
    'nurse "medical staff"': lambda b: _holds(b, "nurse") and _holds(b, "medical staff"),
    '"medical staff" "warden report"': lambda b: _holds(b, "medical staff") and _holds(b, "warden report"),
    '"medical staff" -warden': lambda b: _holds(b, "medical staff") and not _holds(b, "warden"),
    'warden -"medical staff"': lambda b: _holds(b, "warden") and not _holds(b, "medical staff"),
    '"medical staff" OR "warden report"': lambda b: _holds(b, "medical staff") or _holds(b, "warden report"),
    'report or "medical staff"': lambda b: _holds(b, "report") or _holds(b, "medical staff"),
}


def test_phrases_count_and_find_exactly_what_their_words_say(app, users, frozen):
    rng = random.Random(13)
    bodies = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))) for _ in range(400)]
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        _entries(req.id, bodies)
        db.session.commit()
        for q, holds in QUERIES.items():
            expected = {f"Note {n}" for n, body in enumerate(bodies) if holds(body)}
            assert 0 < len(expected) < MAX_COUNT, q
            found = [h.title for p in range(1, len(expected) // 20 + 2) for h in _search(users["editor"], q, p).hits]
            assert (_search(users["editor"], q).total, len(found), set(found)) == (
                len(expected), len(expected), expected), q


def test_a_phrase_past_the_cap_counts_only_its_own_pages_newest_first_and_only_visible_ones(app, users, frozen):
    with app.app_context():
        ice, cbp = make_agency(), make_agency(name="CBP FOIA", abbreviation="CBP", jurisdiction="US-DHS")
        mine = make_request(users["reporter"], ice)
        hidden = make_request(users["other_reporter"], cbp, private=True)
        _entries(mine.id, ["the medical staff report"] * (MAX_COUNT - 5) + ["staff medical report"] * 30)
        _entries(hidden.id, ["medical staff on duty"] * 10 + ["medical report by staff"] * 30)
        db.session.commit()
        reporter = _search(users["reporter"], '"medical staff"')
        assert (reporter.total, reporter.more, reporter.newest_first) == (MAX_COUNT - 5, False, False)
        assert {h.request_id for h in reporter.hits} == {mine.id}
        editor = _search(users["editor"], '"medical staff"')
        assert (editor.total, editor.more, editor.newest_first) == (MAX_COUNT, True, True)
        # Newest first: the hidden request's ten phrases (its thirty later pages lack it), then mine.
        assert [h.request_id for h in editor.hits] == [hidden.id] * 10 + [mine.id] * 10
        assert [h.title for h in _search(users["editor"], '"medical staff"', page=2).hits] == [
            f"Note {n}" for n in range(MAX_COUNT - 16, MAX_COUNT - 36, -1)]
        assert _search(users["reporter"], '"medical staff"', agency_id=cbp.id).total == 0


@pytest.mark.parametrize("q, phrases", [
    ('"medical staff"', ["medical staff"]),
    ('nurse "medical staff" "use of force" report', ["medical staff", "use of force"]),
    ('x"medical staff" y', ["medical staff"]),  # PostgreSQL reads a phrase after a word too
    ('"medical staff', []),  # unclosed: left to the tsvector
    ('nurse OR "medical staff"', []), ('"medical staff" or nurse', []), ('nurse_or "medical staff"', []),
    ('-"medical staff" nurse', []), ('- "medical staff" nurse', []), ('nurse -( "medical staff"', []),
    ('"x "medical staff" y"', []),  # the quotes pair up as "x " and " y"
    ('"medical-staff report"', []), ('"medical_staff report"', []), ('"medical"', []),
    ('"a" "medical staff"', ["medical staff"]), ('"a""medical staff"', []),
])
def test_required_phrases_are_those_every_hit_holds_as_postgresql_reads_them(q, phrases):
    assert required_phrases(q) == phrases


def test_postgresql_reads_a_phrases_pages_from_the_pairs_index(app, users, frozen):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("FTS5 keeps word positions in its own index")
        req = make_request(users["reporter"], make_agency())
        _entries(req.id, ["the medical staff of the night shift", "staff medical", "use of force report"])
        db.session.commit()
        seen: list[tuple[str, dict]] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            seen.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            results = _search(users["editor"], '"medical staff" "use of force"')
            assert results.total == 0
            staff = _search(users["editor"], 'night "Medical  staff"')
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert [h.title for h in staff.hits] == ["Note 0"]
        counting = [(s, p) for s, p in seen if "search_entries.phrase_pairs @@" in s]
        assert len(counting) == 2
        # The pairs asked for are the index's own hashes of the phrase's adjacent words; "use of force" has none
        # (a stop word between), so it narrows nothing and only "medical staff" is asked for.
        pairs = db.session.scalar(text("SELECT array_to_string(tsvector_to_array(search_pairs("
                                       "to_tsvector('english', 'medical staff'))), ' & ')"))
        assert [p["pairs"] for _s, p in counting] == [pairs, pairs]
        indexed = db.session.scalar(text("SELECT count(*) FROM search_entries WHERE phrase_pairs "
                                         "@@ CAST(:pairs AS tsquery)"), {"pairs": pairs})
        assert indexed == 1
