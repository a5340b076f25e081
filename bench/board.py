"""Benchmark: /board and /matters on a large newsroom.

    python bench/board.py [--small 1000] [--large 10000] [--repeat 7] [--database-url URL] [--check]

Generates two newsrooms (bench/newsroom.py): SMALL and LARGE requests, ten communications per request,
500 OPR matters and 30 agencies each. For each page it prints, best of several runs as an editor:
- the server time at LARGE requests divided by the time at SMALL (goal: at most 2);
- the page's server time divided by the time of its own SQL statements run bare on the same connection
  (goal: at most 2): the statements are captured while the page is served, then replayed with their
  parameters through the DB-API cursor, fetching every row;
- for scale, the same page filtered to show nothing: its fixed cost (layout, filters, session).
Each size gets a fresh SQLite file (or, with --database-url, a fresh PostgreSQL database); the sizes
are measured in alternating rounds, so a slow stretch on a shared machine does not land on one of them.

Times are CPU time of this process on SQLite (which runs inside it), so other work on the machine does
not distort them; on PostgreSQL, where the database works in another process, they are wall-clock time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.newsroom import generate_newsroom  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.core import clock  # noqa: E402
from tracker.extensions import db  # noqa: E402

GOAL = 2.0
PAGES = ("/board", "/matters")
# The same pages filtered to show nothing: what a page costs before it has anything to show (the layout,
# the filters, the session), printed for scale beside the page / SQL ratio.
EMPTY = {"/board": "/board?owner_id=2147483646", "/matters": "/matters?q=no-such-matter-in-the-bench"}
PASSWORD = "bench-editor-password"


def _database(base_url: str | None, name: str, folder: Path) -> str:
    if not base_url:
        return f"sqlite:///{folder / f'{name}.sqlite'}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def _drop(base_url: str, name: str) -> None:
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def build(url: str, folder: Path, requests: int):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench", "TRACKER_UPLOAD_DIR": str(folder / "uploads"), "RATELIMIT_ENABLED": False})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        started = time.perf_counter()
        made = generate_newsroom(db.session, requests=requests, communications=requests * 10, matters=500,
                                 agencies=30, users=40, editor_password=PASSWORD, today=clock.today())
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))  # as autovacuum would, soon after a bulk load
        print(f"  generated {requests} requests in {time.perf_counter() - started:.1f} s", flush=True)
    return app, made["editor_emails"][0]


class Recorder:
    """Collects the SQL statements the app runs while `on` is set."""

    def __init__(self, engine):
        self.on = False
        self.statements: list[tuple[str, object]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.statements.append((statement, parameters))


CLOCK = time.process_time


class Site:
    """One generated newsroom's app, signed in as an editor, recording the SQL its pages run."""

    def __init__(self, app, editor_email: str):
        self.app, self.client = app, app.test_client()
        response = self.client.post("/login", data={"email": editor_email, "password": PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"bench login failed: {response.status_code}")
        with app.app_context():
            self.engine = db.engine
        self.recorder = Recorder(self.engine)

    def page(self, path: str) -> tuple[float, list]:
        """(server time of one GET, the statements it ran)."""
        self.recorder.statements = []
        self.recorder.on = True
        started = CLOCK()
        response = self.client.get(path)
        elapsed = CLOCK() - started
        self.recorder.on = False
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        return elapsed, list(self.recorder.statements)


def measure(sites: dict[int, Site], repeat: int) -> dict[int, dict[str, dict]]:
    """Best of `repeat` rounds; each round times every page of every size, each page followed at once by
    its own statements replayed bare, so a slow stretch on a shared machine hits all of them alike."""
    paths = (*PAGES, *EMPTY.values())
    results = {size: {path: {"page": float("inf"), "sql": float("inf"), "queries": 0} for path in paths}
               for size in sites}
    for site in sites.values():
        for path in paths:
            site.page(path)  # warm caches (calendars, templates, statements)
    for _ in range(repeat):
        for size, site in sites.items():
            for path in paths:
                elapsed, statements = site.page(path)
                best = results[size][path]
                best["page"] = min(best["page"], elapsed)
                best["sql"] = min(best["sql"], replay(site.engine, statements))
                best["queries"] = len(statements)
    return results


def replay(engine, statements) -> float:
    """The time of the statements alone, run once through the raw DB-API cursor, fetching all rows."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        started = CLOCK()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            if cursor.description is not None:
                cursor.fetchall()
        elapsed = CLOCK() - started
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", help="a PostgreSQL server URL; a fresh database is made per size")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if a ratio is above {GOAL:g}")
    args = parser.parse_args(argv)
    global CLOCK
    CLOCK = time.perf_counter if args.database_url else time.process_time
    print(f"timing with {'wall-clock' if args.database_url else 'CPU'} time, best of {args.repeat}")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sites = {}
        for size in (args.small, args.large):
            print(f"newsroom of {size} requests:", flush=True)
            sites[size] = Site(*build(_database(args.database_url, f"bench_board_{size}", folder), folder, size))
        results = measure(sites, args.repeat)
        for size, site in sites.items():
            site.engine.dispose()
            if args.database_url:
                _drop(args.database_url, f"bench_board_{size}")

    failed = False
    for path in PAGES:
        small, large = results[args.small][path], results[args.large][path]
        growth = large["page"] / small["page"]
        overhead = large["page"] / large["sql"] if large["sql"] else float("inf")
        failed |= growth > GOAL or overhead > GOAL
        print(f"{path}: {small['page'] * 1000:.1f} ms at {args.small}, {large['page'] * 1000:.1f} ms at {args.large} "
              f"requests; ratio {growth:.2f} (goal <= {GOAL:g})")
        print(f"{path}: its {large['queries']} SQL statements run bare take {large['sql'] * 1000:.1f} ms; "
              f"page / SQL ratio {overhead:.2f} (goal <= {GOAL:g}); at {args.small}: "
              f"{small['page'] / small['sql']:.2f}")
        empty = results[args.large][EMPTY[path]]
        print(f"{path}: for scale, the page showing nothing takes {empty['page'] * 1000:.1f} ms "
              f"(its SQL {empty['sql'] * 1000:.1f} ms)")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
