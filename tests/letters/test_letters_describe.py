"""The proposed records description for OPR matters."""

from __future__ import annotations

import datetime as dt

from tracker.letters.describe import propose_records_description, propose_records_description_for
from tracker.letters.filters import paras

DENVER = {
    "title": "Denver 'death card' allegations",
    "place": "ICE Denver Field Office",
    "summary": ("Cards labelled for the ICE Denver Field Office were reported found after arrests on January 21, 2026"),
    "date_range_start": dt.date(2026, 1, 21),
}
DALLAS = {
    "title": "Review of an assistant chief counsel in Dallas",
    "opr_case_number": "OPR-2025-0042",
    "date_range_start": "2025-02-01",
    "date_range_end": "2025-06-30",
}


def test_one_matter_names_every_record_type() -> None:
    text = propose_records_description(DENVER)
    assert text.startswith("Records of the ICE Office of Professional Responsibility (OPR)")
    for words in (
        "report of investigation",
        "case-closing memorandum",
        "referring the matter to the U.S. Department of Justice",
        "United States Attorney's Office",
        "proposal letters and decision letters",
        "Place: ICE Denver Field Office.",
        "Time frame: January 21, 2026 through the date of the search.",
        "The OPR case number is not known to me",
        "January 21, 2026.",  # the summary is closed with a full stop
    ):
        assert words in text
    assert "\n4. records of any disciplinary" in text and text.endswith("decision letters.")


def test_case_number_and_closed_date_range() -> None:
    text = propose_records_description(DALLAS)
    assert "(OPR case number OPR-2025-0042)" in text
    assert "Time frame: February 1, 2025 through June 30, 2025." in text
    assert "not known to me" not in text
    assert "Time frame" not in propose_records_description(DALLAS, include_dates=False)


def test_several_matters() -> None:
    text = propose_records_description_for([DENVER, DALLAS])
    assert "investigations of each of the following matters:" in text
    assert "\n1. Denver 'death card' allegations. Cards labelled" in text
    assert "\n2. Review of an assistant chief counsel in Dallas (OPR case number OPR-2025-0042). " in text
    assert "For each matter, I request:" in text
    assert "Where no OPR case number is given" in text
    assert propose_records_description_for([DALLAS]) == propose_records_description(DALLAS)
    assert propose_records_description_for([]) == ""


def test_empty_matter_still_reads() -> None:
    text = propose_records_description({})
    assert "the matter described below" not in text or text  # never crashes
    assert "report of investigation" in text


def test_description_renders_as_paragraphs_and_a_numbered_list() -> None:
    html = str(paras(propose_records_description(DALLAS)))
    assert html.count("<ol>") == 1 and html.count("<li>") == 4
    assert "<p>For this matter, I request:</p><ol>" in html.replace("\n", "")
