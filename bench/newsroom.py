"""A large synthetic newsroom for benchmarks and query-count tests: agencies, users, OPR matters with
sources, requests in every status with consistent dates and stored deadlines, determinations with
exemptions, Vaughn-index documents, events and communications. Bulk inserts (no services): fast.

    from bench.newsroom import generate_newsroom
    generate_newsroom(db.session, requests=10_000, communications=100_000, matters=500, agencies=30)

The caller commits. Deterministic for a given seed and `today`.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select, text

from tracker import deadlines
from tracker.agencies.models import Agency
from tracker.auth.models import Role, User
from tracker.batches.models import RequestBatch
from tracker.matters.models import Matter, MatterCategory, Source
from tracker.requests.models import (
    Communication,
    Determination,
    DeterminationDocument,
    Event,
    RecordsRequest,
    TrackingNumber,
    request_matters,
)

# Share of requests in each status (a newsroom a few years old: most requests are closed).
STATUS_MIX = (("draft", 3), ("filed", 6), ("acknowledged", 20), ("awaiting_clarification", 3), ("awaiting_fees", 2),
              ("determined", 10), ("appealed", 5), ("appeal_decided", 2), ("in_mediation", 1), ("in_litigation", 2),
              ("closed", 41), ("withdrawn", 5))
OUTCOME_MIX = (("granted_in_full", 15), ("granted_in_part", 40), ("denied", 25), ("no_records", 15), ("referred", 5))
APPEAL_MIX = (("affirmed", 50), ("reversed_in_part", 30), ("reversed", 10), ("remanded", 10))
EXEMPTION_POOL = ("b6", "b7C", "b7A", "b5", "b7E", "b3", "b7D")
REFERRED_SHARE = 0.05  # requests opened by a referral: a child in an earlier request's chain (same matters)
BATCHED_SHARE = 0.15  # requests drafted in a batch, three at a time (one request to three agencies)
CATEGORIES = ("criminal", "administrative", "systemic", "use_of_force", "death_in_custody", "other")
PASSWORD_HASH = "scrypt:disabled"  # generated users cannot log in with a password


def _pick(rng: random.Random, mix):
    return rng.choices([k for k, _w in mix], weights=[w for _k, w in mix])[0]


def _bulk(session, model, rows: list[dict]) -> None:
    """One executemany per table: every row gets every column (its default where the generator set none),
    so the database driver batches the rows instead of the ORM inserting them one by one."""
    table = getattr(model, "__table__", model)
    given = {k for r in rows for k in r}
    fill = []
    for column in table.columns:
        if column.key in given or column.default is None:
            continue
        default = column.default
        fill.append((column.key, default.arg if default.is_scalar else None, None if default.is_scalar else default))
    for r in rows:
        for key, value, callable_default in fill:
            r[key] = callable_default.arg(None) if callable_default is not None else value
        for k in given:
            r.setdefault(k, None)
    session.execute(insert(table), rows)


def _next_id(session, model) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def _working(code: str, start: date, n: int) -> date:
    return deadlines.add_working_days(code, start, n)


def generate_newsroom(session, *, requests: int = 1000, communications: int | None = None, matters: int = 50,
                      agencies: int = 10, users: int = 12, seed: int = 2026, today: date | None = None,
                      private_share: float = 0.1, editor_password: str | None = None) -> dict:
    """Insert a newsroom of the given size; returns the ids of what it made (users by role)."""
    rng = random.Random(seed)
    today = today or date(2026, 11, 30)
    now = datetime(today.year, today.month, today.day, 15, 0, tzinfo=UTC)
    communications = requests * 10 if communications is None else communications
    codes = [j.code for j in deadlines.jurisdictions()]
    federal = [c for c in codes if c == "US" or c.startswith("US-") and len(c) > 5] or codes[:1]

    uid = _next_id(session, User)
    editor_hash = PASSWORD_HASH
    if editor_password:
        from werkzeug.security import generate_password_hash

        editor_hash = generate_password_hash(editor_password, method="scrypt")
    user_rows = [{"id": uid + i, "name": f"Reporter {i + 1:03d}", "email": f"bench-reporter-{uid + i}@bench.example",
                  "password_hash": PASSWORD_HASH, "role": Role.REPORTER, "active": True, "created_at": now}
                 for i in range(users)]
    user_rows += [{"id": uid + users + i, "name": f"Editor {i + 1}",
                   "email": f"bench-editor-{uid + users + i}@bench.example", "password_hash": editor_hash,
                   "role": Role.EDITOR, "active": True, "created_at": now} for i in range(2)]
    _bulk(session, User, user_rows)
    reporter_ids = [r["id"] for r in user_rows if r["role"] == Role.REPORTER]

    aid = _next_id(session, Agency)
    agency_rows = []
    for i in range(agencies):
        code = rng.choice(federal) if i % 3 else rng.choice(codes)
        agency_rows.append({"id": aid + i, "name": f"Bench agency {aid + i:03d}", "abbreviation": f"BA{aid + i}",
                            "jurisdiction": code, "foia_email": "", "portal_url": "", "mailing_address": "",
                            "phone": "", "public_liaison": "", "appeal_office": "", "appeal_address": "",
                            "notes": ""})
    _bulk(session, Agency, agency_rows)
    agency_code = {a["id"]: a["jurisdiction"] for a in agency_rows}

    mid = _next_id(session, Matter)
    matter_ids = list(range(mid, mid + matters))
    _bulk(session, Matter, [
        {"id": m, "title": f"Bench OPR matter {m:05d}", "summary": "",
         "category": MatterCategory(rng.choice(CATEGORIES)), "opr_case_number": f"OPR-{m:05d}" if m % 4 else "",
         "place": "", "public_outcome": "", "notes": "",
         "created_at": now} for m in matter_ids])
    source_rows = []
    for m in matter_ids:
        for k in range(rng.randint(0, 3)):
            source_rows.append({"matter_id": m, "title": f"Report {k + 1} on matter {m}", "publisher": "News",
                                "url": "", "quote": "", "published_on": today - timedelta(days=rng.randint(30, 2000)),
                                "official_report": rng.random() < 0.03})
    if source_rows:
        _bulk(session, Source, source_rows)

    rid = _next_id(session, RecordsRequest)
    did = _next_id(session, Determination)
    eid = _next_id(session, Event)
    request_rows, link_rows, tracking_rows, det_rows, doc_rows, event_rows = [], [], [], [], [], []
    chained, chained_root, chained_links = [], {}, {}  # sent requests: their chain's first request, matters
    for i in range(requests):
        req_id = rid + i
        agency_id = rng.choice(agency_rows)["id"]
        code = agency_code[agency_id]
        status = _pick(rng, STATUS_MIX)
        owner = rng.choice(reporter_ids)
        age = rng.randint(1, 1500) if status in ("closed", "withdrawn") else rng.randint(1, 400)
        sent = today - timedelta(days=age) if status != "draft" else None
        received = _working(code, sent, 0) if sent else None
        row = {"id": req_id, "title": f"Request {req_id:06d} for OPR records", "agency_id": agency_id,
               "owner_id": owner, "private": rng.random() < private_share, "status": status,
               "records_description": "OPR report of investigation.", "delivery_format": "PDF",
               "fee_category": "news_media", "fee_waiver_requested": False, "fee_waiver_justification": "",
               "expedited_requested": False, "expedited_category": "", "expedited_justification": "",
               "sent_on": sent, "received_on": received, "extended": False, "appeal_extended": False,
               "outcome": "", "created_at": now - timedelta(days=age + 1), "updated_at": now - timedelta(days=age // 2),
               "deadline_provenance": {}, "reply_token": f"bench{req_id:09d}"}
        provenance = {}
        if received is not None:
            row["response_due"] = deadlines.response_due(code, received)
            provenance["response"] = {"steps": [], "result": str(row["response_due"])}
            if status != "filed":
                row["acknowledged_on"] = min(_working(code, received, rng.randint(1, 15)), today)
                tracking_rows.append({"request_id": req_id, "agency_id": agency_id, "kind": "request",
                                      "number": f"2026-BENCH-{req_id:06d}", "assigned_on": row["acknowledged_on"]})
        if status in ("awaiting_clarification", "awaiting_fees"):
            row["our_answer_due_on"] = today + timedelta(days=rng.randint(-5, 20))
        decided = status in ("determined", "appealed", "appeal_decided", "in_litigation") or (
            status == "closed" and rng.random() < 0.85) or (status == "in_mediation" and rng.random() < 0.5)
        if decided and received is not None:
            on = min(_working(code, received, rng.randint(5, 120)), today)
            outcome = _pick(rng, OUTCOME_MIX)
            row.update(determined_on=on, outcome=outcome)
            released = rng.randint(1, 200) if outcome in ("granted_in_full", "granted_in_part") else 0
            withheld = rng.randint(1, 300) if outcome in ("granted_in_part", "denied") else 0
            row.update(pages_released=released, pages_withheld=withheld)
            codes_cited = rng.sample(EXEMPTION_POOL, rng.randint(1, 3)) if outcome in ("granted_in_part",
                                                                                      "denied") else []
            det_rows.append({"id": did, "request_id": req_id, "stage": "initial", "outcome": outcome, "decided_on": on,
                             "working_days": deadlines.working_days_between(code, received, on),
                             "on_time": None if row["response_due"] is None else on <= row["response_due"],
                             "exemptions": codes_cited, "pages_released": released, "pages_withheld": withheld,
                             "note": "Internal note: not for the wall."})
            if codes_cited and rng.random() < 0.3:
                for pos in range(1, rng.randint(2, 4)):
                    doc_rows.append({"determination_id": did, "position": pos, "description": f"Document {pos}",
                                     "pages": 10, "withheld_in_full": rng.randint(0, 5), "withheld_in_part": 3,
                                     "exemptions": rng.sample(EXEMPTION_POOL, 2), "note": ""})
            did += 1
            if outcome in ("granted_in_part", "denied", "no_records"):
                row["appeal_due"] = deadlines.appeal_due(code, on)
                if row["appeal_due"] is not None:
                    provenance["appeal"] = {"steps": [], "result": str(row["appeal_due"])}
            if status in ("appealed", "appeal_decided") or (status == "closed" and rng.random() < 0.1):
                filed = min(on + timedelta(days=rng.randint(5, 60)), today)
                row["appeal_filed_on"] = filed
                row["appeal_decision_due"] = deadlines.appeal_decision_due(code, filed)
                if row["appeal_decision_due"] is not None:
                    provenance["appeal_decision"] = {"steps": [], "result": str(row["appeal_decision_due"])}
                if status != "appealed":
                    det_rows.append({"id": did, "request_id": req_id, "stage": "appeal",
                                     "outcome": _pick(rng, APPEAL_MIX),
                                     "decided_on": min(filed + timedelta(days=rng.randint(10, 90)), today),
                                     "exemptions": codes_cited[:1], "note": ""})
                    did += 1
        if status in ("closed", "withdrawn"):
            row["closed_on"] = min((row.get("determined_on") or received or today) + timedelta(days=rng.randint(1, 90)),
                                   today)
        row["deadline_provenance"] = provenance
        request_rows.append(row)
        roll = rng.random()
        linked = [] if roll < 0.1 else rng.sample(matter_ids, min(2 if roll > 0.9 else 1, len(matter_ids)))
        if sent and chained and rng.random() < REFERRED_SHARE:  # referred from an earlier request: same chain
            parent = rng.choice(chained)
            row["referred_from_id"], row["referral_root_id"] = parent, chained_root[parent]
            linked = chained_links[parent]
        if sent:
            chained.append(req_id)
            chained_root[req_id], chained_links[req_id] = row.get("referral_root_id") or req_id, linked
        link_rows += [{"request_id": req_id, "matter_id": m} for m in linked]
        event_rows.append({"id": eid, "request_id": req_id, "actor_id": owner, "at": row["created_at"],
                           "action": "create", "from_status": "", "to_status": "draft", "note": "Request drafted.",
                           "data": {}})
        eid += 1
        if sent:
            event_rows.append({"id": eid, "request_id": req_id, "actor_id": owner, "at": row["created_at"],
                               "on": sent, "action": "file", "from_status": "draft", "to_status": "filed",
                               "note": "Filed by portal.", "data": {}})
            eid += 1

    # Batches: runs of three consecutive requests, as one request to three agencies.
    batch_rows, bid = [], _next_id(session, RequestBatch)
    for start in range(0, len(request_rows) - 2, 3):
        if rng.random() < BATCHED_SHARE:
            first = request_rows[start]
            batch_rows.append({"id": bid, "title": first["title"], "created_by": first["owner_id"],
                               "created_at": first["created_at"]})
            for row in request_rows[start:start + 3]:
                row["batch_id"] = bid
            bid += 1
    if batch_rows:
        _bulk(session, RequestBatch, batch_rows)
    # Every row gets every column, so one executemany covers them all.
    columns = {k for r in request_rows for k in r}
    for r in request_rows:
        for k in columns:
            r.setdefault(k, None)
    _bulk(session, RecordsRequest, request_rows)
    for rows, table in ((link_rows, request_matters), (tracking_rows, TrackingNumber), (det_rows, Determination),
                        (doc_rows, DeterminationDocument), (event_rows, Event)):
        if rows:
            keys = {k for r in rows for k in r}
            for r in rows:
                for k in keys:
                    r.setdefault(k, None)
            _bulk(session, table, rows)

    comm_rows = []
    sent_ids = [r["id"] for r in request_rows if r["sent_on"] is not None] or [rid]
    sent_on = {r["id"]: r["sent_on"] for r in request_rows}
    for _ in range(communications):
        req_id = rng.choice(sent_ids)
        comm_rows.append({"request_id": req_id, "direction": rng.choice(("in", "out")), "channel": "email",
                          "occurred_on": min((sent_on[req_id] or today) + timedelta(days=rng.randint(0, 60)), today),
                          "subject": "Re: request", "body": "Text of the message.", "kind": "other",
                          "created_at": now})
        if len(comm_rows) >= 20_000:
            _bulk(session, Communication, comm_rows)
            comm_rows = []
    if comm_rows:
        _bulk(session, Communication, comm_rows)
    _advance_sequences(session)
    from tracker.board import tallies

    tallies.rebuild(session)  # the board's counts of requests, written here by raw SQL
    return {"reporters": reporter_ids, "editors": [r["id"] for r in user_rows if r["role"] == Role.EDITOR],
            "editor_emails": [r["email"] for r in user_rows if r["role"] == Role.EDITOR],
            "agencies": [a["id"] for a in agency_rows], "matters": matter_ids,
            "requests": [r["id"] for r in request_rows]}


def _advance_sequences(session) -> None:
    """Explicit ids do not move PostgreSQL's sequences; move them past the rows just made."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("users", "agencies", "matters", "request_batches", "requests", "determinations", "events"):
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (fixed names)
                             f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
