"""The plain-text version: clean for pasting into the DHS portal, same words as the PDF."""

from __future__ import annotations

import re

import pytest

from tracker.letters.plaintext import html_to_text
from tracker.letters.render import render_html, render_text
from tracker.letters.samples import SAMPLE_KINDS, sample_context

KEY_SENTENCES = {
    "foia_request": [
        "I ask to be placed in the fee category of a representative of the news media (5 U.S.C. 552(a)(4)(A)(ii)(II); "
        "6 C.F.R. 5.11(b)(6)).",
        "Fees are therefore limited to duplication, and the first 100 pages are free",
        "I certify that the statements above are true and correct to the best of my knowledge and belief.",
    ],
    "state_request": [
        "The Colorado Open Records Act requires a response within 3 working days (C.R.S. 24-72-203(3)(b)).",
    ],
    "status_inquiry": ["As of the date of this letter, the determination is 27 working days overdue"],
    "appeal": [
        "Freedom of Information Act Appeal",
        "This appeal is timely: the last day to appeal is March 16, 2027",
    ],
    "ogis_mediation": ["- September 14, 2026: Request submitted through the DHS FOIA portal."],
    "expedite_request": ["This is a compelling need as defined in 5 U.S.C. 552(a)(6)(E)(v)(II)."],
    "agency_status": [
        "1. Tracking number 2026-ICFO-01234: records concerning the Denver 'death card' allegations. Received "
        "September 14, 2026; determination due October 13, 2026; 27 working days overdue.",
        "3. Request without a tracking number: OPR management inquiries closed in fiscal year 2025. Sent "
        "November 10, 2026.",
        "as 5 U.S.C. 552(a)(7)(B)(ii) requires",
    ],
}


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_text_is_clean(kind: str) -> None:
    text = render_text(kind, sample_context(kind))
    assert not re.search(r"<[a-zA-Z/!]", text), "HTML tag in text"
    assert not re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", text, re.IGNORECASE), "entity in text"
    assert "\n\n\n" not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    for sentence in KEY_SENTENCES[kind]:
        assert sentence in text, f"{kind}: missing {sentence!r}"


def test_text_leaves_out_letterhead_and_postal_address() -> None:
    text = render_text("foia_request", sample_context("foia_request"))
    assert "P.O. Box 1234" not in text
    assert "Stop 5009" not in text
    assert text.startswith("November 20, 2026\n\nRe: Freedom of Information Act request")
    assert text.rstrip().endswith("mortega@example.org\n(303) 555-0142")


def test_lists_are_dash_or_numbered_items_one_per_line() -> None:
    text = render_text("foia_request", sample_context("foia_request"))
    assert "\n1. each report of investigation" in text
    assert "\n2. the case-closing memorandum" in text
    assert "\n1. The records concern identifiable operations or activities of the government" in text
    assert "\n5. I have no commercial interest in the records (6 C.F.R. 5.11(k)(3))" in text


def test_html_in_the_description_is_escaped_in_html_and_literal_in_text() -> None:
    context = sample_context("foia_request")
    evil = '<script>alert("x")</script> & <b>bold</b> R&D'
    context["request"]["records_description"] = evil
    html = render_html("foia_request", context)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; R&amp;D" in html
    assert evil in render_text("foia_request", context)


def test_html_to_text_rules() -> None:
    html = (
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<header data-text='omit'><p>Letterhead</p></header>"
        "<h2>Heading</h2><p>One   two\n three &amp; four&nbsp;five.</p>"
        "<p>Line<br>break</p>"
        "<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>"
        "<ol><li>first</li><li><p>second</p></li></ol>"
        "<script>ignored()</script><p>End</p></body></html>"
    )
    assert html_to_text(html) == (
        "Heading\n\nOne two three & four five.\n\nLine\nbreak\n\n- a\n- b\n  - c\n\n1. first\n2. second\n\nEnd\n"
    )
