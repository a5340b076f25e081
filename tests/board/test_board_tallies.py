"""What the board keeps on write agrees with a count from scratch after a seeded random walk through the
lifecycle, edits of privacy and agency, owners given the request, and deletions: the tallies, and the column
counts read from them,
against the counts read from the requests directly, for every kind of viewer and filter; every window of
facts (windows.py), the 12-month figures and the agency scorecards against the same figures counted from
every request and determination; each window's private counts per owner; the ledger's matter summaries and
their private parts kept per owner, against the same facts summed from each owner's requests; and the windows
again after the day moves forwards and back."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import delete, insert, select

from tests.board import scenario, scorecards_reference
from tests.helpers import make_agency, make_request, perform
from tracker.auth.models import User
from tracker.board import counts, queries, scorecards, tallies, windows
from tracker.core.clock import now_utc
from tracker.core.errors import TrackerError
from tracker.extensions import db
from tracker.ledger import queries as ledger
from tracker.ledger import summaries
from tracker.matters.models import Matter, MatterCategory, MatterOwnerSummary, MatterSummary
from tracker.requests import ownership, services
from tracker.requests.models import RecordsRequest, request_watchers
from tracker.requests.status import allowed_actions

INPUTS = {  # what each action is given
    "acknowledge": {}, "request_clarification": {"our_answer_due_on": 3},
    "determine": {"outcome": "denied", "exemptions": ["b6"]}, "decide_appeal": {"outcome": "affirmed"},
    "fee_estimate": {"amount": 25, "our_answer_due_on": 5}, "file": {"channel": "portal"},
    "appeal": {}, "sue": {},
    "decide_expedited": {"outcome": "granted"}, "decide_fee_waiver": {"outcome": "denied"},
    "decide_fee_category": {"outcome": "news_media"},
}


def _fields(action: str, step: int) -> dict:
    today = scenario.today()
    fields = {"on": today - timedelta(days=160 - step)}  # days move forward: early deadlines pass, late ones do not
    for key, value in INPUTS.get(action, {}).items():
        fields[key] = today + timedelta(days=value) if key == "our_answer_due_on" else value
    if action in ("acknowledge", "appeal", "sue"):
        fields["tracking_number"] = f"2026-BOARD-{step}"
    if action == "acknowledge":  # the agency's estimate: passed by today early in the walk, not late in it
        fields["estimated_completion_on"] = fields["on"] + timedelta(days=40)
    return fields


def _counts_from_scratch(viewer, f, today):
    """The counts through the direct path (one pass over the requests), whatever the filters."""
    week_end = today + timedelta(days=6 - today.weekday())
    found: Counter = Counter()
    for _part, status, flag, n in db.session.execute(counts._buckets(queries._conditions(queries._shape(viewer, f))),
                                                     queries._params(viewer, f, today, week_end=week_end)):
        counts._place(found, status, int(flag), int(n))
    return {code: found.get(code, 0) for code, _h, _s in queries.COLUMNS}, found.get("week", 0)


def _owner_parts_from_scratch(users) -> dict[tuple[int, int], dict]:
    """(matter, owner) -> the facts of that owner's private requests, summed from their requests alone."""
    out = {}
    for owner_id in sorted({users["reporter"], users["other_reporter"], users["editor"]}):
        mine = RecordsRequest.private.is_(True) & (RecordsRequest.owner_id == owner_id)
        for (matter_id, _private), part in summaries._parts(mine).items():
            out[(matter_id, owner_id)] = part
    return out


def _check_ledger(users):
    """The private parts kept per owner equal their requests summed afresh, and every viewer's ledger from the
    kept summaries equals the ledger computed from nothing kept."""
    today = scenario.today()
    viewers = [db.session.get(User, users[who]) for who in ("editor", "reporter", "other_reporter")]
    kept = [ledger.ledger_rows(viewer, ledger.LedgerFilters(sort="title"), today) for viewer in viewers]
    stored = {(m, o): part for m, o, part in db.session.execute(
        select(MatterOwnerSummary.matter_id, MatterOwnerSummary.owner_id, MatterOwnerSummary.private)
        .join(MatterSummary, (MatterSummary.matter_id == MatterOwnerSummary.matter_id)
              & (MatterSummary.computed == MatterOwnerSummary.computed)))}
    assert stored == _owner_parts_from_scratch(users)
    db.session.commit()
    db.session.execute(delete(MatterSummary))
    db.session.execute(delete(MatterOwnerSummary))
    afresh = [ledger.ledger_rows(viewer, ledger.LedgerFilters(sort="title"), today) for viewer in viewers]
    db.session.commit()
    assert kept == afresh
    return stored


def _check(made, users):
    _check_ledger(users)
    today = scenario.today()
    assert tallies.stored(db.session) == tallies.from_scratch(db.session)
    editor, reporter = db.session.get(User, users["editor"]), db.session.get(User, users["reporter"])
    for viewer in (editor, reporter, None):
        for f in (queries.BoardFilters(), queries.BoardFilters(agency_id=made["agencies"][0]),
                  queries.BoardFilters(jurisdiction="US-CA"), queries.BoardFilters(status="acknowledged")):
            assert queries.column_counts(viewer, f, today) == _counts_from_scratch(viewer, f, today), (viewer, f)
            if f.status:
                continue
            live = db.session.execute(queries._stats_statement(queries._shape(viewer, f)),
                                      queries._params(viewer, f, today, since=today - timedelta(days=365))).all()
            assert queries._windowed_rows(viewer, f, today)[:-1] == [
                (days, n, 0, 0) for days, n, _j, _o in live if days is not None and n], (viewer, f)
            assert queries.determination_stats(viewer, f, today)["judged"] == sum(row[2] for row in live)
    for window in windows.WINDOWS:
        assert windows.stored_counts(db.session, window) == windows.from_scratch(db.session, window, today), window
        assert windows.stored_owner_counts(db.session, window) == windows.from_scratch(
            db.session, window, today, per_owner=True), window
    for viewer in (editor, reporter):
        for period in scorecards.PERIODS:
            assert scorecards.scorecards(viewer, today, period) == scorecards_reference.from_scratch(
                viewer, today, period), (viewer, period)
    return {kind for (_p, _a, kind, _k) in windows.from_scratch(db.session, "rall", today)} | {
        kind for (_p, _a, kind, _k) in windows.from_scratch(db.session, "dall", today)}


@pytest.mark.parametrize("seed", [1, 2])
def test_tallies_agree_with_a_count_from_scratch_after_a_random_walk(app, users, frozen, seed):
    rng = random.Random(seed)
    with app.app_context():
        agencies = [make_agency(), make_agency("California Department of Justice", "CA DOJ", "US-CA")]
        owners = [users["reporter"], users["other_reporter"]]
        matters = [Matter(title=f"Matter {i}", category=MatterCategory.ADMINISTRATIVE) for i in range(3)]
        db.session.add_all(matters)
        db.session.flush()
        reqs = [make_request(rng.choice(owners), rng.choice(agencies), title=f"Walk {i}", private=rng.random() < 0.4,
                             matter_ids=[m.id for m in rng.sample(matters, rng.randint(1, 2))])
                for i in range(14)]
        db.session.commit()
        watched = next((r for r in reqs if r.owner_id == users["other_reporter"]), reqs[0])
        db.session.execute(insert(request_watchers), [{"request_id": watched.id, "user_id": users["reporter"]}])
        db.session.commit()
        made = {"agencies": [a.id for a in agencies]}
        kinds, seen = set(), set()
        editor = db.session.get(User, users["editor"])
        for step in range(160):
            req = rng.choice(reqs)
            roll = rng.random()
            try:
                if roll < 0.08:  # an edit: privacy or agency
                    data = ({"private": not req.private} if rng.random() < 0.5
                            else {"agency_id": rng.choice(agencies).id})
                    services.update_request(req, actor=editor, now=now_utc(), today=scenario.today(), data=data)
                elif roll < 0.12:  # the request given to the other reporter: its private counts move with it
                    owner = users["reporter"] if req.owner_id == users["other_reporter"] else users["other_reporter"]
                    ownership.reassign(req, db.session.get(User, owner), actor=editor, now=now_utc())
                elif roll < 0.15 and len(reqs) > 6:  # a deletion
                    reqs.remove(req)
                    db.session.delete(req)
                else:
                    actions = [a.name for a in allowed_actions(req.status)]
                    action = actions[0] if rng.random() < 0.6 else rng.choice(actions)  # mostly the likely next
                    perform(req, action, users["editor"], **_fields(action, step))
                db.session.commit()
            except TrackerError:
                db.session.rollback()
            seen |= set(db.session.scalars(select(RecordsRequest.status)))
            if step % 40 == 39:
                kinds |= _check(made, users)
        assert len(seen) >= 8, seen  # the walk went through most of the lifecycle
        kinds |= _check(made, users)
        assert kinds >= {"estimated", "clock_dated", "ack_days", "det_days", "judged", "exemption"}, kinds
        assert windows.stored_owner_counts(db.session, "rall")  # the walk left private requests counted per owner
        assert len({owner for _m, owner in _check_ledger(users)}) == 2  # and both reporters' in the matters' parts
        # A privacy change alone, then an owner change alone, each checked at once (in the walk a later action on
        # the same request could hide a change the summaries missed).
        req = reqs[0]
        for _ in range(2 if req.private else 1):
            services.update_request(req, actor=editor, now=now_utc(), today=scenario.today(),
                                    data={"private": not req.private})
            db.session.commit()
            _check_ledger(users)
        owner = users["reporter"] if req.owner_id == users["other_reporter"] else users["other_reporter"]
        ownership.reassign(req, db.session.get(User, owner), actor=editor, now=now_utc())
        db.session.commit()
        assert (req.owner_id, req.private) == (owner, True)
        _check_ledger(users)


def test_rebuild_gives_what_the_listener_kept(app, users, frozen):
    with app.app_context():
        scenario.build(users)
        kept = tallies.stored(db.session)
        tallies.rebuild(db.session)
        db.session.commit()
        assert tallies.stored(db.session) == kept == tallies.from_scratch(db.session)


def test_the_12_month_window_moves_with_the_day_and_agrees_with_a_count_from_scratch(app, users, frozen):
    with app.app_context():
        scenario.build(users)
        today = scenario.today()
        for day in (today, today + timedelta(days=1), today + timedelta(days=40), today - timedelta(days=300),
                    today + timedelta(days=500), today + timedelta(days=100), today + timedelta(days=100)):
            windows.current(db.session, day)
            db.session.commit()
            for window in windows.WINDOWS:
                assert windows.stored_counts(db.session, window) == windows.from_scratch(db.session, window, day), \
                    (window, day)
                assert windows.stored_owner_counts(db.session, window) == windows.from_scratch(
                    db.session, window, day, per_owner=True), (window, day)
            if day == today + timedelta(days=500):
                assert windows.stored_counts(db.session, "d12") == {}  # the scenario's determinations are long gone
        windows.current(db.session, today)
        assert windows.stored_counts(db.session, "d12") == windows.from_scratch(db.session, "d12", today) != {}
