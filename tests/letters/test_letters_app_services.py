"""Letters from real requests: the context, what is missing, generating and storing, recording as sent."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from tests.helpers import perform
from tests.letters.letters_app_helpers import make_fixed_request, make_ice, pdf_pages, pdf_text
from tracker import deadlines
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.core.errors import ActionNotAllowed, Conflict, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.letters import services, sources
from tracker.letters.models import Letter
from tracker.requests.models import Communication

CERTIFICATION = "I certify that the statements above are true and correct to the best of my knowledge and belief."


def options_for(req, kind, user_id, **changes):
    options = services.default_options(req, kind, db.session.get(User, user_id))
    for name, value in changes.items():
        setattr(options, name, value)
    return options


def generate(app, storage, req, kind, user_id, **changes) -> Letter:
    return services.generate_letter(
        req, kind, options_for(req, kind, user_id, **changes), actor=db.session.get(User, user_id),
        now=now_utc(), today=today(), storage=storage, search=sources.roots(app.config),
        letterhead=services.letterhead_from_config(app.config))


def draft(app, req, kind, user_id, **changes):
    return services.prepare(req, kind, options_for(req, kind, user_id, **changes), today=today(),
                            search=sources.roots(app.config), letterhead=services.letterhead_from_config(app.config))


def stored_pdf(storage, letter: Letter) -> bytes:
    with storage.open(letter.storage_key) as f:
        return f.read()


def plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool | date)


def test_context_is_plain_data_proposed_from_the_request(app, db, users, frozen):
    req = make_fixed_request(users["reporter"])
    context = draft(app, req, "foia_request", users["reporter"]).context
    assert plain(context)
    assert context["today"] == date(2026, 11, 30)
    assert context["requester"]["name"] == "Reporter" and context["requester"]["email"] == "reporter@test.example"
    assert context["agency"]["foia_regulations"] == "the DHS FOIA regulations, 6 CFR Part 5"
    assert context["agency"]["portal_url"] == "https://www.dhs.gov/foia"  # the default channel is the portal
    description = context["request"]["records_description"]
    assert "ICE Office of Professional Responsibility (OPR)" in description and "Eagle County" in description
    assert "case-closing memorandum" in description
    assert context["matters"][0]["date_range_start"] == date(2026, 1, 21)
    assert context["request"]["fee_limit"] == "100.00"
    emailed = draft(app, req, "foia_request", users["reporter"], channel="email").context["agency"]
    assert emailed["portal_url"] == "" and emailed["foia_email"] == "ice-foia@ice.dhs.gov"


def test_request_letter_pdf_carries_the_law_the_names_and_the_certification(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"])
    letter = generate(app, storage, req, "foia_request", users["reporter"], fee_waiver_requested=True,
                      expedited_requested=True, expedited_category="ii",
                      expedited_justification="Congress is examining the investigation now.")
    pdf = stored_pdf(storage, letter)
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == letter.sha256
    assert letter.size == len(pdf) and letter.pages == pdf_pages(pdf) and len(pdf) < 100_000
    text = pdf_text(pdf)
    for phrase in ("5 U.S.C. 552", "6 C.F.R. Part 5",
                   "representative of the news media (5 U.S.C. 552(a)(4)(A)(ii)(II); 6 C.F.R. 5.11(b)(6))",
                   "limited to duplication, and the first 100 pages are free", "6 C.F.R. 5.11(k)(2)(i)",
                   "5 U.S.C. 552(a)(4)(A)(iii)", "likely to contribute significantly to public understanding",
                   "6 C.F.R. 5.5(e)(1)(ii)", "5 U.S.C. 552(a)(6)(E)(v)(II)", CERTIFICATION,
                   "reasonably segregable portion", "I agree to pay fees up to $100.00",
                   "November 30, 2026", "ICE FOIA Office", "Reporter", "Congress is examining the investigation now.",
                   "January 21, 2026"):
        assert phrase in text, phrase
    assert letter.version == 1 and letter.filename == "2026-11-30-foia_request.pdf"
    assert "<" not in letter.text and CERTIFICATION in letter.text
    assert "Submitted through the FOIA portal" not in letter.text  # the portal does not need it


def test_each_generation_is_a_new_version_starting_from_the_last_choices(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"])
    first = generate(app, storage, req, "foia_request", users["reporter"], custom_text="Please call me first.",
                     requester_title="Investigative Reporter")
    carried = services.default_options(req, "foia_request", db.session.get(User, users["reporter"]))
    assert carried.custom_text == "Please call me first."
    second = generate(app, storage, req, "foia_request", users["reporter"])
    assert (first.version, second.version) == (1, 2)
    assert second.filename == "2026-11-30-foia_request-v2.pdf" and first.storage_key != second.storage_key
    assert "Please call me first." in second.text
    # Another request starts from the request, but keeps the signer's title.
    other = make_fixed_request(users["reporter"], agency=make_ice(name="ICE FOIA Office (2)"), private=False)
    fresh = services.default_options(other, "foia_request", db.session.get(User, users["reporter"]))
    assert fresh.custom_text == "" and fresh.requester_title == "Investigative Reporter"


def test_status_inquiry_counts_the_working_days_overdue(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"])
    perform(req, "file", users["reporter"], on=date(2026, 10, 1), channel="portal")
    perform(req, "acknowledge", users["reporter"], on=date(2026, 10, 2), tracking_number="2026-ICFO-01234")
    assert req.response_due == date(2026, 10, 30)  # Columbus Day skipped
    overdue = deadlines.working_days_between("US-DHS", req.response_due, date(2026, 11, 30))
    context = draft(app, req, "status_inquiry", users["reporter"]).context
    assert context["request"]["overdue_working_days"] == overdue == 19
    text = pdf_text(stored_pdf(storage, generate(app, storage, req, "status_inquiry", users["reporter"])))
    for phrase in ("2026-ICFO-01234", "received the request on October 1, 2026", "due by October 30, 2026",
                   "19 working days overdue", "5 U.S.C. 552(a)(7)(B)(ii)", "5 U.S.C. 552(a)(4)(A)(viii)"):
        assert phrase in text, phrase


def test_appeal_without_a_determination_lists_what_is_missing(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"])
    perform(req, "file", users["reporter"], on=date(2026, 10, 1), channel="portal")
    missing = draft(app, req, "appeal", users["reporter"]).missing
    assert [(m.label, m.fix) for m in missing] == [
        ("Tracking number", "action:acknowledge"),
        ("What the agency decided", "action:determine"),
        ("Date of the determination letter", "action:determine"),
        # Where the appeal goes comes from the determination letter or the directory, never the request portal.
        ("The office that decides appeals (as the determination letter names it, or in the agency directory)",
         "action:determine"),
        ("The appeal mailing address (for a mailed appeal)", "action:determine"),
    ]
    assert options_for(req, "appeal", users["reporter"]).channel == "mail"
    with pytest.raises(ValidationFailed) as refused:
        generate(app, storage, req, "appeal", users["reporter"])
    assert "What the agency decided" in refused.value.message
    assert db.session.scalar(select(Letter)) is None


def test_a_mailed_letter_needs_the_agencys_address(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"], agency=make_ice(mailing_address="", foia_email=""))
    mailed = draft(app, req, "foia_request", users["reporter"], channel="mail").missing
    assert [m.label for m in mailed] == ["The agency's mailing address (for a letter on paper)"]
    assert mailed[0].fix == "agency"
    emailed = draft(app, req, "foia_request", users["reporter"], channel="email").missing
    assert [m.label for m in emailed] == ["The agency's FOIA email address (for an emailed letter)"]
    assert draft(app, req, "foia_request", users["reporter"], channel="portal").missing == []
    blank = draft(app, req, "foia_request", users["reporter"], records_description=" ", requester_email="").missing
    assert {(m.label, m.fix) for m in blank} == {("Your email address", "form:requester_email"),
                                                 ("Description of the records", "form:records_description")}


def _determined(req, reporter):
    perform(req, "file", reporter, on=date(2026, 10, 1), channel="portal")
    perform(req, "acknowledge", reporter, on=date(2026, 10, 2), tracking_number="2026-ICFO-01234")
    perform(req, "determine", reporter, on=date(2026, 11, 2), outcome="granted_in_part", exemptions=["b6", "b7C"],
            pages_released=112, pages_withheld=57, appeal_office=APPEAL_OFFICE, appeal_address=APPEAL_ADDRESS,
            appeal_deadline_stated="within 90 working days of the date of this letter")


# As the determination letter states them (recorded with the determination; they win over the directory).
APPEAL_OFFICE = "U.S. Immigration and Customs Enforcement, Office of the Principal Legal Advisor"
APPEAL_ADDRESS = "500 12th Street SW, Mail Stop 5900\nWashington, DC 20536-5900"


def test_appeal_letter_argues_each_exemption_and_meets_its_deadline(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"])
    _determined(req, users["reporter"])
    options = options_for(req, "appeal", users["reporter"])
    assert options.determination_kind == "partial" and options.contested == ["b6", "b7C"]
    letter = generate(app, storage, req, "appeal", users["reporter"],
                      arguments={"b7C": "The officers' names were published by DHS itself."})
    text = pdf_text(stored_pdf(storage, letter))
    assert text.index("Freedom of Information Act Appeal") < text.index("November 30, 2026")  # the banner on top
    for phrase in ("I appeal the partial denial dated November 2, 2026", "tracking number 2026-ICFO-01234",
                   "released 112 pages", "withheld 57 pages", "Exemptions 6 and 7(C)", "5 U.S.C. 552(b)(6)",
                   "Exemption 7(C) (5 U.S.C. 552(b)(7)(C))",
                   "the agency's letter allows an appeal within 90 working days of the date of this letter, and by "
                   "the rule the last day is March 16, 2027 (6 C.F.R. 5.8(a)(1))", "5 U.S.C. 552(a)(8)(A)(i)",
                   "how the ICE Office of Professional Responsibility handled the matter they concern (“Death card” "
                   "allegations",
                   APPEAL_OFFICE, "Mail Stop 5900",
                   "The officers' names were published by DHS itself.", "My request of October 1, 2026"):
        assert phrase in text, phrase
    assert "Stop 5009" not in text and "dhs.gov/foia" not in text  # not the request office, not its portal
    search = generate(app, storage, req, "appeal", users["reporter"], contested=[], contest_search=True)
    assert "Adequacy of the search" in search.text and "Exemption 6 (" not in search.text


def test_record_as_sent_files_a_draft_with_the_pdf_attached(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"])
    letter = generate(app, storage, req, "foia_request", users["reporter"])
    reporter = db.session.get(User, users["reporter"])
    comm = services.record_as_sent(letter, services.SendInput(on=date(2026, 11, 30), channel="portal",
                                                              tracking_number="2026-ICFO-09999"),
                                   actor=reporter, now=now_utc(), today=today(), storage=storage)
    assert req.status == "filed" and req.sent_on == req.received_on == date(2026, 11, 30)
    assert req.primary_tracking_number == "2026-ICFO-09999" and req.response_due is not None
    assert comm.direction == "out" and comm.kind == "request" and comm.event.action == "file"
    assert comm.body == letter.text and letter.communication is comm and letter.sent_on == date(2026, 11, 30)
    [attachment] = comm.attachments
    assert attachment.sha256 == letter.sha256 and attachment.content_type == "application/pdf"
    assert attachment.original_name == letter.filename and attachment.storage_key != letter.storage_key
    with pytest.raises(Conflict):
        services.record_as_sent(letter, services.SendInput(on=date(2026, 11, 30), channel="portal"),
                                actor=reporter, now=now_utc(), today=today(), storage=storage)
    # A later request letter to a filed request is only a communication.
    again = generate(app, storage, req, "foia_request", users["reporter"])
    services.record_as_sent(again, services.SendInput(on=date(2026, 11, 30), channel="email"), actor=reporter,
                            now=now_utc(), today=today(), storage=storage)
    assert req.status == "filed" and [e.action for e in req.events].count("file") == 1


def test_sending_an_appeal_records_the_appeal_only_when_asked(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"])
    _determined(req, users["reporter"])
    reporter = db.session.get(User, users["reporter"])
    kept = generate(app, storage, req, "appeal", users["reporter"])
    services.record_as_sent(kept, services.SendInput(on=date(2026, 11, 30), channel="portal"), actor=reporter,
                            now=now_utc(), today=today(), storage=storage)
    assert req.status == "determined" and kept.communication.kind == "appeal"
    moved = generate(app, storage, req, "appeal", users["reporter"])
    services.record_as_sent(moved, services.SendInput(on=date(2026, 11, 30), channel="portal", move_on=True,
                                                      tracking_number="2026-ICAP-00042"),
                            actor=reporter, now=now_utc(), today=today(), storage=storage)
    assert req.status == "appealed" and req.appeal_filed_on == date(2026, 11, 30)
    assert {t.number for t in req.tracking_numbers if t.kind == "appeal"} == {"2026-ICAP-00042"}
    # A second appeal while one is pending is written only when the reporter confirms it, and says so.
    with pytest.raises(ValidationFailed) as unconfirmed:
        generate(app, storage, req, "appeal", users["reporter"])
    assert "An appeal filed on November 30, 2026 (2026-ICAP-00042) is still pending" in unconfirmed.value.message
    third = generate(app, storage, req, "appeal", users["reporter"], confirm_second_appeal=True)
    assert "This is a separate appeal. My appeal of November 30, 2026 (appeal number 2026-ICAP-00042) is still " \
           "pending" in third.text
    # Asked where the lifecycle does not allow it: refused, nothing recorded.
    with pytest.raises(ActionNotAllowed):
        services.record_as_sent(third, services.SendInput(on=date(2026, 11, 30), channel="portal", move_on=True),
                                actor=reporter, now=now_utc(), today=today(), storage=storage)


def test_a_send_date_in_the_future_is_refused(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"])
    letter = generate(app, storage, req, "foia_request", users["reporter"])
    with pytest.raises(ValidationFailed) as refused:
        services.record_as_sent(letter, services.SendInput(on=date(2026, 12, 1), channel="portal"),
                                actor=db.session.get(User, users["reporter"]), now=now_utc(), today=today(),
                                storage=storage)
    assert "future" in refused.value.fields["on"]
    assert db.session.scalar(select(Communication)) is None


def test_accented_names_survive_into_the_pdf_and_the_text(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"])
    name = "María José Peña-Nguyễn"
    letter = generate(app, storage, req, "foia_request", users["reporter"], requester_name=name,
                      records_description="Records of OPR's interview of Trần Thị Ngọc Ánh and Zoë Ångström-Müller.")
    text = pdf_text(stored_pdf(storage, letter))
    assert name in text and "Trần Thị Ngọc Ánh" in text and "Zoë Ångström-Müller" in text
    assert name in letter.text


def test_a_long_description_runs_to_a_second_page(app, db, users, frozen, storage):
    req = make_fixed_request(users["reporter"])
    items = "\n".join(f"{n}. Records of allegation {n}: every interview memorandum, exhibit and "
                      f"supervisory review concerning it." for n in range(1, 61))
    letter = generate(app, storage, req, "foia_request", users["reporter"], records_description=items)
    pdf = stored_pdf(storage, letter)
    assert letter.pages == pdf_pages(pdf) >= 2
    text = pdf_text(pdf)
    assert f"Page 2 of {letter.pages}" in text and "allegation 60" in text
    assert text.index("allegation 1:") < text.index("Page 1 of") < text.index("allegation 60")


def test_a_kind_that_does_not_fit_the_agency_is_refused(app, db, users, frozen):
    req = make_fixed_request(users["reporter"])
    with pytest.raises(NotFound) as refused:
        draft(app, req, "state_request", users["reporter"])
    assert "US-DHS" in refused.value.message
    with pytest.raises(NotFound):
        draft(app, req, "../appeal", users["reporter"])
