"""Reading agency letters into findings: each kind of letter from ICE, DHS, DOJ OIP, the FBI and two states,
with the fields a person would record and the sentence they came from; and text that must propose nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.mail.mail_out_support import LETTERS, letter_text
from tracker.mail import reading
from tracker.mail.dates import parse_date

ICE = ("ICE", "ICE FOIA Office", "DHS")
OIP = ("OIP", "Office of Information Policy")
FBI = ("FBI", "Federal Bureau of Investigation")
CDCR = ("CDCR", "California Department of Corrections and Rehabilitation")
TXDPS = ("DPS", "Texas Department of Public Safety")
DHS = ("DHS", "DHS Privacy Office")
ARRIVED = date(2027, 12, 1)


def read(name: str, names=ICE, jurisdiction="US-DHS") -> dict[str, reading.Finding]:
    found = reading.read(letter_text(name), arrived_on=ARRIVED, agency_names=names, jurisdiction=jurisdiction)
    by_kind = {f.kind: f for f in found}
    assert len(by_kind) == len(found)  # one finding per kind
    return by_kind


def test_ice_acknowledgment_gives_number_and_day_received_not_the_day_we_wrote():
    found = read("ice_acknowledgment")
    assert set(found) == {"acknowledgment"}  # "willingness to pay up to $25" is no fee estimate
    ack = found["acknowledgment"]
    assert ack.fields == {"on": date(2026, 12, 8), "tracking_number": "2026-ICFO-01234",
                          "received_on": date(2026, 12, 2)}
    assert ack.sentence.startswith("This acknowledges receipt of your Freedom of Information Act (FOIA) request")


def test_a_line_wrapped_before_a_year_is_no_numbered_item():
    """OCR and PDF text wrap lines anywhere: "on December 2,\n2026. Your request" is one sentence, not a list
    item "2026." (a scanned acknowledgment lost its day received that way)."""
    text = ("This acknowledges receipt of your FOIA request, dated November 30, 2026,\nand received by the ICE FOIA "
            "Office on December 2,\n2026. Your request has been assigned the reference\nnumber 2026-ICFO-01234.")
    [ack] = reading.read(text, arrived_on=ARRIVED, agency_names=ICE, jurisdiction="US-DHS")
    assert ack.fields["received_on"] == date(2026, 12, 2)
    assert reading.sentences("Do this:\n1. Sign the form and send it\n2. by mail.")[-1] == "2. by mail."  # a list


def test_ice_extension_notice():
    found = read("ice_extension")
    assert set(found) == {"extension"}
    assert found["extension"].fields["on"] == date(2026, 12, 10)
    assert "10-day extension" in found["extension"].sentence


def test_ice_fee_estimate_with_the_date_our_answer_is_due():
    found = read("ice_fee_estimate")
    assert set(found) == {"fee_estimate"}  # its "we will close it" threat is not a still-interested letter
    assert found["fee_estimate"].fields == {"on": date(2027, 1, 6), "amount": Decimal("115.00"),
                                            "our_answer_due_on": date(2027, 1, 27)}
    assert "$115.00" in found["fee_estimate"].sentence


def test_ice_clarification_counts_thirty_calendar_days_from_the_letter():
    found = read("ice_clarification")
    assert set(found) == {"clarification"}
    assert found["clarification"].fields == {"on": date(2027, 1, 5), "our_answer_due_on": date(2027, 2, 4)}


def test_ice_still_interested():
    found = read("ice_still_interested")
    assert set(found) == {"still_interested"}
    assert found["still_interested"].fields == {"our_answer_due_on": date(2027, 2, 16)}


def test_ice_estimated_completion_date():
    found = read("ice_estimated_completion")
    assert set(found) == {"estimated_completion"}
    assert found["estimated_completion"].fields == {"completion_on": date(2027, 4, 30)}


def test_ice_partial_grant_with_exemptions_and_page_counts():
    found = read("ice_determination_partial")
    assert set(found) == {"determination"}  # the appeal-rights paragraph is no appeal letter
    assert found["determination"].fields == {
        "on": date(2027, 3, 3), "outcome": "granted_in_part", "exemptions": ["b6", "b7C", "b7E"],
        "pages_released": 14, "pages_withheld": 4}


def test_ice_no_records():
    found = read("ice_no_records")
    assert set(found) == {"determination"}
    assert found["determination"].fields["outcome"] == "no_records"
    assert "unable to locate" in found["determination"].sentence


def test_portal_notification_only_says_a_letter_waits():
    found = read("ice_portal_notice")
    assert set(found) == {"portal_notice"}
    assert found["portal_notice"].fields == {"tracking_number": "2026-ICFO-01234"}


def test_dhs_headquarters_acknowledgment_with_extension():
    found = read("dhs_hq_acknowledgment", names=DHS)
    assert set(found) == {"acknowledgment", "extension"}
    assert found["acknowledgment"].fields["tracking_number"] == "2026-HQFO-00881"
    assert found["acknowledgment"].fields["received_on"] == date(2026, 12, 1)


def test_oip_appeal_acknowledgment_gives_the_appeal_number_not_the_request_number():
    found = read("oip_appeal_acknowledgment", names=OIP, jurisdiction="US")
    assert set(found) == {"appeal_acknowledgment"}
    assert found["appeal_acknowledgment"].fields == {"on": date(2027, 5, 10), "tracking_number": "A-2027-01877"}


def test_oip_appeal_decision_affirmed_with_exemptions():
    found = read("oip_appeal_decision", names=OIP, jurisdiction="US")
    assert set(found) == {"appeal_decision"}
    fields = found["appeal_decision"].fields
    assert fields["outcome"] == "affirmed" and fields["exemptions"] == ["b6", "b7C"]
    assert found["appeal_decision"].sentence == ("After carefully considering your appeal, I am affirming ICE's "
                                                 "action on your request.")


def test_oip_remand():
    found = read("oip_appeal_remand", names=OIP, jurisdiction="US")
    assert found["appeal_decision"].fields["outcome"] == "remanded"


def test_fbi_acknowledgment_with_foipa_number_and_unusual_circumstances():
    found = read("fbi_acknowledgment", names=FBI, jurisdiction="US")
    assert set(found) == {"acknowledgment", "extension"}
    assert found["acknowledgment"].fields == {"on": date(2027, 1, 4), "tracking_number": "1598765-000",
                                              "received_on": date(2026, 12, 28)}


def test_fbi_release_letter():
    found = read("fbi_determination", names=FBI, jurisdiction="US")
    assert found["determination"].fields == {
        "on": date(2027, 3, 15), "outcome": "granted_in_part", "exemptions": ["b3", "b6", "b7C", "b7E"],
        "pages_released": 31, "pages_withheld": 12}


def test_fbi_fee_estimate_within_thirty_days():
    found = read("fbi_fee_estimate", names=FBI, jurisdiction="US")
    assert found["fee_estimate"].fields == {"on": date(2027, 2, 1), "amount": Decimal("145.00"),
                                            "our_answer_due_on": date(2027, 3, 3)}


def test_california_acknowledgment_extension_and_estimated_response():
    found = read("state_ca_acknowledgment", names=CDCR, jurisdiction="US-CA")
    assert set(found) == {"acknowledgment", "extension", "estimated_completion"}
    assert found["acknowledgment"].fields["tracking_number"] == "PRA-2026-04417"
    assert found["acknowledgment"].fields["received_on"] == date(2026, 12, 11)
    assert found["estimated_completion"].fields == {"completion_on": date(2027, 1, 6)}


def test_california_release_with_redactions_counts_the_enclosed_pages_once():
    found = read("state_ca_determination", names=CDCR, jurisdiction="US-CA")
    assert found["determination"].fields["outcome"] == "granted_in_part"
    assert found["determination"].fields["pages_released"] == 26


def test_texas_clarification_with_a_deadline():
    found = read("state_tx_clarification", names=TXDPS, jurisdiction="US-TX")
    assert found["clarification"].fields == {"on": date(2027, 1, 9), "our_answer_due_on": date(2027, 1, 30)}


def test_every_letter_in_the_corpus_is_tested():
    tested = {"ice_acknowledgment", "ice_extension", "ice_fee_estimate", "ice_clarification", "ice_still_interested",
              "ice_estimated_completion", "ice_determination_partial", "ice_no_records", "ice_portal_notice",
              "dhs_hq_acknowledgment", "oip_appeal_acknowledgment", "oip_appeal_decision", "oip_appeal_remand",
              "fbi_acknowledgment", "fbi_determination", "fbi_fee_estimate", "state_ca_acknowledgment",
              "state_ca_determination", "state_tx_clarification", "newsletter"}
    assert {p.stem for p in LETTERS.glob("*.txt")} == tested


@pytest.mark.parametrize("text", [
    "", "   \n\n  ", "newsletter", "\x00\x01\x02 binary \xff\ufffd garbage", "$$$ (b)(7) pages pages pages",
    "Dear friend, thank you for your note about the weather on January 5, 2027.",
    "(" * 5000 + "b" + ")" * 5000, "a. " * 50_000, "Exemptions " + "6, " * 10_000,
    "received on " * 20_000 + "January 5, 2027",
])
def test_weird_or_huge_text_proposes_nothing_and_never_raises(text):
    if text == "newsletter":
        text = letter_text("newsletter")
    assert reading.read(text, arrived_on=ARRIVED, agency_names=ICE) == []


def test_huge_letter_is_read_from_its_start():
    text = letter_text("ice_acknowledgment") + "\n\nfiller words " * 100_000
    found = reading.read(text, arrived_on=ARRIVED, agency_names=ICE)
    assert [f.kind for f in found] == ["acknowledgment"]


@pytest.mark.parametrize("written, day", [
    ("December 3, 2026", date(2026, 12, 3)), ("Dec. 3, 2026", date(2026, 12, 3)), ("Sept. 30, 2026", date(2026, 9, 30)),
    ("3 December 2026", date(2026, 12, 3)), ("December 3rd, 2026", date(2026, 12, 3)),
    ("12/03/2026", date(2026, 12, 3)), ("12/3/26", date(2026, 12, 3)), ("2026-12-03", date(2026, 12, 3)),
    ("February 30, 2026", None), ("December 3", None),
])
def test_dates_as_agencies_write_them(written, day):
    assert parse_date(f"received on {written}.") == day


@pytest.mark.parametrize("written, day", [
    ("\u017fep 5, 2025", date(2025, 9, 5)), ("Aprıl 3, 2026", date(2026, 4, 3)),
])
def test_month_written_with_letters_a_case_blind_match_takes_for_ascii(written, day):
    """'ſ' and 'ı' match s and i when case is ignored; the month table has only ASCII: it raised KeyError."""
    assert parse_date(f"received on {written}.") == day
