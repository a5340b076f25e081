"""The wall screen: whoever signed it in, it shows no private request; it fits 1920x1080 and 3840x2160 without
scrolling the page; a column with more cards than fit turns its own pages; the time of the last refresh shows."""

from __future__ import annotations

import time

import pytest

from tests.helpers import d, make_agency, make_request, perform

pytestmark = pytest.mark.slow


def _newsroom(app, users) -> None:
    from tracker.extensions import db

    with app.app_context():
        agency = make_agency()
        for n in range(24):  # more overdue cards than a column holds on one screen
            req = make_request(users["reporter"], agency, title=f"Overdue request number {n + 1}")
            perform(req, "file", users["reporter"], on=d("2026-09-01"), channel="portal")
        secret = make_request(users["editor"], agency, title="Secret source request", private=True)
        perform(secret, "file", users["editor"], on=d("2026-09-01"), channel="portal")
        db.session.commit()


@pytest.mark.parametrize("width,height", [(1920, 1080), (3840, 2160)])
def test_wall_screen_fits_pages_its_columns_and_hides_private_requests(app, users, browser, live_server, frozen,
                                                                         width, height):
    _newsroom(app, users)
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.goto("/login")
    tab.fill("input[name=email]", "editor@test.example")
    tab.fill("input[name=password]", "correct horse battery staple")
    tab.click("button[type=submit]")
    tab.wait_for_url("**/requests")
    tab.clock.install()
    tab.goto("/board?tv=1")

    text = tab.locator("body").inner_text()
    assert "Secret source request" not in text  # an editor signed it in; the room sees public requests only
    assert "Overdue request number 1" in text
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    assert tab.evaluate("document.documentElement.scrollHeight") <= height
    refreshed = tab.locator(".updated .refreshed").bounding_box()
    assert refreshed is not None and refreshed["y"] + refreshed["height"] <= height  # in view, not below the fold
    assert "As of 2026-11-30 10:00 EST" in tab.locator(".updated").inner_text()

    column = tab.locator("section.board-column[data-column=overdue]")
    assert column.evaluate("c => c.scrollHeight > c.clientHeight")  # more cards than fit...
    assert column.evaluate("c => c.getBoundingClientRect().bottom") <= height  # ...inside a column that fits
    tab.clock.run_for(11_000)  # the column turns a page by itself
    for _ in range(50):  # the smooth scroll runs in real time
        if column.evaluate("c => c.scrollTop") > 0:
            break
        time.sleep(0.1)
    assert column.evaluate("c => c.scrollTop") > 0
    assert column.locator(".page-of").inner_text().startswith("2/")
    context.close()
