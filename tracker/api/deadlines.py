"""The deadline engine over JSON: compute one due date with its step-by-step explanation."""

from __future__ import annotations

from tracker import deadlines
from tracker.api import bp, schemas
from tracker.core.errors import ValidationFailed

# Which options each kind of deadline takes (the engine's own signatures).
OPTIONS = {"response": {"extended", "tolled"}, "appeal_decision": {"extended"}}


@bp.get("/jurisdictions")
def list_jurisdictions():
    return {"items": [{"code": j.code, "name": j.name,
                       "variants": [{"key": v.key, "label": v.label} for v in j.variants]}
                      for j in deadlines.jurisdictions()]}


@bp.post("/deadlines/compute")
def compute_deadline():
    body = schemas.parse(schemas.deadline_body())
    kind = body["kind"]
    allowed = OPTIONS.get(kind, set())
    errors = {name: f"Does not apply to kind={kind}." for name in ("extended", "tolled")
              if name in body and name not in allowed and body[name] not in (False, [])}
    if errors:
        raise ValidationFailed("Some options do not apply to this kind of deadline.", errors)
    kwargs = {}
    if "extended" in allowed:
        kwargs["extended"] = body.get("extended", False)
    if "tolled" in allowed:
        kwargs["tolled"] = [(span["from"], span["to"]) for span in body.get("tolled", [])]
    try:
        explanation = deadlines.explain(kind, body["jurisdiction"], body["start"], **kwargs)
    except deadlines.DeadlineError as exc:
        raise ValidationFailed(str(exc), {"start" if isinstance(exc, deadlines.DateOutOfRange) else "tolled":
                                          str(exc)}) from None
    return explanation.to_dict()
