"""Web pages for letters: choose a kind, fill the form with a live preview, generate the PDF, copy the
portal text, record the letter as sent. Letters of a private request are as private as the request."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from tracker.core.clock import now_utc, today
from tracker.core.errors import NotFound, TrackerError
from tracker.core.handlers import attempt
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.letters import services, sources
from tracker.letters import stage as stages
from tracker.letters.forms import OTHER_GROUNDS, LetterForm, SentForm, sections_for
from tracker.letters.models import Letter
from tracker.letters.options import LetterOptions, initial_determination
from tracker.requests import access
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.models import RecordsRequest
from tracker.requests.status import STATUSES

bp = Blueprint("letters", __name__)

MOVE_ON_LABELS = {
    "appeal": "Also record the appeal as filed (the request moves to “Appeal pending”)",
    "mediate": "Also record that you asked OGIS to mediate (the request moves to “In OGIS mediation”)",
}


def _search():
    return sources.roots(current_app.config)


def _load_letter(letter_id: int, *, act: bool = False, audit_as: str = "") -> Letter:
    """A letter is as visible as its request: 404 for one the user may not see."""
    letter = db.session.get(Letter, letter_id)
    if letter is None:
        raise NotFound("There is no letter with this id.")
    access.load(current_user, letter.request_id, act=act, audit_as=audit_as,
                detail=letter.filename if audit_as == "download" else letter.label)
    return letter


@bp.get("/requests/<int:request_id>/letters")
@login_required
def index(request_id: int):
    req = access.load(current_user, request_id, audit_as="view", detail="letters")
    catalog = sources.catalog(_search())
    db.session.commit()
    kinds = catalog.fitting(req.agency.jurisdiction)
    return render_template("letters/index.html", req=req, kinds=kinds, broken=catalog.broken,
                           offers={k.key: stages.offer(k.key, req, today()) for k in kinds},
                           can_act=access.can_act(current_user, req))


def _argument_codes(req: RecordsRequest, options: LetterOptions) -> list[str]:
    determination = initial_determination(req)
    cited = list(determination.exemptions or []) if determination is not None else []
    return list(dict.fromkeys(cited + list(options.contested)))


def _arguments_from_post() -> dict[str, str]:
    notes = {}
    for code in [*EXEMPTIONS, *OTHER_GROUNDS, "search"]:
        value = (request.form.get(f"argument-{code}") or "").replace("\x00", "").strip()
        if value:
            notes[code] = value[:20000]
    return notes


@bp.route("/requests/<int:request_id>/letters/new/<kind>", methods=["GET", "POST"])
@login_required
def compose(request_id: int, kind: str):
    req = access.load(current_user, request_id, act=True)
    form = LetterForm()
    problems: list[str] = []
    status = 200
    if request.method == "GET":
        options = services.default_options(req, kind, current_user)
        form.load(options)
        access.load(current_user, request_id, audit_as="view", detail=f"letter form: {kind}"[:100])
        db.session.commit()
    else:
        valid = form.validate_on_submit()
        options = form.options(_arguments_from_post())
        if not valid:
            status = 422
        elif request.form.get("do") == "generate":
            letter = attempt(form, lambda: services.generate_letter(
                req, kind, options, actor=current_user, now=now_utc(), today=today(), storage=storage(),
                search=_search(), letterhead=services.letterhead_from_config(current_app.config)))
            if letter:
                flash(f"{letter.label} generated. Download the PDF or copy the text below.")
                return redirect(url_for("letters.show", letter_id=letter.id))
            problems = list(form.form_errors)
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
    offer = stages.offer(kind, req, today())
    sections = [(title, [n for n in names if n != "confirm_second_appeal" or offer.confirm])
                for title, names in sections_for(kind)]
    return render_template(
        "letters/compose.html", req=req, spec=draft.spec, form=form, sections=sections, offer=offer,
        other_grounds=OTHER_GROUNDS,
        appeal_check=kind == "appeal" and bool(draft.context["agency"].get("appeal_check")),
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
        can_act=access.can_act(current_user, req),
    ), status


@bp.get("/letters/<int:letter_id>")
@login_required
def show(letter_id: int):
    letter = _load_letter(letter_id, audit_as="view")
    db.session.commit()
    return _render_show(letter, _sent_form(letter))


@bp.get("/letters/<int:letter_id>/pdf")
@login_required
def download(letter_id: int):
    letter = _load_letter(letter_id, audit_as="download")
    path = storage().path(letter.storage_key)
    if not path.exists():
        abort(404)
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
        if attempt(form, lambda: services.record_as_sent(letter, inp, actor=current_user, now=now_utc(),
                                                          today=today(), storage=storage())):
            flash(f"{letter.label} recorded as sent.")
            return redirect(url_for("requests.show", request_id=letter.request_id) + "#timeline")
        problems = list(form.form_errors)
    return _render_show(letter, form, problems, status=422)


from tracker.letters import agency_views, bulk_letters  # noqa: E402, F401  (routes on bp; bulk actions)
