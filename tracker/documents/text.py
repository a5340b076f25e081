"""Text out of a document's bytes, page by page, without OCR: the PDF text layer, plain text, HTML.

A page whose list entry is empty has no text layer (a scan); OCR is a separate, slower step.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser

PDF = "application/pdf"
_SKIPPED_TAGS = {"script", "style", "head", "title", "template", "noscript"}
_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "hr"}


class UnreadableDocument(Exception):
    """The bytes could not be read as the type they claim (broken, encrypted, truncated)."""


def extract_text(data: bytes, content_type: str) -> list[str]:
    """The text of each page: a PDF's pages, or one page for plain text and HTML; [] for other types."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == PDF:
        return pdf_pages(data)
    if kind == "text/html":
        return [html_to_text(decode(data))]
    if kind.startswith("text/"):
        return [decode(data)]
    return []


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableDocument("the PDF is encrypted")
        return [(page.extract_text() or "").strip() for page in reader.pages]
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise UnreadableDocument(f"the PDF could not be read ({type(exc).__name__})") from exc


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self._skipping:
            self._skipping -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML document: scripts and styles dropped, blocks on their own lines."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
