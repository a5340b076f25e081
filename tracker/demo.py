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
from tracker.batches.services import create_batch
from tracker.core.clock import at_noon, now_utc, today
from tracker.core.storage import storage as app_storage
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
     "foia_email": "ice-foia@ice.dhs.gov", "portal_url": "https://www.dhs.gov/foia", "portal_only": True,
     "mail_domains": "ice.dhs.gov, dhs.gov",
     "mailing_address": "500 12th St SW, Stop 5009\nWashington, DC 20536-5009", "phone": "(866) 633-1182",
     "public_liaison": "ICE FOIA Public Liaison, (866) 633-1182",
     # As ICE's response letters have stated it; check both against the determination letter at hand.
     "appeal_office": "U.S. Immigration and Customs Enforcement, Office of the Principal Legal Advisor, "
                      "Government Information Law Division",
     "appeal_address": "500 12th Street SW, Mail Stop 5900\nWashington, DC 20536-5900",
     "appeal_portal_url": "https://www.dhs.gov/foia", "appeal_check": True, "expedited_iv": "DHS PRIV",
     "notes": "Requests for OPR reports go here. Since January 22, 2026, DHS takes requests through its web "
              "portal; mail, fax and email are generally no longer accepted (6 CFR 5.3(a)(2) as amended). "
              "Check: the appeal office, address and portal come from ICE's response letters (6 CFR 5.8(a)(1)); "
              "record what each determination letter says."},
    {"name": "ICE Office of Professional Responsibility", "abbreviation": "ICE OPR", "parent": "ICE",
     "jurisdiction": "US-DHS", "phone": "833-4ICE-OPR",
     "notes": "The office whose records are sought. Intake (not FOIA): ICEOPRIntake@ice.dhs.gov. "
              "File FOIA requests with the ICE FOIA Office."},
    {"name": "DHS Privacy Office (HQ FOIA)", "abbreviation": "DHS PRIV", "parent": "DHS", "jurisdiction": "US-DHS",
     "mailing_address": "Mail Stop 0655, 2707 Martin Luther King Jr. Ave SE\nWashington, DC 20528-0655",
     "notes": "The Senior Director of FOIA Operations here decides expedited-processing requests in category "
              "(iv), 6 CFR 5.5(e)(2). Check current text."},
    {"name": "DHS Office of Inspector General", "abbreviation": "DHS OIG", "parent": "DHS",
     "jurisdiction": "US-DHS", "notes": "Publishes reports on OPR. FOIA contact: check."},
    {"name": "DHS Office for Civil Rights and Civil Liberties", "abbreviation": "CRCL", "parent": "DHS",
     "jurisdiction": "US-DHS",
     "notes": "Has its own FOIA office; staff cut in March 2025. Complaints about detention."},
    {"name": "Office of the Immigration Detention Ombudsman", "abbreviation": "OIDO", "parent": "DHS",
     "jurisdiction": "US-DHS", "portal_url": "https://myoido.dhs.gov",
     "notes": "A complaint channel (DHS Form 405), not a FOIA office."},
    {"name": "DOJ Office of Information Policy", "abbreviation": "OIP", "jurisdiction": "US-DOJ",
     "mail_domains": "usdoj.gov",
     "mailing_address": "441 G St NW, 6th Floor\nWashington, DC 20530-0001",
     "notes": "DOJ appeals: within 90 calendar days (28 CFR 16.8(a))."},
    {"name": "DOJ Office of Public Affairs", "abbreviation": "DOJ PAO", "jurisdiction": "US-DOJ",
     "mailing_address": "950 Pennsylvania Ave NW\nWashington, DC 20530-0001",
     "notes": "The Director of Public Affairs decides DOJ expedited-processing requests in category (iv), "
              "28 CFR 16.5(e)(2). Check: address."},
    {"name": "Federal Bureau of Investigation", "abbreviation": "FBI", "jurisdiction": "US-DOJ",
     "portal_url": "https://efoia.fbi.gov", "mail_domains": "fbi.gov",
     "mailing_address": "Record/Information Dissemination Section\n200 Constitution Drive\n"
                        "Winchester, VA 22602-4693",
     "appeal_office": "Director, Office of Information Policy, U.S. Department of Justice",
     "appeal_address": "441 G St NW, 6th Floor\nWashington, DC 20530-0001",
     "appeal_portal_url": "https://www.justice.gov/oip/submit-and-track-request-or-appeal", "appeal_check": True,
     "expedited_iv": "DOJ PAO",
     "notes": "A DOJ component: appeals go to the Director of OIP within 90 calendar days (28 CFR 16.8(a)). "
              "Check: the FBI's mailing address and both portals."},
    {"name": "Office of Government Information Services", "abbreviation": "OGIS", "jurisdiction": "US",
     "foia_email": "ogis@nara.gov", "phone": "(202) 741-5770", "mail_domains": "nara.gov",
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
        fields = {k: v for k, v in row.items() if k not in ("parent", "expedited_iv")}
        agency = Agency(**fields)
        if "parent" in row:
            agency.parent = by_abbreviation[row["parent"]]
        db.session.add(agency)
        by_abbreviation[row["abbreviation"]] = agency
    for row in AGENCIES:  # the office for expedited category (iv) may come later in the list
        if "expedited_iv" in row:
            by_abbreviation[row["abbreviation"]].expedited_iv_office = by_abbreviation[row["expedited_iv"]]
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

    storage = app_storage()
    now, day = now_utc(), today()
    ice = agencies["ICE"]
    sam, lee, dana = users["reporter@newsroom.example"], users["reporter2@newsroom.example"], \
        users["editor@newsroom.example"]

    def create(owner, title, matter_titles, drafted_on=None, **data):
        # Each step is recorded at noon of its own day, so the timeline reads in order (drafted, then filed...).
        req = services.create_request(actor=owner, now=at_noon(drafted_on) if drafted_on else now, today=day,
                                      data={"title": title, "agency_id": ice.id, **data},
                                      matter_ids=[matters[t].id for t in matter_titles])
        return req

    def act(req, owner, name, **fields):
        lifecycle.perform(req, name, ActionInput(**fields), actor=owner, now=at_noon(fields["on"]) if "on" in fields
                          else now, today=day, storage=storage)

    # Overdue: filed by portal, acknowledged, never answered.
    death = create(sam, "OPR report, Denver “death card” inquiry", [DEATH_CARD], drafted_on=_working_days_ago(32, day),
                   records_description="The report of investigation and case-closing memorandum of the ICE Office "
                                       "of Professional Responsibility concerning ace-of-spades cards labelled for "
                                       "the ICE Denver Field Office, found after arrests in Eagle County, Colorado "
                                       "on January 21, 2026.",
                   records_from=date(2026, 1, 21), fee_waiver_requested=True,
                   fee_waiver_justification="Disclosure would show how ICE investigates alleged misconduct that "
                                            "drew congressional inquiry; we publish without charge.")
    filed = _working_days_ago(30, day)
    act(death, sam, "file", on=filed, channel="portal")
    act(death, sam, "acknowledge", on=_working_days_ago(27, day), tracking_number="2026-ICFO-00881",
        estimated_completion_on=_working_days_ago(5, day))
    death.watchers = [dana]

    # Partial grant citing (b)(6) and (b)(7)(C): the appeal window is open.
    dallas = create(lee, "OPR review, Dallas assistant chief counsel posts", [DALLAS],
                    drafted_on=_working_days_ago(61, day),
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
                    drafted_on=_working_days_ago(122, day),
                    records_description="The report of investigation of the ICE Office of Professional "
                                        "Responsibility concerning Constantine Peter Kallas, and any referral "
                                        "memorandum to the Department of Justice.")
    act(kallas, sam, "file", on=_working_days_ago(120, day), channel="portal")
    act(kallas, sam, "acknowledge", on=_working_days_ago(118, day), tracking_number="2026-ICFO-00057")
    act(kallas, sam, "determine", on=_working_days_ago(70, day), outcome="denied", exemptions=["b6", "b7A", "b7C"])
    act(kallas, sam, "appeal", on=_working_days_ago(60, day), tracking_number="2026-ICAP-00112")

    # Clock paused: the agency asked for clarification.
    oig = create(lee, "ICE corrective actions after OIG-19-14", [OIG_REVIEW], drafted_on=_working_days_ago(16, day),
                 records_description="Records of corrective actions ICE took in response to DHS OIG report "
                                     "OIG-19-14 on the OPR Investigations Division.")
    act(oig, lee, "file", on=_working_days_ago(15, day), channel="portal")
    # ICE referred the records that came from the Inspector General to DHS OIG: a linked request with its own clock.
    act(oig, lee, "refer", on=_working_days_ago(8, day), received_on=_working_days_ago(7, day), scope="part",
        agency_id=agencies["DHS OIG"].id, tracking_number="2026-OIG-FOIA-0318")
    act(oig, lee, "request_clarification", on=_working_days_ago(3, day),
        our_answer_due_on=deadlines.add_working_days("US-DHS", day, 5))

    # Acknowledged, its determination still to come: `tracker mail-demo` brings ICE's final response for it
    # (forwarded by its reporter, with the PDF), which one click records.
    inventories = create(lee, "OPR evidence and ammunition inventories after OIG-19-14", [OIG_REVIEW],
                         drafted_on=_working_days_ago(15, day),
                         records_description="Reports of the inventories of evidence, firearms and ammunition "
                                             "that the ICE Office of Professional Responsibility Investigations "
                                             "Division carried out in response to DHS OIG report OIG-19-14, and "
                                             "any memoranda on the discrepancies they found.")
    act(inventories, lee, "file", on=_working_days_ago(14, day), channel="portal")
    act(inventories, lee, "acknowledge", on=_working_days_ago(12, day), tracking_number="2026-ICFO-00640")

    # A draft, not yet sent.
    create(sam, "OPR statistics: investigations closed, FY2019–FY2026", [SCALE],
           records_description="Records sufficient to show the number of OPR investigations and management "
                               "inquiries opened and closed per fiscal year, FY2019 to FY2026.", private=True)

    # A batch: the same request to ICE, the DHS Inspector General and CRCL, filed the same day by portal.
    batch = create_batch(
        actor=lee, now=at_noon(_working_days_ago(4, day)), today=day,
        agency_ids=[agencies["ICE"].id, agencies["DHS OIG"].id, agencies["CRCL"].id],
        matter_ids=[matters[DEATH_CARD].id],
        data={"title": "Complaints and referrals about the Denver “death cards”",
              "records_description": "Complaints, referrals and correspondence received or sent since January 21, "
                                     "2026 concerning ace-of-spades cards labelled for the ICE Denver Field Office, "
                                     "found after arrests in Eagle County, Colorado.",
              "records_from": date(2026, 1, 21)})
    for req in batch.requests:
        act(req, lee, "file", on=_working_days_ago(3, day), channel="portal")


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
    _story(users["reporter2@newsroom.example"])
    return True


def _story(reporter: User) -> None:
    """The newsroom published a story from the Dallas partial grant: the matter shows as published."""
    from tracker.requests.models import RecordsRequest
    from tracker.stories import services as stories

    dallas = db.session.scalar(select(RecordsRequest).where(RecordsRequest.title.like("OPR review, Dallas%")))
    if dallas is not None:
        day = today()
        stories.record_story(stories.StoryInput(
            headline="ICE review of a Dallas lawyer's posts: 14 pages released, 31 withheld",
            url="https://newsroom.example/2026/ice-dallas-counsel-posts-review",
            published_on=_working_days_ago(8, day),
            note="Built on the partial grant of the OPR review; the report of investigation is mostly withheld."),
            actor=reporter, now=now_utc(), today=day, request=dallas)


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
