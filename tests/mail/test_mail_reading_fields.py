"""The fields the letter reader takes out of an agency's text, one reader at a time: sentences, tracking and
appeal numbers, amounts, the date our answer is due, the day received, exemptions, page counts, outcomes, the
letter's own date. Pure: no database (the autouse database fixture is replaced below)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from tracker.mail import reading
from tracker.mail.patterns import Family, Patterns, patterns

ICE = ("ICE", "ICE FOIA Office")


@pytest.fixture(autouse=True)
def clean_db():
    """Nothing here touches the database."""
    yield


def letter(text: str, *, day: date | None = date(2027, 1, 4), names=ICE, jurisdiction="US") -> reading.Letter:
    text = reading.clean(text)
    return reading.Letter(text=text, sentences=reading.sentences(text), day=day, agency_names=names,
                          jurisdiction=jurisdiction)


# --- text and sentences ----------------------------------------------------------------------------------

def test_clean_mends_line_ends_spaces_controls_and_hyphenation():
    assert reading.clean("a\r\nb\rc\u00a0d\x07e\u00adf") == "a\nb\nc d ef"
    assert reading.clean("the infor-\nmation and ICE-\nFOIA") == "the information and ICE-\nFOIA"
    assert reading.clean(None) == ""
    assert len(reading.clean("x" * (reading.MAX_CHARS + 10))) == reading.MAX_CHARS


def test_sentences_end_at_stops_before_capitals_blank_lines_and_list_items():
    assert reading.sentences("It is done. We are here! Are you? yes it is.") == [
        "It is done.", "We are here!", "Are you? yes it is."]
    assert reading.sentences('He wrote "Stop." Then left.') == ['He wrote "Stop."', "Then left."]
    assert reading.sentences("First part\n\nsecond part") == ["First part", "second part"]
    assert reading.sentences("Items:\n- one thing\n• two things\n* three") == [
        "Items:", "- one thing", "• two things", "* three"]
    assert reading.sentences("A wrapped\nline goes on.   And    on.") == ["A wrapped line goes on.", "And on."]
    assert reading.sentences("A. B. Yes.") == ["Yes."]
    assert reading.sentences("A. Ok. Yes.") == ["Ok.", "Yes."]  # two characters or fewer is no sentence


def test_abbreviations_do_not_end_a_sentence():
    text = "See 5 U.S.C. 552 and Request No. 1598765-000 from Mr. Lee. Next one."
    assert reading.sentences(text) == ["See 5 U.S.C. 552 and Request No. 1598765-000 from Mr. Lee.", "Next one."]
    assert reading.sentences("Dated Dec. 3, 2026 here. Done now.") == ["Dated Dec. 3, 2026 here.", "Done now."]
    assert reading.sentences("It said No.\n\nThen more.") == ["It said No.", "Then more."]  # a blank line ends it
    assert reading.sentences("Ask Mr. Dr. Lee now. Next one.") == ["Ask Mr. Dr. Lee now.", "Next one."]
    assert reading.sentences('Quoting "Mr." Lee said so. Next one.') == ['Quoting "Mr." Lee said so.', "Next one."]


def test_a_long_sentence_is_shown_cut_to_six_hundred_characters():
    assert reading._shown("a" * 600) == "a" * 600
    cut_at_a_space = "abcd" + "word " * 200  # its 599th character is a space
    assert reading._shown(cut_at_a_space) == cut_at_a_space[:598] + "…"
    shown = reading._shown("word " * 200)
    assert len(shown) <= 600 and shown.endswith("word…") and shown == ("word " * 200)[:599].rstrip() + "…"


# --- numbers ------------------------------------------------------------------------------------------------

def test_the_agencys_own_number_format_comes_first():
    text = "Re: FOIA-2026-00123 and 2026-ICFO-01234."
    assert reading.tracking_number(patterns(), letter(text)) == "2026-ICFO-01234"
    assert reading.tracking_number(patterns(), letter(text, names=("OIP",))) == "FOIA-2026-00123"


def test_a_number_in_the_sentence_beats_one_elsewhere_in_the_letter():
    text = "Your earlier request 2026-ICFO-00001 was closed. The new one is 2026-ICFO-01234."
    pats = patterns()
    assert reading.tracking_number(pats, letter(text), "The new one is 2026-ICFO-01234.") == "2026-ICFO-01234"
    assert reading.tracking_number(pats, letter(text), "A sentence without one.") == "2026-ICFO-00001"
    assert reading.tracking_number(pats, letter(text)) == "2026-ICFO-00001"


def test_the_generic_number_is_its_group_without_trailing_punctuation():
    pats = patterns()
    assert reading.tracking_number(pats, letter("Your tracking number is 26-0042.", names=("Nowhere",))) == "26-0042"
    assert reading.tracking_number(pats, letter("Request No. ab12cd;", names=("Nowhere",))) == "ab12cd"
    assert reading.tracking_number(pats, letter("Case number: 2027.", names=("Nowhere",))) == ""  # a year
    assert reading.tracking_number(pats, letter("Case number ABCDE.", names=("Nowhere",))) == ""  # no digit
    assert reading.tracking_number(pats, letter("Nothing like a number here.")) == ""


def test_a_number_is_kept_once_whatever_its_capitals():
    pats = patterns()
    text = "Case number 26-0042X and case number 26-0042x and file number 77-1234."
    found = reading._numbers(pats, letter(text, names=("Nowhere",)), "request", text)
    assert found == ["26-0042X", "77-1234"]


def test_a_number_format_of_the_newsrooms_own_loses_trailing_punctuation():
    """patterns.toml is edited by newsrooms: a pattern that takes the full stop after a number still gives it."""
    own = Family("Own", ("OWN",), (re.compile(r"\bOWN-\d{4}[.,;:]?"),), ())
    pats = Patterns((own,), (), (), {}, {}, {})
    assert reading._numbers(pats, letter("x", names=("OWN",)), "request", "Yours is OWN-1234. Thanks.") == ["OWN-1234"]
    assert reading._numbers(pats, letter("x", names=("OWN",)), "request", ";OWN-1234 ") == ["OWN-1234"]


@pytest.mark.parametrize("number, plausible", [
    ("1234", True), ("123", False), ("A" * 59 + "1", True), ("A" * 60 + "1", False), ("ABCD", False),
    ("2026", False), ("1999", False), ("2126", True), ("20261", True),
])
def test_plausible_numbers(number, plausible):
    assert reading._plausible_number(number) is plausible


def test_an_appeal_number_is_never_the_request_number():
    text = "Your appeal number is A-2027-01877. Request number A-2027-01877 and request number 26-0042."
    pats = patterns()
    assert reading.tracking_number(pats, letter(text, names=("Nowhere",))) == "26-0042"
    assert reading.appeal_number(pats, letter(text, names=("OIP",))) == "A-2027-01877"
    assert reading.appeal_number(pats, letter("No appeal here.", names=("OIP",))) == ""


def test_a_sentence_whose_only_number_is_the_appeals_sends_us_to_the_rest_of_the_letter():
    sentence = "Your appeal number is A-2027-01877 (case number A-2027-01877)."
    text = sentence + " It concerns request number 26-0042."
    pats = patterns()
    assert reading.tracking_number(pats, letter(text, names=("Nowhere",)), sentence) == "26-0042"
    assert reading.tracking_number(pats, letter(sentence, names=("Nowhere",)), sentence) == ""


def test_an_appeal_number_from_the_sentence_first():
    text = "Earlier appeal A-2026-00001 is closed. Your appeal was assigned number A-2027-01877."
    pats = patterns()
    assert reading.appeal_number(pats, letter(text, names=("OIP",)), "assigned number A-2027-01877") == "A-2027-01877"
    assert reading.appeal_number(pats, letter(text, names=("OIP",)), "nothing") == "A-2026-00001"


# --- money ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, value", [
    ("The fee is $115.00.", Decimal("115.00")), ("Search $40, duplication $10, total $50.", Decimal("50")),
    ("It comes to $1,234.5 in all.", Decimal("1234.5")), ("$ 25 due", Decimal("25")),
    ("$0.00 is owed", None), ("$0.50 is owed", Decimal("0.50")), ("$1 is owed", Decimal("1")),
    ("$10,000,000 cap", Decimal("10000000")), ("$10,000,001 cap", None),
    ("$12,34 oddly", Decimal("12")), ("no money", None),
])
def test_amounts(sentence, value):
    assert reading.amount(sentence) == value


# --- the date our answer is due ------------------------------------------------------------------------------

def test_answer_due_by_a_date_written_out():
    lt = letter("x")
    assert reading.answer_due(lt, ["Please reply by January 25, 2027."]) == date(2027, 1, 25)
    assert reading.answer_due(lt, ["Respond no later than 2/1/2027 or we close it."]) == date(2027, 2, 1)
    assert reading.answer_due(lt, ["This letter of January 25, 2027 asks a question."]) is None
    assert reading.answer_due(lt, ["We wrote on January 20, 2027.", "Answer on or before January 30, 2027."]) == \
        date(2027, 1, 30)


def test_answer_due_a_date_too_far_before_the_by_is_not_it():
    text = "Reply by the end of the period that begins on January 25, 2027."
    assert reading.answer_due(letter("x"), [text]) is None


def test_answer_due_reads_by_only_as_a_whole_word_up_to_twenty_five_characters_back():
    lt = letter("x")
    assert reading.answer_due(lt, ["By January 25, 2027, please reply."]) == date(2027, 1, 25)
    assert reading.answer_due(lt, ["The standby January 25, 2027 slot."]) is None
    assert reading.answer_due(lt, ["The standby" + " " * 23 + "January 25, 2027 slot."]) is None  # "by" cut off
    assert reading.answer_due(lt, ["Reply by" + " " * 23 + "January 25, 2027."]) == date(2027, 1, 25)
    assert reading.answer_due(lt, ["Reply by" + " " * 24 + "January 25, 2027."]) is None


def test_answer_due_within_days_of_the_letter():
    lt = letter("x", day=date(2027, 1, 4))  # a Monday
    assert reading.answer_due(lt, ["Reply within 30 days."]) == date(2027, 2, 3)
    assert reading.answer_due(lt, ["Reply within thirty (30) calendar days."]) == date(2027, 2, 3)
    assert reading.answer_due(lt, ["Reply within 10 business days."]) == date(2027, 1, 19)  # MLK day skipped
    assert reading.answer_due(lt, ["Reply within 10 WORKING days."]) == date(2027, 1, 19)
    assert reading.answer_due(letter("x", day=None), ["Reply within 30 days."]) is None
    assert reading.answer_due(lt, ["Nothing about time.", "Then within 5 days."]) == date(2027, 1, 9)
    assert reading.answer_due(lt, ["Reply within 5 days.", "Or by January 30, 2027."]) == date(2027, 1, 30)


def test_working_days_in_an_unknown_jurisdiction_are_plain_weekdays():
    assert reading.add_working_days("XX-NOWHERE", date(2027, 1, 15), 1) == date(2027, 1, 18)  # Fri -> Mon
    assert reading.add_working_days("XX-NOWHERE", date(2027, 1, 15), 3) == date(2027, 1, 20)
    assert reading.add_working_days("XX-NOWHERE", date(2027, 1, 16), 0) == date(2027, 1, 16)
    assert reading.add_working_days("", date(2027, 1, 15), 1) == date(2027, 1, 19)  # US: MLK day skipped
    lt = letter("x", day=date(2027, 1, 15), jurisdiction="XX-NOWHERE")
    assert reading.answer_due(lt, ["Reply within 1 business day."]) == date(2027, 1, 18)


# --- the day received -------------------------------------------------------------------------------------

def test_received_on_skips_the_date_of_our_letter():
    lt = letter("x")
    assert reading.received_on(lt, ["Your request dated November 30, 2026, was received on December 2, 2026."]) == \
        date(2026, 12, 2)
    assert reading.received_on(lt, ["Your letter of November 30, 2026 is here."]) is None
    assert reading.received_on(lt, ["We received your request on November 30, 2026."]) == date(2026, 11, 30)
    assert reading.received_on(lt, ["Receipt: 11/30/2026."]) == date(2026, 11, 30)
    assert reading.received_on(lt, ["It was sent on November 30, 2026."]) is None
    assert reading.received_on(lt, ["Nothing here.", "Received as of December 1, 2026."]) == date(2026, 12, 1)


def test_received_is_looked_for_only_seventy_characters_back():
    seventy = "Received " + "a" * 57 + " on December 2, 2026."
    assert reading.received_on(letter("x"), [seventy]) == date(2026, 12, 2)
    assert reading.received_on(letter("x"), ["Received " + "a" * 58 + " on December 2, 2026."]) is None
    far = "Received " + "word " * 9 + "on December 2, 2026."
    assert reading.received_on(letter("x"), [far]) is None  # more than eight words between: no
    assert reading.received_on(letter("x"), ["Received " + "word " * 8 + "on December 2, 2026."]) == date(2026, 12, 2)
    assert reading.received_on(letter("x"), ["Received by the FOIA office on December 2, 2026."]) == date(2026, 12, 2)


# --- exemptions ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, codes", [
    ("withheld under (b)(6) and (b)(7)(C)", ["b6", "b7C"]),
    ("5 U.S.C. 552(b)(5) and (b) (7) (e)", ["b5", "b7E"]),
    ("(b)(7) alone names no subpart", []),
    ("Exemptions 6 and 7(C)", ["b6", "b7C"]),
    ("Exemptions 6, 7C & 7(E)", ["b6", "b7C", "b7E"]),
    ("Exemption (b)(3), 4 and 7 are cited", ["b3", "b4"]),
    ("exemption 7Cat", []),
    ("Exemption 6 and then (b)(6) again, (b)(1)", ["b6", "b1"]),
    ("(b)(0) and Exemption 0", []),
    ("5 U.S.C. 552(b)(3)(A), 50 U.S.C. 3024", ["b3"]),  # exemption 3's statute subparts are not codes
])
def test_exemptions(text, codes):
    assert reading.exemptions(text) == codes


def test_exemptions_are_listed_in_the_order_cited_then_by_name():
    assert reading.exemptions("(b)(7)(E) then (b)(5); Exemption 6 and Exemption 5") == ["b7E", "b5", "b6"]


# --- pages ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, counts", [
    ("10 pages are released in full and 4 pages are withheld in full.", (10, 4)),
    ("4 pages are released in part and 6 pages released in full.", (10, 0)),
    ("Enclosed are 26 pages. Portions of 6 pages were redacted.", (26, 0)),
    ("Twelve pages are withheld.", (0, 12)),
    ("We located 40 responsive pages.", (None, None)),  # found, not released
    ("We reviewed 40 pages and 12 total pages.", (None, None)),
    ("2 pages are denied in full.", (0, 2)),
    ("3 pages withheld entirely.", (0, 3)),
    ("5 pages withheld in their entirety.", (0, 5)),
    ("7 pages exempt under the law.", (0, 7)),
    ("ten (10) pages are being released.", (10, 0)),
    ("four pages are being produced.", (4, 0)),
    ("1,234 pages are provided.", (1234, 0)),
    ("2,000,000 pages are released.", (None, None)),
    ("9 pages released with certain information withheld.", (9, 0)),
    ("9 pages excised. 3 pages attached.", (9, 0)),
    ("3 additional pages are disclosed.", (3, 0)),
    ("3 pages were withheld in full or in part.", (3, 0)),
    ("Nothing about pages.", (None, None)),
    ("Some pages were released.", (None, None)),
    ("1,000,000 pages are released.", (1_000_000, 0)), ("1,000,001 pages are released.", (None, None)),
    ("2,000,000 pages are nothing. 5 pages are released.", (5, 0)),
    ("3 pages withheld in full. 2 pages withheld in full.", (0, 5)),
    ("6 pages were partially withheld.", (6, 0)), ("3 pages were withheld in part.", (3, 0)),
    ("Of the records released, 5 pages were withheld in full.", (0, 5)),
    ("5 pages are enclosed. 3 more pages are attached.", (8, 0)),
    ("4 pages are released. 6 pages are produced.", (10, 0)),
    ("2 pages are exempt. 3 pages are denied.", (0, 5)), ("There are 7 pages.", (None, None)),
    ("The records responsive were 12 pages.", (None, None)), ("The file consists of 9 pages.", (None, None)),
    ("3 pages. Released later.", (None, None)), ("4 pages and the rest were released.", (None, None)),
])
def test_pages(text, counts):
    assert reading.pages(text) == counts


def test_pages_read_sixty_characters_before_a_count_and_ninety_after():
    assert reading.pages("Released " + "w" * 50 + " 7 pages.") == (7, 0)
    assert reading.pages("Released " + "w" * 51 + " 7 pages.") == (None, None)  # "eleased": cut
    assert reading.pages("7 pages " + "w" * 82 + " released.") == (7, 0)
    assert reading.pages("7 pages " + "w" * 83 + " released.") == (None, None)


def test_pages_read_only_the_words_near_each_count():
    text = "We released the letter. " + "Filler words here and there. " * 4 + "8 pages were found."
    assert reading.pages(text) == (None, None)
    assert reading.pages("Released: 8 pages found.") == (None, None)  # the colon ends what is before


# --- outcomes -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, released, withheld, cited, outcome", [
    ("No responsive records were located.", None, None, [], "no_records"),
    ("We were unable to locate or identify any responsive records.", 5, None, [], "no_records"),
    ("The search did not yield anything.", None, None, [], "no_records"),
    ("There are no records responsive to it.", None, None, [], "no_records"),
    ("We have referred your request to the FBI.", None, None, [], "referred"),
    ("We referred 12 pages to the FBI.", 3, None, [], "granted_in_full"),
    ("Released.", 10, 4, [], "granted_in_part"),
    ("Released.", 10, 0, ["b6"], "granted_in_part"),
    ("Portions of the report have been withheld.", 10, 0, [], "granted_in_part"),
    ("Released.", 10, 0, [], "granted_in_full"),
    ("Released.", 10, None, [], "granted_in_full"),
    ("Your request is hereby denied.", None, None, [], "denied"),
    ("The records are withheld in their entirety.", 0, 3, [], "denied"),
    ("We are granting your request in part.", None, None, [], "granted_in_part"),
    ("The records are released in full.", None, None, [], "granted_in_full"),
    ("A letter.", None, None, ["b6"], ""),
])
def test_outcomes(text, released, withheld, cited, outcome):
    assert reading._outcome(text, released, withheld, cited) == outcome


@pytest.mark.parametrize("sentence, text, outcome", [
    ("I am remanding your request.", "", "remanded"),
    ("We are reversing in part.", "", "reversed_in_part"),
    ("Your appeal is granted in part.", "", "reversed_in_part"),
    ("I am affirming in part.", "", "reversed_in_part"),
    ("I am reversing ICE's action.", "", "reversed"),
    ("Your appeal has been granted.", "", "reversed"),
    ("I am upholding the action.", "", "affirmed"),
    ("Your appeal is denied.", "", "affirmed"),
    ("A sentence.", "I am remanding the request to ICE.", "remanded"),
    ("I am affirming the action.", "I am remanding it.", "affirmed"),  # the sentence first
    ("Nothing.", "Nothing either.", ""),
])
def test_appeal_outcomes(sentence, text, outcome):
    assert reading._appeal_outcome(sentence, text) == outcome


# --- the letter's own date -------------------------------------------------------------------------------

def test_the_letters_date_is_the_first_believable_one_at_its_head():
    arrived = date(2027, 3, 5)
    assert reading._letter_day("March 3, 2027\n\nDear", arrived) == date(2027, 3, 3)
    assert reading._letter_day("March 9, 2027 and March 1, 2027", arrived) == date(2027, 3, 1)  # after arrival
    assert reading._letter_day("January 1, 2026 then", arrived) == date(2027, 3, 5)  # more than 400 days before
    assert reading._letter_day("January 29, 2026 then", arrived) == date(2026, 1, 29)  # exactly 400 days before
    assert reading._letter_day("January 28, 2026 then", arrived) == arrived
    assert reading._letter_day("March 5, 2027", arrived) == date(2027, 3, 5)
    assert reading._letter_day("x" * 786 + " March 3, 2027", arrived) == date(2027, 3, 3)  # ends at 800
    assert reading._letter_day("x" * 787 + " March 3, 2027", arrived) == arrived  # past the head
    assert reading._letter_day("March 9, 2027", None) == date(2027, 3, 9)
    assert reading._letter_day("no date", None) is None


def test_business_days_are_the_federal_ones_unless_the_agency_is_a_states():
    ask = "Please clarify the date range you want. Answer within 1 business day."
    [found] = reading.read(ask, arrived_on=date(2027, 1, 15))  # a Friday; Monday is Martin Luther King Day
    assert found.fields["our_answer_due_on"] == date(2027, 1, 19)
    ask = "Please clarify the date range you want. Answer within 2 business days."
    [found] = reading.read(ask, arrived_on=date(2027, 3, 30), jurisdiction="US-CA")  # César Chávez Day
    assert found.fields["our_answer_due_on"] == date(2027, 4, 2)
