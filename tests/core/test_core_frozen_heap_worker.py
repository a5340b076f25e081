"""A web worker settles its garbage collector once its app is built: the startup heap frozen out of full
collections, young objects collected every frozen_heap.YOUNG_THRESHOLD allocations rather than every 700."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from tracker.core import frozen_heap

ROOT = Path(__file__).resolve().parents[2]


def test_the_wsgi_app_is_built_with_its_heap_frozen_and_a_wider_young_generation(tmp_path):
    env = {**os.environ, "TRACKER_SECRET_KEY": "heap", "TRACKER_UPLOAD_DIR": str(tmp_path / "uploads"),
           "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'heap.sqlite'}"}
    probe = "import gc, json, wsgi; print(json.dumps([gc.get_freeze_count(), gc.get_threshold()]))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True).stdout
    frozen, threshold = json.loads(out.strip().splitlines()[-1])
    assert frozen > 10_000  # the app, SQLAlchemy's mappers, the modules: not walked by every full collection
    assert threshold[0] == frozen_heap.YOUNG_THRESHOLD and threshold[1:] == list(gc.get_threshold()[1:])


def test_settle_keeps_the_older_generations_thresholds():
    before = gc.get_threshold()
    try:
        frozen_heap.settle_worker()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (frozen_heap.YOUNG_THRESHOLD, *before[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
