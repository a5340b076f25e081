"""Which request an incoming message files onto, rule by rule, and whether its sender is trusted: a reply to our
own letter, a reply address tag, a tracking number (subject, body, attachment text), a reporter's forward
(inline or attached, nested), an unknown sender, a failed DMARC check. Parsed from real bytes, threaded against
real requests (tests/mail/world.py), without a mail server."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from tests.helpers import d, make_agency, make_request, perform
from tests.mail.conftest import corpus_message
from tests.mail.world import build
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.mail.parse import parse
from tracker.mail.threading import (
    MAX_CANDIDATES,
    newsroom_user,
    original_of_forward,
    sender_is_agencys,
    thread,
    tracking_candidates,
)
from tracker.requests import services
from tracker.requests.models import Communication, RecordsRequest

AGENCY = "ice-foia@ice.dhs.gov"


def message(*, sender=AGENCY, to="foia@newsroom.example", subject="About your request", body="Hello.",
            headers=(), attach: bytes | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = "<m-1@example.org>"
    for name, value in headers:
        msg[name] = value
    msg.set_content(body)
    if attach is not None:  # a forward as an attached message (message/rfc822)
        msg.add_attachment(message_from_bytes(attach, policy=policy.default))
    return msg.as_bytes()


def threaded(raw: bytes, attachment_texts=()):
    return thread(parse(raw, max_attachment=10_000_000), attachment_texts=list(attachment_texts))


def forward_of(inner: str, *, by="reporter@test.example", subject="Fwd: this", note="See below.", headers=(),
               to="foia@newsroom.example") -> bytes:
    """A reporter's inline (Gmail style) forward of a message written out as header lines and a body."""
    return message(sender=by, to=to, subject=subject,
                   body=f"{note}\n\n---------- Forwarded message ---------\n{inner}", headers=headers)


@pytest.fixture
def world(ctx, users):
    return build(users)


def _letter_out(request_id: int, message_id: str) -> Communication:
    comm = Communication(request_id=request_id, direction="out", channel="email", occurred_on=d("2026-11-05"),
                         subject="A letter", message_id=message_id, created_at=now_utc())
    db.session.add(comm)
    db.session.flush()
    return comm


# --- (a) a reply to a letter we sent ----------------------------------------------------------------------

def test_a_reply_to_our_letter_files_on_its_request_and_is_trusted_from_any_domain(world):
    raw = message(sender="jordan.lee@contractor.example", subject="RE: your letter",
                  headers=[("In-Reply-To", "<letter-sent-1@newsroom.example>")])
    found = threaded(raw)
    assert (found.request.id, found.rule, found.trusted, found.notes) == (world.denver, "reply", True, [])


def test_a_reply_found_through_references_alone(world):
    raw = message(sender="someone@elsewhere.example",
                  headers=[("References", "<other@x.example> <letter-sent-1@newsroom.example>")])
    found = threaded(raw)
    assert (found.request.id, found.rule, found.trusted) == (world.denver, "reply", True)


def test_an_id_of_a_letter_we_received_is_no_reply_to_ours(world):
    """Only letters we sent count: quoting the Message-ID of an incoming letter names no request."""
    db.session.add(Communication(request_id=world.still, direction="in", channel="email", occurred_on=d("2026-11-05"),
                                 subject="Theirs", message_id="<theirs-1@ice.dhs.gov>", created_at=now_utc()))
    db.session.flush()
    found = threaded(message(headers=[("In-Reply-To", "<theirs-1@ice.dhs.gov>")]))
    assert (found.request, found.rule, found.suggestions) == (None, "", [])


def test_every_reference_is_looked_up_not_only_the_last(world):
    raw = message(headers=[("In-Reply-To", "<letter-sent-1@newsroom.example>"),
                           ("References", "<letter-sent-1@newsroom.example> <later@x.example>")])
    assert threaded(raw).rule == "reply"
    raw = message(headers=[("References", "<letter-sent-1@newsroom.example> <later@x.example>")])
    assert threaded(raw).rule == "reply"


def test_a_message_id_stored_without_brackets_still_matches(world):
    _letter_out(world.kallas, "X-bare-77@newsroom.example")
    found = threaded(message(sender="x@elsewhere.example", headers=[("In-Reply-To", "<X-bare-77@newsroom.example>")]))
    assert (found.request.id, found.rule) == (world.kallas, "reply")


def test_the_latest_letter_with_one_message_id_wins(world):
    _letter_out(world.still, "<twice@newsroom.example>")
    _letter_out(world.kallas, "<twice@newsroom.example>")
    found = threaded(message(headers=[("In-Reply-To", "<twice@newsroom.example>")]))
    assert found.request.id == world.kallas


def test_only_the_first_fifty_references_are_looked_up(world):
    """A References header can be huge; the lookup is capped (our id as the 51st is not read)."""
    refs = " ".join(f"<junk-{i}@x.example>" for i in range(50))
    assert threaded(message(headers=[("References", refs + " <letter-sent-1@newsroom.example>")])).request is None
    refs = " ".join(f"<junk-{i}@x.example>" for i in range(49))
    found = threaded(message(headers=[("References", refs + " <letter-sent-1@newsroom.example>")]))
    assert found.rule == "reply"


def test_a_reply_beats_a_tag_naming_another_request(world):
    raw = message(to=f"foia+{world.tokens[world.still]}@newsroom.example",
                  headers=[("In-Reply-To", "<letter-sent-1@newsroom.example>")])
    found = threaded(raw)
    assert (found.request.id, found.rule) == (world.denver, "reply")


# --- (b) the reply address tag ------------------------------------------------------------------------------

def test_the_reply_address_tag_files_the_agencys_letter(world):
    found = threaded(corpus_message("ice_extension", world.tokens[world.still]))
    assert (found.request.id, found.rule, found.trusted, found.notes) == (world.still, "tag", True, [])


@pytest.mark.parametrize("where", ["Cc", "Delivered-To", "X-Original-To"])
def test_the_tag_is_read_from_cc_and_delivery_headers(world, where):
    token = world.tokens[world.kallas]
    found = threaded(message(headers=[(where, f"foia+{token}@newsroom.example")]))
    assert (found.request.id, found.rule) == (world.kallas, "tag")


def test_an_unknown_tag_is_skipped_for_the_next_one(world):
    to = f"foia+zzzzzz999@newsroom.example, foia+{world.tokens[world.still]}@newsroom.example"
    found = threaded(message(to=to))
    assert (found.request.id, found.rule) == (world.still, "tag")


def test_a_tag_beats_a_tracking_number_of_another_request(world):
    raw = message(to=f"foia+{world.tokens[world.still]}@newsroom.example", subject="About 2026-ICFO-00057")
    assert threaded(raw).request.id == world.still


# --- (c) a tracking number -------------------------------------------------------------------------------

def test_a_tracking_number_in_the_subject_alone(world):
    found = threaded(message(subject="2026-icfo-00057", body="Please see the attached letter."))
    assert (found.request.id, found.rule, found.trusted, found.suggestions) == (world.kallas, "tracking_number",
                                                                                 True, [])


def test_a_tracking_number_in_the_body(world):
    found = threaded(message(body="Your request 2026-ICFO-00881 is in the complex track."))
    assert (found.request.id, found.rule) == (world.still, "tracking_number")


def test_a_tracking_number_in_an_attachments_text(world):
    found = threaded(message(body="See attached."), attachment_texts=["", "Re: FOIA 2026-ICFO-00213, final response"])
    assert (found.request.id, found.rule) == (world.dallas, "tracking_number")


def test_a_number_of_two_requests_files_nowhere_and_names_both(world, users):
    """Two agencies may use one number (in other capitals): the message waits for a person."""
    oip = db.session.get(RecordsRequest, world.appeal).agency
    twin = make_request(users["other_reporter"], oip, title="Twin")
    perform(twin, "file", users["other_reporter"], on=d("2026-10-30"), channel="portal",
            tracking_number="2026-icfo-00881")
    db.session.flush()
    found = threaded(message(subject="FOIA 2026-ICFO-00881"))
    assert (found.request, found.rule) == (None, "")
    assert sorted(r.id for r in found.suggestions) == sorted([world.still, twin.id])


def test_two_numbers_of_different_requests_file_nowhere(world):
    found = threaded(message(subject="2026-ICFO-00881 and 2026-ICFO-00057"))
    assert found.request is None and sorted(r.id for r in found.suggestions) == sorted([world.still, world.kallas])


def test_one_request_named_twice_by_two_of_its_numbers_files_on_it(world):
    req = db.session.get(RecordsRequest, world.kallas)
    services.add_tracking_number(req, "OPR-77123", kind="request", on=d("2026-11-02"))
    db.session.flush()
    found = threaded(message(subject="2026-ICFO-00057", body="Also known as OPR-77123."))
    assert (found.request.id, found.suggestions) == (world.kallas, [])


def test_an_unknown_sender_with_a_tag_is_filed_but_unverified(world):
    tagged = f"foia+{world.tokens[world.denver]}@newsroom.example"
    found = threaded(message(sender="stranger@mailer.example", to=tagged))
    assert (found.request.id, found.rule, found.trusted) == (world.denver, "tag", False)
    assert found.notes == ["Unverified sender: stranger@mailer.example is not at one of ICE FOIA Office (ICE)'s mail "
                           "domains (ice.dhs.gov, dhs.gov). Nothing is proposed from this message."]


def test_a_sender_with_no_address_and_an_agency_with_no_domains(world):
    req = db.session.get(RecordsRequest, world.appeal)
    req.agency.mail_domains = ""
    db.session.flush()
    raw = message(sender="undisclosed-recipients:;", subject="Appeal A-2026-00417")
    found = threaded(raw)
    assert (found.request.id, found.trusted) == (world.appeal, False)
    assert found.notes == ["Unverified sender: no address is not at one of DOJ Office of Information Policy (OIP)'s "
                           "mail domains (none recorded). Nothing is proposed from this message."]


def test_nothing_that_looks_like_a_number_files_nothing(world):
    found = threaded(message(subject="Hello", body="No numbers here at all."))
    assert (found.request, found.rule, found.trusted, found.suggestions, found.notes) == (None, "", False, [], [])


# --- the sender's checks -----------------------------------------------------------------------------------

@pytest.mark.parametrize("check", ["dmarc", "spf", "dkim"])
def test_a_failed_check_leaves_even_an_agency_address_unverified(world, check):
    raw = message(to=f"foia+{world.tokens[world.denver]}@newsroom.example",
                  headers=[("Authentication-Results", f"mx.newsroom.example; {check}=fail")])
    found = threaded(raw)
    assert (found.request.id, found.trusted) == (world.denver, False)
    assert found.notes == [f"Unverified sender: the receiving mail server says the sender's {check.upper()} check "
                           "failed, so the From address may be forged."]


def test_a_failed_check_on_a_reply_to_our_letter_is_not_trusted_either(world):
    raw = message(headers=[("In-Reply-To", "<letter-sent-1@newsroom.example>"),
                           ("Authentication-Results", "mx.newsroom.example; spf=softfail")])
    found = threaded(raw)
    assert (found.rule, found.trusted) == ("reply", False) and "SPF" in found.notes[0]


def test_senders_at_the_agencys_domains():
    class Agency:
        domains = ["ice.dhs.gov"]

    class Req:
        agency = Agency()

    req = Req()
    assert sender_is_agencys("a@ice.dhs.gov", req) and sender_is_agencys("a@ICE.DHS.GOV", req)
    assert sender_is_agencys("a@foia.ice.dhs.gov", req)
    assert not sender_is_agencys("a@notice.dhs.gov", req)  # a suffix that is not a subdomain
    assert not sender_is_agencys("a@dhs.gov", req) and not sender_is_agencys("ice.dhs.gov", req)
    assert not sender_is_agencys("", req)
    assert sender_is_agencys("x@evil.example@ice.dhs.gov", req)  # the domain is after the last @
    assert not sender_is_agencys("x@ice.dhs.gov@evil.example", req)
    Agency.domains = []
    assert not sender_is_agencys("a@ice.dhs.gov", req)


# --- (d) a reporter's forward ------------------------------------------------------------------------------

def test_a_forwarded_agency_email_files_by_the_originals_number_and_trusts_the_agency(world):
    inner = ("From: ICE FOIA Office <ice-foia@ice.dhs.gov>\nSubject: FOIA 2026-ICFO-00881\n"
             "To: Sam <sam@gmail.com>\n\nWe are writing about your request.")
    found = threaded(forward_of(inner, subject="Fwd: FOIA"))
    assert (found.request.id, found.rule, found.trusted, found.notes) == (world.still, "tracking_number", True, [])


def test_a_forward_whose_number_is_only_in_the_reporters_subject(world):
    inner = "From: ICE FOIA Office <ice-foia@ice.dhs.gov>\nSubject: Update\n\nYour request is in the complex track."
    found = threaded(forward_of(inner, subject="Fwd: 2026-ICFO-00057 update"))
    assert (found.request.id, found.trusted) == (world.kallas, True)


def test_a_forward_whose_number_is_only_in_the_reporters_note(world):
    inner = "From: ICE FOIA Office <ice-foia@ice.dhs.gov>\nSubject: Update\n\nYour request is in the complex track."
    found = threaded(forward_of(inner, note="This is about 2026-ICFO-00213."))
    assert found.request.id == world.dallas


def test_a_forwarded_stranger_is_judged_by_the_originals_sender_not_the_reporter(world):
    inner = "From: Someone <someone@mailer.example>\nSubject: 2026-ICFO-00881\n\nHello."
    found = threaded(forward_of(inner))
    assert (found.request.id, found.trusted) == (world.still, False)
    assert found.notes[0].startswith("Unverified sender: someone@mailer.example is not at one of")


def test_an_attached_original_files_by_the_number_in_its_own_subject(world):
    original = message(subject="Update on 2026-ICFO-00213", body="Your request is in the complex track.")
    raw = message(sender="reporter@test.example", subject="Fwd: update", body="Filing this.", attach=original)
    found = threaded(raw)
    assert (found.request.id, found.rule, found.trusted) == (world.dallas, "tracking_number", True)


def test_a_forwarded_reply_to_our_letter(world):
    """The reporter's own message has no reference to our letter: the attached original does."""
    original = message(sender="jordan.lee@contractor.example", subject="RE: your letter",
                       headers=[("In-Reply-To", "<letter-sent-1@newsroom.example>")])
    raw = message(sender="reporter@test.example", subject="Fwd: RE: your letter", body="Filing this.", attach=original)
    found = threaded(raw)
    assert (found.request.id, found.rule, found.trusted) == (world.denver, "reply", True)


def test_a_forwarded_reply_to_our_letter_named_in_references(world):
    original = message(sender="jordan.lee@contractor.example",
                       headers=[("References", "<letter-sent-1@newsroom.example>")])
    raw = message(sender="reporter@test.example", subject="Fwd", body="Filing this.", attach=original)
    assert threaded(raw).rule == "reply"


@pytest.mark.parametrize("header", ["To", "Cc"])
def test_a_forwarded_message_sent_to_a_reply_address(world, header):
    tagged = f"foia+{world.tokens[world.kallas]}@newsroom.example"
    if header == "To":
        original = message(sender="stranger@mailer.example", to=tagged)
    else:
        original = message(sender="stranger@mailer.example", to="sam@gmail.com", headers=[("Cc", tagged)])
    raw = message(sender="reporter@test.example", subject="Fwd", body="Filing this.", attach=original)
    found = threaded(raw)
    assert (found.request.id, found.rule, found.trusted) == (world.kallas, "tag", False)


def test_a_forward_sent_to_a_reply_address_files_on_its_request(world):
    inner = "From: ICE FOIA Office <ice-foia@ice.dhs.gov>\nSubject: Update\n\nYour request is in the complex track."
    found = threaded(forward_of(inner, to=f"foia+{world.tokens[world.kallas]}@newsroom.example"))
    assert (found.request.id, found.rule, found.trusted) == (world.kallas, "tag", True)


def test_a_forward_of_a_forward_files_the_agencys_innermost_original(world):
    """An editor forwards what a reporter forwarded: the agency's message two levels down is the one read."""
    agency = ("From: ICE FOIA Office <ice-foia@ice.dhs.gov>\nSubject: Update\n\n"
              "Your request 2026-ICFO-00213 is done.")
    reporter = ("From: Reporter <reporter@test.example>\nSubject: Fwd: Update\n\nFor the file.\n\n"
                "---------- Forwarded message ---------\n" + agency)
    raw = forward_of(reporter, by="editor@test.example", note="Passing this on.")
    parsed = parse(raw, max_attachment=10_000_000)
    assert original_of_forward(parsed).from_address == "ice-foia@ice.dhs.gov"
    found = thread(parsed, attachment_texts=[])
    assert (found.request.id, found.trusted) == (world.dallas, True)


def test_a_forward_stops_at_the_first_sender_who_is_not_ours(world):
    """The agency's message itself quotes a forward: that inner one is not the original."""
    quoted = "From: Someone <someone@mailer.example>\nSubject: Old\n\nOld text 2026-ICFO-00881."
    agency = ("From: ICE FOIA Office <ice-foia@ice.dhs.gov>\nSubject: Update 2026-ICFO-00213\n\nSee below.\n\n"
              "---------- Forwarded message ---------\n" + quoted)
    parsed = parse(forward_of(agency), max_attachment=10_000_000)
    assert original_of_forward(parsed).from_address == "ice-foia@ice.dhs.gov"


def test_a_forward_through_an_inactive_user_stops_there(world):
    agency = "From: ICE FOIA Office <ice-foia@ice.dhs.gov>\nSubject: Update\n\nText."
    gone = ("From: Inactive <inactive@test.example>\nSubject: Fwd\n\nFor the file.\n\n"
            "---------- Forwarded message ---------\n" + agency)
    parsed = parse(forward_of(gone, by="editor@test.example"), max_attachment=10_000_000)
    assert original_of_forward(parsed).from_address == "inactive@test.example"


def test_the_forwarders_failed_check_marks_the_forward_unverified(world):
    """In a forward, the receiving server's verdict is about the reporter's message (the original's headers
    are the reporter's copy, not checked by our server)."""
    inner = ("From: ICE FOIA Office <ice-foia@ice.dhs.gov>\nSubject: FOIA 2026-ICFO-00881\n\nText.")
    raw = forward_of(inner, headers=[("Authentication-Results", "mx.newsroom.example; dkim=fail")])
    found = threaded(raw)
    assert (found.request.id, found.trusted) == (world.still, False) and "DKIM" in found.notes[0]


def test_an_originals_failed_check_inside_a_clean_forward_does_not_count(world):
    original = message(to=f"foia+{world.tokens[world.still]}@newsroom.example",
                       headers=[("Authentication-Results", "mx.gmail.com; dmarc=fail")])
    raw = message(sender="reporter@test.example", subject="Fwd", body="Filing this.", attach=original)
    found = threaded(raw)
    assert (found.request.id, found.trusted, found.notes) == (world.still, True, [])


# --- the pieces ---------------------------------------------------------------------------------------------

def test_newsroom_users_by_address(world, users):
    assert newsroom_user("") is None
    assert newsroom_user("Reporter@Test.Example").id == users["reporter"]
    assert newsroom_user("inactive@test.example") is None
    assert newsroom_user("nobody@test.example") is None


def test_tracking_candidates():
    assert tracking_candidates("Re: 2026-icfo-01234, A-2026-00417 and FOIA 12345", None, "2026-ICFO-01234") == [
        "2026-ICFO-01234", "A-2026-00417", "12345"]
    assert tracking_candidates("PIR-26-04512 / ICE2026001 / ABCDEFG1234") == ["PIR-26-04512", "ICE2026001"]
    assert tracking_candidates("FOIA-REQUEST and 123 and ab-cd") == []
    assert tracking_candidates("a/b 2026/12/05") == ["2026/12/05"]
    many = " ".join(f"N-{i}" for i in range(MAX_CANDIDATES + 20))
    found = tracking_candidates(many, "2026-ICFO-01234")
    assert len(found) == MAX_CANDIDATES and found[-1] == f"N-{MAX_CANDIDATES - 1}"
    found = tracking_candidates(" ".join(f"N-{i}" for i in range(MAX_CANDIDATES - 1)), "Z-1 Z-2")
    assert len(found) == MAX_CANDIDATES and found[-1] == "Z-1"


def test_a_number_past_the_candidate_cap_is_not_looked_up(world):
    noise = " ".join(f"N-{i}" for i in range(MAX_CANDIDATES))
    assert threaded(message(subject="Update", body=noise + " 2026-ICFO-00881")).request is None
    noise = " ".join(f"N-{i}" for i in range(MAX_CANDIDATES - 1))
    assert threaded(message(subject="Update", body=noise + " 2026-ICFO-00881")).request.id == world.still


def test_an_agency_made_elsewhere_trusts_only_its_own_domains(ctx, users):
    other = make_agency("Texas Department of Public Safety", "DPS", "US-TX")
    other.mail_domains = "dps.texas.gov"
    req = make_request(users["reporter"], other, title="Texas")
    perform(req, "file", users["reporter"], on=d("2026-10-30"), channel="portal", tracking_number="PIR-26-04512")
    db.session.flush()
    found = threaded(corpus_message("state_agency_letter"))
    assert (found.request.id, found.rule, found.trusted) == (req.id, "tracking_number", True)
    found = threaded(message(sender="a@ice.dhs.gov", subject="PIR-26-04512"))
    assert (found.request.id, found.trusted) == (req.id, False)
