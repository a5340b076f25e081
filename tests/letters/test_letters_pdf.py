"""Every letter kind renders to a real PDF whose text carries the key legal phrases."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from tracker.letters.render import render_pdf, render_text
from tracker.letters.samples import SAMPLE_KINDS, sample_context

CERTIFICATION = "I certify that the statements above are true and correct to the best of my knowledge and belief."


def pdf_text(data: bytes) -> str:
    """All pages' text with whitespace normalised, so phrases split across lines still match.

    A citation broken across lines, "552(a)(7)(B)" / "(ii)", reads as one again (as in letters_app_helpers).
    """
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    return re.sub(r"\)\s+(?=\([A-Za-z0-9]{1,4}\))", ")", text)


def body_text(data: bytes) -> str:
    """pdftotext of each page without its running header and page footer (a paragraph that runs on to the
    next page reads on without them)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-x", "0", "-y", "58", "-W", "612", "-H", "697", "-", "-"],
                         input=data, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {kind: render_pdf(kind, sample_context(kind)) for kind in SAMPLE_KINDS}


def test_every_kind_is_a_pdf_with_page_numbers(pdfs: dict[str, bytes]) -> None:
    for kind, data in pdfs.items():
        assert data.startswith(b"%PDF-"), kind
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
        text = pdf_text(data)
        assert f"Page 1 of {pages}" in text, kind
        assert "Maria Ortega" in text and "The Mountain Dispatch" in text, kind  # letterhead
        assert "November 20, 2026" in text, kind


def test_pages_are_us_letter(pdfs: dict[str, bytes]) -> None:
    page = PdfReader(io.BytesIO(pdfs["foia_request"])).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


@pytest.mark.parametrize(
    ("kind", "phrases"),
    [
        (
            "foia_request",
            [
                "5 U.S.C. 552",
                "representative of the news media",
                "5 U.S.C. 552(a)(4)(A)(ii)",
                "likely to contribute significantly to public understanding of the operations or activities "
                "of the government",
                "not primarily in my commercial interest",
                "6 C.F.R. 5.5(e)(1)(ii)",
                CERTIFICATION,
                "reasonably segregable portion",
                "5 U.S.C. 552(b)",
                "I agree to pay fees up to $100.00",
                "January 21, 2026",
                "report of investigation",
                "searchable PDF",
            ],
        ),
        (
            "state_request",
            ["Colorado Open Records Act", "C.R.S. 24-72-203(3)(b)", "within 3 working days"],
        ),
        (
            "status_inquiry",
            [
                "2026-ICFO-01234",
                "September 14, 2026",
                "October 13, 2026",
                "27 working days overdue",
                "5 U.S.C. 552(a)(7)(B)(ii)",
                "5 U.S.C. 552(a)(4)(A)(viii)",
                "may not assess search fees",
                "duplication fees",
            ],
        ),
        (
            "appeal",
            [
                "Freedom of Information Act Appeal",
                "2026-ICFO-01234",
                "partial denial dated November 2, 2026",
                "March 16, 2027",
                "6 C.F.R. 5.8(a)(1)",
                "Exemption 6 (5 U.S.C. 552(b)(6))",
                "Exemption 7(C) (5 U.S.C. 552(b)(7)(C))",
                "Exemption 7(A) (5 U.S.C. 552(b)(7)(A))",
                "5 U.S.C. 552(a)(8)(A)(i)",
                "reasonably segregable",
                "Adequacy of the search",
                "what their government is up to",
            ],
        ),
        (
            "ogis_mediation",
            [
                "Office of Government Information Services",
                "8601 Adelphi Road-OGIS",
                "College Park, MD 20740-6001",
                "ogis@nara.gov",
                "5 U.S.C. 552(h)(3)",
                "September 16, 2026: ICE acknowledged the request",
            ],
        ),
        (
            "expedite_request",
            ["5 U.S.C. 552(a)(6)(E)", "6 C.F.R. 5.5(e)(1)(ii)", CERTIFICATION, "2026-ICFO-01234"],
        ),
    ],
)
def test_pdf_contains_key_phrases(pdfs: dict[str, bytes], kind: str, phrases: list[str]) -> None:
    text = pdf_text(pdfs[kind])
    for phrase in phrases:
        assert phrase in text, f"{kind}: missing {phrase!r}"


@pytest.mark.parametrize("kind", ["foia_request", "appeal", "ogis_mediation"])
def test_pdf_and_text_never_diverge(pdfs: dict[str, bytes], kind: str) -> None:
    """Every line of the plain text (list markers aside) is in the PDF, word for word.

    Spaces are ignored: the PDF may break a line inside a citation, e.g. "(v)" / "(II)".
    """
    pdf = "".join(body_text(pdfs[kind]).split())
    for line in render_text(kind, sample_context(kind)).splitlines():
        chars = "".join(re.sub(r"^(- |\d+\. )", "", line).split())
        assert chars in pdf, f"{kind}: text line not in PDF: {line!r}"


def test_appeal_banner_is_on_top(pdfs: dict[str, bytes]) -> None:
    first_page = PdfReader(io.BytesIO(pdfs["appeal"])).pages[0].extract_text()
    head = " ".join(first_page.split())[:300]
    assert "Freedom of Information Act Appeal" in head


def test_no_certification_without_expedited_processing() -> None:
    context = sample_context("foia_request")
    context["request"]["expedited_requested"] = False
    text = pdf_text(render_pdf("foia_request", context))
    assert CERTIFICATION not in text
    assert "Expedited processing" not in text


def test_minimal_context_still_makes_a_pdf() -> None:
    data = render_pdf("appeal", {"requester": {"name": "A. Reporter"}})
    assert "Freedom of Information Act Appeal" in pdf_text(data)
