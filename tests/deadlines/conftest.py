"""Fixtures for the deadline engine's tests: the engine is pure, so no app or database here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tracker.deadlines import configure


@pytest.fixture(autouse=True)
def clean_db():
    """Nothing here touches the database: no app to build, no tables to empty (each mutant runs these afresh)."""
    yield


@pytest.fixture
def restore_config() -> Iterator[None]:
    """For tests that call configure(): put the packaged rules back afterwards."""
    configure()
    yield
    configure()
