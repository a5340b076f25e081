"""Fixtures for the deadline engine's tests: the engine is pure, so no app or database here."""

from __future__ import annotations

import os
from collections.abc import Iterator

import holidays
import pytest

from tracker.deadlines import configure, registry

# bin/mutation sets this: mutmut forks every mutant's test run from one process that has collected the tests.
MUTATION = bool(os.environ.get("TRACKER_MUTATION"))


@pytest.fixture(autouse=True)
def clean_db():
    """Nothing here touches the database: no app to build, no tables to empty (each mutant runs these afresh)."""
    yield


@pytest.fixture(autouse=True, scope="session")
def cold_engine_per_run() -> Iterator[None]:
    """Under mutation testing, each run of the tests starts with the engine's caches empty.

    mutmut forks every mutant's run from one process that has collected the tests, and collection loads the
    rules (test modules list the jurisdictions): a mutant would inherit rules, calendars and response tables
    built by the unmutated code. The `holidays` package's answer is the same on every call, so it is
    remembered (it is not under test, and it is much of a calendar's cost).
    """
    if not MUTATION:
        yield
        return
    _empty_caches()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(holidays, "country_holidays", _remembered_country_holidays)
        yield


@pytest.fixture(autouse=True)
def cold_engine_per_test() -> None:
    """While mutmut records which tests run which functions ("stats"), every test starts cold, so a function
    that builds a cache is tied to every test that uses the cache, not only to the first one."""
    if MUTATION and os.environ.get("MUTANT_UNDER_TEST") == "stats":
        _empty_caches()


def _empty_caches() -> None:
    registry._rules = None
    registry._calendars.clear()
    registry._by_spec.clear()
    for table in registry.RESPONSE_TABLES:
        table.clear()


_HOLIDAYS: dict[str, object] = {}
_country_holidays = holidays.country_holidays


def _remembered_country_holidays(*args, **kwargs):
    key = repr((args, sorted(kwargs.items())))
    if key not in _HOLIDAYS:
        _HOLIDAYS[key] = _country_holidays(*args, **kwargs)
    return _HOLIDAYS[key]


@pytest.fixture
def restore_config() -> Iterator[None]:
    """For tests that call configure(): put the packaged rules back afterwards."""
    configure()
    yield
    configure()
