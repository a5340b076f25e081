"""The bad-input corpus sent to every write operation of the JSON API: each field set to hostile text, values
of the wrong type, impossible dates and numbers; and bodies that are not JSON at all (invalid UTF-8, NaN,
deep nesting, truncated). Never a 5xx; a refused call changes nothing; a duplicate tracking number is a 409.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.security import corpus
from tests.security.corpus import ACTIONS, ON, TAKEN, XSS, Findings, request_in
from tracker.api import schemas

# Every field gets each of these (JSON values; RAW marks text sent as it is, outside the encoder).
RAW = "raw:"
VALUES = ["L" * 250_000, "a\x00b", XSS, "\u202e\r\n\x1b", RAW + '"\\ud800 lone surrogate"', "   ", "", 0, -1, -0.01,
          1.5, 10**30, 2**31, True, None, [], {}, ["x"] * 101, [None], {"$ne": 1}, "0001-01-01", "9999-12-31",
          "2026-02-30", "NaN", "sNaN", "Infinity", "-5", "1,000", RAW + "1e309", RAW + "NaN", RAW + "-Infinity"]
SHORT_VALUES = ["L" * 250_000, "a\x00b", XSS, RAW + '"\\udfff"', -1, 10**30, True, None, [], {}, "2026-02-30",
                "9999-12-31", "0001-01-01", "sNaN", RAW + "1e309"]
BODIES = [  # whole bodies that are not a proper JSON object
    b"", b"{", b"\xff\xfe{}", b'{"title": "\xff\xfe"}', b"\xef\xbb\xbf{}", b"[]", b'"text"', b"1", b"null",
    b"[" * 100_000 + b"]" * 100_000, b'{"a": ' * 5000 + b"1" + b"}" * 5000, b'{"title": "a", "title": "b"}',
    b"NaN", b'{"__proto__": {"x": 1}}',
]


@dataclass
class Op:
    who: str
    method: str
    url: str
    base: dict
    fields: tuple
    values: list
    fresh: object = None
    extra: tuple = ()


def _fields(spec: dict) -> tuple:
    return tuple(spec)


def action_op(action: str) -> Op:
    from tracker.requests.views import ACTION_FIELDS

    status, needs = ACTIONS[action]
    base = {"on": ON, **{k: (int(v) if k == "amount" else v) for k, v in needs.items()}}
    fields = (*ACTION_FIELDS[action], "note", "communication")
    numbered = (("duplicate tracking number", {"tracking_number": TAKEN}),) if "tracking_number" in fields else ()
    extra = (*numbered, ("communication with a NUL", {"communication": {"subject": "a\x00b"}}),
             ("communication with a long body", {"communication": {"body": "B" * 250_000}}),
             ("unknown exemption", {"exemptions": ["b99"]}), ("many exemptions", {"exemptions": ["b6"] * 21}))
    return Op("reporter", "POST", "/api/v1/requests/{req}/actions/" + action, base, fields, SHORT_VALUES,
              fresh=request_in(status), extra=extra if action != "reopen" else ())


OPS: dict[str, Op] = {
    "create request": Op("reporter", "POST", "/api/v1/requests", {"title": "A request", "agency_id": "{agency}"},
                         _fields(schemas.REQUEST_CREATE), VALUES,
                         extra=(("unknown agency", {"agency_id": 2**31 - 1}), ("unknown matter", {"matter_ids": [999]}),
                                ("backwards range", {"records_from": "2026-05-01", "records_to": "2026-01-01"}))),
    "update request": Op("reporter", "PATCH", "/api/v1/requests/{private}", {}, _fields(schemas.REQUEST_UPDATE), VALUES,
                         extra=(("received before sent", {"sent_on": "2026-09-01", "received_on": "2026-08-01"}),
                                ("received in the future", {"received_on": "2027-01-01"}))),
    **{f"action {a}": action_op(a) for a in ACTIONS},
    "communication": Op("reporter", "POST", "/api/v1/requests/{private}/communications",
                        {"direction": "in", "channel": "email", "occurred_on": ON}, _fields(schemas.COMMUNICATION_BODY),
                        VALUES),
    "create agency": Op("admin", "POST", "/api/v1/agencies", {"name": "New agency", "jurisdiction": "US"},
                        _fields(schemas.agency_body()), VALUES,
                        extra=(("duplicate name", {"name": "ice foia office"}),
                               ("unknown parent", {"parent_id": 999}))),
    "update agency": Op("admin", "PATCH", "/api/v1/agencies/{agency}", {}, _fields(schemas.agency_body()), VALUES,
                        extra=(("its own parent", {"parent_id": "{agency}"}),)),
    "create matter": Op("reporter", "POST", "/api/v1/matters", {"title": "A matter", "category": "other"},
                        _fields(schemas.MATTER_BODY), VALUES,
                        extra=(("duplicate title", {"title": "DENVER DEATH CARD INQUIRY"}),)),
    "update matter": Op("reporter", "PATCH", "/api/v1/matters/{matter}", {}, _fields(schemas.MATTER_BODY), VALUES,
                        extra=(("ended before it began", {"began_on": "2026-05-01", "ended_on": "2026-01-01"}),)),
    "compute deadline": Op("reporter", "POST", "/api/v1/deadlines/compute",
                           {"kind": "response", "jurisdiction": "US-DHS", "start": "2026-11-02"},
                           _fields(schemas.deadline_body()), VALUES,
                           extra=(("tolled backwards", {"tolled": [{"from": "2026-11-20", "to": "2026-11-10"}]}),
                                  ("tolled far away", {"tolled": [{"from": "0001-01-01", "to": "9999-12-31"}]}),
                                  ("start far away", {"start": "2999-01-01"}))),
}


def _fill(world, value):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and " " not in value:
        return world.ids[value[1:-1]]
    return value


def _encode(body: dict) -> bytes:
    """JSON text, with RAW values spliced in as they are."""
    marks = {}
    plain = {}
    for key, value in body.items():
        if isinstance(value, str) and value.startswith(RAW):
            marks[f"@@{key}@@"] = value[len(RAW):]
            plain[key] = f"@@{key}@@"
        else:
            plain[key] = value
    text = corpus.json_bytes(plain).decode()
    for mark, raw in marks.items():
        text = text.replace(f'"{mark}"', raw)
    return text.encode("utf-8", "surrogatepass")


def cases(op: Op, world) -> list[tuple[str, bytes, str]]:
    base = {k: _fill(world, v) for k, v in op.base.items()}
    out = [(f"{name}={value!r:.40}", _encode({**base, name: value}), "application/json")
           for name in op.fields for value in op.values]
    out += [(label, _encode({**base, **{k: _fill(world, v) for k, v in over.items()}}), "application/json")
            for label, over in op.extra]
    out += [(f"body {body[:30]!r}", body, "application/json") for body in BODIES]
    out += [("script everywhere", _encode({**base, **{f: XSS for f in op.fields if f in base or f == "title"}}),
             "application/json"),
            ("form-encoded", b"title=x", "application/x-www-form-urlencoded"), ("text", b"{}", "text/plain")]
    return out


@pytest.mark.parametrize("name", list(OPS))
def test_bad_input_to_api(app, world, name):
    op = OPS[name]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.api[op.who]}"}
    findings = Findings()
    before, fresh_needed = None, True
    for label, body, content_type in cases(op, world):
        with app.app_context():
            if op.fresh is not None and fresh_needed:
                world.ids["req"] = op.fresh(world)
                before = None
            before = before or corpus.snapshot()
        try:  # under TESTING the client raises what would be a 500
            response = client.open(world.fmt(op.url), method=op.method, data=body, content_type=content_type,
                                   headers=headers)
        except Exception as exc:  # noqa: BLE001
            findings.problems.append(f"{name}: {label}: {type(exc).__name__}: {str(exc)[:300]}")
            before, fresh_needed = None, True
            continue
        with app.app_context():
            after = corpus.snapshot()
        findings.check(f"{name}: {label}", response, before, after)
        if response.status_code >= 400 and not (response.is_json and "error" in response.json):
            findings.problems.append(f"{name}: {label}: {response.status_code} without a JSON error")
        if label.startswith("duplicate") and response.status_code < 400:
            findings.problems.append(f"{name}: {label}: accepted ({response.status_code})")
        if "tracking number" in label and response.status_code not in (409,):
            findings.problems.append(f"{name}: {label}: {response.status_code}, not 409")
        before, fresh_needed = after, response.status_code < 400
    assert not findings, findings.report()


def test_api_uploads_with_hostile_names(app, world):
    from tests.security.test_security_corpus_web import HOSTILE_FILES

    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.api['reporter']}"}
    for url in ("/api/v1/requests/{private}/attachments", "/api/v1/requests/{private}/communications"):
        for name, content in HOSTILE_FILES:
            pairs = [("direction", "in"), ("channel", "email"), ("occurred_on", ON)] if "communications" in url else []
            body, content_type = corpus.multipart_body(pairs + [("subject", b"\xff\xfe")], [("files", name, content)])
            response = client.post(world.fmt(url), data=body, content_type=content_type, headers=headers)
            assert response.status_code < 500, (url, name)
            for item in response.json.get("items", []) if response.status_code == 201 else []:
                assert "/" not in item["name"] and "\x00" not in item["name"] and "<" not in item["name"]
