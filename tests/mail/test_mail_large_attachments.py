"""Attachments at the real upload limit, through a real Dovecot: one just under it arrives byte for byte; one
over it is refused with a note while its message is filed and keeps it in the .eml."""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser

import pytest
import time_machine
from sqlalchemy import select

from tests.mail.world import build
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.mail.fetch import fetch_mail
from tracker.mail.models import IncomingMessage

pytestmark = pytest.mark.slow
MB = 1024 * 1024


def _with_attachment(token: str, message_id: str, name: str, data: bytes) -> bytes:
    encoded = base64.encodebytes(data).replace(b"\n", b"\r\n")  # lines of 76 characters, as mail programs write
    return (f"From: ICE FOIA Office <ice-foia@ice.dhs.gov>\r\nTo: foia+{token}@newsroom.example\r\n"
            f"Subject: Records for 2026-ICFO-01234\r\nDate: Thu, 03 Dec 2026 10:00:00 -0500\r\n"
            f"Message-ID: {message_id}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n"
            f"\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe records are attached.\r\n--b\r\n"
            f"Content-Type: application/zip\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n").encode() + encoded + b"--b--\r\n"


def test_attachments_at_the_upload_limit(app, ctx, users, dovecot, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 25 * MB)  # the default TRACKER_MAX_UPLOAD_MB
    with time_machine.travel(datetime(2026, 12, 5, 15, 0, tzinfo=UTC), tick=True):
        world = build(users)
        token = world.tokens[world.denver]
        near = os.urandom(24 * MB)  # incompressible: every byte has to come through
        over = os.urandom(26 * MB)
        dovecot.append(_with_attachment(token, "<near@ice.dhs.gov>", "records-part-1.zip", near),
                       _with_attachment(token, "<over@ice.dhs.gov>", "records-part-2.zip", over))
        result = fetch_mail()
    assert (result.fetched, result.filed, result.problems) == (2, 2, [])
    rows = {m.message_id: m for m in db.session.scalars(select(IncomingMessage))}

    kept = rows["<near@ice.dhs.gov>"]
    [attachment] = [a for a in kept.communication.attachments if a.original_name == "records-part-1.zip"]
    assert (attachment.size, attachment.sha256) == (len(near), hashlib.sha256(near).hexdigest())
    with storage().open(attachment.storage_key) as fh:
        assert fh.read() == near
    assert not any("limit" in note for note in kept.notes)

    refused = rows["<over@ice.dhs.gov>"]
    assert refused.status == "filed" and refused.request_id == world.denver
    assert any("records-part-2.zip" in note and "over the 25 MB limit" in note for note in refused.notes)
    [listed] = [a for a in refused.attachment_names if a["name"] == "records-part-2.zip"]
    assert listed["size"] == len(over) and "over the 25 MB limit" in listed["refused"]
    eml = [a for a in refused.communication.attachments if a.content_type == "message/rfc822"]
    assert [a.original_name for a in refused.communication.attachments] == [f"message-{refused.id}.eml"]
    with storage().open(eml[0].storage_key) as fh:
        original = BytesParser(policy=policy.default).parse(fh)
    [part] = [p for p in original.iter_attachments() if p.get_filename() == "records-part-2.zip"]
    assert part.get_payload(decode=True) == over  # not lost: the original message has it
