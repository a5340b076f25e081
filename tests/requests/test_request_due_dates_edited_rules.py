"""A newsroom's edited rules reach every deadline of a request: here Texas, the one state whose agencies may
close their own days, is given every period (and Michigan's receipt rule for email, a deemed denial without a
citation, a kind of request of its own), so an agency's closed days, the filing channel and the no-response rule
can be seen in each date. Dates counted by hand: Texas closes Veterans Day (11-11), Thanksgiving and the day
after (11-26, 11-27); the agency below also closes Wed 11-04 and Thu 11-19.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import d, make_agency, make_request, perform
from tracker import configure_deadlines, deadlines
from tracker.deadlines.rules import DEFAULT_RULES_PATH
from tracker.requests import due_dates

AG_URL = 'url = "https://instalawyer.io/laws/texas-statutes/section-552301-request-for-attorney"\n'
NO_RESPONSE = ('no_response = { deemed_denied = true, appeal_from = "due_date", '
               'text = "an unanswered request is denied", check = true }\n')
PERIODS = """
[jurisdiction.tracking_number]
count = 3
unit = "working"
text = "3 business days"

[jurisdiction.expedited]
count = 4
unit = "working"
text = "4 business days"

[jurisdiction.appeal]
count = 6
unit = "working"
text = "6 business days"

[jurisdiction.appeal_decision]
count = 5
unit = "working"
text = "5 business days"

[jurisdiction.variants.commercial]
label = "Commercial request"
response = { count = 12, unit = "working", text = "12 business days" }
"""
EMAIL_RECEIPT = '\nreceipt = { channels = ["email"], count = 1 }\n'
EVERY_PERIOD = [
    ("\nholiday_calendar = { ", EMAIL_RECEIPT + NO_RESPONSE + "holiday_calendar = { "),
    ('text = "promptly: as soon as possible, without delay"',
     'count = 10\nunit = "working"\ntext = "10 business days"'),
    (AG_URL, AG_URL + PERIODS),
]
# Texas as it is ("promptly": no date), but an unanswered request deemed denied.
PROMPTLY_DENIED = [("\nholiday_calendar = { ", "\n" + NO_RESPONSE + "holiday_calendar = { ")]


def _texas(tmp_path: Path, edits: list[tuple[str, str]]) -> None:
    rows = DEFAULT_RULES_PATH.read_text().split("[[jurisdiction]]")
    (i,) = [i for i, row in enumerate(rows) if '\ncode = "US-TX"\n' in row]
    for old, new in edits:
        assert rows[i].count(old) == 1, old
        rows[i] = rows[i].replace(old, new)
    path = tmp_path / "rules.toml"
    path.write_text("[[jurisdiction]]".join(rows))
    deadlines.configure(rules_path=path)


@pytest.fixture
def rules(app, tmp_path):
    """Call with a list of edits to Texas's row; the app's own rules come back afterwards."""
    yield lambda edits: _texas(tmp_path, edits)
    configure_deadlines(app)


def _dates(req) -> dict[str, str | None]:
    return {kind: e["result"] for kind, e in req.deadline_provenance.items()}


def test_an_agency_s_closed_days_count_in_every_deadline(db, users, frozen, rules):
    rules(EVERY_PERIOD)
    plain = make_agency(jurisdiction="US-TX", name="Texas DPS", abbreviation="DPS")
    own = make_agency(jurisdiction="US-TX", name="Harris County", abbreviation="HC")
    own.observed_days = "2026-11-04\n2026-11-19"
    got = {}
    for agency in (plain, own):
        waiting = make_request(users["reporter"], agency, title="waiting", expedited_requested=True,
                               expedited_category="ii")
        perform(waiting, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        appealed = make_request(users["reporter"], agency, title="appealed")
        perform(appealed, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        perform(appealed, "determine", users["reporter"], on=d("2026-11-03"), outcome="denied")
        perform(appealed, "appeal", users["reporter"], on=d("2026-11-04"))
        got[agency.name] = {**_dates(waiting), **{k: v for k, v in _dates(appealed).items()
                                                  if k in ("appeal", "appeal_decision")}}
    assert got["Texas DPS"] == {
        "tracking_number": "2026-11-05",  # 3, 4, 5
        "expedited": "2026-11-06",  # 3-6
        "response": "2026-11-17",  # 3-6, 9, 10, 12, 13, 16, 17
        "certification": "2026-11-17", "ag_ruling": "2026-11-17", "deemed_denial": "2026-11-17",
        "appeal_no_response": "2026-11-25",  # from 11-17: 18, 19, 20, 23, 24, 25
        "appeal": "2026-11-12",  # from the denial of 11-03: 4, 5, 6, 9, 10, 12
        "appeal_decision": "2026-11-12",  # from the appeal of 11-04: 5, 6, 9, 10, 12
    }
    assert got["Harris County"] == {
        "tracking_number": "2026-11-06", "expedited": "2026-11-09", "response": "2026-11-18",
        "certification": "2026-11-18", "ag_ruling": "2026-11-18", "deemed_denial": "2026-11-18",
        "appeal_no_response": "2026-12-01",  # from 11-18: 20, 23, 24, 25, 30, 12-01
        "appeal": "2026-11-13", "appeal_decision": "2026-11-13",
    }


def test_an_emailed_request_counts_every_receipt_period_from_the_next_business_day(db, users, frozen, rules):
    rules(EVERY_PERIOD)
    agency = make_agency(jurisdiction="US-TX", name="Texas DPS", abbreviation="DPS")
    req = make_request(users["reporter"], agency, deadline_variant="commercial")
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="email")
    # Received Tue 11-03; 10 business days: 4-6, 9, 10, 12, 13, 16-18. The kind of request's 12: 19, 20.
    assert {k: v for k, v in _dates(req).items() if k in ("certification", "ag_ruling", "response",
                                                          "deemed_denial")} == {
        "certification": "2026-11-18", "ag_ruling": "2026-11-18", "response": "2026-11-20",
        "deemed_denial": "2026-11-20"}


def test_a_deemed_denial_without_a_citation_says_so_plainly(db, users, frozen, rules):
    rules(EVERY_PERIOD)
    req = make_request(users["reporter"], make_agency(jurisdiction="US-TX", name="Texas DPS", abbreviation="DPS"))
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    row = next(r for r in due_dates.summary(req, d("2026-11-30")) if r["kind"] == "deemed_denial")
    assert row["notices"] == ["No response by November 17, 2026: the law deems the request denied, and the window "
                              "to appeal runs from that date."]
    assert "this rule could not be confirmed from a primary text" in row["unconfirmed"]


def test_a_deemed_denial_with_no_computable_date_shows_no_date(db, users, frozen, rules):
    rules(PROMPTLY_DENIED)
    req = make_request(users["reporter"], make_agency(jurisdiction="US-TX", name="Texas DPS", abbreviation="DPS"))
    perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
    row = next(r for r in due_dates.summary(req, d("2026-11-30")) if r["kind"] == "deemed_denial")
    assert (row["due"], row["overdue_by"], row["days_left"], row["notices"]) == (None, 0, None, [])
    assert "appeal_no_response" not in req.deadline_provenance  # no due date to count a window from


def test_a_kind_of_request_two_states_have_names_both(db, users, frozen, rules):
    rules(EVERY_PERIOD)
    ny = make_agency(jurisdiction="US-NY", name="NYPD", abbreviation="NYPD")
    assert due_dates.variant_error("commercial", ny.id) == (
        "This kind of request has its own deadlines only under Texas Public Information Act, New Jersey OPRA; "
        "NYPD is under other rules.")
