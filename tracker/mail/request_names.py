"""The request a person names when filing a message by hand: its number as the tracker shows it ("Request #12"
at the top of its page; "#12" and "12" too), or a tracking number the agency gave it, such as 2026-ICFO-00881.

Only requests the person may see count (requests.access): one they may not see answers exactly like one that
does not exist. A refusal is a ValidationFailed on the form's field, in words that say what to type instead.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.core.converters import MAX_ID
from tracker.core.errors import ValidationFailed
from tracker.extensions import db
from tracker.requests.access import can_view, visible_to
from tracker.requests.models import RecordsRequest, TrackingNumber

# "12", "#12", "Request #12", "request 12": the tracker's own number for a request
_OWN_NUMBER = re.compile(r"^(?:request\s*)?(#\s*)?(\d{1,10})$", re.IGNORECASE)
WHERE_SHOWN = "the request's number is at the top of its page, as “Request #12”"


def request_named(actor: User, text: str, *, field: str = "number") -> RecordsRequest:
    """The one request `text` names among those `actor` may see, or a field error that says why not."""
    text = " ".join((text or "").split())
    if not text:
        raise ValidationFailed("Name the request.", {field: f"Give the request's number or its tracking number ("
                                                            f"{WHERE_SHOWN})."})
    own = _OWN_NUMBER.match(text)
    if own is not None:
        number = int(own.group(2))
        req = db.session.get(RecordsRequest, number) if number <= MAX_ID else None
        if req is not None and can_view(actor, req):
            return req
        if not text[0].isdigit():  # "#12", "Request 12": the tracker's number, never a tracking number
            raise ValidationFailed("No such request.", {field: "There is no request with this number that you "
                                                               "can see."})
    ids = db.session.scalars(select(RecordsRequest.id).distinct()
                             .join(TrackingNumber, TrackingNumber.request_id == RecordsRequest.id)
                             .where(func.upper(TrackingNumber.number) == text.upper(), visible_to(actor))
                             .limit(2)).all()
    if len(ids) == 1:
        return db.session.get(RecordsRequest, ids[0])
    if ids:  # tracking numbers are unique per agency, not across agencies
        raise ValidationFailed("Several requests.", {field: "Several requests have this tracking number: give the "
                                                            f"request's number instead ({WHERE_SHOWN})."})
    if own is not None:
        raise ValidationFailed("No such request.", {field: "No request you can see has this number or tracking "
                                                           "number."})
    raise ValidationFailed("No such request.", {field: "No request you can see has this tracking number."})
