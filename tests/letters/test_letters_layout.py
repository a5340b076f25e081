"""The page as a lawyer signs it: the newsroom first, a running header on continuation pages, citations and
tracking numbers that never break across lines, room for a handwritten signature kept with the closing."""

from __future__ import annotations

import re
import subprocess

import pytest

from tracker.letters.render import keep_together, render_pdf
from tracker.letters.samples import SAMPLE_KINDS, sample_context


def raw_text(pdf: bytes, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")


def words(pdf: bytes) -> list[tuple[str, int, float]]:
    """(word, page, top in points) for every word, from pdftotext -bbox."""
    html = raw_text(pdf, "-bbox")
    out = []
    for page, body in enumerate(html.split("<page ")[1:], start=1):
        for y, word in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', body):
            out.append((word, page, float(y)))
    return out


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {kind: render_pdf(kind, sample_context(kind)) for kind in SAMPLE_KINDS}


def test_citations_and_tracking_numbers_are_kept_whole_in_the_html():
    html = keep_together("<head><title>2026-ICFO-01234</title></head><body><p>Under 5 U.S.C. 552(b)(7)(C) and "
                         "(b)(6), 6 C.F.R. 5.11(k)(2)(i), number 2026-ICFO-01234, C.R.S. 24-72-203(3)(b), "
                         'on <a href="x-1(2)">November 20, 2026</a>.</p></body>')
    for whole in ("5 U.S.C. 552(b)(7)(C)", "(b)(6)", "6 C.F.R. 5.11(k)(2)(i)", "2026-ICFO-01234", "24-72-203(3)(b)"):
        assert f'<span class="nb">{whole}</span>' in html, whole
    assert "<title>2026-ICFO-01234</title>" in html and 'href="x-1(2)"' in html  # tags and the head untouched
    assert "November 20, 2026" in html


@pytest.mark.slow
def test_no_citation_or_tracking_number_breaks_across_lines(pdfs):
    for kind, pdf in pdfs.items():
        lines = [line.strip() for line in raw_text(pdf).splitlines() if line.strip()]
        for this, following in zip(lines, lines[1:], strict=False):
            assert not (this.endswith(")") and following.startswith("(")), f"{kind}: {this!r} / {following!r}"
            assert not re.search(r"(\d|\b[A-Z]{2,})-$", this), f"{kind}: {this!r} / {following!r}"
            assert not re.search(r"\b(U\.S\.C\.|C\.F\.R\.)$", this), f"{kind}: {this!r} / {following!r}"


@pytest.mark.slow
def test_the_newsroom_leads_and_continuation_pages_carry_a_running_header(pdfs):
    pdf = pdfs["appeal"]
    first, second = raw_text(pdf, "-f", "1", "-l", "1"), raw_text(pdf, "-f", "2", "-l", "2")
    assert first.lstrip().startswith("The Mountain Dispatch")
    assert "2026-ICFO-01234, Records concerning the Denver 'death card' allegations" not in first
    top = " ".join(second.split())[:200]
    assert "The Mountain Dispatch · 2026-ICFO-01234, Records concerning the Denver 'death card' allegations" in top
    assert "Page 2 of 2" in top  # in the header of a continuation page


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["appeal", "foia_request", "status_inquiry"])
def test_the_closing_has_room_to_sign_and_stays_with_the_last_paragraph(pdfs, kind):
    placed = words(pdfs[kind])
    closing = next((page, y) for word, page, y in placed if word == "Sincerely,")
    name = next((page, y) for word, page, y in placed if word == "Ortega" and (page, y) > closing)
    assert name[0] == closing[0] and name[1] - closing[1] >= 0.6 * 72  # at least 0.6 in from closing to name
    thanks = [(page, y) for word, page, y in placed if word == "Thank"]
    assert thanks and thanks[-1][0] == closing[0]  # the last paragraph is on the signature's page
