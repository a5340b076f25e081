"""Fixtures for the batch tests: agencies of two jurisdictions, a matter, and the app's storage."""

from __future__ import annotations

import pytest

from tests.helpers import make_agency, make_matter
from tracker.extensions import db


@pytest.fixture
def storage(app):
    from tracker.core.storage import DirectoryStorage

    return DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"])


@pytest.fixture
def world(app, users):
    """ICE (portal only), DHS OIG and DHS CRCL (federal, with email), a Colorado sheriff (state), a matter."""
    with app.app_context():
        ice = make_agency("ICE FOIA Office", "ICE", "US-DHS")
        ice.portal_only, ice.foia_email, ice.portal_url = True, "ice-foia@ice.dhs.gov", "https://www.dhs.gov/foia"
        oig = make_agency("DHS Office of Inspector General", "DHS OIG", "US-DHS")
        oig.foia_email = "foia.oig@oig.dhs.gov"
        crcl = make_agency("DHS Office for Civil Rights and Civil Liberties", "CRCL", "US-DHS")
        crcl.foia_email = "crclfoia@hq.dhs.gov"
        denver = make_agency("Denver Sheriff Department", "DSD", "US-CO")
        denver.foia_email = "records@denvergov.example"
        matter = make_matter("Death card allegations, ICE Denver Field Office")
        db.session.commit()
        ids = {"ice": ice.id, "oig": oig.id, "crcl": crcl.id, "denver": denver.id, "matter": matter.id, **users}
        db.session.remove()
    return ids


from tests.api.conftest import bearer, tokens  # noqa: E402, F401  (personal API tokens for each user)
