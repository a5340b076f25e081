"""A web worker compiles its templates and builds its agencies' deadline calendars before its first request
(tracker/warm.py, from wsgi.py), so no user waits on them."""

from __future__ import annotations

from tests.helpers import make_agency, make_request
from tracker import deadlines
from tracker.deadlines import calendars, registry
from tracker.extensions import db
from tracker.warm import warm_worker


def test_a_warmed_worker_compiles_no_template_and_builds_no_calendar_on_a_request_page(
        app, client, auth, users, frozen, monkeypatch):
    with app.app_context():
        texas = make_agency("Texas Department of Public Safety", "TXDPS", "US-TX")
        texas.observed_days = "Cesar Chavez Day\n"
        request_id = make_request(users["reporter"], texas, title="Use-of-force review").id
        db.session.commit()
    # As a new worker finds them: nothing compiled, no calendar or response table built.
    app.jinja_env.cache.clear()
    monkeypatch.setattr(registry, "_calendars", {})
    monkeypatch.setattr(registry, "_by_spec", {})
    monkeypatch.setattr(registry, "RESPONSE_TABLES", [{}, {}])

    warm_worker(app)

    loaded, built = [], []
    loader = app.jinja_env.loader
    get_source = loader.get_source
    monkeypatch.setattr(loader, "get_source", lambda env, name: loaded.append(name) or get_source(env, name))
    build = calendars.WorkCalendar.__init__
    monkeypatch.setattr(calendars.WorkCalendar, "__init__",
                        lambda self, *a, **k: built.append(a) or build(self, *a, **k))
    auth.login("reporter")
    page = client.get(f"/requests/{request_id}")
    assert page.status_code == 200 and "Use-of-force review" in page.get_data(as_text=True)
    with app.app_context():
        assert deadlines.working_days_between("US-TX", deadlines.SUPPORTED_FIRST, deadlines.SUPPORTED_FIRST,
                                              observes=["Cesar Chavez Day"]) == 0
    assert loaded == []
    assert built == []


def test_warming_without_a_database_leaves_everything_to_first_use(tmp_path):
    from tracker import create_app

    bare = create_app({"TESTING": True, "SECRET_KEY": "warm", "TRACKER_UPLOAD_DIR": str(tmp_path / "uploads"),
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite'}"})
    warm_worker(bare)  # no agencies table: logged, not raised
    assert "base.html" in {name for (_, name) in bare.jinja_env.cache.keys()}
