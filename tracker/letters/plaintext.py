"""Rendered letter HTML -> plain text for pasting into a web portal or an email.

The text is derived from the same HTML as the PDF, so the two never say different things.
Rules:

- one paragraph per line, paragraphs separated by a blank line (portal boxes wrap themselves);
- ``<br>`` keeps a line break (addresses, signature);
- ``<ul>`` items become "- item", ``<ol>`` items "1. item", one per line, nested lists indented;
- headings are plain paragraphs; inline markup is dropped; entities are decoded;
- ``<head>``, ``<style>``, ``<script>`` and any element with ``data-text="omit"`` (the
  letterhead and the postal address block, which a portal does not need) are left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = {"head", "style", "script", "title", "template", "noscript"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
# HTML collapses these; a non-breaking space is kept as a plain space afterwards.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_BREAK = "\x00"


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []  # (list number, 0 outside lists; text)
        self._buffer: list[str] = []
        self._skip_depth = 0
        self._lists: list[list] = []  # [tag, counter]
        self._prefix = ""
        self._list_number = 0  # counts top-level lists, so two adjacent lists stay apart

    # -- parser callbacks -------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_depth:
            self._skip_depth += tag not in _VOID
            return
        if tag in _SKIPPED or ("data-text", "omit") in attrs:
            self._skip_depth = int(tag not in _VOID)
            return
        if tag == "br":
            self._buffer.append(_BREAK)
        elif tag in _BLOCKS:
            self._flush()
        if tag in ("ul", "ol"):
            self._list_number += not self._lists
            self._lists.append([tag, 0])
        elif tag == "li":
            self._start_item()
        elif tag in ("td", "th"):
            self._buffer.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            self._skip_depth -= tag not in _VOID
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._buffer.append(data)

    # -- building ---------------------------------------------------------------------
    def _start_item(self) -> None:
        if not self._lists:
            self._prefix = "- "
            return
        entry = self._lists[-1]
        entry[1] += 1
        marker = f"{entry[1]}. " if entry[0] == "ol" else "- "
        self._prefix = "  " * (len(self._lists) - 1) + marker

    def _flush(self) -> None:
        raw = "".join(self._buffer)
        self._buffer.clear()
        lines = [_HTML_SPACE.sub(" ", part).replace("\xa0", " ").strip() for part in raw.split(_BREAK)]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if not lines:
            return
        prefix, self._prefix = self._prefix, ""
        indent = " " * len(prefix)
        text = "\n".join([prefix + lines[0], *(indent + line for line in lines[1:])])
        self.blocks.append((self._list_number if prefix else 0, text))

    def text(self) -> str:
        self._flush()
        out: list[str] = []
        previous = 0
        for list_number, block in self.blocks:
            if out:
                out.append("\n" if list_number and list_number == previous else "\n\n")
            out.append(block)
            previous = list_number
        return "".join(out) + "\n" if out else ""


def html_to_text(html: str) -> str:
    """Plain text of a rendered letter (see the module docstring for the rules)."""
    builder = _TextBuilder()
    builder.feed(html)
    builder.close()
    return builder.text()
