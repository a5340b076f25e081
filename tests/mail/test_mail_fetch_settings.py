"""The fetch's batch (messages stored and committed together, then flagged on the server) is its own setting,
TRACKER_IMAP_BATCH, apart from the reminder sender's TRACKER_MAIL_BATCH."""

from __future__ import annotations

import pytest

from tracker.config import ConfigError, load_config


def test_the_fetch_batch_comes_from_its_own_setting(monkeypatch, tmp_path):
    monkeypatch.delenv("TRACKER_IMAP_BATCH", raising=False)
    monkeypatch.setenv("TRACKER_MAIL_BATCH", "7")
    config = load_config(str(tmp_path))
    assert (config["TRACKER_IMAP_BATCH"], config["TRACKER_MAIL_BATCH"]) == (50, 7)
    monkeypatch.setenv("TRACKER_IMAP_BATCH", "12")
    assert load_config(str(tmp_path))["TRACKER_IMAP_BATCH"] == 12
    monkeypatch.setenv("TRACKER_IMAP_BATCH", "lots")
    with pytest.raises(ConfigError, match="TRACKER_IMAP_BATCH='lots' is not a whole number"):
        load_config(str(tmp_path))
    monkeypatch.setenv("TRACKER_IMAP_BATCH", "0")
    with pytest.raises(ConfigError, match="TRACKER_IMAP_BATCH must be at least 1"):
        load_config(str(tmp_path))
