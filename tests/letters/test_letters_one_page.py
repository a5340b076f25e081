"""A first FOIA request with fee waiver and expedited processing fits on TWO US Letter pages (it was one until
issue 14 added the factor-by-factor fee waiver of 6 C.F.R. 5.11(k), the outlet's facts for 6 C.F.R. 5.11(b)(6),
the category (ii) statement and room to sign), carries every element the law and the issues require, and keeps
its last paragraph, closing and signature together on the last page.

Checked twice: on the documented sample context, and on a letter the app builds from the demo data's
"death card" request with both boxes ticked and a newsroom letterhead with a logo. A long description
running to a second page is tested in test_letters_app_services.py.
"""

from __future__ import annotations

import base64
import io

from pypdf import PdfReader
from sqlalchemy import select

from tests.letters.letters_app_helpers import pdf_text
from tracker.core.clock import now_utc, today
from tracker.letters import services, sources
from tracker.letters.render import render_pdf
from tracker.letters.samples import sample_context
from tracker.requests.models import RecordsRequest

CERTIFICATION = "I certify that the statements above are true and correct to the best of my knowledge and belief."
# What the issue asks of the request letter, as the letter says it.
ELEMENTS = (
    "Under the Freedom of Information Act, 5 U.S.C. 552",
    "report of investigation",  # the records description
    "from January 21, 2026 through the date the search begins",  # the date range
    "in electronic form, as searchable PDF files",  # the preferred electronic format
    "(5 U.S.C. 552(a)(3)(B))",
    "I ask to be placed in the fee category of a representative of the news media (5 U.S.C. 552(a)(4)(A)(ii)(II); "
    "6 C.F.R. 5.11(b)(6)).",
    "Fees are therefore limited to duplication, and the first 100 pages are free",
    "The records are not sought for commercial use.",
    "I request a waiver of all fees in the public interest: disclosure is likely to contribute significantly to "
    "public understanding of the operations or activities of the government and is not primarily in my commercial "
    "interest (5 U.S.C. 552(a)(4)(A)(iii); 6 C.F.R. 5.11(k)). Each factor is met:",
    "I request expedited processing under 5 U.S.C. 552(a)(6)(E) and 6 C.F.R. 5.5(e)(1)(ii) because there is an "
    "urgency to inform the public about an actual or alleged federal government activity, and I am a person "
    "primarily engaged in disseminating information.",
    "I am primarily engaged in disseminating information: I am a journalist",
    "This is a compelling need as defined in 5 U.S.C. 552(a)(6)(E)(v)(II).",
    CERTIFICATION,  # 5 U.S.C. 552(a)(6)(E)(vi)
    "release every reasonably segregable portion (5 U.S.C. 552(b))",
    "If the fee waiver is denied,",  # the fee ceiling follows
)
# A 3x1 SVG logo: the letterhead keeps it beside its two lines, so it costs no height.
LOGO = "data:image/svg+xml;base64," + base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect width="300" height="100"/></svg>'
).decode()


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def signed_together(pdf: bytes, last_paragraph: str = "Thank you for your help.") -> bool:
    """The last paragraph, the closing and the signature are on the same (last) page."""
    last = " ".join((PdfReader(io.BytesIO(pdf)).pages[-1].extract_text() or "").split())
    return last_paragraph in last and "Sincerely," in last


def test_the_sample_request_with_fee_waiver_and_expedited_processing_fits_two_pages() -> None:
    context = sample_context("foia_request")
    request = context["request"]
    assert request["fee_waiver_requested"] is True and request["expedited_requested"] is True
    assert request["fee_category"] == "news_media" and request["expedited_category"] == "ii"
    assert not request["fee_waiver_justification"]  # the letter argues the waiver in its own words
    pdf = render_pdf("foia_request", context)
    assert page_count(pdf) == 2 and signed_together(pdf)
    text = pdf_text(pdf)
    assert "Page 1 of 2" in text and "Page 2 of 2" in text
    for element in ELEMENTS:
        assert element in text, element
    assert "If the fee waiver is denied, I agree to pay fees up to $100.00 without being asked first" in text
    assert "The records concern identifiable operations or activities of the government" in text
    assert request["expedited_justification"].split(";")[0] in text


def test_the_sample_stays_two_pages_with_a_logo() -> None:
    context = sample_context("foia_request")
    context["letterhead"] = {"name": "The Mountain Dispatch", "logo": LOGO}
    pdf = render_pdf("foia_request", context)
    assert page_count(pdf) == 2 and signed_together(pdf)
    assert len([image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]) <= 1


def test_the_demo_death_card_request_with_fee_waiver_and_expedited_processing_fits_two_pages(app, db, frozen,
                                                                                           storage):
    from tracker.demo import seed_demo

    seed_demo()
    db.session.commit()
    # By its whole title: "death card" is in two demo requests, and without an order either may come first.
    title = "OPR report, Denver “death card” inquiry"
    req = db.session.scalar(select(RecordsRequest).where(RecordsRequest.title == title))
    assert req.agency.name == "ICE FOIA Office" and req.fee_waiver_requested
    owner = req.owner
    options = services.default_options(req, "foia_request", owner)
    options.requester_title, options.requester_phone = "Investigative Reporter", "(303) 555-0142"
    options.fee_waiver_requested = True
    options.expedited_requested, options.expedited_category = True, "ii"
    options.expedited_justification = sample_context("foia_request")["request"]["expedited_justification"]
    letterhead = {"name": "The Mountain Dispatch", "address": "P.O. Box 1234\nDenver, CO 80201", "logo": LOGO}
    letter = services.generate_letter(req, "foia_request", options, actor=owner, now=now_utc(), today=today(),
                                      storage=storage, search=sources.roots(app.config),
                                      letterhead=letterhead)
    with storage.open(letter.storage_key) as f:
        pdf = f.read()
    assert letter.pages == page_count(pdf) == 2 and signed_together(pdf)
    text = pdf_text(pdf)
    for element in ELEMENTS:
        if element == "report of investigation":
            element = "The report of investigation and case-closing memorandum"  # the demo's own description
        elif element == "in electronic form, as searchable PDF files":
            element = "in electronic form, as searchable PDF files (5 U.S.C. 552(a)(3)(B))"
        assert element in text, element
    assert req.fee_waiver_justification.split(";")[0] in text  # the reporter's own waiver argument
    assert "If the fee waiver is denied, please ask me before incurring any fees." in text  # no amount given
    assert CERTIFICATION in letter.text and "<" not in letter.text
