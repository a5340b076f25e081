"""The ledger counts a referral chain once, and takes the child agency's answer into the matter's state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.auth.models import User
from tracker.extensions import db
from tracker.ledger import disclosure as dz
from tracker.ledger.matter_page import remaining
from tracker.ledger.queries import matter_row


@pytest.fixture
def chain(db, users, frozen):
    frozen.move_to(datetime(2026, 12, 4, 15, tzinfo=UTC))
    matter = make_matter()
    reporter = users["reporter"]
    parent = make_request(reporter, make_agency(), matter_ids=[matter.id])
    perform(parent, "file", reporter, on=d("2026-11-02"), channel="portal")
    oig = make_agency(name="DHS Office of Inspector General", abbreviation="DHS OIG")
    return {"matter": matter, "parent": parent, "oig": oig, "reporter": reporter,
            "editor": db.session.get(User, users["editor"])}


def child_of(parent):
    return next(r for r in db.session.scalars(db.select(type(parent)).where(type(parent).referred_from_id
                                                                            == parent.id)))


def row(chain):
    db.session.flush()
    return matter_row(chain["editor"], chain["matter"].id, d("2026-12-04"))


def test_a_chain_still_waiting_counts_as_one_pending_request(chain):
    perform(chain["parent"], "refer", chain["reporter"], on=d("2026-11-16"), scope="part", agency_id=chain["oig"].id)
    got = row(chain)
    assert got["state"] == dz.PENDING
    assert got["requests"]["sent"] == 1 and got["requests"]["pending"] == 1
    assert got["why"].startswith("1 request awaiting an answer")


def test_referred_in_full_and_granted_by_the_child_agency_is_disclosed_once(chain):
    parent, reporter = chain["parent"], chain["reporter"]
    perform(parent, "refer", reporter, on=d("2026-11-16"), scope="all", agency_id=chain["oig"].id)
    assert row(chain)["state"] == dz.PENDING  # the referral itself released nothing
    [held] = remaining([parent], d("2026-12-04"))
    assert held["text"] == ("Referred in full by ICE on 2026-11-16: the answer comes from the agency that received "
                            "the records")
    perform(child_of(parent), "determine", reporter, on=d("2026-12-01"), outcome="granted_in_full",
            pages_released=40)
    got = row(chain)
    assert got["state"] == dz.DISCLOSED
    assert got["requests"]["sent"] == 1 and got["requests"]["pending"] == 0
    assert got["requests"]["released_in_full"] == 1 and got["pages_released"] == 40
    assert got["why"] == "Released in full in answer to 1 request."


def test_the_parents_partial_release_and_the_childs_denial_make_one_partly_disclosed_chain(chain):
    parent, reporter = chain["parent"], chain["reporter"]
    perform(parent, "determine", reporter, on=d("2026-11-20"), outcome="granted_in_part", pages_released=10,
            pages_withheld=2)
    perform(parent, "refer", reporter, on=d("2026-11-20"), scope="part", agency_id=chain["oig"].id)
    perform(child_of(parent), "determine", reporter, on=d("2026-12-02"), outcome="denied", pages_withheld=5)
    got = row(chain)
    assert got["state"] == dz.PARTLY_DISCLOSED
    assert got["requests"]["sent"] == 1 and got["requests"]["released_in_part"] == 1
    assert got["requests"]["withheld"] == 0
    assert (got["pages_released"], got["pages_withheld"]) == (10, 7)  # pages of every agency in the chain


def test_the_chain_rule_in_python():
    assert dz.chain_class([dz.ASKED, dz.FULL]) == dz.FULL
    assert dz.chain_class([dz.REFUSED, dz.ASKED]) == dz.REFUSED
    assert dz.chain_class([dz.UNANSWERED, dz.ASKED]) == dz.ASKED
    assert dz.chain_class([dz.DRAFT]) == dz.DRAFT
