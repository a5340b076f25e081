"""Fixtures for the letters' app tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def storage(app):
    from tracker.core.storage import DirectoryStorage

    return DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"])
