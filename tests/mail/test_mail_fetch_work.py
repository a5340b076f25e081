"""Work the fetch does once where it did it again: a sender's From header read by the address parser once for
the messages it sends, and the quick pass's proposals written as one plain INSERT into their table."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage

from sqlalchemy import select

from tracker.extensions import db
from tracker.mail import parse as parse_module
from tracker.mail.parse import parse
from tracker.mail.proposal_models import Proposal
from tracker.mail.proposals import insert_many


def _message(sender: str, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "foia@newsroom.example", f"Letter {n}"
    msg.set_content(f"Letter {n}")
    return msg.as_bytes()


def test_a_senders_address_is_parsed_once_for_its_messages(monkeypatch):
    calls = []
    real = parse_module.parseaddr

    def counted(value, *args, **kwargs):
        calls.append(value)
        return real(value, *args, **kwargs)

    monkeypatch.setattr(parse_module, "parseaddr", counted)
    parse_module._sender.cache_clear()
    sender = '"ICE FOIA Office (Ünicode)" <ICE-FOIA@ice.dhs.gov>'
    first, second = (parse(_message(sender, n), max_attachment=1 << 20) for n in (1, 2))
    assert len(calls) == 1
    name, address = real(sender)
    assert (first.from_name, first.from_address) == (second.from_name, second.from_address) == (
        name, address.lower())
    other = parse(_message("Records <records@usdoj.gov>", 3), max_attachment=1 << 20)
    assert (other.from_name, other.from_address) == ("Records", "records@usdoj.gov") and len(calls) == 2


def test_the_quick_pass_proposals_are_written_as_given_without_a_flush(app, ctx, users):
    from tests.helpers import make_agency, make_request
    from tracker.requests.models import Communication

    req = make_request(users["reporter"], make_agency(), title="Proposals written plainly")
    letter = Communication(request=req, direction="in", channel="email", occurred_on=datetime(2026, 12, 1).date(),
                           subject="Fee estimate", created_at=datetime(2026, 12, 1, 15, tzinfo=UTC))
    db.session.add(letter)
    db.session.flush()
    at = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
    made = [Proposal(request=req, communication=letter, kind=kind, fields=fields, sentence=sentence,
                     status="pending", created_at=at)
            for kind, fields, sentence in (
                ("fee_estimate", {"amount": "25.00", "on": "2026-12-01"}, "The fee is $25."),
                ("clarification", {"our_answer_due_on": "2027-01-05"}, "Please clarify “which reports”."))]
    waiting = Communication(request=req, direction="out", channel="email", occurred_on=at.date(), subject="Later",
                            created_at=at)
    db.session.add(waiting)  # pending: the quick pass flushes once at its end, not for the proposals' INSERT
    insert_many(made)
    assert waiting in db.session.new
    rows = db.session.execute(select(Proposal.kind, Proposal.fields, Proposal.sentence, Proposal.status,
                                     Proposal.communication_id, Proposal.request_id, Proposal.created_at)
                              .where(Proposal.request_id == req.id).order_by(Proposal.id)).all()
    assert [tuple(r[:6]) for r in rows] == [(p.kind, p.fields, p.sentence, "pending", letter.id, req.id) for p in made]
    assert all((r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=UTC)) == at for r in rows)

