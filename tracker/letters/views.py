"""Web pages for letters: choose a kind, fill the form with a live preview, generate the PDF, copy the
portal text, record the letter as sent. Letters of a private request are as private as the request."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from tracker.auth.permissions import can_act_on_request, require_act, require_view
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.letters import services, sources
from tracker.letters.forms import LetterForm, SentForm, sections_for
from tracker.letters.models import Letter
from tracker.letters.options import LetterOptions, initial_determination
from tracker.requests import audit
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.models import RecordsRequest
from tracker.requests.status import STATUSES

bp = Blueprint("letters", __name__)

MOVE_ON_LABELS = {
    "appeal": "Also record the appeal as filed (the request moves to “Appeal pending”)",
    "mediate": "Also record that you asked OGIS to mediate (the request moves to “In OGIS mediation”)",
}


def _storage() -> DirectoryStorage:
    return DirectoryStorage(current_app.config["TRACKER_UPLOAD_DIR"])


def _search():
    return sources.roots(current_app.config)


def _load_request(request_id: int, *, act: bool = False) -> RecordsRequest:
    req = db.get_or_404(RecordsRequest, request_id)
    (require_act if act else require_view)(current_user, req)
    return req


def _load_letter(letter_id: int, *, act: bool = False) -> Letter:
    letter = db.get_or_404(Letter, letter_id)
    (require_act if act else require_view)(current_user, letter.request)
    return letter


def _audit(req: RecordsRequest, action: str, detail: str) -> None:
    audit.record(req, actor=current_user, now=now_utc(), action=action, detail=detail,
                 address=request.remote_addr or "")


def _place_errors(form, exc: TrackerError) -> list[str]:
    """Put field messages on the form's fields; return the rest for the top of the page."""
    loose = []
    for name, message in exc.fields.items():
        target = form._fields.get(name)
        if target is not None:
            target.errors = list(target.errors) + [message]
        else:
            loose.append(message)
    return loose or ([] if exc.fields else [exc.message])


@bp.get("/requests/<int:request_id>/letters")
@login_required
def index(request_id: int):
    req = _load_request(request_id)
    catalog = sources.catalog(_search())
    _audit(req, "view", "letters")
    db.session.commit()
    return render_template("letters/index.html", req=req, kinds=catalog.fitting(req.agency.jurisdiction),
                           broken=catalog.broken, can_act=can_act_on_request(current_user, req))


def _argument_codes(req: RecordsRequest, options: LetterOptions) -> list[str]:
    determination = initial_determination(req)
    cited = list(determination.exemptions or []) if determination is not None else []
    return list(dict.fromkeys(cited + list(options.contested)))


def _arguments_from_post() -> dict[str, str]:
    notes = {}
    for code in [*EXEMPTIONS, "search"]:
        value = (request.form.get(f"argument-{code}") or "").replace("\x00", "").strip()
        if value:
            notes[code] = value[:20000]
    return notes


@bp.route("/requests/<int:request_id>/letters/new/<kind>", methods=["GET", "POST"])
@login_required
def compose(request_id: int, kind: str):
    req = _load_request(request_id, act=True)
    form = LetterForm()
    problems: list[str] = []
    status = 200
    if request.method == "GET":
        options = services.default_options(req, kind, current_user)
        form.load(options)
        _audit(req, "view", f"letter form: {kind}"[:100])
        db.session.commit()
    else:
        valid = form.validate_on_submit()
        options = form.options(_arguments_from_post())
        if not valid:
            status = 422
        elif request.form.get("do") == "generate":
            try:
                letter = services.generate_letter(
                    req, kind, options, actor=current_user, now=now_utc(), today=today(), storage=_storage(),
                    search=_search(), letterhead=services.letterhead_from_config(current_app.config))
                _audit(req, "change", f"generated {letter.label}")
                db.session.commit()
                flash(f"{letter.label} generated. Download the PDF or copy the text below.")
                return redirect(url_for("letters.show", letter_id=letter.id))
            except TrackerError as exc:
                db.session.rollback()
                req = _load_request(request_id, act=True)
                problems = _place_errors(form, exc)
                status = 422
    draft = services.prepare(req, kind, options, today=today(), search=_search(),
                             letterhead=services.letterhead_from_config(current_app.config))
    html = None
    if not draft.missing:
        try:
            html = services.preview_html(draft, screen=True)
        except TrackerError as exc:
            problems = [exc.message]
            status = 422
    return render_template(
        "letters/compose.html", req=req, spec=draft.spec, form=form, sections=sections_for(kind),
        missing=draft.missing, html=html, problems=problems, exemptions=EXEMPTIONS,
        argument_codes=_argument_codes(req, options), arguments=options.arguments,
        earlier=[x for x in req.letters if x.kind == kind],
    ), status


def _sent_form(letter: Letter) -> SentForm:
    form = SentForm(formdata=None)
    form.on.data = today()
    form.channel.data = (letter.options or {}).get("channel") or "portal"
    return form


def _render_show(letter: Letter, sent_form: SentForm, problems: list[str] = (), status: int = 200):
    req = letter.request
    action = services.lifecycle_action(letter, move_on=True)
    if action in MOVE_ON_LABELS:
        sent_form.move_on.label.text = MOVE_ON_LABELS[action]
    return render_template(
        "letters/show.html", letter=letter, req=req, sent_form=sent_form, problems=list(problems),
        versions=[x for x in req.letters if x.kind == letter.kind], action=action,
        move_on_label=MOVE_ON_LABELS.get(action or ""), statuses=STATUSES,
        can_act=can_act_on_request(current_user, req),
    ), status


@bp.get("/letters/<int:letter_id>")
@login_required
def show(letter_id: int):
    letter = _load_letter(letter_id)
    _audit(letter.request, "view", letter.label)
    db.session.commit()
    return _render_show(letter, _sent_form(letter))


@bp.get("/letters/<int:letter_id>/pdf")
@login_required
def download(letter_id: int):
    letter = _load_letter(letter_id)
    path = _storage().path(letter.storage_key)
    if not path.exists():
        abort(404)
    _audit(letter.request, "download", letter.filename)
    db.session.commit()
    response = send_file(path, mimetype="application/pdf", as_attachment=True, download_name=letter.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/letters/<int:letter_id>/sent")
@login_required
def record_sent(letter_id: int):
    letter = _load_letter(letter_id, act=True)
    form = SentForm()
    problems: list[str] = []
    if form.validate_on_submit():
        inp = services.SendInput(on=form.on.data, channel=form.channel.data, received_on=form.received_on.data,
                                 tracking_number=form.tracking_number.data or "", move_on=form.move_on.data,
                                 note=form.note.data or "")
        try:
            services.record_as_sent(letter, inp, actor=current_user, now=now_utc(), today=today(),
                                    storage=_storage())
            _audit(letter.request, "change", f"recorded {letter.label} as sent")
            db.session.commit()
            flash(f"{letter.label} recorded as sent.")
            return redirect(url_for("requests.show", request_id=letter.request_id) + "#timeline")
        except TrackerError as exc:
            db.session.rollback()
            letter = _load_letter(letter_id, act=True)
            problems = _place_errors(form, exc)
    return _render_show(letter, form, problems, status=422)
