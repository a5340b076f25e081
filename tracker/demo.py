"""The demo newsroom: the agencies and OPR matters of the founding brief, two reporters' worth of requests.

Loaded by `tracker seed-demo`; running it again changes nothing. Facts come from
shared/foia-reference.md (sections 3 and 5); where identification is uncertain, the matter's notes say so.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker import deadlines
from tracker.agencies.models import Agency
from tracker.auth.models import Role, User
from tracker.auth.services import create_user
from tracker.core.clock import now_utc, today
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.matters.models import Matter, MatterCategory, Source
from tracker.requests import lifecycle, services
from tracker.requests.lifecycle import ActionInput

DEMO_LOGINS = [
    {"role": "editor", "name": "Dana Editor", "email": "editor@newsroom.example", "password": "demo-editor-2026"},
    {"role": "reporter", "name": "Sam Reporter", "email": "reporter@newsroom.example",
     "password": "demo-reporter-2026"},
    {"role": "reporter", "name": "Lee Reporter", "email": "reporter2@newsroom.example",
     "password": "demo-reporter2-2026"},
    {"role": "admin", "name": "Alex Admin", "email": "admin@newsroom.example", "password": "demo-admin-2026"},
]

ICE_FOIA = "ICE FOIA Office"
AGENCIES = [
    {"name": "Department of Homeland Security", "abbreviation": "DHS", "jurisdiction": "US-DHS",
     "notes": "DHS is decentralized: each component answers for its own records (6 CFR 5.1(c))."},
    {"name": ICE_FOIA, "abbreviation": "ICE", "parent": "DHS", "jurisdiction": "US-DHS",
     "foia_email": "ice-foia@ice.dhs.gov", "portal_url": "https://www.dhs.gov/foia",
     "mailing_address": "500 12th St SW, Stop 5009\nWashington, DC 20536-5009", "phone": "(866) 633-1182",
     "notes": "Requests for OPR reports go here. Since January 22, 2026, DHS takes requests through its web "
              "portal; mail, fax and email are generally no longer accepted (6 CFR 5.3(a)(2) as amended). "
              "Check: ICE appeal address and any ICE-specific portal."},
    {"name": "ICE Office of Professional Responsibility", "abbreviation": "ICE OPR", "parent": "ICE",
     "jurisdiction": "US-DHS", "phone": "833-4ICE-OPR",
     "notes": "The office whose records are sought. Intake (not FOIA): ICEOPRIntake@ice.dhs.gov. "
              "File FOIA requests with the ICE FOIA Office."},
    {"name": "DHS Privacy Office (HQ FOIA)", "abbreviation": "DHS PRIV", "parent": "DHS", "jurisdiction": "US-DHS",
     "mailing_address": "Mail Stop 0655, 2707 Martin Luther King Jr. Ave SE\nWashington, DC 20528-0655",
     "notes": "Decides expedited-processing requests in category (iv), 6 CFR 5.5(e). Check current text."},
    {"name": "DHS Office of Inspector General", "abbreviation": "DHS OIG", "parent": "DHS",
     "jurisdiction": "US-DHS", "notes": "Publishes reports on OPR. FOIA contact: check."},
    {"name": "DHS Office for Civil Rights and Civil Liberties", "abbreviation": "CRCL", "parent": "DHS",
     "jurisdiction": "US-DHS",
     "notes": "Has its own FOIA office; staff cut in March 2025. Complaints about detention."},
    {"name": "Office of the Immigration Detention Ombudsman", "abbreviation": "OIDO", "parent": "DHS",
     "jurisdiction": "US-DHS", "portal_url": "https://myoido.dhs.gov",
     "notes": "A complaint channel (DHS Form 405), not a FOIA office."},
    {"name": "DOJ Office of Information Policy", "abbreviation": "OIP", "jurisdiction": "US-DOJ",
     "mailing_address": "441 G St NW, 6th Floor\nWashington, DC 20530-0001",
     "notes": "DOJ appeals: within 90 calendar days (28 CFR 16.8(a))."},
    {"name": "Office of Government Information Services", "abbreviation": "OGIS", "jurisdiction": "US",
     "foia_email": "ogis@nara.gov", "phone": "(202) 741-5770",
     "mailing_address": "National Archives and Records Administration\n8601 Adelphi Road-OGIS\n"
                        "College Park, MD 20740-6001",
     "notes": "Mediation as a nonexclusive alternative to litigation, 5 U.S.C. 552(h)(3)."},
]

DEATH_CARD = "“Death card” allegations, ICE Denver Field Office"
DALLAS = "Review of an ICE assistant chief counsel in Dallas over posts on X"
KALLAS = "Corruption case against a former ICE attorney in Los Angeles (U.S. v. Kallas)"
OIG_REVIEW = "ICE OPR Investigations Division: corrective actions after DHS OIG review OIG-19-14"
SCALE = "Scale of OPR investigations and management inquiries"

MATTERS = [
    {"title": DEATH_CARD, "category": MatterCategory.ADMINISTRATIVE, "place": "Eagle County, Colorado",
     "began_on": date(2026, 1, 21),
     "summary": "Ace-of-spades cards labelled for the ICE Denver Field Office were found after arrests in Eagle "
                "County on January 21, 2026. DHS said on January 23, 2026 that OPR would investigate.",
     "public_outcome": "None. Testimony on March 11, 2026 said the investigation was ongoing.",
     "sources": [
         {"title": "DHS statement that OPR would investigate the cards", "publisher": "News reports",
          "published_on": date(2026, 1, 23)},
         {"title": "Letter from the Colorado congressional delegation", "publisher": "U.S. Congress",
          "published_on": date(2026, 2, 3)},
         {"title": "Testimony that the OPR investigation was ongoing", "publisher": "Congressional hearing",
          "published_on": date(2026, 3, 11)},
     ]},
    {"title": DALLAS, "category": MatterCategory.ADMINISTRATIVE, "place": "Dallas, Texas",
     "began_on": date(2025, 2, 1),
     "summary": "Review of an ICE assistant chief counsel over racist posts on X, reported in February 2025.",
     "public_outcome": "None. ICE replied on March 6, 2025 that OPR would address it.",
     "sources": [
         {"title": "Reports of the posts on X", "publisher": "News reports", "published_on": date(2025, 2, 1)},
         {"title": "Letter from Rep. Marc Veasey to ICE", "publisher": "U.S. House of Representatives",
          "published_on": date(2025, 2, 24)},
         {"title": "ICE reply that OPR would address the matter", "publisher": "ICE",
          "published_on": date(2025, 3, 6)},
     ]},
    {"title": KALLAS, "category": MatterCategory.CRIMINAL, "place": "Los Angeles, California",
     "summary": "Bribery and immigration-fraud case against Constantine Peter Kallas, a former ICE attorney: "
                "convicted on 36 counts in April 2010, sentenced to 17 years in 2011.",
     "public_outcome": "Conviction and sentence are public record. OPR's report of investigation is not public.",
     "notes": "OPR's lead role in the investigation is unconfirmed.",
     "sources": [
         {"title": "United States v. Kallas: conviction on 36 counts", "publisher": "U.S. District Court; "
          "DOJ and FBI press releases", "published_on": date(2010, 4, 1)},
         {"title": "Sentence of 17 years", "publisher": "DOJ and FBI press releases",
          "published_on": date(2011, 1, 1)},
     ]},
    {"title": OIG_REVIEW, "category": MatterCategory.SYSTEMIC,
     "summary": "DHS OIG's oversight review of the ICE OPR Investigations Division (OIG-19-14, FY2019) found "
                "evidence-inventory deficiencies, inaccurate ammunition records, gaps in firearms training, late "
                "reports and missed supervisory reviews.",
     "public_outcome": "The OIG report is public. ICE's corrective-action records are not.",
     "sources": [
         {"title": "Oversight Review of the ICE Office of Professional Responsibility Investigations Division "
                   "(OIG-19-14)", "publisher": "DHS Office of Inspector General",
          "quote": "Evidence-inventory deficiencies, inaccurate ammunition records, firearms-training gaps, late "
                   "reports, missed supervisory reviews."},
     ]},
    {"title": SCALE, "category": MatterCategory.SYSTEMIC,
     "summary": "ICE told Congress that OPR management inquiries are generally completed within 120 days. A DHS OIG "
                "review is said to cite over 2,000 OPR investigations closed in one period.",
     "public_outcome": "Aggregate statistics only.",
     "notes": "Check: the figure of over 2,000 closed investigations was not found in OIG-19-14.",
     "sources": []},
]


def _agencies() -> dict[str, Agency]:
    by_abbreviation: dict[str, Agency] = {}
    for row in AGENCIES:
        fields = {k: v for k, v in row.items() if k != "parent"}
        agency = Agency(**fields)
        if "parent" in row:
            agency.parent = by_abbreviation[row["parent"]]
        db.session.add(agency)
        by_abbreviation[row["abbreviation"]] = agency
    db.session.flush()
    return by_abbreviation


def _matters() -> dict[str, Matter]:
    out = {}
    for row in MATTERS:
        fields = {k: v for k, v in row.items() if k != "sources"}
        matter = Matter(**fields)
        matter.sources = [Source(**s) for s in row["sources"]]
        db.session.add(matter)
        out[matter.title] = matter
    db.session.flush()
    return out


def _working_days_ago(n: int, day: date) -> date:
    return deadlines.add_working_days("US-DHS", day, -n)


def _requests(users: dict[str, User], agencies: dict[str, Agency], matters: dict[str, Matter]) -> None:
    from flask import current_app

    storage = DirectoryStorage(current_app.config["TRACKER_UPLOAD_DIR"])
    now, day = now_utc(), today()
    ice = agencies["ICE"]
    sam, lee, dana = users["reporter@newsroom.example"], users["reporter2@newsroom.example"], \
        users["editor@newsroom.example"]

    def create(owner, title, matter_titles, **data):
        req = services.create_request(actor=owner, now=now, today=day,
                                      data={"title": title, "agency_id": ice.id, **data},
                                      matter_ids=[matters[t].id for t in matter_titles])
        return req

    def act(req, owner, name, **fields):
        lifecycle.perform(req, name, ActionInput(**fields), actor=owner, now=now, today=day, storage=storage)

    # Overdue: filed by portal, acknowledged, never answered.
    death = create(sam, "OPR report, Denver “death card” inquiry", [DEATH_CARD],
                   records_description="The report of investigation and case-closing memorandum of the ICE Office "
                                       "of Professional Responsibility concerning ace-of-spades cards labelled for "
                                       "the ICE Denver Field Office, found after arrests in Eagle County, Colorado "
                                       "on January 21, 2026.",
                   records_from=date(2026, 1, 21), fee_waiver_requested=True,
                   fee_waiver_justification="Disclosure would show how ICE investigates alleged misconduct that "
                                            "drew congressional inquiry; we publish without charge.")
    filed = _working_days_ago(30, day)
    act(death, sam, "file", on=filed, channel="portal")
    act(death, sam, "acknowledge", on=_working_days_ago(27, day), tracking_number="2026-ICFO-00881")
    death.watchers = [dana]

    # Partial grant citing (b)(6) and (b)(7)(C): the appeal window is open.
    dallas = create(lee, "OPR review, Dallas assistant chief counsel posts", [DALLAS],
                    records_description="Records of the ICE Office of Professional Responsibility review of an ICE "
                                        "assistant chief counsel in Dallas concerning posts on X, reported in "
                                        "February 2025, including the report and any disciplinary decision.",
                    records_from=date(2025, 2, 1), records_to=date(2025, 12, 31))
    act(dallas, lee, "file", on=_working_days_ago(60, day), channel="portal")
    act(dallas, lee, "acknowledge", on=_working_days_ago(58, day), tracking_number="2026-ICFO-00213")
    act(dallas, lee, "determine", on=_working_days_ago(12, day), outcome="granted_in_part",
        exemptions=["b6", "b7C"], pages_released=14, pages_withheld=31)

    # Denied, then appealed.
    kallas = create(sam, "OPR report of investigation, Kallas corruption case", [KALLAS],
                    records_description="The report of investigation of the ICE Office of Professional "
                                        "Responsibility concerning Constantine Peter Kallas, and any referral "
                                        "memorandum to the Department of Justice.")
    act(kallas, sam, "file", on=_working_days_ago(120, day), channel="portal")
    act(kallas, sam, "acknowledge", on=_working_days_ago(118, day), tracking_number="2026-ICFO-00057")
    act(kallas, sam, "determine", on=_working_days_ago(70, day), outcome="denied", exemptions=["b6", "b7A", "b7C"])
    act(kallas, sam, "appeal", on=_working_days_ago(60, day), tracking_number="2026-ICAP-00112")

    # Clock paused: the agency asked for clarification.
    oig = create(lee, "ICE corrective actions after OIG-19-14", [OIG_REVIEW],
                 records_description="Records of corrective actions ICE took in response to DHS OIG report "
                                     "OIG-19-14 on the OPR Investigations Division.")
    act(oig, lee, "file", on=_working_days_ago(15, day), channel="portal")
    act(oig, lee, "request_clarification", on=_working_days_ago(3, day),
        our_answer_due_on=deadlines.add_working_days("US-DHS", day, 5))

    # A draft, not yet sent.
    create(sam, "OPR statistics: investigations closed, FY2019–FY2026", [SCALE],
           records_description="Records sufficient to show the number of OPR investigations and management "
                               "inquiries opened and closed per fiscal year, FY2019 to FY2026.", private=True)


def seed_demo() -> bool:
    """Load the demo data unless it is there already. Returns whether anything was created."""
    if db.session.scalar(select(User).where(User.email == DEMO_LOGINS[0]["email"])) is not None:
        return False
    users = {}
    for login in DEMO_LOGINS:
        users[login["email"]] = create_user(name=login["name"], email=login["email"], password=login["password"],
                                            role=Role(login["role"]))
    existing = db.session.scalar(select(Agency).where(Agency.name == ICE_FOIA))
    agencies = _agencies() if existing is None else {a.abbreviation: a for a in db.session.scalars(select(Agency))}
    matters = _matters() if db.session.scalar(select(Matter).where(Matter.title == DEATH_CARD)) is None else \
        {m.title: m for m in db.session.scalars(select(Matter))}
    _requests(users, agencies, matters)
    _vaughn_index()
    return True


def _vaughn_index() -> None:
    """The Dallas partial grant listed its documents and the exemptions applied to each (a Vaughn index)."""
    from tracker.requests import documents
    from tracker.requests.models import RecordsRequest

    dallas = db.session.scalar(select(RecordsRequest).where(RecordsRequest.title.like("OPR review, Dallas%")))
    determination = documents.latest_determination(dallas, "initial") if dallas is not None else None
    if determination is not None:
        documents.add_documents(determination, [
            # 45 pages: 31 withheld in full, 14 released (7 of them with redactions), as the letter says.
            documents.DocumentInput("Report of investigation", 28, 20, 4, "(b)(6), (b)(7)(C)"),
            documents.DocumentInput("Memorandum of the disciplinary decision", 9, 8, 1, "(b)(6), (b)(7)(C), (b)(5)"),
            documents.DocumentInput("Screenshots of the posts on X", 8, 3, 2, "(b)(6)"),
        ])
