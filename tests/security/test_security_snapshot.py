"""The corpus's proof that a refused post changed nothing is only as good as its snapshot: it must see a row
added, a value changed and a row removed, in any table, on either engine."""

from __future__ import annotations

from sqlalchemy import delete, update

from tests.security import corpus
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.extensions import db


def test_the_snapshot_sees_every_kind_of_change(app, users):
    with app.app_context():
        before = corpus.snapshot()
        assert corpus.changed(before, corpus.snapshot()) == []
        db.session.add(Agency(name="Office of Information Policy", abbreviation="OIP", jurisdiction="US"))
        db.session.commit()
        added = corpus.snapshot()
        assert "agencies" in corpus.changed(before, added)  # (and the menus' version, which its trigger moves)
        db.session.execute(update(Agency).values(notes="Seen in the directory."))
        db.session.commit()
        noted = corpus.snapshot()
        assert "agencies" in corpus.changed(added, noted)
        db.session.execute(update(User).where(User.id == users["reporter"]).values(name="Renamed Reporter"))
        db.session.execute(delete(Agency))
        db.session.commit()
        assert {"agencies", "users"} <= set(corpus.changed(noted, corpus.snapshot()))
