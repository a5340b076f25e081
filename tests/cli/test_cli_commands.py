"""The `tracker` command line."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.extensions import db
from tracker.matters.models import Matter, Source
from tracker.requests.models import Event, RecordsRequest


def counts():
    return [db.session.scalar(select(func.count()).select_from(m)) for m in
            (User, Agency, Matter, Source, RecordsRequest, Event)]


def test_seed_demo_twice_changes_nothing(app, frozen):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "editor@newsroom.example" in first.output and "password:" in first.output
    with app.app_context():
        before = counts()
        # six requests on their own, three in one batch, and the one ICE referred to DHS OIG
        assert before[2] == 5 and before[4] == 10
        statuses = set(db.session.scalars(select(RecordsRequest.status)))
        assert {"draft", "acknowledged", "determined", "appealed", "awaiting_clarification"} <= statuses
        db.session.remove()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "nothing changed" in second.output
    with app.app_context():
        assert counts() == before


def test_deadline_command_prints_date_and_steps(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["deadline", "US-DHS", "2026-11-20"])
    assert result.exit_code == 0
    assert result.output.strip() == "Response due: 2026-12-21"
    result = runner.invoke(args=["deadline", "US-DHS", "2026-11-20", "--extended", "--tolled",
                                 "2026-12-01:2026-12-09", "--appeal", "2026-12-01", "--explain"])
    assert result.exit_code == 0, result.output
    assert "Thanksgiving" in result.output
    assert "Last day to appeal:" in result.output
    bad = runner.invoke(args=["deadline", "US-XX", "2026-11-20"])
    assert bad.exit_code != 0 and "US-XX" in bad.output
    bad = runner.invoke(args=["deadline", "US", "2026-11-20", "--tolled", "nonsense"])
    assert bad.exit_code != 0 and "FROM:TO" in bad.output


def test_create_user(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--name", "New Person", "--email", "New@Example.org",
                                 "--role", "editor", "--password", "long enough password"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["create-user", "--name", "X", "--email", "new@example.org",
                                "--password", "long enough password"])
    assert again.exit_code != 0 and "already exists" in again.output
