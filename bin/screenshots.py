"""Screenshots of every main page, for every role, at phone, desk and wall-screen sizes.

    .venv/bin/python bin/screenshots.py OUTDIR [--sizes 390x844,1280x900,1920x1080]

Builds a fresh demo newsroom in a temporary folder (SQLite), serves it on a loopback port and drives
Debian's Chromium through Playwright. Look at the PNGs: this is how the layout is checked by eye.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's tracker, not an installed one

PAGES = {
    "requests": "/requests", "request": "/requests/{dallas}", "request-new": "/requests/new",
    "request-edit": "/requests/{dallas}/edit", "acknowledge": "/requests/{oig}/actions/acknowledge",
    "letters": "/requests/{dallas}/letters", "letter-compose": "/requests/{dallas}/letters/new/appeal",
    "board": "/board", "wall": "/board?tv=1", "board-agencies": "/board/agencies", "matters": "/matters",
    "matter": "/matters/1",
    "agencies": "/agencies", "agency": "/agencies/2", "reminders": "/reminders", "outbox": "/reminders/outbox",
    "imports": "/imports", "users": "/users", "tokens": "/account/tokens", "shares": "/board/shares",
}
LOGINS = {"reporter": ("reporter@newsroom.example", "demo-reporter-2026"),
          "editor": ("editor@newsroom.example", "demo-editor-2026"),
          "admin": ("admin@newsroom.example", "demo-admin-2026")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--sizes", default="390x844,1280x900,1920x1080")
    parser.add_argument("--roles", default="reporter,editor,admin")
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select
    from werkzeug.serving import make_server

    from tracker import create_app
    from tracker.demo import seed_demo
    from tracker.extensions import db
    from tracker.requests.models import RecordsRequest

    root = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'demo.sqlite'}", "SECRET_KEY": "shots",
                      "TRACKER_UPLOAD_DIR": str(root / "uploads"), "WTF_CSRF_ENABLED": True})
    app.logger.disabled = True
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        ids = {key: db.session.scalar(select(RecordsRequest.id).where(RecordsRequest.title.like(pattern)))
               for key, pattern in (("dallas", "OPR review, Dallas%"), ("oig", "ICE corrective%"))}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"], headless=True)
        for role in args.roles.split(","):
            for size in args.sizes.split(","):
                width, height = (int(x) for x in size.split("x"))
                context = browser.new_context(base_url=base, viewport={"width": width, "height": height})
                tab = context.new_page()
                tab.goto("/login")
                tab.fill("input[name=email]", LOGINS[role][0])
                tab.fill("input[name=password]", LOGINS[role][1])
                tab.click("button[type=submit]")
                tab.wait_for_url("**/requests")
                for name in args.pages.split(","):
                    tab.goto(PAGES[name].format(**ids))
                    wide = tab.evaluate("document.documentElement.scrollWidth")
                    tab.screenshot(path=str(args.outdir / f"{role}-{name}-{size}.png"), full_page=True)
                    if wide > width:
                        print(f"{role} {name} {size}: {wide} px wide")
                context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
