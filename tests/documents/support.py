"""Shared steps of the documents tests: store a file on a request, run the extraction job as the scheduler would."""

from __future__ import annotations

import io

from flask import current_app
from sqlalchemy import select, text

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.storage import DirectoryStorage
from tracker.documents import services
from tracker.documents.limits import Limits
from tracker.documents.models import DocumentText
from tracker.extensions import db
from tracker.requests import services as request_services
from tracker.requests.models import Attachment


def storage() -> DirectoryStorage:
    return DirectoryStorage(current_app.config["TRACKER_UPLOAD_DIR"])


def upload(req, user_id: int, name: str, data: bytes) -> Attachment:
    actor = db.session.get(User, user_id)
    request_services.upload_documents(req, [request_services.Upload(name, io.BytesIO(data))], actor=actor,
                                      now=now_utc(), storage=storage())
    db.session.commit()
    return db.session.scalars(select(Attachment).where(Attachment.request_id == req.id)
                              .order_by(Attachment.id.desc())).first()


def extract(limits: Limits | None = None, **kw) -> services.ExtractResult:
    return services.extract_pending(storage=storage(), limits=limits or Limits(), **kw)


def text_of(attachment_id: int) -> DocumentText:
    return db.session.scalars(select(DocumentText).where(DocumentText.attachment_id == attachment_id)).one()



# The index columns of a page as PostgreSQL makes them from its text, written out here rather than read from
# tracker/documents/fts.py, so that the test stands apart from the code it checks.
_NOT_AS_THEIR_TEXT = (
    "SELECT id FROM search_entries WHERE search_vector IS DISTINCT FROM ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'B')) "
    "OR phrase_pairs IS DISTINCT FROM search_pairs("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'B')) ORDER BY id")


def entries_not_indexed_as_their_text() -> list[int]:
    """On PostgreSQL, the ids of search entries whose tsvector or word pairs are not those of their own title and
    body (tracker/documents/fts.py); on SQLite none (FTS5 keeps its own index, with no such columns)."""
    if db.engine.dialect.name != "postgresql":
        return []
    return list(db.session.scalars(text(_NOT_AS_THEIR_TEXT)))
