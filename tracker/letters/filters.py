"""Formatting helpers for letters: the Jinja filters, also usable from Python.

Every filter accepts missing values (None, "", Jinja's Undefined) and returns an empty
string for them, so a letter with an optional field left blank renders without it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from jinja2 import Undefined
from markupsafe import Markup, escape

from tracker.core.clock import local_date

# A list line in free text typed by a reporter: "- item", "* item", "1. item" or "1) item".
_BULLET = re.compile(r"^\s*[-*\u2022]\s+(?P<text>.+)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(?P<text>.+)$")
# Exemption codes as people type them: "b6", "b7C", "(b)(7)(C)", "7c", "Exemption 7(C)".
_EXEMPTION = re.compile(r"^(?:exemption)?b?(?P<num>[1-9])(?P<sub>[a-f])?$", re.IGNORECASE)


def is_blank(value: Any) -> bool:
    """True for None, Undefined, blank strings and empty collections (but not 0 or False)."""
    if value is None or isinstance(value, Undefined):
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (Mapping, list, tuple, set)):
        return len(value) == 0
    return False


def to_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or an ISO string; None when absent or unreadable."""
    if isinstance(value, dt.datetime):  # an instant: the newsroom's date of it, not UTC's
        return local_date(value) if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def longdate(value: Any) -> str:
    """November 20, 2026. Text that is not a date is returned as typed."""
    day = to_date(value)
    if day is not None:
        return f"{day:%B} {day.day}, {day.year}"
    return "" if is_blank(value) else str(value)


def money(value: Any) -> str:
    """$1,250.00 from a number or a numeric string; other text as typed."""
    if is_blank(value) or isinstance(value, bool):
        return ""
    try:
        amount = Decimal(str(value).replace("$", "").replace(",", "").strip())
    except InvalidOperation:
        return str(value)
    return f"${amount:,.2f}"


def exemption_key(code: Any) -> str:
    """Canonical key of an exemption code: "(b)(7)(C)" -> "b7C"; other words lower-cased."""
    if is_blank(code):
        return ""
    text = re.sub(r"[\s()]", "", str(code))
    match = _EXEMPTION.match(text)
    if not match:
        return text.lower()
    return f"b{match['num']}{(match['sub'] or '').upper()}"


def exemption_label(code: Any) -> str:
    """Citation form of an exemption: "b7C" -> "(b)(7)(C)"."""
    key = exemption_key(code)
    match = _EXEMPTION.match(key)
    if not match:
        return str(code or "")
    sub = f"({match['sub'].upper()})" if match["sub"] else ""
    return f"(b)({match['num']}){sub}"


def exemption_name(code: Any) -> str:
    """Name of an exemption in prose: "b7C" -> "Exemption 7(C)"."""
    key = exemption_key(code)
    match = _EXEMPTION.match(key)
    if not match:
        return str(code or "")
    sub = f"({match['sub'].upper()})" if match["sub"] else ""
    return f"Exemption {match['num']}{sub}"


def join_and(items: Any) -> str:
    """'a', 'a and b', 'a, b, and c' (serial comma, as in legal writing)."""
    words = [str(i) for i in (items or []) if not is_blank(i)]
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + ", and " + words[-1]


def exemption_names(codes: Any) -> str:
    """'Exemption 6', 'Exemptions 6 and 7(C)', 'Exemptions 6, 7(C), and 7(A)'."""
    names = [exemption_name(c).removeprefix("Exemption ") for c in (codes or []) if not is_blank(c)]
    if not names:
        return ""
    return ("Exemption " if len(names) == 1 else "Exemptions ") + join_and(names)


def exemption_cites(codes: Any) -> str:
    """'5 U.S.C. 552(b)(6)', '5 U.S.C. 552(b)(6), (b)(7)(C), and (b)(7)(A)'."""
    labels = [exemption_label(c) for c in (codes or []) if not is_blank(c)]
    return f"5 U.S.C. 552{join_and(labels)}" if labels else ""


def cite(value: Any) -> str:
    """A citation from data in the letters' style: "6 CFR 5.8(a)(1)" -> "6 C.F.R. 5.8(a)(1)"."""
    if is_blank(value):
        return ""
    return re.sub(r"\bCFR\b", "C.F.R.", str(value))


def plural(count: Any, singular: str, plural_form: str | None = None) -> str:
    """'1 working day', '27 working days'."""
    if is_blank(count):
        return ""
    try:
        number = int(count)
    except (TypeError, ValueError):
        return ""
    word = singular if number == 1 else (plural_form or singular + "s")
    return f"{number} {word}"


def as_int(value: Any, default: int = 0) -> int:
    """An int from a number or numeric string; the default otherwise."""
    if is_blank(value):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def tracking_list(numbers: Any) -> str:
    """'2026-ICFO-01234' or '2026-ICFO-01234 (request), 2027-ICAP-00012 (appeal)'."""
    items = [n for n in (numbers or []) if isinstance(n, Mapping) and not is_blank(n.get("number"))]
    if all(is_blank(n.get("kind")) or n.get("kind") == "request" for n in items):
        return ", ".join(str(n["number"]) for n in items)
    return ", ".join(f"{n['number']} ({n['kind']})" if not is_blank(n.get("kind")) else str(n["number"]) for n in items)


def the(value: Any) -> str:
    """An agency's name as a sentence names it: "the Federal Bureau of Investigation"; kept if it has "the"."""
    text = "" if is_blank(value) else str(value).strip()
    return text if not text or text.lower().startswith("the ") else f"the {text}"


# Words that open a generic description and read lower-case inside a sentence ("for records concerning ...").
_GENERIC_OPENERS = {"Records", "Documents", "Files", "Reports", "Communications", "Correspondence", "Emails",
                    "Any", "All", "Copies"}


def in_sentence(value: Any) -> str:
    """A subject inside a sentence: "Records concerning X" -> "records concerning X"; other text as typed."""
    text = "" if is_blank(value) else str(value).strip()
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first in _GENERIC_OPENERS else text


def nl2br(value: Any) -> Markup:
    """Escape text and keep its line breaks (addresses)."""
    if is_blank(value):
        return Markup("")
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    return Markup("<br>\n").join(escape(line) for line in lines)


def _list_html(tag: str, items: list[str]) -> str:
    body = "".join(f"<li>{escape(item)}</li>" for item in items)
    return f"<{tag}>{body}</{tag}>"


def paras(value: Any) -> Markup:
    """Reporter-typed text as HTML: blank lines split paragraphs, "- " and "1. " lines become lists.

    Everything is escaped: a description containing HTML shows the HTML as text.
    """
    if is_blank(value):
        return Markup("")
    out: list[str] = []
    for block in re.split(r"\n\s*\n", str(value).replace("\r\n", "\n").strip()):
        out.extend(_block_html(block.splitlines()))
    return Markup("\n".join(out))


def _block_html(lines: Iterable[str]) -> list[str]:
    """One blank-line-separated block: runs of plain lines are a paragraph, runs of list lines a list."""
    html: list[str] = []
    text: list[str] = []
    items: list[str] = []
    kind = ""

    def flush_text() -> None:
        if text:
            html.append("<p>" + "<br>".join(str(escape(t)) for t in text) + "</p>")
            text.clear()

    def flush_list() -> None:
        if items:
            html.append(_list_html(kind, items))
            items.clear()

    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        match = bullet or numbered
        if match:
            flush_text()
            tag = "ul" if bullet else "ol"
            if items and tag != kind:
                flush_list()
            kind = tag
            items.append(match["text"])
        else:
            flush_list()
            text.append(line)
    flush_text()
    flush_list()
    return html


FILTERS: dict[str, Callable[..., Any]] = {
    "longdate": longdate,
    "money": money,
    "cite": cite,
    "exemption_key": exemption_key,
    "exemption_label": exemption_label,
    "exemption_name": exemption_name,
    "exemption_names": exemption_names,
    "exemption_cites": exemption_cites,
    "join_and": join_and,
    "plural": plural,
    "as_int": as_int,
    "tracking_list": tracking_list,
    "as_date": to_date,
    "nl2br": nl2br,
    "the": the,
    "in_sentence": in_sentence,
    "paras": paras,
}

TESTS: dict[str, Callable[..., bool]] = {"blank": is_blank}
