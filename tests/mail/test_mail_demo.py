"""`tracker mail-demo` and `tracker fetch-mail` as the README's "To try it with `make run`" runs them: through
click on a real database and the real Dovecot. A database never upgraded, or without the demo newsroom, gets one
sentence saying what to run; the demo's messages file once however often mail-demo runs; and the forwarded final
response lands on a request still waiting for it, so confirming its proposal records the determination."""

from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import func, select

from tracker.demo import seed_demo
from tracker.extensions import db
from tracker.mail.models import IncomingMessage
from tracker.mail.proposal_models import Proposal
from tracker.requests.models import Communication, Determination, RecordsRequest, TrackingNumber

# What mail-demo brings: three agency letters, each about one demo request, and a newsletter nobody asked for.
LETTERS = {"FOIA 2026-ICFO-00881: extension of time": ("2026-ICFO-00881", "extension"),
           "Final Response 2026-ICFO-00640": ("2026-ICFO-00640", "determination"),
           "Appeal 2026-ICAP-00112 received": ("2026-ICAP-00112", "appeal_acknowledgment")}


def test_on_a_database_never_upgraded_both_commands_say_run_db_upgrade(never_upgraded_app, dovecot):
    never_upgraded_app.config.update(dovecot.settings(), TRACKER_MAIL_ADDRESS="foia@newsroom.example")
    runner = never_upgraded_app.test_cli_runner()
    for command in ("mail-demo", "fetch-mail"):
        result = runner.invoke(args=[command])
        assert result.exit_code == 1, (command, result.output)
        assert result.output == "Error: The database has no tables yet: run `tracker db upgrade` first.\n", command
        assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    assert dovecot.uids() == []  # nothing appended


def test_mail_demo_without_the_demo_newsroom_says_run_seed_demo(app, dovecot):
    result = app.test_cli_runner().invoke(args=["mail-demo"])
    assert result.exit_code == 1, result.output
    assert result.output == "Error: The demo requests are not in the database: run `tracker seed-demo` first.\n"
    assert dovecot.uids() == []  # not even the newsletter


def _seed(app) -> None:
    with app.app_context():
        seed_demo()
        db.session.commit()
        db.session.remove()


def test_mail_demo_twice_then_fetch_files_each_message_once(app, dovecot, frozen):
    _seed(app)
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["mail-demo"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Appended 4 demo messages to INBOX.")
    assert len(dovecot.uids()) == 8
    fetched = runner.invoke(args=["fetch-mail"])
    assert fetched.exit_code == 0, fetched.output
    assert fetched.output == ("Fetched 4 new message(s): 3 filed on a request, 1 in Unsorted mail, "
                              "4 already stored.\n")
    again = runner.invoke(args=["mail-demo"])
    assert again.exit_code == 0, again.output
    assert runner.invoke(args=["fetch-mail"]).output == ("Fetched 0 new message(s): 0 filed on a request, "
                                                          "0 in Unsorted mail, 4 already stored.\n")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IncomingMessage)) == 4
        filed = db.session.execute(select(Communication.subject, Communication.request_id)
                                   .where(Communication.direction == "in")).all()
        assert sorted(subject for subject, _ in filed) == sorted(LETTERS), filed
        for subject, request_id in filed:
            number, kind = LETTERS[subject]
            owner = db.session.scalar(select(TrackingNumber.request_id).where(TrackingNumber.number == number))
            assert request_id == owner, subject
            assert db.session.scalar(select(func.count()).select_from(Proposal).where(
                Proposal.request_id == request_id, Proposal.kind == kind)) == 1, subject
        unsorted = db.session.scalars(select(IncomingMessage.subject).where(IncomingMessage.status == "unsorted"))
        assert list(unsorted) == ["This week in FOIA"]


def test_the_folder_is_appended_to_by_its_name_and_one_the_server_refuses_is_an_error(app, dovecot, frozen):
    _seed(app)
    runner = app.test_cli_runner()

    def count() -> int:
        client = dovecot.connect()
        try:
            client.create('"Agency mail"')  # quoted: imaplib sends names as given (NO once it exists)
            return int(client.select('"Agency mail"')[1][0])
        finally:
            client.logout()

    before = count()
    app.config["TRACKER_IMAP_FOLDER"] = "Agency mail"  # the dovecot fixture puts the setting back
    result = runner.invoke(args=["mail-demo"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Appended 4 demo messages to Agency mail.")
    assert count() == before + 4
    app.config["TRACKER_IMAP_FOLDER"] = "No such folder"
    result = runner.invoke(args=["mail-demo"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: The IMAP server refused the demo messages (NO ")
    assert "Appended" not in result.output


class _Form(HTMLParser):
    """What a browser sends back for the page's form with method="post": its fields as they are filled in."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.inside = self.select = self.textarea = None
        self.options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("method") == "post" and "action" not in a
        elif not self.inside:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.data.setdefault(a["name"], []).append(a.get("value") or ("y" if "checked" in a else ""))
        elif tag == "select":
            self.select, self.options = a, []
        elif tag == "option" and self.select is not None:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.data.setdefault(self.textarea, [""])

    def handle_data(self, text):
        if self.textarea:
            self.data[self.textarea][-1] += text

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and "multiple" not in self.select and self.options:
                chosen = [self.options[0][0]]
            self.data[self.select["name"]] = chosen
            self.select = None


def _filled_in(page: str) -> dict[str, list[str]]:
    form = _Form()
    form.feed(page)
    return form.data


def _log_in(client, email: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={**_filled_in(page), "email": email, "password": password})
    assert response.status_code == 302


def test_the_forwarded_final_response_is_recorded_with_one_confirmation(app, client, dovecot, frozen):
    _seed(app)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["mail-demo"]).exit_code == 0
    assert runner.invoke(args=["fetch-mail"]).exit_code == 0
    with app.app_context():
        req = db.session.scalar(select(RecordsRequest).join(TrackingNumber)
                                .where(TrackingNumber.number == "2026-ICFO-00640"))
        assert req.status == "acknowledged" and req.determinations == []  # still awaiting its answer
        request_id, owner = req.id, req.owner.email
        assert owner == "reporter2@newsroom.example"  # the reporter who forwarded it
        proposals = {p.kind: (p.request_id, p.id) for p in db.session.scalars(select(Proposal))}
    assert set(proposals) == {"extension", "determination", "appeal_acknowledgment"}

    _log_in(client, owner, "demo-reporter2-2026")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "forwarded by Lee Reporter" in page and "2026-ICFO-00640 Final Response.pdf" in page  # with its PDF
    # As the README quotes it.
    assert ("Determination: granted in part, withheld in part, 37 pages released, 15 withheld in full, exemptions "
            "(b)(6), (b)(7)(C), (b)(7)(E)") in page
    assert "Record a determination…" in page
    url = f"/requests/{request_id}/proposals/{proposals['determination'][1]}"
    form = _filled_in(client.get(url).get_data(as_text=True))
    assert form["outcome"] == ["granted_in_part"] and sorted(form["exemptions"]) == ["b6", "b7C", "b7E"]
    assert form["pages_released"] == ["37"] and form["pages_withheld"] == ["15"]
    confirmed = client.post(url, data=form)
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)
    with app.app_context():
        req = db.session.get(RecordsRequest, request_id)
        assert req.status == "determined"
        determination = db.session.scalar(select(Determination).where(Determination.request_id == request_id))
        assert determination.outcome == "granted_in_part"
        assert sorted(determination.exemptions) == ["b6", "b7C", "b7E"]
        assert (determination.pages_released, determination.pages_withheld) == (37, 15)
        assert db.session.get(Proposal, proposals["determination"][1]).status == "accepted"

    # The other two letters' proposals can be confirmed where their requests stand too (none answers 409).
    editor = app.test_client()
    _log_in(editor, "editor@newsroom.example", "demo-editor-2026")
    for kind in ("extension", "appeal_acknowledgment"):
        on_request, proposal_id = proposals[kind]
        assert editor.get(f"/requests/{on_request}/proposals/{proposal_id}").status_code == 200, kind
