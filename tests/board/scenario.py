"""A small newsroom for the board tests, built through the real services with the clock frozen at
Monday 2026-11-30, and a parser for the board's HTML."""

from __future__ import annotations

import html as htmllib
import re
from datetime import date

from tests.helpers import d, make_agency, make_matter, make_request, perform
from tracker.extensions import db


def build(users: dict[str, int]) -> dict[str, int]:
    """Requests in every board column; returns their ids by name (and agencies, matters)."""
    ice = make_agency()
    state = make_agency("California Department of Justice", "CA DOJ", "US-CA")
    death = make_matter("Denver death card inquiry")
    dallas = make_matter("Dallas counsel posts")
    rep, other, editor = users["reporter"], users["other_reporter"], users["editor"]
    ids: dict[str, int] = {"ice": ice.id, "state": state.id, "death": death.id, "dallas": dallas.id}

    def make(name, owner, agency, matters=(), private=False, **data):
        req = make_request(owner, agency, title=name.replace("_", " ").capitalize(), private=private, **data)
        req.matters = list(matters)
        ids[name] = req.id
        return req

    make("draft", rep, ice, [death])
    fresh = make("fresh", rep, ice, [death])
    perform(fresh, "file", rep, on=d("2026-11-20"), channel="portal")  # due 2026-12-21
    late = make("late", rep, ice, [death])
    perform(late, "file", rep, on=d("2026-10-01"), channel="portal")
    perform(late, "acknowledge", rep, on=d("2026-10-05"), tracking_number="2026-ICFO-00881")
    paused = make("paused", rep, ice, [dallas])
    perform(paused, "file", rep, on=d("2026-11-02"), channel="portal")
    perform(paused, "request_clarification", rep, on=d("2026-11-10"), our_answer_due_on=d("2026-12-04"))
    denied = make("denied", rep, ice, [dallas])
    perform(denied, "file", rep, on=d("2026-09-01"), channel="portal")
    perform(denied, "determine", rep, on=d("2026-10-01"), outcome="denied", exemptions=["b6", "b7C"],
            note="SECRET NOTE about a source")
    appealed = make("appealed", rep, ice, [dallas])
    perform(appealed, "file", rep, on=d("2026-06-01"), channel="portal")
    perform(appealed, "determine", rep, on=d("2026-07-01"), outcome="granted_in_part", exemptions=["b7A"],
            pages_released=3, pages_withheld=9)
    perform(appealed, "appeal", rep, on=d("2026-07-10"), tracking_number="2026-ICAP-00112")
    sued = make("sued", rep, ice)
    perform(sued, "file", rep, on=d("2026-05-01"), channel="portal")
    perform(sued, "sue", rep, on=d("2026-11-02"), tracking_number="1:26-cv-01234")
    closed = make("closed", rep, ice, [death])
    perform(closed, "file", rep, on=d("2026-08-03"), channel="portal")
    perform(closed, "determine", rep, on=d("2026-08-25"), outcome="granted_in_full", pages_released=20)
    perform(closed, "close", rep, on=d("2026-11-20"))
    old = make("old", rep, ice)
    perform(old, "file", rep, on=d("2026-03-02"), channel="portal")
    perform(old, "withdraw", rep, on=d("2026-09-01"))
    state_req = make("state_req", rep, state)
    # CPRA: 10 calendar days from the actual receipt, due Mon 11-23 (from 11-16 the 10th day is Thanksgiving, which
    # CCP 12a moves to Mon 11-30, not yet overdue on the frozen day)
    perform(state_req, "file", rep, on=d("2026-11-13"), channel="email")
    secret = make("secret", other, ice, [death], private=True)
    perform(secret, "file", other, on=d("2026-11-23"), channel="portal")
    ids["editor"] = editor
    db.session.commit()
    return ids


SECTION = re.compile(r'<section class="board-column col-(\w+)" data-column="\1"(.*?)</section>', re.S)
CARD = re.compile(r'<article class="card" data-request-id="(\d+)"(.*?)</article>', re.S)
TAG = re.compile(r"<[^>]+>")


def columns(html: str) -> dict[str, list[int]]:
    """Column code -> request ids of its cards, in order."""
    return {m.group(1): [int(c.group(1)) for c in CARD.finditer(m.group(2))] for m in SECTION.finditer(html)}


def cards(html: str) -> dict[int, str]:
    """Request id -> the card's visible text, spaces collapsed."""
    return {int(c.group(1)): htmllib.unescape(" ".join(TAG.sub(" ", c.group(2)).split()))
            for c in CARD.finditer(html)}


def column_of(html: str, request_id: int) -> str | None:
    return next((col for col, ids in columns(html).items() if request_id in ids), None)


def text(html: str) -> str:
    stripped = TAG.sub(" ", re.sub(r"<(script|style|head)[^>]*>.*?</\1>", "", html, flags=re.S))
    return htmllib.unescape(" ".join(stripped.split()))


def today() -> date:
    return date(2026, 11, 30)
