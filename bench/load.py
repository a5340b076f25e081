"""Benchmark: the newsroom under load, optionally with database connections cut while it runs.

    python bench/load.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--requests 10000]
                         [--users 20] [--seconds 60] [--workers 4] [--cuts 4] [--worker-class sync|gthread]
                         [--threads 2]

Generates the synthetic newsroom (bench/newsroom.py) in a fresh PostgreSQL database, starts gunicorn with WORKERS
sync workers on it (as the README runs them; `--worker-class gthread` for workers of THREADS threads, which keep
connections alive: the same throughput here and a longer tail, 402 against 262 ms at p95), and runs USERS
concurrent users without think time for SECONDS, each signed in on the web and holding an API token, mixing reads
(request list, the list with filters, a request page, the board, the ledger, API reads) and writes (create a
request, file it, record a communication; the API writes carry an Idempotency-Key). With --cuts N, every backend of
the database is terminated (pg_terminate_backend) N times, evenly spread over the run.

It prints the throughput and p50/p95/p99 per endpoint, the statuses, then checks the database: every write
acknowledged with a 2xx must be there, and no write answered "nothing was saved" may be there. Goal: at least 150
requests/s with p95 under 200 ms and no errors; with cuts: no 500, only 503 with Retry-After, no write reported
failed that was saved, no acknowledged write lost. It also prints the CPU time per request of the gunicorn
processes, the database's backends and the load generator itself (psutil), which a busy machine distorts
less than the wall-clock figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.board import fresh_postgres  # noqa: E402
from bench.newsroom import generate_newsroom  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.core import clock  # noqa: E402
from tracker.extensions import db  # noqa: E402

PASSWORD = "load test password"
READS = (("list", 20), ("list_filtered", 10), ("request_page", 20), ("board", 5), ("ledger", 5),
         ("api_list", 10), ("api_request", 10))
WRITES = (("create", 8), ("file", 6), ("communication", 6))


def build(url: str, folder: Path, requests: int, users: int) -> dict:
    from werkzeug.security import generate_password_hash

    from tracker.auth import api_tokens
    from tracker.auth.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench-load",
                      "TRACKER_UPLOAD_DIR": str(folder / "uploads")})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        started = time.perf_counter()
        made = generate_newsroom(db.session, requests=requests, communications=requests * 10, matters=500,
                                 agencies=30, users=users, today=clock.today())
        quick = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # logins are not what is measured
        people = []
        for user_id in made["reporters"][:users]:
            user = db.session.get(User, user_id)
            user.password_hash = quick
            _token, secret = api_tokens.create_token(user, "load", now=clock.now_utc())
            people.append({"email": user.email, "token": secret, "id": user.id})
        agency_ids = [row[0] for row in db.session.execute(text("SELECT id FROM agencies"))]
        request_ids = [row[0] for row in db.session.execute(
            text("SELECT id FROM requests WHERE NOT private ORDER BY id"))]
        db.session.commit()
        # The derived counts as a newsroom that has been serving keeps them: the board's windows brought to today
        # and every matter's ledger summary computed. The generator leaves both to the first reads, which would
        # count all 10,000 requests inside the measured minute.
        from tracker.board import windows
        from tracker.ledger import summaries

        windows.current(db.session, clock.today())
        summaries.refresh()
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))  # as autovacuum leaves a live database: visibility map set
        print(f"generated {requests} requests in {time.perf_counter() - started:.1f} s", flush=True)
        db.engine.dispose()
    return {"people": people, "agencies": agency_ids, "requests": request_ids}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, folder: Path, workers: int, worker_class: str = "sync",
                   threads: int = 2) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_SECRET_KEY": "bench-load",
           "TRACKER_UPLOAD_DIR": str(folder / "uploads")}
    # gthread workers keep each user's connection open between requests (sync workers close every one); the
    # keep-alive outlasts any pause in the run.
    threading_options = ["--threads", str(threads), "--keep-alive", "75"] if worker_class == "gthread" else []
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", worker_class,
                                *threading_options, "-b", f"127.0.0.1:{port}", "--timeout", "120",
                                "--log-level", "warning", "--error-logfile",
                                str(folder / "gunicorn.log"), "wsgi:app"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=open(folder / "gunicorn.log", "a"))  # noqa: SIM115
    print(f"gunicorn's log: {folder / 'gunicorn.log'}", flush=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


class User:
    """One user of the load: their own keep-alive HTTP connection and cookies, as a browser holds them. Cheap on
    purpose: the load generator shares the machine's CPU with the server, and every millisecond it spends per
    request is one the server does not get."""

    def __init__(self, base: str, person: dict, world: dict, seed: int):
        self.base, self.person, self.world = base, person, world
        self.rng = random.Random(seed)
        self.address = urllib.parse.urlsplit(base).netloc
        self.connection = http.client.HTTPConnection(self.address, timeout=60)
        self.cookies: dict[str, str] = {}
        self.mine: list[int] = []  # requests this user created (drafts, then filed)
        self.login()

    def call(self, method: str, path: str, *, body=None, api=False, form=None, headers=None):
        data, all_headers = None, dict(headers or {})
        if api:
            all_headers["Authorization"] = f"Bearer {self.person['token']}"
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            response = self._send(method, path, data, all_headers)
        except (http.client.RemoteDisconnected, ConnectionError) as exc:
            self.connection.close()
            if method != "GET":  # never resent: whether the server acted is unknown; counted as failed (status 0)
                return 0, str(exc).encode(), {}
            response = self._send(method, path, data, all_headers)  # a kept-alive connection the server had closed
        for cookie in response.headers.get_all("Set-Cookie") or ():
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            if re.search(r"max-age=0\b", attributes, re.IGNORECASE):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response.status, response.read(), response.headers

    def _send(self, method, path, data, headers) -> http.client.HTTPResponse:
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        if response.will_close:  # read the body first; the next request opens a new connection
            body = response.read()
            self.connection.close()
            response.read = lambda: body
        return response

    def close(self) -> None:
        self.connection.close()

    def login(self) -> None:
        _status, page, _h = self.call("GET", "/login")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
        status, _b, _h = self.call("POST", "/login", form={"csrf_token": token, "email": self.person["email"],
                                                           "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"could not log in as {self.person['email']}: {status}")

    def one(self) -> tuple[str, int, float, dict]:
        kind = self.rng.choices([k for k, _ in READS + WRITES], [w for _, w in READS + WRITES])[0]
        if kind in ("file", "communication") and not self.mine:
            kind = "create"
        started = time.perf_counter()
        status, body, headers, write = self._do(kind)
        elapsed = time.perf_counter() - started
        if write is not None:
            write.update(status=status, retry_after=headers.get("Retry-After"), answer=_error(body))
            if kind == "create" and 200 <= status < 300:
                self.mine.append(json.loads(body)["id"])
                write["id"] = self.mine[-1]
        return kind, status, elapsed, write

    def _do(self, kind: str):
        rng, world = self.rng, self.world
        if kind == "list":
            return (*self.call("GET", "/requests"), None)
        if kind == "list_filtered":
            return (*self.call("GET", f"/requests?status=acknowledged&agency_id={rng.choice(world['agencies'])}"), None)
        if kind == "request_page":
            return (*self.call("GET", f"/requests/{rng.choice(world['requests'])}"), None)
        if kind == "board":
            return (*self.call("GET", "/board"), None)
        if kind == "ledger":
            return (*self.call("GET", "/matters"), None)
        if kind == "api_list":
            return (*self.call("GET", "/api/v1/requests?per_page=50&status=acknowledged", api=True), None)
        if kind == "api_request":
            return (*self.call("GET", f"/api/v1/requests/{rng.choice(world['requests'])}", api=True), None)
        marker = f"load-{uuid.uuid4().hex}"
        key = {"Idempotency-Key": marker}
        if kind == "create":
            write = {"kind": kind, "marker": marker}
            return (*self.call("POST", "/api/v1/requests", api=True, headers=key, body={
                "title": f"Load test request {marker}", "agency_id": rng.choice(world["agencies"])}), write)
        target = rng.choice(self.mine)
        if kind == "file":
            self.mine.remove(target)  # filed once
            write = {"kind": kind, "marker": marker, "id": target}
            return (*self.call("POST", f"/api/v1/requests/{target}/actions/file", api=True, headers=key, body={
                "on": clock.today().isoformat(), "channel": "portal"}), write)
        write = {"kind": kind, "marker": marker, "id": target}
        return (*self.call("POST", f"/api/v1/requests/{target}/communications", api=True, headers=key, body={
            "direction": "out", "channel": "email", "occurred_on": clock.today().isoformat(),
            "subject": f"Follow-up {marker}", "body": "Checking on the status."}), write)


def _error(body: bytes) -> str:
    try:
        return json.loads(body).get("error", {}).get("code", "")
    except (ValueError, AttributeError):
        return ""


def cut_connections(url: str, database: str) -> int:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": database}).scalar()
    admin.dispose()
    return killed


def cpu_seconds(pids) -> dict[int, float]:
    """CPU time (user + system) each live process has used so far."""
    used = {}
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:
            continue  # ended meanwhile
        used[pid] = times.user + times.system
    return used


def server_pids(master: int) -> list[int]:
    """The gunicorn master and its workers."""
    return [master, *(child.pid for child in psutil.Process(master).children())]


def backend_pids(url: str, database: str) -> list[int]:
    """The PostgreSQL backends serving the database (the server runs on this machine)."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        pids = list(conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :db "
                                      "AND pid <> pg_backend_pid()"), {"db": database}).scalars())
    admin.dispose()
    return pids


def cpu_snapshot(server: subprocess.Popen, url: str, database: str) -> dict:
    return {"server": cpu_seconds(server_pids(server.pid)), "database": cpu_seconds(backend_pids(url, database)),
            "client": {0: time.process_time()}}


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds each side used between two snapshots; processes started meanwhile count whole (a backend
    ended by a cut is missing from the second snapshot, so with --cuts the database's share is a lower bound)."""
    return {side: sum(seconds - before[side].get(pid, 0.0) for pid, seconds in after[side].items())
            for side in after}


def check(url: str, writes: list[dict]) -> dict:
    engine = create_engine(url)
    result = Counter()
    with engine.connect() as conn:
        for write in writes:
            acknowledged = 200 <= write["status"] < 300
            if write["kind"] == "create":
                saved = conn.execute(text("SELECT count(*) FROM requests WHERE title = :t"),
                                     {"t": f"Load test request {write['marker']}"}).scalar()
            elif write["kind"] == "communication":
                saved = conn.execute(text("SELECT count(*) FROM communications WHERE subject = :s"),
                                     {"s": f"Follow-up {write['marker']}"}).scalar()
            else:
                saved = conn.execute(text("SELECT count(*) FROM events WHERE request_id = :i AND to_status = "
                                          "'filed'"), {"i": write["id"]}).scalar()
            if acknowledged and saved != 1:
                result["lost" if saved == 0 else "duplicated"] += 1
            if not acknowledged and write["answer"] == "database_busy" and saved:
                result["said_unsaved_but_saved"] += 1
            if write["status"] == 503 and not write["retry_after"]:
                result["503_without_retry_after"] += 1
    engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--cuts", type=int, default=0)
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    args = parser.parse_args()

    name = f"{make_url(args.database_url).database}_load_{os.getpid()}"
    url = fresh_postgres(args.database_url, name)
    folder = Path(tempfile.mkdtemp(prefix="tracker-load-"))
    world = build(url, folder, args.requests, args.users)
    server, base = start_gunicorn(url, folder, args.workers, args.worker_class, args.threads)
    samples: dict[str, list[float]] = defaultdict(list)
    statuses: Counter = Counter()
    writes: list[dict] = []
    lock = threading.Lock()
    try:
        users = [User(base, person, world, seed) for seed, person in enumerate(world["people"])]
        stop_at = time.monotonic() + args.seconds

        def run(user: User) -> None:
            while time.monotonic() < stop_at:
                kind, status, elapsed, write = user.one()
                with lock:
                    samples[kind].append(elapsed)
                    statuses[(kind, status)] += 1
                    if write is not None:
                        writes.append(write)

        threads = [threading.Thread(target=run, args=(u,)) for u in users]
        cpu_before = cpu_snapshot(server, url, name)
        started = time.monotonic()
        for thread in threads:
            thread.start()
        killed = []
        for n in range(args.cuts):
            time.sleep(max(started + args.seconds * (n + 1) / (args.cuts + 1) - time.monotonic(), 0))
            killed.append(cut_connections(args.database_url, name))
        for thread in threads:
            thread.join()
        for user in users:
            user.close()
        elapsed = time.monotonic() - started
        cpu = cpu_used(cpu_before, cpu_snapshot(server, url, name))
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    total = sum(len(v) for v in samples.values())
    workers = f"{args.workers} gunicorn {args.worker_class} workers" + (
        f" of {args.threads} threads" if args.worker_class == "gthread" else "")
    print(f"\n{args.users} users, {workers}, {args.requests} requests in the newsroom, "
          f"{elapsed:.0f} s" + (f", connections cut {args.cuts} times ({', '.join(map(str, killed))} backends)"
                               if args.cuts else ""))
    print(f"throughput: {total / elapsed:.0f} requests/s (goal: at least 150)")
    print(f"{'endpoint':<16}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    everything = []
    for kind, values in sorted(samples.items()):
        everything += values
        q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        print(f"{kind:<16}{len(values):>7}{q[49] * 1000:>9.0f}{q[94] * 1000:>9.0f}{q[98] * 1000:>9.0f}")
    q = statistics.quantiles(everything, n=100)
    print(f"{'all':<16}{len(everything):>7}{q[49] * 1000:>9.0f}{q[94] * 1000:>9.0f}{q[98] * 1000:>9.0f}"
          "   (goal: p95 under 200 ms)")
    per_request = {side: seconds / total * 1000 for side, seconds in cpu.items()}
    print(f"CPU per request: server {per_request['server']:.1f} ms, PostgreSQL {per_request['database']:.1f}"
          f" ms, load generator {per_request['client']:.1f} ms; total {sum(per_request.values()):.1f} ms"
          f" ({os.cpu_count()} cores; {os.getloadavg()[0]:.1f} runnable on average over the last minute)")
    by_status = Counter()
    for (_kind, status), count in statuses.items():
        by_status[status] += count
    print("statuses:", ", ".join(f"{s}: {c}" for s, c in sorted(by_status.items())))
    problems = check(url, writes)
    acknowledged = sum(1 for w in writes if 200 <= w["status"] < 300)
    print(f"writes: {len(writes)} sent, {acknowledged} acknowledged; lost {problems['lost']}, "
          f"duplicated {problems['duplicated']}, answered 'nothing was saved' but saved "
          f"{problems['said_unsaved_but_saved']}, 503 without Retry-After {problems['503_without_retry_after']}")
    print(f"500s: {by_status.get(500, 0)}")
    admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


if __name__ == "__main__":
    main()
