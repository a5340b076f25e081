"""One status letter per agency: every open request at one agency that the user may act on, in one letter to
the agency's FOIA Public Liaison (5 U.S.C. 552(l)), or to a state agency's records officer under its own law.

Stored with each request it names: one Letter row per request (kind "agency_status"), each with the same
text and its own copy of the PDF, and the list of every request the letter names in its options
(`options["names"]`). A row per request, rather than a link table, keeps every door that already reads
`Letter` working unchanged: the request's letter list, its privacy (a letter is as visible as its request),
the PDF download and "Record as sent", which records the letter on that request's timeline.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.errors import Conflict, NotFound, ValidationFailed
from tracker.core.storage import Storage
from tracker.extensions import db
from tracker.letters import services, sources
from tracker.letters.catalog import LetterTemplateError, missing_fields
from tracker.letters.from_request import build_context, neutral_subject
from tracker.letters.models import Letter
from tracker.letters.options import LetterOptions
from tracker.letters.produce import Rendered, render_letter
from tracker.letters.render import render_html
from tracker.requests import access, audit, due_dates
from tracker.requests.models import RecordsRequest
from tracker.requests.status import OPEN_AT_AGENCY, STATUSES

KIND = "agency_status"
MAX_REQUESTS = 200  # one letter lists at most this many requests


def open_requests(user: User, agency: Agency, ids: Sequence[int] | None = None) -> list[RecordsRequest]:
    """The requests pending at the agency that this user may act on, oldest first (one query). Private
    requests are left out (see check_selection); `private_left_out` counts them."""
    return [r for r in _pending(user, agency, ids) if not r.private]


def private_left_out(user: User, agency: Agency, ids: Sequence[int] | None = None) -> int:
    return sum(1 for r in _pending(user, agency, ids) if r.private)


def _pending(user: User, agency: Agency, ids: Sequence[int] | None) -> list[RecordsRequest]:
    query = (select(RecordsRequest)
             .where(RecordsRequest.agency_id == agency.id, RecordsRequest.status.in_(OPEN_AT_AGENCY),
                    access.visible_to(user))
             .options(selectinload(RecordsRequest.watchers), selectinload(RecordsRequest.tracking_numbers),
                      selectinload(RecordsRequest.matters), selectinload(RecordsRequest.agency))
             .order_by(RecordsRequest.received_on.asc().nulls_last(), RecordsRequest.sent_on.asc().nulls_last(),
                       RecordsRequest.id))
    if ids is not None:
        query = query.where(RecordsRequest.id.in_(sorted(set(ids))))
    return [r for r in db.session.scalars(query) if access.can_act(user, r)]


def check_selection(reqs: Sequence[RecordsRequest]) -> Agency:
    """A selection for one letter: all at one agency and all pending there; BulkRefused-style messages
    naming each request that is not."""
    agencies = {r.agency_id for r in reqs}
    if len(agencies) != 1:
        names = sorted({r.agency.abbreviation or r.agency.name for r in reqs})
        raise ValidationFailed("One status letter goes to one agency; the selection has requests at "
                               + ", ".join(names) + ".", {"ids": "Select requests at one agency."})
    not_open = [r for r in reqs if r.status not in OPEN_AT_AGENCY]
    if not_open:
        named = "; ".join(f"“{r.title}” (#{r.id}) is {STATUSES[r.status].label.lower()}" for r in not_open[:10])
        raise ValidationFailed(f"Nothing was written. A status letter lists requests still pending at the "
                               f"agency: {named}.", {"ids": named})
    private = [r for r in reqs if r.private]
    if private and len(reqs) > 1:
        # The letter is stored with each request it names: beside others, a private request's tracking number
        # and subject would show to every colleague who may see one of the others.
        named = "; ".join(f"“{r.title}” (#{r.id})" for r in private[:10])
        raise ValidationFailed(f"Nothing was written. A private request goes in a status letter only on its "
                               f"own: the letter is stored with each request it names, where colleagues who see "
                               f"the others would read it. Leave out {named}, or write its own.",
                               {"ids": named})
    return reqs[0].agency


def row(req: RecordsRequest, today: date) -> dict[str, Any]:
    response = next((r for r in due_dates.summary(req, today) if r["kind"] == "response"), None)
    numbers = [t.number for t in req.tracking_numbers if t.kind == "request"] or \
        [t.number for t in req.tracking_numbers]
    return {
        "subject": req.subject.strip() or neutral_subject(req),  # never the newsroom's working title
        "tracking_numbers": numbers,
        "sent_on": req.sent_on,
        "received_on": req.received_on,
        "response_due": req.response_due,
        "overdue": int(response["overdue_by"] or 0) if response else 0,
        "unit": "calendar day" if response and response["unit"] == "calendar" else "working day",
        "estimated_completion_on": req.estimated_completion_on,
        "status": req.status,
        "paused": req.open_tolled_span is not None,
    }


def build(reqs: Sequence[RecordsRequest], options: LetterOptions, *, today: date,
          letterhead: Mapping[str, Any]) -> dict[str, Any]:
    """The letter's context: the request-letter context of the agency and signer, and one row per request."""
    context = build_context(reqs[0], KIND, options, today=today, letterhead=dict(letterhead))
    rows = [row(r, today) for r in reqs]
    context["requests"] = rows
    context["overdue_count"] = sum(1 for item in rows if item["overdue"] > 0)
    context["federal"] = due_dates.is_federal(reqs[0].agency.jurisdiction)
    context["agency"]["phone"] = reqs[0].agency.phone
    context["request"] = {"title": f"{len(rows)} pending requests", "tracking_numbers": [],
                          "fee_category": reqs[0].fee_category}
    return context


def default_options(agency: Agency, actor: User) -> LetterOptions:
    earlier = db.session.scalar(select(Letter).where(Letter.kind == KIND, Letter.created_by_id == actor.id)
                                .order_by(Letter.id.desc()).limit(1))
    previous = services.previous_options(actor)
    options = LetterOptions.from_json(earlier.options) if earlier is not None else LetterOptions()
    options.custom_text = options.custom_text if earlier is not None and earlier.request.agency_id == agency.id \
        else ""
    options.requester_name = options.requester_name or actor.name
    options.requester_email = options.requester_email or actor.email
    if previous is not None:
        options.requester_title = options.requester_title or previous.requester_title
        options.requester_phone = options.requester_phone or previous.requester_phone
    options.channel = options.channel if options.channel in services.LETTER_CHANNELS else "portal"
    if agency.portal_only:
        options.channel = "portal"
    return options


def _kind(search: Sequence[Path]):
    try:
        return sources.kind(KIND, search)
    except LookupError as exc:
        raise NotFound("The status letter per agency is missing from the letter templates.") from exc
    except LetterTemplateError as exc:
        raise ValidationFailed(f"The letter template is broken: {exc}", {"template": str(exc)}) from exc


def preview(reqs: Sequence[RecordsRequest], options: LetterOptions, *, today: date, search: Sequence[Path],
            letterhead: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    """The letter as HTML and what it still lacks (labels); no HTML while something is missing."""
    if not reqs:
        return None, []
    spec, root = _kind(search)
    context = build(reqs, options, today=today, letterhead=letterhead)
    missing = [spec.label(p) for p in missing_fields(spec, context)]
    if missing:
        return None, missing
    try:
        html = render_html(KIND, context, templates_dir=root)
    except LetterTemplateError as exc:
        raise ValidationFailed(f"The letter template is broken: {exc}", {"template": str(exc)}) from exc
    return html.replace("</head>", services.SCREEN_STYLE + "</head>", 1), []


def generate(reqs: Sequence[RecordsRequest], options: LetterOptions, *, actor: User, now: datetime, today: date,
             storage: Storage, search: Sequence[Path], letterhead: Mapping[str, Any]) -> list[Letter]:
    """Render the one letter and store it with each request it names; the letters in the requests' order."""
    if not reqs:
        raise ValidationFailed("There is no request pending at this agency that you may act on.",
                               {"ids": "No pending request to list."})
    if len(reqs) > MAX_REQUESTS:
        raise ValidationFailed(f"One letter lists at most {MAX_REQUESTS} requests; select fewer.",
                               {"ids": f"Select at most {MAX_REQUESTS} requests."})
    agency = check_selection(reqs)
    if options.channel not in services.LETTER_CHANNELS:
        raise ValidationFailed("Choose how the letter will be sent.", {"channel": "Choose how it will be sent."})
    spec, root = _kind(search)
    context = build(reqs, options, today=today, letterhead=letterhead)
    missing = [spec.label(p) for p in missing_fields(spec, context)]
    if missing:
        raise ValidationFailed("The letter cannot be written yet: " + "; ".join(missing) + ".",
                               {"missing": "; ".join(missing)})
    try:
        rendered = render_letter(KIND, context, templates_dir=root)
    except LetterTemplateError as exc:
        raise ValidationFailed(f"The letter template is broken: {exc}", {"template": str(exc)}) from exc
    return _store(reqs, rendered, spec.title, options, agency, actor=actor, now=now, today=today,
                  storage=storage)


def _store(reqs: Sequence[RecordsRequest], rendered: Rendered, title: str, options: LetterOptions, agency: Agency,
           *, actor: User, now: datetime, today: date, storage: Storage) -> list[Letter]:
    ids = [r.id for r in reqs]
    db.session.execute(select(RecordsRequest.id).where(RecordsRequest.id.in_(ids)).with_for_update())
    stem = f"{today.isoformat()}-status-letter-{(agency.abbreviation or 'agency').lower().replace(' ', '-')}"
    saved: list[str] = []
    letters = []
    recorded = {**options.to_json(), "names": ids, "agency_id": agency.id}
    try:
        for req in reqs:
            version = services._next_version(req, KIND)
            stored = storage.save(io.BytesIO(rendered.pdf))
            saved.append(stored.key)
            letter = Letter(request=req, kind=KIND, version=version, title=title, text=rendered.text,
                            storage_key=stored.key, sha256=stored.sha256, size=stored.size, pages=rendered.pages,
                            filename=f"{stem}.pdf" if version == 1 else f"{stem}-v{version}.pdf",
                            options=recorded, created_by=actor, created_at=now)
            db.session.add(letter)
            letters.append(letter)
        db.session.flush()
    except IntegrityError as exc:
        for key in saved:
            storage.delete(key)
        raise Conflict("Someone else wrote a status letter for these requests at the same moment. Try again.") \
            from exc
    for req, letter in zip(reqs, letters, strict=True):
        audit.record(req, actor=actor, action="change",
                     detail=f"generated {letter.label} (one letter naming {len(reqs)} requests)", now=now)
    return letters


def names(letter: Letter) -> list[int]:
    """The ids of every request a status letter per agency names (for its page)."""
    value = (letter.options or {}).get("names")
    return [int(i) for i in value] if isinstance(value, list) else []
