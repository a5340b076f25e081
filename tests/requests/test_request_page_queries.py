"""The request page costs the same number of SQL statements however many messages and attachments the request
has: the timeline's attachments and mail details load in one query each."""

from __future__ import annotations

import io
import re

from flask import current_app

from tests.board.test_board_query_counts import counting
from tests.helpers import d, make_agency, make_request, perform
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests import services


def _messages(req, reporter_id: int, n: int) -> None:
    storage = DirectoryStorage(current_app.config["TRACKER_UPLOAD_DIR"])
    for i in range(n):
        services.add_communication(
            req, actor=db.session.get(User, reporter_id), now=now_utc(), storage=storage, direction="in",
            channel="email", occurred_on=d("2026-11-20"), subject=f"Letter {i}", body="See attached.",
            files=[services.Upload(f"letter-{i}.txt", io.BytesIO(b"The agency's letter."))])


def _statements(app, client, path: str) -> int:
    client.get(path)
    with counting(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def test_the_request_page_costs_the_same_with_one_message_or_eight(app, client, auth, users, frozen):
    with app.app_context():
        agency = make_agency()
        few, many = make_request(users["reporter"], agency, title="Few"), make_request(users["reporter"], agency,
                                                                                      title="Many")
        for req in (few, many):
            perform(req, "file", users["reporter"], on=d("2026-11-16"), channel="portal")
        _messages(few, users["reporter"], 1)
        _messages(many, users["reporter"], 8)
        db.session.commit()
        few_id, many_id = few.id, many.id
    auth.login("reporter")
    assert _statements(app, client, f"/requests/{few_id}") == _statements(app, client, f"/requests/{many_id}")
    assert b"letter-7.txt" in client.get(f"/requests/{many_id}").data



def _loads_by_id(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if re.search(rf"FROM {table}\s+WHERE {table}\.id = ", s)]


def test_the_viewer_is_not_loaded_again_after_the_pages_audit_commit(app, client, auth, users, frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Private", private=True)
        db.session.commit()
        request_id = req.id
    auth.login("reporter")
    client.get(f"/requests/{request_id}")
    with counting(app) as statements:
        response = client.get(f"/requests/{request_id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert _loads_by_id(statements, "users") == []  # the viewer (and owner) was loaded with the session


def test_the_list_reads_no_provenance_and_prints_its_menus(app, client, auth, users, frozen):
    with app.app_context():
        agency = make_agency()
        matter = Matter(title="Deaths in custody & \"use of force\"", category="systemic")
        db.session.add(matter)
        db.session.flush()
        make_request(users["reporter"], agency, title="Listed", matter_ids=[matter.id])
        db.session.commit()
        agency_id, matter_id = agency.id, matter.id
    auth.login("reporter")
    client.get("/requests")
    with counting(app) as statements:
        page = client.get(f"/requests?matter_id={matter_id}").get_data(as_text=True)
    assert "Listed" in page
    rows = [s for s in statements if re.search(r"\bFROM requests JOIN agencies\b", s)]  # the rows, not their count
    assert len(rows) == 1 and "deadline_provenance" not in rows[0]
    title = "Deaths in custody &amp; &#34;use of force&#34;"
    assert f'<option value="{matter_id}" selected>{title}</option>' in page  # the filter's menu
    assert f'<option value="{matter_id}">{title}</option>' in page  # the bulk bar's menu
    assert f'<option value="{agency_id}">ICE</option>' in page or f'<option value="{agency_id}">' in page


def test_the_request_page_reads_its_attachments_once_for_the_timeline_and_the_documents(app, client, auth, users,
                                                                                        frozen):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="With letters")
        perform(req, "file", users["reporter"], on=d("2026-11-16"), channel="portal")
        _messages(req, users["reporter"], 2)
        storage = DirectoryStorage(current_app.config["TRACKER_UPLOAD_DIR"])
        services.upload_documents(req, [services.Upload("own-scan.txt", io.BytesIO(b"Scanned."))],
                                  actor=db.session.get(User, users["reporter"]), now=now_utc(), storage=storage)
        db.session.commit()
        request_id = req.id
    auth.login("reporter")
    client.get(f"/requests/{request_id}")
    with counting(app) as statements:
        page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert len([s for s in statements if re.match(r"\s*SELECT attachments\.", s)]) == 1
    timeline = page[page.index('id="timeline"'):page.index('id="documents"')]
    documents = page[page.index('id="documents"'):]
    def linked(name: str, part: str) -> bool:  # a download link named so
        return f">{name}</a>" in part

    assert linked("letter-0.txt", timeline) and linked("letter-1.txt", timeline)
    assert not linked("own-scan.txt", timeline)  # the request's own document is no message's
    assert all(linked(name, documents) for name in ("letter-0.txt", "letter-1.txt", "own-scan.txt"))


def test_the_list_reads_only_the_columns_its_rows_show_and_nothing_row_by_row(app, client, auth, users, frozen):
    with app.app_context():
        agency = make_agency()
        for title in ("Filed one", "Filed two"):
            perform(make_request(users["reporter"], agency, title=title, records_description="Secret wording"),
                    "file", users["reporter"], on=d("2026-11-16"), channel="portal")
        make_request(users["reporter"], agency, title="A draft")
        db.session.commit()
    auth.login("reporter")
    client.get("/requests")
    with counting(app) as statements:
        page = client.get("/requests").get_data(as_text=True)
    rows = [s for s in statements if re.search(r"\bFROM requests JOIN agencies\b", s)]
    assert len(rows) == 1
    assert "records_description" not in rows[0] and "deadline_provenance" not in rows[0]
    assert not [s for s in statements if re.search(r"FROM requests\s+WHERE requests\.id = ", s)]  # no row reloaded
    assert "Filed one" in page and "A draft" in page and "Agency&#39;s response due" in page


def test_the_lists_menus_read_agencies_and_users_as_columns(app, client, auth, users, frozen):
    with app.app_context():
        agency = make_agency()
        make_request(users["reporter"], agency, title="Listed")
        db.session.commit()
        option = f'<option value="{agency.id}">{agency.label}</option>'
        reporter = db.session.get(User, users["reporter"])
        owner_option = f'<option value="{reporter.id}">{reporter.name}</option>'
    auth.login("reporter")
    with counting(app) as statements:  # the first view reads the menus (later ones keep them: core.menus)
        page = client.get("/requests").get_data(as_text=True)
    menus = [s for s in statements if re.match(r"SELECT (agencies|users)\.", s) and "user_sessions" not in s]
    assert len(menus) == 2
    assert not [s for s in menus if "mailing_address" in s or "password_hash" in s]  # not whole rows
    assert option in page and owner_option in page
