"""The board's strip counts the stories the newsroom published from records this calendar year; so does the
API's board summary."""

from __future__ import annotations

import re
from datetime import date

from tests.helpers import make_agency, make_matter, make_request
from tests.mail.mail_out_support import api_headers
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.extensions import db
from tracker.stories import services


def _story(users, headline: str, published_on: date) -> None:
    reporter = db.session.get(User, users["reporter"])
    matter = make_matter(f"Matter of {headline}")
    req = make_request(reporter.id, make_agency(name=f"Agency for {headline}"), title=headline,
                       matter_ids=[matter.id])
    services.record_story(services.StoryInput(headline=headline, url="https://news.example/" + headline[:5],
                                              published_on=published_on),
                          actor=reporter, now=now_utc(), today=today(), request=req)


def test_the_strip_counts_this_years_stories(app, users, auth, client, frozen):
    with app.app_context():
        year = today().year
        _story(users, "Otero findings", date(year, 1, 2))
        _story(users, "Denver death cards", date(year, 3, 4))
        _story(users, "Last year's story", date(year - 1, 12, 31))
        db.session.commit()
    auth.login("editor")
    page = client.get("/board").get_data(as_text=True)
    assert re.search(r'data-testid="stat-stories">2</span>\s*<span class="l">stories published from records in '
                     + str(year), page)
    summary = client.get("/api/v1/board/summary", headers=api_headers(app, users["editor"])).json["summary"]
    assert (summary["stories_this_year"], summary["year"]) == (2, year)
