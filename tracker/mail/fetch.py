"""The fetch: read new messages from the newsroom mailbox and store each exactly once.

The cursor (UIDVALIDITY and the last UID stored, per folder) and the messages of one IMAP fetch batch are
committed together, and the messages are flagged on the server only after that commit. So a refetch, a crash in
the middle or a dropped connection goes on where the last commit left off; two fetchers at once serialise on
the cursor row (SELECT ... FOR UPDATE on PostgreSQL, the write lock on SQLite) and the unique Message-ID key
turns the loser's copy into a no-op. One function for the scheduler job `mail.fetch` and `tracker fetch-mail`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from tracker.core.clock import now_utc
from tracker.core.frozen_heap import frozen_heap
from tracker.core.ids_ahead import ids_ahead, ids_for_new_rows
from tracker.core.storage import Storage
from tracker.core.storage import storage as app_storage
from tracker.documents.limits import current as current_limits
from tracker.documents.quick_text import QuickText
from tracker.extensions import db
from tracker.mail import services
from tracker.mail.batch import QuickBatch
from tracker.mail.batch import current as quick_batch
from tracker.mail.imap import Mailbox, MailboxError, Settings
from tracker.mail.lookups import Lookups
from tracker.mail.models import IncomingMessage, MailCursor
from tracker.mail.rows import write_new
from tracker.mail.saving import NotedStorage

log = logging.getLogger(__name__)
BATCH = 50  # messages per commit when the app's config does not say (TRACKER_IMAP_BATCH)


@dataclass
class FetchResult:
    configured: bool = True
    fetched: int = 0
    filed: int = 0
    unsorted: int = 0
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if not self.configured:
            return "No mailbox is set up (TRACKER_IMAP_HOST is empty); nothing fetched."
        text = (f"Fetched {self.fetched} new message(s): {self.filed} filed on a request, {self.unsorted} in "
                f"Unsorted mail" + (f", {self.duplicates} already stored" if self.duplicates else "") + ".")
        return " ".join([text, *self.problems])


def _cursor(folder: str, uidvalidity: int) -> MailCursor:
    cursor = db.session.scalar(select(MailCursor).where(MailCursor.folder == folder))
    if cursor is None:
        try:
            with db.session.begin_nested():
                db.session.add(MailCursor(folder=folder, uidvalidity=uidvalidity, last_uid=0, updated_at=now_utc()))
        except IntegrityError:
            pass  # another fetcher made it first
        cursor = db.session.scalar(select(MailCursor).where(MailCursor.folder == folder))
    if cursor.uidvalidity != uidvalidity:
        # The server renumbered the folder: read it all again; the Message-ID key skips what is stored.
        log.warning("UIDVALIDITY of %s changed from %s to %s", folder, cursor.uidvalidity, uidvalidity)
        cursor.uidvalidity, cursor.last_uid, cursor.updated_at = uidvalidity, 0, now_utc()
    db.session.commit()
    return cursor


def _claim(folder: str, uidvalidity: int) -> int | None:
    """Lock the folder's cursor for this transaction (a batch); the last UID stored, or None when the folder
    was renumbered meanwhile. The UPDATE takes the lock on every database (a row lock on PostgreSQL, the write
    lock on SQLite, where it also opens the transaction that the savepoints below nest in)."""
    # One statement: the UPDATE's RETURNING reads the row as it is once locked (after a fetcher that held the
    # lock commits, PostgreSQL reads that fetcher's row again), as a SELECT ... FOR UPDATE after it would.
    cursor = db.session.execute(update(MailCursor.__table__).where(MailCursor.folder == folder)
                                .values(updated_at=now_utc())
                                .returning(MailCursor.last_uid, MailCursor.uidvalidity)).first()
    return cursor.last_uid if cursor is not None and cursor.uidvalidity == uidvalidity else None


def _advance(folder: str, uidvalidity: int, uid: int) -> None:
    db.session.execute(update(MailCursor).where(MailCursor.folder == folder, MailCursor.uidvalidity == uidvalidity,
                                                MailCursor.last_uid < uid).values(last_uid=uid, updated_at=now_utc()))


def store_one(raw: bytes, *, folder: str, uidvalidity: int, uid: int, storage: Storage,
              max_attachment: int, pdf_text=None, isolate: bool = True,
              prepared: services.Prepared | None = None) -> tuple[str, str]:
    """Store, thread and file one message, in the caller's transaction (the fetch claims the cursor, moves it
    and commits a batch at a time). Returns what happened ("filed", "unsorted" or "duplicate") and the storage
    key written, if any. isolate=False: no savepoints, and a failure raises (see _store_batch)."""
    now = now_utc()
    msg, reading = services.store(raw, folder=folder, uidvalidity=uidvalidity, uid=uid, storage=storage, now=now,
                                  max_attachment=max_attachment, pdf_text=pdf_text, isolate=isolate,
                                  prepared=prepared)
    if msg is None:
        return "duplicate", ""
    if not isolate:
        services.route(msg, reading, storage=storage, now=now, isolate=False)
        return msg.status, msg.storage_key
    try:
        with db.session.begin_nested():
            services.route(msg, reading, storage=storage, now=now)
    except Exception as exc:  # noqa: BLE001  (threading failed: the message waits in Unsorted mail, with a note)
        log.exception("could not thread message %s", msg.id)
        msg.status = "unsorted"
        msg.notes = [*msg.notes, f"It could not be filed automatically ({type(exc).__name__}); file it by hand."]
    return msg.status, msg.storage_key


def _store_batch(batch: list[int], raws: dict[int, bytes], *, folder: str, uidvalidity: int, storage: NotedStorage,
                 max_attachment: int, pdf_text, result: FetchResult,
                 read: Callable[[], dict[int, services.Prepared]]) -> list[tuple[int, str, str]]:
    """Store a batch in the current transaction, the cursor locked and moved past it. First quickly: no
    savepoints, and one flush writes every message's rows (mail.batch). If anything fails, the batch is
    rolled back and done again carefully, each message and each reading of it in its own savepoint, so that
    one message's failure is a note on it and the rest are stored. `read`: the batch's messages as started
    before (services.start_many)."""
    for isolate in (False, True):
        outcomes, vanished = [], []
        last = _claim(folder, uidvalidity)  # held until the batch's commit
        quick = QuickBatch() if not isolate else None
        token = quick_batch.set(quick)
        try:
            with contextlib.nullcontext() if isolate else db.session.no_autoflush:
                prepared = {}
                if quick is not None:  # every message read first, so the batch's look-ups are made once for all
                    prepared = {uid: ready for uid, ready in read().items() if last is not None and uid > last}
                    quick.lookups = Lookups.load([p.key for p in prepared.values()],
                                                 [(p.reading.parsed, p.reading.attachment_texts)
                                                  for p in prepared.values() if p.reading is not None])
                for uid in batch:
                    if last is None or uid <= last:
                        outcomes.append((uid, "skipped", ""))  # another fetcher stored it meanwhile
                    elif uid not in raws:
                        vanished.append(f"Message UID {uid} vanished from the server before it was read.")
                    else:
                        outcome, key = store_one(raws[uid], folder=folder, uidvalidity=uidvalidity, uid=uid,
                                                 storage=storage, max_attachment=max_attachment,
                                                 pdf_text=pdf_text, isolate=isolate, prepared=prepared.get(uid))
                        outcomes.append((uid, outcome, key))
            if quick is not None:
                # The batch's rows, together; a clash shows here, not at the commit. Their ids are given first
                # (core.ids_ahead): each table's rows go in one statement, and the plain rows that name them
                # (quick.rows: an .eml named by its message's id) need no UPDATE.
                with ids_ahead(db.session):
                    if not ids_for_new_rows(db.session):
                        db.session.flush()
                    quick.finish(lambda: write_new(db.session))
            if last is not None:
                _advance(folder, uidvalidity, batch[-1])
        except Exception:
            if isolate:
                raise
            log.warning("a batch of mail needs the careful pass", exc_info=True)
            db.session.rollback()
            storage.forget()
            continue
        finally:
            quick_batch.reset(token)
        result.problems.extend(vanished)
        return outcomes
    return []  # not reached: the careful pass returns or raises


def _commit_batch(outcomes: list[tuple[int, str, str]], storage: NotedStorage, result: FetchResult) -> list[int]:
    """Commit a batch; the UIDs now safely stored (to flag on the server), or [] when the commit failed."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # only if a fetcher got round the cursor lock; the next fetch sorts it out
        storage.forget()
        result.problems.append("Another fetch stored some of these messages at the same time; they are checked "
                               "again on the next fetch.")
        return []
    storage.keys = []  # committed: theirs to keep
    for _, outcome, _ in outcomes:
        if outcome in ("filed", "unsorted"):
            result.fetched += 1
            setattr(result, outcome, getattr(result, outcome) + 1)
        elif outcome == "duplicate":
            result.duplicates += 1
    return [uid for uid, outcome, _ in outcomes if outcome != "skipped"]


def fetch_mail(*, limit: int | None = None, storage: Storage | None = None) -> FetchResult:
    """Fetch what is new in the configured folder. Safe to run at any time, any number of times at once."""
    config = current_app.config
    settings = Settings.from_config(config)
    result = FetchResult()
    if not settings.host:
        result.configured = False
        return result
    storage = storage or app_storage()
    max_attachment = services.max_attachment_bytes(config)
    batch_size = max(int(config.get("TRACKER_IMAP_BATCH", BATCH)), 1)
    mailbox = Mailbox(settings)
    limits = current_limits()
    # PDF text in a child process that lives for this fetch: quick (PyMuPDF), and a PDF that crashes it
    # costs that PDF's text only (left to the documents job), never the fetch, never a loop on restart.
    quick = QuickText(seconds=limits.page_seconds, memory_mb=limits.memory_mb, page_chars=limits.page_chars)
    noted = NotedStorage(storage)
    with frozen_heap():  # the app's own objects out of the batch's garbage collections
        _fetch(mailbox, settings, quick, noted, result, limit=limit, batch_size=batch_size,
               max_attachment=max_attachment)
    return result


def _fetch(mailbox: Mailbox, settings: Settings, quick: QuickText, noted: NotedStorage, result: FetchResult, *,
           limit: int | None, batch_size: int, max_attachment: int) -> None:
    try:
        mailbox.open()
        cursor = _cursor(settings.folder, mailbox.uidvalidity)
        uids = mailbox.new_uids(cursor.last_uid)
        if limit is not None:
            uids = uids[:limit]
        batches = [uids[start:start + batch_size] for start in range(0, len(uids), batch_size)]

        def fetched(index: int) -> tuple[dict[int, bytes], Callable[[], dict[int, services.Prepared]]]:
            """A batch fetched and parsed, its PDFs asked of the child process (services.start_many), all in one
            exchange (documents.quick_text), and its files given to the writer thread (mail.saving) message by
            message, each raw message followed by its attachments: the order the batch is stored in."""
            raws = mailbox.fetch(batches[index])
            with quick.gathered():
                return raws, services.start_many(raws, folder=settings.folder, max_attachment=max_attachment,
                                                 pdf_text=quick.pages, pdf_submit=quick.submit,
                                                 save_ahead=lambda data: noted.save_ahead(data, index))

        ahead = fetched(0) if batches else None
        for index, batch in enumerate(batches):
            raws, read = ahead
            # The next batch is fetched and parsed before this one is stored, so that the child reads its PDFs
            # and the writer thread saves its files while this one is written. Nothing of it is stored until its
            # own turn, after this commit; a server failure on it waits until this batch is committed and flagged.
            try:
                ahead = fetched(index + 1) if index + 1 < len(batches) else None
                failed = None
            except MailboxError as exc:
                ahead, failed = None, exc
            outcomes = _store_batch(batch, raws, folder=settings.folder, uidvalidity=mailbox.uidvalidity,
                                    storage=noted, max_attachment=max_attachment, pdf_text=quick.pages,
                                    result=result, read=read)
            done = _commit_batch(outcomes, noted, result)
            noted.drop(index)  # what this batch did not store (duplicates, attachments of unsorted mail)
            if not done and outcomes:
                break
            mailbox.flag(done)  # only after the commit
            if failed is not None:
                raise failed
    except MailboxError as exc:
        db.session.rollback()
        noted.forget()
        result.problems.append(f"{exc} What was stored so far is kept; the next fetch goes on from there.")
    finally:
        noted.close()
        quick.close()
        mailbox.close()


def stored_count() -> int:
    return db.session.scalar(select(db.func.count(IncomingMessage.id))) or 0
