"""The agency scorecards counted the slow way, from every request and determination (the algorithm the page
used before it read windows kept on write): what test_board_tallies compares the page's figures with."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from tracker.agencies.models import Agency
from tracker.board import scorecards, windows
from tracker.board.queries import AGENCY_CLOCK, scope
from tracker.board.windows import _Calendars
from tracker.extensions import db
from tracker.requests import estimates
from tracker.requests.models import Determination, DeterminationDocument, RecordsRequest

R = RecordsRequest


def _blank() -> dict:
    return {"requests": 0, "ack_days": [], "det_days": [], "judged": 0, "on_time": 0, "overdue_now": 0,
            "outcomes": Counter(), "exemptions": Counter(), "estimated": 0, "estimates_missed": 0}


def _missed(estimate: date, status: str, determined: date | None, today: date) -> bool:
    if status in estimates.RUNNING:
        return today > estimate
    return determined is not None and determined > estimate


def from_scratch(viewer, today: date, period: str = "12") -> list[dict]:
    days = scorecards.PERIODS.get(period, scorecards.PERIODS["12"])[1]
    since = today - timedelta(days=days) if days else None
    cals = _Calendars()
    raw: dict[int, dict] = defaultdict(_blank)
    received = (select(R.agency_id, Agency.jurisdiction, R.received_on, R.acknowledged_on, R.status, R.response_due,
                       R.estimated_completion_on, R.determined_on)
                .join(Agency, Agency.id == R.agency_id).where(scope(viewer), R.received_on.is_not(None)))
    if since:
        received = received.where(R.received_on > since)
    for agency_id, code, got, acked, status, due, estimate, determined in db.session.execute(received):
        card = raw[agency_id]
        if estimate is not None:
            card["estimated"] += 1
            card["estimates_missed"] += _missed(estimate, status, determined, today)
        card["requests"] += 1
        if (n := cals.between(code, got, acked)) is not None:
            card["ack_days"].append(n)
        if status in AGENCY_CLOCK and due is not None and due < today:
            card["overdue_now"] += 1
    decided = (select(R.agency_id, Determination.id, Determination.stage, Determination.outcome,
                      Determination.working_days, Determination.on_time, Determination.exemptions,
                      DeterminationDocument.exemptions)
               .select_from(Determination).join(R, R.id == Determination.request_id)
               .outerjoin(DeterminationDocument, DeterminationDocument.determination_id == Determination.id)
               .where(scope(viewer), Determination.decided_on <= today).order_by(Determination.id))
    if since:
        decided = decided.where(Determination.decided_on > since)
    cited: dict[int, tuple[int, set]] = {}
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
    for card in raw.values():  # as histograms, the form scorecards._finish reads
        card["ack_days"], card["det_days"] = Counter(card["ack_days"]), Counter(card["det_days"])
        assert windows.median(card["ack_days"]) == (statistics.median(list(card["ack_days"].elements()))
                                                        if card["ack_days"] else None)
    return scorecards._finish(raw)
