"""On PostgreSQL every page's tsvector and its adjacent word pairs are those of its own text, whichever way the
page was written (tracker/documents/fts.py: one trigger sets both, since search13e): a communication stored or
edited, a document's pages read, a title or body changed by an UPDATE, an attempt to write either column itself,
a backup restored; and the migration keeps the values already stored, both ways. On SQLite (FTS5) the same
writes are searched alike."""

from __future__ import annotations

import os

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import insert, text, update
from sqlalchemy.engine import make_url

from tests.conftest import _drop_postgres_database, _fresh_postgres_database
from tests.documents import makers
from tests.documents.support import entries_not_indexed_as_their_text, extract, upload
from tests.helpers import d, make_agency, make_request
from tracker import create_app
from tracker.auth.models import Role, User
from tracker.core.clock import now_utc
from tracker.documents import search
from tracker.documents.models import SearchEntry
from tracker.extensions import db
from tracker.requests.models import Communication


def _found(user_id: int, q: str) -> int:
    return search.search(db.session.get(User, user_id), search.SearchFilters(q=q)).total


def test_every_write_indexes_the_text_it_wrote(app, users, frozen, tmp_path):
    with app.app_context():
        req = make_request(users["reporter"], make_agency())
        comm = Communication(request_id=req.id, direction="in", channel="email", occurred_on=d("2026-11-05"),
                             subject="Medical staff roster", body="The night nurse signed the log twice.",
                             created_at=now_utc())
        db.session.add(comm)
        db.session.commit()
        upload(req, users["reporter"], "log.pdf", makers.text_pdf(["The warden read the medical report aloud.",
                                                                   "Second page: staff schedules."]))
        extract()
        assert db.session.query(SearchEntry).count() == 3
        assert entries_not_indexed_as_their_text() == []

        comm.subject, comm.body = "Roster of the infirmary", "The day nurse kept the keys."  # indexed again
        db.session.commit()
        page = db.session.query(SearchEntry).filter(SearchEntry.page == 2).one()
        db.session.execute(update(SearchEntry).where(SearchEntry.id == page.id)
                           .values(title="renamed ledger", body="Quarterly ledger of the commissary"))
        db.session.execute(update(SearchEntry).where(SearchEntry.page == 1).values(source="ocr"))  # text kept
        if db.engine.dialect.name == "postgresql":  # a write of the index itself is the text's index again
            db.session.execute(text("UPDATE search_entries SET search_vector = to_tsvector('nonsense'), "
                                    "phrase_pairs = NULL"))
            db.session.execute(text("INSERT INTO search_entries (request_id, kind, occurred_on, title, body, source, "
                                    "unreadable, search_vector, phrase_pairs) VALUES (:r, 'communication', "
                                    "'2026-11-06', 'Late note', 'The medical staff left early.', 'text', '', "
                                    "to_tsvector('nonsense'), NULL)"), {"r": req.id})
        db.session.commit()
        assert entries_not_indexed_as_their_text() == []
        editor = users["editor"]
        assert (_found(editor, '"night nurse"'), _found(editor, '"day nurse"'), _found(editor, "commissary"),
                _found(editor, "staff schedules")) == (0, 1, 1, 0)

    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    with app.app_context():
        db.session.execute(text("DELETE FROM search_entries"))
        db.session.commit()
    result = runner.invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():  # restored as they were, and written again as before
        assert _found(users["editor"], '"day nurse"') == 1
        db.session.execute(update(SearchEntry).values(body=SearchEntry.body + " addendum"))
        db.session.commit()
        assert _found(users["editor"], "addendum") == db.session.query(SearchEntry).count()
        assert entries_not_indexed_as_their_text() == []



def _stored(conn) -> tuple[list, list]:
    """Each entry's index columns as text, and whether each column is generated ('s') or set by the trigger."""
    return (conn.execute(text("SELECT id, search_vector::text, phrase_pairs::text FROM search_entries "
                              "ORDER BY id")).all(),
            conn.execute(text("SELECT attname, attgenerated FROM pg_attribute WHERE attrelid = "
                              "'search_entries'::regclass AND attname IN ('search_vector', 'phrase_pairs') "
                              "ORDER BY attname")).all())


@pytest.mark.skipif(not os.environ.get("TRACKER_TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="the migration changes PostgreSQL's columns only")
def test_the_migration_keeps_the_stored_index_both_ways(tmp_path):
    base = os.environ["TRACKER_TEST_DATABASE_URL"]
    url = _fresh_postgres_database(base, f"{make_url(base).database}_search13e_{os.getpid()}")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                      "TRACKER_UPLOAD_DIR": str(tmp_path / "uploads")})
    try:
        with app.app_context():
            upgrade(revision="search13c")
            owner = User(name="Owner", email="owner@test.example", role=Role.REPORTER, active=True,
                         password_hash="x")
            db.session.add(owner)
            db.session.flush()
            req = make_request(owner.id, make_agency())
            db.session.execute(insert(SearchEntry), [
                {"request_id": req.id, "kind": "communication", "page": None, "occurred_on": d("2026-11-01"),
                 "title": f"Note {n}", "body": body, "source": "text", "unreadable": ""}
                for n, body in enumerate(["The medical staff met the warden.", "", "Nurse, nurse and nurse."])])
            db.session.commit()
            with db.engine.connect() as conn:
                rows, generated = _stored(conn)
            assert len(rows) == 3 and generated == [("phrase_pairs", "s"), ("search_vector", "s")]

            upgrade()
            with db.engine.connect() as conn:
                assert _stored(conn) == (rows, [("phrase_pairs", ""), ("search_vector", "")])
            db.session.execute(update(SearchEntry).where(SearchEntry.id == rows[1][0]).values(body="Staff left."))
            db.session.commit()
            assert entries_not_indexed_as_their_text() == []
            db.session.rollback()  # its transaction ended: the downgrade locks the table
            with db.engine.connect() as conn:
                rows, _ = _stored(conn)

            downgrade(revision="search13c")
            with db.engine.connect() as conn:
                assert _stored(conn) == (rows, generated)
            upgrade()
            with db.engine.connect() as conn:
                assert _stored(conn) == (rows, [("phrase_pairs", ""), ("search_vector", "")])
            db.session.remove()
            db.engine.dispose()
    finally:
        _drop_postgres_database(url)
