"""The menus of every matter, agency and active user, kept per process (core.menus): a list view reads no menu rows
once they are kept, and a change made anywhere (this process, another worker, raw SQL) shows in the next view."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text

from tests.board.test_board_query_counts import counting
from tests.helpers import make_agency, make_matter, make_request
from tracker import create_app
from tracker.agencies import queries as agency_queries
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.auth.services import update_user
from tracker.extensions import db
from tracker.matters import queries as matter_queries
from tracker.matters.models import Matter

# The menus' own statements (matters.queries.choices, agencies.queries.choices, auth.services.active_user_choices).
MENU_READ = re.compile(r"SELECT (matters\.id, matters\.title|agencies\.id, agencies\.name, agencies\.abbreviation"
                       r"|users\.id, users\.name)\s+FROM")


@pytest.fixture
def newsroom(app, users):
    with app.app_context():
        agency = make_agency()
        matter = make_matter("Denver death card inquiry")
        make_request(users["reporter"], agency, title="Listed", matter_ids=[matter.id])
        db.session.commit()
        return {"agency": agency.id, "matter": matter.id}


@pytest.fixture
def other_worker(app):
    """A second instance of the app on the same database, as another gunicorn worker is."""
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SECRET_KEY": "test-secret", "TRACKER_UPLOAD_DIR": app.config["TRACKER_UPLOAD_DIR"],
                        "SERVER_NAME": None})
    yield other
    with other.app_context():
        db.engine.dispose()


def _list(client) -> str:
    response = client.get("/requests")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/requests", "/requests?matter_id=1&sort=title", "/board", "/requests/new"])
def test_a_second_view_reads_no_menu_rows(app, client, auth, newsroom, frozen, path):
    auth.login("editor")
    first = client.get(path)
    with counting(app) as statements:
        second = client.get(path)
    assert second.status_code == first.status_code == 200
    assert not [s for s in statements if MENU_READ.match(s)]
    assert len([s for s in statements if "FROM menu_versions" in s]) == 1  # the three menus' versions at once
    assert second.get_data() == first.get_data()


def test_the_list_costs_three_statements(app, client, auth, newsroom, frozen):
    auth.login("reporter")
    _list(client)
    with counting(app) as statements:
        page = _list(client)
    # the viewer, the page's rows with their matters' ids, the menus' versions (a page short of full needs no count;
    # the matters' titles are the menu's)
    assert len(statements) == 3, statements
    assert '<div class="sub">Denver death card inquiry</div>' in page


def test_a_change_in_another_worker_shows_in_the_next_view(app, client, auth, users, newsroom, other_worker,
                                                           frozen):
    auth.login("editor")
    page = _list(client)
    assert ">Denver death card inquiry</option>" in page and ">Other Reporter</option>" in page
    with other_worker.app_context():
        db.session.get(Matter, newsroom["matter"]).title = "Phoenix use of force"
        db.session.add_all([make_agency("Customs and Border Protection", "CBP")])
        update_user(db.session.get(User, users["other_reporter"]), name="Other Reporter", active=False,
                    email="other_reporter@test.example", role="reporter", password=None)
        db.session.commit()
    page = _list(client)
    assert ">Phoenix use of force</option>" in page and "Denver death card inquiry</option>" not in page
    assert ">Customs and Border Protection (CBP)</option>" in page
    assert ">Other Reporter</option>" not in page


def test_raw_sql_shows_in_the_next_view(app, client, auth, newsroom, frozen):
    """A migration or psql writes past the application: the triggers still give the tables new versions."""
    auth.login("editor")
    assert ">Denver death card inquiry</option>" in _list(client)
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE matters SET title = 'Renamed by hand' WHERE id = :id"),
                         {"id": newsroom["matter"]})
            conn.execute(Agency.__table__.insert().values(name="Inserted by hand"))  # Core: no ORM event
            conn.execute(text("UPDATE users SET name = 'Renamed Editor' WHERE email = 'editor@test.example'"))
    finally:
        engine.dispose()
    page = _list(client)
    assert ">Renamed by hand</option>" in page and "Denver death card inquiry</option>" not in page
    assert ">Inserted by hand</option>" in page and ">Renamed Editor</option>" in page


def test_a_change_in_this_process_shows_in_the_next_view(app, client, auth, newsroom, frozen):
    auth.login("editor")
    _list(client)
    with app.app_context():
        make_matter("Added here")
        db.session.delete(db.session.get(Matter, newsroom["matter"]))
        db.session.commit()
    page = _list(client)
    assert ">Added here</option>" in page and "Denver death card inquiry</option>" not in page


def test_menus_read_inside_a_transaction_that_rolls_back_are_not_kept_for_later_rows(app, newsroom):
    """The rows read after an uncommitted change are kept under that change's version; it never commits, and the
    version the next change commits is another (random, not a count that the rollback would give out again)."""
    with app.app_context():
        db.session.get(Matter, newsroom["matter"]).title = "Never committed"
        db.session.flush()
        assert (newsroom["matter"], "Never committed") in matter_queries.choices()
        db.session.rollback()
        db.session.get(Matter, newsroom["matter"]).title = "Committed"
        db.session.commit()
        assert matter_queries.choices() == [(newsroom["matter"], "Committed")]


def test_a_menu_without_a_version_is_read_every_time(app, newsroom):
    with app.app_context():
        agency_queries.choices()
        db.session.execute(text("DELETE FROM menu_versions"))
        db.session.commit()
        with counting(app) as statements:
            assert agency_queries.choices() == agency_queries.choices() == [(newsroom["agency"],
                                                                             "ICE FOIA Office (ICE)")]
        assert len([s for s in statements if MENU_READ.match(s)]) == 2


def test_a_kept_menu_names_its_kept_rows_until_the_table_changes(app, newsroom):
    """Each call is a new list the caller may change, naming the same kept rows while the table's version stands
    (template_helpers.option_tags keeps its tags for them); a change of the table gives new kept rows."""
    with app.app_context():
        first, second = matter_queries.choices(), matter_queries.choices()
        assert first == second and first is not second
        assert type(first.kept) is tuple and second.kept is first.kept and list(first.kept) == first
        first.append((0, "Added by the caller"))
        assert first.kept is None and matter_queries.choices() == second
        make_matter("Another matter")
        db.session.commit()
        third = matter_queries.choices()
        assert third.kept is not second.kept and len(third) == 2
