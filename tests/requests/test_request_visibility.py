"""Who may see and act on a request, person by person, including the cases a careless edit forgets: a
deactivated account (even an editor's, even the owner's) and the anonymous visitor."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from tests.helpers import make_agency, make_request
from tracker.auth.models import Role, User
from tracker.auth.permissions import require_admin, require_editor
from tracker.core.errors import Forbidden, NotFound
from tracker.extensions import db
from tracker.requests.access import can_act, can_view, check

# person: (may view the private request, may act on it, may view the public one, may act on it)
EXPECTED = {
    "owner": (True, True, True, True),
    "watcher": (True, True, True, True),
    "colleague": (False, False, True, False),
    "editor": (True, True, True, True),
    "admin": (True, True, True, True),
    "deactivated_owner": (False, False, False, False),
    "deactivated_editor": (False, False, False, False),
    "deactivated_watcher": (False, False, False, False),
    "anonymous": (False, False, False, False),
}


@pytest.fixture
def people(db, users):
    def person(name, role, active=True):
        user = User(name=name, email=f"{name}@test.example", role=role, active=active)
        user.password_hash = "x"
        db.session.add(user)
        return user

    made = {"owner": person("owner", Role.REPORTER), "watcher": person("watcher", Role.REPORTER),
            "colleague": person("colleague", Role.REPORTER), "editor": person("chief", Role.EDITOR),
            "admin": person("root", Role.ADMIN),
            "deactivated_editor": person("gone_editor", Role.EDITOR, active=False),
            "deactivated_watcher": person("gone_watcher", Role.REPORTER, active=False)}
    db.session.flush()
    agency = make_agency()
    private = make_request(made["owner"].id, agency, title="Private", private=True)
    public = make_request(made["owner"].id, agency, title="Public")
    for req in (private, public):
        req.watchers = [made["watcher"], made["deactivated_watcher"]]
    db.session.flush()
    made["anonymous"] = AnonymousUserMixin()
    return made, private, public


@pytest.mark.parametrize("who", list(EXPECTED))
def test_who_may_see_and_act(people, who):
    made, private, public = people
    if who == "deactivated_owner":
        made["owner"].active = False
    user = made["owner"] if who == "deactivated_owner" else made[who]
    got = (can_view(user, private), can_act(user, private), can_view(user, public), can_act(user, public))
    assert got == EXPECTED[who]


class refused:  # noqa: N801  (a context manager read like pytest.raises, but the message must match exactly)
    def __init__(self, message: str, kind: type = Forbidden):
        self.message, self.kind = message, kind

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        assert kind is self.kind, f"not refused: expected {self.kind.__name__} {self.message!r}"
        assert str(value) == self.message
        return True


HIDDEN = "There is no request with this id."  # the same answer as for an id that does not exist


@pytest.mark.parametrize("who", list(EXPECTED))
def test_access_check_hides_or_refuses_with_the_reason(people, who):
    made, private, public = people
    if who == "deactivated_owner":
        made["owner"].active = False
    user = made["owner"] if who == "deactivated_owner" else made[who]
    view_private, act_private, view_public, act_public = EXPECTED[who]
    for req, may_view, may_act in ((private, view_private, act_private), (public, view_public, act_public)):
        if may_view:
            check(user, req)
        else:
            with refused(HIDDEN, NotFound):
                check(user, req)
        if may_act:
            check(user, req, act=True)
        elif may_view:
            with refused("Only the request's owner, its watchers and editors can change it."):
                check(user, req, act=True)
        else:
            with refused(HIDDEN, NotFound):
                check(user, req, act=True)


def test_only_editors_and_admins_pass_the_role_checks(people):
    made, _, _ = people
    require_editor(made["editor"])
    require_editor(made["admin"])
    require_admin(made["admin"])
    with refused("Only editors can do this."):
        require_editor(made["owner"])
    with refused("Only administrators can do this."):
        require_admin(made["editor"])
    assert db.session.get(User, made["owner"].id).is_editor is False
