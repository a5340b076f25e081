"""Agency letters whose text comes late: a scan read by OCR, or a PDF the mail fetch could not read, whose
text the documents job gives later (documents.signals.document_read). The letter is then read like any other
(letter_received), so it proposes its next step, once:

- an attachment of an email filed on a request, listed as unread when the message was fetched (a scan with no
  text layer, or a PDF the fetch's reader gave up on); the email's sender trust applies, as it did at filing;
- an agency letter a reporter uploaded (a communication of kind "letter" from the agency) that had no text
  layer, read now by OCR; trusted, as the upload was.
"""

from __future__ import annotations

from tracker.documents.models import DocumentText
from tracker.mail.signals import letter_received


def on_document_read(doc: DocumentText, *, text: str = "", ocr_pages: int = 0, **_extra) -> None:
    attachment = doc.attachment
    comm = attachment.communication if attachment is not None else None
    if comm is None or comm.direction != "in" or not text.strip():
        return
    msg = getattr(comm, "incoming", None)
    if msg is not None:
        entries = [dict(e) for e in msg.attachment_names or []]
        waiting = next((e for e in entries if e.get("unread") and e.get("name") == attachment.original_name), None)
        if waiting is None:
            return  # its text was read when the message was fetched
        waiting["unread"] = False  # once
        msg.attachment_names = entries
        letter = "\n\n".join(t for t in (comm.subject, comm.body, text) if t)
        letter_received.send(comm, text=letter, trusted=msg.trusted)
    elif comm.kind == "letter" and ocr_pages:
        letter_received.send(comm, text=text, trusted=True)


def install_late_letter_listener() -> None:
    from tracker.documents.signals import document_read

    document_read.connect(on_document_read, weak=False)
