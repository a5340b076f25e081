"""A calendar feed URL works only while its holder may still have it: the newsroom feed only for an editor,
any feed only for an active account. Demoting or deactivating someone closes their feeds at once."""

from __future__ import annotations

import pytest

from tests.helpers import d, make_agency, make_request, perform
from tracker.auth.models import Role, User
from tracker.core.clock import now_utc
from tracker.core.errors import Forbidden
from tracker.extensions import db
from tracker.reminders import settings


def _feeds(app, users):
    with app.app_context():
        req = make_request(users["reporter"], make_agency(), title="Denver report")
        perform(req, "file", users["reporter"], on=d("2026-11-20"), channel="portal")
        editor = db.session.get(User, users["editor"])
        newsroom = settings.create_calendar_token(editor, scope="newsroom", now=now_utc())
        mine = settings.create_calendar_token(editor, scope="mine", now=now_utc())
        db.session.commit()
    return newsroom, mine


def _set(app, user_id, **values):
    with app.app_context():
        user = db.session.get(User, user_id)
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()


def test_the_newsroom_feed_stops_when_its_holder_is_no_longer_an_editor(app, client, users, frozen):
    newsroom, mine = _feeds(app, users)
    assert client.get(f"/calendar/{newsroom}.ics").status_code == 200
    assert b"Denver report" in client.get(f"/calendar/{newsroom}.ics").data
    _set(app, users["editor"], role=Role.REPORTER)
    assert client.get(f"/calendar/{newsroom}.ics").status_code == 404
    assert client.get(f"/calendar/{mine}.ics").status_code == 200  # their own feed still works
    _set(app, users["editor"], role=Role.ADMIN)
    assert client.get(f"/calendar/{newsroom}.ics").status_code == 200  # admins are editors too


def test_every_feed_stops_when_its_holder_is_deactivated(app, client, users, frozen):
    newsroom, mine = _feeds(app, users)
    _set(app, users["editor"], active=False)
    assert client.get(f"/calendar/{newsroom}.ics").status_code == 404
    assert client.get(f"/calendar/{mine}.ics").status_code == 404
    _set(app, users["editor"], active=True)
    assert client.get(f"/calendar/{mine}.ics").status_code == 200


def test_a_reporter_cannot_make_a_newsroom_feed(app, users, frozen):
    with app.app_context():
        with pytest.raises(Forbidden, match="Only editors can do this."):
            settings.create_calendar_token(db.session.get(User, users["reporter"]), scope="newsroom", now=now_utc())
