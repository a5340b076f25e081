"""A form sent back with errors answers 422 with the message beside the field, and saves nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.helpers import csrf_token
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.extensions import db
from tracker.matters.models import Matter

CASES = [
    # (who, form page, fields, the message shown, what must not have been saved)
    ("admin", "/agencies/new", {"name": "", "jurisdiction": "US-DHS"}, "This field is required.", Agency),
    ("editor", "/matters/new", {"title": "", "category": "criminal"}, "This field is required.", Matter),
    ("admin", "/users/new", {"name": "New Reporter", "email": "not an address", "role": "reporter",
                             "password": "long enough password"}, "Invalid email address.", User),
    ("admin", "/users/new", {"name": "New Reporter", "email": "new@newsroom.example", "role": "reporter",
                             "password": ""}, "Set a password for the new user.", User),
]


@pytest.mark.parametrize(("who", "url", "fields", "message", "model"), CASES)
def test_a_refused_form_answers_422_and_saves_nothing(app, client, auth, users, who, url, fields, message, model):
    auth.login(who)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(model))
    response = client.post(url, data={"csrf_token": csrf_token(client, url), **fields})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(model)) == before


def test_the_form_page_itself_answers_200(client, auth, users):
    auth.login("admin")
    for url in ("/agencies/new", "/matters/new", "/users/new", "/requests/new"):
        assert client.get(url).status_code == 200, url


def test_every_message_of_a_refusal_is_shown_somewhere():
    from wtforms import Form, StringField

    from tracker.core.errors import TrackerError
    from tracker.core.handlers import place_errors

    class Small(Form):
        title = StringField()

    both = Small()
    place_errors(both, TrackerError("The request has errors.", {"title": "Give it a title.", "nowhere": "Odd."}))
    assert (both.title.errors, both.form_errors) == (["Give it a title."], ["Odd."])
    none_fit = Small()
    place_errors(none_fit, TrackerError("Refused for a reason.", {"nowhere": "Odd."}))
    assert (list(none_fit.title.errors), none_fit.form_errors) == ([], ["Refused for a reason.", "Odd."])
    bare = Small()
    place_errors(bare, TrackerError("Refused for a reason."))
    assert bare.form_errors == ["Refused for a reason."]
