"""A snapshot of each letter's HTML for a fixed request, so any change to a letter's words is seen in review.

After an intended change to a template, rewrite the snapshots and read the diff:
    TRACKER_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/letters/test_letters_app_snapshots.py
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import perform
from tests.letters.letters_app_helpers import make_fixed_request, make_ice
from tracker.auth.models import User
from tracker.core.clock import today
from tracker.letters import services, sources
from tracker.letters.plaintext import html_to_text

SNAPSHOTS = Path(__file__).with_name("snapshots")
LETTERHEAD = {"name": "The Mountain Dispatch", "address": "P.O. Box 1234\nDenver, CO 80201", "logo": "",
              "about": "The Mountain Dispatch publishes news daily online to about 200,000 readers a month.",
              "fee_limit": "50.00"}
URGENCY = "Congress is examining how ICE investigated these allegations; the hearing is on December 9, 2026."


def _filed(req, reporter):
    perform(req, "file", reporter, on=date(2026, 10, 1), channel="portal")
    perform(req, "acknowledge", reporter, on=date(2026, 10, 2), tracking_number="2026-ICFO-01234")


def _setup(kind: str, reporter: int):
    """The request in the state the kind is written in, and the reporter's choices."""
    changes: dict = {"requester_title": "Investigative Reporter", "requester_phone": "(303) 555-0142"}
    if kind == "state_request":
        agency = make_ice(name="Eagle County Sheriff's Office", abbreviation="ECSO", jurisdiction="US-CO",
                          foia_email="records@eaglecounty.example", portal_url="",
                          mailing_address="885 Chambers Ave\nEagle, CO 81631")
        req = make_fixed_request(reporter, agency=agency, records_description=(
            "Incident and evidence reports concerning playing cards recovered after the arrests of "
            "January 21, 2026.\n\n- Photographs\n- Property records"))
        changes["channel"] = "email"
        return req, changes
    req = make_fixed_request(reporter, fee_waiver_requested=True, expedited_requested=True, expedited_category="ii",
                             expedited_justification=URGENCY)
    if kind != "foia_request":
        _filed(req, reporter)
    if kind == "appeal":  # the directory's appeal authority (the determination letter names none)
        req.agency.appeal_office = ("U.S. Immigration and Customs Enforcement, Office of the Principal Legal "
                                    "Advisor, Government Information Law Division")
        req.agency.appeal_address = "500 12th Street SW, Mail Stop 5900\nWashington, DC 20536-5900"
        perform(req, "determine", reporter, on=date(2026, 11, 2), outcome="granted_in_part",
                exemptions=["b6", "b7C", "b7A"], pages_released=112, pages_withheld=57)
        changes["arguments"] = {"b7A": "Testimony in March described the investigation as ongoing; it has closed."}
        changes["contest_search"] = True
    if kind == "ogis_mediation":
        changes["dispute_summary"] = "ICE has made no determination and given no estimated date of completion."
    return req, changes


@pytest.mark.parametrize("kind", ["foia_request", "state_request", "status_inquiry", "appeal", "ogis_mediation",
                                  "expedite_request"])
def test_letter_html_matches_its_snapshot(app, db, users, frozen, kind):
    req, changes = _setup(kind, users["reporter"])
    options = services.default_options(req, kind, db.session.get(User, users["reporter"]))
    for name, value in changes.items():
        setattr(options, name, value)
    draft = services.prepare(req, kind, options, today=today(), search=sources.roots(app.config),
                             letterhead=LETTERHEAD)
    assert draft.missing == []
    html = services.preview_html(draft)
    assert "<" not in html_to_text(html)
    path = SNAPSHOTS / f"{kind}.html"
    if os.environ.get("TRACKER_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(html, encoding="utf-8")
    assert path.exists(), f"no snapshot yet: run with TRACKER_UPDATE_SNAPSHOTS=1 and review {path}"
    assert html == path.read_text(encoding="utf-8"), f"{kind} changed: rewrite the snapshot if intended"
