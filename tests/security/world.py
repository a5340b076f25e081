"""A small newsroom with one of everything, for the security tests: a private request with all its parts,
a public request, links and tokens of every kind, built through the real services (a few rows directly).

Every value a leak could show is unique (SECRET_*), so a test can search any response body for it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select

from tests.conftest import PASSWORD, Auth
from tests.helpers import d, make_request, perform
from tracker.agencies.models import Agency
from tracker.auth import api_tokens, password_reset
from tracker.auth import services as auth_services
from tracker.auth.models import Role, User
from tracker.board import services as board_services
from tracker.core import mail as outbox
from tracker.core.clock import now_utc
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.imports import services as import_services
from tracker.imports.mapping import Mapping
from tracker.letters.models import Letter
from tracker.letters.options import defaults
from tracker.matters.models import Matter, MatterCategory, Source
from tracker.reminders import settings
from tracker.reminders.rules import RULE_KEYS
from tracker.requests import documents
from tracker.requests import services as request_services
from tracker.requests.models import RecordsRequest

SECRET_TITLE = "Quokka-7731 informant payments"  # the private request's title: must never reach another reporter
SECRET_NUMBER = "2026-ICFO-77310"  # its tracking number
SECRET_WORDS = "marmoset-4417"  # in its description, communication, notes, attachment, letter
PUBLIC_TITLE = "Public request about Denver detention audits"
CSV = b"Title,Agency,Date filed\nImported budget request,ICE FOIA Office,11/02/2026\n"
FAKE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The six kinds of caller of the permission matrix, and which test user each is.
ROLES = ("anon", "owner", "other", "editor", "admin", "gone")
USER_OF = {"owner": "reporter", "other": "other_reporter", "editor": "editor", "admin": "admin", "gone": "leaver"}


@dataclass
class World:
    ids: dict[str, int] = field(default_factory=dict)  # names of rows -> ids
    secrets: dict[str, str] = field(default_factory=dict)  # tokens and links -> their secret value
    api: dict[str, str] = field(default_factory=dict)  # who -> API token

    def fmt(self, template: str) -> str:
        """A URL template with {name} placeholders filled from ids and secrets."""
        return template.format(**self.ids, **self.secrets)


def storage() -> DirectoryStorage:
    return DirectoryStorage(current_app.config["TRACKER_UPLOAD_DIR"])


def add_user(key: str, role: Role, password_hash: str) -> User:
    user = User(name=key.replace("_", " ").title(), email=f"{key}@test.example", role=role, active=True)
    user.password_hash = password_hash
    db.session.add(user)
    db.session.flush()
    return user


def make_ice() -> Agency:
    agency = Agency(name="ICE FOIA Office", abbreviation="ICE", jurisdiction="US-DHS",
                    foia_email="ice-foia@ice.dhs.gov", portal_url="https://www.dhs.gov/foia",
                    mailing_address="500 12th St SW, Stop 5009\nWashington, DC 20536-5009",
                    appeal_office="ICE Office of the Principal Legal Advisor, Government Information Law Division",
                    appeal_address="Office of the General Counsel, Washington, DC 20528")
    db.session.add(agency)
    db.session.flush()
    return agency


def store_letter(req: RecordsRequest, owner: User, *, kind: str = "appeal") -> Letter:
    """A stored letter without running WeasyPrint (a few hundred ms per PDF): the row and a small PDF."""
    stored = storage().save(io.BytesIO(FAKE_PDF))
    options = defaults(req, kind, owner, None).to_json()
    letter = Letter(request=req, kind=kind, version=1, title="Administrative appeal",
                    text=f"Appeal of {req.title} ({SECRET_NUMBER}) {SECRET_WORDS}", storage_key=stored.key,
                    sha256=stored.sha256, size=stored.size, pages=1, filename="2026-11-30-appeal.pdf",
                    options=options, created_by=owner, created_at=now_utc())
    db.session.add(letter)
    db.session.flush()
    return letter


def build(users: dict[str, int], password_hash: str) -> World:
    """Everything, committed. Call inside an app context with the clock frozen (the `frozen` fixture)."""
    w = World()
    leaver = add_user("leaver", Role.EDITOR, password_hash)  # an editor who leaves: deactivated mid-test
    users = {**users, "leaver": leaver.id}
    user = {key: db.session.get(User, uid) for key, uid in users.items()}
    reporter, editor = user["reporter"], user["editor"]
    ice = make_ice()
    matter = Matter(title="Denver death card inquiry", category=MatterCategory.ADMINISTRATIVE,
                    summary="OPR inquiry into cards left after arrests.", created_by_id=reporter.id)
    db.session.add(matter)
    db.session.flush()
    source = Source(matter=matter, title="DHS statement", publisher="DHS", url="https://www.dhs.gov/news",
                    published_on=date(2026, 1, 23))
    db.session.add(source)

    private = make_request(users["reporter"], ice, title=SECRET_TITLE, private=True,
                           records_description=f"All records about {SECRET_WORDS}.")
    private.matters = [matter]
    perform(private, "file", users["reporter"], on=d("2026-09-01"), channel="portal", tracking_number=SECRET_NUMBER)
    perform(private, "determine", users["reporter"], on=d("2026-10-20"), outcome="granted_in_part",
            exemptions=["b6", "b7C"], pages_released=3, pages_withheld=9, note=f"Withheld {SECRET_WORDS}")
    determination = private.determinations[-1]
    (document,) = documents.add_documents(determination, [documents.DocumentInput(
        description=f"Report of investigation {SECRET_WORDS}", pages=12, withheld_in_full=9, exemptions="b6")])
    comm = request_services.add_communication(
        private, actor=reporter, now=now_utc(), storage=storage(), direction="in", channel="email",
        occurred_on=d("2026-10-21"), subject=f"Your request {SECRET_NUMBER}", body=f"About {SECRET_WORDS}.")
    request_services.upload_documents(private, [request_services.Upload(
        "source-notes.txt", io.BytesIO(f"Notes on {SECRET_WORDS}".encode()))],
        actor=reporter, now=now_utc(), storage=storage())
    letter = store_letter(private, reporter)
    from tracker.mail.proposal_models import Proposal

    proposal = Proposal(request=private, communication=comm, kind="appeal_acknowledgment", status="pending",
                        fields={"on": "2026-10-21", "tracking_number": "2026-ICAP-00001"},
                        sentence="Your appeal has been assigned number 2026-ICAP-00001.", created_at=now_utc())
    db.session.add(proposal)

    public = make_request(users["reporter"], ice, title=PUBLIC_TITLE)
    public.matters = [matter]
    perform(public, "file", users["reporter"], on=d("2026-11-16"), channel="portal", tracking_number="2026-ICFO-00042")
    db.session.flush()

    share, share_token = board_services.create_share(actor=editor, now=now_utc(), label="Newsroom wall")
    feed_mine = settings.create_calendar_token(reporter, scope="mine", now=now_utc())
    feed_newsroom = settings.create_calendar_token(editor, scope="newsroom", now=now_utc())
    feed_leaver = settings.create_calendar_token(leaver, scope="newsroom", now=now_utc())
    message_id = outbox.queue(key="security:test", to_address=reporter.email, subject="Reminder: response due",
                              text_body="Due soon.", html_body="<p>Due soon.</p>", now=now_utc(),
                              user_id=reporter.id, request_id=private.id)
    upload = import_services.store_upload(reporter, "sheet.csv", io.BytesIO(CSV), now=now_utc(), storage=storage())
    saved = import_services.save_mapping("Desk sheet", Mapping(columns={"title": "Title", "agency": "Agency"}),
                                         actor=reporter, now=now_utc())
    for key in ("reporter", "other_reporter", "editor", "admin", "leaver"):
        token, secret = api_tokens.create_token(user[key], f"{key} script", now=now_utc())
        w.api[key] = secret
        w.ids[f"api_token_{key}"] = token.id
    db.session.flush()
    mine_token = settings.token_owner(feed_mine)
    from tracker.documents.models import DocumentText

    document_text = DocumentText(request_id=private.id, attachment_id=private.attachments[-1].id)
    db.session.add(document_text)
    db.session.flush()
    from tracker.batches.models import RequestBatch

    private_batch = RequestBatch(title=SECRET_TITLE, created_by=reporter.id, created_at=now_utc())
    public_batch = RequestBatch(title=PUBLIC_TITLE, created_by=reporter.id, created_at=now_utc())
    db.session.add_all([private_batch, public_batch])
    db.session.flush()
    private.batch_id, public.batch_id = private_batch.id, public_batch.id
    w.ids.update(private_batch=private_batch.id, public_batch=public_batch.id)

    from tracker.stories import services as story_services

    story = story_services.record_story(story_services.StoryInput(
        headline="What the private records showed", url="https://news.example/private", published_on=d("2026-11-20"),
        document_ids=[private.attachments[-1].id]), actor=reporter, now=now_utc(), today=d("2026-11-30"),
        request=private)
    story_public = story_services.record_story(story_services.StoryInput(
        headline="What the public records showed", url="https://news.example/public", published_on=d("2026-11-21")),
        actor=reporter, now=now_utc(), today=d("2026-11-30"), request=public)
    w.ids.update(story=story.id, story_public=story_public.id)
    w.ids.update(
        agency=ice.id, matter=matter.id, source=source.id, private=private.id, public=public.id,
        determination=determination.id, document=document.id, communication=comm.id,
        attachment=private.attachments[-1].id, letter=letter.id, share=share.id, message=message_id,
        upload=upload.id, mapping=saved.id, calendar_mine=mine_token.id, proposal=proposal.id,
        document_text=document_text.id,
        **{key: uid for key, uid in users.items()},
    )
    w.secrets.update(share_token=share_token, feed_mine=feed_mine, feed_newsroom=feed_newsroom,
                     feed_leaver=feed_leaver, reset_token=password_reset.make_token(reporter),
                     rule=RULE_KEYS[0])
    db.session.commit()
    return w


def deactivate(user_id: int) -> None:
    """An administrator deactivates the user (the real service: sessions end, tokens die)."""
    user = db.session.get(User, user_id)
    auth_services.update_user(user, name=user.name, email=user.email, role=user.role.value, active=False,
                              password=None)
    db.session.commit()


def login(app, who: str):
    """A test client logged in as `who` through the real form, and its CSRF token."""
    client = app.test_client()
    if who is not None:
        response = Auth(client).login(who, PASSWORD)
        assert response.status_code == 302, f"{who} could not log in"
    return client, csrf_of(client)


def csrf_of(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return match.group(1) if match else ""


def all_requests() -> list[RecordsRequest]:
    return list(db.session.scalars(select(RecordsRequest).order_by(RecordsRequest.id)))
