"""The fetch's quick pass looks up a whole batch at once (mail.lookups): the stored message keys, the requests
its references, reply tags and tracking numbers name, and the notification preferences of their people. Each
message must still be threaded and told as if it were looked up alone: by its own headers and text, never by
another message of its batch, and a reply to a message of the same batch is not a reply to one of our letters."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
import time_machine
from sqlalchemy import select

from tests.mail.conftest import corpus_message
from tests.mail.world import build
from tracker.auth.models import User
from tracker.core.installation import message_id_part
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.mail.fetch import fetch_mail
from tracker.mail.models import IncomingMessage
from tracker.reminders.models import ReminderPreference
from tracker.requests.models import RecordsRequest

DEC_5 = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


def _message(message_id: str, *, to: str = "foia@newsroom.example", subject: str = "Your request",
             body: str = "Please see the attached update.", in_reply_to: str = "", references: str = "") -> bytes:
    msg = EmailMessage()
    msg["From"] = '"ICE FOIA Office" <ice-foia@ice.dhs.gov>'
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = "Thu, 03 Dec 2026 10:00:00 -0500"
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    msg.set_content(body)
    return msg.as_bytes()


def _filed() -> dict[str, tuple[int | None, str, str]]:
    """Each stored message by its Message-ID: (its request, the rule that matched, its status)."""
    return {m.message_id: (m.request_id, m.matched_by, m.status) for m in db.session.scalars(select(IncomingMessage))}


@pytest.fixture
def careful_passes(monkeypatch) -> list[str]:
    """The batches the fetch had to write again carefully (it logs each)."""
    from tracker.mail import fetch

    seen: list[str] = []
    monkeypatch.setattr(fetch.log, "warning", lambda message, *args, **kwargs: seen.append(message % args))
    return seen


@pytest.fixture
def world(users):
    with time_machine.travel(DEC_5, tick=True):
        yield build(users)


def test_replies_within_one_batch_are_threaded_by_their_own_headers(app, ctx, world, dovecot, careful_passes):
    tag = "foia+{}@newsroom.example".format
    dovecot.append(
        # A: by its reply tag.
        _message("<a@ice.dhs.gov>", to=tag(world.tokens[world.still])),
        # B answers A (an agency message, not ours) and our letter: rule (a), on the letter's request.
        _message("<b@ice.dhs.gov>", to=tag(world.tokens[world.kallas]), in_reply_to="<a@ice.dhs.gov>",
                 references="<a@ice.dhs.gov> <letter-sent-1@newsroom.example>"),
        # C answers A and B only: their request is not C's; C goes by its own tag.
        _message("<c@ice.dhs.gov>", to=tag(world.tokens[world.kallas]), in_reply_to="<b@ice.dhs.gov>",
                 references="<a@ice.dhs.gov> <b@ice.dhs.gov>"),
        # D answers A and has nothing else: it waits in Unsorted mail.
        _message("<d@ice.dhs.gov>", in_reply_to="<a@ice.dhs.gov>"),
        # E answers D and, further up, our letter: rule (a) again.
        _message("<e@ice.dhs.gov>", to=tag(world.tokens[world.kallas]), in_reply_to="<d@ice.dhs.gov>",
                 references="<letter-sent-1@newsroom.example> <d@ice.dhs.gov>"),
        _message("<a@ice.dhs.gov>", to=tag(world.tokens[world.still])),  # A delivered twice
    )
    with time_machine.travel(DEC_5, tick=True):
        result = fetch_mail()
    assert (result.fetched, result.filed, result.unsorted, result.duplicates) == (5, 4, 1, 1)
    assert _filed() == {
        "<a@ice.dhs.gov>": (world.still, "tag", "filed"),
        "<b@ice.dhs.gov>": (world.denver, "reply", "filed"),
        "<c@ice.dhs.gov>": (world.kallas, "tag", "filed"),
        "<d@ice.dhs.gov>": (None, "", "unsorted"),
        "<e@ice.dhs.gov>": (world.denver, "reply", "filed"),
    }
    assert careful_passes == []  # the second copy of A was known as a duplicate without a failed flush


def test_tracking_numbers_in_a_batch_belong_to_the_message_that_names_them(app, ctx, world, dovecot, careful_passes):
    with time_machine.travel(DEC_5, tick=True):  # another agency's request with 2026-ICFO-00881 too
        other = db.session.get(RecordsRequest, world.appeal)
        other.tracking_numbers[0].number = "2026-ICFO-00881"
        db.session.commit()
    dovecot.append(
        _message("<n1@ice.dhs.gov>", subject="ICE FOIA Request 2026-ICFO-01234"),  # denver's, alone
        _message("<n2@ice.dhs.gov>", body="About your request; no number here."),  # nothing: unsorted
        _message("<n3@ice.dhs.gov>", body="Re 2026-ICFO-00881 and 2026-ICFO-00213."),  # 00881 is two requests'
        _message("<n4@ice.dhs.gov>", body="Re 2026-icfo-00213."),  # dallas's, in lower case
    )
    with time_machine.travel(DEC_5, tick=True):
        result = fetch_mail()
    assert (result.fetched, result.filed, result.unsorted) == (4, 2, 2)
    assert _filed() == {
        "<n1@ice.dhs.gov>": (world.denver, "tracking_number", "filed"),
        "<n2@ice.dhs.gov>": (None, "", "unsorted"),
        "<n3@ice.dhs.gov>": (None, "", "unsorted"),
        "<n4@ice.dhs.gov>": (world.dallas, "tracking_number", "filed"),
    }
    n3 = db.session.scalar(select(IncomingMessage).where(IncomingMessage.message_id == "<n3@ice.dhs.gov>"))
    assert any("more than one request" in n and f"#{world.still}" in n and f"#{world.appeal}" in n
               and f"#{world.dallas}" in n for n in n3.notes)
    assert careful_passes == []


def test_notices_of_a_batch_follow_each_persons_preferences_and_go_once(app, ctx, world, users, dovecot,
                                                                       careful_passes):
    with time_machine.travel(DEC_5, tick=True):
        denver = db.session.get(RecordsRequest, world.denver)
        denver.watchers = [db.session.get(User, users["editor"])]
        db.session.add(ReminderPreference(user_id=users["reporter"], mode="immediate", muted_kinds=["agency_letter"]))
        db.session.commit()
    names = ("ice_acknowledgment", "ice_no_records", "ice_still_interested")  # denver, dallas, still
    dovecot.append(*[corpus_message(n, world.token_for(n)) for n in names])
    with time_machine.travel(DEC_5, tick=True):
        assert fetch_mail().filed == 3
        cursor_reset = db.session.execute(db.text("UPDATE mail_cursors SET last_uid = 0"))
        assert cursor_reset.rowcount == 1
        db.session.commit()
        again = fetch_mail()  # the server's messages read again: stored, filed and told once
    assert (again.fetched, again.duplicates) == (0, 3)
    told = sorted((m.request_id, m.to_address) for m in db.session.scalars(select(OutboxMessage)))
    # The reporter muted agency letters (denver and still are theirs); the editor watches denver; the other
    # reporter owns dallas.
    assert told == sorted([(world.denver, "editor@test.example"), (world.dallas, "other_reporter@test.example")])
    assert len({m.message_id for m in db.session.scalars(select(OutboxMessage))}) == 2
    assert careful_passes == []


def test_a_batch_is_looked_up_once_not_once_per_message(app, ctx, world, dovecot, careful_passes):
    from sqlalchemy import event

    names = ("ice_acknowledgment", "ice_no_records", "ice_still_interested", "ice_extension", "ice_fee_letter")
    raws = [corpus_message(n, world.token_for(n)) for n in names]
    raws += [_message(f"<t{i}@ice.dhs.gov>", body=f"Re 2026-ICFO-0088{i}.") for i in range(1, 6)]
    dovecot.append(*raws)
    message_id_part()  # the installation has sent mail before
    db.session.commit()
    seen: list[str] = []

    def note(conn, cursor, statement, params, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with time_machine.travel(DEC_5, tick=True):
            result = fetch_mail()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert (result.fetched, careful_passes) == (10, [])

    def count(start: str) -> int:
        return sum(s.startswith(start) for s in seen)

    assert count("SELECT incoming_messages.id FROM incoming_messages WHERE incoming_messages.message_key") == 0
    assert count("SELECT incoming_messages.message_key FROM incoming_messages") == 1
    assert count("SELECT tracking_numbers.id") == 1  # the batch's candidate numbers, in one query
    assert count("SELECT reminder_preferences.") == 1
    assert count("SELECT installation.") == 1
    assert count("INSERT INTO outbox_messages") == count("INSERT INTO proposals") == 1
    # The new rows' ids are given once, before the batch's flush; its proposals, written after it, need none.
    assert sum("nextval(" in s or s.startswith("SELECT (SELECT max(") for s in seen) == 1
    # The requests the batch's tags, references and numbers name: one load, their agency and owner joined, their
    # watchers and numbers selected in; none loaded again by a message.
    assert count("SELECT requests.id, requests.title") == 1
    assert count("SELECT request_watchers.") == count("SELECT tracking_numbers.request_id") == 1
    assert count("SELECT users.") == count("SELECT agencies.") == 0
    # The folder's cursor is read when the fetch starts (looked for, made, read after that commit); the batch
    # locks it and reads it with one UPDATE ... RETURNING.
    assert count("SELECT mail_cursors.") == 3
    claims = [s for s in seen if s.startswith("UPDATE mail_cursors SET updated_at")]
    assert [s.split(" RETURNING ")[1].replace("mail_cursors.", "") for s in claims] == ["last_uid, uidvalidity"]


def test_a_batchs_texts_are_read_for_tracking_numbers_once(app, ctx, world, dovecot, careful_passes, monkeypatch):
    """The batch's look-ups read every subject, body and attachment text for candidate numbers; threading each
    message asks for the same texts again and gets them from there, not from a second pass of the pattern."""
    from tracker.mail import threading

    read: list[str] = []
    pattern = threading._CANDIDATE

    class Counted:
        def findall(self, text):
            read.append(text)
            return pattern.findall(text)

    monkeypatch.setattr(threading, "_CANDIDATE", Counted())
    names = ("ice_acknowledgment", "ice_final_response_pdf", "ice_no_records")
    dovecot.append(*[corpus_message(n, "") for n in names],
                   _message("<t1@ice.dhs.gov>", body="Re 2026-ICFO-00213."))
    with time_machine.travel(DEC_5, tick=True):
        result = fetch_mail()
    assert (result.fetched, careful_passes) == (4, [])
    assert result.filed >= 2  # threaded by their numbers
    assert read and len(read) == len(set(read))
