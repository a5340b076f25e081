"""Agency scorecards: how fast each agency acknowledges and answers, how often on time, what it grants,
and which exemptions it cites most (from determinations and their Vaughn index). Plain dicts.

Two statements whatever the number of requests: the period's windows of facts kept on write (windows.py:
counts per agency and value, from which the medians are read), with what today decides (a deadline or an
estimate passed) counted live from the few requests whose date is still ahead; then the agencies' names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from functools import cache

from sqlalchemy import and_, false, func, literal, literal_column, select, union_all

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.board import windows
from tracker.board.models import BoardFact, BoardOwnerWindowTally, BoardWindowTally
from tracker.board.queries import AGENCY_CLOCK, SINCE, TODAY, _scope_kind, _scope_sql
from tracker.extensions import db
from tracker.requests import estimates
from tracker.requests.access import VIEWER_ID
from tracker.requests.exemptions import EXEMPTIONS, most_cited
from tracker.requests.models import RecordsRequest, request_watchers

R = RecordsRequest
PERIODS = {"12": ("Last 12 months", 365), "36": ("Last 3 years", 3 * 365), "all": ("All time", None)}
# Outcome, its short label in the chart, and its colour key in charts.PALETTE.
OUTCOME_PARTS = (("granted_in_full", "Granted in full", "full"), ("granted_in_part", "Granted in part", "part"),
                 ("denied", "Denied", "denied"), ("no_records", "No records", "no_records"),
                 ("referred", "Referred", "referred"))
TOP_EXEMPTIONS = 5
DAY_KINDS = frozenset({"ack_days", "det_days"})  # histograms: how many acknowledgments or determinations took N days


def _blank() -> dict:
    return {"requests": 0, "ack_days": Counter(), "det_days": Counter(), "judged": 0, "on_time": 0,
            "overdue_now": 0, "outcomes": Counter(), "exemptions": Counter(), "estimated": 0, "estimates_missed": 0}


@cache
def _statement(kind: str, period: str, bounded_since: bool):
    """Per agency, the facts of the period's two windows (windows.py) in the viewer's scope (for a reporter, with
    their own private requests' counts, and the facts of the private requests of others they watch counted live),
    and the requests whose deadline or estimate is still ahead of today."""
    W, F, OW = BoardWindowTally.__table__, BoardFact.__table__, BoardOwnerWindowTally.__table__
    names = (f"r{period}", f"d{period}")
    scope = _scope_sql(kind)
    tally_scope = [W.c.private.is_(False)] if kind in ("public", "member") else ([] if kind == "all" else [false()])
    # Grouped by window too (its kinds are its own, so the sums are the same): the order of the window's index.
    parts = [select(W.c.agency_id, W.c.kind, W.c.key, func.sum(W.c.n))
             .where(W.c.window.in_(names), W.c.agency_id != 0, W.c.n > 0, *tally_scope)
             .group_by(W.c.window, W.c.agency_id, W.c.kind, W.c.key)]
    if kind == "member":
        in_period = [F.c.kind.in_(windows.REQUEST_KINDS) | (F.c.kind.in_(windows.DECISION_KINDS) & (F.c.day <= TODAY))]
        if bounded_since:
            in_period.append(F.c.day > SINCE)
        parts.append(select(OW.c.agency_id, OW.c.kind, OW.c.key, func.sum(OW.c.n))
                     .where(OW.c.window.in_(names), OW.c.owner_id == VIEWER_ID, OW.c.agency_id != 0, OW.c.n > 0)
                     .group_by(OW.c.agency_id, OW.c.kind, OW.c.key))
        watched = select(request_watchers.c.request_id).where(request_watchers.c.user_id == VIEWER_ID)
        parts.append(select(F.c.agency_id, F.c.kind, F.c.key, func.count())
                     .where(F.c.request_id.in_(watched), F.c.private.is_(True), F.c.owner_id != VIEWER_ID, *in_period)
                     .group_by(F.c.agency_id, F.c.kind, F.c.key))
    received = [R.received_on > SINCE] if bounded_since else [R.received_on.is_not(None)]
    for name, ahead in (("ahead_due", and_(R.status.in_(AGENCY_CLOCK), R.response_due >= TODAY)),
                        ("ahead_estimate", and_(R.status.in_(estimates.RUNNING),
                                                R.estimated_completion_on >= TODAY))):
        # agency_id + 0: read the few requests from the deadline's index, not every request by agency
        few = select((R.agency_id + literal_column("0")).label("agency_id")).where(ahead, scope, *received).subquery()
        parts.append(select(few.c.agency_id, literal(name), literal(""), func.count()).group_by(few.c.agency_id))
    return union_all(*parts)


def scorecards(viewer: User, today: date, period: str = "12") -> list[dict]:
    """One scorecard per agency with requests received or answered in the period, busiest first."""
    period = period if period in PERIODS else "12"
    days = PERIODS[period][1]
    windows.current(db.session, today)  # a day's first read moves the windows; the caller commits
    raw: dict[int, dict] = defaultdict(_blank)
    live: Counter = Counter()
    params = {"today": today, "since": today - timedelta(days=days) if days else None,
              "viewer_id": getattr(viewer, "id", None)}
    # Fetched at once, and the histograms of days (most of the rows: an agency's every count of days) counted first
    # with the fewest steps: at a newsroom network's size they are a few thousand rows.
    for agency_id, kind, key, n in db.session.execute(_statement(_scope_kind(viewer), period, bool(days)),
                                                      params).all():
        n = int(n or 0)
        if kind in DAY_KINDS:
            histogram, key = raw[agency_id][kind], int(key)
            histogram[key] = histogram.get(key, 0) + n
            continue
        if kind in ("ahead_due", "ahead_estimate", "estimate_running", "clock_dated"):
            live[(agency_id, kind)] += n
            continue
        card = raw[agency_id]
        if kind in ("requests", "estimated", "judged"):
            card[kind] += n
            card["on_time"] += n if kind == "judged" and key == "on_time" else 0
        elif kind == "estimate_missed":
            card["estimates_missed"] += n
        elif kind == "outcome":
            card["outcomes"][key] += n
        elif kind == "exemption":
            card["exemptions"][key] += n
    for agency_id in list(raw):  # what today decides: a deadline or an estimate passed
        card = raw[agency_id]
        card["overdue_now"] = live[(agency_id, "clock_dated")] - live[(agency_id, "ahead_due")]
        card["estimates_missed"] += live[(agency_id, "estimate_running")] - live[(agency_id, "ahead_estimate")]
    return _finish(raw)


def _finish(raw: dict[int, dict]) -> list[dict]:
    names = {a.id: a for a in db.session.execute(
        select(Agency.id, Agency.name, Agency.abbreviation, Agency.jurisdiction).where(Agency.id.in_(list(raw)))
    )} if raw else {}
    out = []
    for agency_id, c in raw.items():
        agency = names.get(agency_id)
        if agency is None:
            continue
        determined = sum(c["outcomes"].values())
        top = [(code, c["exemptions"][code]) for code in most_cited(c["exemptions"])[:TOP_EXEMPTIONS]]
        out.append({
            "agency_id": agency_id, "name": agency.name, "abbreviation": agency.abbreviation,
            "jurisdiction": agency.jurisdiction, "requests": c["requests"], "determinations": determined,
            "median_days_to_acknowledgment": windows.median(c["ack_days"]), "acknowledged": sum(c["ack_days"].values()),
            "median_days_to_determination": windows.median(c["det_days"]),
            "judged": c["judged"], "on_time": c["on_time"],
            "on_time_share": c["on_time"] / c["judged"] if c["judged"] else None,
            "overdue_now": c["overdue_now"],
            "estimated": c["estimated"], "estimates_missed": c["estimates_missed"],
            "outcomes": [{"outcome": o, "label": label, "key": key, "count": c["outcomes"].get(o, 0),
                          "share": c["outcomes"].get(o, 0) / determined if determined else None}
                         for o, label, key in OUTCOME_PARTS],
            "other_outcomes": determined - sum(c["outcomes"].get(o, 0) for o, _l, _k in OUTCOME_PARTS),
            "top_exemptions": [{"code": code, "short": EXEMPTIONS[code].short if code in EXEMPTIONS else code,
                                "description": EXEMPTIONS[code].description if code in EXEMPTIONS else "",
                                "count": n} for code, n in top],
        })
    out.sort(key=lambda s: (-s["requests"], -s["determinations"], s["name"]))
    return out

