"""Fixtures for mail tests: a real Dovecot IMAP server on loopback (one per test session and worker), an
empty INBOX for each test, the app pointed at it, and the corpus of agency mail."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mail.dovecot import Dovecot

CORPUS = Path(__file__).parent / "corpus"
MAILBOX = "foia@newsroom.example"


def corpus_message(name: str, token: str = "nomatch2345") -> bytes:
    """A message of tests/mail/corpus by name, its reply address tagged with `token`."""
    return (CORPUS / f"{name}.eml").read_bytes().replace(b"REPLYTOKEN", token.encode())


def corpus_names() -> list[str]:
    return sorted(p.stem for p in CORPUS.glob("*.eml"))


@pytest.fixture(scope="session")
def dovecot_server():
    server = Dovecot.start()
    yield server
    server.stop()


@pytest.fixture
def dovecot(app, dovecot_server):
    """The session's Dovecot with an empty INBOX, and the app fetching from it; settings restored afterwards."""
    client = dovecot_server.connect()
    try:
        client.select("INBOX")
        client.store("1:*", "+FLAGS", "(\\Deleted)")
        client.expunge()
    except Exception:  # noqa: BLE001  (an empty INBOX answers "no messages" to 1:*)
        pass
    finally:
        client.logout()
    keys = ("TRACKER_IMAP_HOST", "TRACKER_IMAP_PORT", "TRACKER_IMAP_USER", "TRACKER_IMAP_PASSWORD",
            "TRACKER_IMAP_SSL", "TRACKER_IMAP_FOLDER", "TRACKER_MAIL_ADDRESS", "TRACKER_IMAP_TIMEOUT",
            "MAX_CONTENT_LENGTH")
    saved = {k: app.config.get(k) for k in keys}
    app.config.update(dovecot_server.settings())
    app.config.update(TRACKER_MAIL_ADDRESS=MAILBOX, TRACKER_IMAP_TIMEOUT=10)
    yield dovecot_server
    for key, value in saved.items():
        if value is None:
            app.config.pop(key, None)
        else:
            app.config[key] = value
