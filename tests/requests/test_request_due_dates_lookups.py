"""The due-date look-ups other pages lean on: the one deadline a list shows per status, the names and refusals
of a kind of request, the channel a filing was sent by, the settings handed to the state rules, and lateness
counted in calendar days."""

from __future__ import annotations

import pytest

from tests.helpers import d, make_agency, make_request
from tracker.requests import due_dates
from tracker.requests.models import Event, RecordsRequest

DUE = d("2026-12-02")
LIVE = {  # status -> the deadline a list shows
    "draft": None,
    "filed": ("Agency's response due", "response_due"),
    "acknowledged": ("Agency's response due", "response_due"),
    "awaiting_clarification": ("Agency's response due", "response_due"),
    "awaiting_fees": ("Agency's response due", "response_due"),
    "determined": ("Last day to appeal", "appeal_due"),
    "appealed": ("Appeal decision due", "appeal_decision_due"),
    "appeal_decided": None,
    "in_mediation": None,
    "in_litigation": None,
    "withdrawn": None,
    "closed": None,
}
COLUMNS = ("response_due", "tracking_number_due", "expedited_decision_due", "appeal_due", "appeal_decision_due")


@pytest.mark.parametrize("status", list(LIVE))
def test_the_one_deadline_a_list_shows_in_each_status(status):
    # Each column holds a different day, so the right column is the only way to the right date.
    req = RecordsRequest(status=status, **{c: d(f"2026-12-0{i + 1}") for i, c in enumerate(COLUMNS)})
    label_and_column = LIVE[status]
    expected = None if label_and_column is None else (label_and_column[0], getattr(req, label_and_column[1]))
    assert due_dates.live_deadline(req) == expected
    if label_and_column is not None:  # no date in the column: nothing to show, not a label without a date
        setattr(req, label_and_column[1], None)
        assert due_dates.live_deadline(req) is None


def test_a_kind_of_request_is_named_with_its_state():
    assert due_dates.variant_label("commercial") == ("New Jersey OPRA: Commercial-purpose request or Daniel's Law "
                                                     "review")
    assert due_dates.variant_label("criminal_files") == "Virginia FOIA: Criminal investigative files"
    assert due_dates.variant_label("no-such-kind") == "no-such-kind"


def test_a_kind_of_request_is_refused_for_an_agency_under_other_rules(db):
    nj = make_agency(jurisdiction="US-NJ", name="NJ State Police", abbreviation="NJSP")
    ny = make_agency(jurisdiction="US-NY", name="NYPD", abbreviation="NYPD")
    refused = "This kind of request has its own deadlines only under New Jersey OPRA; NYPD is under other rules."
    assert due_dates.variant_error("commercial", ny.id) == refused  # looked up by id, as the form sends it
    assert due_dates.variant_error("commercial", None, ny) == refused  # or given, as a referral has it
    assert due_dates.variant_error("commercial", 10_000, ny) == refused  # an id that is gone: the agency given
    assert due_dates.variant_error("commercial", nj.id) is None
    assert due_dates.variant_error("commercial", None, nj) is None
    assert due_dates.variant_error("commercial", ny.id, nj) == refused  # the id wins over the agency given
    assert due_dates.variant_error("commercial", None) is None  # no agency chosen yet: nothing to say
    assert due_dates.variant_error("no-such-kind", ny.id) == ("This kind of request has its own deadlines; NYPD is "
                                                              "under other rules.")


def _filing(*events: tuple[str, dict | None]) -> RecordsRequest:
    return RecordsRequest(events=[Event(action=action, data=data) for action, data in events])


def test_the_channel_is_read_from_the_latest_filing_that_recorded_one():
    assert due_dates.filing_channel(_filing(("file", {"channel": "email"}),
                                            ("acknowledge", {"tracking_number": "T-1"}))) == "email"
    assert due_dates.filing_channel(_filing(("file", {"channel": "mail"}), ("file", {"channel": "fax"}))) == "fax"
    # A filing recorded before the channel was kept says nothing; another action's data is not a filing's.
    assert due_dates.filing_channel(_filing(("file", {"channel": "email"}), ("file", None))) == "email"
    assert due_dates.filing_channel(_filing(("file", {}))) is None
    assert due_dates.filing_channel(_filing(("refer", {"channel": "portal"}))) is None
    assert due_dates.filing_channel(_filing()) is None


def test_the_settings_handed_to_the_state_rules(db, users, frozen):
    from tests.helpers import perform

    nj = make_agency(jurisdiction="US-NJ", name="NJ State Police", abbreviation="NJSP")
    assert due_dates.deadline_options(make_request(users["reporter"], nj, title="A", deadline_variant="commercial")) \
        == {"options": {"variant": "commercial"}, "ignored": []}
    mi = make_agency(jurisdiction="US-MI", name="Detroit PD", abbreviation="DPD")
    ca = make_agency(jurisdiction="US-CA", name="CA DOJ", abbreviation="CADOJ")
    by_email = {}
    for agency in (mi, ca):
        by_email[agency.jurisdiction] = req = make_request(users["reporter"], agency, title="B")
        perform(req, "file", users["reporter"], on=d("2026-11-20"), channel="email")
    # Only a state whose law counts receipt by channel is told the channel.
    assert due_dates.deadline_options(by_email["US-MI"]) == {"options": {"channel": "email"}, "ignored": []}
    assert due_dates.deadline_options(by_email["US-CA"]) == {"options": {}, "ignored": []}
    tx = make_agency(jurisdiction="US-TX", name="Harris County", abbreviation="HC")
    tx.observed_days = "Good Friday\n2026-11-12"
    assert due_dates.deadline_options(make_request(users["reporter"], tx, title="C")) == {
        "options": {"observes": ["Good Friday", d("2026-11-12")]}, "ignored": []}
    tx.jurisdiction = "US-NY"  # moved: New York lets no agency close its own days
    assert due_dates.deadline_options(make_request(users["reporter"], tx, title="D", deadline_variant="")) == {
        "options": {}, "ignored": ["'Good Friday' is not an optional holiday in New York FOIL (optional holidays: "
                                   "none)"]}


@pytest.mark.parametrize("today,expected", [
    ("2026-11-30", (0, 2)), ("2026-12-01", (0, 1)), ("2026-12-02", (0, 0)),  # the due day is not yet late
    ("2026-12-03", (1, None)), ("2026-12-05", (3, None)),  # calendar days: the Saturday counts
])
def test_lateness_in_calendar_days(today, expected):
    assert due_dates.lateness("US-DHS", DUE, d(today), "calendar") == expected


@pytest.mark.parametrize("status", ["filed", "acknowledged", "awaiting_clarification", "awaiting_fees"])
def test_the_window_for_an_unanswered_request_binds_only_while_waiting_and_once_missed(status):
    assert "appeal_no_response" in due_dates.active_kinds(status, has_tracking_number=True, expedited_requested=False,
                                                          response_missed=True)
    assert "appeal_no_response" not in due_dates.active_kinds(status, has_tracking_number=True,
                                                              expedited_requested=False)


@pytest.mark.parametrize("status", ["draft", "determined", "appealed", "closed", "withdrawn"])
def test_the_window_for_an_unanswered_request_is_over_once_answered(status):
    assert "appeal_no_response" not in due_dates.active_kinds(status, has_tracking_number=True,
                                                              expedited_requested=False, response_missed=True)
