"""SMTP delivery of the outbox, exactly once as far as SMTP allows.

The protocol, per batch:

1. **Claim**: one UPDATE moves up to N due `pending` rows to `sending`, stamped with this process's
   claim token (host:pid:nonce) and a lease, and commits. On PostgreSQL the rows are picked with
   `SELECT ... FOR UPDATE SKIP LOCKED`, so two senders never pick the same row; on SQLite the UPDATE
   runs under the database's single write lock, which is just as exclusive.
2. **Send** each claimed message over one SMTP connection, outside any transaction.
3. **Mark** each one `sent` (or back to `pending` with a growing back-off, or `failed` with the server's
   answer) as soon as the server has answered, and commit, row by row.

While a batch is being sent, a helper thread renews the lease of its rows (every third of the lease), so a
slow mail server never lets a second sender take back a row that is still being sent.

A sender that dies between 1 and 3 leaves rows in `sending`. They are taken back when the lease runs
out, or at once when the claim's process is known dead (same host, pid gone or reused).

**The one window left**: the server accepted a message (step 2) and the process died before step 3
committed. That message is sent again; it carries the same Message-ID (derived from its natural key),
so mail clients that fold repeats show it once. No protocol over plain SMTP can close that window.

With no TRACKER_SMTP_HOST nothing is sent: mail stays `pending` in the outbox, readable by admins.
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Dialect, Select, select, update

from tracker.core.clock import now_utc
from tracker.core.mail import OutboxMessage, as_email, envelope
from tracker.extensions import db

outbox = OutboxMessage.__table__
_token: tuple[int, str] | None = None
log = logging.getLogger("tracker.mail")


def claim_token() -> str:
    """host:pid:nonce of this process (a new nonce after a fork)."""
    global _token
    pid = os.getpid()
    if _token is None or _token[0] != pid:
        _token = (pid, f"{socket.gethostname()}:{pid}:{secrets.token_hex(4)}")
    return _token[1]


def _setting(name: str, default):
    return current_app.config.get(name, default)


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4, 8... minutes (base configurable), at most 6 hours."""
    base = _setting("TRACKER_MAIL_RETRY_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    errors: list[str] = field(default_factory=list)


def _dead_claim(claimed_by: str) -> bool:
    """Whether a claim was made by a process on this host that is no longer running."""
    try:
        host, pid_text, _nonce = claimed_by.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname():
        return False
    if pid == os.getpid():
        return claimed_by != claim_token()  # our pid, another nonce: a dead predecessor (pid reused)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def release_stale(now: datetime) -> int:
    """`sending` rows whose lease ran out, or whose sender is dead, go back to `pending`."""
    rows = db.session.execute(
        select(outbox.c.id, outbox.c.claimed_by, outbox.c.lease_until).where(outbox.c.status == "sending")
    ).all()
    stale = [r.id for r in rows if (r.lease_until is not None and r.lease_until < now) or _dead_claim(r.claimed_by)]
    if not stale:
        return 0
    # Still `sending`: a slow sender may have marked its row between this read and this write.
    result = db.session.execute(
        update(outbox).where(outbox.c.id.in_(stale), outbox.c.status == "sending")
        .values(status="pending", next_attempt_at=now, lease_until=None, claimed_by="",
                last_error="Taken back from a sender that stopped before it could record the result.")
    )
    return result.rowcount


def due_query(now: datetime, limit: int, dialect: Dialect) -> Select:
    """The ids of up to `limit` due pending messages, longest waiting first, then in the order they were queued.
    On PostgreSQL the rows are locked as they are picked, skipping those another sender holds; SQLite has no
    row locks (the claim's UPDATE runs under its one write lock). The dialect is chosen here, in one place that
    a test can compile for PostgreSQL whatever database it runs on."""
    due = (select(outbox.c.id).where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now)
           .order_by(outbox.c.next_attempt_at, outbox.c.id).limit(limit))
    if dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    return due


def claim(now: datetime, limit: int) -> list[int]:
    """Move up to `limit` due pending messages to `sending` under this process's claim; returns their ids."""
    token = claim_token()
    lease = now + timedelta(seconds=_setting("TRACKER_MAIL_LEASE_SECONDS", 600))
    # The ids first, then the UPDATE: PostgreSQL may rescan an IN (... LIMIT n) subquery and claim more than n.
    ids = list(db.session.scalars(due_query(now, limit, db.session.get_bind().dialect)))
    if not ids:
        return []
    result = db.session.execute(
        update(outbox).where(outbox.c.id.in_(ids), outbox.c.status == "pending")
        .values(status="sending", claimed_by=token, lease_until=lease).returning(outbox.c.id)
    )
    return sorted(result.scalars())


def _mark(message_id: int, **values) -> bool:
    result = db.session.execute(
        update(outbox).where(outbox.c.id == message_id, outbox.c.status == "sending",
                             outbox.c.claimed_by == claim_token()).values(lease_until=None, **values)
    )
    db.session.commit()
    return bool(result.rowcount)


def _answer(exc: Exception) -> tuple[bool, str]:
    """(permanent?, the server's answer or the fault) for a failed attempt."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return code >= 500, f"{code} {_text(text)} (recipient refused)"
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500, f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, TimeoutError):
        return False, "The mail server did not answer in time."  # smtplib reports a silent server as a hang-up
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return False, f"The mail server closed the connection: {exc}"
    if isinstance(exc, TimeoutError | socket.timeout):
        return False, "The mail server did not answer in time."
    if isinstance(exc, OSError):
        return False, f"Could not reach the mail server: {exc.strerror or exc}"
    return False, f"{type(exc).__name__}: {exc}"


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _failed_attempt(row: OutboxMessage, exc: Exception, report: DeliveryReport, *, per_message: bool = True) -> None:
    """Retry later with a growing wait; give up (failed) on the last attempt, or at once when the server
    refused this message permanently (5xx). Faults of the connection itself (refused, auth) are never
    blamed on one message: they are retried until the attempts run out."""
    permanent, answer = _answer(exc)
    permanent = permanent and per_message
    attempts = row.attempts + 1
    report.errors.append(answer)
    if permanent or attempts >= _setting("TRACKER_MAIL_MAX_ATTEMPTS", 8):
        _mark(row.id, status="failed", attempts=attempts, last_error=answer[:2000], claimed_by="")
        report.failed += 1
    else:
        _mark(row.id, status="pending", attempts=attempts, last_error=answer[:2000], claimed_by="",
              next_attempt_at=now_utc() + backoff(attempts))
        report.retried += 1


def _connect() -> smtplib.SMTP:
    config = current_app.config
    timeout = config.get("TRACKER_SMTP_TIMEOUT", 20)
    smtp = smtplib.SMTP(config["TRACKER_SMTP_HOST"], config["TRACKER_SMTP_PORT"], timeout=timeout)
    try:
        smtp.ehlo()
        if config["TRACKER_SMTP_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if config["TRACKER_SMTP_USER"]:
            smtp.login(config["TRACKER_SMTP_USER"], config["TRACKER_SMTP_PASSWORD"])
    except Exception:
        smtp.close()
        raise
    return smtp


def smtp_configured() -> bool:
    return bool(current_app.config.get("TRACKER_SMTP_HOST"))


def deliver(*, now: datetime | None = None, batch: int | None = None, max_batches: int = 100) -> DeliveryReport:
    """Send what is due in the outbox. The outermost caller of its own transactions: it commits."""
    batch = batch or int(_setting("TRACKER_MAIL_BATCH", 50))
    report = DeliveryReport()
    if not smtp_configured():
        return report
    db.session.commit()
    report.released = release_stale(now or now_utc())
    db.session.commit()
    for _ in range(max_batches):
        ids = claim(now or now_utc(), batch)
        db.session.commit()
        if not ids:
            break
        rows = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                       .order_by(OutboxMessage.id)))
        with LeaseKeeper(ids):
            _send_batch(rows, report)
        db.session.expire_all()
    return report


def _send_batch(rows: list[OutboxMessage], report: DeliveryReport) -> None:
    from_address = current_app.config["TRACKER_MAIL_FROM"]
    try:
        smtp = _connect()
    except Exception as exc:  # noqa: BLE001  (whatever the fault, every claimed message is retried)
        for row in rows:
            _failed_attempt(row, exc, report, per_message=False)
        return
    try:
        for row in rows:
            if row.user is not None and not row.user.active:
                _mark(row.id, status="failed", attempts=row.attempts, claimed_by="",
                      last_error="Not sent: the recipient's account is deactivated.")
                report.failed += 1
                continue
            name = row.user.name if row.user is not None else ""
            message = as_email(row, name)
            db.session.commit()  # no transaction stays open while the mail server takes its time
            try:
                sender, recipients = envelope(row, from_address)  # a letter's own From and its Cc too
                smtp.send_message(message, from_addr=sender, to_addrs=recipients)
            except smtplib.SMTPSenderRefused as exc:  # our sender address or login: not this message's fault
                _failed_attempt(row, exc, report, per_message=False)
                _reset(smtp)
                continue
            except smtplib.SMTPServerDisconnected as exc:
                _failed_attempt(row, exc, report)
                smtp.close()
                smtp = _connect()
                continue
            except Exception as exc:  # noqa: BLE001
                _failed_attempt(row, exc, report)
                _reset(smtp)
                continue
            if _mark(row.id, status="sent", sent_at=now_utc(), attempts=row.attempts + 1, last_error="",
                     claimed_by=""):
                report.sent += 1
            else:
                current_app.logger.warning("outbox message %s was taken over while it was being sent", row.id)
    except Exception as exc:  # noqa: BLE001  (reconnecting failed: the rest wait for the next round)
        for row in rows:
            if row.status == "sending":
                _failed_attempt(row, exc, report, per_message=False)
    finally:
        try:
            smtp.quit()
        except Exception:  # noqa: BLE001, S110
            smtp.close()


def _reset(smtp: smtplib.SMTP) -> None:
    try:
        smtp.rset()
    except smtplib.SMTPException:
        pass


class LeaseKeeper:
    """Renews the lease of the claimed rows while their batch is being sent, from a thread of its own with its
    own connection, every third of TRACKER_MAIL_LEASE_SECONDS. Only rows still `sending` under this process's
    claim are renewed; the thread stops when the batch is done."""

    def __init__(self, ids: list[int]):
        self.ids = list(ids)
        self.token = claim_token()
        self.lease = timedelta(seconds=_setting("TRACKER_MAIL_LEASE_SECONDS", 600))
        self.engine = db.engine
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="outbox-lease", daemon=True)
        self.renewals = 0

    def __enter__(self) -> LeaseKeeper:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stopped.set()
        self.thread.join()

    def _run(self) -> None:
        interval = max(self.lease.total_seconds() / 3, 0.2)
        while not self.stopped.wait(interval):
            try:
                with self.engine.begin() as conn:
                    conn.execute(update(outbox).where(outbox.c.id.in_(self.ids), outbox.c.status == "sending",
                                                      outbox.c.claimed_by == self.token)
                                 .values(lease_until=now_utc() + self.lease))
                self.renewals += 1
            except Exception:  # noqa: BLE001  (the next renewal tries again; the lease has room for two misses)
                log.warning("could not renew the lease of outbox rows %s", self.ids, exc_info=True)
