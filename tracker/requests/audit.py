"""The audit trail of private requests: every view, download and change, appended, never edited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tracker.auth.models import User
from tracker.extensions import db
from tracker.requests.models import AuditEntry, RecordsRequest


def record(req: RecordsRequest, *, actor: User | None, now: datetime, action: str, detail: str = "",
           address: str = "") -> None:
    """Note an access to a private request; public requests are not audited (their events tell changes)."""
    if not req.private:
        return
    db.session.add(AuditEntry(request_id=req.id, actor_id=actor.id if actor is not None else None, at=now,
                              action=action, detail=detail[:500], address=(address or "")[:64]))


def entries(req: RecordsRequest) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.request_id == req.id).order_by(AuditEntry.id.desc())
    ))
