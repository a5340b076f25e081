"""Sending a stored letter to the agency by email, through the outbox, exactly once.

The letter is recorded as sent (letters.services.record_as_sent: the outgoing communication with the PDF, and
filing a draft request) and its email queued in the same transaction, under the natural key `letter:<id>`: a
second attempt finds the letter already sent (409), and the outbox sends each key once. The email comes from
the newsroom mailbox (TRACKER_MAIL_ADDRESS), answers go to the request's reply address (Reply-To), the PDF is
attached and the portal text is the body. Its Message-ID is kept on the communication, so a reply that names
it (In-Reply-To) finds its request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import formataddr, getaddresses

from flask import current_app

from tracker.auth.models import User
from tracker.core import mail as outbox
from tracker.core.errors import Conflict, ValidationFailed
from tracker.core.storage import Storage
from tracker.extensions import db
from tracker.letters import services as letter_services
from tracker.letters.models import Letter
from tracker.mail.addresses import mailbox_address, reply_address
from tracker.requests.models import Communication

REQUEST_LETTERS = ("foia_request", "state_request")  # letters that file a request (a portal-only agency refuses them)
MAX_CC = 10
_ADDRESS = re.compile(r"^[^@\s<>(),;:\"\[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$")


@dataclass
class EmailInput:
    to: str = ""  # the agency's FOIA address, editable
    cc: str = ""  # comma-separated; the reporter by default
    move_on: bool = False  # an appeal or OGIS letter: also record the appeal or the mediation request
    note: str = ""


def portal_only(letter: Letter) -> bool:
    """A request letter to an agency that takes requests only through its portal: never sent by email."""
    return letter.request.agency.portal_only and letter.kind in REQUEST_LETTERS


def not_offered(letter: Letter) -> str:
    """Why this letter cannot go by email from here, in plain words; "" when it can. Said the same on the
    letter page, the batch page and the API, so it names no place on a page: each page points to its own."""
    agency = letter.request.agency
    if letter.communication_id is not None:
        return f"{letter.label} is already recorded as sent."
    if portal_only(letter):  # before the mailbox: with or without one, the portal is the way
        where = f" at {agency.portal_url}" if agency.portal_url else ""
        # The DHS rule is the reason only for a DHS component; another agency's portal rule is its own.
        why = (" (DHS has required this of ICE and every DHS component since January 2026)"
               if agency.jurisdiction == "US-DHS" else "")
        return (f"{agency.label} takes requests only through its online portal{where}, not by email{why}. Paste "
                "the letter's text into the portal, then record the letter as sent.")
    if not mailbox_address():
        return ("Sending by email is not set up: the newsroom has no mailbox address (TRACKER_MAIL_ADDRESS). "
                "Download the PDF and send it yourself, then record it as sent.")
    return ""


def default_to(letter: Letter) -> str:
    agency = letter.request.agency
    if letter.kind == "appeal" and agency.appeal_office and "@" in agency.appeal_office:
        return agency.appeal_office.strip()
    return (agency.foia_email or "").strip()


def _addresses(text: str, field: str, *, most: int) -> list[str]:
    if "\n" in text or "\r" in text:
        raise ValidationFailed("One line only.", {field: "Give the addresses on one line, separated by commas."})
    found = [a.strip() for _n, a in getaddresses([text or ""]) if a.strip()]
    bad = [a for a in found if not _ADDRESS.match(a) or len(a) > 254]
    raw = [p.strip() for p in (text or "").split(",") if p.strip()]
    if bad or len(found) < len(raw):
        raise ValidationFailed("Not an email address.", {field: "Give valid email addresses, separated by commas."})
    if len(found) > most:
        message = "Give one address only." if most == 1 else f"At most {most} addresses."
        raise ValidationFailed("Too many addresses.", {field: message})
    return list(dict.fromkeys(found))


def send_by_email(letter: Letter, inp: EmailInput, *, actor: User, now: datetime, today: date,
                  storage: Storage) -> Communication:
    """Record the letter as sent by email and queue the email; the caller commits, then it can go out."""
    if reason := not_offered(letter):
        raise Conflict(reason)
    to = _addresses(inp.to, "to", most=1)
    if not to:
        raise ValidationFailed("Give the agency's email address.", {"to": "Give the agency's email address."})
    cc = [a for a in _addresses(inp.cc, "cc", most=MAX_CC) if a.lower() != to[0].lower()]
    req = letter.request
    comm = letter_services.record_as_sent(
        letter, letter_services.SendInput(on=today, channel="email", move_on=inp.move_on, note=inp.note),
        actor=actor, now=now, today=today, storage=storage)
    number = req.primary_tracking_number
    subject = comm.subject + (f" ({number})" if number and number not in comm.subject else "")
    newsroom = (current_app.config.get("TRACKER_NEWSROOM_NAME") or "").strip()
    sender = formataddr((f"{actor.name}, {newsroom}" if newsroom else actor.name, mailbox_address()))
    headers = {"From": sender, "Reply-To": reply_address(req.reply_token)}
    if cc:
        headers["Cc"] = ", ".join(cc)
    key = f"letter:{letter.id}"
    domain = mailbox_address().rsplit("@", 1)[1]
    queued = outbox.queue(
        key=key, to_address=to[0], subject=subject, text_body=letter.text, html_body="", now=now,
        request_id=req.id, headers=headers, message_domain=domain,
        attachments=[{"key": letter.storage_key, "filename": letter.filename, "content_type": "application/pdf"}])
    if queued is None:
        raise Conflict(f"{letter.label} was already sent by email.")
    comm.message_id = outbox.message_id_for(key, domain)
    db.session.flush()
    return comm
