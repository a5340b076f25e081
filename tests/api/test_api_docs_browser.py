"""The API documentation page draws the OpenAPI document with the vendored viewer, under the site's CSP, and a
logged-in user can try a call from it."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import make_agency
from tracker.api.openapi import document
from tracker.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_docs_page_draws_every_operation_without_errors(app, users, page):
    with app.app_context():
        make_agency()
        db.session.commit()
    problems = []
    page.on("console", lambda message: problems.append(f"{message.text} {message.location['url']}")
            if message.type == "error" and not message.location["url"].endswith("/favicon.ico") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: problems.append(f"outside request {request.url}")
            if not request.url.startswith(("http://127.0.0.1", "data:")) else None)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    page.login("reporter")
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert len(paths) == sum(len([m for m in item if m != "parameters"]) for item in document()["paths"].values())
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
    assert any("/requests/{request_id}/actions/{action}" in p.replace("\u200b", "") for p in paths)

    # Try a call with the session: the page sends its CSRF token with writes.
    block = page.locator("#operations-Deadlines-computeDeadline")
    block.locator(".opblock-summary").click()
    block.locator("button:has-text('Try it out')").click()
    block.locator("textarea.body-param__text").fill(
        '{"kind": "response", "jurisdiction": "US-DHS", "start": "2026-11-20"}')
    block.locator("button:has-text('Execute')").click()
    block.locator(".responses-table .response-col_status").first.wait_for()
    assert "2026-12-21" in block.locator(".live-responses-table").inner_text()
    assert problems == []
