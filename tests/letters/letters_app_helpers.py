"""Helpers for the letters' app tests: a fixed request to the ICE FOIA Office, reading PDFs back."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from tests.helpers import make_request
from tracker.agencies.models import Agency
from tracker.extensions import db
from tracker.matters.models import Matter, MatterCategory

ICE = {
    "name": "ICE FOIA Office", "abbreviation": "ICE", "jurisdiction": "US-DHS",
    "foia_email": "ice-foia@ice.dhs.gov", "portal_url": "https://www.dhs.gov/foia",
    "mailing_address": "500 12th St SW, Stop 5009\nWashington, DC 20536-5009",
}


OPR = "ICE Office of Professional Responsibility"


def make_ice(**changes) -> Agency:
    """The ICE FOIA Office and, as in the demo directory, the office whose records are sought (ICE OPR)."""
    agency = Agency(**{**ICE, **changes})
    db.session.add(agency)
    db.session.flush()
    if agency.name == ICE["name"] and db.session.scalar(select(Agency).where(Agency.name == OPR)) is None:
        db.session.add(Agency(name=OPR, abbreviation="ICE OPR", jurisdiction="US-DHS", parent_id=agency.id))
        db.session.flush()
    return agency


DEATH_CARD = "“Death card” allegations, ICE Denver Field Office"


def make_death_card_matter() -> Matter:
    existing = db.session.scalar(select(Matter).where(Matter.title == DEATH_CARD))
    if existing is not None:
        return existing
    matter = Matter(
        title=DEATH_CARD, category=MatterCategory.ADMINISTRATIVE,
        place="Eagle County, Colorado", began_on=date(2026, 1, 21),
        summary="Ace-of-spades cards labelled for the ICE Denver Field Office were found after arrests in Eagle "
                "County on January 21, 2026. DHS said on January 23, 2026 that OPR would investigate.")
    db.session.add(matter)
    db.session.flush()
    return matter


def make_fixed_request(owner_id: int, agency: Agency | None = None, **data):
    """The request the snapshots and most tests use: no description of its own (proposed from the matter)."""
    agency = agency or make_ice()
    matter = make_death_card_matter()
    req = make_request(owner_id, agency, title="OPR report, Denver “death card” inquiry",
                       records_from=date(2026, 1, 21), fee_limit=100, **data)
    req.matters = [matter]
    db.session.flush()
    return req


def pdf_text(data: bytes) -> str:
    """pdftotext's reading of a PDF, whitespace normalised (poppler, as a reader's viewer would see it)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
        text = out.stdout.decode("utf-8")
    else:  # pragma: no cover  (make test installs poppler-utils)
        text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    # A citation broken across lines, "552(a)(6)(E)(v)" / "(II)", reads as one again.
    return re.sub(r"\)\s+(?=\([A-Za-z0-9]{1,4}\))", ")", " ".join(text.split()))


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
