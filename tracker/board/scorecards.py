"""Agency scorecards: how fast each agency acknowledges and answers, how often on time, what it grants,
and which exemptions it cites most (from determinations and their Vaughn index). Plain dicts.

Three queries of plain tuples whatever the number of agencies; working days to acknowledgment are
counted with each agency's own calendar, those to determination are stored on the determination.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from tracker import deadlines
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.board.queries import AGENCY_CLOCK, scope
from tracker.extensions import db
from tracker.requests.documents import DeterminationDocument
from tracker.requests.exemptions import EXEMPTIONS, most_cited
from tracker.requests.models import Determination, RecordsRequest

R = RecordsRequest
PERIODS = {"12": ("Last 12 months", 365), "36": ("Last 3 years", 3 * 365), "all": ("All time", None)}
# Outcome, its short label in the chart, and its colour key in charts.PALETTE.
OUTCOME_PARTS = (("granted_in_full", "Granted in full", "full"), ("granted_in_part", "Granted in part", "part"),
                 ("denied", "Denied", "denied"), ("no_records", "No records", "no_records"),
                 ("referred", "Referred", "referred"))
TOP_EXEMPTIONS = 5


class _Calendars(dict):
    """Each jurisdiction's working-day calendar, looked up once per page."""

    def between(self, code: str, start: date | None, end: date | None) -> int | None:
        if start is None or end is None:
            return None
        if code not in self:
            try:
                self[code] = deadlines.calendar_for(deadlines.jurisdiction(code))
            except deadlines.DeadlineError:
                self[code] = None
        cal = self[code]
        if cal is None:
            return None
        try:
            return max(cal.between(start, end), 0)
        except deadlines.DeadlineError:
            return None


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def _blank() -> dict:
    return {"requests": 0, "ack_days": [], "det_days": [], "judged": 0, "on_time": 0, "overdue_now": 0,
            "outcomes": Counter(), "exemptions": Counter()}


def scorecards(viewer: User, today: date, period: str = "12") -> list[dict]:
    """One scorecard per agency with requests received or answered in the period, busiest first."""
    days = PERIODS.get(period, PERIODS["12"])[1]
    since = today - timedelta(days=days) if days else None
    cals = _Calendars()
    raw: dict[int, dict] = defaultdict(_blank)

    received = (select(R.agency_id, Agency.jurisdiction, R.received_on, R.acknowledged_on, R.status, R.response_due)
                .join(Agency, Agency.id == R.agency_id).where(scope(viewer), R.received_on.is_not(None)))
    if since:
        received = received.where(R.received_on > since)
    for agency_id, code, got, acked, status, due in db.session.execute(received):
        card = raw[agency_id]
        card["requests"] += 1
        if (n := cals.between(code, got, acked)) is not None:
            card["ack_days"].append(n)
        if status in AGENCY_CLOCK and due is not None and due < today:
            card["overdue_now"] += 1

    # Working days and "on time" are stored on each initial determination (requests/due_dates.recompute).
    decided = (select(R.agency_id, Determination.id, Determination.stage, Determination.outcome,
                      Determination.working_days, Determination.on_time, Determination.exemptions,
                      DeterminationDocument.exemptions)
               .select_from(Determination).join(R, R.id == Determination.request_id)
               .outerjoin(DeterminationDocument, DeterminationDocument.determination_id == Determination.id)
               .where(scope(viewer), Determination.decided_on <= today).order_by(Determination.id))
    if since:
        decided = decided.where(Determination.decided_on > since)
    cited: dict[int, tuple[int, set]] = {}  # determination -> (agency, codes incl. its documents')
    for agency_id, det_id, stage, outcome, working_days, on_time, codes, doc_codes in db.session.execute(decided):
        if det_id not in cited:
            cited[det_id] = (agency_id, set(codes or []))
            card = raw[agency_id]
            if stage == "initial":
                card["outcomes"][outcome] += 1
                if working_days is not None:
                    card["det_days"].append(working_days)
                if on_time is not None:
                    card["judged"] += 1
                    card["on_time"] += bool(on_time)
        cited[det_id][1].update(doc_codes or [])
    for agency_id, codes in cited.values():
        raw[agency_id]["exemptions"].update(codes)
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
            "median_days_to_acknowledgment": _median(c["ack_days"]), "acknowledged": len(c["ack_days"]),
            "median_days_to_determination": _median(c["det_days"]),
            "judged": c["judged"], "on_time": c["on_time"],
            "on_time_share": c["on_time"] / c["judged"] if c["judged"] else None,
            "overdue_now": c["overdue_now"],
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

