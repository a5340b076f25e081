"""Every letter kind for an ICE, an FBI and a state request, at each stage, read back from the PDF with pdftotext:
the addressee, the citations, the sentences of the stage, and no other agency's name (issue 14)."""

from __future__ import annotations

import re

import pytest

from tests.letters.stage_helpers import FEDERAL_KINDS, STAGES, letter_text, make_fbi, make_ice, make_sheriff, request_at

# Words that name an agency other than the one written to; a letter to one must name none of the others.
FOREIGN = {
    "ICE": [r"\bFBI\b", "Federal Bureau", "Office of Information Policy", "28 C.F.R.", "Eagle County Sheriff"],
    "FBI": [r"\bICE\b", "Immigration and Customs", "Homeland Security", r"\bDHS\b", "6 C.F.R.",
            "Professional Responsibility", "Eagle County"],
    "ECSO": [r"\bFBI\b", r"\bDHS\b", "Immigration and Customs", "5 U.S.C.", "C.F.R.", "Office of Information Policy"],
}
# Each agency's own regulations, where the letter cites them.
CITES = {
    ("ICE", "foia_request"): ["6 C.F.R. Part 5", "6 C.F.R. 5.11(b)(6)", "6 C.F.R. 5.11(k)(2)(i)", "6 C.F.R. 5.11(k)(3)",
                              "6 C.F.R. 5.5(e)(1)(ii)", "552(a)(4)(A)(ii)(II), (iv)(II)", "6 C.F.R. 5.11(d)"],
    ("FBI", "foia_request"): ["28 C.F.R. Part 16", "28 C.F.R. 16.10(b)(6)", "28 C.F.R. 16.10(k)",
                              "28 C.F.R. 16.5(e)(1)(ii)"],
    ("ICE", "appeal"): ["6 C.F.R. 5.8(a)(1)", "5 U.S.C. 552(b)(6)", "5 U.S.C. 552(b)(7)(C)"],
    ("FBI", "appeal"): ["28 C.F.R. 16.8(a)", "5 U.S.C. 552(b)(6)"],
    ("ICE", "expedite_request"): ["6 C.F.R. 5.5(e)", "5 U.S.C. 552(a)(6)(E)(v)(II)"],
    ("FBI", "expedite_request"): ["28 C.F.R. 16.5(e)", "5 U.S.C. 552(a)(6)(E)(v)(II)"],
}
ADDRESSEE = {  # the address block, in pieces (pdftotext may put the date line between them)
    ("ICE", "request"): ["ICE FOIA Office", "500 12th St SW, Stop 5009"],
    ("ICE", "appeal"): ["Office of the Principal Legal Advisor, Government Information Law Division",
                        "500 12th Street SW, Mail Stop 5900", "Washington, DC 20536-5900"],
    ("FBI", "request"): ["Federal Bureau of Investigation", "Record/Information Dissemination Section"],
    ("FBI", "appeal"): ["Director, Office of Information Policy, U.S. Department of Justice", "441 G St NW",
                        "Washington, DC 20530-0001"],
    ("ECSO", "request"): ["Eagle County Sheriff's Office", "885 Chambers Ave"],
}
# What a letter must say at each stage (kind, stage) -> phrases; None: the letter is not offered at that stage.
STAGE_SENTENCES = {
    ("status_inquiry", "pending"): ["Please tell me the status of the request"],
    ("status_inquiry", "overdue"): ["working days overdue", "5 U.S.C. 552(a)(7)(B)(ii)", "5 U.S.C. 552(a)(4)(A)(viii)"],
    ("status_inquiry", "on_appeal"): ["I write about my administrative appeal", "which I filed on October 13, 2026",
                                      "A decision on the appeal was due", "5 U.S.C. 552(a)(6)(A)(ii)",
                                      "working days overdue"],
    ("ogis_mediation", "pending"): None,
    ("ogis_mediation", "overdue"): ["has not made a determination on the request", "5 U.S.C. 552(a)(6)(A)(i)",
                                    "an estimated date of completion"],
    ("ogis_mediation", "determined"): ["released the records only in part, citing Exemptions 6 and 7(C)",
                                       "I dispute that determination"],
    ("ogis_mediation", "on_appeal"): ["My administrative appeal", "has not been decided", "a decision on my appeal"],
    ("ogis_mediation", "appeal_decided"): ["decided my administrative appeal and upheld the determination"],
    ("appeal", "determined"): ["I appeal the partial denial dated October 5, 2026", "This appeal is timely"],
    ("appeal", "on_appeal"): ["This is a separate appeal", "is still pending"],
    ("appeal", "appeal_decided"): ["This is a separate appeal", "was decided on November 20, 2026"],
}


def _check_common(text: str, key: str, kind: str) -> None:
    for pattern in FOREIGN[key]:
        found = re.search(pattern, text)
        assert not found, f"{key} {kind} names another agency: {text[max(found.start() - 120, 0):found.end() + 40]!r}"
    assert "Working title" not in text, "the internal title went to the agency"
    assert "The Mountain Dispatch" in text.split("Re:")[0], "the newsroom leads the letterhead"
    for phrase in CITES.get((key, kind), []):
        assert phrase in text, f"{key} {kind}: {phrase!r}"


@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("maker", [make_ice, make_fbi], ids=["ICE", "FBI"])
def test_every_federal_letter_at_every_stage_reads_right(app, db, users, frozen, maker, stage):
    owner = users["reporter"]
    agency = maker()
    key = agency.abbreviation
    req = request_at(stage, agency, owner, frozen)
    appeal_number = "2026-ICAP-00042" if key == "ICE" else "A-2026-00123"
    for kind in FEDERAL_KINDS:
        changes = {"confirm_second_appeal": True} if kind == "appeal" else {}
        if kind == "appeal":
            changes["channel"] = "mail"
        text, missing, _pdf = letter_text(app, req, kind, owner, **changes)
        wanted = STAGE_SENTENCES.get((kind, stage), [])
        if kind == "appeal" and stage in ("pending", "overdue"):
            assert text is None and any(m.path == "request.determination.kind" for m in missing)
            continue
        if wanted is None:
            assert text is None, f"{kind} is offered at {stage}"
            assert "none is recorded" in missing[0].label
            continue
        assert text is not None, f"{key} {kind} at {stage}: {[m.label for m in missing]}"
        _check_common(text, key, kind)
        head = text.split("Re:")[0]
        if kind == "ogis_mediation":
            assert "8601 Adelphi Road-OGIS" in head
        elif kind == "appeal" or (kind == "status_inquiry" and stage == "on_appeal"):
            assert all(piece in head for piece in ADDRESSEE[(key, "appeal")]), head
            assert "Record/Information Dissemination" not in text and "Stop 5009" not in text
            assert "efoia.fbi.gov" not in text and "dhs.gov/foia" not in text, "an appeal went to the request portal"
            assert appeal_number in text if kind == "status_inquiry" else True
        elif not (kind == "expedite_request"):
            assert all(piece in head for piece in ADDRESSEE[(key, "request")]), head
        for phrase in wanted:
            assert phrase in text, f"{key} {kind} at {stage}: {phrase!r}"
        if kind == "status_inquiry" and stage == "on_appeal":
            assert f"appeal {appeal_number}" in text and f"(request {appeal_number})" not in text


@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGES)
def test_the_state_request_at_every_stage_names_only_its_own_agency_and_law(app, db, users, frozen, stage):
    owner = users["reporter"]
    agency = make_sheriff()
    req = request_at(stage, agency, owner, frozen)
    text, missing, _pdf = letter_text(app, req, "state_request", owner, channel="email")
    assert text is not None, missing
    _check_common(text, "ECSO", "state_request")
    assert all(piece in text.split("Re:")[0] for piece in ADDRESSEE[("ECSO", "request")])
    for phrase in ("Colorado Open Records Act", "C.R.S. 24-72-203(3)(b)", "I agree to pay fees up to $50.00"):
        assert phrase in text, phrase
