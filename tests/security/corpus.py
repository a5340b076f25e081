"""The bad-input corpus and the tools to post it: payloads, raw form and multipart bodies (so invalid UTF-8
reaches the app as bytes), and a snapshot of every table to prove that a refused post changed nothing."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from urllib.parse import quote, quote_from_bytes

import sqlalchemy as sa

from tests.helpers import d, make_request, perform
from tracker.agencies.models import Agency
from tracker.extensions import db

SCRIPT = '<script>window.__pwned=1</script>'
IMG = '<img src=x onerror="window.__pwned=1">'
XSS = f'{SCRIPT}{IMG}"><svg onload=window.__pwned=1>'  # every text field gets this where it is accepted

# Text payloads: name -> str (posted UTF-8) or bytes (posted as they are: invalid UTF-8).
TEXTS: dict[str, str | bytes] = {
    "long": "L" * 250_000,
    "nul": "before\x00after",
    "xss": XSS,
    "controls": "\u202eevil\u200b\x1b[31m\x07\r\n\t\ufeff",
    "invalid_utf8": b"\xff\xfe\xc3\x28 \xed\xa0\x80 bytes",
    "blank": "   ",
    "emoji": "\U0001f4a5 " + "\U0001f600" * 5 + " \U000e0041",
}
DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "-001-01-01", "99999-01-01", "2026-13-01", "1999-12-31", "x"]
NUMBERS = ["-5", "-0.01", "1e309", "NaN", "sNaN", "Infinity", "1e-400", "99999999999999999999999", "1,000", "-1",
           "0x10"]
CHOICES = ["<script>", "99999999999999999999", "-1", "\x00"]


ON = "2026-11-25"  # a valid day for every action: after the steps below, not in the future
# The steps that bring a new request to the status each action starts from.
STEPS = {
    "draft": [],
    "filed": [("file", {"on": d("2026-09-01"), "channel": "portal"})],
    "awaiting_clarification": [("file", {"on": d("2026-09-01"), "channel": "portal"}),
                               ("request_clarification", {"on": d("2026-09-10")})],
    "awaiting_fees": [("file", {"on": d("2026-09-01"), "channel": "portal"}),
                      ("fee_estimate", {"on": d("2026-09-10")})],
    "determined": [("file", {"on": d("2026-09-01"), "channel": "portal"}),
                   ("determine", {"on": d("2026-10-01"), "outcome": "denied"})],
    "appealed": [("file", {"on": d("2026-09-01"), "channel": "portal"}),
                 ("determine", {"on": d("2026-10-01"), "outcome": "denied"}), ("appeal", {"on": d("2026-10-10")})],
    "in_mediation": [("file", {"on": d("2026-09-01"), "channel": "portal"}), ("mediate", {"on": d("2026-10-01")})],
    "closed": [("file", {"on": d("2026-09-01"), "channel": "portal"}),
               ("determine", {"on": d("2026-10-01"), "outcome": "granted_in_full"}),
               ("close", {"on": d("2026-10-05")})],
}
ACTIONS = {  # action -> (status it starts from, the valid fields it needs)
    "file": ("draft", {"channel": "portal"}), "acknowledge": ("filed", {}), "request_clarification": ("filed", {}),
    "answer_clarification": ("awaiting_clarification", {}), "fee_estimate": ("filed", {"amount": "25"}),
    "fee_agreed": ("awaiting_fees", {"amount": "25"}), "extend": ("filed", {}),
    "determine": ("filed", {"outcome": "granted_in_part"}), "appeal": ("determined", {}),
    "appeal_extend": ("appealed", {}), "decide_appeal": ("appealed", {"outcome": "affirmed"}),
    "mediate": ("filed", {}), "end_mediation": ("in_mediation", {}), "sue": ("filed", {}), "close": ("determined", {}),
    "withdraw": ("filed", {}), "reopen": ("closed", {}),
}
TAKEN = "2026-ICFO-00042"  # the public request's tracking number, at the same agency


def request_in(status: str):
    def make(world) -> int:
        req = make_request(world.ids["reporter"], db.session.get(Agency, world.ids["agency"]), title="Corpus target")
        for action, fields in STEPS[status]:
            perform(req, action, world.ids["reporter"], **fields)
        db.session.commit()
        return req.id
    return make




def pairs_body(pairs: list[tuple[str, str | bytes]], *, raw: bool = False) -> bytes:
    """An application/x-www-form-urlencoded body; bytes values are sent percent-encoded, or raw."""
    out = []
    for key, value in pairs:
        if isinstance(value, bytes):
            encoded = value if raw else quote_from_bytes(value).encode()
        else:
            encoded = quote(value, safe="").encode()
        out.append(quote(key, safe="").encode() + b"=" + encoded)
    return b"&".join(out)


def multipart_body(pairs: list[tuple[str, str | bytes]],
                   files: list[tuple[str, bytes, bytes]] = ()) -> tuple[bytes, str]:
    """A multipart/form-data body from text pairs and (field, filename bytes, content) files, byte for byte."""
    boundary = "----securitycorpus7731"
    chunks = []
    for key, value in pairs:
        data = value if isinstance(value, bytes) else value.encode()
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode() + data + b"\r\n")
    for key, filename, content in files:
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="'.encode() + filename
                      + b'"\r\nContent-Type: application/octet-stream\r\n\r\n' + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


# Rows that change without anyone changing data: the audit trail of views, login failures.
VOLATILE_TABLES = {"audit_entries", "login_failures"}
VOLATILE_COLUMNS = {"last_used_at"}  # a token's or a link's "last used", noted when it is presented


def snapshot() -> dict[str, list[str]]:
    """Every row of every table, as text (call inside an app context), read by one statement: the corpus takes
    a snapshot after every post, and one statement per table was most of its time."""
    db.session.remove()
    out: dict[str, list[str]] = {name: [] for name in _snapshot_tables()}
    with db.engine.connect() as conn:
        for name, row in conn.execute(_snapshot_statement(conn.dialect.name)):
            out[name].append(row)
    return {name: sorted(rows) for name, rows in out.items()}


def _snapshot_tables() -> list[str]:
    return [t.name for t in db.metadata.sorted_tables if t.name not in VOLATILE_TABLES]


@functools.cache
def _snapshot_statement(dialect_name: str):
    """Each table's rows as (table name, the row as text): PostgreSQL's text of a ROW, SQLite's quote() of each
    column; either way every value, NULL included, written exactly. Written as SQL text: SQLite's parser has no
    room for the nesting that twenty columns joined by SQLAlchemy's || operators make."""
    quote = db.engine.dialect.identifier_preparer.quote
    parts = []
    for table in db.metadata.sorted_tables:
        if table.name in VOLATILE_TABLES:
            continue
        columns = [quote(c.name) for c in table.columns if c.name not in VOLATILE_COLUMNS]
        row = (f"CAST(ROW({', '.join(columns)}) AS TEXT)" if dialect_name == "postgresql"
               else " || ',' || ".join(f"quote({c})" for c in columns))
        # the names are the tables' and columns' own, never input
        parts.append(f"SELECT '{table.name}' AS name, {row} AS row FROM {quote(table.name)}")  # noqa: S608
    return sa.text(" UNION ALL ".join(parts))


def changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


@dataclass
class Findings:
    """What went wrong across a run of posts: 5xx answers, refused posts that changed data."""

    problems: list[str] = field(default_factory=list)
    posts: int = 0

    def check(self, label: str, response, before: dict, after: dict, *, refused: bool | None = None) -> None:
        """`refused`: whether the app refused the post (by default: a 4xx)."""
        self.posts += 1
        status = response.status_code
        refused = status >= 400 if refused is None else refused
        if status >= 500:
            self.problems.append(f"{label}: {status}")
        elif refused and (tables := changed(before, after)):
            self.problems.append(f"{label}: refused with {status} but changed {tables}")

    def __bool__(self) -> bool:
        return bool(self.problems)

    def report(self) -> str:
        return f"{len(self.problems)} of {self.posts} posts went wrong:\n" + "\n".join(self.problems[:60])


def json_bytes(value) -> bytes:
    return json.dumps(value).encode()
