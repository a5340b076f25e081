"""Requests out, as CSV (the import's columns, so a file exported here imports as it is) or as JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.core.csv import guard
from tracker.extensions import db
from tracker.imports.columns import COLUMNS
from tracker.requests import access, audit
from tracker.requests.models import Determination, Event, RecordsRequest
from tracker.requests.queries import RequestFilters, request_list_query

BATCH = 500


def _last_event(req: RecordsRequest, action: str) -> Event | None:
    return next((e for e in reversed(req.events) if e.action == action), None)


def _last_determination(req: RecordsRequest, stage: str) -> Determination | None:
    return next((d for d in reversed(req.determinations) if d.stage == stage), None)


def _number(req: RecordsRequest, kind: str) -> str:
    return next((t.number for t in req.tracking_numbers if t.kind == kind), "")


def _on(event: Event | None) -> date | None:
    return event.on if event is not None else None


def request_row(req: RecordsRequest, viewer: User | None = None) -> dict:
    """One request as typed values, keyed by column name. With a viewer, a parent request (referred_from_id)
    they may not see is left out."""
    initial = _last_determination(req, "initial")
    appeal = _last_determination(req, "appeal")
    filing = _last_event(req, "file")
    return {
        "id": req.id, "title": req.title, "agency": req.agency.name, "status": req.status, "private": req.private,
        "records_description": req.records_description, "records_from": req.records_from,
        "records_to": req.records_to, "delivery_format": req.delivery_format, "fee_category": req.fee_category,
        "fee_limit": req.fee_limit, "fee_waiver_requested": req.fee_waiver_requested,
        "fee_waiver_justification": req.fee_waiver_justification, "expedited_requested": req.expedited_requested,
        "expedited_category": req.expedited_category, "expedited_justification": req.expedited_justification,
        "matters": [m.title for m in req.matters], "sent_on": req.sent_on,
        "channel": (filing.data or {}).get("channel", "") if filing is not None else "",
        "received_on": req.received_on, "acknowledged_on": req.acknowledged_on,
        "tracking_number": req.primary_tracking_number,
        "extended_on": _on(_last_event(req, "extend")) if req.extended else None,
        "tolled": [{"reason": s.reason, "paused_on": s.paused_on, "resumed_on": s.resumed_on}
                   for s in req.tolled_spans],
        "determined_on": initial.decided_on if initial else None, "outcome": initial.outcome if initial else "",
        "exemptions": list(initial.exemptions or []) if initial else [],
        "pages_released": req.pages_released, "pages_withheld": req.pages_withheld,
        "fees_estimated": req.fees_estimated, "fees_paid": req.fees_paid, "appeal_filed_on": req.appeal_filed_on,
        "appeal_tracking_number": _number(req, "appeal"),
        "appeal_extended_on": _on(_last_event(req, "appeal_extend")) if req.appeal_extended else None,
        "appeal_decided_on": appeal.decided_on if appeal else None, "appeal_outcome": appeal.outcome if appeal else "",
        "mediation_on": _on(_last_event(req, "mediate")), "ogis_case_number": _number(req, "ogis"),
        "lawsuit_on": _on(_last_event(req, "sue")), "case_number": _number(req, "case"),
        "closed_on": req.closed_on, "follow_up_on": req.follow_up_on, "our_answer_due_on": req.our_answer_due_on,
        "owner": req.owner.email, "response_due": req.response_due, "appeal_due": req.appeal_due,
        "updated_at": req.updated_at, "link": _link(req), "referred_from_id": _parent_id(req, viewer),
        "batch_id": req.batch_id,
    }


def _parent_id(req: RecordsRequest, viewer: User | None) -> int | None:
    if req.referred_from_id is None or viewer is None:
        return req.referred_from_id
    parent = req.referred_from
    return parent.id if parent is not None and access.can_view(viewer, parent) else None


def _link(req: RecordsRequest) -> str:
    """The request's page in the tracker, so a row in a spreadsheet opens its request."""
    from flask import current_app

    return f"{current_app.config.get('TRACKER_BASE_URL', 'http://127.0.0.1:5000').rstrip('/')}/requests/{req.id}"


def _cell(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date | Decimal | int):
        return str(value)
    if name == "tolled":
        return "; ".join(f"{s['reason']} {s['paused_on']} to {s['resumed_on'] or ''}".strip() for s in value)
    if isinstance(value, list):
        return "; ".join(value)
    return guard(value)


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def visible_requests(user: User, filters: RequestFilters) -> Iterator[RecordsRequest]:
    """Every request the user may see, oldest first, loaded in batches with what the rows need. The query is
    built at once, while the user is loaded; the rows are read as the response streams."""
    query = request_list_query(user, filters).order_by(None).order_by(RecordsRequest.id).options(
        selectinload(RecordsRequest.events), selectinload(RecordsRequest.determinations),
        selectinload(RecordsRequest.tolled_spans),
    )
    return _batches(query)


def _batches(query) -> Iterator[RecordsRequest]:
    last = 0
    while True:
        batch = db.session.scalars(query.where(RecordsRequest.id > last).limit(BATCH)).all()
        yield from batch
        if len(batch) < BATCH:
            return
        last = batch[-1].id


def record_export(user: User, filters: RequestFilters, *, detail: str) -> None:
    """An "export" entry on the audit trail of every private request the export carries (before it streams)."""
    query = request_list_query(user, filters).where(RecordsRequest.private.is_(True)).order_by(None)
    audit.record_many(db.session.scalars(query), actor=user, action="export", detail=detail)


def csv_lines(requests: Iterable[RecordsRequest], viewer: User | None = None) -> Iterator[str]:
    """The CSV, line by line (streamed: a large export never sits whole in memory). UTF-8 BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    yield "\ufeff" + buffer.getvalue()
    for req in requests:
        buffer.seek(0)
        buffer.truncate()
        row = request_row(req, viewer)
        writer.writerow([_cell(c.name, row[c.name]) for c in COLUMNS])
        yield buffer.getvalue()


def json_rows(requests: Iterable[RecordsRequest], viewer: User | None = None) -> list[dict]:
    return [_jsonable(request_row(req, viewer)) for req in requests]
