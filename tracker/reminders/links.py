"""Absolute links for emails and calendar feeds, built outside any web request.

TRACKER_BASE_URL (e.g. https://tracker.newsroom.org, or with a path prefix) plus the route's path, so
no SERVER_NAME is needed and the scheduler process builds the same links as the web.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

# Where the letters module may offer the follow-up letter, most specific first; the first endpoint that
# exists is used, otherwise the request page (its letters are reached from there).
FOLLOW_UP_ENDPOINTS = (
    ("letters.new_letter", {"kind": "status_inquiry"}),
    ("letters.new", {"kind": "status_inquiry"}),
    ("letters.compose", {"kind": "status_inquiry"}),
    ("letters.choose", {}),
)


def path_for(endpoint: str, **values) -> str:
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return adapter.build(endpoint, values, force_external=False)


def absolute(endpoint: str, **values) -> str:
    return current_app.config["TRACKER_BASE_URL"].rstrip("/") + path_for(endpoint, **values)


def request_url(request_id: int) -> str:
    return absolute("requests.show", request_id=request_id)


def follow_up_letter_url(request_id: int) -> str:
    for endpoint, extra in FOLLOW_UP_ENDPOINTS:
        if endpoint in current_app.view_functions:
            try:
                return absolute(endpoint, request_id=request_id, **extra)
            except Exception:  # noqa: BLE001  (a route with other arguments: try the next)
                continue
    return request_url(request_id)


def mail_domain() -> str:
    """The domain for Message-IDs and calendar UIDs: the sender's, else the site's."""
    sender = current_app.config.get("TRACKER_MAIL_FROM", "")
    if "@" in sender:
        return sender.rsplit("@", 1)[1].strip(" >") or "tracker.invalid"
    return urlsplit(current_app.config["TRACKER_BASE_URL"]).hostname or "tracker.invalid"
