"""The user's own API tokens: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from tracker.auth import api_tokens
from tracker.core.clock import now_utc
from tracker.core.errors import TrackerError
from tracker.core.forms import BaseForm
from tracker.extensions import db

bp = Blueprint("tokens", __name__)


class TokenForm(BaseForm):
    name = StringField("Name", validators=[DataRequired(message="Give the token a name."), Length(max=100)],
                       description="Where you will use it, e.g. “data desk notebook” or “filing script”.")


class RevokeForm(BaseForm):
    pass


def _page(form: TokenForm, *, secret: str = "", status: int = 200):
    response = make_response(render_template(
        "auth/tokens.html", form=form, revoke_form=RevokeForm(formdata=None), secret=secret,
        tokens=api_tokens.tokens_of(current_user),
    ), status)
    response.headers["Cache-Control"] = "no-store"  # the page may show a secret
    return response


@bp.get("/account/tokens")
@login_required
def list_tokens():
    return _page(TokenForm(formdata=None))


@bp.post("/account/tokens")
@login_required
def create():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            _token, secret = api_tokens.create_token(current_user, form.name.data, now=now_utc())
            db.session.commit()
            # Shown on this response only: not flashed (the session cookie is signed, not secret) and not stored.
            return _page(TokenForm(formdata=None), secret=secret, status=201)
        except TrackerError as exc:
            db.session.rollback()
            form.name.errors = list(form.name.errors) + list(exc.fields.values())
    return _page(form, status=422)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    form = RevokeForm()
    if not form.validate_on_submit():
        flash("The form expired. Try again.", "error")
        return redirect(url_for("tokens.list_tokens"))
    token = api_tokens.revoke_token(current_user, token_id, now=now_utc())
    db.session.commit()
    flash(f"Revoked the token “{token.name}”. Programs using it can no longer reach the tracker.")
    return redirect(url_for("tokens.list_tokens"))

