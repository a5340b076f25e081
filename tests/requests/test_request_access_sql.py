"""Who sees which request when the rule runs inside the database (lists, searches, feeds, exports, the
ledger), person by person: the same answer as the request page's own check, for a watcher, a colleague, an
editor, a deactivated account and the anonymous visitor."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from tests.helpers import make_agency, make_matter, make_request
from tracker.auth.models import Role, User
from tracker.core.clock import today
from tracker.extensions import db
from tracker.ledger import queries as ledger
from tracker.requests.access import (
    can_view,
    hidden_ids_sql,
    viewer_kind,
    visible_sql,
    visible_to,
    watched_private_of_others_sql,
)
from tracker.requests.models import RecordsRequest

# person: the requests they may read
SEES = {
    "owner": {"private_watched", "private_unwatched", "public_watched"},
    "watcher": {"private_watched", "public_watched"},
    "colleague": {"public_watched", "colleague_private"},
    "editor": {"private_watched", "private_unwatched", "public_watched", "colleague_private"},
    "admin": {"private_watched", "private_unwatched", "public_watched", "colleague_private"},
    "deactivated_watcher": set(),
    "deactivated_editor": set(),
    "anonymous": set(),
}


@pytest.fixture
def newsroom(db, users):
    def person(name, role, active=True):
        user = User(name=name, email=f"{name}@test.example", role=role, active=active)
        user.password_hash = "x"
        db.session.add(user)
        return user

    people = {"owner": person("owner", Role.REPORTER), "watcher": person("watcher", Role.REPORTER),
              "colleague": person("colleague", Role.REPORTER), "editor": person("chief", Role.EDITOR),
              "admin": person("root", Role.ADMIN),
              "deactivated_watcher": person("gone_watcher", Role.REPORTER, active=False),
              "deactivated_editor": person("gone_editor", Role.EDITOR, active=False)}
    db.session.flush()
    agency, matter = make_agency(), make_matter()
    owner, colleague = people["owner"].id, people["colleague"].id
    requests = {
        "private_watched": make_request(owner, agency, title="Watched secret", private=True, matter_ids=[matter.id]),
        "private_unwatched": make_request(owner, agency, title="Unwatched secret", private=True,
                                          matter_ids=[matter.id]),
        "public_watched": make_request(owner, agency, title="Newsroom-wide", matter_ids=[matter.id]),
        "colleague_private": make_request(colleague, agency, title="Colleague's secret", private=True,
                                          matter_ids=[matter.id]),
    }
    for name in ("private_watched", "public_watched"):
        requests[name].watchers = [people["watcher"], people["deactivated_watcher"]]
    db.session.commit()
    people["anonymous"] = AnonymousUserMixin()
    return people, requests, matter


def _names(requests, ids) -> set[str]:
    return {name for name, req in requests.items() if req.id in ids}


@pytest.mark.parametrize("who", list(SEES))
def test_the_database_shows_each_person_what_the_request_page_would(newsroom, who):
    people, requests, _ = newsroom
    user = people[who]
    found = set(db.session.scalars(select(RecordsRequest.id).where(visible_to(user))))
    assert _names(requests, found) == SEES[who]
    assert {name for name, req in requests.items() if can_view(user, req)} == SEES[who]


@pytest.mark.parametrize("who", list(SEES))
def test_a_statement_built_once_shows_each_viewer_their_own_requests(newsroom, who):
    """The viewer's id left as a parameter (statements built once per kind of viewer, run for many)."""
    people, requests, _ = newsroom
    user = people[who]
    statement = select(RecordsRequest.id).where(visible_sql(viewer_kind(user)))
    found = set(db.session.scalars(statement, {"viewer_id": getattr(user, "id", None)}))
    assert _names(requests, found) == SEES[who]


@pytest.mark.parametrize("who", list(SEES))
def test_the_requests_hidden_from_a_viewer_are_exactly_the_others(newsroom, who):
    """hidden_ids_sql, for `NOT IN` (the search's visibility on PostgreSQL): every request the rule does not show."""
    people, requests, _ = newsroom
    user = people[who]
    hidden = set(db.session.scalars(hidden_ids_sql(viewer_kind(user)), {"viewer_id": getattr(user, "id", None)}))
    assert _names(requests, hidden) == set(requests) - SEES[who]


@pytest.mark.parametrize("who, watched", [("owner", set()), ("watcher", {"private_watched"}),
                                          ("colleague", set()), ("deactivated_watcher", {"private_watched"})])
def test_private_requests_seen_only_by_watching_them(newsroom, who, watched):
    """The part of a reporter's private requests the ledger counts live: watched, private, someone else's."""
    people, requests, _ = newsroom
    statement = select(RecordsRequest.id).where(watched_private_of_others_sql())
    found = set(db.session.scalars(statement, {"viewer_id": people[who].id}))
    assert _names(requests, found) == watched


@pytest.mark.parametrize("who", ["owner", "watcher", "colleague", "editor", "deactivated_watcher"])
def test_the_ledger_counts_the_requests_each_person_may_see(newsroom, who):
    people, requests, matter = newsroom
    row = ledger.matter_row(people[who], matter.id, today())
    assert row["requests"]["drafts"] == len(SEES[who])
