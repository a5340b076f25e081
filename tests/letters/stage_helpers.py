"""Requests to ICE, the FBI and a Colorado sheriff, each brought to a stage: pending, overdue, determined,
on appeal, appeal decided; and the letters read back from their PDFs with pdftotext."""

from __future__ import annotations

from datetime import date

from tests.helpers import make_request, perform
from tests.letters.letters_app_helpers import pdf_text
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.clock import today
from tracker.extensions import db
from tracker.letters import services, sources
from tracker.letters.produce import render_letter
from tracker.matters.models import Matter, MatterCategory

LETTERHEAD = {"name": "The Mountain Dispatch", "address": "P.O. Box 1234\nDenver, CO 80201", "logo": "",
              "about": "The Mountain Dispatch publishes news daily online to about 200,000 readers a month.",
              "fee_limit": "50.00"}
STAGES = ("pending", "overdue", "determined", "on_appeal", "appeal_decided")
FEDERAL_KINDS = ("foia_request", "status_inquiry", "appeal", "ogis_mediation", "expedite_request")


def _agency(**fields) -> Agency:
    agency = Agency(**fields)
    db.session.add(agency)
    db.session.flush()
    return agency


def make_ice() -> Agency:
    privacy = _agency(name="DHS Privacy Office", abbreviation="DHS PRIV", jurisdiction="US-DHS",
                      mailing_address="Mail Stop 0655, 2707 Martin Luther King Jr. Ave SE\nWashington, DC 20528-0655")
    ice = _agency(name="ICE FOIA Office", abbreviation="ICE", jurisdiction="US-DHS",
                  foia_email="ice-foia@ice.dhs.gov", portal_url="https://www.dhs.gov/foia",
                  mailing_address="500 12th St SW, Stop 5009\nWashington, DC 20536-5009",
                  appeal_office="U.S. Immigration and Customs Enforcement, Office of the Principal Legal Advisor, "
                                "Government Information Law Division",
                  appeal_address="500 12th Street SW, Mail Stop 5900\nWashington, DC 20536-5900", appeal_check=True)
    ice.expedited_iv_office = privacy
    _agency(name="ICE Office of Professional Responsibility", abbreviation="ICE OPR", jurisdiction="US-DHS",
            parent_id=ice.id)
    return ice


def make_fbi() -> Agency:
    return _agency(name="Federal Bureau of Investigation", abbreviation="FBI", jurisdiction="US-DOJ",
                   portal_url="https://efoia.fbi.gov",
                   mailing_address="Record/Information Dissemination Section\n200 Constitution Drive\n"
                                   "Winchester, VA 22602-4693",
                   appeal_office="Director, Office of Information Policy, U.S. Department of Justice",
                   appeal_address="441 G St NW, 6th Floor\nWashington, DC 20530-0001",
                   appeal_portal_url="https://www.justice.gov/oip/submit-and-track-request-or-appeal")


def make_sheriff() -> Agency:
    return _agency(name="Eagle County Sheriff's Office", abbreviation="ECSO", jurisdiction="US-CO",
                   foia_email="records@eaglecounty.example", mailing_address="885 Chambers Ave\nEagle, CO 81631")


MATTERS = {
    "ICE": ("“Death card” allegations, Denver Field Office",
            "Ace-of-spades cards labelled for the Denver Field Office were found after arrests in Eagle County on "
            "January 21, 2026. DHS said on January 23, 2026 that OPR would investigate."),
    "FBI": ("Bribery investigation of a Los Angeles immigration attorney",
            "A federal jury convicted the attorney on 36 counts in April 2010; the investigation's files are not "
            "public."),
    "ECSO": ("Playing cards recovered after the Eagle County arrests",
             "Cards were recovered after arrests in Eagle County on January 21, 2026."),
}
NUMBERS = {"ICE": ("2026-ICFO-01234", "2026-ICAP-00042"), "FBI": ("1654321-000", "A-2026-00123"),
           "ECSO": ("R-2026-118", "")}


def _matter(key: str) -> Matter:
    title, summary = MATTERS[key]
    matter = Matter(title=title, summary=summary, category=MatterCategory.ADMINISTRATIVE)
    db.session.add(matter)
    db.session.flush()
    return matter


def request_at(stage: str, agency: Agency, owner: int, frozen) -> object:
    """A request to the agency, brought to the stage on the frozen clock (November 30, 2026)."""
    key = agency.abbreviation
    req = make_request(owner, agency, title="Working title: the death-card story (internal)",
                       records_from=date(2026, 1, 21), fee_waiver_requested=key != "ECSO",
                       expedited_requested=key != "ECSO", expedited_category="ii",
                       expedited_justification="Congress is examining the matter now; a hearing is set.")
    req.matters = [_matter(key)]
    request_number, appeal_number = NUMBERS[key]
    filed = date(2026, 11, 23) if stage == "pending" else date(2026, 9, 14)
    perform(req, "file", owner, on=filed, channel="portal")
    perform(req, "acknowledge", owner, on=filed, tracking_number=request_number)
    if stage in ("determined", "on_appeal", "appeal_decided"):
        perform(req, "determine", owner, on=date(2026, 10, 5), outcome="granted_in_part",
                exemptions=["b6", "b7C"], pages_released=40, pages_withheld=12)
    if stage in ("on_appeal", "appeal_decided"):
        perform(req, "appeal", owner, on=date(2026, 10, 13), tracking_number=appeal_number)
    if stage == "appeal_decided":
        perform(req, "decide_appeal", owner, on=date(2026, 11, 20), outcome="affirmed", exemptions=["b6", "b7C"])
    db.session.flush()
    return req


def letter_text(app, req, kind: str, owner: int, **changes) -> tuple[str | None, list, bytes | None]:
    """(pdftotext of the letter, what it still lacks, the PDF): the text is None when it cannot be written."""
    options = services.default_options(req, kind, db.session.get(User, owner))
    options.requester_title = "Investigative Reporter"
    for name, value in changes.items():
        setattr(options, name, value)
    draft = services.prepare(req, kind, options, today=today(), search=sources.roots(app.config),
                             letterhead=LETTERHEAD)
    if draft.missing:
        return None, draft.missing, None
    rendered = render_letter(kind, draft.context, templates_dir=draft.root)
    return pdf_text(rendered.pdf), [], rendered.pdf
