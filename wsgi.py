"""The WSGI entry point: `gunicorn wsgi:app`. The only module-level app."""

from tracker import create_app
from tracker.core.worker_heap import settle

app = create_app()
settle()  # the app's objects live as long as the worker: out of the collector's full passes (core/worker_heap.py)
