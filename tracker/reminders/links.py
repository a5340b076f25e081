"""Absolute links for emails and calendar feeds, built outside any web request.

TRACKER_BASE_URL (e.g. https://tracker.newsroom.org, or with a path prefix) plus the route's path, so
no SERVER_NAME is needed and the scheduler process builds the same links as the web.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

# Where the letters module offers the follow-up letter (the status inquiry fits federal requests); other
# requests get the request's letters page. Without the letters module: the request page.
FOLLOW_UP_LETTER = ("letters.compose", {"kind": "status_inquiry"})
LETTERS_PAGE = "letters.index"


def path_for(endpoint: str, **values) -> str:
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return adapter.build(endpoint, values, force_external=False)


def absolute(endpoint: str, **values) -> str:
    return current_app.config["TRACKER_BASE_URL"].rstrip("/") + path_for(endpoint, **values)


def request_url(request_id: int) -> str:
    return absolute("requests.show", request_id=request_id)


def follow_up_letter_url(request_id: int, *, federal: bool = True) -> str:
    endpoint, extra = FOLLOW_UP_LETTER
    views = current_app.view_functions
    if federal and endpoint in views:
        return absolute(endpoint, request_id=request_id, **extra)
    if LETTERS_PAGE in views:
        return absolute(LETTERS_PAGE, request_id=request_id)
    return request_url(request_id)


def mail_domain() -> str:
    """The domain for Message-IDs and calendar UIDs: the sender's, else the site's."""
    sender = current_app.config.get("TRACKER_MAIL_FROM", "")
    if "@" in sender:
        return sender.rsplit("@", 1)[1].strip(" >") or "tracker.invalid"
    return urlsplit(current_app.config["TRACKER_BASE_URL"]).hostname or "tracker.invalid"
