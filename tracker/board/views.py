"""The newsroom status board, its live fragment, the agency scorecards and the wall-screen links."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from tracker.auth.permissions import require_editor
from tracker.board import charts, queries, scorecards, services
from tracker.board.card_html import column_html
from tracker.board.models import BoardShare
from tracker.core.clock import now_utc, today
from tracker.core.errors import TrackerError
from tracker.extensions import db

bp = Blueprint("board", __name__)

DEFAULT_REFRESH_SECONDS = 60
NEW_LINK = "board_new_share_link"  # the link just made, shown once on the next page


def _refresh_seconds() -> int:
    from flask import current_app

    return int(current_app.config.get("TRACKER_BOARD_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS))


def _tv() -> bool:
    return request.args.get("tv") == "1"


def _render(template: str, *, viewer, filters: queries.BoardFilters, fragment_url: str, wall: bool, **extra):
    # A wall screen is seen by the whole room, whoever signed it in: public requests only (viewer None),
    # and its columns scroll through their cards by themselves (board.js), so they hold a full column.
    data = queries.board(None if wall else viewer, filters, today(), only=request.args.get("column", ""), wall=wall,
                         per_column=queries.PER_COLUMN)
    page = render_template(template, board=data, filters=filters, fragment_url=fragment_url, tv=_tv(), wall=wall,
                           refresh_seconds=_refresh_seconds(), updated_at=now_utc(),
                           describe=queries.describe_filters, column_html=column_html, **extra)
    # A day's first read moved the 12-month window (windows.py). Committed after rendering: the commit expires
    # the signed-in user, whom the page's header would then load again.
    db.session.commit()
    return page


@bp.get("/board")
@login_required
def show():
    filters = queries.BoardFilters.from_args(request.args)
    args = {**filters.as_args(), **({"tv": "1"} if _tv() else {}),
            **({"column": request.args["column"]} if request.args.get("column") else {})}
    return _render("board/board.html", viewer=current_user, filters=filters, wall=_tv(),
                   fragment_url=url_for("board.fragment", **args), options=queries.filter_options(current_user),
                   column_labels=queries.COLUMN_LABELS, shared=None)


@bp.get("/board/fragment")
def fragment():
    """What the board refreshes every minute. Signed out (session ended): 401, and the page reloads."""
    if not current_user.is_authenticated:
        return "Signed out", 401
    filters = queries.BoardFilters.from_args(request.args)
    return _render("board/_live.html", viewer=current_user, filters=filters, fragment_url="", wall=_tv())


@bp.get("/board/shared/<token>")
def shared(token: str):
    """The read-only board of a wall-screen link: no login, public requests only, no notes."""
    share = services.share_for_token(token, now=now_utc())
    db.session.commit()  # the "last used" note
    filters = queries.BoardFilters.from_args(share.filters or {})
    args = {"tv": "1"} if _tv() else {}
    return _render("board/board.html", viewer=None, filters=filters, wall=True, shared=share,
                   fragment_url=url_for("board.shared_fragment", token=token, **args), options=None,
                   column_labels=queries.COLUMN_LABELS)


@bp.get("/board/shared/<token>/fragment")
def shared_fragment(token: str):
    share = services.share_for_token(token, now=now_utc())
    db.session.commit()
    filters = queries.BoardFilters.from_args(share.filters or {})
    return _render("board/_live.html", viewer=None, filters=filters, fragment_url="", wall=True)


@bp.get("/board/agencies")
@login_required
def agencies():
    period = request.args.get("period", "12")
    if period not in scorecards.PERIODS:
        period = "12"
    cards = scorecards.scorecards(current_user, today(), period)
    db.session.commit()  # a day's first read moved the scorecards' windows (windows.py)
    timed = [c for c in cards if c["median_days_to_determination"] is not None]
    comparison = {
        "speed": charts.bar_chart(
            [(c["abbreviation"] or c["name"], c["median_days_to_determination"],
              f"{c['median_days_to_determination']:g} working days") for c in timed],
            title="Median working days from receipt to determination, by agency"),
        "on_time": charts.bar_chart(
            [(c["abbreviation"] or c["name"], 100 * c["on_time_share"],
              f"{round(100 * c['on_time_share'])}% ({c['on_time']} of {c['judged']})")
             for c in cards if c["on_time_share"] is not None],
            title="Share of determinations made on time, by agency", max_value=100),
    }
    for c in cards:
        c["outcome_chart"] = charts.share_bar(
            [(o["label"], o["count"], o["key"]) for o in c["outcomes"]],
            title=f"Outcomes of {c['name']}'s determinations")
        c["exemption_chart"] = charts.bar_chart(
            [(e["short"], e["count"], f"{e['count']}") for e in c["top_exemptions"]],
            title=f"Exemptions {c['name']} cites most", color=charts.PALETTE["late"]) if c["top_exemptions"] else None
    return render_template("board/agencies.html", cards=cards, comparison=comparison, period=period,
                           periods=scorecards.PERIODS)


# --- wall-screen links -----------------------------------------------------------------------------

@bp.get("/board/shares")
@login_required
def shares():
    require_editor(current_user)
    filters = queries.BoardFilters.from_args(request.args)
    return render_template("board/shares.html", shares=services.list_shares(), filters=filters, errors={},
                           new_link=session.pop(NEW_LINK, None), describe=queries.describe_filters)


@bp.post("/board/shares")
@login_required
def create_share():
    require_editor(current_user)
    filters = queries.BoardFilters.from_args(request.form)
    try:
        share, token = services.create_share(actor=current_user, now=now_utc(), label=request.form.get("label", ""),
                                             filters=filters.as_args())
        db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        return render_template("board/shares.html", shares=services.list_shares(), filters=filters, errors=exc.fields,
                               label=request.form.get("label", ""), describe=queries.describe_filters), 422
    session[NEW_LINK] = url_for("board.shared", token=token, tv="1", _external=True)
    flash(f"Made the link “{share.label}”. Copy it now: it is shown only once.")
    return redirect(url_for("board.shares"))


@bp.post("/board/shares/<int:share_id>/revoke")
@login_required
def revoke_share(share_id: int):
    require_editor(current_user)
    share = db.session.get(BoardShare, share_id) or abort(404)
    services.revoke_share(share, actor=current_user, now=now_utc())
    db.session.commit()
    flash(f"Revoked “{share.label}”. Screens using it stop within a minute.")
    return redirect(url_for("board.shares"))
