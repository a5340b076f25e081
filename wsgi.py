"""The WSGI entry point: `gunicorn wsgi:app`. The only module-level app."""

from tracker import create_app
from tracker.core.frozen_heap import settle_worker

app = create_app()
settle_worker()  # the app's objects live as long as the worker: out of the collector's full passes
