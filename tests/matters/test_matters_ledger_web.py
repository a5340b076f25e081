"""The ledger of OPR matters through the test client: states, reasons, filters, exports, visibility."""

from __future__ import annotations

import csv
import io
import json
import re

from tests.board.scenario import text
from tests.helpers import csrf_token
from tests.matters import ledger_scenario


def _row(html: str, matter_id: int) -> str:
    found = re.search(rf'<tr data-matter-id="{matter_id}">(.*?)</tr>', html, re.S)
    return text(found.group(1)) if found else ""


def test_every_matter_has_its_derived_state_and_why(app, client, auth, users, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
    auth.login("editor")
    html = client.get("/matters").get_data(as_text=True)
    kallas = _row(html, ids["kallas"])
    assert "Withheld" in kallas and "Denied, or no records found, in answer to 1 request." in kallas
    assert "273 days" in kallas and "since first requested, March 2, 2026" in kallas
    assert "(b)(7)(A)" in kallas  # the appeal decision in force cites only (b)(7)(A)
    dallas = _row(html, ids["dallas"])
    assert "Partly disclosed" in dallas and "14 pages released, 31 withheld" in dallas
    assert "(b)(6), (b)(7)(C), (b)(7)(E)" in dallas  # (b)(7)(E) comes from the Vaughn index only
    death = _row(html, ids["death"])
    assert "Requested, pending" in death and "the oldest for 30 working days" in death and "46 days" in death
    oig = _row(html, ids["oig"])
    assert "Disclosed" in oig and "An official public report discloses the outcome." in oig
    assert "disclosed August 3, 2026" in oig
    scale = _row(html, ids["scale"])
    assert "Not yet requested" in scale and "1 request drafted, not yet sent." in scale
    hidden = _row(html, ids["hidden"])
    assert "Requested, pending" in hidden  # the editor sees the private request
    # Longest undisclosed first.
    order = [int(m) for m in re.findall(r'<tr data-matter-id="(\d+)">', html)]
    assert order[:4] == [ids["kallas"], ids["dallas"], ids["death"], ids["hidden"]]
    for state, n in (("not_requested", 1), ("pending", 2), ("withheld", 1), ("partly_disclosed", 1),
                     ("disclosed", 1)):
        assert f'data-testid="state-count-{state}">{n}<' in html


def test_private_requests_count_only_for_those_who_may_see_them(app, client, auth, users, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
    auth.login("reporter")
    html = client.get("/matters").get_data(as_text=True)
    assert "Not yet requested" in _row(html, ids["hidden"])
    page = client.get(f"/matters/{ids['hidden']}").get_data(as_text=True)
    assert "Hidden matter request" not in page
    csv_text = client.get("/matters/export.csv").get_data(as_text=True)
    assert "Hidden matter request" not in csv_text
    rows = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    row = next(r for r in rows if r["Matter ID"] == str(ids["hidden"]))
    assert row["Disclosure state"] == "Not yet requested"
    auth.logout()
    auth.login("other_reporter")
    assert "Requested, pending" in _row(client.get("/matters").get_data(as_text=True), ids["hidden"])


def test_filters_by_state_category_agency_and_text(app, client, auth, users, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
    auth.login("editor")

    def shown(url):
        return {int(m) for m in re.findall(r'<tr data-matter-id="(\d+)">', client.get(url).get_data(as_text=True))}

    assert shown("/matters?state=pending") == {ids["death"], ids["hidden"]}
    assert shown("/matters?category=systemic") == {ids["oig"], ids["scale"]}
    assert shown(f"/matters?agency_id={ids['doj']}") == {ids["kallas"]}
    assert shown("/matters?q=OPR-2025") == {ids["dallas"]}
    assert shown("/matters?sort=title")
    assert len(shown("/matters?state=bogus&category=bogus&sort=bogus&agency_id=x&page=-3")) == 6


def test_csv_has_one_row_per_matter_and_opens_in_a_spreadsheet(app, client, auth, users, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
        from tracker.extensions import db
        from tracker.matters.models import Matter

        db.session.get(Matter, ids["scale"]).title = "=HYPERLINK(\"http://evil.example\")"
        db.session.commit()
    auth.login("editor")
    response = client.get("/matters/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment; filename=opr-matters-ledger-2026-11-30.csv" == response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 6 and len({r["Matter ID"] for r in rows}) == 6
    by_id = {int(r["Matter ID"]): r for r in rows}
    assert by_id[ids["dallas"]]["Disclosure state"] == "Partly disclosed"
    assert by_id[ids["dallas"]]["Exemptions in force"] == "(b)(6), (b)(7)(C), (b)(7)(E)"
    assert by_id[ids["kallas"]]["Days undisclosed since first requested"] == "273"
    assert by_id[ids["death"]]["Working days the oldest pending request has waited"] == "30"
    assert by_id[ids["scale"]]["Matter"].startswith("'=")  # not run as a formula
    filtered = client.get("/matters/export.csv?state=withheld").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(filtered.lstrip("\ufeff"))))) == 1


def test_json_export(app, client, auth, users, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
    auth.login("editor")
    response = client.get("/matters/export.json?category=systemic")
    data = json.loads(response.get_data(as_text=True))
    assert data["as_of"] == "2026-11-30" and data["count"] == 2 and data["filters"] == {"category": "systemic"}
    oig = next(m for m in data["matters"] if m["id"] == ids["oig"])
    assert oig["state"] == "disclosed" and oig["disclosed_on"] == "2026-08-03"
    assert oig["requests"]["pending"] == 1 and oig["url"].endswith(f"/matters/{ids['oig']}")


def test_an_editor_overrides_a_state_with_a_reason(app, client, auth, users, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
    auth.login("reporter")
    token = csrf_token(client, f"/matters/{ids['death']}")
    refused = client.post(f"/matters/{ids['death']}/state", data={"csrf_token": token, "state": "disclosed",
                                                                 "reason": "A reporter may not do this."})
    assert refused.status_code == 403
    auth.logout()
    auth.login("editor")
    token = csrf_token(client, f"/matters/{ids['death']}")
    bad = client.post(f"/matters/{ids['death']}/state", data={"csrf_token": token, "state": "disclosed",
                                                             "reason": "  "})
    assert bad.status_code == 422 and "Write the reason" in bad.get_data(as_text=True)
    bad = client.post(f"/matters/{ids['death']}/state", data={"csrf_token": token, "state": "nonsense",
                                                             "reason": "A long enough reason here."})
    assert bad.status_code == 422
    reason = "ICE posted the OPR report in its reading room on 2026-11-25."
    ok = client.post(f"/matters/{ids['death']}/state", data={"csrf_token": token, "state": "disclosed",
                                                            "reason": reason})
    assert ok.status_code == 302
    html = client.get("/matters").get_data(as_text=True)
    row = _row(html, ids["death"])
    assert "Disclosed" in row and reason in row and "The requests and sources say: Requested, pending." in row
    assert ids["death"] in {int(m) for m in re.findall(r'<tr data-matter-id="(\d+)">',
                                                         client.get("/matters?state=disclosed").get_data(as_text=True))}
    page = text(client.get(f"/matters/{ids['death']}").get_data(as_text=True))
    assert reason in page and "Set by an editor (Editor)" in page
    client.post(f"/matters/{ids['death']}/state/clear", data={"csrf_token": token})
    assert "Requested, pending" in _row(client.get("/matters").get_data(as_text=True), ids["death"])


def test_matter_page_tells_what_remains_undisclosed_and_why(app, client, auth, users, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
    auth.login("reporter")
    page = text(client.get(f"/matters/{ids['dallas']}").get_data(as_text=True))
    assert "Partly disclosed" in page
    assert "Undisclosed for 90 days since first requested on September 1, 2026." in page
    assert ("Released in part by ICE on 2026-11-10: 14 pages released, 31 withheld; appeal possible until "
            in page)
    assert "Withheld under (b)(6), (b)(7)(C), (b)(7)(E)" in page
    assert "Report of investigation: released in part, 20 pages withheld in full, 5 in part ((b)(6), (b)(7)(C))" in page
    assert "2 documents listed" in page
    kallas = text(client.get(f"/matters/{ids['kallas']}").get_data(as_text=True))
    assert "Denied in full by OIP on 2026-07-01; on appeal: denial affirmed." in kallas
    # One timeline across the requests, newest first.
    assert kallas.index("Appeal decided: denial affirmed.") < kallas.index("Administrative appeal filed.") < \
        kallas.index("Denied in full citing (b)(6), (b)(7)(A).") < kallas.index("Filed by agency web portal.")
    oig = text(client.get(f"/matters/{ids['oig']}").get_data(as_text=True))
    assert "Official report: OIG-19-14" in oig and "Disclosed on August 3, 2026" in oig
    scale = text(client.get(f"/matters/{ids['scale']}").get_data(as_text=True))
    assert "Not yet requested" in scale
    assert client.get("/matters/999999").status_code == 404


def test_the_lead_routes_still_work(app, client, auth, users, frozen):
    with app.app_context():
        ids = ledger_scenario.build(users)
    auth.login("editor")
    assert client.get("/matters/new").status_code == 200
    assert client.get(f"/matters/{ids['oig']}/edit").status_code == 200
    token = csrf_token(client, f"/matters/{ids['scale']}")
    bad = client.post(f"/matters/{ids['scale']}/sources", data={"csrf_token": token, "title": "",
                                                                "url": "ftp://x"})
    assert bad.status_code == 422
    ok = client.post(f"/matters/{ids['scale']}/sources", data={"csrf_token": token, "title": "Hearing",
                                                               "url": "https://example.org/h",
                                                               "published_on": "2026-03-11"})
    assert ok.status_code == 302
    page = client.get(f"/matters/{ids['scale']}").get_data(as_text=True)
    source_id = re.search(r"/sources/(\d+)/delete", page).group(1)
    assert client.post(f"/matters/{ids['scale']}/sources/{source_id}/delete",
                       data={"csrf_token": token}).status_code == 302
