"""Render a letter kind from a plain-dictionary context to HTML, plain text or PDF.

Templates are user-editable, so they run in Jinja's immutable sandbox with autoescaping, see
only the context they are given (plain dicts, lists, strings, numbers, dates; the shape is
documented in ``tracker.letters.samples``), and may load templates only from their own folder
and ``letter_templates/_partials/``. A missing key renders as nothing, never as an error.

The stylesheet is ``_partials/letter.css`` (shared page layout) followed by the kind's
``style.css``; both are inlined in the HTML ``<head>``, so the HTML preview is self-contained
and the PDF uses the same rules. WeasyPrint gets a fetcher locked to the kind's folder.

Any failure of a template (syntax, sandbox violation, runtime error) raises
``LetterTemplateError`` with the template name and line when known.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChainableUndefined,
    ChoiceLoader,
    DictLoader,
    FileSystemLoader,
    PrefixLoader,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from tracker.letters.catalog import (
    LetterKind,
    LetterTemplateError,
    UnknownLetterKind,
    get_kind,
    letter_templates_dir,
    missing_fields,
)
from tracker.letters.filters import FILTERS, TESTS, to_date
from tracker.letters.plaintext import html_to_text

__all__ = [
    "LetterTemplateError",
    "UnknownLetterKind",
    "letter_templates_dir",
    "missing_fields",
    "render_html",
    "render_pdf",
    "render_text",
    "suggested_filename",
]

PARTIALS = "_partials"
TEMPLATE = "template.html"
# Bounds on what a template may build, so a user edit cannot exhaust the worker's memory.
MAX_SEQUENCE = 100_000
MAX_EXPONENT = 64


class LetterSandbox(ImmutableSandboxedEnvironment):
    """The sandbox letters render in: an unsafe attribute is an error, not a silent blank."""

    intercepted_binops = frozenset({"*", "**"})

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} is not allowed")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError("exponent too large in a letter template")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                    if len(seq) * count > MAX_SEQUENCE:
                        raise SecurityError("sequence too long in a letter template")
        return super().call_binop(context, operator, left, right)


def _blank_none(value: Any) -> Any:
    """A None in the context (a blank form field) prints as nothing, like a missing key."""
    return "" if value is None else value


def _loader(folder: Path, partials: Path, template_source: str | None) -> BaseLoader:
    loaders: list[BaseLoader] = []
    if template_source is not None:
        loaders.append(DictLoader({TEMPLATE: template_source}))
    loaders.append(FileSystemLoader(str(folder)))
    loaders.append(PrefixLoader({PARTIALS: FileSystemLoader(str(partials))}))
    return ChoiceLoader(loaders)


def _new_environment(folder: Path, partials: Path, template_source: str | None) -> LetterSandbox:
    env = LetterSandbox(
        loader=_loader(folder, partials, template_source),
        autoescape=True,
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,  # a template edited on disk is picked up on the next render
        finalize=_blank_none,
    )
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    return env


@lru_cache(maxsize=32)
def _cached_environment(folder: Path, partials: Path) -> LetterSandbox:
    return _new_environment(folder, partials, None)


def _partials(spec: LetterKind) -> Path:
    """The kind's own ``_partials/``; a newsroom's folder without one uses the built-in partials."""
    own = spec.folder.parent / PARTIALS
    return own if own.is_dir() else letter_templates_dir() / PARTIALS


def _environment(spec: LetterKind, template_source: str | None) -> LetterSandbox:
    partials = _partials(spec)
    if template_source is not None:
        return _new_environment(spec.folder, partials, template_source)
    return _cached_environment(spec.folder, partials)


def _read_css(spec: LetterKind, style_source: str | None) -> Markup:
    parts = []
    base = _partials(spec) / "letter.css"
    if base.is_file():
        parts.append(base.read_text(encoding="utf-8"))
    if style_source is not None:
        parts.append(style_source)
    elif (spec.folder / "style.css").is_file():
        parts.append((spec.folder / "style.css").read_text(encoding="utf-8"))
    css = "\n".join(parts)
    # The CSS is inlined in <style>; a closing tag inside it would let it inject markup.
    if re.search(r"</\s*style", css, re.IGNORECASE):
        raise LetterTemplateError(f"{spec.key}/style.css may not contain '</style'")
    return Markup(css)


# Citations and tracking numbers that must not break across lines: "5 U.S.C. 552(a)(6)(A)(ii)",
# "6 C.F.R. 5.11(k)", "552(b)(7)(C)", "(b)(7)(C)", "Exemption 7(C)", "2026-ICFO-01234", "1234567-000".
_UNBREAKABLE = re.compile(
    r"\b\d+ (?:U\.S\.C\.|C\.F\.R\.|CFR|ILCS|P\.S\.) (?:Part )?[\w.\-/]*\d[\w.\-/]*(?:\([A-Za-z0-9]{1,5}\))*"
    r"|(?<![\w(])[\w.\-/]*\d[\w.\-/]*(?:\([A-Za-z0-9]{1,5}\))+"
    r"|\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)+\b"
    r"|\b\d+(?:-\d+)+\b"
    r"|(?:\([A-Za-z0-9]{1,5}\)){2,}"
)
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_RAW_TEXT = {"style", "script", "title", "textarea"}


def keep_together(html: str) -> str:
    """Wrap each citation and tracking number in the body's text in <span class="nb"> (white-space: nowrap in
    letter.css). Text only: tags, attributes, the head and raw-text elements are left as they are."""
    start = html.find("<body")
    if start < 0:
        return html
    parts = _TAG_OR_TEXT.split(html[start:])
    raw = None
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name[1].lower() in _RAW_TEXT:
                raw = None if part.startswith("</") else name[1].lower()
            continue
        if raw is None and part and any(c.isdigit() for c in part):
            parts[i] = _UNBREAKABLE.sub(r'<span class="nb">\g<0></span>', part)
    return html[:start] + "".join(parts)


def _describe(exc: Exception) -> str:
    if isinstance(exc, TemplateSyntaxError):
        return f"syntax error in {exc.name or exc.filename or TEMPLATE}, line {exc.lineno}: {exc.message}"
    if isinstance(exc, TemplateNotFound):
        return f"no template named {exc.name!r} in this letter's folder or in {PARTIALS}/"
    if isinstance(exc, SecurityError):
        return f"the template tried something letters may not do: {exc}"
    if isinstance(exc, TemplateError):
        return f"template error: {exc.message or exc}"
    return f"the template failed while rendering: {type(exc).__name__}: {exc}"


def render_html(
    kind: str,
    context: Mapping[str, Any],
    *,
    templates_dir: str | Path | None = None,
    template_source: str | None = None,
    style_source: str | None = None,
) -> str:
    """The letter as a complete HTML document (styles inlined).

    ``template_source`` / ``style_source`` replace the kind's template.html / style.css, for a
    letter template the newsroom edited and stored elsewhere; partials still come from disk.
    """
    if not isinstance(context, Mapping):
        raise TypeError("a letter context must be a mapping (a plain dict)")
    spec = get_kind(kind, templates_dir)
    letter = {"kind": spec.key, "title": spec.title, "css": _read_css(spec, style_source)}
    try:
        template = _environment(spec, template_source).get_template(TEMPLATE)
        return keep_together(template.render({**context, "letter": letter}))
    except Exception as exc:  # a user-edited template can fail in any way; report, never crash
        raise LetterTemplateError(f"{spec.key}: {_describe(exc)}") from exc


def render_text(
    kind: str,
    context: Mapping[str, Any],
    *,
    templates_dir: str | Path | None = None,
    template_source: str | None = None,
) -> str:
    """The letter as plain text: one paragraph per line, blank lines between, "- " lists."""
    html = render_html(kind, context, templates_dir=templates_dir, template_source=template_source)
    return html_to_text(html)


def render_pdf(
    kind: str,
    context: Mapping[str, Any],
    *,
    templates_dir: str | Path | None = None,
    template_source: str | None = None,
    style_source: str | None = None,
) -> bytes:
    """The letter as PDF bytes (US Letter; layout in _partials/letter.css and the kind's style.css)."""
    # Imported here: loading WeasyPrint is slow, and previews and plain text need no PDF.
    from weasyprint import HTML

    from tracker.letters.fetcher import locked_fetcher

    spec = get_kind(kind, templates_dir)
    html = render_html(
        kind, context, templates_dir=templates_dir, template_source=template_source, style_source=style_source
    )
    folder = spec.folder.resolve()
    try:
        document = HTML(string=html, base_url=f"{folder.as_uri()}/", url_fetcher=locked_fetcher(folder))
        return document.write_pdf()
    except Exception as exc:  # malformed CSS or HTML from an edited template
        logging.getLogger(__name__).exception("PDF rendering failed for %s", spec.key)
        raise LetterTemplateError(f"{spec.key}: the PDF could not be produced: {exc}") from exc


def suggested_filename(kind: str, context: Mapping[str, Any], extension: str = "pdf") -> str:
    """A safe download name, e.g. "2026-11-20-appeal-2026-ICFO-01234.pdf"."""
    day = to_date(context.get("today"))
    request = context.get("request") if isinstance(context.get("request"), Mapping) else {}
    numbers = [n.get("number") for n in request.get("tracking_numbers") or [] if isinstance(n, Mapping)]
    parts = [day.isoformat() if day else "", kind, str(numbers[0]) if numbers and numbers[0] else ""]
    stem = "-".join(p for p in parts if p)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "letter"
    return f"{stem}.{extension}"
