"""The small questions the app asks a jurisdiction row: is it federal, which values need checking and why,
and what the row looks like for a kind of request (a letter cites the variant's period)."""

from __future__ import annotations

import pytest

from tracker.deadlines import Jurisdiction, Period, UnknownVariant, Variant, is_federal_code, jurisdiction
from tracker.deadlines.rules import Counting, HolidayCalendar, NoResponse, ReceiptRule

UNCONFIRMED = "could not be confirmed from a primary text"


@pytest.mark.parametrize(
    "code,federal",
    [("US", True), ("US-DHS", True), ("US-DOJ", True), ("US-TX", False), ("US-NJ", False), ("USA", False),
     ("US-", False), ("UK-HMRC", False)],
)  # fmt: skip
def test_federal_codes_are_us_and_its_agencies_not_the_states(code: str, federal: bool) -> None:
    """A state is US- and two letters; an agency is US- and a longer name (its letters say "FOIA", not state law)."""
    assert is_federal_code(code) is federal


def row(**changes) -> Jurisdiction:
    fields = {"code": "US-XX", "name": "X", "law": "X law", "citation": "X 1", "response": Period(5, "working"),
              "holiday_calendar": HolidayCalendar(subdiv="XX")}
    return Jurisdiction(**(fields | changes))


def test_check_notes_name_each_unconfirmed_value_with_its_note_or_a_default() -> None:
    checked = row(
        appeal_decision=Period(10, "working", check=True),
        tracking_number=Period(10, "working", check=True, note="only an agency rule says so"),
        counting=Counting(check=True),
        receipt=ReceiptRule(channels=("email",), count=1, check=True),
        no_response=NoResponse(deemed_denied=True, check=True, note="from summaries"),
        holiday_calendar=HolidayCalendar(subdiv="XX", check=True),
    )
    assert checked.check
    assert checked.check_notes() == [
        f"appeal decision: {UNCONFIRMED}",
        "tracking number: only an agency rule says so",
        f"counting: {UNCONFIRMED}",
        f"receipt: {UNCONFIRMED}",
        "no response: from summaries",
        "holiday calendar: check against state law",
    ]
    noted = row(counting=Counting(check=True, note="the courts differ"),
                holiday_calendar=HolidayCalendar(subdiv="XX", check=True, note="the Governor sets them"))
    assert noted.check_notes() == ["counting: the courts differ", "holiday calendar: the Governor sets them"]


def test_a_row_with_nothing_to_check_has_no_notes() -> None:
    confirmed = row(counting=Counting(), receipt=ReceiptRule(channels=("fax",), count=1), no_response=NoResponse(True))
    assert not confirmed.check
    assert confirmed.check_notes() == []


def test_for_variant_puts_the_variants_periods_in_the_row() -> None:
    nj = jurisdiction("US-NJ")
    commercial = nj.for_variant("commercial")
    assert (commercial.response.count, commercial.response.unit) == (14, "working")
    assert commercial.extension == nj.extension  # the variant leaves the extension as it is
    assert commercial.code == "US-NJ" and commercial.appeal == nj.appeal
    va = jurisdiction("US-VA").for_variant("criminal_files")  # a variant that changes only the extension
    assert va.response == jurisdiction("US-VA").response
    assert va.extension is not None and (va.extension.count, va.extension.unit) == (60, "working")
    assert nj.for_variant(None) is nj and nj.for_variant("") is nj
    assert nj.for_variant("no-such-kind") is nj  # a letter for an old variant key still renders


def test_an_unknown_variant_names_every_variant_of_the_row() -> None:
    two = row(variants=(Variant("commercial", "Commercial", response=Period(14, "working")),
                        Variant("bulk", "Bulk", extension=Period(10, "working"))))  # fmt: skip
    with pytest.raises(UnknownVariant) as info:
        two.variant("press")
    assert str(info.value) == "X has no request variant 'press' (variants: commercial, bulk)."
