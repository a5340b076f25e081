"""Which request an incoming message belongs to, first rule that matches:

(a) In-Reply-To / References name a Message-ID of a letter we sent;
(b) the reply-address tag (foia+TOKEN@...) in To, Cc or Delivered-To;
(c) a tracking number in the subject, the body or an attachment's text that belongs to exactly one request;
(d) a reporter's forward: the original is recovered (parse.py) and (a)-(c) run on it.

And whether the sender can be trusted: a message matched only by tag or tracking number whose sender is
outside the agency's mail domains (or that failed the receiving server's DMARC, SPF or DKIM check) is filed
but marked "unverified sender".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.extensions import db
from tracker.mail.addresses import tokens_in
from tracker.mail.parse import Parsed
from tracker.requests.models import Communication, RecordsRequest, TrackingNumber

_CANDIDATE = re.compile(r"(?<![\w-])[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)+(?![\w-])|(?<!\w)[A-Za-z]{0,6}\d{4,}(?!\w)")
MAX_CANDIDATES = 500


@dataclass
class Thread:
    request: RecordsRequest | None = None
    rule: str = ""  # reply, tag, tracking_number; "" when nothing matched
    trusted: bool = False
    suggestions: list[RecordsRequest] = field(default_factory=list)  # for Unsorted mail: the near misses
    notes: list[str] = field(default_factory=list)


def newsroom_user(address: str) -> User | None:
    if not address:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == address.lower(), User.active.is_(True)))


def original_of_forward(parsed: Parsed) -> Parsed | None:
    """The agency's message inside a reporter's forward (the innermost one not sent by a newsroom user)."""
    original = parsed.forwarded
    while original is not None and original.forwarded is not None and newsroom_user(original.from_address):
        original = original.forwarded
    return original


def _sent_by_us(ids: list[str]) -> RecordsRequest | None:
    variants = set()
    for value in ids[:50]:
        variants |= {value, value.strip("<>")}
    if not variants:
        return None
    if (batch := _batch_lookups()) is not None:
        return batch.sent_by_us(variants)
    comm = db.session.scalar(select(Communication).where(
        Communication.message_id.in_(variants), Communication.direction == "out").order_by(Communication.id.desc()))
    return comm.request if comm is not None else None


def _by_token(*headers: str) -> RecordsRequest | None:
    batch = _batch_lookups()
    for token in tokens_in(*headers):
        req = batch.by_token(token) if batch is not None else \
            db.session.scalar(select(RecordsRequest).where(RecordsRequest.reply_token == token))
        if req is not None:
            return req
    return None


def _batch_lookups():
    """The fetch's look-ups for its whole quick batch (mail.lookups), None elsewhere: the same answers."""
    from tracker.mail.lookups import current

    return current()


def tracking_candidates(*texts: str) -> list[str]:
    found: list[str] = []
    seen = set()
    for text in texts:
        for token in _CANDIDATE.findall(text or ""):
            key = token.upper()
            if key not in seen and any(ch.isdigit() for ch in key):
                seen.add(key)
                found.append(key)
                if len(found) >= MAX_CANDIDATES:
                    return found
    return found


def _by_tracking_number(texts: list[str]) -> tuple[RecordsRequest | None, list[RecordsRequest]]:
    batch = _batch_lookups()
    candidates = batch.tracking_candidates(texts) if batch is not None else tracking_candidates(*texts)
    if not candidates:
        return None, []
    rows = batch.tracking_rows(candidates) if batch is not None else \
        db.session.scalars(select(TrackingNumber).where(func.upper(TrackingNumber.number).in_(candidates))).all()
    requests = list({row.request_id: row.request for row in rows}.values())
    if len(requests) == 1:
        return requests[0], []
    return None, requests


def sender_is_agencys(address: str, req: RecordsRequest) -> bool:
    domain = address.rsplit("@", 1)[-1].lower() if "@" in address else ""
    return bool(domain) and any(domain == d or domain.endswith("." + d) for d in req.agency.domains)


def thread(parsed: Parsed, *, attachment_texts: list[str]) -> Thread:
    """Find the request of a message (or of the original inside a reporter's forward)."""
    original = original_of_forward(parsed) if parsed.forwarded is not None else None
    subject = original or parsed
    sender = subject.from_address
    refs = parsed.in_reply_to + parsed.references + (original.in_reply_to + original.references if original else [])
    found = Thread()
    req = _sent_by_us(refs)
    if req is not None:
        found.request, found.rule = req, "reply"
    else:
        headers = [parsed.to, parsed.cc, *parsed.delivered_to]
        if original is not None:
            headers += [original.to, original.cc]
        req = _by_token(*headers)
        if req is not None:
            found.request, found.rule = req, "tag"
        else:
            texts = [subject.subject, subject.body, *attachment_texts]
            if original is not None:
                texts += [parsed.subject, parsed.body]
            req, near = _by_tracking_number(texts)
            if req is not None:
                found.request, found.rule = req, "tracking_number"
            found.suggestions = near
    if found.request is None:
        return found
    failed = subject.authentication_failed if original is None else parsed.authentication_failed
    if failed:
        found.notes.append(f"Unverified sender: the receiving mail server says the sender's {failed.upper()} "
                           "check failed, so the From address may be forged.")
    elif found.rule == "reply":
        found.trusted = True
    elif sender_is_agencys(sender, found.request):
        found.trusted = True
    else:
        domains = ", ".join(found.request.agency.domains) or "none recorded"
        agency = found.request.agency.label
        found.notes.append(f"Unverified sender: {sender or 'no address'} is not at one of {agency}'s mail domains "
                           f"({domains}). Nothing is proposed from this message.")
    return found
