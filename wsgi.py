"""The WSGI entry point: `gunicorn wsgi:app`. The only module-level app."""

from tracker import create_app
from tracker.core.frozen_heap import settle_worker
from tracker.warm import warm_worker

app = create_app()
warm_worker(app)  # templates compiled and deadline calendars built before the first request, not during it
settle_worker()  # the app's objects live as long as the worker: out of the collector's full passes
