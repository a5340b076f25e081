"""Web pages: the search page, a document opened at its page, and the pieces the request pages show
(text progress, redaction findings, hits inside documents on the request list) as template globals, since
requests may not import documents."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Flask, abort, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import exists, func, select

from tracker.agencies.models import Agency
from tracker.core.clock import now_utc
from tracker.core.converters import MAX_ID
from tracker.core.storage import storage
from tracker.documents import search as search_module
from tracker.documents.models import DONE, KINDS, UNREADABLE, WAITING, DocumentText
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests import access, shown
from tracker.requests.models import RecordsRequest

bp = Blueprint("text", __name__)  # "documents" is the Vaughn index (requests/documents_views.py)
MAX_PAGE = 1000


def _id_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def _date_arg(name: str, errors: dict) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = "Give a date as YYYY-MM-DD."
        return None


def filters_from_args(errors: dict) -> search_module.SearchFilters:
    kind = request.args.get("kind", "")
    return search_module.SearchFilters(
        q=request.args.get("q", ""), agency_id=_id_arg("agency_id"), matter_id=_id_arg("matter_id"),
        request_id=_id_arg("request_id"), kind=kind if kind in KINDS else "",
        date_from=_date_arg("from", errors), date_to=_date_arg("to", errors))


@bp.get("/search")
@login_required
def search_page():
    errors: dict[str, str] = {}
    filters = filters_from_args(errors)
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    results = None
    if filters.q.strip() and not errors:
        try:
            results = search_module.search(current_user, filters, page=page)
        except search_module.SearchRefused as exc:
            errors["q"] = str(exc)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "documents/search.html", filters=filters, results=results, errors=errors, kinds=KINDS, args=args,
        everywhere={k: v for k, v in args.items() if k != "request_id"},
        agencies=db.session.scalars(select(Agency).order_by(Agency.name)).all(),
        matters=db.session.scalars(select(Matter).order_by(Matter.title)).all(),
        request_title=_request_title(filters.request_id),
    ), 422 if errors else 200


def _request_title(request_id: int | None) -> str:
    if not request_id:
        return ""
    req = db.session.get(RecordsRequest, request_id)
    return req.title if req is not None and access.can_view(current_user, req) else ""


def hit_url(hit) -> str:
    """Where a hit opens: a document at its page, or the communication on the request page."""
    if hit.document_id is not None:
        anchor = f"#page={hit.page}" if hit.page else ""
        return url_for("text.view", document_id=hit.document_id) + anchor
    return url_for("requests.show", request_id=hit.request_id) + "#timeline"


@bp.get("/documents/<int:document_id>")
@login_required
def view(document_id: int):
    """The document, shown in the browser when it is a PDF (so #page=N opens the page): the OCR'd copy when
    there is one (its pages can be searched and copied), else the original. Other files download."""
    doc = db.session.get(DocumentText, document_id)
    if doc is None or not access.can_view(current_user, doc.request):
        abort(404)
    original = request.args.get("original") == "1"
    if doc.letter is not None:
        key, content_type, name = doc.letter.storage_key, "application/pdf", doc.letter.filename
    else:
        a = doc.attachment
        key, content_type, name = a.storage_key, a.content_type, a.original_name or f"attachment-{a.id}"
    if doc.ocr_key and not original:
        key, content_type = doc.ocr_key, "application/pdf"
    path = storage().path(key)
    if not path.exists():
        abort(404)
    access.load(current_user, doc.request_id, audit_as="download", detail=name, now=now_utc())
    db.session.commit()
    inline = content_type == "application/pdf"
    response = send_file(path, mimetype=content_type, as_attachment=not inline, download_name=name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not inline:
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- template globals for the request pages --------------------------------------------------------

shown.register_fact("document_texts", lambda: exists().where(DocumentText.request_id == RecordsRequest.id))


def text_progress(req: RecordsRequest) -> dict:
    """"text: 120 of 300 pages" for a request: pages read, pages known, documents waiting or unreadable."""
    none_yet = shown.known(req, "document_texts") is False
    row = (0, 0, 0, 0, 0, 0) if none_yet else db.session.execute(
        select(func.count(), func.coalesce(func.sum(DocumentText.pages), 0),
               func.coalesce(func.sum(DocumentText.pages_read), 0),
               func.coalesce(func.sum(DocumentText.pages_unreadable), 0),
               func.count().filter(DocumentText.state == WAITING),
               func.count().filter(DocumentText.state == UNREADABLE))
        .where(DocumentText.request_id == req.id)).one()
    stored = len(req.attachments) + len(getattr(req, "letters", []) or [])
    documents, pages, read, unreadable, waiting, failed = row
    return {"documents": stored, "known": documents, "pages": int(pages), "read": int(read),
            "unreadable": int(unreadable), "waiting": int(waiting) + max(stored - documents, 0),
            "failed": int(failed)}


def document_texts(req: RecordsRequest) -> dict[int, DocumentText]:
    """Attachment id -> its DocumentText, for the request page's list of documents."""
    rows = db.session.scalars(select(DocumentText).where(DocumentText.request_id == req.id,
                                                         DocumentText.attachment_id.is_not(None))).all()
    return {row.attachment_id: row for row in rows}


def redaction_findings(req: RecordsRequest) -> list[DocumentText]:
    """Documents with a possible failed redaction, for the request's owner, watchers and editors only."""
    if not access.can_act(current_user, req):
        return []
    docs = db.session.scalars(select(DocumentText).where(
        DocumentText.request_id == req.id, DocumentText.state == DONE,
        DocumentText.redaction_checked.is_(True)).order_by(DocumentText.id)).all()
    return [doc for doc in docs if doc.redaction_findings]


def document_search_preview(q: str, agency_id=None, matter_id=None, limit: int = 5):
    """The request list's "also search inside documents": the first hits, or the message why none."""
    filters = search_module.SearchFilters(q=q or "", agency_id=agency_id or None, matter_id=matter_id or None)
    try:
        return search_module.search(current_user, filters, per_page=limit), ""
    except search_module.SearchRefused as exc:
        return None, str(exc)


def init_documents_views(app: Flask) -> None:
    from tracker.documents.exemptions import proposed_exemptions
    from tracker.requests.exemptions import EXEMPTIONS

    app.register_blueprint(bp)
    app.jinja_env.filters["exemption_short"] = lambda code: EXEMPTIONS[code].short if code in EXEMPTIONS else code
    app.jinja_env.globals.update(proposed_exemptions=proposed_exemptions,
        text_progress=text_progress, document_texts=document_texts, redaction_findings=redaction_findings,
        document_search_preview=document_search_preview, search_hit_url=hit_url, search_kinds=KINDS,
    )
