"""Fixtures of the security tests: the world (see world.py), built once per test with the clock frozen."""

from __future__ import annotations

import pytest

from tests.security import world as world_module


@pytest.fixture
def world(app, users, password_hash, frozen):
    with app.app_context():
        built = world_module.build(users, password_hash)
    return built
