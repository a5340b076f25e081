"""Benchmark: the board, the ledger, the agency scorecards and the API summary on a large newsroom.

    python bench/board.py [--small 1000] [--large 10000] [--repeat 7] [--best] [--database-url URL] [--keep DIR]
                          [--check]

Generates two newsrooms (bench/newsroom.py): SMALL and LARGE requests, two communications per request
(the pages measured read none), 500 OPR matters, 30 agencies and 40 reporters each. The database is a
fresh SQLite file per size, or with --database-url (or TRACKER_BENCH_DATABASE_URL) a fresh PostgreSQL
database per size on that server. With --keep DIR the databases are kept (SQLite: files in DIR; PostgreSQL:
databases whose names start with DIR's name, their logins in DIR) and reused by the next run: migrated to the head
and their board summaries counted again from the requests, so a run after a change to those summaries measures them
as the change keeps them.

Each page is measured for each kind of viewer:
- editor: sees every request;
- reporter: public requests, plus their own private ones and 25 private requests of others they watch;
- wall: a wall-screen link (no login, public requests only; the board pages only);
and with and without filters. For each it prints the median server time at SMALL and at LARGE requests,
their ratio (goal: at most 2), and at LARGE the number of SQL statements and their own time (the median
time of the page's own statements replayed bare through the DB-API cursor, fetching every row).

The sizes are measured in alternating rounds inside this one process, so a slow stretch on a shared
machine lands on both. Times are CPU time of this process on SQLite (which runs inside it), so other work
on the machine does not distort them; on PostgreSQL, where the database works in another process, they
are wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not

from sqlalchemy import create_engine, event, insert, select, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.newsroom import generate_newsroom  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.core import clock  # noqa: E402
from tracker.extensions import db  # noqa: E402

GOAL = 2.0
PASSWORD = "bench-editor-password"
WATCHED = 25  # private requests of others the bench reporter watches (a watch list does not grow with the newsroom)

# (label, path, viewers); {agency}, {matter}, {owner} are filled in with ids of the generated newsroom.
PAGES = (
    ("/board", "/board", ("editor", "reporter", "wall")),
    ("/board, agency filter", "/board?agency_id={agency}", ("editor", "reporter", "wall")),
    ("/board, matter filter", "/board?matter_id={matter}", ("editor", "reporter")),
    ("/board, owner + status", "/board?owner_id={owner}&status=acknowledged", ("editor", "reporter")),
    ("/board?column=overdue", "/board?column=overdue", ("editor", "reporter")),
    ("/matters", "/matters", ("editor", "reporter")),
    ("/matters, state filter", "/matters?state=withheld", ("editor", "reporter")),
    ("/board/agencies", "/board/agencies", ("editor", "reporter")),
    ("/board/agencies, all time", "/board/agencies?period=all", ("editor", "reporter")),
    ("/api/v1/board/summary", "/api/v1/board/summary", ("editor", "reporter")),
    ("/api/v1/board/summary, agency", "/api/v1/board/summary?agency_id={agency}", ("editor", "reporter")),
)


def _database(base_url: str | None, name: str, folder: Path) -> str:
    if not base_url:
        return f"sqlite:///{folder / f'{name}.sqlite'}"
    return fresh_postgres(base_url, name)


def fresh_postgres(base_url: str, name: str) -> str:
    """An empty PostgreSQL database NAME on the server of BASE_URL (dropped first if it exists); its URL."""
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


def _app(url: str, folder: Path):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                       "SECRET_KEY": "bench", "TRACKER_UPLOAD_DIR": str(folder / "uploads"),
                       "RATELIMIT_ENABLED": False})


def reuse(url: str, folder: Path, saved: Path):
    """A database kept by an earlier run (--keep): migrated to the head, its board summaries counted again."""
    from flask_migrate import upgrade

    from tracker.board import tallies

    app = _app(url, folder)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        tallies.rebuild(db.session)
        db.session.commit()
        _analyze()
        print(f"  reused {make_url(url).database}, its board summaries rebuilt in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    return app, json.loads(saved.read_text())


def _analyze() -> None:
    from tracker.board import windows

    # The windows are counted by their first read after a rebuild: counted now, the statistics describe them full
    # (empty, PostgreSQL would plan the scorecards' read of thousands of rows for a few dozen, and sort them).
    windows.current(db.session, clock.today())
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # As autovacuum does soon after a bulk load (inserts trigger it too): statistics, and the visibility
            # map without which PostgreSQL reads each row an index already answers for.
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _kept_url(base_url: str | None, keep: Path, size: int) -> str:
    """Where --keep keeps a size's newsroom: a file in the folder, or a database named after the folder."""
    if not base_url:
        return f"sqlite:///{keep / f'bench_board_{size}.sqlite'}"
    # Named after the folder first: on a server shared by several people, each one's databases start with their name.
    name = "".join(c if c.isalnum() else "_" for c in keep.resolve().name.lower()) + f"_bench_board_{size}"
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def build(url: str, folder: Path, requests: int):
    """A migrated database with a generated newsroom, a reporter who can log in and watches private requests
    of others, and a wall-screen link; returns (app, who), who: the logins and ids the pages need."""
    from werkzeug.security import generate_password_hash

    from tracker.auth.models import User
    from tracker.board import services as board_services
    from tracker.requests.models import RecordsRequest, request_watchers

    app = _app(url, folder)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        started = time.perf_counter()
        made = generate_newsroom(db.session, requests=requests, communications=requests * 2, matters=500,
                                 agencies=30, users=40, editor_password=PASSWORD, today=clock.today())
        reporter = made["reporters"][0]
        db.session.execute(update(User).where(User.id == reporter)
                           .values(password_hash=generate_password_hash(PASSWORD, method="scrypt")))
        others = db.session.scalars(select(RecordsRequest.id).where(
            RecordsRequest.private.is_(True), RecordsRequest.owner_id != reporter)
            .order_by(RecordsRequest.id).limit(WATCHED)).all()
        if others:
            db.session.execute(insert(request_watchers), [{"request_id": r, "user_id": reporter} for r in others])
        editor = db.session.get(User, made["editors"][0])
        _share, token = board_services.create_share(actor=editor, now=clock.now_utc(), label="Bench wall screen")
        db.session.commit()
        _analyze()
        print(f"  generated {requests} requests in {time.perf_counter() - started:.1f} s", flush=True)
        reporter_email = db.session.scalar(select(User.email).where(User.id == reporter))
    ids = {"agency": made["agencies"][0], "matter": made["matters"][0], "owner": made["reporters"][1]}
    return app, {"editor": made["editor_emails"][0], "reporter": reporter_email, "token": token, "ids": ids}


CLOCK = time.process_time


class Recorder:
    """Collects the SQL statements the app runs while `on` is set."""

    def __init__(self, engine):
        self.on = False
        self.statements: list[tuple[str, object, bool]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.statements.append((statement, parameters, executemany))


def replay(engine, statements) -> float:
    """The time of the statements alone, run once through the raw DB-API cursor, fetching all rows
    (what the database costs the page, without the app's work around it)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        started = CLOCK()
        for statement, parameters, many in statements:
            (cursor.executemany if many else cursor.execute)(statement, parameters)
            if cursor.description is not None:
                cursor.fetchall()
        elapsed = CLOCK() - started
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return elapsed


class Site:
    """One generated newsroom's app, with a client per viewer, recording the SQL its pages run."""

    def __init__(self, app, who: dict):
        self.app, self.who = app, who
        self.clients = {"editor": self._login(who["editor"]), "reporter": self._login(who["reporter"]),
                        "wall": app.test_client()}
        with app.app_context():
            self.engine = db.engine
        self.recorder = Recorder(self.engine)

    def _login(self, email: str):
        client = self.app.test_client()
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"bench login failed for {email}: {response.status_code}")
        return client

    def url(self, path: str, viewer: str) -> str:
        path = path.format(**self.who["ids"])
        if viewer == "wall":
            path = path.replace("/board", f"/board/shared/{self.who['token']}", 1)
        return path

    def page(self, path: str, viewer: str) -> tuple[float, float, int]:
        """(server time of one GET, its SQL time, its number of statements)."""
        self.recorder.statements = []
        self.recorder.on = True
        started = CLOCK()
        response = self.clients[viewer].get(self.url(path, viewer))
        elapsed = CLOCK() - started
        self.recorder.on = False
        if response.status_code != 200:
            raise SystemExit(f"{self.url(path, viewer)} as {viewer}: HTTP {response.status_code}")
        statements = list(self.recorder.statements)
        return elapsed, replay(self.engine, statements), len(statements)


def cases():
    return [(label, path, viewer) for label, path, viewers in PAGES for viewer in viewers]


def measure(sites: dict[int, Site], repeat: int, pick=statistics.median) -> dict:
    """Medians (or `pick`) of `repeat` rounds; each round times every page for every viewer at every size."""
    samples = {(size, case): [] for size in sites for case in cases()}
    for site in sites.values():
        for _label, path, viewer in cases():
            site.page(path, viewer)  # warm caches (calendars, templates, statements)
    for _ in range(repeat):
        for size, site in sites.items():
            for case in cases():
                samples[(size, case)].append(site.page(case[1], case[2]))
    return {key: (pick([s[0] for s in runs]), pick([s[1] for s in runs]), runs[-1][2])
            for key, runs in samples.items()}


def profile(site: Site) -> None:
    """Each page's statements at this size, timed one by one (median of 3), slowest first."""
    for label, path, viewer in cases():
        site.page(path, viewer)
        statements = list(site.recorder.statements)
        timed = sorted(((statistics.median(replay(site.engine, [s]) for _ in range(3)), s) for s in statements),
                       key=lambda t: -t[0])
        print(f"\n## {label} / {viewer}: {sum(t for t, _s in timed) * 1000:.1f} ms in {len(timed)} statements")
        for elapsed, (statement, parameters, _many) in timed[:3]:
            print(f"{elapsed * 1000:8.2f} ms  {' '.join(statement.split())[:300]}  {str(parameters)[:200]}")


def table(results: dict, small: int, large: int) -> tuple[str, bool]:
    lines = [f"| page | viewer | {small:,} requests | {large:,} requests | ratio | its SQL at {large:,} |",
             "|---|---|---|---|---|---|"]
    failed = False
    for case in cases():
        label, _path, viewer = case
        s_page, _s_sql, _s_n = results[(small, case)]
        l_page, l_sql, l_n = results[(large, case)]
        ratio = l_page / s_page if s_page else float("inf")
        failed |= ratio > GOAL
        lines.append(f"| {label} | {viewer} | {s_page * 1000:.1f} ms | {l_page * 1000:.1f} ms | {ratio:.2f} | "
                     f"{l_n} statements, {l_sql * 1000:.1f} ms |")
    return "\n".join(lines), failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=os.environ.get("TRACKER_BENCH_DATABASE_URL"),
                        help="a PostgreSQL server URL; a fresh database is made per size")
    parser.add_argument("--keep", type=Path, help="keep the newsrooms (see above) and reuse them next time")
    parser.add_argument("--profile", action="store_true", help="print each statement's time at LARGE, slowest first")
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this")
    parser.add_argument("--best", action="store_true",
                        help="the least time of the rounds, not the median (on a machine others share)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if a ratio is above {GOAL:g}")
    args = parser.parse_args(argv)
    global CLOCK, PAGES
    CLOCK = time.perf_counter if args.database_url else time.process_time
    if args.only:
        PAGES = tuple(p for p in PAGES if args.only in p[0])
    where = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{where}, timing with {'wall-clock' if args.database_url else 'CPU'} time, "
          f"{'best' if args.best else 'median'} of {args.repeat}")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        sites = {}
        for size in (args.small, args.large):
            print(f"newsroom of {size} requests:", flush=True)
            kept = args.keep / f"bench_board_{size}.json" if args.keep else None
            if kept is not None and kept.exists():
                sites[size] = Site(*reuse(_kept_url(args.database_url, args.keep, size), folder, kept))
                continue
            if kept is not None:
                url = _kept_url(args.database_url, args.keep, size)
                if args.database_url:
                    _database(args.database_url, make_url(url).database, folder)
            else:
                url = _database(args.database_url, f"bench_board_{size}", folder)
            app, who = build(url, folder, size)
            if kept is not None:
                kept.write_text(json.dumps(who))
            sites[size] = Site(app, who)
        results = measure(sites, args.repeat, min if args.best else statistics.median)
        if args.profile:
            profile(sites[args.large])
        for size, site in sites.items():
            site.engine.dispose()
            if args.database_url and not args.keep:
                _drop(args.database_url, f"bench_board_{size}")

    text_table, failed = table(results, args.small, args.large)
    print(text_table)
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
