"""The context a letter renders from, documented by example, and demo contexts for each kind.

A letter context is a PLAIN DICTIONARY: strings, numbers, booleans, lists, dicts, and
``datetime.date`` values (ISO strings "2026-11-20" are accepted wherever a date is). Every key
is optional unless the kind's meta.toml lists it under [required]; a missing or blank value
leaves its sentence out of the letter. Dates print as "November 20, 2026".

Shape (all kinds share it; each uses what it needs)::

    {
      "today": date,                          # date line of the letter; comes from core.clock
      "requester": {"name", "title", "organization", "email", "phone",
                    "address",                # multi-line string
                    "media_description"},     # optional paragraph about the outlet (fee category)
      "signature": {"name", "title", "organization", "email", "phone"},   # defaults to requester
      "agency": {"name", "abbreviation", "foia_office", "foia_email", "portal_url",
                 "mailing_address",           # multi-line string
                 "foia_regulations",          # e.g. "the DHS FOIA regulations, 6 C.F.R. Part 5"
                 "appeal_office", "appeal_address", "appeal_email", "appeal_portal_url",
                                              # the appeal authority: the determination letter's
                                              #   instructions, else the directory's; never the request portal
                 "appeal_check": bool,        # the directory's appeal contact is unconfirmed
                 "foia_public_liaison",       # e.g. "ICE FOIA Public Liaison, (866) 633-1182"
                 "regulations": {...},        # the department's regulations as cited, e.g. "news_media":
                                              #   "6 C.F.R. 5.11(b)(6)" (tracker.letters.regulations); {} = statute
                 "expedited_iv_office": {"name", "mailing_address", "email", "portal_url"} | None},
      "request": {
        "title",                              # the subject the agency sees (never the internal title)
        "stage",                              # draft | pending | overdue | determined | on_appeal | appeal_decided
        "appeal": {"number", "filed_on", "decision_due", "overdue_working_days", "decided_on", "outcome"} | None,
        "disputes": [{"code": "missed_deadline" | "adverse" | "expedite_denied" | "fee_waiver_denied" |
                      "fee_category_denied" | "appeal_overdue" | "appeal_adverse", "on", ...}],
        "decisions": {"expedited" | "fee_waiver" | "fee_category": {"decision", "on"} | None},
        "second_appeal": bool, "appeal_deadline_stated",   # appeal
        "records_office",                     # e.g. "the ICE Office of Professional Responsibility"
        "waiver": {"operations", "informative", "audience", "significance", "commercial"},  # 5.11(k) facts
        "expedited_public_need", "expedited_why_now",
        "records_description",                # description: blank lines split paragraphs,
                                              #   "- " / "1. " lines become lists
        "date_range_start", "date_range_end",
        "delivery_format",                    # e.g. "searchable PDF files sent by email"
        "fee_category",                       # "news_media" | "educational" | "other"
        "fee_limit",                          # number or "250.00"
        "fee_waiver_requested": bool, "fee_waiver_justification",
        "expedited_requested": bool,
        "expedited_category",                 # "i" | "ii" | "iii" | "iv"  (6 C.F.R. 5.5(e)(1))
        "expedited_justification",
        "tracking_numbers": [{"kind": "request" | "appeal" | ..., "number"}],
        "sent_on", "received_on", "response_due",
        "overdue_working_days": int,          # computed by tracker.deadlines; 0 = not overdue
        "determination": {"kind",             # "partial" | "full_denial" | "no_records" |
                                              # "fee_waiver_denied" | "fee_category_denied" |
                                              # "expedite_denied" | "glomar"
                          "on", "exemptions": ["b6", "b7C", ...],
                          "pages_reviewed", "pages_released", "pages_withheld"},
        "appeal_due", "appeal_rule",          # last day to appeal; the rule, e.g. "6 C.F.R. 5.8(a)(1)"
        "dispute_summary", "resolution_sought",   # ogis_mediation
      },
      "matters": [{"title", "opr_case_number", "place", "summary",
                   "date_range_start", "date_range_end"}],
      "jurisdiction": {"code": "US-CO", "name": "Colorado", "law": "Colorado Open Records Act",
                       "citation": "C.R.S. 24-72-203(3)(b)",
                       "response_period_text": "3 working days" | None},   # None = "promptly"
      "history": [{"on": date, "text": str}],          # ogis_mediation
      "contested": [{"code": "b6" | "b7C" | "b7A" | "b5" | "search" | ..., "note": str}],  # appeal
      "enclosures": [str],
      "custom_text": str,                     # the reporter's own paragraphs, before the closing
      "letterhead": {"name", "address", "logo", "about", "fee_limit"},   # newsroom settings; logo: a data: URL
      "newsroom": {"name", "about", "fee_limit"},  # the outlet's facts and default fee ceiling
    }

``sample_context(kind)`` returns a realistic demo for each kind (ICE FOIA Office; the Denver
"death card" matter; tracking number 2026-ICFO-01234) for tests and the preview page.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from tracker.letters.describe import propose_records_description
from tracker.letters.filters import cite
from tracker.letters.regulations import for_citation

DEMO_TODAY = dt.date(2026, 11, 20)

_REQUESTER: dict[str, Any] = {
    "name": "Maria Ortega",
    "title": "Investigative Reporter",
    "organization": "The Mountain Dispatch",
    "email": "mortega@example.org",
    "phone": "(303) 555-0142",
    "address": "P.O. Box 1234\nDenver, CO 80201",
}

def _regulations(citation: str) -> dict[str, Any]:
    """The "regulations" dict of the agency context (as from_request.regulations builds it)."""
    out: dict[str, Any] = {}
    for key, value in for_citation(citation).items():
        if isinstance(value, list):
            out[key] = [cite(v) for v in value] if key != "check" else list(value)
        else:
            out[key] = cite(value) if "CFR" in str(value) else value
    return out


_ICE: dict[str, Any] = {
    "name": "U.S. Immigration and Customs Enforcement",
    "abbreviation": "ICE",
    "foia_office": "Freedom of Information Act Office",
    "foia_email": "ice-foia@ice.dhs.gov",
    "portal_url": "https://www.dhs.gov/foia",
    "mailing_address": "500 12th St SW, Stop 5009\nWashington, DC 20536-5009",
    "foia_regulations": "the Department of Homeland Security FOIA regulations, 6 C.F.R. Part 5",
    # check: the ICE appeal office and address as ICE's response letters have stated them; kept editable in
    # the directory and replaced by what the determination letter at hand says.
    "appeal_office": "U.S. Immigration and Customs Enforcement, Office of the Principal Legal Advisor, "
                     "Government Information Law Division",
    "appeal_address": "500 12th Street SW, Mail Stop 5900\nWashington, DC 20536-5900",
    "appeal_email": "",
    "appeal_portal_url": "",
    "appeal_check": True,
    "foia_public_liaison": "the ICE FOIA Public Liaison",
    "regulations": _regulations("5 U.S.C. 552; 6 CFR Part 5"),
    "expedited_iv_office": {"name": "DHS Privacy Office",
                            "mailing_address": "Mail Stop 0655, 2707 Martin Luther King Jr. Ave SE\n"
                                               "Washington, DC 20528-0655", "email": "", "portal_url": ""},
}

_MATTER: dict[str, Any] = {
    "title": "Denver 'death card' allegations",
    "opr_case_number": None,  # not public
    "place": "ICE Denver Field Office; arrests in Eagle County, Colorado",
    "summary": (
        "Playing cards (aces of spades) labelled for the ICE Denver Field Office were reported found "
        "after arrests in Eagle County, Colorado, on January 21, 2026. DHS stated on January 23, 2026 "
        "that the ICE Office of Professional Responsibility would investigate."
    ),
    "date_range_start": dt.date(2026, 1, 21),
    "date_range_end": None,
}

_TRACKING = [{"kind": "request", "number": "2026-ICFO-01234"}]


def _base() -> dict[str, Any]:
    matters = [copy.deepcopy(_MATTER)]
    return {
        "today": DEMO_TODAY,
        "requester": copy.deepcopy(_REQUESTER),
        "agency": copy.deepcopy(_ICE),
        "matters": matters,
        "request": {
            "title": "Records concerning the Denver 'death card' allegations",
            "records_office": "the ICE Office of Professional Responsibility",
            "stage": "pending",
            "records_description": propose_records_description(matters[0], include_dates=False),
            "date_range_start": dt.date(2026, 1, 21),
            "date_range_end": None,
            "delivery_format": "searchable PDF files, delivered by email or through the portal",
            "fee_category": "news_media",
            "fee_limit": 100,
            "fee_waiver_requested": True,
            "fee_waiver_justification": None,
            "expedited_requested": False,
            "tracking_numbers": copy.deepcopy(_TRACKING),
            "sent_on": dt.date(2026, 9, 14),
            "received_on": dt.date(2026, 9, 14),
            "response_due": dt.date(2026, 10, 13),
            "overdue_working_days": 0,
        },
    }


_EXPEDITE_JUSTIFICATION = (
    "DHS announced on January 23, 2026 that the ICE Office of Professional Responsibility would "
    "investigate the reports of the cards, and members of Colorado's congressional delegation asked "
    "about the investigation in a letter of February 3, 2026. Testimony on March 11, 2026 described "
    "the investigation as ongoing. The public, and the Congress, are now weighing ICE's conduct of "
    "enforcement operations in Colorado; information about how ICE investigated these allegations "
    "loses much of its value if it arrives after that debate."
)


def _foia_request() -> dict[str, Any]:
    ctx = _base()
    request = ctx["request"]
    for key in ("tracking_numbers", "sent_on", "received_on", "response_due"):
        request.pop(key)
    request.update(expedited_requested=True, expedited_category="ii", expedited_justification=_EXPEDITE_JUSTIFICATION)
    return ctx


def _status_inquiry() -> dict[str, Any]:
    ctx = _base()
    ctx["request"]["overdue_working_days"] = 27  # Oct 13 -> Nov 20, 2026, skipping Nov 11
    ctx["request"]["stage"] = "overdue"
    return ctx


def _appeal() -> dict[str, Any]:
    ctx = _base()
    ctx["request"].update(
        determination={
            "kind": "partial",
            "on": dt.date(2026, 11, 2),
            "exemptions": ["b6", "b7C", "b7A"],
            "pages_reviewed": 169,
            "pages_released": 112,
            "pages_withheld": 57,
        },
        appeal_due=dt.date(2027, 3, 16),  # 90 working days after November 2, 2026
        appeal_rule="6 C.F.R. 5.8(a)(1)",
        stage="determined",
    )
    ctx["contested"] = [
        {"code": "b6", "note": ""},
        {"code": "b7C", "note": ""},
        {
            "code": "b7A",
            "note": "Testimony on March 11, 2026 described the investigation as ongoing; "
            "if it has since closed, Exemption 7(A) no longer applies.",
        },
        {
            "code": "search",
            "note": "The release contains no report of investigation and no case-closing "
            "memorandum, although DHS announced the investigation publicly.",
        },
    ]
    ctx["enclosures"] = ["Request of September 14, 2026", "ICE determination letter of November 2, 2026"]
    return ctx


def _ogis() -> dict[str, Any]:
    ctx = _status_inquiry()
    ctx["history"] = [
        {"on": dt.date(2026, 9, 14), "text": "Request submitted through the DHS FOIA portal."},
        {"on": dt.date(2026, 9, 16), "text": "ICE acknowledged the request and assigned 2026-ICFO-01234."},
        {
            "on": dt.date(2026, 10, 13),
            "text": "The 20-working-day time limit passed without a determination.",
        },
        {"on": dt.date(2026, 10, 20), "text": "Status inquiry sent; no estimated completion date was given."},
        {"on": dt.date(2026, 11, 6), "text": "Second status inquiry sent; no response."},
    ]
    ctx["request"]["disputes"] = [{"code": "missed_deadline", "on": dt.date(2026, 10, 13), "working_days": 27}]
    ctx["request"]["dispute_summary"] = (
        "ICE has not made a determination on the request, 27 working days after the time limit, and has "
        "not given an estimated date of completion."
    )
    ctx["request"]["resolution_sought"] = (
        "I ask OGIS to help me obtain from ICE an estimated date of completion, and a determination "
        "with a rolling release of the records."
    )
    return ctx


def _expedite_request() -> dict[str, Any]:
    ctx = _base()
    ctx["request"].update(
        expedited_requested=True, expedited_category="ii", expedited_justification=_EXPEDITE_JUSTIFICATION
    )
    return ctx


def _state_request() -> dict[str, Any]:
    ctx = _base()
    ctx["agency"] = {
        "name": "Eagle County Sheriff's Office",
        "foia_office": "Custodian of Records",
    }
    ctx["jurisdiction"] = {
        "code": "US-CO",
        "name": "Colorado",
        "law": "Colorado Open Records Act",
        "citation": "C.R.S. 24-72-203(3)(b)",
        "response_period_text": "3 working days",
    }
    request = ctx["request"]
    for key in ("tracking_numbers", "sent_on", "received_on", "response_due", "fee_waiver_requested"):
        request.pop(key)
    request.update(
        title="Records on playing cards recovered after the January 21, 2026 arrests",
        records_description=(
            "Incident and evidence reports, photographs and property records concerning any playing cards "
            "labelled for the ICE Denver Field Office that were found or recovered in connection with "
            "arrests in Eagle County on January 21, 2026.\n\n"
            "Communications between the Sheriff's Office and U.S. Immigration and Customs Enforcement "
            "concerning those cards."
        ),
        date_range_start=dt.date(2026, 1, 21),
        date_range_end=dt.date(2026, 3, 31),
        fee_limit=50,
    )
    return ctx


def _agency_status() -> dict[str, Any]:
    """One status letter to ICE's FOIA Public Liaison naming three pending requests (two past the time limit)."""
    ctx = _base()
    ctx["agency"]["phone"] = "(866) 633-1182"
    ctx["federal"] = True
    ctx["request"] = {"title": "3 pending requests", "tracking_numbers": [], "fee_category": "news_media"}
    ctx["requests"] = [
        {"subject": "Records concerning the Denver 'death card' allegations", "tracking_numbers": ["2026-ICFO-01234"],
         "sent_on": dt.date(2026, 9, 14), "received_on": dt.date(2026, 9, 14), "response_due": dt.date(2026, 10, 13),
         "overdue": 27, "unit": "working day", "estimated_completion_on": None, "status": "acknowledged",
         "paused": False},
        {"subject": "Records concerning the review of an assistant chief counsel in Dallas",
         "tracking_numbers": ["2026-ICFO-01502"], "sent_on": dt.date(2026, 10, 1),
         "received_on": dt.date(2026, 10, 1), "response_due": dt.date(2026, 10, 29), "overdue": 15,
         "unit": "working day", "estimated_completion_on": dt.date(2027, 2, 1), "status": "acknowledged",
         "paused": False},
        {"subject": "OPR management inquiries closed in fiscal year 2025", "tracking_numbers": [],
         "sent_on": dt.date(2026, 11, 10), "received_on": None, "response_due": None, "overdue": 0,
         "unit": "working day", "estimated_completion_on": None, "status": "filed", "paused": False},
    ]
    ctx["overdue_count"] = 2
    return ctx


_BUILDERS = {
    "foia_request": _foia_request,
    "state_request": _state_request,
    "status_inquiry": _status_inquiry,
    "appeal": _appeal,
    "ogis_mediation": _ogis,
    "expedite_request": _expedite_request,
    "agency_status": _agency_status,
}

SAMPLE_KINDS = tuple(_BUILDERS)


def sample_context(kind: str) -> dict[str, Any]:
    """A fresh, realistic demo context for ``kind`` (a new dict each call: safe to modify)."""
    try:
        return _BUILDERS[kind]()
    except KeyError:
        raise KeyError(f"no sample context for letter kind {kind!r}") from None
