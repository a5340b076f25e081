"""Reminder pages: my reminders (preferences, calendar feeds), the calendar feed itself, and for admins the
outbox and the rules."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.auth.permissions import require_admin, require_editor
from tracker.core import mail as outbox
from tracker.core.clock import now_utc, today
from tracker.core.forms import form_status
from tracker.core.handlers import attempt
from tracker.core.mail import OutboxMessage, absolute
from tracker.extensions import db
from tracker.reminders import delivery, ics, queries, settings
from tracker.reminders.forms import EmptyForm, FeedForm, PreferenceForm, RuleForm
from tracker.reminders.rules import DEFAULT_RULES, DEFAULTS, OTHER_KINDS, RULE_KEYS, effective_rules
from tracker.requests.access import can_view

bp = Blueprint("reminders", __name__)




def _render_mine(form: PreferenceForm, *, new_feed: dict | None = None, status: int = 200):
    now = now_utc()
    recent = [r for r in queries.recent_reminders(current_user, now)
              if r.request is not None and can_view(current_user, r.request)]
    return render_template(
        "reminders/mine.html", form=form, recent=recent, tokens=queries.live_tokens(current_user),
        new_feed=new_feed, feed_form=FeedForm(formdata=None), empty_form=EmptyForm(formdata=None),
        rules=DEFAULTS,
    ), status


@bp.route("/reminders", methods=["GET", "POST"], endpoint="mine")
@login_required
def mine():
    pref = settings.preference_for(current_user)
    form = PreferenceForm(obj=None if request.method == "POST" else pref)
    if request.method == "GET":
        form.wanted_kinds.data = [k for k in (*RULE_KEYS, *OTHER_KINDS) if k not in set(pref.muted_kinds or [])]
    if form.validate_on_submit():
        wanted = set(form.wanted_kinds.data or [])
        muted = [k for k in (*RULE_KEYS, *OTHER_KINDS) if k not in wanted]
        if attempt(form, lambda: settings.save_preference(
                current_user, mode=form.mode.data, muted_kinds=muted, newsroom_digest=form.newsroom_digest.data,
                colleagues_digest=form.colleagues_digest.data,
                now=now_utc()) or True):
            flash("Your reminder preferences are saved.")
            return redirect(url_for("reminders.mine"))
    return _render_mine(form, status=form_status(form))


@bp.post("/reminders/calendar")
@login_required
def new_feed():
    form = FeedForm()
    if not form.validate_on_submit():
        abort(400)
    secret = settings.create_calendar_token(current_user, scope=form.scope.data or "mine", now=now_utc())
    db.session.commit()
    new_feed = {"scope": form.scope.data or "mine", "url": absolute("reminders.feed", token=secret)}
    pref = settings.preference_for(current_user)
    form = PreferenceForm(formdata=None, obj=pref)
    form.wanted_kinds.data = [k for k in RULE_KEYS if k not in set(pref.muted_kinds or [])]
    return _render_mine(form, new_feed=new_feed)


@bp.post("/reminders/calendar/<int:token_id>/revoke")
@login_required
def revoke_feed(token_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    settings.revoke_calendar_token(current_user, token_id, now=now_utc())
    db.session.commit()
    flash("The calendar feed URL no longer works. Calendars subscribed to it will stop updating.")
    return redirect(url_for("reminders.mine") + "#calendar")


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """The secret feed URL: no login (calendar apps cannot log in); the token is the credential."""
    found = settings.token_owner(token)
    if found is None:
        abort(404)
    now = now_utc()
    found.last_used_at = now
    body = ics.build_feed(found, today=today(), now=now)
    db.session.commit()
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="foia-deadlines.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# --- editors and admins: the outbox ---------------------------------------------------------------------

@bp.get("/reminders/outbox", endpoint="outbox")
@login_required
def outbox_list():
    require_editor(current_user)
    status = request.args.get("status", "")
    status = status if status in queries.OUTBOX_STATUSES else ""
    page = queries.outbox_page(status, min(max(request.args.get("page", 1, type=int), 1), 100_000))
    return render_template("reminders/outbox.html", page=page, status=status, statuses=queries.OUTBOX_STATUSES,
                           counts=queries.outbox_counts(), smtp=delivery.smtp_configured(),
                           empty_form=EmptyForm(formdata=None))


@bp.get("/reminders/outbox/<int:message_id>", endpoint="message")
@login_required
def message(message_id: int):
    require_editor(current_user)
    row = db.get_or_404(OutboxMessage, message_id)
    return render_template("reminders/message.html", m=row, statuses=queries.OUTBOX_STATUSES,
                           smtp=delivery.smtp_configured(), empty_form=EmptyForm(formdata=None))


@bp.get("/reminders/outbox/<int:message_id>/html", endpoint="message_html")
@login_required
def message_html(message_id: int):
    """The HTML part as the recipient's mail client gets it, shown sandboxed: no script, no outside loads."""
    require_editor(current_user)
    row = db.get_or_404(OutboxMessage, message_id)
    response = Response(row.html_body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.post("/reminders/outbox/<int:message_id>/resend", endpoint="resend")
@login_required
def resend(message_id: int):
    require_editor(current_user)
    if not EmptyForm().validate_on_submit():
        abort(400)
    row = db.get_or_404(OutboxMessage, message_id)
    was = row.status
    outbox.resend(row, now=now_utc())
    db.session.commit()
    flash("Queued again as a new copy." if was == "sent" else "Queued again; it goes out with the next scan.")
    return redirect(url_for("reminders.message", message_id=row.id))


@bp.post("/reminders/outbox/resend-failed", endpoint="resend_failed")
@login_required
def resend_failed():
    require_editor(current_user)
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = outbox.resend_failed(now=now_utc())
    db.session.commit()
    flash(f"Queued {count} failed message{'' if count == 1 else 's'} again.")
    return redirect(url_for("reminders.outbox", status="pending"))


# --- admin: the rules -------------------------------------------------------------------------------------

@bp.get("/reminders/rules", endpoint="rules")
@login_required
def rules_list():
    require_admin(current_user)
    changes = queries.rule_changes()
    return render_template("reminders/rules.html", rules=effective_rules(changes.values()), changes=changes,
                           defaults=DEFAULTS, empty_form=EmptyForm(formdata=None))


@bp.route("/reminders/rules/<key>", methods=["GET", "POST"], endpoint="edit_rule")
@login_required
def edit_rule(key: str):
    require_admin(current_user)
    if key not in DEFAULTS:
        abort(404)
    rule = next(r for r in effective_rules(queries.rule_changes().values()) if r.key == key)
    form = RuleForm(formdata=request.form if request.method == "POST" else None,
                    data={"enabled": rule.enabled, "steps": ", ".join(str(s) for s in rule.steps),
                          "repeat_every": rule.repeat_every})
    if form.validate_on_submit():
        if attempt(form, lambda: settings.save_rule(current_user, key, enabled=form.enabled.data,
                                                     steps_text=form.steps.data, repeat_every=form.repeat_every.data,
                                                     now=now_utc()) or True):
            flash(f"Saved the rule “{rule.label}”. Every open request is looked at again at the next scan.")
            return redirect(url_for("reminders.rules"))
    status = form_status(form)
    return render_template("reminders/rule_form.html", form=form, rule=rule, default=DEFAULTS[key],
                           all_rules=DEFAULT_RULES), status


@bp.post("/reminders/rules/<key>/reset", endpoint="reset_rule")
@login_required
def reset_rule(key: str):
    require_admin(current_user)
    if key not in DEFAULTS or not EmptyForm().validate_on_submit():
        abort(404 if key not in DEFAULTS else 400)
    settings.reset_rule(current_user, key)
    db.session.commit()
    flash(f"The rule “{DEFAULTS[key].label}” is back to its default.")
    return redirect(url_for("reminders.rules"))
