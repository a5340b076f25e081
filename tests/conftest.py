"""Test fixtures: the app on a real database, a frozen clock, users of every role, a logged-in client.

The database is SQLite by default, or the one in TRACKER_TEST_DATABASE_URL (PostgreSQL in CI). With
several xdist workers each gets its own database. The schema is built by the migrations, not create_all,
so every run also proves the migrations.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tracker import create_app
from tracker.auth.models import Role, User
from tracker.extensions import db as _db

PASSWORD = "correct horse battery staple"
# A Monday in the newsroom's zone: 2026-11-30 10:00 EST.
FROZEN = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


def postgres_required() -> bool:
    return os.environ.get("TRACKER_REQUIRE_POSTGRES") == "1"


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if postgres_required() and not (url or "").startswith("postgresql"):
        raise RuntimeError("TRACKER_REQUIRE_POSTGRES=1 but TRACKER_TEST_DATABASE_URL is not a PostgreSQL URL")
    if not url:
        return f"sqlite:///{tmp_root / f'tracker-{_worker()}.sqlite'}"
    if url.startswith("postgresql"):
        # The process id keeps two test runs on one server (two people, or a person and CI) apart.
        return _fresh_postgres_database(url, f"{make_url(url).database}_{_worker()}_{os.getpid()}")
    return url


def _fresh_postgres_database(url: str, name: str) -> str:
    """Drop and create one database per xdist worker, so workers never share rows."""
    if not re.fullmatch(r"\w+", name):
        raise ValueError(name)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    name = make_url(url).database
    admin = create_engine(make_url(url).set(database=os.environ.get("TRACKER_TEST_ADMIN_DB", "postgres")),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _schema_copy(url: str) -> Path | None:
    """In a mutation run, where the migrated SQLite schema is kept: mutmut runs each mutant as a pytest session
    of its own (it sets MUTANT_UNDER_TEST), and migrating took 1.5-5 s of each. The first session migrates,
    the others copy its database. The name is a digest of the code and the migrations, which do not change
    within a run; an ordinary test run migrates every time, so it still proves the migrations."""
    if not os.environ.get("MUTANT_UNDER_TEST") or not url.startswith("sqlite:///"):
        return None
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*(root / "tracker").rglob("*.py"), *(root / "migrations").rglob("*.py")]):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return root / ".mutation-schema" / f"{digest.hexdigest()[:24]}.sqlite"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("tracker")
    url = _database_url(root)
    kept = _schema_copy(url)
    if kept is not None and kept.exists():
        shutil.copyfile(kept, make_url(url).database)
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "TRACKER_UPLOAD_DIR": str(root / "uploads"),
        "SERVER_NAME": None,
    })
    if kept is None or not kept.exists():
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            _db.engine.dispose()
        if kept is not None:
            kept.parent.mkdir(exist_ok=True)
            partial = kept.with_name(f"{kept.name}.{os.getpid()}")
            shutil.copyfile(make_url(url).database, partial)
            os.replace(partial, kept)  # whole or not at all, whoever else is writing it
    yield app
    with app.app_context():
        _db.engine.dispose()
    _drop_postgres_database(app.config["SQLALCHEMY_DATABASE_URI"])


@pytest.fixture
def never_upgraded_app(app, tmp_path):
    """An app on a database that exists but was never upgraded: a new SQLite file, or a new PostgreSQL database
    when the suite runs on PostgreSQL."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        url = _fresh_postgres_database(url, f"never_upgraded_{_worker()}_{os.getpid()}")
    else:
        url = f"sqlite:///{tmp_path / 'never-upgraded.sqlite'}"
    bare = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                       "TRACKER_UPLOAD_DIR": str(tmp_path / "uploads")})
    yield bare
    with bare.app_context():
        _db.engine.dispose()
    _drop_postgres_database(url)


@pytest.fixture(autouse=True)
def _caches_of_the_mutant():
    """In a mutation run every mutant's session is forked from a process that already ran the tests on the
    unmutated code, so whatever tracker's functools caches hold (statements, patterns, environments) was built
    by the code the mutant replaced. Each test then starts with them empty; ordinary runs keep them. The run
    that records which tests reach which function ("stats") empties them too: a function reached only while
    a cache is filled would otherwise be credited to the first test that filled it, and a mutant of it would
    be tried against that test alone."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        for name, module in list(sys.modules.items()):
            if name == "tracker" or name.startswith("tracker."):
                for value in list(vars(module).values()):
                    if isinstance(value, functools._lru_cache_wrapper):
                        value.cache_clear()
    yield


@pytest.fixture(autouse=True)
def clean_db(app):
    """Every test starts with empty tables."""
    yield
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        _db.session.remove()


@pytest.fixture
def db(ctx):
    return _db


@pytest.fixture
def frozen():
    """The clock stands still at FROZEN; move it with frozen.move_to(...)."""
    with time_machine.travel(FROZEN, tick=False) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def password_hash():
    """A deliberately cheap hash for test users only: the app hashes real passwords with scrypt, which is
    slow on purpose, and tests log in hundreds of times."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@pytest.fixture
def users(app, password_hash):
    """One user of each kind, committed: reporter, other_reporter, editor, admin, inactive."""
    with app.app_context():
        made = {}
        for key, role, active in (
            ("reporter", Role.REPORTER, True), ("other_reporter", Role.REPORTER, True),
            ("editor", Role.EDITOR, True), ("admin", Role.ADMIN, True), ("inactive", Role.REPORTER, False),
        ):
            user = User(name=key.replace("_", " ").title(), email=f"{key}@test.example", role=role, active=active)
            user.password_hash = password_hash
            _db.session.add(user)
            made[key] = user
        _db.session.commit()
        ids = {key: user.id for key, user in made.items()}
        _db.session.remove()
    return ids


@pytest.fixture
def client(app):
    return app.test_client()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, who: str = "reporter", password: str = PASSWORD):
        self.client.get("/login")
        return self.client.post("/login", data={"email": f"{who}@test.example", "password": password,
                                                "csrf_token": self.csrf()})

    def csrf(self) -> str:
        page = self.client.get("/login").get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
            re.search(r'name="csrf_token" value="([^"]+)"', page)
        return match.group(1) if match else ""

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.csrf()})


@pytest.fixture
def auth(client, users):
    return Auth(client)


# A test driving a real browser is run a second time when it fails: Chromium on a busy two-core machine
# sometimes loses a race that no user could (a page still loading while the next step reads it). The summary
# line counts the reruns, so a test that needs one is seen; a test that fails twice fails the run.
BROWSER_FIXTURES = {"page", "browser", "live_server"}


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=1))


# --- a real browser against a real server --------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


@pytest.fixture(scope="session")
def live_server(app):
    """The app served on a loopback port in a thread; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page (own cookies); `page.login(who)` logs in through the real form."""
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(60_000)  # twice Playwright's default: two cores shared with the other tests
    tab = context.new_page()

    def login(who: str = "reporter", password: str = PASSWORD):
        tab.goto("/login")
        tab.fill("input[name=email]", f"{who}@test.example")
        tab.fill("input[name=password]", password)
        tab.click("button[type=submit]")
        tab.wait_for_url("**/requests")

    tab.login = login
    yield tab
    context.close()
