"""Every character of a letter has a glyph in the font WeasyPrint used for it: a Chinese, Japanese or Korean name
prints, never as blank space (the letters' font stack ends with Noto Serif CJK, Debian fonts-noto-cjk)."""

from __future__ import annotations

import io
import re
import subprocess
from functools import cache

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from tracker.letters.plaintext import html_to_text
from tracker.letters.render import render_html, render_pdf
from tracker.letters.samples import sample_context

NAMES = "王小明 (Wang Xiaoming), 山田太郎, 김민준, Nguyễn Văn An, Łódź, Ørsted, Ελένη, Дмитрий"


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_]", "", text).lower().replace("regular", "")


@cache
def system_fonts() -> dict[str, tuple[str, int]]:
    """Normalised "family style" -> (file, index in a collection), for every font fontconfig knows."""
    out = subprocess.run(["fc-list", "-f", "%{family[0]}|%{style[0]}|%{file}|%{index}\n"], capture_output=True,
                         text=True, check=True).stdout
    fonts = {}
    for line in out.splitlines():
        family, style, path, index = line.split("|")
        fonts.setdefault(_norm(family + style), (path, int(index or 0)))
    return fonts


@cache
def cmap_of(path: str, index: int) -> frozenset[int]:
    return frozenset(TTFont(path, fontNumber=index, lazy=True).getBestCmap())


def _to_unicode(data: bytes) -> set[str]:
    """The characters a ToUnicode CMap maps glyphs to (bfchar and bfrange entries)."""
    text = data.decode("latin-1")
    chars: set[str] = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for _src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            chars.update(bytes.fromhex(dst).decode("utf-16-be"))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first = int(dst, 16)
            chars.update(chr(first + i) for i in range(int(hi, 16) - int(lo, 16) + 1))
    return chars


def glyph_problems(pdf: bytes, text: str) -> list[str]:
    """What does not print: a character in no embedded font, or one mapped in a font that has no glyph for it."""
    problems, covered = [], set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            found = system_fonts().get(_norm(name))
            if found is None:
                problems.append(f"font {name} is not an installed font")
                continue
            chars = _to_unicode(font["/ToUnicode"].get_object().get_data())
            covered |= chars
            problems += [f"{c!r} (U+{ord(c):04X}) has no glyph in {name}" for c in sorted(chars)
                         if not c.isspace() and ord(c) not in cmap_of(*found)]
    problems += [f"{c!r} (U+{ord(c):04X}) is not in the PDF" for c in sorted(set(text) - covered)
                 if not c.isspace()]
    return problems


def _letter(kind: str) -> dict:
    context = sample_context(kind)
    context["requester"]["name"] = "王小明 (Wang Xiaoming)"
    context["request"]["title"] = "Records on 山田太郎 and 김민준"
    context["custom_text"] = f"Names as they appear in the records: {NAMES}."
    return context


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["foia_request", "appeal"])
def test_every_character_of_a_letter_has_a_glyph(kind):
    context = _letter(kind)
    pdf = render_pdf(kind, context)
    text = html_to_text(render_html(kind, context))
    assert "山田太郎" in text and "김민준" in text
    assert glyph_problems(pdf, text) == []


@pytest.mark.slow
def test_the_check_finds_a_character_no_font_has():
    context = sample_context("status_inquiry")
    context["custom_text"] = "Phoenician: 𐤀𐤁𐤂."  # no installed font has these glyphs
    pdf = render_pdf("status_inquiry", context)
    problems = glyph_problems(pdf, html_to_text(render_html("status_inquiry", context)))
    assert any("U+10900" in p for p in problems), problems
