"""One rendering of a letter, as HTML, plain text and PDF from the same HTML, with its page count.

The text is derived from the very HTML the PDF is made from, so the portal text and the PDF can
never say different things. WeasyPrint gets the fetcher locked to the kind's folder (see fetcher.py).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.letters.catalog import LetterTemplateError, get_kind
from tracker.letters.plaintext import html_to_text
from tracker.letters.render import render_html


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str
    pdf: bytes
    pages: int


def render_letter(kind: str, context: Mapping[str, Any], *, templates_dir: str | Path) -> Rendered:
    """Render once; LetterTemplateError (with the template's line when known) if the template is broken."""
    from weasyprint import HTML  # slow to import; previews do not need it

    from tracker.letters.fetcher import locked_fetcher

    spec = get_kind(kind, templates_dir)
    html = render_html(kind, context, templates_dir=templates_dir)
    folder = spec.folder.resolve()
    try:
        document = HTML(string=html, base_url=f"{folder.as_uri()}/", url_fetcher=locked_fetcher(folder)).render()
        pdf = document.write_pdf()
    except Exception as exc:  # malformed CSS or HTML from an edited template
        logging.getLogger(__name__).exception("PDF rendering failed for %s", spec.key)
        raise LetterTemplateError(f"{spec.key}: the PDF could not be produced: {exc}") from exc
    return Rendered(html=html, text=html_to_text(html), pdf=pdf, pages=len(document.pages))
