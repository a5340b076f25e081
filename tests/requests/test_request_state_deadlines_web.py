"""State deadlines through the web UI and the CLI: the kind of request, an agency's closed days, the page."""

from __future__ import annotations

import html
import re

from tests.helpers import csrf_token, d, make_agency, make_request, perform
from tracker.agencies.models import Agency
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


def test_kind_of_request_on_the_form_and_deemed_denial_on_the_page(app, client, auth, users, frozen):
    with app.app_context():
        nj = make_agency(jurisdiction="US-NJ", name="NJ State Police", abbreviation="NJSP").id
        ny = make_agency(jurisdiction="US-NY", name="NYPD", abbreviation="NYPD").id
        db.session.commit()
    auth.login("reporter")
    fields = {"title": "Use-of-force reports", "records_description": "Reports.", "fee_category": "news_media",
              "expedited_category": "", "delivery_format": "PDF", "deadline_variant": "commercial"}

    # Refused on the field for an agency whose state has no such kind of request; nothing saved.
    response = client.post("/requests/new", data={"csrf_token": csrf_token(client, "/requests/new"),
                                                  "agency_id": ny, **fields})
    assert response.status_code == 422
    assert "its own deadlines only under New Jersey OPRA" in response.get_data(as_text=True)

    response = client.post("/requests/new", data={"csrf_token": csrf_token(client, "/requests/new"),
                                                  "agency_id": nj, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    url = response.headers["Location"]
    request_id = int(url.rsplit("/", 1)[1])
    token = csrf_token(client, f"/requests/{request_id}/actions/file")
    response = client.post(f"/requests/{request_id}/actions/file",
                           data={"csrf_token": token, "on": "2026-11-02", "channel": "portal"})
    assert response.status_code == 302
    with app.app_context():
        # P.L.2024 c.16: 14 business days from Mon 11-02 (Election Day and Veterans Day skipped): Tue 11-24.
        assert db.session.get(RecordsRequest, request_id).response_due == d("2026-11-24")

    page = client.get(url).get_data(as_text=True)
    assert 'data-kind="deemed_denial"' in page and "Deemed denied if no response by" in page
    assert "Last day to appeal if there is no response" in page
    assert "Commercial-purpose request" in page  # the explanation names the kind of request
    edit = client.get(f"/requests/{request_id}/edit").get_data(as_text=True)
    assert "New Jersey OPRA: Commercial-purpose request or Daniel" in edit and "Ordinary request" in edit


def test_agency_form_takes_texas_optional_days_and_refuses_others(app, client, auth, users):
    auth.login("admin")
    base = {"name": "Harris County Sheriff", "abbreviation": "HCSO", "jurisdiction": "US-NY",
            "observed_days": "Good Friday"}
    response = client.post("/agencies/new", data={"csrf_token": csrf_token(client, "/agencies/new"), **base})
    assert response.status_code == 422
    assert "not an optional holiday in New York FOIL" in response.get_data(as_text=True)
    base["jurisdiction"] = "US-TX"
    response = client.post("/agencies/new", data={"csrf_token": csrf_token(client, "/agencies/new"), **base})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        agency = db.session.query(Agency).filter_by(name="Harris County Sheriff").one()
        assert agency.observes == ["Good Friday"]
    assert "Also closed on" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_request_page_explains_a_texas_agency_observed_day(app, client, auth, users, frozen):
    with app.app_context():
        agency = make_agency(jurisdiction="US-TX", name="Texas DPS", abbreviation="DPS")
        agency.observed_days = "2026-11-12"
        req = make_request(users["reporter"], agency)
        perform(req, "file", users["reporter"], on=d("2026-11-02"), channel="portal")
        db.session.commit()
        request_id = req.id
    auth.login("reporter")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "Agency must ask the Attorney General for a ruling by" in page
    assert "Closed day designated by the agency" in page


def test_cli_explains_each_state(app):
    runner = app.test_cli_runner()
    out = runner.invoke(args=["deadline", "US-CA", "2026-11-16", "--explain"]).output
    assert "Response due: 2026-11-30" in out and "CCP 12a" in out and "Thanksgiving" in out
    out = runner.invoke(args=["deadline", "US-NY", "2026-02-09", "--explain"]).output
    assert "Deemed denied if no response by: 2026-02-18" in out and "Lincoln's Birthday" in out
    assert "Last day to appeal if there is no response: 2026-03-20" in out
    out = runner.invoke(args=["deadline", "US-TX", "2026-03-30", "--observes", "Good Friday", "--explain"]).output
    assert "Attorney General ruling request due: 2026-04-14" in out and "optional holiday" in out
    out = runner.invoke(args=["deadline", "US-MI", "2026-03-06", "--channel", "email"]).output
    assert out.startswith("Response due: 2026-03-16")
    out = runner.invoke(args=["deadline", "US-VA", "2026-10-30", "--extended", "--variant", "criminal_files"]).output
    assert out.startswith("Response due: 2027-02-09")
    out = runner.invoke(args=["deadline", "US-WA", "2026-11-23", "--appeal-received", "2026-11-25"]).output
    assert "Appeal decision due: 2026-12-01" in out
    bad = runner.invoke(args=["deadline", "US-TX", "2026-03-30", "--observes", "Easter"])
    assert bad.exit_code != 0 and "not an optional holiday" in bad.output
    bad = runner.invoke(args=["deadline", "US-NY", "2026-03-30", "--variant", "commercial"])
    assert bad.exit_code != 0 and "no request variant" in bad.output


def test_state_letter_cites_the_updated_period_and_the_variant(app, db, users, frozen):
    from tracker.auth.models import User
    from tracker.letters import services as letters
    from tracker.letters import sources

    reporter = db.session.get(User, users["reporter"])
    texts = {}
    for code, variant in (("US-TX", ""), ("US-MI", ""), ("US-NJ", ""), ("US-NJ", "commercial")):
        agency = make_agency(jurisdiction=code, name=f"{code} {variant} agency", abbreviation="X")
        req = make_request(users["reporter"], agency, title=f"{code} {variant}", deadline_variant=variant,
                           records_description="Use-of-force reports, 2025.")
        options = letters.default_options(req, "state_request", reporter)
        draft = letters.prepare(req, "state_request", options, today=d("2026-11-30"),
                                search=sources.roots(app.config), letterhead=letters.letterhead_from_config(app.config))
        words = re.sub(r"<[^>]+>", "", letters.preview_html(draft))  # citations sit in no-break spans
        texts[(code, variant)] = " ".join(html.unescape(words).split())
    assert "made available promptly (Gov't Code 552.221(a))" in texts[("US-TX", "")]
    assert "within 5 business days (MCL 15.235(2))" in texts[("US-MI", "")]
    assert "within 7 business days (N.J.S.A. 47:1A-5(i))" in texts[("US-NJ", "")]
    assert "within 14 business days (N.J.S.A. 47:1A-5(i) as amended by P.L.2024 c.16)" in texts[("US-NJ", "commercial")]
