"""Changes to the agency directory (admins only; the views check)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker import deadlines
from tracker.agencies.models import Agency
from tracker.core.errors import ValidationFailed
from tracker.core.validation import name_taken, text_errors
from tracker.extensions import db

FIELDS = ("name", "abbreviation", "parent_id", "jurisdiction", "foia_email", "portal_url", "mailing_address",
          "phone", "public_liaison", "appeal_office", "appeal_address", "mail_domains", "portal_only", "notes",
          "observed_days", "appeal_email", "appeal_portal_url", "appeal_check", "expedited_iv_office_id")


def _check(agency: Agency | None, data: dict) -> None:
    errors = text_errors(Agency, data)
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = "Give the agency's name."
    if name_taken(Agency.name, name, other_than=agency.id if agency is not None else None):
        errors["name"] = "An agency with this name is already in the directory."
    codes = {j.code for j in deadlines.jurisdictions()}
    if data.get("jurisdiction") not in codes:
        errors["jurisdiction"] = "Choose a jurisdiction the deadline engine knows."
    elif (data.get("observed_days") or "").strip():
        try:
            rule = deadlines.jurisdiction(data["jurisdiction"])
            deadlines.check_observes(rule, Agency(observed_days=data["observed_days"]).observes)
        except deadlines.DeadlineError as exc:
            errors["observed_days"] = str(exc)
    parent_id = data.get("parent_id")
    if parent_id:
        if db.session.get(Agency, parent_id) is None:
            errors["parent_id"] = "Unknown parent agency."
        elif agency is not None and parent_id == agency.id:
            errors["parent_id"] = "An agency cannot be part of itself."
    office_id = data.get("expedited_iv_office_id")
    if office_id and db.session.get(Agency, office_id) is None:
        errors["expedited_iv_office_id"] = "Unknown office."
    if errors:
        raise ValidationFailed("The agency has errors.", errors)


def save_agency(agency: Agency | None, data: dict) -> Agency:
    data = {k: v for k, v in data.items() if k in FIELDS}
    data["parent_id"] = data.get("parent_id") or None
    if "expedited_iv_office_id" in data:
        data["expedited_iv_office_id"] = data["expedited_iv_office_id"] or None
    _check(agency, data)
    if agency is None:
        agency = Agency()
        db.session.add(agency)
    for name, value in data.items():
        setattr(agency, name, value.strip() if isinstance(value, str) else value)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a clash made at the same moment by someone else
        raise ValidationFailed("The agency has errors.",
                               {"name": "An agency with this name is already in the directory."}) from exc
    return agency


def all_agencies() -> list[Agency]:
    return list(db.session.scalars(select(Agency).order_by(Agency.name)))
