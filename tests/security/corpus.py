"""The bad-input corpus and the tools to post it: payloads, raw form and multipart bodies (so invalid UTF-8
reaches the app as bytes), and a snapshot of every table to prove that a refused post changed nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote, quote_from_bytes

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
NUMBERS = ["-5", "-0.01", "1e309", "NaN", "Infinity", "99999999999999999999999", "1,000", "-1", "0x10"]
CHOICES = ["<script>", "99999999999999999999", "-1", "\x00"]


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


def snapshot() -> dict[str, list[str]]:
    """Every row of every table, as text (call inside an app context)."""
    db.session.remove()
    out = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name not in VOLATILE_TABLES:
                out[table.name] = sorted(repr(tuple(row)) for row in conn.execute(table.select()))
    return out


def changed(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


@dataclass
class Findings:
    """What went wrong across a run of posts: 5xx answers, refused posts that changed data."""

    problems: list[str] = field(default_factory=list)
    posts: int = 0

    def check(self, label: str, response, before: dict, after: dict) -> None:
        self.posts += 1
        status = response.status_code
        if status >= 500:
            self.problems.append(f"{label}: {status}")
        elif status >= 400 and (tables := changed(before, after)):
            self.problems.append(f"{label}: refused with {status} but changed {tables}")

    def __bool__(self) -> bool:
        return bool(self.problems)

    def report(self) -> str:
        return f"{len(self.problems)} of {self.posts} posts went wrong:\n" + "\n".join(self.problems[:60])


def json_bytes(value) -> bytes:
    return json.dumps(value).encode()
