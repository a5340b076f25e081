"""Drafting a batch and acting on it through the services: one request per agency, each with its own rules."""

from __future__ import annotations

import pytest
from flask import current_app

from tests.helpers import d
from tracker.auth.models import User
from tracker.batches import actions, queries, services
from tracker.batches.models import RequestBatch
from tracker.core.clock import now_utc, today
from tracker.core.errors import ActionNotAllowed, Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.letters import services as letter_services
from tracker.letters import sources
from tracker.requests.models import RecordsRequest

DESCRIPTION = "The OPR report of investigation and case-closing memorandum on the Denver death cards."


def _create(user_id, agency_ids, matter_ids=(), **data):
    actor = db.session.get(User, user_id)
    return services.create_batch(actor=actor, now=now_utc(), today=today(), agency_ids=agency_ids,
                                 matter_ids=list(matter_ids),
                                 data={"title": "OPR report, Denver death cards", "records_description": DESCRIPTION,
                                       **data})


def _ctx(user_id, storage):
    config = current_app.config
    return actions.Context(actor=db.session.get(User, user_id), now=now_utc(), today=today(), storage=storage,
                           search=sources.roots(config), letterhead=letter_services.letterhead_from_config(config))


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_one_draft_per_agency_sharing_the_request(ctx, world, frozen):
    batch = _create(world["reporter"], [world["ice"], world["oig"], world["crcl"]], [world["matter"]],
                    fee_waiver_requested=True)
    db.session.commit()
    reqs = batch.requests
    assert [r.agency_id for r in reqs] == [world["ice"], world["oig"], world["crcl"]]
    assert {r.status for r in reqs} == {"draft"}
    assert {r.title for r in reqs} == {"OPR report, Denver death cards"}
    assert all(r.records_description == DESCRIPTION and r.fee_waiver_requested for r in reqs)
    assert all([m.id for m in r.matters] == [world["matter"]] for r in reqs)
    assert len({r.reply_token for r in reqs}) == 3  # each its own reply address
    assert all(r.batch_id == batch.id for r in reqs)
    assert batch.title == "OPR report, Denver death cards" and batch.created_by == world["reporter"]
    assert "same request to DHS Office of Inspector General (DHS OIG) and" in reqs[0].events[0].note


@pytest.mark.parametrize(("agencies", "message"), [
    ([], "Choose the agencies to ask."),
    (["ice"], "Choose at least two agencies"),
    (["ice", "oig", "ice"], "ICE FOIA Office (ICE) is chosen twice"),
    (["ice", 999_999], "One of the agencies is not in the directory."),
])
def test_bad_agency_lists_are_refused_and_nothing_is_created(ctx, world, agencies, message):
    ids = [world[a] if isinstance(a, str) else a for a in agencies]
    with pytest.raises(ValidationFailed) as refused:
        _create(world["reporter"], ids)
    db.session.rollback()
    assert message in refused.value.fields["agency_ids"]
    assert _count(RequestBatch) == 0 and _count(RecordsRequest) == 0


def test_more_than_the_maximum_is_refused(ctx, world):
    from tests.helpers import make_agency

    ids = [make_agency(f"Agency {n}", f"A{n}", "US").id for n in range(services.MAX_AGENCIES + 1)]
    with pytest.raises(ValidationFailed) as refused:
        _create(world["reporter"], ids)
    db.session.rollback()
    assert "at most 25 agencies" in refused.value.fields["agency_ids"]
    assert _count(RecordsRequest) == 0


def test_a_bad_shared_field_leaves_nothing(ctx, world):
    with pytest.raises(ValidationFailed):
        _create(world["reporter"], [world["oig"], world["crcl"]], records_from=d("2026-05-01"),
                records_to=d("2026-01-01"))
    db.session.rollback()
    assert _count(RequestBatch) == 0 and _count(RecordsRequest) == 0


def test_federal_and_state_agencies_each_get_their_own_rules(ctx, world, frozen, storage):
    batch = _create(world["reporter"], [world["oig"], world["denver"]])
    db.session.commit()
    summary = actions.apply(batch.requests, "file", actions.BatchActionInput(on=d("2026-11-30"), channel="portal"),
                            _ctx(world["reporter"], storage))
    db.session.commit()
    oig, denver = batch.requests
    assert [r.status for r in batch.requests] == ["filed", "filed"]
    assert oig.response_due == d("2026-12-29")  # 20 working days, 5 U.S.C. 552(a)(6)(A)(i); Christmas skipped
    assert denver.response_due == d("2026-12-03")  # 3 working days, C.R.S. 24-72-203(3)(b)
    assert [line for _r, line in summary.changed] == [
        "Filed by agency web portal on November 30, 2026; agency's response due December 29, 2026.",
        "Filed by agency web portal on November 30, 2026; agency's response due December 3, 2026."]


def test_letters_then_filing_records_each_letter_as_sent(ctx, world, frozen, storage):
    batch = _create(world["reporter"], [world["oig"], world["denver"]])
    db.session.commit()
    summary = actions.apply(batch.requests, "letters", actions.BatchActionInput(), _ctx(world["reporter"], storage))
    db.session.commit()
    assert [x.kind for r in batch.requests for x in r.letters] == ["foia_request", "state_request"]
    assert len(summary.changed) == 2 and not summary.skipped
    again = actions.apply(batch.requests[:1] + [], "file", actions.BatchActionInput(on=d("2026-11-30"),
                                                                                     channel="mail"),
                          _ctx(world["reporter"], storage))
    db.session.commit()
    oig = batch.requests[0]
    assert oig.letters[0].communication_id is not None  # the PDF went with the filing
    assert oig.received_on is None and oig.response_due is None  # mailed: the clock waits for receipt
    assert "the clock starts when the agency receives it" in again.changed[0][1]
    with pytest.raises(ActionNotAllowed) as refused:  # nothing is a draft any more that lacks a letter
        actions.apply(batch.requests[:1], "letters", actions.BatchActionInput(), _ctx(world["reporter"], storage))
    assert "no longer a draft" in refused.value.message


def test_requests_that_do_not_allow_an_action_are_listed_with_the_reason(ctx, world, frozen, storage):
    batch = _create(world["reporter"], [world["ice"], world["oig"], world["crcl"]])
    db.session.commit()
    ctx_ = _ctx(world["reporter"], storage)
    actions.apply(batch.requests[1:2], "file", actions.BatchActionInput(on=d("2026-11-30"), channel="portal"), ctx_)
    db.session.commit()
    summary = actions.apply(batch.requests, "file", actions.BatchActionInput(on=d("2026-11-30"), channel="email"),
                            ctx_)
    db.session.commit()
    assert [r.agency.abbreviation for r, _line in summary.changed] == ["ICE", "CRCL"]
    assert [(r.agency.abbreviation, why) for r, why in summary.skipped] == [
        ("DHS OIG", "It is already “Filed, awaiting acknowledgment”, no longer a draft.")]
    assert summary.headline == "Record as filed: 2 requests changed, 1 left as it was."


def test_send_by_email_skips_a_portal_only_agency_and_queues_the_others(ctx, world, frozen, storage, app):
    from tracker.core.mail import OutboxMessage

    app.config["TRACKER_MAIL_ADDRESS"] = "foia@newsroom.example"
    try:
        batch = _create(world["reporter"], [world["ice"], world["oig"], world["crcl"]])
        db.session.commit()
        ctx_ = _ctx(world["reporter"], storage)
        with pytest.raises(ActionNotAllowed) as refused:  # no letters yet: nothing to send
            actions.apply(batch.requests, "email", actions.BatchActionInput(), ctx_)
        assert "write the letters first" in refused.value.message
        actions.apply(batch.requests, "letters", actions.BatchActionInput(), ctx_)
        summary = actions.apply(batch.requests, "email", actions.BatchActionInput(), ctx_)
        db.session.commit()
    finally:
        app.config["TRACKER_MAIL_ADDRESS"] = ""
    assert [r.agency.abbreviation for r, _ in summary.changed] == ["DHS OIG", "CRCL"]
    assert "only through its online portal" in summary.skipped[0][1]
    sent = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.to_address for m in sent] == ["foia.oig@oig.dhs.gov", "crclfoia@hq.dhs.gov"]
    assert [r.status for r in batch.requests] == ["draft", "filed", "filed"]


def test_one_refusal_leaves_every_request_as_it_was(ctx, world, frozen, storage):
    batch = _create(world["reporter"], [world["oig"], world["crcl"]])
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        actions.apply(batch.requests, "file", actions.BatchActionInput(on=d("2026-12-25"), channel="portal"),
                      _ctx(world["reporter"], storage))
    db.session.rollback()
    assert "on" in refused.value.fields
    assert [r.status for r in batch.requests] == ["draft", "draft"]


def test_visibility_and_the_right_to_act(ctx, world, frozen, storage):
    batch = _create(world["reporter"], [world["oig"], world["crcl"]], private=True)
    db.session.commit()
    other = db.session.get(User, world["other_reporter"])
    with pytest.raises(NotFound):  # every request private: the batch does not exist for them
        queries.load(other, batch.id)
    editor = db.session.get(User, world["editor"])
    assert len(queries.load(editor, batch.id)[1]) == 2
    public = _create(world["reporter"], [world["oig"], world["crcl"]])
    db.session.commit()
    _batch, seen = queries.load(other, public.id)
    with pytest.raises(Forbidden):
        actions.apply(seen, "file", actions.BatchActionInput(on=d("2026-11-30"), channel="portal"),
                      _ctx(world["other_reporter"], storage))
    db.session.rollback()
    seen[0].watchers = [other]  # watching one of two: still not allowed to act on the other
    db.session.commit()
    with pytest.raises(Forbidden) as refused:
        actions.apply(seen, "file", actions.BatchActionInput(on=d("2026-11-30"), channel="portal"),
                      _ctx(world["other_reporter"], storage))
    db.session.rollback()
    assert "CRCL" in refused.value.message and "Nothing was done" in refused.value.message
    assert {r.status for r in public.requests} == {"draft"}
