"""What the reader proposes from a whole letter, and what it refuses to guess: which kinds a letter is, which
kinds exclude others (a portal notice, an appeal acknowledgment, a letter that already paused the clock), how far
from its sentence a field is looked for, and the letter's own date. Short letters written for each rule. Pure: no
database (the autouse database fixture is replaced below)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tracker.mail import reading
from tracker.mail.patterns import Patterns, patterns

ICE = ("ICE", "ICE FOIA Office")
OIP = ("OIP", "Office of Information Policy")
ARRIVED = date(2027, 1, 8)


@pytest.fixture(autouse=True)
def clean_db():
    """Nothing here touches the database."""
    yield


def read(text: str, names=ICE, arrived=ARRIVED, jurisdiction="US") -> dict[str, reading.Finding]:
    found = reading.read(text, arrived_on=arrived, agency_names=names, jurisdiction=jurisdiction)
    return {f.kind: f for f in found}


ACK = "This acknowledges receipt of your FOIA request."


# --- the letter's date ------------------------------------------------------------------------------------

def test_on_is_the_letters_date_or_the_day_it_arrived_or_nothing():
    assert read("January 5, 2027\n\n" + ACK)["acknowledgment"].fields["on"] == date(2027, 1, 5)
    assert read(ACK)["acknowledgment"].fields["on"] == ARRIVED
    assert "on" not in read(ACK, arrived=None)["acknowledgment"].fields


def test_the_letters_date_is_never_the_day_it_says_our_request_was_dated_or_received():
    # An acknowledgment by email, with no date of its own: the request's dates are not the letter's.
    email = ("This acknowledges receipt of your FOIA request, dated November 30, 2026, and received by the ICE "
             "FOIA Office on December 2, 2026.")
    found = read(email, arrived=date(2026, 12, 3))["acknowledgment"].fields
    assert (found["on"], found["received_on"]) == (date(2026, 12, 3), date(2026, 12, 2))
    # A date the letter states otherwise, after a reference, is still its own.
    assert read("Your request of November 30, 2026 is closed. On December 2, 2026 this office acknowledged it. "
                + ACK, arrived=date(2026, 12, 3))["acknowledgment"].fields["on"] == date(2026, 12, 2)


def test_a_date_on_a_line_of_its_own_is_the_letters_date_before_any_other():
    text = ("RE: your request sent on November 30, 2026\nPhoenix, AZ 85003\nDate: December 4, 2026\n\n"
            "On December 1, 2026 we searched. " + ACK)
    assert read(text, arrived=date(2026, 12, 9))["acknowledgment"].fields["on"] == date(2026, 12, 4)
    # Its own line decides: a title that mentions receipt above the date does not make it a reference.
    titled = "Acknowledgment of Receipt\nDecember 4, 2026\n\n" + ACK
    assert read(titled, arrived=date(2026, 12, 9))["acknowledgment"].fields["on"] == date(2026, 12, 4)


def test_a_pdfs_letterhead_is_not_part_of_the_first_sentence():
    """A PDF's text layer has no blank lines: the salutation on its own line ends the letter's head."""
    letter = (Path(__file__).parent / "letters" / "ice_acknowledgment.txt").read_text()
    pdf_text = "\n".join(line for line in letter.splitlines() if line.strip())
    found = read(pdf_text, arrived=date(2026, 12, 9))["acknowledgment"]
    assert found.sentence.startswith("This acknowledges receipt of your Freedom of Information Act (FOIA) request")
    assert (found.fields["on"], found.fields["received_on"]) == (date(2026, 12, 8), date(2026, 12, 2))
    # A line that only begins with "Dear" and goes on is a wrapped sentence, not a salutation.
    wrapped = "Dear Mr. Reyes, this letter acknowledges receipt of your FOIA request,\nreceived on December 3, 2026."
    assert reading.sentences("Head\n" + wrapped) == ["Head " + " ".join(wrapped.split())]


def test_an_acknowledgments_number_is_looked_for_in_its_sentence_and_the_two_after_first():
    text = ("Your earlier request 2026-ICFO-00007 is closed.\n\n" + ACK + "\n\n2026-ICFO-01234 is its number.")
    assert read(text)["acknowledgment"].fields["tracking_number"] == "2026-ICFO-01234"


def test_the_day_received_is_looked_for_from_the_sentence_before_the_acknowledgment_on():
    text = ("Our office received a different request from you on November 2, 2026. That one is closed. "
            "This acknowledges receipt of your FOIA request, received on December 3, 2026.")
    assert read(text)["acknowledgment"].fields["received_on"] == date(2026, 12, 3)


# --- portal notices ------------------------------------------------------------------------------------------

PORTAL = "Your request 2026-ICFO-01234 has a new letter. Log in to the portal to view it."


def test_a_short_portal_notice_is_only_that():
    assert read(PORTAL + " " + ACK).keys() == {"portal_notice"}
    finding = read(PORTAL)["portal_notice"]
    assert finding.fields == {"tracking_number": "2026-ICFO-01234"}
    assert finding.sentence == "Log in to the portal to view it."


def test_a_long_letter_that_mentions_the_portal_is_read_for_the_rest():
    filler = "\n\nThe weather report follows here for a while."
    text = PORTAL + " " + ACK
    long_text = text + filler * ((4000 - len(text)) // len(filler) + 1)
    assert len(long_text) >= 4000 and read(long_text).keys() == {"acknowledgment"}
    exactly = text + " " + "x" * (3999 - len(text) - 1)
    assert len(exactly) == 3999 and read(exactly).keys() == {"portal_notice"}
    exactly = text + " " + "x" * (4000 - len(text) - 1)
    assert len(exactly) == 4000 and read(exactly).keys() == {"acknowledgment"}


def test_a_portal_notice_with_a_determination_is_a_determination():
    text = PORTAL + " Ten pages are released in full."
    assert read(text).keys() == {"determination"}


# --- acknowledgments -----------------------------------------------------------------------------------------

def test_an_acknowledgment_takes_its_number_from_its_own_and_the_next_two_sentences():
    head = "Re: earlier request 2026-ICFO-00001.\n\n"
    two_after = head + ACK + " We will be in touch. It is 2026-ICFO-01234."
    assert read(two_after)["acknowledgment"].fields["tracking_number"] == "2026-ICFO-01234"
    three_after = head + ACK + " We will be in touch. Thank you. It is 2026-ICFO-01234."
    assert read(three_after)["acknowledgment"].fields["tracking_number"] == "2026-ICFO-00001"


def test_an_acknowledgment_takes_the_day_received_from_the_sentence_before_to_two_after():
    before = "Your request was received on December 2, 2026. " + ACK
    assert read(before)["acknowledgment"].fields["received_on"] == date(2026, 12, 2)
    two_before = "We got it on December 2, 2026 (received). Hello there. " + ACK
    assert "received_on" not in read(two_before)["acknowledgment"].fields
    after = ACK + " One more. Received on December 3, 2026."
    assert read(after)["acknowledgment"].fields["received_on"] == date(2026, 12, 3)
    too_far = ACK + " One more. Two more. Received on December 3, 2026."
    assert "received_on" not in read(too_far)["acknowledgment"].fields


def test_an_acknowledgment_of_an_appeal_is_no_acknowledgment_of_the_request():
    text = ("This acknowledges receipt of your FOIA request appeal. Your appeal has been assigned number "
            "A-2027-01877.")
    found = read(text, names=OIP)
    assert found.keys() == {"appeal_acknowledgment"}
    assert found["appeal_acknowledgment"].fields == {"on": ARRIVED, "tracking_number": "A-2027-01877"}
    assert found["appeal_acknowledgment"].sentence == "This acknowledges receipt of your FOIA request appeal."


def test_an_appeal_acknowledgment_takes_its_number_from_its_own_and_the_next_two_sentences():
    base = "Old appeal A-2026-00001 closed.\n\nWe received your appeal. One more. "
    assert read(base + "It is A-2027-01877.", names=OIP)["appeal_acknowledgment"].fields["tracking_number"] == \
        "A-2027-01877"
    assert read(base + "Two more. It is A-2027-01877.", names=OIP)["appeal_acknowledgment"].fields[
        "tracking_number"] == "A-2026-00001"
    starts_a_paragraph = "Old appeal A-2026-00001 closed.\n\nWe received your appeal.\n\nA-2027-01877 is its number."
    assert read(starts_a_paragraph, names=OIP)["appeal_acknowledgment"].fields["tracking_number"] == "A-2027-01877"


# --- clarification, fees, extension, still interested -----------------------------------------------------------

def test_a_clarification_with_the_date_due_up_to_three_sentences_on():
    ask = "We need clarification of the records you seek."
    found = read(ask + " One. Two. Please answer by January 30, 2027.")
    assert found["clarification"].fields == {"on": ARRIVED, "our_answer_due_on": date(2027, 1, 30)}
    found = read(ask + " One. Two. Three. Please answer by January 30, 2027.")
    assert found["clarification"].fields == {"on": ARRIVED}
    assert found["clarification"].sentence == ask


def test_a_fee_estimate_needs_an_amount_in_its_sentence():
    found = read("We estimate fees of $45.50 for this request. One. Two. Pay by February 1, 2027.")
    assert found["fee_estimate"].fields == {"on": ARRIVED, "amount": Decimal("45.50"),
                                            "our_answer_due_on": date(2027, 2, 1)}
    found = read("We estimate fees of $45.50 for this request. One. Two. Three. Pay by February 1, 2027.")
    assert found["fee_estimate"].fields == {"on": ARRIVED, "amount": Decimal("45.50")}
    assert "fee_estimate" not in read("We estimate the fees will be high.")
    assert "fee_estimate" not in read("You agreed to pay up to $25.")
    assert "fee_estimate" not in read("We estimate fees of $25.00, which you agreed to pay.")


def test_an_extension_says_whether_it_extends_an_appeal():
    assert read("Unusual circumstances apply to your request.")["extension"].fields == {"on": ARRIVED,
                                                                                        "appeal": False}
    text = "We received your appeal. Unusual circumstances apply to it."
    found = read(text, names=OIP)
    assert found["extension"].fields == {"on": ARRIVED, "appeal": True}


def test_a_still_interested_letter_with_its_date():
    found = read("Are you still interested in this request? Please reply. Reply by February 2, 2027.")
    assert found["still_interested"].fields == {"our_answer_due_on": date(2027, 2, 2)}
    found = read("Are you still interested in this request? Please reply. More. Reply by February 2, 2027.")
    assert found["still_interested"].fields == {}
    found = read("Are you still interested in this request? Please reply within 10 business days.")
    assert found["still_interested"].fields == {"our_answer_due_on": date(2027, 1, 25)}  # from the letter's day


@pytest.mark.parametrize("pause", ["We need clarification of the records you seek.",
                                   "We estimate fees of $45.50 for this request."])
def test_a_letter_that_paused_the_clock_is_no_still_interested_letter(pause):
    found = read(pause + " If we do not hear from you, we will administratively close the request.")
    assert "still_interested" not in found and len(found) == 1


# --- estimated completion -----------------------------------------------------------------------------------

def test_an_estimated_completion_date_is_after_the_letter():
    text = "January 5, 2027\n\nWe expect to complete processing of your request by March 31, 2027."
    assert read(text)["estimated_completion"].fields == {"completion_on": date(2027, 3, 31)}
    assert read(text)["estimated_completion"].sentence == text.split("\n\n")[1]
    past = "January 5, 2027\n\nWe expected to complete processing by January 5, 2027."
    assert "estimated_completion" not in read(past)
    both = ("January 5, 2027\n\nThe estimated completion date moved from January 2, 2027 to April 1, 2027 and "
            "May 1, 2027.")
    assert read(both)["estimated_completion"].fields == {"completion_on": date(2027, 4, 1)}
    undated = "x " * 400 + "\n\nWe expect to complete processing by January 2, 2020."
    assert read(undated, arrived=None)["estimated_completion"].fields == {"completion_on": date(2020, 1, 2)}


# --- determinations and appeal decisions ----------------------------------------------------------------------

def test_a_determination_with_pages_and_exemptions():
    text = ("January 5, 2027\n\nWe located 20 pages. Of those, 12 pages are released in full and 8 pages are "
            "withheld in full under (b)(6).")
    assert read(text)["determination"].fields == {"on": date(2027, 1, 5), "outcome": "granted_in_part",
                                                  "exemptions": ["b6"], "pages_released": 12, "pages_withheld": 8}
    assert read(text)["determination"].sentence.startswith("Of those, 12 pages")


def test_of_equally_telling_sentences_the_first_is_shown():
    text = "The records are released in part. Other records are released in full."
    assert read(text)["determination"].sentence == "The records are released in part."


def test_the_most_telling_determination_sentence_and_its_place():
    sents = ["This is the final response to your request.", "The records are released in part under (b)(6).",
             "Other records are released in full."]
    assert reading._best(patterns(), "determination", sents) == (1, sents[1])


def test_a_determination_with_no_outcome_no_exemption_and_no_count_is_not_guessed():
    assert read("This is the final response to your request.") == {}


@pytest.mark.parametrize("says", ["10 pages are released in full and 4 pages are withheld in full.",
                                  "10 pages are released. Exemption 6 applies."])
def test_pages_withheld_or_an_exemption_cited_make_a_release_partial(says):
    found = read("This is the final response to your request. " + says)
    assert found["determination"].fields["outcome"] == "granted_in_part"


def test_a_determination_with_only_exemptions_or_only_a_count():
    only_cited = read("This is the final response to your request. Exemption 6 applies.")
    assert only_cited["determination"].fields == {"on": ARRIVED, "outcome": "", "exemptions": ["b6"]}
    only_count = read("This is the final response to your request. 3 pages are released.")
    assert only_count["determination"].fields == {"on": ARRIVED, "outcome": "granted_in_full", "exemptions": [],
                                                  "pages_released": 3, "pages_withheld": 0}


def test_a_count_of_pages_found_is_no_release():
    found = "This is the final response to your request. We located 20 responsive pages."
    assert read(found) == {}  # not "granted in full, 20 pages released": the letter says nothing released
    cited = read(found + " Exemption 6 applies.")
    assert cited["determination"].fields == {"on": ARRIVED, "outcome": "", "exemptions": ["b6"]}
    decided = read("After considering your appeal, I am affirming ICE's action. We located 20 responsive pages.",
                   names=OIP)
    assert decided["appeal_decision"].fields == {"on": ARRIVED, "outcome": "affirmed", "exemptions": []}


def test_an_appeal_acknowledgment_is_no_determination():
    text = "We received your appeal of the partial denial. No records were located."
    assert read(text, names=OIP).keys() == {"appeal_acknowledgment"}


def test_an_appeal_decision_with_pages_and_exemptions():
    text = ("After considering your appeal, I am affirming ICE's action on your request. The 4 pages were "
            "withheld in full under (b)(7)(C). 3 pages were released.")
    found = read(text, names=OIP)
    assert found.keys() == {"appeal_decision"}
    assert found["appeal_decision"].fields == {"on": ARRIVED, "outcome": "affirmed", "exemptions": ["b7C"],
                                               "pages_released": 3, "pages_withheld": 4}
    bare = read("Your appeal is closed: I am affirming ICE's action.", names=OIP)
    assert bare["appeal_decision"].fields == {"on": ARRIVED, "outcome": "affirmed", "exemptions": []}


def test_a_decision_that_never_says_appeal_is_no_appeal_decision():
    assert "appeal_decision" not in read("I am affirming ICE's action on your request.", names=OIP)
    says_it_in_capitals = read("RE: FOIA APPEAL A-2027-01877\n\nI am affirming ICE's action on your request.",
                               names=OIP)
    assert says_it_in_capitals["appeal_decision"].fields["outcome"] == "affirmed"


def test_an_appeal_decision_letter_is_no_appeal_acknowledgment():
    text = "We received your appeal on May 1, 2027. I am remanding your request to ICE."
    found = read(text, names=OIP)
    assert found.keys() == {"appeal_decision"} and found["appeal_decision"].fields["outcome"] == "remanded"


# --- never raises -----------------------------------------------------------------------------------------

def test_a_reader_that_recurses_too_deep_gives_nothing(monkeypatch):
    def deep(*_a, **_k):
        raise RecursionError

    monkeypatch.setattr(reading, "_read", deep)
    assert reading.read(ACK) == []


def test_the_sentence_shown_is_cut():
    text = "This acknowledges receipt of your FOIA request " + "and more words " * 60 + "today."
    shown = read(text)["acknowledgment"].sentence
    assert len(shown) == reading.MAX_SENTENCE and shown.endswith("…")


# --- a patterns file as a newsroom edits it --------------------------------------------------------------

def _edited(keywords=None, nots=None) -> Patterns:
    kinds = {"notice": (re.compile(r"hello \w+", re.IGNORECASE),)}
    return Patterns((), (), (), kinds, nots or {}, keywords or {})


def test_a_kind_without_keywords_tries_every_sentence():
    sents = ["Nothing here.", "Hello world, says the agency."]
    assert reading._first(_edited(), "notice", sents) == (1, sents[1])
    assert reading._best(_edited(), "notice", sents) == (1, sents[1])


def test_a_sentence_without_one_of_the_kinds_keywords_is_not_tried():
    sents = ["Hello world, says the agency.", "Hello there, the office writes."]
    edited = _edited(keywords={"notice": ("office",)})
    assert reading._first(edited, "notice", sents) == (1, sents[1])
    assert reading._best(edited, "notice", sents) == (1, sents[1])


def test_a_not_phrase_rules_a_sentence_out():
    sents = ["Hello world, but not really.", "Hello there."]
    edited = _edited(nots={"notice": (re.compile(r"not really", re.IGNORECASE),)})
    assert reading._first(edited, "notice", sents) == (1, sents[1])


def test_a_kind_missing_from_the_file_finds_nothing():
    assert reading._first(_edited(), "other", ["Hello world."]) is None
    assert reading._best(_edited(), "other", ["Hello world."]) is None
