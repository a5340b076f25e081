"""Every page, for every role, in a real Chromium at a phone's 360x740 and a desk's 1280x900: the page is never
wider than the screen (document.documentElement.scrollWidth), and axe-core finds no accessibility violation.

axe-core comes from npm into tests/browser/axe (`make test` installs it; never a CDN). The vendored Swagger UI
page (/api/v1/docs) is the one page not checked by axe: it is Swagger's own markup.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from tests.helpers import make_request, perform
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.board import services as board_services
from tracker.core import mail as outbox
from tracker.core.clock import now_utc, today
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.letters import services as letter_services
from tracker.letters import sources
from tracker.matters.models import Matter
from tracker.requests.models import Determination, RecordsRequest

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = ((360, 740), (1280, 900))
ROLES = ("reporter", "editor", "admin")
RANK = {"anyone": 0, "reporter": 1, "editor": 2, "admin": 3}

pytestmark = pytest.mark.slow


def _world(app, users) -> dict:
    """The demo newsroom, plus a request of the test reporter with a letter, and a reminder in the outbox."""
    from tracker.demo import seed_demo

    with app.app_context():
        seed_demo()
        ice = db.session.scalar(select(Agency).where(Agency.abbreviation == "ICE"))
        own = make_request(users["reporter"], ice, title="OPR report, a very long title that goes on and on "
                           "about the Denver field office and its cards, to test wrapping on a phone",
                           records_description="x" * 50)
        perform(own, "file", users["reporter"], on=today(), channel="portal", tracking_number="2026-ICFO-" + "9" * 40)
        owner = db.session.get(User, users["reporter"])
        letter = letter_services.generate_letter(
            own, "status_inquiry", letter_services.default_options(own, "status_inquiry", owner), actor=owner,
            now=now_utc(), today=today(), storage=_storage(app), search=sources.roots(app.config),
            letterhead=letter_services.letterhead_from_config(app.config))
        _share, token = board_services.create_share(actor=db.session.get(User, users["editor"]), now=now_utc(),
                                                   label="Newsroom wall")
        outbox.queue(key="ui-test", to_address="reporter@test.example", subject="[FOIA] Overdue 3 working days",
                     text_body="Overdue.", html_body="<p>Overdue.</p>", now=now_utc(), user_id=users["reporter"],
                     request_id=own.id)
        from tracker.batches.services import create_batch

        batch = create_batch(actor=owner, now=now_utc(), today=today(), data={"title": "Same records, three agencies"},
                             agency_ids=list(db.session.scalars(select(Agency.id).order_by(Agency.id).limit(3))))
        db.session.commit()
        dallas = db.session.scalar(select(RecordsRequest).where(RecordsRequest.title.like("OPR review, Dallas%")))
        det = db.session.scalar(select(Determination).where(Determination.request_id == dallas.id))
        message = db.session.scalar(select(OutboxMessage.id))
        return {"own": own.id, "dallas": dallas.id, "det": det.id, "letter": letter.id, "token": token,
                "matter": db.session.scalar(select(Matter.id)), "agency": ice.id, "user": users["other_reporter"],
                "message": message, "batch": batch.id}


def _storage(app):
    from tracker.core.storage import DirectoryStorage

    return DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"])


def _pages(w: dict) -> list[tuple[str, str]]:
    """(the least role that may open it, path)."""
    pages = [
        ("reporter", "/requests"), ("reporter", "/requests?status=determined"), ("reporter", "/requests/new"),
        ("reporter", f"/requests/{w['own']}"), ("reporter", f"/requests/{w['own']}/edit"),
        ("reporter", f"/requests/{w['own']}/actions/acknowledge"),
        ("reporter", f"/requests/{w['own']}/actions/determine"),
        ("reporter", f"/requests/{w['own']}/letters"),
        ("reporter", f"/requests/{w['own']}/letters/new/status_inquiry"),
        ("reporter", f"/letters/{w['letter']}"),
        ("reporter", f"/requests/{w['dallas']}"),
        ("reporter", f"/requests/{w['dallas']}/determinations/{w['det']}/documents"),
        ("reporter", "/board"), ("reporter", "/board?tv=1"), ("reporter", "/board?column=overdue"),
        ("reporter", "/board/agencies"),
        ("reporter", "/matters"), ("reporter", f"/matters/{w['matter']}"),
        ("reporter", "/agencies"), ("reporter", f"/agencies/{w['agency']}"),
        ("reporter", "/reminders"), ("reporter", "/account/tokens"), ("reporter", "/imports"),
        ("reporter", "/no-such-page"),
        ("reporter", "/batches/new"), ("reporter", f"/batches/{w['batch']}"),
        ("editor", "/matters/new"), ("editor", f"/matters/{w['matter']}/edit"),
        ("editor", f"/requests/{w['dallas']}/audit"), ("editor", "/reminders/outbox"), ("editor", "/board/shares"),
        ("admin", "/users"), ("admin", "/users/new"), ("admin", f"/users/{w['user']}"), ("admin", "/agencies/new"),
        ("admin", f"/agencies/{w['agency']}/edit"), ("admin", "/reminders/rules"),
        ("admin", "/reminders/rules/response_overdue"),
    ]
    if w["message"]:
        pages.append(("editor", f"/reminders/outbox/{w['message']}"))
    return pages


def _signed_out_pages(w: dict) -> list[str]:
    return ["/login", "/password/forgot", f"/board/shared/{w['token']}?tv=1", f"/board/shared/{w['token']}"]


def _axe(tab) -> list[str]:
    tab.add_script_tag(path=str(AXE))
    found = tab.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " -- "
            + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
    }""")
    return found


def _check(tab, path: str, width: int, problems: list[str], who: str, *, axe: bool) -> None:
    response = tab.goto(path)
    status = response.status if response else 0
    if status not in (200, 404) or (status == 404 and path != "/no-such-page"):
        problems.append(f"{who} {width}px {path}: HTTP {status}")
        return
    wide = tab.evaluate("document.documentElement.scrollWidth")
    if wide > width:
        problems.append(f"{who} {width}px {path}: the page is {wide} px wide")
    for violation in _axe(tab) if axe else ():
        problems.append(f"{who} {width}px {path}: axe {violation}")


def _login(tab, who: str) -> None:
    tab.goto("/login")
    tab.fill("input[name=email]", f"{who}@test.example")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/requests")


@pytest.fixture
def axe_installed():
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed: run `make axe` (npm ci in {AXE.parents[2]})")


@pytest.mark.parametrize("who", (*ROLES, "signed out"))
def test_every_page_fits_the_screen_and_passes_axe(who, app, users, browser, live_server, axe_installed):
    """Width at both sizes; axe once per page (at the desk size: the phone's cards are the same elements)."""
    world = _world(app, users)
    problems: list[str] = []
    for width, height in SIZES:
        context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height},
                                      bypass_csp=True)  # lets the test inject axe; the pages keep their CSP
        tab = context.new_page()
        if who == "signed out":
            paths = _signed_out_pages(world)
        else:
            _login(tab, who)
            paths = [path for least, path in _pages(world) if RANK[who] >= RANK[least]]
        for path in paths:
            _check(tab, path, width, problems, who, axe=width == SIZES[-1][0])
        context.close()
    assert not problems, "\n".join(problems)
