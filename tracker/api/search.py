"""GET /api/v1/search: the search page's query over JSON, with the same visibility and the same refusals."""

from __future__ import annotations

from tracker.api import bp, schemas
from tracker.api.auth import api_user
from tracker.api.fields import Count, Day, Enum, Id, String
from tracker.api.representations import DAY, INT, SCHEMAS, STR, nullable, obj
from tracker.core.errors import ValidationFailed
from tracker.documents import search as search_module
from tracker.documents.models import KINDS

SEARCH_QUERY = {
    "q": String(search_module.MAX_QUERY, 'The words: "a phrase", -left_out, a OR b.', required=True),
    "agency_id": Id("Only requests to this agency."),
    "matter_id": Id("Only requests about this OPR matter."),
    "request_id": Id("Only this request."),
    "kind": Enum(list(KINDS), "document (released records and agency letters), letter (ours), communication."),
    "from": Day("Only pages filed on or after this day (the communication's day, or the upload's)."),
    "to": Day("Only pages filed on or before this day."),
    "page": Count("Page of results, from 1.", minimum=1, maximum=1000, default=1),
}

SCHEMAS["SearchHit"] = obj({
    "request_id": INT, "request_title": STR, "agency": STR,
    "kind": {"type": "string", "enum": list(KINDS)}, "document_id": nullable(INT), "communication_id": nullable(INT),
    "page": nullable({**INT, "description": "1-based page of the document."}), "occurred_on": DAY, "title": STR,
    "snippet": {**STR, "description": "Text around the match; matched words between « and »."},
    "ocr": {"type": "boolean", "description": "The page's text was read by OCR."},
    "url": {**STR, "description": "Opens the document at the page (#page=N), or the request's timeline."},
})
SCHEMAS["SearchResults"] = obj({
    "q": STR, "total": INT, "more": {"type": "boolean", "description": "More hits than `total` counts."},
    "page": INT, "per_page": INT, "hits": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
})


@bp.get("/search")
def search():
    args = schemas.query(SEARCH_QUERY)
    filters = search_module.SearchFilters(
        q=args["q"], agency_id=args.get("agency_id"), matter_id=args.get("matter_id"),
        request_id=args.get("request_id"), kind=args.get("kind") or "", date_from=args.get("from"),
        date_to=args.get("to"))
    try:
        results = search_module.search(api_user(), filters, page=args["page"])
    except search_module.SearchRefused as exc:
        raise ValidationFailed(str(exc), {"q": str(exc)}) from exc
    from tracker.documents.views import hit_url

    return {
        "q": args["q"], "total": results.total, "more": results.more, "page": results.page,
        "per_page": results.per_page,
        "hits": [{"request_id": h.request_id, "request_title": h.request_title, "agency": h.agency_name,
                  "kind": h.kind, "document_id": h.document_id, "communication_id": h.communication_id,
                  "page": h.page, "occurred_on": h.occurred_on.isoformat(), "title": h.title,
                  "snippet": search_module.plain_snippet(h.snippet), "ocr": h.source == "ocr",
                  "url": hit_url(h)} for h in results.hits],
    }



