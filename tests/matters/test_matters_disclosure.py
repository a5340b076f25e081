"""The derived disclosure state, over every combination of outcomes; and SQL agreeing with Python."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from tracker.ledger import disclosure as dz
from tracker.requests.status import APPEAL_OUTCOMES, OUTCOMES, STATUSES

TODAY = date(2026, 11, 30)
INITIAL = [None, *OUTCOMES]
APPEALS = [None, *APPEAL_OUTCOMES]


def expected_class(status: str, initial: str | None, appeal: str | None) -> str:
    """The rule, written out plainly, as a journalist would state it."""
    if status == "draft":
        return dz.DRAFT
    in_force = {"reversed": "granted_in_full", "reversed_in_part": "granted_in_part", "remanded": None}.get(
        appeal, initial)
    if in_force == "granted_in_full":
        return dz.FULL
    if in_force == "granted_in_part":
        return dz.PART
    if in_force in ("denied", "no_records"):
        return dz.REFUSED
    return dz.ASKED if STATUSES[status].open else dz.UNANSWERED


@pytest.mark.parametrize("status", list(STATUSES))
def test_every_status_outcome_and_appeal_combination(status):
    for initial, appeal in itertools.product(INITIAL, APPEALS):
        assert dz.classify_request(status, initial, appeal) == expected_class(status, initial, appeal), \
            (status, initial, appeal)


def test_affirmed_appeal_leaves_the_initial_outcome_and_remand_reopens():
    assert dz.classify_request("appeal_decided", "denied", "affirmed") == dz.REFUSED
    assert dz.classify_request("appeal_decided", "granted_in_part", "affirmed") == dz.PART
    assert dz.classify_request("appeal_decided", "denied", "remanded") == dz.ASKED
    assert dz.classify_request("closed", "denied", "remanded") == dz.UNANSWERED
    assert dz.classify_request("closed", "no_records", "reversed") == dz.FULL
    assert dz.classify_request("acknowledged", "referred", None) == dz.ASKED
    assert dz.classify_request("closed", "referred", None) == dz.UNANSWERED


def test_appeal_in_force_only_on_or_after_the_latest_determination():
    assert dz.appeal_in_force(date(2026, 5, 2), date(2026, 5, 1))
    assert dz.appeal_in_force(date(2026, 5, 1), date(2026, 5, 1))
    assert not dz.appeal_in_force(date(2026, 4, 30), date(2026, 5, 1))
    assert dz.appeal_in_force(date(2026, 4, 30), None)
    assert not dz.appeal_in_force(None, date(2026, 5, 1))


def expected_state(classes: set[str], official: bool) -> str:
    if official or dz.FULL in classes:
        return dz.DISCLOSED
    if dz.PART in classes:
        return dz.PARTLY_DISCLOSED
    if dz.REFUSED in classes:
        return dz.WITHHELD
    if dz.ASKED in classes:
        return dz.PENDING
    return dz.NOT_REQUESTED


def facts_for(classes: set[str], official: bool) -> dz.MatterFacts:
    sent = classes - {dz.DRAFT}
    return dz.MatterFacts(
        counts={c: 1 for c in classes}, has_official_report=official,
        official_report_on=date(2026, 6, 1) if official else None,
        first_requested_on=date(2026, 1, 5) if sent else None,
        pending_since={"US-DHS": date(2026, 10, 1)} if dz.ASKED in classes else {},
        first_full_on=date(2026, 7, 1) if dz.FULL in classes else None,
        pages_released=10 if dz.PART in classes else 0, pages_withheld=40 if dz.PART in classes else 0,
    )


@pytest.mark.parametrize("official", [False, True])
def test_every_combination_of_request_classes(official):
    for n in range(len(dz.REQUEST_CLASSES) + 1):
        for combo in itertools.combinations(dz.REQUEST_CLASSES, n):
            classes = set(combo)
            d = dz.derive(facts_for(classes, official), TODAY)
            want = expected_state(classes, official)
            assert d.state == d.derived_state == want, (classes, official)
            assert d.why, (classes, official)
            if want in dz.UNDISCLOSED:
                assert d.undisclosed_days == (TODAY - date(2026, 1, 5)).days
            else:
                assert d.undisclosed_days is None
            if want == dz.DISCLOSED:
                assert d.disclosed_on == (date(2026, 6, 1) if official else date(2026, 7, 1))
            if dz.ASKED in classes:
                assert d.pending_working_days == 39  # after 2026-10-01 through 11-30: 42 weekdays less 3 holidays
            else:
                assert d.pending_working_days is None


def test_reasons_say_what_and_how_many():
    f = dz.MatterFacts(counts={dz.REFUSED: 2, dz.ASKED: 1}, first_requested_on=date(2026, 3, 2),
                       pending_since={"US-DHS": date(2026, 11, 23)}, challenged=1)
    d = dz.derive(f, TODAY)
    assert d.state == dz.WITHHELD
    assert d.why == ("Denied, or no records found, in answer to 2 requests. 1 request still pending. "
                     "Challenged: 1 under appeal, in mediation or in court.")
    assert d.undisclosed_days == 273
    pending = dz.derive(dz.MatterFacts(counts={dz.ASKED: 1}, first_requested_on=date(2026, 11, 20),
                                       pending_since={"US-DHS": date(2026, 11, 20)}), TODAY)
    assert pending.why == "1 request awaiting an answer; the oldest for 5 working days."  # Thanksgiving skipped
    closed = dz.derive(dz.MatterFacts(counts={dz.UNANSWERED: 1, dz.DRAFT: 1},
                                      first_requested_on=date(2026, 2, 1)), TODAY)
    assert closed.state == dz.NOT_REQUESTED
    assert closed.why == "1 request closed or withdrawn without an answer; nothing pending."
    assert dz.derive(dz.MatterFacts(), TODAY).why == "No request for its records yet."


def test_an_override_replaces_the_state_but_keeps_the_derived_one():
    f = dz.MatterFacts(counts={dz.ASKED: 1}, first_requested_on=date(2026, 1, 5),
                       pending_since={"US-DHS": date(2026, 1, 5)})
    d = dz.derive(f, TODAY, dz.Override(state=dz.DISCLOSED, reason="ICE published the report on its website."))
    assert (d.state, d.derived_state) == (dz.DISCLOSED, dz.PENDING)
    assert d.override.reason.startswith("ICE published")
    assert d.undisclosed_days is None
    bogus = dz.derive(f, TODAY, dz.Override(state="nonsense", reason="x"))
    assert bogus.state == dz.PENDING and bogus.override is None


# --- the SQL of the ledger classifies exactly as the Python rule does -----------------------------

def test_sql_classification_agrees_with_python_for_every_combination(app, users):
    from tracker.agencies.models import Agency
    from tracker.auth.models import User
    from tracker.extensions import db
    from tracker.ledger import queries as ledger
    from tracker.matters.models import Matter, MatterCategory
    from tracker.requests.models import Determination, RecordsRequest, request_matters

    with app.app_context():
        agency = Agency(name="ICE FOIA Office", abbreviation="ICE", jurisdiction="US-DHS")
        matter = Matter(title="Every combination", category=MatterCategory.OTHER)
        db.session.add_all([agency, matter])
        db.session.flush()
        owner = db.session.scalar(select(db.metadata.tables["users"].c.id).limit(1))
        expected, requests_, dets, links = {}, [], [], []
        day = date(2026, 3, 2)
        combos = list(itertools.product(STATUSES, INITIAL, APPEALS, (True, False)))
        for i, (status, initial, appeal, appeal_later) in enumerate(combos, start=1):
            if appeal is None and not appeal_later:
                continue  # the same case twice
            determined = day if initial else None
            requests_.append({"id": i, "title": f"r{i}", "agency_id": agency.id, "owner_id": owner, "private": False,
                              "status": status, "outcome": initial or "", "sent_on": day - timedelta(days=30),
                              "determined_on": determined, "deadline_provenance": {}})
            links.append({"request_id": i, "matter_id": matter.id})
            if initial:
                dets.append({"request_id": i, "stage": "initial", "outcome": initial, "decided_on": day,
                             "exemptions": []})
            appeal_on = day + timedelta(days=10 if appeal_later else -10)
            if appeal:
                dets.append({"request_id": i, "stage": "appeal", "outcome": appeal, "decided_on": appeal_on,
                             "exemptions": []})
            in_force = appeal if appeal and dz.appeal_in_force(appeal_on, determined) else None
            expected[i] = dz.classify_request(status, initial, in_force)
        db.session.execute(insert(RecordsRequest), requests_)
        db.session.execute(insert(request_matters), links)
        db.session.execute(insert(Determination), dets)
        admin = db.session.get(User, users["editor"])
        got = {row.request_id: row.cls for row in db.session.execute(ledger.request_facts(admin))}
        db.session.rollback()
    assert len(got) == len(expected) > 500
    mismatches = {i: (combos[i - 1], got[i], expected[i]) for i in expected if got[i] != expected[i]}
    assert not mismatches
