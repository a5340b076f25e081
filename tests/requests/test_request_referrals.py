"""Referrals: the referring request's event, the child at the other agency with its own clock (computed under
that agency's law from the day it received the records), the chain, and the refusals that change nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.core.errors import ValidationFailed
from tracker.extensions import db
from tracker.requests import referrals
from tracker.requests.models import Event, RecordsRequest


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T15:00:00").replace(tzinfo=UTC)


@pytest.fixture
def world(db, users, frozen):
    frozen.move_to(at("2026-12-04"))
    ice = make_agency()
    oig = make_agency(name="DHS Office of Inspector General", abbreviation="DHS OIG")
    denver = make_agency(name="Denver Police Department", abbreviation="DPD", jurisdiction="US-CO")
    matter = make_matter()
    reporter = users["reporter"]
    parent = make_request(reporter, ice, title="Death card ROI", private=True, matter_ids=[matter.id],
                          records_description="The report of investigation.", fee_waiver_requested=True)
    perform(parent, "file", reporter, on=d("2026-11-02"), channel="portal")
    perform(parent, "acknowledge", reporter, on=d("2026-11-04"), tracking_number="2026-ICFO-00001")
    return {"ice": ice, "oig": oig, "denver": denver, "matter": matter, "parent": parent, "reporter": reporter}


def requests_count() -> int:
    return db.session.scalar(select(func.count()).select_from(RecordsRequest))


def test_a_referral_of_part_opens_a_child_whose_federal_clock_runs_from_its_receipt(world):
    parent, reporter = world["parent"], world["reporter"]
    due_before = parent.response_due
    event = perform(parent, "refer", reporter, on=d("2026-11-16"), received_on=d("2026-11-18"), scope="part",
                    agency_id=world["oig"].id, tracking_number="OIG-2026-0042")

    assert parent.status == "acknowledged" and parent.response_due == due_before  # its own clock keeps running
    child = db.session.scalar(select(RecordsRequest).where(RecordsRequest.referred_from_id == parent.id))
    assert event.action == "refer" and event.data["child_id"] == child.id and event.data["scope"] == "part"
    assert child.agency_id == world["oig"].id and child.status == "filed"
    assert child.owner_id == parent.owner_id and child.private is True and child.fee_waiver_requested is True
    assert [m.id for m in child.matters] == [world["matter"].id]
    assert child.records_description == "The report of investigation."
    assert child.referral_root_id == parent.id
    assert (child.sent_on, child.received_on) == (d("2026-11-16"), d("2026-11-18"))
    # 20 working days from Wed 18 November 2026, Thanksgiving (26 November) skipped.
    assert child.response_due == d("2026-12-17")
    assert child.primary_tracking_number == "OIG-2026-0042"
    assert [(e.action, e.actor_id, e.at) for e in child.events] == [("referred_in", reporter, at("2026-12-04"))]
    assert (child.created_at, child.updated_at) == (at("2026-12-04"), at("2026-12-04"))


def test_a_referral_in_full_stops_the_parents_clock_and_the_child_is_received_on_the_referral_date(world):
    parent, reporter = world["parent"], world["reporter"]
    perform(parent, "refer", reporter, on=d("2026-11-16"), scope="all", agency_id=world["oig"].id)

    assert parent.status == "determined" and parent.outcome == "referred"
    assert parent.determinations[-1].outcome == "referred" and parent.appeal_due is None
    assert referrals.clock(parent, d("2026-12-04"))["stopped"] == "Stopped: referred in full on 2026-11-16."
    child = db.session.scalar(select(RecordsRequest).where(RecordsRequest.referred_from_id == parent.id))
    assert child.received_on == d("2026-11-16")
    # 20 working days from Mon 16 November: Thanksgiving skipped.
    assert child.response_due == d("2026-12-15")


def test_a_grandchild_at_a_state_agency_runs_on_that_states_clock_and_the_tree_holds_every_clock(world, users):
    parent, reporter = world["parent"], world["reporter"]
    perform(parent, "refer", reporter, on=d("2026-11-16"), scope="part", agency_id=world["oig"].id)
    child = db.session.scalar(select(RecordsRequest).where(RecordsRequest.referred_from_id == parent.id))
    perform(child, "refer", reporter, on=d("2026-12-01"), received_on=d("2026-12-02"), scope="part",
            agency_id=world["denver"].id, tracking_number="CORA-77")
    grandchild = db.session.scalar(select(RecordsRequest).where(RecordsRequest.referred_from_id == child.id))

    assert grandchild.referral_root_id == parent.id
    # Colorado: 3 working days from Wed 2 December 2026.
    assert grandchild.response_due == d("2026-12-07")
    owner = db.session.get(type(parent.owner), reporter)
    rows = referrals.tree(child, owner, d("2026-12-04"))
    assert [(r["request"].id, r["depth"], r["current"]) for r in rows] == [
        (parent.id, 0, False), (child.id, 1, True), (grandchild.id, 2, False)]
    assert [r["clock"]["due"] for r in rows] == [parent.response_due, d("2026-12-15"), d("2026-12-07")]
    assert rows[2]["scope"] == "part" and rows[2]["received_on"] == d("2026-12-02")
    # Another reporter may not see the private chain: nothing of it is told.
    other = db.session.get(type(parent.owner), users["other_reporter"])
    assert referrals.tree(child, other, d("2026-12-04")) == []


@pytest.mark.parametrize("fields,field,words", [
    ({"agency_id": "ice"}, "agency_id", "already at ICE"),
    ({"agency_id": 999_999}, "agency_id", "no such agency"),
    ({"agency_id": None}, "agency_id", "Choose the agency"),
    ({"scope": ""}, "scope", "all the records or part"),
    ({"on": d("2026-10-30")}, "on", "before the day the request was sent"),
    ({"on": d("2026-12-05")}, "on", "in the future"),
    ({"received_on": d("2026-11-13")}, "received_on", "before they were referred"),
])
def test_bad_referrals_are_refused_on_their_field_and_change_nothing(world, fields, field, words):
    parent, reporter = world["parent"], world["reporter"]
    values = {"on": d("2026-11-16"), "scope": "part", "agency_id": world["oig"].id, **fields}
    if values["agency_id"] == "ice":
        values["agency_id"] = world["ice"].id
    before = (requests_count(), len(parent.events), parent.status)
    with pytest.raises(ValidationFailed) as refused:
        perform(parent, "refer", reporter, **values)
    assert field in refused.value.fields and words in refused.value.fields[field]
    assert (requests_count(), len(parent.events), parent.status) == before


def test_a_referral_back_to_an_agency_earlier_in_the_chain_is_a_loop(world):
    parent, reporter = world["parent"], world["reporter"]
    perform(parent, "refer", reporter, on=d("2026-11-16"), scope="part", agency_id=world["oig"].id)
    child = db.session.scalar(select(RecordsRequest).where(RecordsRequest.referred_from_id == parent.id))
    before = requests_count()
    with pytest.raises(ValidationFailed) as refused:
        perform(child, "refer", reporter, on=d("2026-11-20"), scope="part", agency_id=world["ice"].id)
    assert "loop" in refused.value.fields["agency_id"] and f"#{parent.id}" in refused.value.fields["agency_id"]
    assert requests_count() == before
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.request_id == child.id)) == 1


def test_all_the_records_cannot_be_referred_after_the_agency_answered(world):
    parent, reporter = world["parent"], world["reporter"]
    perform(parent, "determine", reporter, on=d("2026-11-20"), outcome="granted_in_part", exemptions=["b6"])
    with pytest.raises(ValidationFailed) as refused:
        perform(parent, "refer", reporter, on=d("2026-11-20"), scope="all", agency_id=world["oig"].id)
    assert "part of the records" in refused.value.fields["scope"]
    perform(parent, "refer", reporter, on=d("2026-11-20"), scope="part", agency_id=world["oig"].id)
    assert parent.status == "determined" and parent.outcome == "granted_in_part"


def test_editing_a_request_in_a_chain_onto_another_link_agency_is_refused_on_the_field(world):
    from tracker.core.clock import now_utc, today
    from tracker.requests import services

    parent, reporter = world["parent"], world["reporter"]
    perform(parent, "refer", reporter, on=d("2026-11-16"), received_on=d("2026-11-18"), scope="part",
            agency_id=world["oig"].id)
    child = db.session.scalar(select(RecordsRequest).where(RecordsRequest.referred_from_id == parent.id))
    owner = parent.owner

    for req, agency in ((child, world["ice"]), (parent, world["oig"])):
        with pytest.raises(ValidationFailed) as refused:
            services.update_request(req, actor=owner, now=now_utc(), today=today(), data={"agency_id": agency.id})
        assert "already at that agency" in refused.value.fields["agency_id"]
        assert req.agency_id != agency.id  # nothing changed
    # Another agency outside the chain is fine.
    services.update_request(child, actor=owner, now=now_utc(), today=today(), data={"agency_id": world["denver"].id})
    assert child.agency_id == world["denver"].id
