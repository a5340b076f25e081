"""Log in, log out, and the admin's user list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from tracker.auth import devices, password_reset, services, sessions, throttle
from tracker.auth.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm, UserForm
from tracker.auth.models import User
from tracker.auth.permissions import require_admin
from tracker.core.clock import now_utc
from tracker.core.errors import TrackerError
from tracker.core.forms import form_status
from tracker.core.handlers import place_errors
from tracker.core.safe_redirect import safe_next
from tracker.extensions import db

bp = Blueprint("auth", __name__)


def _client(email: str | None) -> throttle.Client:
    """The one trying to log in: the account, the client's address (behind TRACKER_TRUSTED_PROXIES, the real
    one), and this browser's device cookie for the account, if it has a valid one."""
    return throttle.Client.of(email, request.remote_addr or "unknown", devices.nonce_for(email or ""))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        now, client = now_utc(), _client(form.email.data)
        wait = throttle.wait_needed(client, now)
        if wait is not None:
            seconds = max(int(wait.total_seconds()), 1)
            amount, unit = (-(-seconds // 60), "minute") if seconds >= 60 else (seconds, "second")
            when = f"{amount} {unit}{'' if amount == 1 else 's'}"
            form.password.errors.append(f"Too many failed attempts. Try again in {when}.")
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(seconds)
            return response
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            throttle.clear_failures(client)
            sessions.start(user, now=now)
            db.session.commit()
            session.clear()  # a fresh session on login: nothing carried over from before
            login_user(user, remember=form.remember.data)
            session.permanent = True
            response = redirect(safe_next(request.args.get("next"), url_for("requests.list_requests")))
            devices.issue(response, user.email, client.device)
            return response
        throttle.record_failure(client, now)
        db.session.commit()
        form.password.errors.append("That email and password do not match an active account.")
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """End this login on the server too: the session cookie and the remember-me cookie stop working."""
    if current_user.is_authenticated:
        sessions.end(current_user.login_session_id, now=now_utc())
        db.session.commit()
    logout_user()
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("auth.login"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of this user, on every device, including remember-me cookies."""
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are logged out on every device.")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """Always the same answer, so the page does not tell who has an account."""
    from tracker.core.mail import absolute, queue

    form = ForgotPasswordForm()
    if form.validate_on_submit():
        now = now_utc()
        client = throttle.Client.of(form.email.data, request.remote_addr or "unknown")
        if throttle.reset_allowed(client, now):  # its own limit: a reset request is never a failed login
            user = services.find_by_email(form.email.data)
            if user is not None and user.active:
                link = absolute("auth.reset_password", token=password_reset.make_token(user))
                mail = password_reset.reset_email(user, link, now)
                queue(to_address=user.email, now=now, user_id=user.id, **mail)
        db.session.commit()
        flash("If an active account has that address, we have sent it a link to set a new password. "
              "The link works once, for one hour.")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    try:
        password_reset.user_for_token(token)
    except TrackerError as exc:
        return render_template("auth/reset.html", form=None, problem=exc.message), 400
    if form.validate_on_submit():
        try:
            password_reset.reset_password(token, form.password.data)
            db.session.commit()
            flash("Your password is set. Log in with it.")
            return redirect(url_for("auth.login"))
        except TrackerError as exc:
            db.session.rollback()
            form.password.errors.append(exc.fields.get("password", exc.message))
    return render_template("auth/reset.html", form=form, problem=None)


@bp.get("/users")
@login_required
def list_users():
    require_admin(current_user)
    users = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("auth/users.html", users=users)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int | None = None):
    require_admin(current_user)
    user = db.get_or_404(User, user_id) if user_id else None
    form = UserForm(obj=user)
    if user is not None and request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        try:
            if user is None:
                if not form.password.data:
                    raise TrackerError("Password required.", {"password": "Set a password for the new user."})
                user = services.create_user(name=form.name.data, email=form.email.data,
                                            password=form.password.data, role=form.role.data)
                user.active = form.active.data
            else:
                if user.id == current_user.id and (not form.active.data or form.role.data != "admin"):
                    raise TrackerError("Cannot demote yourself.",
                                       {"role": "You cannot remove your own administrator access."})
                services.update_user(user, name=form.name.data, email=form.email.data, role=form.role.data,
                                     active=form.active.data, password=form.password.data or None)
            db.session.commit()
            flash(f"Saved {user.name}.")
            return redirect(url_for("auth.list_users"))
        except TrackerError as exc:
            db.session.rollback()
            place_errors(form, exc)
    elif request.method == "POST" and user_id and user is None:
        abort(404)
    return render_template("auth/user_form.html", form=form, user=user), form_status(form)
