"""The Vaughn index of a determination: per document, the pages withheld in full or in part and the
exemptions applied. The ledger and the agency scorecards aggregate it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from tracker.core.errors import ValidationFailed
from tracker.core.validation import text_errors
from tracker.extensions import db
from tracker.requests import audit
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.models import Determination, DeterminationDocument

MAX_PAGES = 10_000_000
STAGE_OF_ACTION = {"determine": "initial", "decide_appeal": "appeal"}  # actions whose form takes an index


@dataclass
class DocumentInput:
    """One row of the index as a person entered it."""

    description: str = ""
    pages: int | None = None
    withheld_in_full: int | None = None
    withheld_in_part: int | None = None
    exemptions: str | list[str] = ""
    note: str = ""

    def blank(self) -> bool:
        return not (self.description or "").strip() and self.pages is None and not self.withheld_in_full \
            and not self.withheld_in_part and not self.exemptions and not (self.note or "").strip()


@dataclass
class CheckedDocument:
    description: str
    pages: int | None
    withheld_in_full: int
    withheld_in_part: int
    exemptions: list[str] = field(default_factory=list)
    note: str = ""


_BY_LOWER = {code.lower(): code for code in EXEMPTIONS}


def parse_exemptions(text: str | list[str]) -> tuple[list[str], list[str]]:
    """Codes as lawyers write them, "(b)(6), (b)(7)(C)", "b6 b7C" or "6, 7c", to stored codes; and the
    pieces that are not an exemption."""
    pieces = text if isinstance(text, list) else re.split(r"[,;\s]+", text or "")
    codes: list[str] = []
    unknown: list[str] = []
    for piece in pieces:
        raw = (piece or "").strip()
        if not raw:
            continue
        key = re.sub(r"[()\s]", "", raw).lower()
        if not key.startswith("b"):
            key = "b" + key
        code = _BY_LOWER.get(key)
        if code is None:
            unknown.append(raw)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def check_rows(rows: list[DocumentInput]) -> list[CheckedDocument]:
    """Validate the non-blank rows; one message per bad row, naming the row by its number."""
    problems: list[str] = []
    out: list[CheckedDocument] = []
    for number, row in enumerate(rows, start=1):
        if row.blank():
            continue
        errors: list[str] = []
        description = (row.description or "").strip()
        if not description:
            errors.append("describe the document")
        errors += [f"{name.replace('_', ' ')}: {msg.lower()}" for name, msg in
                   text_errors(DeterminationDocument, {"description": description, "note": row.note or ""}).items()]
        counts = {}
        for name in ("pages", "withheld_in_full", "withheld_in_part"):
            value = getattr(row, name)
            if value is not None and not 0 <= value <= MAX_PAGES:
                errors.append(f"{name.replace('_', ' ')} must be 0 or more")
            counts[name] = value
        full, part = counts["withheld_in_full"] or 0, counts["withheld_in_part"] or 0
        if counts["pages"] is not None and full + part > counts["pages"]:
            errors.append(f"{full + part} pages withheld in full or in part, but the document has "
                          f"{counts['pages']}")
        codes, unknown = parse_exemptions(row.exemptions)
        if unknown:
            errors.append("not an exemption of 5 U.S.C. 552(b): " + ", ".join(unknown))
        if errors:
            problems.append(f"Document {number}: " + "; ".join(errors) + ".")
            continue
        out.append(CheckedDocument(description, counts["pages"], full, part, codes, (row.note or "").strip()))
    if problems:
        raise ValidationFailed("The document list has errors.", {"documents": " ".join(problems)})
    return out


def add_documents(determination: Determination | None, rows: list[DocumentInput], *, actor=None,
                  now: datetime | None = None) -> list[DeterminationDocument]:
    """Append documents to a determination's index (blank rows are skipped). Adds and flushes; with an actor,
    the change is on a private request's audit trail (a lifecycle action audits its own)."""
    checked = check_rows(rows)
    if not checked:
        return []
    if determination is None:
        raise ValidationFailed("No determination to list documents for.",
                               {"documents": "Record the determination first, then its documents."})
    last = db.session.scalar(
        select(db.func.max(DeterminationDocument.position)).where(
            DeterminationDocument.determination_id == determination.id)
    ) if determination.id is not None else None
    position = last or 0
    made = []
    for doc in checked:
        position += 1
        made.append(DeterminationDocument(
            determination=determination, position=position, description=doc.description, pages=doc.pages,
            withheld_in_full=doc.withheld_in_full, withheld_in_part=doc.withheld_in_part,
            exemptions=doc.exemptions, note=doc.note,
        ))
    db.session.add_all(made)
    if actor is not None:
        audit.record(determination.request, actor=actor, action="change",
                     detail=f"added {len(made)} document(s) to a Vaughn index", now=now)
    db.session.flush()
    return made


def delete_document(document: DeterminationDocument, *, actor=None, now: datetime | None = None) -> None:
    if actor is not None:
        audit.record(document.determination.request, actor=actor, action="change",
                     detail=f"removed “{document.description[:200]}” from a Vaughn index", now=now)
    db.session.delete(document)
    db.session.flush()


def rows_from_form(field_list) -> list[DocumentInput]:
    """The rows of a FieldList of DocumentRowForm (forms.py) as DocumentInput."""
    rows = []
    for entry in field_list:
        row = entry.form  # a FormField's own .description is its label text, so read the subform
        rows.append(DocumentInput(description=row.description.data or "", pages=row.pages.data,
                                  withheld_in_full=row.withheld_in_full.data,
                                  withheld_in_part=row.withheld_in_part.data, exemptions=row.exemptions.data or ""))
    return rows


def latest_determination(req, stage: str) -> Determination | None:
    """The determination an action just recorded (the newest of its stage)."""
    found = [d for d in req.determinations if d.stage == stage]
    return found[-1] if found else None
