"""The audit trail of private requests: every view, download, export and change, appended, never edited.

Services write it wherever the access happens (web, API, CLI, feeds, exports), so every door leaves the same
trail. The door says where the access came from once, with `origin` (the client's address, or "cli").
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime

from sqlalchemy import select

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.requests.models import AuditEntry, RecordsRequest

ACTIONS = ("view", "download", "export", "change")
origin: ContextVar[str] = ContextVar("audit_origin", default="")


def record(req: RecordsRequest, *, actor: User | None, action: str, detail: str = "",
           now: datetime | None = None, private: bool | None = None) -> None:
    """Note an access to a private request; public requests are not audited (their events tell changes).
    `private` overrides the request's flag (an edit that made a private request public is still audited)."""
    if not (req.private if private is None else private):
        return
    db.session.add(AuditEntry(request_id=req.id, actor_id=getattr(actor, "id", None), at=now or now_utc(),
                              action=action, detail=detail[:500], address=origin.get()[:64]))


def record_many(reqs, *, actor: User | None, action: str, detail: str = "", now: datetime | None = None) -> None:
    """One entry per private request among these (an export or a feed that carried them)."""
    for req in reqs:
        record(req, actor=actor, action=action, detail=detail, now=now)


def entries(req: RecordsRequest) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.request_id == req.id).order_by(AuditEntry.id.desc())
    ))
