"""Dates at the ends of the calendar, where the forms accept them (records ranges, a matter's span, a source's
date, a letter's range; follow-up days and the date the agency wants our answer up to 2040, the engine's last
year) and a request filed on the earliest day the law engine knows: every page, export, feed, letter and the
reminder scan still work."""

from __future__ import annotations

import pytest

from tests.security import world as world_module
from tests.security.test_security_matrix import MATRIX
from tracker.reminders.scan import scan_reminders


def _post(client, csrf, url, data):
    response = client.post(url, data={"csrf_token": csrf, **data})
    assert response.status_code < 500, (url, response.status_code)
    return response


@pytest.mark.parametrize("low, high", [("0001-01-01", "9999-12-31"), ("2000-01-01", "2999-12-31")])
def test_pages_survive_extreme_dates(app, world, low, high):
    client, csrf = world_module.login(app, "reporter")
    fields = {"title": "Edge of time", "agency_id": world.ids["agency"], "fee_category": "news_media",
              "expedited_category": "", "records_from": low, "records_to": high, "follow_up_on": high,
              "matter_ids": [world.ids["matter"]], "fee_limit": "0.001"}
    refused = _post(client, csrf, "/requests/new", fields)  # a follow-up past the engine's years: check the year
    assert refused.status_code == 422 and "check the year" in refused.get_data(as_text=True)
    planned = "2040-12-31"  # the last day a follow-up or our answer may be set for
    response = _post(client, csrf, "/requests/new", {**fields, "follow_up_on": planned})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    req = int(response.headers["Location"].rsplit("/", 1)[1])
    _post(client, csrf, f"/requests/{req}/actions/file", {"on": "2000-01-01", "channel": "mail"})
    _post(client, csrf, f"/requests/{req}/actions/acknowledge", {"on": "2000-01-03", "received_on": "2000-01-03"})
    _post(client, csrf, f"/requests/{req}/actions/request_clarification",
          {"on": "2000-01-04", "our_answer_due_on": planned})
    _post(client, csrf, world.fmt("/requests/{private}/actions/appeal"), {"on": "2026-11-30"})
    _post(client, csrf, world.fmt("/matters/{matter}/edit"), {
        "title": "Denver death card inquiry", "category": "administrative", "began_on": low, "ended_on": high})
    _post(client, csrf, world.fmt("/matters/{matter}/sources"), {"title": "Old", "published_on": low})
    _post(client, csrf, f"/requests/{req}/letters/new/foia_request", {
        "do": "generate", "channel": "portal", "requester_name": "R", "requester_email": "r@test.example",
        "records_description": "Everything.", "date_range_start": low, "date_range_end": high})
    with app.app_context():
        scan_reminders()
    editor, _ = world_module.login(app, "editor")
    urls = [world.fmt(url) for route, cases in MATRIX.items() if route.startswith("GET ") for url, _ in cases]
    urls += [f"/requests/{req}", f"/requests/{req}/edit", f"/requests/{req}/letters/new/foia_request",
             f"/api/v1/requests/{req}", f"/requests/{req}/actions/answer_clarification", "/board?column=us"]
    token = {"Authorization": f"Bearer {world.api['editor']}"}
    failures = []
    for url in urls:
        try:
            response = editor.get(url, headers=token if url.startswith("/api/") else {})
            response.get_data()
            status = response.status_code
        except Exception as exc:  # noqa: BLE001  (under TESTING the client raises what would be a 500)
            status = f"{type(exc).__name__}: {exc}"
        if not isinstance(status, int) or status >= 500:
            failures.append(f"{url}: {status}")
    assert not failures, "\n".join(failures)
