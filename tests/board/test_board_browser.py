"""In a real Chromium: the board, its filters, a card moving at the next refresh, the wall-screen link
opened logged out, and the ledger CSV. Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.board import scenario
from tests.matters import ledger_scenario

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _card(page, request_id: int):
    return page.locator(f"article.card[data-request-id='{request_id}']")


def test_editor_follows_the_board_and_shares_it_on_a_wall(app, users, page, browser, live_server, frozen):
    with app.app_context():
        ids = scenario.build(users)
    ARTIFACTS.mkdir(exist_ok=True)
    app.config["TRACKER_BOARD_REFRESH_SECONDS"] = 1  # the real board waits 60 s
    try:
        page.login("editor")
        page.click("nav >> text=Board")
        page.wait_for_url("**/board")
        assert _card(page, ids["late"]).locator("xpath=ancestor::section").get_attribute("data-column") == "overdue"
        assert "exhausted: may sue" in _card(page, ids["late"]).inner_text()
        page.screenshot(path=str(ARTIFACTS / "board.png"), full_page=True)
        page.click("text=Agency scorecards")
        page.wait_for_url("**/board/agencies")
        page.locator("svg.chart").first.wait_for()
        assert page.locator("svg.chart").count() >= 4
        page.screenshot(path=str(ARTIFACTS / "board-scorecards.png"), full_page=True)
        page.go_back()

        # Filters apply as soon as they change, and stay in the URL.
        page.select_option("select[name=agency_id]", label="ICE FOIA Office (ICE)")
        page.wait_for_url(f"**/board?*agency_id={ids['ice']}*")
        assert _card(page, ids["state_req"]).count() == 0 and _card(page, ids["late"]).count() == 1

        # A determination recorded elsewhere moves the card at the next refresh, without a reload.
        page.evaluate("window.__sameDocument = true")
        other = page.context.new_page()
        other.goto(f"/requests/{ids['late']}/actions/determine")
        other.fill("#on", "2026-11-30")
        other.select_option("#outcome", "denied")
        other.check("input[name=exemptions][value=b6]")
        other.check("input[name=exemptions][value=b7C]")
        other.click("button[type=submit]:has-text('Record a determination')")
        other.wait_for_url(f"**/requests/{ids['late']}")
        other.close()
        page.wait_for_selector(f"section[data-column=us] article.card[data-request-id='{ids['late']}']", timeout=10_000)
        assert page.evaluate("window.__sameDocument") is True  # refreshed in place, not reloaded
        assert "overdue" not in _card(page, ids["late"]).inner_text()
        page.screenshot(path=str(ARTIFACTS / "board-after-determination.png"), full_page=True)

        # An editor makes a wall-screen link...
        page.click("text=Share on a screen")
        page.fill("#label", "Newsroom wall, 3rd floor")
        page.click("button:has-text('Make the link')")
        link = page.locator("[data-testid=new-link]").input_value()
        assert "/board/shared/" in link
        page.screenshot(path=str(ARTIFACTS / "board-shares.png"), full_page=True)

        # ...which a screen opens without logging in: public requests of ICE only, big type, no chrome.
        wall = browser.new_context(base_url=live_server, viewport={"width": 1920, "height": 1080})
        screen = wall.new_page()
        screen.goto(link.replace("http://localhost", live_server))
        assert screen.locator("body.tv").count() == 1 and screen.locator("header.topbar").count() == 0
        assert screen.locator(f"article.card[data-request-id='{ids['secret']}']").count() == 0
        assert screen.locator(f"article.card[data-request-id='{ids['paused']}']").count() == 1
        assert "SECRET NOTE" not in screen.content()
        screen.screenshot(path=str(ARTIFACTS / "board-wall-screen.png"), full_page=True)

        # Revoked, the screen stops showing the board at its next refresh.
        page.goto("/board/shares")
        page.click("button:has-text('Revoke')")
        screen.wait_for_selector("text=This board link does not work", timeout=10_000)
        assert screen.locator("article.card").count() == 0
        wall.close()
    finally:
        app.config.pop("TRACKER_BOARD_REFRESH_SECONDS", None)


def test_editor_downloads_the_ledger_csv(app, users, page, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
    ARTIFACTS.mkdir(exist_ok=True)
    page.login("editor")
    page.click("nav >> text=Matters")
    page.wait_for_url("**/matters")
    assert "Withheld" in page.locator(f"tr[data-matter-id='{ids['kallas']}']").inner_text()
    page.screenshot(path=str(ARTIFACTS / "ledger.png"), full_page=True)
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    assert download.value.suggested_filename == "opr-matters-ledger-2026-11-30.csv"
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == 6
    assert {r["Disclosure state"] for r in rows} == {"Withheld", "Partly disclosed", "Requested, pending",
                                                      "Disclosed", "Not yet requested"}
    page.click(f"tr[data-matter-id='{ids['dallas']}'] a")
    assert "Withheld under (b)(6), (b)(7)(C), (b)(7)(E)" in page.locator("[data-testid=remaining]").inner_text()
    page.screenshot(path=str(ARTIFACTS / "matter.png"), full_page=True)
