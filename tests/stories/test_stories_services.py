"""Stories through the real services and database: recorded on a request or a matter, checked, changed,
removed; the ledger's published state and filter; the year's count for the board."""

from __future__ import annotations

from datetime import date

import pytest

from tests.stories import world
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.core.errors import Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.ledger import queries as ledger
from tracker.matters.models import Matter
from tracker.requests.models import RecordsRequest
from tracker.stories import queries, services
from tracker.stories.models import Story

GOOD = dict(headline="ICE hid the Otero findings", url="https://news.example/otero", published_on=date(2026, 11, 20))


def _user(users, key):
    return db.session.get(User, users[key])


def _record(users, who="reporter", *, on="public", **changes):
    ids = _ids
    target = {"request": db.session.get(RecordsRequest, ids[on])} if on in ("public", "private", "elsewhere") \
        else {"matter": db.session.get(Matter, ids[on])}
    story = services.record_story(services.StoryInput(**{**GOOD, **changes}), actor=_user(users, who),
                                  now=now_utc(), today=today(), **target)
    db.session.commit()
    return story


_ids: dict = {}


@pytest.fixture
def built(app, users, frozen):
    with app.app_context():
        _ids.clear()
        _ids.update(world.build(users))
        yield _ids


def test_a_story_on_a_request_makes_its_matter_published(built, users):
    reporter = _user(users, "reporter")
    before = ledger.matter_row(reporter, built["death"], today())
    assert before["published"] is False and before["stories"] == 0
    story = _record(users, document_ids=[built["report_pdf"]])
    assert [d.id for d in story.documents] == [built["report_pdf"]]
    row = ledger.matter_row(reporter, built["death"], today())
    assert row["published"] is True and row["stories"] == 1
    assert row["latest_story"]["headline"] == "ICE hid the Otero findings"
    assert ledger.matter_row(reporter, built["other"], today())["published"] is False


def test_the_ledger_filters_published_and_not_published(built, users):
    _record(users)
    editor = _user(users, "editor")
    yes = ledger.ledger_rows(editor, ledger.LedgerFilters.from_args({"published": "yes"}), today())
    no = ledger.ledger_rows(editor, ledger.LedgerFilters.from_args({"published": "no"}), today())
    assert [r["id"] for r in yes] == [built["death"]]
    assert [r["id"] for r in no] == [built["other"]]
    assert ledger.LedgerFilters.from_args({"published": "maybe"}).published == ""


def test_a_story_of_a_private_request_counts_only_for_those_who_may_see_it(built, users):
    _record(users, "other_reporter", on="private", document_ids=[built["private_pdf"]])
    assert ledger.matter_row(_user(users, "reporter"), built["death"], today())["published"] is False
    assert ledger.matter_row(_user(users, "other_reporter"), built["death"], today())["published"] is True
    assert ledger.matter_row(_user(users, "editor"), built["death"], today())["published"] is True
    reporter_rows = ledger.ledger_rows(_user(users, "reporter"), ledger.LedgerFilters(published="yes"), today())
    assert reporter_rows == []
    matter = db.session.get(Matter, built["death"])
    assert queries.stories_of_matter(_user(users, "reporter"), matter) == []


def test_a_story_on_a_matter_names_documents_of_its_requests(built, users):
    story = _record(users, on="death", document_ids=[built["report_pdf"]])
    assert story.matters[0].id == built["death"] and story.requests == []
    assert ledger.matter_row(_user(users, "other_reporter"), built["death"], today())["published"] is True


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"url": "ftp://news.example/x"}, "url", "http:// or https://"),
    ({"url": "javascript:alert(1)"}, "url", "http:// or https://"),
    ({"url": ""}, "url", "web address"),
    ({"headline": "   "}, "headline", "headline"),
    ({"published_on": date(2026, 12, 1)}, "published_on", "cannot be published after today"),
    ({"published_on": None}, "published_on", "Give the day"),
    ({"headline": "x" * 301}, "headline", "Too long"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(built, users, changes, field, message):
    with pytest.raises(ValidationFailed) as refused:
        _record(users, **changes)
    assert message in refused.value.fields[field]
    db.session.rollback()
    assert db.session.query(Story).count() == 0


def test_a_document_of_another_request_is_refused(built, users):
    with pytest.raises(ValidationFailed) as refused:
        _record(users, document_ids=[built["krome_pdf"]])
    assert "belongs to another request" in refused.value.fields["document_ids"]
    db.session.rollback()
    with pytest.raises(ValidationFailed) as refused:  # a matter's story: only documents of its own requests
        _record(users, on="death", document_ids=[built["krome_pdf"]])
    assert "belongs to another request" in refused.value.fields["document_ids"]
    db.session.rollback()
    with pytest.raises(ValidationFailed):  # nor of a private request of the matter the reporter may not see
        _record(users, on="death", document_ids=[built["private_pdf"]])


def test_who_may_record_change_and_remove(built, users):
    with pytest.raises(Forbidden):  # another reporter may see the public request but not act on it
        _record(users, "other_reporter")
    db.session.rollback()
    with pytest.raises(NotFound):  # nor see the private one of a colleague
        _record(users, "reporter", on="private")
    db.session.rollback()
    with pytest.raises(Forbidden):  # a matter: its recorder and editors
        _record(users, "other_reporter", on="death")
    db.session.rollback()
    story = _record(users)
    with pytest.raises(Forbidden):
        services.update_story(story, services.StoryInput(**GOOD), actor=_user(users, "other_reporter"),
                              now=now_utc(), today=today())
    db.session.rollback()
    services.update_story(story, services.StoryInput(**{**GOOD, "headline": "Corrected"}),
                          actor=_user(users, "editor"), now=now_utc(), today=today())
    db.session.commit()
    assert db.session.get(Story, story.id).headline == "Corrected"
    services.remove_story(db.session.get(Story, story.id), actor=_user(users, "reporter"), now=now_utc())
    db.session.commit()
    assert db.session.query(Story).count() == 0
    assert ledger.matter_row(_user(users, "reporter"), built["death"], today())["published"] is False


def test_stories_published_in_a_year(built, users):
    _record(users)
    _record(users, published_on=date(2025, 12, 31))
    _record(users, on="death", published_on=date(2026, 1, 1))
    assert queries.stories_published_in(2026) == 2
    assert queries.stories_published_in(2025) == 1
    assert queries.stories_published_in(2024) == 0


def test_a_change_keeps_the_documents_the_changer_may_not_see(built, users):
    matter = db.session.get(Matter, built["death"])
    story = services.record_story(services.StoryInput(**GOOD, document_ids=[built["report_pdf"], built["private_pdf"]]),
                                  actor=_user(users, "editor"), now=now_utc(), today=today(), matter=matter)
    db.session.commit()
    services.update_story(story, services.StoryInput(**{**GOOD, "headline": "Changed"}),  # the matter's recorder
                          actor=_user(users, "reporter"), now=now_utc(), today=today())
    db.session.commit()
    assert [a.id for a in db.session.get(Story, story.id).documents] == [built["private_pdf"]]
