"""The rules of proposals, below the web pages: which action accepting runs from each status, the one-line
description, the fields stored as JSON and read back, one proposal per kind per letter (also in the fetch's quick
pass), what accepting a step that is no lifecycle action changes and what it refuses, and deciding only once."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from tests.helpers import make_agency, make_request, perform
from tests.mail.mail_out_support import letter_text
from tracker.auth.models import User
from tracker.core.errors import Conflict, ValidationFailed
from tracker.core.mail import OutboxMessage
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.mail import batch, proposals
from tracker.mail.proposal_models import Proposal
from tracker.requests import services
from tracker.requests.lifecycle import ActionInput
from tracker.requests.models import Event, RecordsRequest

NOW = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)
TODAY = date(2026, 12, 9)


@pytest.fixture
def storage(app):
    return DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"])


@pytest.fixture
def req(ctx, users):
    agency = make_agency()
    made = make_request(users["reporter"], agency, title="OPR report, Denver")
    perform(made, "file", users["reporter"], on=date(2026, 11, 30), channel="mail")
    db.session.flush()
    return made


@pytest.fixture
def reporter(ctx, users):
    return db.session.get(User, users["reporter"])


def letter(req, storage, name: str, *, on=date(2026, 12, 9)):
    return services.add_communication(req, actor=None, now=NOW, storage=storage, direction="in", channel="email",
                                      occurred_on=on, subject="Your FOIA request", body=letter_text(name))


def proposal(req, kind: str, fields=None, comm=None) -> Proposal:
    made = Proposal(request=req, communication=comm, kind=kind, fields=fields or {}, sentence="It says so.",
                    status="pending", created_at=NOW)
    db.session.add(made)
    db.session.flush()
    return made


# --- which action ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, status, action", [
    ("extension", "filed", "extend"), ("extension", "appealed", "appeal_extend"),
    ("appeal_acknowledgment", "determined", "appeal"), ("appeal_acknowledgment", "appealed", None),
    ("appeal_acknowledgment", "filed", None),
    ("acknowledgment", "filed", "acknowledge"), ("clarification", "filed", "request_clarification"),
    ("fee_estimate", "filed", "fee_estimate"), ("determination", "filed", "determine"),
    ("appeal_decision", "appealed", "decide_appeal"),
    ("still_interested", "filed", None), ("estimated_completion", "filed", None), ("portal_notice", "filed", None),
])
def test_the_action_accepting_runs(kind, status, action):
    class Req:
        pass

    r = Req()
    r.status = status
    assert proposals.action_for(Proposal(kind=kind), r) == action


@pytest.mark.parametrize("kind, status, label", [
    ("acknowledgment", "filed", "Record acknowledgment"),
    ("extension", "appealed", "Appeal extension notice"),
    ("appeal_acknowledgment", "determined", "File an appeal"),
    ("appeal_acknowledgment", "appealed", "Record the appeal number"),
    ("still_interested", "filed", "Set the date our answer is due"),
    ("estimated_completion", "filed", "Set a follow-up date"),
    ("portal_notice", "filed", "Mark as seen"),
    ("something_else", "filed", ""),
])
def test_the_label_of_the_accept_button(kind, status, label):
    class Req:
        pass

    r = Req()
    r.status = status
    assert proposals.action_label(Proposal(kind=kind), r) == label


# --- fields and description ---------------------------------------------------------------------------------

def test_fields_are_stored_as_json_and_read_back_as_dates_and_money():
    stored = proposals._jsonable({"on": date(2027, 1, 6), "amount": Decimal("115.00"), "pages_released": 3,
                                  "exemptions": ["b6"]})
    assert stored == {"on": "2027-01-06", "amount": "115.00", "pages_released": 3, "exemptions": ["b6"]}
    back = proposals.values(Proposal(kind="fee_estimate", fields={
        **stored, "received_on": "2026-12-02", "our_answer_due_on": "2027-01-27", "completion_on": "2027-04-30",
        "tracking_number": "2026-12-02"}))
    assert back == {"on": date(2027, 1, 6), "amount": Decimal("115.00"), "pages_released": 3, "exemptions": ["b6"],
                    "received_on": date(2026, 12, 2), "our_answer_due_on": date(2027, 1, 27),
                    "completion_on": date(2027, 4, 30), "tracking_number": "2026-12-02"}


def test_unreadable_stored_fields_are_left_out_not_raised():
    back = proposals.values(Proposal(kind="fee_estimate", fields={"on": "someday", "amount": "lots",
                                                                  "received_on": "2026-12-02"}))
    assert back == {"received_on": date(2026, 12, 2)}
    assert proposals.values(Proposal(kind="x", fields=None)) == {}
    assert proposals.values(Proposal(kind="x", fields={"amount": 5})) == {"amount": 5}


def test_a_description_says_everything_read():
    p = Proposal(kind="determination", fields={
        "tracking_number": "2026-ICFO-01234", "received_on": "2026-12-02", "outcome": "granted_in_part",
        "amount": "1234.5", "pages_released": 14, "pages_withheld": 4, "exemptions": ["b6", "b7C", "zz"],
        "our_answer_due_on": "2027-01-27", "completion_on": "2027-04-30"})
    assert proposals.describe(p) == (
        "Determination: number 2026-ICFO-01234, received 2026-12-02, granted in part, withheld in part, $1,234.50, "
        "14 pages released, 4 withheld in full, exemptions (b)(6), (b)(7)(C), our answer due 2027-01-27, "
        "expected by 2027-04-30")


def test_a_description_of_little():
    assert proposals.describe(Proposal(kind="extension", fields={"on": "2026-12-10"})) == \
        "Extension (unusual circumstances)"
    assert proposals.describe(Proposal(kind="appeal_decision", fields={"outcome": "remanded"})) == \
        "Appeal decision: remanded for a new search or review"
    assert proposals.describe(Proposal(kind="determination", fields={"outcome": "odd", "pages_released": 0,
                                                                      "pages_withheld": 0, "amount": "0"})) == \
        "Determination: odd, $0.00, 0 pages released"
    assert proposals.describe(Proposal(kind="new_kind", fields={})) == "new_kind"


# --- making proposals --------------------------------------------------------------------------------------

def test_propose_keeps_only_fields_with_a_value(req, storage):
    comm = letter(req, storage, "ice_still_interested")
    [made] = proposals.propose(comm, letter_text("ice_still_interested"), now=NOW)
    assert (made.kind, made.status, made.created_at, made.request, made.communication) == (
        "still_interested", "pending", NOW, req, comm)
    assert made.fields == {"our_answer_due_on": "2027-02-16"} and made.sentence
    assert made.id is not None  # written, and people told
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 1


def test_an_empty_field_is_left_out(req, storage):
    comm = letter(req, storage, "ice_acknowledgment")
    [ack] = proposals.propose(comm, "This acknowledges receipt of your FOIA request.", now=NOW)
    assert ack.fields == {"on": "2026-12-09"}  # no number found: no "tracking_number": ""


def test_nothing_read_proposes_nothing(req, storage):
    comm = letter(req, storage, "newsletter")
    assert proposals.propose(comm, letter_text("newsletter"), now=NOW) == []
    assert proposals.propose(comm, None, now=NOW) == []
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 0


def test_a_letter_read_again_proposes_nothing_new_and_tells_nobody(req, storage):
    comm = letter(req, storage, "dhs_hq_acknowledgment")
    first = proposals.propose(comm, letter_text("dhs_hq_acknowledgment"), now=NOW)
    assert sorted(p.kind for p in first) == ["acknowledgment", "extension"]
    assert proposals.propose(comm, letter_text("dhs_hq_acknowledgment"), now=NOW) == []
    assert db.session.scalar(select(db.func.count(Proposal.id))) == 2
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 1


def test_a_letter_read_again_with_more_text_proposes_only_what_is_new(req, storage):
    """A scan's text read later by OCR (late_letters) may say more than the email did: its new steps are
    proposed, whatever comes before them."""
    comm = letter(req, storage, "dhs_hq_acknowledgment")
    [first] = proposals.propose(comm, "This acknowledges receipt of your FOIA request.", now=NOW)
    assert first.kind == "acknowledgment"
    assert [p.kind for p in proposals.propose(comm, letter_text("dhs_hq_acknowledgment"), now=NOW)] == ["extension"]


def test_a_letter_read_twice_before_the_flush_proposes_once(req, storage):
    comm = letter(req, storage, "ice_acknowledgment")
    pending_row = Proposal(request=req, communication=comm, kind="acknowledgment", fields={}, status="pending")
    db.session.add(pending_row)  # not flushed yet
    assert proposals.propose(comm, letter_text("ice_acknowledgment"), now=NOW) == []


def test_the_agencys_names_choose_its_number_format(ctx, users, storage):
    dhs = make_agency("Privacy Office", "DHS", "US-DHS")
    ice = make_agency("U.S. Immigration and Customs Enforcement", "", "US-DHS")
    ice.parent = dhs
    made = make_request(users["reporter"], ice, title="Parent")
    perform(made, "file", users["reporter"], on=date(2026, 11, 30), channel="mail")
    comm = services.add_communication(made, actor=None, now=NOW, storage=storage, direction="in", channel="email",
                                      occurred_on=date(2026, 12, 9), subject="Ack", body="")
    text = ("This acknowledges receipt of your FOIA request. Your numbers are 2026-HQFO-00881 and "
            "2026-ICFO-01234.")
    [ack] = proposals.propose(comm, text, now=NOW)
    assert ack.fields["tracking_number"] == "2026-ICFO-01234"  # by the agency's own name
    ice.name = "Regional office"
    comm2 = services.add_communication(made, actor=None, now=NOW, storage=storage, direction="in", channel="email",
                                       occurred_on=date(2026, 12, 9), subject="Ack", body="")
    [ack] = proposals.propose(comm2, text, now=NOW)
    assert ack.fields["tracking_number"] == "2026-HQFO-00881"  # by its parent's name


def test_in_the_fetchs_quick_pass_people_are_told_after_the_batch_is_written(req, storage):
    comm = letter(req, storage, "ice_acknowledgment")
    quick = batch.QuickBatch()
    token = batch.current.set(quick)
    try:
        proposals.on_letter_received(comm, text=letter_text("ice_acknowledgment"), trusted=True)
        assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 0 and len(quick.notices) == 1
        quick.finish(db.session.flush)
    finally:
        batch.current.reset(token)
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 1
    assert db.session.scalar(select(Proposal.kind)) == "acknowledgment"


def test_in_the_quick_pass_each_letter_proposes_its_own_steps(req, storage):
    """Two letters of one batch, both acknowledgments: the first one's proposal, not yet written, does not
    stop the second's."""
    first, second = letter(req, storage, "ice_acknowledgment"), letter(req, storage, "ice_acknowledgment")
    quick = batch.QuickBatch()
    token = batch.current.set(quick)
    try:
        for comm in (first, second):
            proposals.on_letter_received(comm, text=letter_text("ice_acknowledgment"), trusted=True)
        quick.finish(db.session.flush)  # as the fetch writes its batch
    finally:
        batch.current.reset(token)
    made = db.session.execute(select(Proposal.communication_id, Proposal.kind).order_by(Proposal.id)).all()
    assert made == [(first.id, "acknowledgment"), (second.id, "acknowledgment")]


def test_in_the_quick_pass_a_reading_failure_is_raised_for_the_fetch_to_retry(req, storage, monkeypatch):
    comm = letter(req, storage, "ice_acknowledgment")
    monkeypatch.setattr(proposals.reading, "read", lambda *a, **k: 1 / 0)
    token = batch.current.set(batch.QuickBatch())
    try:
        with pytest.raises(ZeroDivisionError):
            proposals.on_letter_received(comm, text="x", trusted=True)
    finally:
        batch.current.reset(token)


def test_outside_the_quick_pass_a_reading_failure_is_logged_and_the_letter_kept(req, storage, monkeypatch, caplog):
    comm = letter(req, storage, "ice_acknowledgment")
    monkeypatch.setattr(proposals.reading, "read", lambda *a, **k: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="tracker.mail.proposals"):
        proposals.on_letter_received(comm, text="x", trusted=True)
    assert [r.getMessage() for r in caplog.records] == [f"could not read letter {comm.id} for proposals"]
    assert db.session.get(services.Communication, comm.id) is not None


def test_an_untrusted_or_missing_letter_is_not_read(req, storage, monkeypatch):
    comm = letter(req, storage, "ice_acknowledgment")
    proposals.on_letter_received(comm, text=letter_text("ice_acknowledgment"))
    proposals.on_letter_received(None, text=letter_text("ice_acknowledgment"), trusted=True)
    assert db.session.scalar(select(db.func.count(Proposal.id))) == 0
    proposals.on_letter_received(comm, text=letter_text("ice_acknowledgment"), trusted=True)
    assert db.session.scalar(select(Proposal.fields)) == {"on": "2026-12-08", "tracking_number": "2026-ICFO-01234",
                                                          "received_on": "2026-12-02"}


# --- deciding --------------------------------------------------------------------------------------------------

def test_pending_lists_this_requests_undecided_proposals_in_order(req, ctx, users, reporter):
    other = make_request(users["reporter"], req.agency, title="Other")
    a = proposal(req, "extension")
    b = proposal(req, "portal_notice")
    c = proposal(req, "acknowledgment")
    proposal(other, "extension")
    proposals.dismiss(b, actor=reporter, now=NOW)
    assert proposals.pending(req) == [a, c]
    # In order because the query says so, not because the database happens to read them so: SQLite's
    # reverse_unordered_selects returns the rows of a query without ORDER BY the other way round.
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA reverse_unordered_selects = ON"))
        try:
            assert proposals.pending(req) == [a, c]
        finally:
            db.session.execute(text("PRAGMA reverse_unordered_selects = OFF"))


def test_accepting_an_action_links_the_letter_to_the_event_unless_it_has_one(req, storage, reporter):
    comm = letter(req, storage, "ice_extension")
    p = proposal(req, "extension", {"on": "2026-12-10"}, comm)
    event = proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage,
                             action_input=ActionInput(on=date(2026, 12, 8)))
    assert event.action == "extend" and comm.event is event
    assert (p.status, p.decided_by, p.decided_at, p.event) == ("accepted", reporter, NOW, event)
    comm2 = letter(req, storage, "ice_acknowledgment")
    earlier = db.session.scalar(select(Event).where(Event.request_id == req.id).order_by(Event.id))
    comm2.event = earlier
    p2 = proposal(req, "acknowledgment", {}, comm2)
    event2 = proposals.accept(p2, actor=reporter, now=NOW, today=TODAY, storage=storage,
                              action_input=ActionInput(on=date(2026, 12, 8)))
    assert event2.action == "acknowledge" and comm2.event is earlier


def test_accepting_a_proposal_without_a_letter(req, storage, reporter):
    p = proposal(req, "extension")
    with pytest.raises(ValidationFailed, match="Give the date this happened."):  # nothing confirmed: refused
        proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage)
    assert p.status == "pending"
    event = proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage,
                             action_input=ActionInput(on=date(2026, 12, 8)))
    assert event.action == "extend" and p.event is event
    assert (event.actor, event.at, event.on) == (reporter, NOW, date(2026, 12, 8))


def test_deciding_twice_is_refused(req, storage, reporter):
    p = proposal(req, "portal_notice")
    assert proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage) is None
    assert (p.status, p.decided_by, p.event) == ("accepted", reporter, None)
    with pytest.raises(Conflict) as twice:
        proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage)
    assert twice.value.message == "This proposal was already accepted."
    with pytest.raises(Conflict, match="This proposal was already accepted."):
        proposals.dismiss(p, actor=reporter, now=NOW)
    d = proposal(req, "extension")
    proposals.dismiss(d, actor=reporter, now=NOW)
    assert (d.status, d.decided_by, d.decided_at, d.event) == ("dismissed", reporter, NOW, None)
    with pytest.raises(Conflict, match="This proposal was already dismissed."):
        proposals.dismiss(d, actor=reporter, now=NOW)
    assert db.session.get(RecordsRequest, req.id).status == "filed"


@pytest.mark.parametrize("kind, column", [("still_interested", "our_answer_due_on"),
                                          ("estimated_completion", "follow_up_on")])
def test_a_date_step_sets_its_date_and_returns_the_edit_event(req, storage, reporter, kind, column):
    p = proposal(req, kind)
    with pytest.raises(ValidationFailed, match="Give the date.") as missing:
        proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage)
    assert (missing.value.message, missing.value.fields) == ("Give the date.", {"on": "Give the date."})
    with pytest.raises(ValidationFailed, match="check the year") as absurd:
        proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage,
                         edit=proposals.EditInput(on=date(1901, 1, 1)))
    assert "on" in absurd.value.fields and p.status == "pending"
    event = proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage,
                             edit=proposals.EditInput(on=date(2027, 2, 16)))
    assert getattr(req, column) == date(2027, 2, 16)
    latest = db.session.scalar(select(Event).where(Event.request_id == req.id).order_by(Event.id.desc()))
    assert event is latest and event.action == "edit" and p.event is event
    assert (event.actor, event.at, req.updated_at) == (reporter, NOW, NOW)


def test_an_appeal_acknowledgment_records_the_appeal_number_only_on_an_appealed_request(req, storage, reporter,
                                                                                         users):
    p = proposal(req, "appeal_acknowledgment", {"tracking_number": "A-2027-01877"})
    with pytest.raises(Conflict) as early:
        proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage,
                         edit=proposals.EditInput(tracking_number="A-2027-01877"))
    assert early.value.message == "Record the appeal first: the request is not waiting for an appeal decision."
    perform(req, "determine", users["reporter"], on=date(2026, 12, 3), outcome="denied")
    perform(req, "appeal", users["reporter"], on=date(2026, 12, 4))
    for blank in (None, proposals.EditInput(), proposals.EditInput(tracking_number="   ")):
        with pytest.raises(ValidationFailed, match="Give the appeal number.") as refused:
            proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage, edit=blank)
        assert (refused.value.message, refused.value.fields) == ("Give the appeal number.",
                                                                 {"tracking_number": "Give the appeal number."})
    later = datetime(2026, 12, 10, 4, 0, tzinfo=UTC)  # still December 9 in the newsroom (America/New_York)
    event = proposals.accept(p, actor=reporter, now=later, today=TODAY, storage=storage,
                             edit=proposals.EditInput(tracking_number=" A-2027-01877 "))
    assert [(t.kind, t.number, t.assigned_on) for t in req.tracking_numbers] == [
        ("appeal", "A-2027-01877", date(2026, 12, 9))]
    assert (event.action, event.note, event.data, event.actor, event.at) == (
        "edit", "Appeal acknowledged; appeal number A-2027-01877.", {"tracking_number": "A-2027-01877"}, reporter,
        later)
    assert req.updated_at == later and p.event is event and p.status == "accepted"
    assert db.session.get(Event, event.id) is event  # written


def test_a_letter_is_read_with_its_agencys_holidays_from_the_day_it_arrived(ctx, users, storage):
    cdcr = make_agency("California Department of Corrections and Rehabilitation", "CDCR", "US-CA")
    made = make_request(users["reporter"], cdcr, title="California")
    perform(made, "file", users["reporter"], on=date(2026, 11, 30), channel="mail")
    later = datetime(2027, 3, 31, 15, 0, tzinfo=UTC)
    comm = services.add_communication(made, actor=None, now=later, storage=storage, direction="in",
                                      channel="email", occurred_on=date(2027, 3, 30), subject="PRA", body="")
    [asked] = proposals.propose(comm, "Please clarify the date range you want. Answer within 2 business days.",
                                now=later)
    # from March 30 (the day it arrived; the letter has no date), with California's César Chávez Day skipped
    assert asked.fields == {"on": "2027-03-30", "our_answer_due_on": "2027-04-02"}


def test_installing_the_listener_connects_the_reader_once():
    from tracker.mail.signals import letter_received

    letter_received.disconnect(proposals.on_letter_received)
    try:
        assert proposals.on_letter_received not in letter_received.receivers.values()
        proposals.install_proposal_listener()
        proposals.install_proposal_listener()
        receivers = list(letter_received.receivers.values())
        assert receivers.count(proposals.on_letter_received) == 1 and None not in receivers
    finally:
        letter_received.connect(proposals.on_letter_received, weak=False)


def test_accepting_keeps_a_file_given_with_the_action_in_storage(req, storage, reporter):
    import io

    p = proposal(req, "extension")
    inp = ActionInput(on=date(2026, 12, 8), communication=services.CommunicationInput(
        subject="Extension letter", files=[services.Upload("extension.txt", io.BytesIO(b"Ten more days."))]))
    event = proposals.accept(p, actor=reporter, now=NOW, today=TODAY, storage=storage, action_input=inp)
    [kept] = [a for c in req.communications if c.event is event for a in c.attachments]
    with storage.open(kept.storage_key) as handle:
        assert handle.read() == b"Ten more days."
