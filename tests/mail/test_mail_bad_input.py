"""Bad mail and a bad server: each message is stored (or left for the next fetch) with a clear note, the fetch
goes on, nothing is lost or stored twice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from tests.mail.conftest import corpus_message, corpus_names
from tests.mail.dovecot import FlakyProxy
from tests.mail.world import build
from tracker.extensions import db
from tracker.mail.fetch import fetch_mail
from tracker.mail.models import IncomingMessage
from tracker.requests.models import Attachment

NOW = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


def _head(subject: bytes, msgid: bytes, extra: bytes = b"", to: bytes = b"foia@newsroom.example") -> bytes:
    return (b"From: ICE FOIA Office <ice-foia@ice.dhs.gov>\r\nTo: " + to + b"\r\nSubject: " + subject +
            b"\r\nDate: Thu, 03 Dec 2026 10:00:00 -0500\r\nMessage-ID: " + msgid + b"\r\n" + extra)


def bad_messages(token: str) -> dict[str, bytes]:
    to = f"foia+{token}@newsroom.example".encode()
    return {
        "malformed_mime": _head(b"Broken 2026-ICFO-01234", b"<broken@x>", b"MIME-Version: 1.0\r\nContent-Type: "
                                b"multipart/mixed; boundary=\"zzz\"\r\n", to) +
        b"\r\n--zzz\r\nContent-Type: text/plain\r\n\r\nThe letter for 2026-ICFO-01234.\r\n--zzz\r\nContent-Type: "
        b"application/pdf; name=\"cut.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLj!!!not base64",
        "unknown_charset": _head(b"Charset", b"<charset@x>", b"Content-Type: text/plain; charset=\"x-klingon\"\r\n",
                                 to) + b"\r\nPe\xf1a letter about 2026-ICFO-01234.\r\n",
        "no_charset_8bit": _head(b"No charset", b"<8bit@x>", b"Content-Type: text/plain\r\n"
                                 b"Content-Transfer-Encoding: 8bit\r\n", to) + b"\r\nResoluci\xf3n final.\r\n",
        "encoded_words": _head(b"=?utf-8?q?Resoluci=C3=B3n_2026-ICFO-01234?= =?x-unknown?b?////?=", b"<ew@x>",
                               b"", to) + b"\r\nbody\r\n",
        "raw_8bit_headers": (b"From: Oficina de Pe\xc3\xb1a <foia@ice.dhs.gov>\r\nTo: " + to +
                             b"\r\nSubject: Caf\xe9 \xc3\xb1 r\xe9sum\xe9\r\nDate: garbage date\r\n"
                             b"Message-ID: <8bit-headers@x>\r\n\r\nText.\r\n"),
        "bad_addresses": (b"From: \"unterminated <<@@>>\r\nTo: ,,,@,\r\nSubject: bad addresses 2026-ICFO-01234\r\n"
                          b"Message-ID: <bad-addr@x>\r\n\r\nText.\r\n"),
        "no_message_id": (b"From: ICE <ice-foia@ice.dhs.gov>\r\nTo: " + to + b"\r\nSubject: No id\r\n\r\nHi.\r\n"),
        "path_names": _head(b"Names", b"<names@x>", b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
                            b"boundary=\"b\"\r\n", to) +
        b"\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b\r\nContent-Type: text/plain; "
        b"name=\"../../x\"\r\nContent-Disposition: attachment; filename=\"../../x\"\r\n\r\nowned\r\n--b\r\n"
        b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; "
        b"filename=\"..\\\\..\\\\evil\x00.pdf\"\r\n\r\nMZ\r\n--b--\r\n",
        "nested_forward": (b"From: Sam Reporter <reporter@test.example>\r\nTo: foia@newsroom.example\r\n"
                           b"Subject: Fwd: Fwd: letter\r\nMessage-ID: <nested@x>\r\n\r\nFrom my colleague.\r\n\r\n"
                           b"---------- Forwarded message ---------\r\nFrom: Other Reporter "
                           b"<other_reporter@test.example>\r\nDate: Thu, Dec 3, 2026 at 9:00 AM\r\nSubject: Fwd: "
                           b"letter\r\nTo: Sam <reporter@test.example>\r\n\r\nsee below\r\n\r\n"
                           b"---------- Forwarded message ---------\r\nFrom: ICE FOIA Office "
                           b"<ice-foia@ice.dhs.gov>\r\nDate: Wed, Dec 2, 2026 at 4:15 PM\r\nSubject: 2026-ICFO-00881 "
                           b"status\r\nTo: Other <other@gmail.com>\r\n\r\nYour request 2026-ICFO-00881 is in "
                           b"process.\r\n"),
    }


def test_bad_mail_is_kept_with_notes(app, ctx, users, dovecot, clock, monkeypatch):
    world = build(users)
    messages = bad_messages(world.tokens[world.denver])
    big = (_head(b"Big attachment", b"<big@x>", b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
                 b"boundary=\"b\"\r\n", f"foia+{world.tokens[world.denver]}@newsroom.example".encode()) +
           b"\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe records are attached.\r\n--b\r\nContent-Type: "
           b"application/pdf\r\nContent-Disposition: attachment; filename=\"records.pdf\"\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\n" + b"QUFB" * (3 * 1024 * 1024 // 4) + b"\r\n--b--\r\n")
    crash = _head(b"Makes the reader raise", b"<raise@x>") + b"\r\nRAISE-ME\r\n"
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024  # a 2 MB limit stands in for 25 MB (the fixture restores it)
    from tracker.mail import services

    real_parse = services.parse

    def parse(raw, **kwargs):
        if b"RAISE-ME" in raw:
            raise RecursionError("maximum recursion depth exceeded")
        return real_parse(raw, **kwargs)

    monkeypatch.setattr(services, "parse", parse)
    dovecot.append(*messages.values(), big, crash)
    result = fetch_mail()
    total = len(messages) + 2
    assert (result.fetched, result.problems) == (total, [])
    rows = {m.message_id or m.subject: m for m in db.session.scalars(select(IncomingMessage))}
    assert len(rows) == total

    assert rows["<broken@x>"].request_id == world.denver and "2026-ICFO-01234" in rows["<broken@x>"].body_text
    charset = rows["<charset@x>"]
    assert "Peña" in charset.body_text and any("x-klingon" in n for n in charset.notes)
    assert "Resolución" in rows["<8bit@x>"].body_text
    assert rows["<ew@x>"].subject.startswith("Resolución 2026-ICFO-01234")
    raw8 = rows["<8bit-headers@x>"]
    assert raw8.from_name == "Oficina de Peña" and "Caf" in raw8.subject and raw8.sent_at is None
    assert raw8.status == "filed" and raw8.communication.occurred_on.isoformat() == "2026-12-05"
    assert rows["<bad-addr@x>"].status in ("filed", "unsorted")
    no_id = next(m for m in rows.values() if m.subject == "No id")
    assert no_id.message_id == "" and no_id.status == "filed"

    names = sorted(a.original_name for a in rows["<names@x>"].communication.attachments)
    assert "x" in names and all("/" not in n and "\\" not in n and ".." not in n and "\x00" not in n for n in names)

    nested = rows["<nested@x>"]
    assert (nested.request_id, nested.from_address, nested.forwarded) == (world.still, "ice-foia@ice.dhs.gov", True)

    big_row = rows["<big@x>"]
    assert big_row.status == "filed" and big_row.size > 3 * 1024 * 1024  # the whole message is kept (.eml)
    assert any("records.pdf" in n and "over the 2 MB limit" in n for n in big_row.notes)
    kept = [a.original_name for a in big_row.communication.attachments]
    assert kept == [f"message-{big_row.id}.eml"]
    assert big_row.attachment_names[0]["refused"]

    raised = rows["<raise@x>"] if "<raise@x>" in rows else next(m for m in rows.values() if "RecursionError" in
                                                                 " ".join(m.notes))
    assert raised.status == "unsorted" and any("could not be read" in n for n in raised.notes)
    assert db.session.scalar(select(db.func.count(Attachment.id)).where(
        Attachment.content_type == "message/rfc822")) == sum(1 for m in rows.values() if m.status == "filed")

    # a refetch from scratch stores nothing twice, the message without a Message-ID included
    from tracker.mail.models import MailCursor

    db.session.execute(MailCursor.__table__.delete())
    db.session.commit()
    again = fetch_mail()
    assert (again.fetched, again.duplicates) == (0, total)


def test_connection_dropped_mid_fetch(app, ctx, users, dovecot, clock):
    world = build(users)
    names = corpus_names()
    dovecot.append(*[corpus_message(n, world.token_for(n)) for n in names])
    proxy = FlakyProxy(dovecot.port, drop_after=60_000)  # login and the first few messages get through
    app.config.update(TRACKER_IMAP_PORT=proxy.port, TRACKER_IMAP_BATCH=2)
    try:
        cut = fetch_mail()
    finally:
        proxy.stop()
        app.config.update(TRACKER_IMAP_PORT=dovecot.port, TRACKER_IMAP_BATCH=25)
    assert cut.problems and "dropped the connection" in cut.problems[0]
    assert "the next fetch goes on from there" in cut.summary
    stored = db.session.scalar(select(db.func.count(IncomingMessage.id)))
    assert 0 < stored < len(names)
    rest = fetch_mail()
    assert rest.problems == [] and stored + rest.fetched == len(names)
    ids = db.session.scalars(select(IncomingMessage.message_id)).all()
    assert len(ids) == len(set(ids)) == len(names)


def test_slow_server_times_out_and_the_next_fetch_goes_on(app, ctx, users, dovecot, clock):
    world = build(users)
    dovecot.append(corpus_message("ice_acknowledgment", world.tokens[world.denver]))
    proxy = FlakyProxy(dovecot.port, delay=1.5)
    app.config.update(TRACKER_IMAP_PORT=proxy.port, TRACKER_IMAP_TIMEOUT=1)
    try:
        slow = fetch_mail()
    finally:
        proxy.stop()
        app.config.update(TRACKER_IMAP_PORT=dovecot.port, TRACKER_IMAP_TIMEOUT=10)
    assert slow.problems and ("did not answer within 1 s" in slow.problems[0] or "connect" in slow.problems[0])
    assert fetch_mail().fetched == 1


def test_wrong_password_is_a_clear_message(app, ctx, dovecot):
    app.config["TRACKER_IMAP_PASSWORD"] = "wrong"
    result = fetch_mail()
    assert "refused the login" in result.summary and "TRACKER_IMAP_PASSWORD" in result.summary
    out = app.test_cli_runner().invoke(args=["fetch-mail"])
    assert out.exit_code == 1 and "refused the login" in out.output
