"""Benchmark: fetch, store, thread and read agency mail from a real Dovecot, against the bare IMAP fetch and
`email` parse of the same messages in the same run.

    python bench/mail.py [--messages 1000] [--rounds 2] [--database-url URL]

Starts a throwaway Dovecot on loopback (tests/mail/dovecot.py), appends MESSAGES agency messages (half of them
with a one-page PDF letter that has a text layer; a third addressed to a request's reply address, the rest
naming a tracking number), then, in alternating rounds:
- bare: imaplib UID FETCH of every message (batches of 25) and BytesParser(policy=default) of each, reading
  every part's content;
- tracker: `fetch_mail()` into a fresh database: store the raw .eml, parse, extract PDF text, thread, file
  the Communication and its attachments, propose, commit each IMAP batch, flag it on the server.
Prints the best time of each and the ratio tracker / bare (goal: at most 3). PDF text extraction is
included; OCR is not (scans are left for the documents module's OCR job and reported apart as zero here).
Times are wall-clock: the IMAP server works in other processes, and the PDF text is read in a child process
while the tracker parses the batch's other messages and writes the batch before it, so its time is shown but not
subtracted. Also printed:
the CPU time of the tracker's own process, and its SQL statements per message.
"""

from __future__ import annotations

import argparse
import imaplib
import sys
import tempfile
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.board import _drop, fresh_postgres  # noqa: E402
from tests.mail.dovecot import Dovecot  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402

GOAL = 3.0
REQUESTS = 200


def one_page_pdf(number: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"""<h2>U.S. Immigration and Customs Enforcement</h2><p>RE: ICE FOIA Case Number {number}</p>
<p>This is the final response to your Freedom of Information Act request. Of the 412 pages located, 388 pages
are released in part and 24 pages are withheld in full pursuant to Exemptions (b)(6), (b)(7)(C) and (b)(7)(E).
You may appeal within 90 days of the date of this letter.</p>""").write_pdf()


def messages(count: int, tokens: list[str]) -> list[bytes]:
    from datetime import UTC, datetime, timedelta

    pdfs = [one_page_pdf(f"2026-ICFO-{i:05d}") for i in range(10)]
    out = []
    start = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    for i in range(count):
        number = f"2026-ICFO-{i % 10 if i % 2 == 0 else i % REQUESTS:05d}"  # a PDF letter names its own number
        msg = EmailMessage(policy=policy.SMTP)
        msg["From"] = '"ICE FOIA Office" <ice-foia@ice.dhs.gov>'
        msg["To"] = f"foia+{tokens[i % REQUESTS]}@newsroom.example" if i % 3 == 0 else "foia@newsroom.example"
        msg["Subject"] = f"ICE FOIA Request {number} update {i}"
        msg["Date"] = format_datetime(start + timedelta(minutes=7 * i))
        msg["Message-ID"] = f"<bench-{i}@ice.dhs.gov>"
        msg.set_content(f"This is about your FOIA request {number}. The estimated date of completion is "
                        f"February 26, 2027.\n\nICE FOIA Office\n500 12th Street SW\nWashington, DC 20536\n")
        if i % 2 == 0:
            msg.add_attachment(pdfs[i % 10], maintype="application", subtype="pdf", filename=f"{number} letter.pdf")
        out.append(msg.as_bytes())
    return out


def bare(server: Dovecot) -> float:
    began = time.perf_counter()
    client = imaplib.IMAP4(server.host, server.port, timeout=60)
    client.login(server.user, server.password)
    client.select("INBOX")
    _, data = client.uid("SEARCH", None, "ALL")
    uids = data[0].split()
    parser = BytesParser(policy=policy.default)
    for start in range(0, len(uids), 25):
        _, fetched = client.uid("FETCH", b",".join(uids[start:start + 25]).decode(), "(UID BODY.PEEK[])")
        for item in fetched:
            if isinstance(item, tuple):
                msg = parser.parsebytes(item[1])
                for part in msg.walk():
                    if not part.is_multipart():
                        part.get_content()
    client.logout()
    return time.perf_counter() - began


MADE: list[str] = []  # the PostgreSQL databases this run made, dropped at its end


def _database(base_url: str | None, name: str, folder: Path) -> str:
    if not base_url:
        return f"sqlite:///{folder / f'{name}.sqlite'}"
    # under the named database's name: runs of the bench against one server with different databases do not
    # drop each other's
    MADE.append(f"{make_url(base_url).database or 'postgres'}_{name}")
    return fresh_postgres(base_url, MADE[-1])


def tracker_app(server: Dovecot, url: str, folder: Path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TRACKER_UPLOAD_DIR": str(folder),
                      "TRACKER_MAIL_ADDRESS": "foia@newsroom.example", **server.settings()})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app


def seed(app, tokens: list[str] | None = None) -> list[str]:
    from tracker.agencies.models import Agency
    from tracker.auth.models import Role, User
    from tracker.requests.models import RecordsRequest, TrackingNumber, new_reply_token

    with app.app_context():
        owner = User(name="Bench Reporter", email="bench@newsroom.example", role=Role.REPORTER,
                     password_hash="x")
        ice = Agency(name="ICE FOIA Office", abbreviation="ICE", jurisdiction="US-DHS",
                     mail_domains="ice.dhs.gov, dhs.gov")
        db.session.add_all([owner, ice])
        made = []
        for i in range(REQUESTS):
            req = RecordsRequest(title=f"Bench request {i}", agency=ice, owner=owner, status="acknowledged",
                                 deadline_provenance={}, reply_token=tokens[i] if tokens else new_reply_token())
            db.session.flush()
            req.tracking_numbers.append(TrackingNumber(agency_id=ice.id, number=f"2026-ICFO-{i:05d}", kind="request"))
            db.session.add(req)
            made.append(req.reply_token)
        db.session.commit()
        return made


PDF_SECONDS = [0.0]
STATEMENTS = [0]
CPU_SECONDS = [0.0]  # the tracker's own process (not Dovecot, not the PDF reader): steadier on a busy machine


def _timed_pdf_text():
    """Wrap the PDF text reading the fetch does (documents.quick_text, in its child process), to report its share."""
    from tracker.documents.quick_text import QuickText

    real = QuickText._exchange  # every exchange with the child: one PDF (pages) or a batch's (submitted, gathered)

    def timed(self, jobs):
        began = time.perf_counter()
        try:
            return real(self, jobs)
        finally:
            PDF_SECONDS[0] += time.perf_counter() - began

    QuickText._exchange = timed


def tracked(app) -> tuple[float, object]:
    from tracker.mail.fetch import fetch_mail

    def count(*_args):
        STATEMENTS[0] += 1

    with app.app_context():
        PDF_SECONDS[0], STATEMENTS[0] = 0.0, 0
        event.listen(db.engine, "before_cursor_execute", count)
        began, cpu = time.perf_counter(), time.process_time()
        result = fetch_mail()
        elapsed = time.perf_counter() - began
        CPU_SECONDS[0] = time.process_time() - cpu
        event.remove(db.engine, "before_cursor_execute", count)
        db.session.remove()
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--folder", default=None,
                        help="where the tracker's files and SQLite databases go (default: the system's temporary "
                             "folder; a /tmp that is slow to create files in slows the tracker's writer thread)")
    args = parser.parse_args()
    try:
        run(args)
    finally:
        for name in MADE:
            _drop(args.database_url, name)


def run(args) -> None:
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp, Dovecot.start() as server:
        folder = Path(tmp)
        tokens_app = tracker_app(server, _database(args.database_url, "bench_mail_seed", folder), folder / "seed")
        tokens = seed(tokens_app)
        print(f"Appending {args.messages} messages to Dovecot ({args.messages // 2} with a one-page PDF)…")
        raws = messages(args.messages, tokens)
        for start in range(0, len(raws), 100):
            server.append(*raws[start:start + 100])
        _timed_pdf_text()
        bare_times, tracker_times, pdf_times = [], [], []
        for round_ in range(args.rounds):
            bare_times.append(bare(server))
            name = f"bench_mail_{round_}"
            app = tracker_app(server, _database(args.database_url, name, folder), folder / name)
            seed(app, tokens)  # the same reply tokens as the messages carry
            client = server.connect()  # unflag, so the round reads the same messages
            client.select("INBOX")
            client.store("1:*", "-FLAGS", "(\\Seen)")
            client.logout()
            elapsed, result = tracked(app)
            assert result.fetched == args.messages and not result.problems, result.summary
            tracker_times.append(elapsed)
            pdf_times.append(PDF_SECONDS[0])
            print(f"  round {round_ + 1}: bare {bare_times[-1]:.2f} s, tracker {elapsed:.2f} s (CPU in its process "
                  f"{CPU_SECONDS[0]:.2f} s, {STATEMENTS[0] / args.messages:.1f} SQL statements/message), PDF text "
                  f"read meanwhile {PDF_SECONDS[0]:.2f} s ({result.summary})")
        best_bare, best_tracker = min(bare_times), min(tracker_times)
        ratio = best_tracker / best_bare
        print(f"bare IMAP fetch + email parse: {best_bare:.2f} s ({best_bare / args.messages * 1000:.2f} ms/message)")
        print(f"tracker fetch, store, thread, read: {best_tracker:.2f} s "
              f"({best_tracker / args.messages * 1000:.2f} ms/message)")
        print(f"ratio tracker / bare: {ratio:.1f}x (goal <= {GOAL:.0f}x) {'OK' if ratio <= GOAL else 'OVER'}")
        best = tracker_times.index(best_tracker)
        print(f"  PDF text (PyMuPDF in a child process, while messages are parsed and the batch before is written): "
              f"{pdf_times[best]:.2f} s")
        print("OCR: not part of the fetch (scans are left to the documents OCR job): 0 s")


if __name__ == "__main__":
    main()
