"""The agency directory over JSON: everyone reads it, administrators change it (as on the web)."""

from __future__ import annotations

from tracker.agencies import services
from tracker.agencies.models import Agency
from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.fields import MAX_ID
from tracker.api.representations import AGENCY_FIELDS, agency_json
from tracker.auth.permissions import require_admin
from tracker.core.errors import NotFound
from tracker.extensions import db

ID = "int"  # ids past 2**31 - 1 are refused as "not found" where they are loaded


def load(agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id) if agency_id <= MAX_ID else None
    if agency is None:
        raise NotFound("There is no agency with this id.")
    return agency


@bp.get("/agencies")
def list_agencies():
    return {"items": [agency_json(a) for a in services.all_agencies()]}


@bp.get(f"/agencies/<{ID}:agency_id>")
def get_agency(agency_id: int):
    return agency_json(load(agency_id))


@bp.post("/agencies")
def create_agency():
    require_admin(api_user())
    body = schemas.parse(schemas.agency_body())
    agency = services.save_agency(None, body)
    db.session.commit()
    return agency_json(agency), 201


@bp.patch(f"/agencies/<{ID}:agency_id>")
def update_agency(agency_id: int):
    require_admin(api_user())
    agency = load(agency_id)
    body = schemas.parse(schemas.agency_body(), partial=True)
    # The service saves a whole agency: fields not sent keep their values.
    data = {name: getattr(agency, name) for name in AGENCY_FIELDS} | body
    agency = services.save_agency(agency, data)
    db.session.commit()
    return agency_json(agency)
