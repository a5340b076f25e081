"""An agency's letter a reporter uploads (ICE posts its letters in the DHS portal; reporters download them
there): filed as an incoming communication with the file attached, its text read, and `letter_received` sent
(trusted: a person on the request vouches for it), so the letter proposes its next step like an email would."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from tracker.auth.models import User
from tracker.core.errors import ValidationFailed
from tracker.core.storage import Storage
from tracker.documents.text import UnreadableDocument, extract_text
from tracker.extensions import db
from tracker.mail.signals import letter_received
from tracker.requests import services
from tracker.requests.models import Communication, RecordsRequest

READABLE = ("application/pdf", "text/plain", "text/html")
MAX_PAGES = 60  # a letter longer than this is read from its first 60 pages


@dataclass
class Filed:
    communication: Communication
    readable: bool  # False: no text could be read (a scan without a text layer, or a broken PDF)
    note: str = ""


def file_agency_letter(req: RecordsRequest, upload: services.Upload, *, channel: str, occurred_on: date | None,
                       actor: User, now: datetime, today: date, storage: Storage) -> Filed:
    """Record the uploaded letter as a communication from the agency and read it for proposals."""
    data = upload.stream.read()
    if not data:
        raise ValidationFailed("The file is empty.", {"file": "The file is empty."})
    comm = services.add_communication(
        req, actor=actor, now=now, storage=storage, direction="in", channel=channel,
        occurred_on=occurred_on or today, subject=f"Letter from {req.agency.abbreviation or req.agency.name}",
        kind="letter", files=[services.Upload(upload.filename, io.BytesIO(data))])
    attachment = comm.attachments[0]
    note = ""
    pages: list[str] = []
    if attachment.content_type not in READABLE:
        note = "The file is kept, but it is not a PDF or text, so the tracker could not read it."
    else:
        try:
            pages = extract_text(data, attachment.content_type)[:MAX_PAGES]
        except UnreadableDocument as exc:
            note = f"The file is kept, but the tracker could not read it: {exc}."
        if not note and not any(p.strip() for p in pages):
            note = ("The file is kept, but it has no text layer (a scan?): the tracker reads it by OCR in the next "
                    "few minutes and proposes the next step then.")
    text = "\n\n".join(pages)
    db.session.flush()
    if text.strip():
        letter_received.send(comm, text=text, trusted=True)
    return Filed(comm, bool(text.strip()), note)
