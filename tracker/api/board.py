"""The newsroom's numbers over JSON: the board summary, and the ledger of OPR matters (JSON or CSV).

Both call the read-side queries the web pages use (tracker/board/queries.py, tracker/ledger/queries.py), so
the API counts exactly what the pages show to the same person.
"""

from __future__ import annotations

from flask import Response, current_app, url_for

from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.fields import Enum, Id, String
from tracker.api.representations import DAY, INT, SCHEMAS, STR, nullable, obj
from tracker.board import queries as board_queries
from tracker.core.clock import today
from tracker.extensions import db
from tracker.ledger import disclosure, export
from tracker.ledger import queries as ledger
from tracker.matters.models import MatterCategory
from tracker.requests.status import STATUSES


def board_query() -> dict:
    return {"owner_id": Id(), "agency_id": Id(), "matter_id": Id(),
            "jurisdiction": Enum(schemas.jurisdiction_codes()), "status": Enum(STATUSES)}


LEDGER_QUERY = {
    "state": Enum(disclosure.STATES, "Only matters in this disclosure state."),
    "category": Enum([c.value for c in MatterCategory]),
    "agency_id": Id("Only matters with a request to this agency."),
    "q": String(200, "Search in titles, places and OPR case numbers."),
    "sort": Enum(ledger.SORTS, default="undisclosed"),
    "format": Enum(["json", "csv"], default="json"),
    "published": Enum(ledger.PUBLISHED, "yes: only matters with a published story; no: only those without."),
}


@bp.get("/board/summary")
def board_summary():
    args = schemas.query(board_query())
    filters = board_queries.BoardFilters.from_args(args)
    day = today()
    counts, due_this_week = board_queries.column_counts(api_user(), filters, day)
    stats = board_queries.determination_stats(api_user(), filters, day)
    db.session.commit()  # a day's first read moved the board's 12-month window
    return {
        "as_of": day.isoformat(), "filters": filters.as_args(),
        "summary": board_queries.summary(counts, due_this_week, stats, day),
        "columns": [{"code": code, "label": label, "count": counts[code]}
                    for code, label, _statuses in board_queries.COLUMNS],
    }


@bp.get("/ledger")
def get_ledger():
    args = schemas.query(LEDGER_QUERY)
    filters = ledger.LedgerFilters.from_args({k: v for k, v in args.items() if k != "format"})
    day = today()
    rows = export.rows(api_user(), filters, day,
                       lambda matter_id: url_for("matters.show", matter_id=matter_id, _external=True))
    db.session.commit()  # keep the matter summaries this read brought up to date
    if args["format"] == "json":
        return current_app.json.response(export.as_document(rows, filters, day))
    return Response(export.as_csv(rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{export.filename(day, "csv")}"'})


# --- what the documents say ---------------------------------------------------------------------

OVERRIDE = obj({"state": STR, "state_label": STR, "reason": STR, "set_by": nullable(STR), "set_at": nullable(STR)},
               required=["state", "reason"])
LEDGER_ROW = {
    "type": "object",
    "description": "One OPR matter: its disclosure state (derived from its requests and sources, or an editor's "
                   "override with the reason), why, and how long it has stayed undisclosed.",
    "properties": {
        "id": INT, "title": STR, "category": STR, "category_label": STR, "place": STR, "opr_case_number": STR,
        "state": {"type": "string", "enum": list(disclosure.STATES)}, "state_label": STR,
        "derived_state": {"type": "string", "enum": list(disclosure.STATES)}, "derived_state_label": STR,
        "why": STR, "override": nullable(OVERRIDE), "first_requested_on": nullable(DAY),
        "undisclosed_days": nullable(INT), "pending_working_days": nullable(INT), "disclosed_on": nullable(DAY),
        "official_report_on": nullable(DAY),
        "requests": {"type": "object", "additionalProperties": INT,
                     "description": "Requests for the matter's records by what they brought: sent, pending, "
                                    "released_in_full, released_in_part, withheld, unanswered, drafts."},
        "pages_released": INT, "pages_withheld": INT, "exemptions": {"type": "array", "items": STR},
        "exemptions_cited": STR, "url": STR,
        "published": {"type": "boolean", "description": "A story was published from the matter's records."},
        "stories": {"type": "integer", "description": "How many stories were published (that you can see)."},
        "latest_story": nullable(obj({"id": INT, "headline": STR, "url": STR, "published_on": DAY})),
    },
    "required": ["id", "title", "state", "derived_state", "why"],
}
SCHEMAS["LedgerRow"] = LEDGER_ROW
SCHEMAS["Ledger"] = obj({"as_of": DAY, "filters": {"type": "object"}, "count": INT,
                         "states": {"type": "object", "additionalProperties": STR},
                         "matters": {"type": "array", "items": {"$ref": "#/components/schemas/LedgerRow"}}})
SCHEMAS["BoardSummary"] = obj({
    "as_of": DAY, "filters": {"type": "object"},
    "summary": {"type": "object", "required": ["open", "overdue", "due_this_week", "waiting_on_us"], "properties": {
        "open": INT, "overdue": INT, "due_this_week": INT, "waiting_on_us": INT, "determinations": INT,
        "median_working_days": nullable({"type": "number"}), "judged": INT, "on_time": INT,
        "on_time_share": nullable({"type": "number"}),
        "stories_this_year": {**INT, "description": "Stories the newsroom published from records this year."},
        "year": INT}},
    "columns": {"type": "array", "items": obj({"code": STR, "label": STR, "count": INT})},
})
