"""Telling the owner and the watchers that an agency's letter arrived and what it proposes, through the
reminders outbox (sent after the commit, exactly once per letter and person). A person who muted "agency_letter"
in their reminder preferences gets nothing; a deactivated account or one that may not see the request neither."""

from __future__ import annotations

from datetime import datetime
from html import escape

from tracker.core import mail as outbox
from tracker.extensions import db
from tracker.mail import batch
from tracker.mail.proposal_models import Proposal
from tracker.reminders.links import request_url
from tracker.reminders.services import Preference, preferences, recipients
from tracker.requests.models import Communication, RecordsRequest

MUTE_KEY = "agency_letter"
ORDER = ("determination", "appeal_decision", "fee_estimate", "clarification", "still_interested", "extension",
         "estimated_completion", "acknowledgment", "appeal_acknowledgment", "portal_notice")
SHORT_OUTCOMES = {"granted_in_full": "full grant", "granted_in_part": "partial grant", "denied": "denial",
                  "no_records": "no records", "referred": "referral", "affirmed": "denial affirmed on appeal",
                  "reversed_in_part": "appeal granted in part", "reversed": "appeal granted",
                  "remanded": "appeal remanded"}


def _what(p: Proposal) -> str:
    f = p.fields or {}
    if p.kind in ("determination", "appeal_decision"):
        text = SHORT_OUTCOMES.get(f.get("outcome", ""), "a determination" if p.kind == "determination"
                                  else "an appeal decision")
        if f.get("pages_released") is not None:
            text += f", {f['pages_released']} pages"
        return text
    return {"fee_estimate": f"a fee estimate of ${f.get('amount', '?')}", "clarification": "a clarification request",
            "still_interested": "asks whether we are still interested", "extension": "an extension",
            "estimated_completion": f"completion expected {f.get('completion_on', '')}".strip(),
            "acknowledgment": "acknowledgment" + (f" {f['tracking_number']}" if f.get("tracking_number") else ""),
            "appeal_acknowledgment": "appeal acknowledged" + (f" {f['tracking_number']}" if f.get("tracking_number")
                                                              else ""),
            "portal_notice": "a letter waits in the agency's portal"}.get(p.kind, p.kind)


def headline(req: RecordsRequest, proposals: list[Proposal]) -> str:
    """E.g. "ICE answered 2026-ICFO-01234: proposed partial grant, 14 pages"."""
    agency = req.agency.abbreviation or req.agency.name
    number = req.primary_tracking_number or next(
        (p.fields.get("tracking_number") for p in proposals if (p.fields or {}).get("tracking_number")), "") \
        or f"“{req.title}”"
    first = sorted(proposals, key=lambda p: ORDER.index(p.kind) if p.kind in ORDER else 99)[0]
    if first.kind == "portal_notice":
        return f"{agency} updated {number}: a letter waits in the agency's portal"
    return f"{agency} answered {number}: proposed {_what(first)}"


def tell_people(req: RecordsRequest, comm: Communication, proposals: list[Proposal], *, now: datetime) -> int:
    """Queue one email per person; returns how many were queued (in the fetch's quick pass, how many are
    to be queued: the batch writes its emails together once its notices are done, mail.batch)."""
    from tracker.mail.proposals import describe

    quick = batch.current.get()
    lookups = quick.lookups if quick is not None else None
    people = recipients(req)
    prefs = (lookups.preferences if lookups is not None else preferences)(u.id for u in people)
    subject = headline(req, proposals)
    url = request_url(req.id) + "#proposals"
    described = [(describe(p), p.sentence) for p in proposals]  # once each, for both bodies
    text = (f"{subject}\n\nRequest: {req.title}\n\nThe tracker read the agency's letter and proposes:\n\n"
            + "\n\n".join(f"- {line}\n  From the letter: “{sentence}”" for line, sentence in described)
            + f"\n\nNothing changes until someone confirms it. Review it here:\n{url}\n")
    html = (f"<p><strong>{escape(subject)}</strong></p><p>Request: {escape(req.title)}</p>"
            "<p>The tracker read the agency's letter and proposes:</p><ul>"
            + "".join(f"<li>{escape(line)}<br><small>From the letter: “{escape(sentence)}”</small></li>"
                      for line, sentence in described)
            + f"</ul><p>Nothing changes until someone confirms it. <a href=\"{escape(url)}\">Review it</a>.</p>")
    queued = 0
    for user in people:
        if MUTE_KEY in prefs.get(user.id, Preference()).muted or not user.email:
            continue
        if quick is not None:
            if lookups is not None:
                lookups.hold_installation()
            quick.mails.append(outbox.outbox_row(
                key=f"agency-letter:{comm.id}:{user.id}", to_address=user.email, subject=subject, text_body=text,
                html_body=html, now=now, user_id=user.id, request_id=req.id))
            queued += 1
        elif outbox.queue(key=f"agency-letter:{comm.id}:{user.id}", to_address=user.email, subject=subject,
                        text_body=text, html_body=html, now=now, user_id=user.id, request_id=req.id) is not None:
            queued += 1
    if quick is None:
        db.session.flush()
    return queued

