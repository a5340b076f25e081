"""OPR matters over JSON, each with its disclosure state as the ledger derives it. Anyone may read and record
matters, as on the web; changing one is for its creator and editors."""

from __future__ import annotations

from sqlalchemy import select

from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.fields import MAX_ID
from tracker.api.representations import MATTER_FIELDS, matter_json
from tracker.core.clock import today
from tracker.core.errors import NotFound
from tracker.extensions import db
from tracker.ledger import queries as ledger
from tracker.matters import services
from tracker.matters.access import require_change
from tracker.matters.models import Matter

ID = "int"  # ids past 2**31 - 1 are refused as "not found" where they are loaded


def load(matter_id: int) -> Matter:
    matter = db.session.get(Matter, matter_id) if matter_id <= MAX_ID else None
    if matter is None:
        raise NotFound("There is no matter with this id.")
    return matter


def _with_state(matter: Matter) -> dict:
    """The matter and its disclosure state as the ledger derives it for this user."""
    row = ledger.matter_row(api_user(), matter.id, today())
    return matter_json(matter, ledger.jsonable(row) if row is not None else None)


@bp.get("/matters")
def list_matters():
    matters = db.session.scalars(select(Matter).order_by(Matter.title)).all()
    rows = {row["id"]: ledger.jsonable(row) for row in ledger.ledger_rows(api_user(), ledger.LedgerFilters(), today())}
    db.session.commit()  # keep the matter summaries this read brought up to date
    return {"items": [matter_json(m, rows.get(m.id)) for m in matters]}


@bp.get(f"/matters/<{ID}:matter_id>")
def get_matter(matter_id: int):
    return _with_state(load(matter_id))


@bp.post("/matters")
def create_matter():
    body = schemas.parse(schemas.MATTER_BODY)
    matter = services.save_matter(None, body, actor=api_user())
    db.session.commit()
    return _with_state(matter), 201


@bp.patch(f"/matters/<{ID}:matter_id>")
def update_matter(matter_id: int):
    matter = load(matter_id)
    require_change(api_user(), matter)  # before reading the body: a refusal says so whatever was sent
    body = schemas.parse(schemas.MATTER_BODY, partial=True)
    current = {name: getattr(matter, name) for name in (*MATTER_FIELDS, "began_on", "ended_on")}
    data = current | {"category": matter.category.value} | body
    matter = services.save_matter(matter, data, actor=api_user())
    db.session.commit()
    return _with_state(matter)
