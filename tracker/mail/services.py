"""Operations on incoming mail: store a fetched message once, thread it, file it on a request (as a
Communication with its attachments and the raw .eml), or leave it in Unsorted mail; file or dismiss by hand.
They add and flush; the outermost caller (the fetch loop, a view, the API) commits.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.auth.models import User
from tracker.core.clock import local
from tracker.core.converters import MAX_ID
from tracker.core.errors import Conflict, NotFound, ValidationFailed
from tracker.core.storage import Storage
from tracker.core.validation import EARLIEST_EVENT
from tracker.documents.quick_text import QuickTextError
from tracker.documents.text import UnreadableDocument, extract_text
from tracker.extensions import db
from tracker.mail import batch
from tracker.mail.models import IncomingMessage
from tracker.mail.parse import Parsed, parse
from tracker.mail.saving import BytesStream
from tracker.mail.signals import letter_received
from tracker.mail.threading import newsroom_user, original_of_forward, thread
from tracker.requests import audit
from tracker.requests import services as request_services
from tracker.requests.access import can_view
from tracker.requests.models import Attachment, RecordsRequest

log = logging.getLogger(__name__)
TEXT_TYPES = ("application/pdf", "text/plain", "text/html")


def message_key(raw: bytes, message_id: str) -> str:
    """The key a message is stored under once: its Message-ID, or its bytes when it has none."""
    if message_id:
        return hashlib.sha256(b"id:" + message_id.strip().encode("utf-8", "replace")).hexdigest()
    return hashlib.sha256(b"raw:" + raw).hexdigest()


def max_attachment_bytes(config) -> int:
    return int(config.get("MAX_CONTENT_LENGTH") or 25 * 1024 * 1024)


@dataclass
class Reading:
    """A message as parsed, with what its attachments say."""

    parsed: Parsed
    original: Parsed | None  # a reporter's forward: the agency's message inside it
    attachment_texts: list[str]
    notes: list[str]
    unread: list[str] = field(default_factory=list)  # names of attachments whose text is left to the documents job

    @property
    def shown(self) -> Parsed:
        return self.original or self.parsed

    @property
    def attachments(self):
        own = self.original.attachments if self.original is not None else []
        return own + [a for a in self.parsed.attachments if a not in own]

    @property
    def letter_text(self) -> str:
        return "\n\n".join(t for t in [self.shown.subject, self.shown.body, *self.attachment_texts] if t)


def read(raw: bytes, *, max_attachment: int, pdf_text: Callable[[bytes], list[str]] | None = None) -> Reading:
    """Parse a message and read its attachments' text. `pdf_text` reads a PDF's pages (the fetch passes its
    child-process reader, documents.quick_text); without it, pypdf here."""
    return start_reading(raw, max_attachment=max_attachment, pdf_text=pdf_text)()


def start_reading(raw: bytes, *, max_attachment: int, pdf_text: Callable[[bytes], list[str]] | None = None,
                  pdf_submit: Callable[[bytes], Future[list[str]]] | None = None,
                  save_ahead: Callable[[bytes], None] | None = None) -> Callable[[], Reading]:
    """read() in two steps: parse now, and ask for each PDF's text (with `pdf_submit`, the child process reads
    it while the caller goes on: the fetch parses the next message meanwhile); the returned function waits
    for the texts and gives the Reading. `save_ahead` is given each attachment that filing the message saves
    (the fetch's writer thread saves it meanwhile: mail.saving)."""
    parsed = parse(raw, max_attachment=max_attachment)
    notes = list(parsed.notes)
    forwarder = newsroom_user(parsed.from_address) if parsed.forwarded is not None else None
    original = original_of_forward(parsed) if forwarder is not None else None
    if original is not None:
        notes += original.notes
    reading = Reading(parsed, original, [], notes)
    asked = []
    for part in reading.attachments:
        if save_ahead is not None and part.data is not None:
            save_ahead(part.data)
        if part.data is None or part.content_type not in TEXT_TYPES and not part.name.lower().endswith(".pdf"):
            continue
        kind = "application/pdf" if part.name.lower().endswith(".pdf") else part.content_type
        if pdf_submit is not None and kind == "application/pdf":
            asked.append((part, kind, pdf_submit(part.data).result))
        elif pdf_text is not None and kind == "application/pdf":
            asked.append((part, kind, partial(pdf_text, part.data)))
        else:
            asked.append((part, kind, partial(extract_text, part.data, kind)))

    def finish() -> Reading:
        for part, kind, pages_of in asked:
            try:
                pages = pages_of()
            except (UnreadableDocument, QuickTextError) as exc:
                notes.append(f"The text of “{part.name}” could not be read: {exc}. The documents job tries again.")
                reading.unread.append(part.name)
                continue
            text = "\n".join(p for p in pages if p).strip()
            if text:
                reading.attachment_texts.append(text)
            elif kind == "application/pdf":
                notes.append(f"“{part.name}” has no text layer (a scan): its text is read by OCR once the message "
                             "is filed, and it proposes the next step then.")
                reading.unread.append(part.name)
        return reading

    return finish


@dataclass
class Prepared:
    """A fetched message read, before it is stored: its reading (None when the reader raised) and its key."""

    reading: Reading | None
    key: str
    problem: str = ""


def prepare_many(raws: dict[int, bytes], *, folder: str, max_attachment: int,
                 pdf_text: Callable[[bytes], list[str]] | None = None,
                 pdf_submit: Callable[[bytes], Future[list[str]]] | None = None) -> dict[int, Prepared]:
    """Read fetched messages (by UID) and name their keys; a message that breaks the reader is still kept, with
    a note."""
    return start_many(raws, folder=folder, max_attachment=max_attachment, pdf_text=pdf_text,
                      pdf_submit=pdf_submit)()


def start_many(raws: dict[int, bytes], *, folder: str, max_attachment: int,
               pdf_text: Callable[[bytes], list[str]] | None = None,
               pdf_submit: Callable[[bytes], Future[list[str]]] | None = None,
               save_ahead: Callable[[bytes], None] | None = None) -> Callable[[], dict[int, Prepared]]:
    """prepare_many() in two steps: every message parsed now, its PDFs asked of the child process
    (`pdf_submit`); the returned function waits for their texts and gives the Prepared messages (once, whenever
    it is called again). The fetch starts its next batch so, before it stores this one: the child reads the next
    batch's PDFs while this one is written. `save_ahead` is given each raw message, then its attachments (see
    start_reading), so the writer thread saves the files in the order the batch is stored: the first message's
    files are ready first, not after every other raw message of the batch."""
    started = {}
    for where, raw in raws.items():
        if save_ahead is not None:
            save_ahead(raw)
        try:
            started[where] = start_reading(raw, max_attachment=max_attachment, pdf_text=pdf_text,
                                           pdf_submit=pdf_submit, save_ahead=save_ahead)
        except Exception as exc:  # noqa: BLE001  (a message that breaks the reader is still kept, with a note)
            started[where] = exc
    done: dict[int, Prepared] = {}

    def finish() -> dict[int, Prepared]:
        if len(done) == len(raws):
            return done
        for where, raw in raws.items():
            try:
                if isinstance(started[where], Exception):
                    raise started[where]
                reading = started[where]()
            except Exception as exc:  # noqa: BLE001
                log.error("could not read message %s/%s", folder, where, exc_info=exc)
                done[where] = Prepared(None, message_key(raw, ""), f"The message could not be read "
                                                                   f"({type(exc).__name__}); the original is kept "
                                                                   "as .eml.")
            else:
                done[where] = Prepared(reading, message_key(raw, reading.parsed.message_id))
        return done

    return finish


def store(raw: bytes, *, folder: str, uidvalidity: int, uid: int, storage: Storage, now: datetime,
          max_attachment: int, pdf_text: Callable[[bytes], list[str]] | None = None, isolate: bool = True,
          prepared: Prepared | None = None) -> tuple[IncomingMessage | None, Reading | None]:
    """Keep the raw message and a row for it (unsorted until threaded); (None, None) when a message with the
    same key is already stored. With isolate=False the row is only added (the next flush writes it) and a
    clash raises: the fetch's quick pass, which redoes the batch with isolate=True when anything fails; there
    the batch's look-ups (mail.lookups) say which keys are taken, this batch's own included."""
    if prepared is None:
        prepared = prepare_many({uid: raw}, folder=folder, max_attachment=max_attachment, pdf_text=pdf_text)[uid]
    reading, key = prepared.reading, prepared.key
    lookups = batch.current.get().lookups if not isolate and batch.current.get() is not None else None
    if lookups is not None:
        if not lookups.claim_key(key):
            return None, None
    elif db.session.scalar(select(IncomingMessage.id).where(IncomingMessage.message_key == key)) is not None:
        return None, None
    stored = storage.save(BytesStream(raw))  # the fetch's writer thread may have saved it already (mail.saving)
    msg = IncomingMessage(
        message_key=key, message_id=reading.parsed.message_id if reading is not None else "", folder=folder,
        uidvalidity=uidvalidity, uid=uid, fetched_at=now, storage_key=stored.key, size=stored.size,
        sha256=stored.sha256, status="unsorted", notes=[], attachment_names=[],
    )
    if reading is None:
        msg.notes = [prepared.problem]
    else:
        _describe(msg, reading)
    if not isolate:
        db.session.add(msg)
        return msg, reading
    try:
        with db.session.begin_nested():
            db.session.add(msg)
            db.session.flush()
    except IntegrityError:  # a fetcher running at the same time stored it first
        storage.delete(stored.key)
        return None, None
    return msg, reading


def _describe(msg: IncomingMessage, reading: Reading) -> None:
    shown = reading.shown
    msg.from_address, msg.from_name = shown.from_address[:320], shown.from_name[:300]
    msg.to_addresses = shown.recipients or reading.parsed.recipients
    msg.subject = shown.subject[:500]
    msg.sent_at = shown.date or reading.parsed.date
    msg.body_text = shown.body
    msg.body_html = shown.html
    msg.attachment_names = [{"name": request_services.safe_filename(a.name), "size": a.size,
                             "content_type": a.content_type, "refused": a.refused,
                             **({"unread": True} if a.name in reading.unread else {})} for a in reading.attachments]
    msg.notes = list(dict.fromkeys(reading.notes))
    if reading.parsed.forwarded is not None:
        forwarder = newsroom_user(reading.parsed.from_address)
        if forwarder is not None:
            msg.forwarded, msg.forwarded_by = True, forwarder
    if reading.parsed.bulk:
        msg.notes.append("Sent to a mailing list (it has List-Unsubscribe or Precedence: bulk).")


def route(msg: IncomingMessage, reading: Reading | None, *, storage: Storage, now: datetime,
          isolate: bool = True) -> IncomingMessage:
    """Thread a stored message and file it on its request, or leave it in Unsorted mail."""
    if reading is None:
        return msg
    with db.session.no_autoflush:  # the lookups need nothing of this message written yet: one flush for it all
        found = thread(reading.parsed, attachment_texts=reading.attachment_texts)
    if found.request is None:
        if found.suggestions:
            numbers = ", ".join(f"#{r.id}" for r in found.suggestions[:5])
            msg.notes = [*msg.notes, f"A tracking number in it belongs to more than one request ({numbers})."]
        return msg
    msg.notes = [*msg.notes, *found.notes]
    file(msg, reading, found.request, rule=found.rule, trusted=found.trusted, actor=None, now=now, storage=storage,
         isolate=isolate)
    return msg


def occurred_on(msg: IncomingMessage, now: datetime) -> date:
    """The newsroom's date of the message; the fetch date when its Date is missing, in the future or absurd."""
    today = local(now).date()
    if msg.sent_at is not None:
        day = local(msg.sent_at).date()
        if EARLIEST_EVENT <= day <= today:
            return day
        msg.notes = [*msg.notes, f"Its date ({day.isoformat()}) is not believable; the date it arrived is used."]
    return today


def file(msg: IncomingMessage, reading: Reading, req: RecordsRequest, *, rule: str, trusted: bool,
         actor: User | None, now: datetime, storage: Storage, isolate: bool = True) -> None:
    """Record the message on the request: a Communication from the agency by email, its attachments, the raw
    .eml; then tell the letter readers (letter_received). With isolate=False (the fetch's quick pass,
    mail.batch) nothing is flushed here and a reader's failure is not contained but raised."""
    subject = msg.subject or "(no subject)"
    quick = batch.current.get() if not isolate else None
    # The quick pass takes the attachments and the event as plain rows, written once the batch's messages and
    # communications are (they name those rows' ids): nothing reads them back before.
    rows = quick.rows if quick is not None else None
    comm = request_services.add_communication(
        req, actor=actor, now=now, storage=storage, direction="in", channel="email",
        occurred_on=occurred_on(msg, now), subject=subject[:500], body=msg.body_text, kind="other",
        files=[request_services.Upload(a.name, BytesStream(a.data)) for a in reading.attachments
               if a.data is not None], flush=isolate, rows=rows,
    )
    comm.message_id = msg.message_id or None
    eml = {"storage_key": msg.storage_key, "sha256": msg.sha256, "size": msg.size, "content_type": "message/rfc822",
           "original_name": f"message-{msg.id}.eml", "uploaded_at": now}
    if rows is not None:
        if msg.id is None:
            eml["original_name"] = lambda: f"message-{msg.id}.eml"
        rows.add(Attachment.__table__, request_services.attachment_row(req, comm, actor, **eml))
    else:
        db.session.add(Attachment(request=req, communication=comm, uploaded_by=actor, **eml))
    msg.status, msg.request, msg.communication = "filed", req, comm
    msg.matched_by, msg.trusted = rule, trusted
    if actor is not None:
        msg.handled_by, msg.handled_at = actor, now
    if quick is not None:  # once the batch is written (mail.batch)
        quick.letters.append(lambda: letter_received.send(comm, text=reading.letter_text, trusted=trusted))
        return
    db.session.flush()
    try:
        with db.session.begin_nested():
            letter_received.send(comm, text=reading.letter_text, trusted=trusted)
    except Exception:  # noqa: BLE001  (a reader's failure must not lose the message)
        log.exception("a letter_received receiver failed for message %s", msg.id)
        msg.notes = [*msg.notes, "The letter could not be read for proposals; record the next step by hand."]


# --- by hand: Unsorted mail ----------------------------------------------------------------------------

def can_see(user: User, msg: IncomingMessage) -> bool:
    """Filed mail: whoever may see its request. Unsorted or dismissed mail: editors, and the reporter who
    forwarded it."""
    if not user.is_authenticated or not user.active:
        return False
    if msg.status == "filed" and msg.request is not None:
        return can_view(user, msg.request)
    return user.is_editor or (msg.forwarded_by_id is not None and msg.forwarded_by_id == user.id)


def get_visible(user: User, message_id: int, *, audit_as: str = "") -> IncomingMessage:
    """A message this user may see (NotFound otherwise); with audit_as ("view", "download"), reading a message
    filed on a private request is written to that request's audit trail."""
    msg = db.session.get(IncomingMessage, message_id) if 0 < message_id <= MAX_ID else None
    if msg is None or not can_see(user, msg):
        raise NotFound("There is no such message.")
    if audit_as and msg.status == "filed" and msg.request is not None:
        audit.record(msg.request, actor=user, action=audit_as, detail=f"agency email: {msg.subject or msg.id}"[:200])
    return msg


def unsorted_for(user: User) -> list[IncomingMessage]:
    query = select(IncomingMessage).where(IncomingMessage.status == "unsorted")
    if not user.is_editor:
        query = query.where(IncomingMessage.forwarded_by_id == user.id)
    return list(db.session.scalars(query.order_by(IncomingMessage.fetched_at.desc(), IncomingMessage.id.desc())))


def file_by_hand(msg: IncomingMessage, request_id: int | None, *, actor: User, now: datetime, storage: Storage,
                 max_attachment: int) -> RecordsRequest:
    """An editor, or the reporter who forwarded it, files an unsorted (or dismissed) message on a request
    they may see."""
    if msg.status == "filed":
        raise Conflict("This message is already filed on a request.")
    req = db.session.get(RecordsRequest, request_id) if request_id and 0 < request_id <= MAX_ID else None
    if req is None or not can_view(actor, req):
        raise ValidationFailed("No such request.", {"request_id": "There is no request with this number that you "
                                                                  "can see."})
    with storage.open(msg.storage_key) as handle:
        raw = handle.read()
    reading = read(raw, max_attachment=max_attachment)
    from tracker.mail.threading import sender_is_agencys

    trusted = sender_is_agencys(msg.from_address, req) and not reading.shown.authentication_failed
    if not trusted:
        msg.notes = [*msg.notes, "Unverified sender: filed by hand, and the sender is not at one of the "
                                 "agency's mail domains. Nothing is proposed from this message."]
    file(msg, reading, req, rule="person", trusted=trusted, actor=actor, now=now, storage=storage)
    return req


def dismiss(msg: IncomingMessage, *, actor: User, now: datetime) -> None:
    if msg.status != "unsorted":
        raise Conflict("Only a message waiting in Unsorted mail can be dismissed.")
    msg.status, msg.handled_by, msg.handled_at = "dismissed", actor, now
    db.session.flush()


def for_request(req: RecordsRequest) -> list[IncomingMessage]:
    return list(db.session.scalars(select(IncomingMessage).where(IncomingMessage.request_id == req.id)
                                   .order_by(IncomingMessage.sent_at, IncomingMessage.id)))


def suggestions(msg: IncomingMessage) -> list[RecordsRequest]:
    """Requests an unsorted message may belong to: those whose tracking numbers it names (more than one)."""
    from tracker.mail.threading import _by_tracking_number

    _, near = _by_tracking_number([msg.subject, msg.body_text])
    return near[:5]
