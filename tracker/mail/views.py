"""Pages of incoming mail: Unsorted mail (file or dismiss in one click), one message with its sanitised HTML
and its raw .eml. Thin: load what the user may see (404 otherwise), call a service, commit once."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import Length

from tracker.core.clock import now_utc
from tracker.core.errors import NotFound, TrackerError, ValidationFailed
from tracker.core.storage import storage
from tracker.extensions import db
from tracker.mail import services
from tracker.mail.addresses import mailbox_address, reply_address
from tracker.mail.models import MATCHED_BY, STATUSES, IncomingMessage
from tracker.mail.request_names import request_named
from tracker.mail.sanitize import sanitize_html
from tracker.requests import access

bp = Blueprint("mail", __name__)


class FileForm(FlaskForm):
    # The request as people know it: "Request #12" from its page, or the agency's tracking number (request_names)
    number = StringField("Request # or tracking number", validators=[Length(
        max=100, message="Too long for a request or tracking number (at most 100 characters).")])
    shown_on = HiddenField(default="unsorted")  # the page the form was on, shown again with a field error


class DismissForm(FlaskForm):
    pass


@bp.app_context_processor
def mail_context() -> dict:
    """Templates of other modules show a request's reply address with reply_address_of(token)."""
    return {"reply_address_of": reply_address}


def _load(message_id: int, *, audit_as: str = "") -> IncomingMessage:
    try:
        return services.get_visible(current_user, message_id, audit_as=audit_as)
    except NotFound:
        abort(404)


def _unsorted_page(refused: dict | None = None) -> str:
    messages = services.unsorted_for(current_user)
    return render_template("mail/unsorted.html", messages=messages, file_form=FileForm(formdata=None),
                           dismiss_form=DismissForm(formdata=None), mailbox=mailbox_address(),
                           configured=bool(current_app.config.get("TRACKER_IMAP_HOST")),
                           suggestions={m.id: [r for r in services.suggestions(m) if access.can_view(current_user, r)]
                                        for m in messages}, refused=refused or {})


def _message_page(msg: IncomingMessage, refused: dict | None = None) -> str:
    return render_template("mail/message.html", msg=msg, statuses=STATUSES, matched_by=MATCHED_BY,
                           dismiss_form=DismissForm(formdata=None), refused=refused or {})


@bp.get("/mail/unsorted")
@login_required
def unsorted():
    return _unsorted_page()


@bp.get("/mail/messages/<int:message_id>")
@login_required
def show(message_id: int):
    msg = _load(message_id, audit_as="view")
    db.session.commit()
    return _message_page(msg)


@bp.get("/mail/messages/<int:message_id>/html")
@login_required
def html(message_id: int):
    """The message's HTML, sanitised, for a sandboxed frame on the message page: no script, no remote image."""
    msg = _load(message_id)
    g.frame_ancestors = "'self'"
    body = render_template("mail/html_frame.html", html=sanitize_html(msg.body_html))
    response = make_response(body)
    response.headers["Content-Security-Policy"] = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                                                   "sandbox; frame-ancestors 'self'")
    return response


@bp.get("/mail/messages/<int:message_id>/raw")
@login_required
def raw(message_id: int):
    msg = _load(message_id, audit_as="download")
    path = storage().path(msg.storage_key)
    if not path.exists():
        abort(404)
    db.session.commit()
    response = send_file(path, mimetype="message/rfc822", as_attachment=True, download_name=f"message-{msg.id}.eml")
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.post("/mail/messages/<int:message_id>/file")
@login_required
def file(message_id: int):
    msg = _load(message_id)
    form = FileForm()
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400)
    error = " ".join(form.number.errors)
    if not error:
        try:
            req = request_named(current_user, form.number.data or "")
            services.file_by_hand(msg, req.id, actor=current_user, now=now_utc(), storage=storage(),
                                  max_attachment=services.max_attachment_bytes(current_app.config))
            db.session.commit()
            # No quotation marks around the title: titles often quote something themselves.
            flash(f"Filed on request #{req.id}: {req.title}.")
            return redirect(url_for("mail.unsorted"))
        except ValidationFailed as exc:
            db.session.rollback()
            error = " ".join(exc.fields.values()) or exc.message
        except TrackerError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for("mail.unsorted"))
    # The page the form was on, again, with the error beside the field and what was typed kept.
    refused = {msg.id: {"error": error, "value": form.number.data or ""}}
    if form.shown_on.data == "message":
        return _message_page(msg, refused), 422
    return _unsorted_page(refused), 422


@bp.post("/mail/messages/<int:message_id>/dismiss")
@login_required
def dismiss(message_id: int):
    msg = _load(message_id)
    if not DismissForm().validate_on_submit():
        abort(400)
    try:
        services.dismiss(msg, actor=current_user, now=now_utc())
        db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("mail.unsorted"))
    flash("Dismissed. The message stays in the mailbox.")
    return redirect(url_for("mail.unsorted"))
