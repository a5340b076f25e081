"""The ledger's per-matter summaries are never stale: after any change made through the ORM, what the
ledger says equals what it says when every summary is recomputed from the requests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from tests.helpers import d, perform
from tests.matters import ledger_scenario
from tracker.auth.models import User
from tracker.extensions import db
from tracker.ledger import queries as ledger
from tracker.matters.models import MatterSummary
from tracker.requests import documents
from tracker.requests.models import Determination, RecordsRequest

TODAY = date(2026, 11, 30)


def _ledger(user_id: int) -> list[dict]:
    return ledger.ledger_rows(db.session.get(User, user_id), ledger.LedgerFilters(sort="title"), TODAY)


def _assert_exact(users: dict[str, int]) -> None:
    """Every viewer's ledger from the stored summaries equals the ledger computed afresh."""
    for who in ("editor", "reporter", "other_reporter"):
        from_summaries = _ledger(users[who])
        db.session.commit()
        stale = db.session.scalar(select(db.func.count()).select_from(MatterSummary)
                                  .where(MatterSummary.computed != MatterSummary.changes))
        assert stale == 0, who
        db.session.execute(delete(MatterSummary))
        afresh = _ledger(users[who])
        db.session.commit()
        assert from_summaries == afresh, who


def _row(users, who: str, matter_id: int) -> dict:
    return next(r for r in _ledger(users[who]) if r["id"] == matter_id)


def test_summaries_follow_every_kind_of_change(app, users, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
        _assert_exact(users)
        rep = users["reporter"]

        # A determination moves a pending matter to withheld.
        death_card = db.session.get(RecordsRequest, ids["Death card ROI"])
        assert _row(users, "editor", ids["death"])["state"] == "pending"
        perform(death_card, "determine", rep, on=d("2026-11-25"), outcome="denied", exemptions=["b5"])
        db.session.commit()
        row = _row(users, "editor", ids["death"])
        assert (row["state"], row["exemptions"]) == ("withheld", ["b5"])
        _assert_exact(users)

        # A Vaughn index added later changes the exemptions in force.
        det = documents.latest_determination(death_card, "initial")
        documents.add_documents(det, [documents.DocumentInput("Memo", 4, 4, 0, "b7E")])
        db.session.commit()
        assert _row(users, "editor", ids["death"])["exemptions"] == ["b5", "b7E"]
        _assert_exact(users)

        # Linking a request to another matter, then unlinking it from its first.
        kallas = db.session.get(RecordsRequest, ids["Kallas ROI"])
        scale_before = _row(users, "editor", ids["scale"])["state"]
        kallas.matters = [*kallas.matters, db.session.get(type(kallas.matters[0]), ids["scale"])]
        db.session.commit()
        assert _row(users, "editor", ids["scale"])["state"] == "withheld" != scale_before
        _assert_exact(users)
        kallas.matters = [m for m in kallas.matters if m.id != ids["kallas"]]
        db.session.commit()
        assert _row(users, "editor", ids["kallas"])["state"] == "not_requested"
        _assert_exact(users)

        # Making a request private hides it from other reporters, not from its owner or editors.
        dallas = db.session.get(RecordsRequest, ids["Dallas OPR review"])
        dallas.private = True
        db.session.commit()
        assert _row(users, "other_reporter", ids["dallas"])["state"] == "not_requested"
        assert _row(users, "reporter", ids["dallas"])["state"] == "partly_disclosed"
        assert _row(users, "editor", ids["dallas"])["state"] == "partly_disclosed"
        _assert_exact(users)

        # Deleting a determination, then a whole request.
        db.session.delete(db.session.get(Determination, det.id))
        db.session.commit()
        _assert_exact(users)
        db.session.delete(db.session.get(RecordsRequest, ids["OIG corrective actions"]))
        db.session.commit()
        _assert_exact(users)


def test_a_read_inside_the_writing_transaction_sees_the_change(app, users, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
        _ledger(users["editor"])
        db.session.commit()
        req = db.session.get(RecordsRequest, ids["Death card ROI"])
        perform(req, "determine", users["reporter"], on=d("2026-11-25"), outcome="granted_in_full", pages_released=3)
        assert _row(users, "editor", ids["death"])["state"] == "disclosed"  # not yet committed
        db.session.rollback()
        assert _row(users, "editor", ids["death"])["state"] == "pending"
