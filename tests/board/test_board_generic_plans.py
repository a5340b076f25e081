"""On PostgreSQL the board's statements run on their generic plans (core/plans.py), for its transaction only."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.board import scenario
from tracker.auth.models import User
from tracker.board import queries
from tracker.core.clock import today
from tracker.extensions import db

SETTING = text("SELECT current_setting('plan_cache_mode')")


def test_the_board_runs_on_generic_plans_for_its_transaction_only(app, users, frozen):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("plans are PostgreSQL's")
        scenario.build(users)
        db.session.commit()
        assert db.session.scalar(SETTING) == "auto"
        queries.board(db.session.get(User, users["reporter"]), queries.BoardFilters(), today())
        assert db.session.scalar(SETTING) == "force_generic_plan"
        db.session.commit()
        assert db.session.scalar(SETTING) == "auto"
