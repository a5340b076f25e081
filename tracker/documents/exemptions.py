"""Exemptions a determination letter names, read from its text, proposed for that determination's Vaughn index.

Agencies write them many ways: "(b)(6)", "(b)(7)(C)", "b7c", "b(6)", "Exemption 5", "Exemptions 6 and 7(C)",
"FOIA Exemption (b)(7)(E)". Only codes of 5 U.S.C. 552(b) are proposed; a person confirms them.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from tracker.documents.models import DocumentText, SearchEntry
from tracker.extensions import db
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.models import Attachment, Communication, Determination, Event

_CODE = r"([1-9])(?!\d)(?:\s*\)?\s*\(\s*([a-fA-F])\s*\)|\)?([a-fA-F])(?![a-zA-Z]))?"
_CITED = re.compile(r"(?<![A-Za-z_(])\(?\s*b\s*\)?\s*\(?\s*" + _CODE + r"\s*\)?", re.IGNORECASE)
_NAMED = re.compile(r"\bexemptions?\s+((?:\(?[1-9](?!\d)\)?\s*(?:\(\s*[a-fA-F]\s*\)|[a-fA-F](?![a-zA-Z]))?"
                    r"(?:\s*(?:,|and|&|or)\s*)*)+)", re.IGNORECASE)
_LISTED = re.compile(r"\(?\s*" + _CODE + r"\s*\)?")


def _code(number: str, letter: str | None) -> str | None:
    code = f"b{number}{(letter or '').upper()}"
    return code if code in EXEMPTIONS else None  # "(b)(7)" alone names no subsection: not proposed


def find_exemptions(text: str) -> list[str]:
    """The 552(b) codes a text names, in the order first named, each once."""
    found: list[tuple[int, str]] = []
    for match in _CITED.finditer(text or ""):
        if code := _code(match.group(1), match.group(2) or match.group(3)):
            found.append((match.start(), code))
    for match in _NAMED.finditer(text or ""):
        for item in _LISTED.finditer(match.group(1)):
            if code := _code(item.group(1), item.group(2) or item.group(3)):
                found.append((match.start(1) + item.start(), code))
    codes: list[str] = []
    for _, code in sorted(found):
        if code not in codes:
            codes.append(code)
    return codes


STAGE_ACTION = {"initial": "determine", "appeal": "decide_appeal"}
STAGE_KIND = {"initial": "determination", "appeal": "appeal_decision"}


def letter_text(determination: Determination) -> str:
    """The text of the letters that brought this determination: the communication recorded with it (or of
    its kind on its day), and the pages of its attachments."""
    comms = db.session.scalars(
        select(Communication).outerjoin(Event, Event.id == Communication.event_id).where(
            Communication.request_id == determination.request_id, Communication.direction == "in",
            or_(Event.action == STAGE_ACTION.get(determination.stage),
                Communication.kind == STAGE_KIND.get(determination.stage)),
            Communication.occurred_on == determination.decided_on)).all()
    if not comms:
        return ""
    parts = [f"{c.subject}\n{c.body}" for c in comms]
    pages = db.session.scalars(
        select(SearchEntry.body).join(DocumentText, DocumentText.id == SearchEntry.document_id)
        .join(Attachment, Attachment.id == DocumentText.attachment_id)
        .where(Attachment.communication_id.in_([c.id for c in comms])).order_by(SearchEntry.id)).all()
    return "\n".join(parts + list(pages))


def proposed_exemptions(determination: Determination) -> list[str]:
    """Codes named in the determination's letter that its Vaughn index does not list yet."""
    codes = find_exemptions(letter_text(determination))
    listed = {code for doc in getattr(determination, "documents", []) for code in doc.exemptions or []}
    return [code for code in codes if code not in listed]
