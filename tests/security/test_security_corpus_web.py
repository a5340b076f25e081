"""The bad-input corpus posted to every web form: very long strings, NUL bytes, invalid UTF-8 (as raw bytes),
HTML and script, control characters, impossible and out-of-range dates, negative and absurd numbers, choices
that do not exist, duplicate tracking numbers, hostile file names. Never a 5xx; a refused post changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tests.security import corpus
from tests.security import world as world_module
from tests.security.corpus import ACTIONS, CHOICES, DATES, NUMBERS, ON, TAKEN, TEXTS, XSS, Findings, request_in
from tracker.extensions import db
from tracker.requests.views import ACTION_FIELDS


@dataclass
class Form:
    who: str
    url: str  # with {placeholders} from the world, and {req} for a fresh request
    base: dict = field(default_factory=dict)  # a valid post, field -> value (a list for several values)
    texts: tuple = ()
    dates: tuple = ()
    numbers: tuple = ()
    choices: tuple = ()
    files: tuple = ()  # file fields
    extra: tuple = ()  # (label, overrides) of this form's own hostile cases
    fresh: Callable | None = None  # makes the object posted to, anew before each post: (world) -> id
    done: tuple = (201, 302, 303)  # the statuses of an accepted post; anything else (a form shown again) refused


def action_form(action: str) -> Form:
    status, needs = ACTIONS[action]
    vaughn = action in ("determine", "decide_appeal")
    rows = ("documents-0-description", "documents-0-exemptions") if vaughn else ()
    counts = ("documents-0-pages", "documents-0-withheld_in_full", "documents-0-withheld_in_part") if vaughn else ()
    return Form(
        who="reporter", url="/requests/{req}/actions/" + action, fresh=request_in(status),
        base={"on": ON, **needs, **({"documents-0-description": "Report", "documents-0-pages": "3"} if vaughn else {})},
        texts=("note", "subject", "body", "tracking_number", *rows), dates=("on", "received_on", "our_answer_due_on"),
        numbers=("pages_released", "pages_withheld", "amount", *counts), choices=("channel", "outcome", "exemptions"),
        files=("files",),
        extra=((("duplicate tracking number", {"tracking_number": TAKEN}),
                ("duplicate number, spaced", {"tracking_number": f"  {TAKEN}  "}))
               if "tracking_number" in ACTION_FIELDS[action] else ()) + (
               ("received before sent", {"received_on": "2026-08-01"}),
               ("pages withheld exceed the document", {"documents-0-pages": "2", "documents-0-withheld_in_full": "5"}),
               ("unknown exemption", {"documents-0-description": "x", "documents-0-exemptions": "b99 <script>"}),
               ("51 Vaughn rows", {f"documents-{i}-description": "row" for i in range(51)})),
    )


REQUEST_TEXTS = ("title", "records_description", "delivery_format", "fee_waiver_justification",
                 "expedited_justification")
REQUEST_BASE = {"title": "A request", "agency_id": "{agency}", "fee_category": "news_media", "expedited_category": "",
                "delivery_format": "PDF"}
REQUEST = dict(texts=REQUEST_TEXTS, dates=("records_from", "records_to", "follow_up_on"), numbers=("fee_limit",),
               choices=("agency_id", "fee_category", "expedited_category", "matter_ids", "watcher_ids"),
               extra=(("range backwards", {"records_from": "2026-05-01", "records_to": "2026-01-01"}),))
AGENCY_TEXTS = ("name", "abbreviation", "foia_email", "portal_url", "mailing_address", "phone", "public_liaison",
                "appeal_office", "appeal_address", "notes")
MATTER = dict(texts=("title", "summary", "opr_case_number", "place", "public_outcome", "notes"),
              dates=("began_on", "ended_on"), choices=("category",),
              extra=(("ended before it began", {"began_on": "2026-05-01", "ended_on": "2026-01-01"}),
                     ("title of the world's matter", {"title": "DENVER DEATH CARD INQUIRY"})))
LETTER_TEXTS = ("requester_name", "requester_title", "requester_email", "requester_phone", "records_description",
                "delivery_format", "media_description", "fee_waiver_justification", "expedited_justification",
                "history", "dispute_summary", "resolution_sought", "enclosures", "custom_text", "argument-b6")
FORMS: dict[str, Form] = {
    "request create": Form("reporter", "/requests/new", REQUEST_BASE, **REQUEST),
    "request edit": Form("reporter", "/requests/{private}/edit", REQUEST_BASE, **REQUEST),
    **{f"action {a}": action_form(a) for a in ACTIONS},
    "communication": Form("reporter", "/requests/{private}/communications",
                          {"direction": "in", "channel": "email", "occurred_on": ON, "subject": "s"},
                          texts=("subject", "body"), dates=("occurred_on",), choices=("direction", "channel"),
                          files=("files",)),
    "upload": Form("reporter", "/requests/{private}/attachments", {}, files=("files",)),
    "vaughn documents": Form("reporter", "/requests/{private}/determinations/{determination}/documents",
                             {"documents-0-description": "Memo", "documents-0-pages": "2"},
                             texts=("documents-0-description", "documents-0-exemptions"),
                             numbers=("documents-0-pages", "documents-0-withheld_in_full",
                                      "documents-0-withheld_in_part")),
    "agency create": Form("admin", "/agencies/new", {"name": "New agency", "jurisdiction": "US", "parent_id": "0"},
                          texts=AGENCY_TEXTS, choices=("jurisdiction", "parent_id"),
                          extra=(("duplicate name", {"name": "ice foia office"}),)),
    "agency edit": Form("admin", "/agencies/{agency}/edit",
                        {"name": "ICE FOIA Office", "jurisdiction": "US-DHS", "parent_id": "0"}, texts=AGENCY_TEXTS,
                        choices=("jurisdiction", "parent_id"), extra=(("its own parent", {"parent_id": "{agency}"}),)),
    "matter create": Form("reporter", "/matters/new", {"title": "A matter", "category": "other"}, **MATTER),
    "matter edit": Form("reporter", "/matters/{matter}/edit", {"title": "Denver death card inquiry",
                                                               "category": "administrative"}, **MATTER),
    "source": Form("reporter", "/matters/{matter}/sources", {"title": "A source", "url": "https://example.org/a"},
                   texts=("title", "publisher", "url", "quote"), dates=("published_on",),
                   extra=(("javascript: link", {"url": "javascript:window.__pwned=1"}),
                          ("data: link", {"url": "data:text/html,<script>alert(1)</script>"}))),
    "matter state": Form("editor", "/matters/{matter}/state", {"state": "withheld", "reason": "Because we know more."},
                         texts=("reason",), choices=("state",)),
    "user create": Form("admin", "/users/new", {"name": "New person", "email": "new@test.example",
                                                "role": "reporter", "password": "long enough pass", "active": "y"},
                        texts=("name", "email", "password"), choices=("role",),
                        extra=(("duplicate email", {"email": "REPORTER@test.example"}),)),
    "user edit": Form("admin", "/users/{other_reporter}", {"name": "Other", "email": "other_reporter@test.example",
                                                           "role": "reporter", "active": "y"},
                      texts=("name", "email", "password"), choices=("role",),
                      extra=(("another's email", {"email": "editor@test.example"}),)),
    "letter compose": Form("reporter", "/requests/{private}/letters/new/appeal",
                           {"channel": "portal", "requester_name": "Reporter", "determination_kind": "partial",
                            "do": "generate"},
                           texts=LETTER_TEXTS, dates=("date_range_start", "date_range_end"), numbers=("fee_limit",),
                           choices=("channel", "determination_kind", "contested", "expedited_category", "do")),
    "letter sent": Form("reporter", "/letters/{letter}/sent", {"on": ON, "channel": "portal", "move_on": "y"},
                        texts=("tracking_number", "note"), dates=("on", "received_on"), choices=("channel",),
                        extra=(("duplicate appeal number", {"tracking_number": TAKEN}),)),
    "board share": Form("editor", "/board/shares", {"label": "Screen"}, texts=("label", "jurisdiction"),
                        choices=("owner_id", "agency_id", "matter_id", "status")),
    "reminder preferences": Form("reporter", "/reminders", {"mode": "digest", "wanted_kinds": "response_soon"},
                                 choices=("mode", "wanted_kinds", "newsroom_digest")),
    "reminder rule": Form("admin", "/reminders/rules/response_soon", {"enabled": "y", "steps": "-3"},
                          texts=("steps",), numbers=("repeat_every",),
                          extra=(("huge steps", {"steps": "-9" * 40}), ("many steps", {"steps": ",".join("123456789")}),
                                 ("digits of another script", {"steps": "\u0663, \u2212\u0665"}))),
    "calendar feed": Form("reporter", "/reminders/calendar", {"scope": "mine"}, choices=("scope",), done=(200,)),
    "api token": Form("reporter", "/account/tokens", {"name": "script"}, texts=("name",)),
    "import mapping": Form("reporter", "/imports/{upload}/mapping", {"col-title": "Title", "col-agency": "Agency",
                                                                     "dates": "us", "default_channel": "portal"},
                           texts=("save_as", "col-title", "col-sent_on"), choices=("dates", "default_channel"),
                           extra=(("own saved name again", {"save_as": "DESK SHEET"}),)),
    "import agencies": Form("reporter", "/imports/{upload}/agencies", {"agency-0": "__new__", "jurisdiction-0": "US"},
                            texts=("agency-0",), choices=("jurisdiction-0",)),
    "login": Form("anon", "/login", {"email": "reporter@test.example", "password": "wrong"},
                  texts=("email", "password")),
    "password forgot": Form("anon", "/password/forgot", {"email": "reporter@test.example"}, texts=("email",)),
    "password reset": Form("anon", "/password/reset/{reset_token}", {"password": "x", "confirm": "y"},
                           texts=("password", "confirm")),
}
HOSTILE_FILES = [(XSS.encode() + b".html", b"<html><script>window.__pwned=1</script></html>"),
                 (b"../../etc/passwd\x00.pdf", b"%PDF-1.4 fake"), (b"\xff\xfe\xc3\x28.txt", b"\xff\xfe\x00bytes"),
                 (b"n" * 5000 + b".txt", b"long name"), (b"empty.txt", b""), (b"", b"no name"),
                 (b"CON", b"reserved name"), (b"\xe2\x80\xaetxt.exe", b"MZ\x90\x00")]


def _fill(world, value):
    if isinstance(value, list):
        return [_fill(world, v) for v in value]
    return world.fmt(value) if isinstance(value, str) and "{" in value else value


def cases(form: Form, world) -> list[tuple[str, dict, str]]:
    """(label, fields, encoding) for every hostile post of a form."""
    base = {k: _fill(world, v) for k, v in form.base.items()}
    out = []
    for name in form.texts:
        out += [(f"{name}={kind}", {**base, name: value}, "form") for kind, value in TEXTS.items()]
    out += [(f"{name}={value}", {**base, name: value}, "form") for name in form.dates for value in DATES]
    out += [(f"{name}={value}", {**base, name: value}, "form") for name in form.numbers for value in NUMBERS]
    out += [(f"{name}={value!r}", {**base, name: value}, "form") for name in form.choices for value in CHOICES]
    out += [(label, {**base, **{k: _fill(world, v) for k, v in over.items()}}, "form") for label, over in form.extra]
    if form.texts:
        everywhere = {**base, **{name: TEXTS["invalid_utf8"] for name in form.texts}}
        out += [("raw invalid UTF-8 everywhere", everywhere, "raw"), ("multipart invalid UTF-8", everywhere, "multi")]
        out.append(("script everywhere", {**base, **{name: XSS for name in form.texts}}, "form"))
    out += [(f"file {name!r}", {**base, "__file__": (name, content)}, "multi") for name, content in HOSTILE_FILES
            if form.files]
    return out


def _post(client, url: str, csrf: str, fields: dict, encoding: str):
    pairs = [("csrf_token", csrf)]
    upload = fields.pop("__file__", None)
    for key, value in fields.items():
        pairs += [(key, v) for v in value] if isinstance(value, list) else [(key, value)]
    if encoding == "multi":
        files = [("files", upload[0], upload[1])] if upload else []
        body, content_type = corpus.multipart_body(pairs, files)
        return client.post(url, data=body, content_type=content_type)
    return client.post(url, data=corpus.pairs_body(pairs, raw=encoding == "raw"),
                       content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("name", list(FORMS))
def test_bad_input_to_form(app, world, name):
    form = FORMS[name]
    client, csrf = world_module.login(app, None if form.who == "anon" else form.who)
    findings = Findings()
    before, fresh_needed = None, True
    for label, fields, encoding in cases(form, world):
        with app.app_context():
            if form.fresh is not None and fresh_needed:  # a refused post changed nothing (checked): no need
                world.ids["req"] = form.fresh(world)
                before = None
            before = before or corpus.snapshot()
        try:  # under TESTING the client raises what would be a 500
            response = _post(client, world.fmt(form.url), csrf, dict(fields), encoding)
            response.close()
        except Exception as exc:  # noqa: BLE001
            findings.problems.append(f"{name}: {label}: {type(exc).__name__}: {str(exc)[:300]}")
            before, fresh_needed = None, True
            continue
        with app.app_context():
            after = corpus.snapshot()
        accepted = response.status_code in form.done
        findings.check(f"{name}: {label}", response, before, after, refused=not accepted)
        if label.startswith("duplicate") and accepted:
            findings.problems.append(f"{name}: {label}: accepted ({response.status_code})")
        before, fresh_needed = after, accepted
    assert not findings, findings.report()
    assert findings.posts >= 3


def test_files_keep_harmless_names_and_download_as_attachments(app, world):
    """Hostile file names are only labels: no path, no NUL, no script; the bytes download, never render."""
    from tracker.requests.models import Attachment

    client, csrf = world_module.login(app, "reporter")
    for name, content in HOSTILE_FILES:
        body, content_type = corpus.multipart_body([("csrf_token", csrf)], [("files", name, content)])
        client.post(world.fmt("/requests/{private}/attachments"), data=body, content_type=content_type)
    with app.app_context():
        stored = list(db.session.scalars(db.select(Attachment).where(Attachment.request_id == world.ids["private"])))
        names = [a.original_name for a in stored]
        ids = [a.id for a in stored]
    assert len(stored) > len(HOSTILE_FILES) - 3
    for label in names:
        assert "/" not in label and "\x00" not in label and "<" not in label and len(label) <= 255, label
    for attachment_id in ids:
        response = client.get(f"/attachments/{attachment_id}")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "html" not in response.headers["Content-Type"]
        assert "sandbox" in response.headers["Content-Security-Policy"]


def test_import_of_a_hostile_spreadsheet_changes_nothing(app, world):
    """Duplicate tracking numbers (with each other and with a stored request), bad dates and amounts, NUL,
    script and invalid UTF-8 in cells: the dry run lists the problems and the import imports nothing."""
    client, csrf = world_module.login(app, "reporter")
    sheet = (b"Title,Agency,Date filed,Tracking number,Fee ceiling\n"
             b"One,ICE FOIA Office,11/02/2026,2026-ICFO-00042,-5\n"
             b"Two <script>window.__pwned=1</script>,ICE FOIA Office,02/30/2026,2026-ICFO-99,1e309\n"
             b"Three,ICE FOIA Office,01/01/0001,2026-ICFO-99,NaN\n"
             b"Four \x00 \xff\xfe,ICE FOIA Office,12/31/9999,,\n")
    body, content_type = corpus.multipart_body([("csrf_token", csrf)], [("file", b"sheet.csv", sheet)])
    response = client.post("/imports", data=body, content_type=content_type)
    assert response.status_code in (303, 422), response.status_code
    if response.status_code == 422:
        return  # refused as a whole at upload: nothing to import
    upload = response.headers["Location"].split("/imports/")[1].split("/")[0]
    with app.app_context():
        before = corpus.snapshot()["requests"]
    pairs = {"csrf_token": csrf, "col-title": "Title", "col-agency": "Agency", "col-sent_on": "Date filed",
             "col-tracking_number": "Tracking number", "col-fee_limit": "Fee ceiling", "dates": "us",
             "default_channel": "portal"}
    assert client.post(f"/imports/{upload}/mapping", data=pairs).status_code < 500
    assert client.post(f"/imports/{upload}/import", data={"csrf_token": csrf}).status_code < 500
    report = client.get(f"/imports/{upload}")
    assert report.status_code == 200 and "<script>window" not in report.get_data(as_text=True)
    with app.app_context():
        assert corpus.snapshot()["requests"] == before


def test_corpus_is_large(world):
    total = sum(len(cases(form, world)) for form in FORMS.values())
    assert total > 1500, total
