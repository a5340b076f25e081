"""Links that reminders and calendar feeds put in their mail and events: the request page, the follow-up
letter. Absolute, built outside any web request (core.mail.absolute)."""

from __future__ import annotations

from flask import current_app

from tracker.core.mail import absolute

# Where the letters module offers the follow-up letter (the status inquiry fits federal requests); other
# requests get the request's letters page. Without the letters module: the request page.
FOLLOW_UP_LETTER = ("letters.compose", {"kind": "status_inquiry"})
LETTERS_PAGE = "letters.index"


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


