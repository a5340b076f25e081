"""Referrals on the web: the action's form, its refusals on the field, the tree with every clock on the parent's
page, and "Referred from" on the child's."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.helpers import csrf_token, d, make_agency, make_request, perform
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


def _world(app, users):
    with app.app_context():
        ice = make_agency()
        oig = make_agency(name="DHS Office of Inspector General", abbreviation="DHS OIG")
        parent = make_request(users["reporter"], ice, title="Death card ROI")
        perform(parent, "file", users["reporter"], on=d("2026-11-02"), channel="portal",
                tracking_number="2026-ICFO-00001")
        db.session.commit()
        return {"ice": ice.id, "oig": oig.id, "parent": parent.id}


def test_refer_part_on_the_web_and_see_the_tree(app, client, auth, frozen, users):
    frozen.move_to(datetime(2026, 12, 4, 15, tzinfo=UTC))
    ids = _world(app, users)
    auth.login("reporter")
    url = f"/requests/{ids['parent']}/actions/refer"
    page = client.get(url).get_data(as_text=True)
    assert "Referred to" in page and "DHS Office of Inspector General (DHS OIG)" in page
    assert f'<option value="{ids["ice"]}"' not in page  # not the agency that has the request

    def post(**fields):
        return client.post(url, data={"csrf_token": csrf_token(client, url), "on": "2026-11-16", "scope": "part",
                                      "agency_id": ids["oig"], **fields})

    def count():
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(RecordsRequest))

    refused = post(agency_id=ids["ice"])
    assert refused.status_code == 422 and "The request is already at ICE" in refused.get_data(as_text=True)
    refused = post(on="2026-12-07")
    assert refused.status_code == 422 and "This date is in the future." in refused.get_data(as_text=True)
    refused = post(scope="")
    assert refused.status_code == 422 and "all the records or part" in refused.get_data(as_text=True)
    assert count() == 1  # nothing half done

    done = post(received_on="2026-11-18", tracking_number="OIG-2026-0042")
    assert done.status_code == 302, done.get_data(as_text=True)
    page = client.get(f"/requests/{ids['parent']}").get_data(as_text=True)
    tree = page[page.index('data-testid="referral-tree"'):]
    assert tree.index("ICE FOIA Office (ICE)") < tree.index("DHS Office of Inspector General (DHS OIG)")
    assert "OIG-2026-0042" in tree
    assert "Part of the records referred November 16, 2026; received November 18, 2026." in tree
    # Each clock: the parent's (20 working days from 2 November, Veterans Day and Thanksgiving skipped; overdue)
    # and the child's, 20 working days from its receipt on 18 November.
    assert re.findall(r'data-testid="referral-due">([^<]+)<', tree) == ["December 2, 2026", "December 17, 2026"]
    child_id = int(re.search(r'data-request-id="(\d+)" data-depth="1"', page).group(1))
    child = client.get(f"/requests/{child_id}").get_data(as_text=True)
    assert 'data-testid="referred-from"' in child and f"request #{ids['parent']}" in child
    assert "Referred part of the records to DHS Office of Inspector General" in page  # the parent's timeline
