"""Reading one spreadsheet cell as a typed value, the way people actually write them, or saying what is wrong.

Dates: 2026-11-20 always; 11/20/2026 (or 11/20/26) in US order, or 20/11/2026 when the mapping says day first.
Money: 1234.50, $1,234.50. Yes/no: yes, no, y, n, true, false, 1, 0, x. Codes or their labels for choices.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from tracker.core.csv import unguard
from tracker.imports.columns import Column
from tracker.requests.exemptions import EXEMPTIONS

MAX_MONEY = Decimal("10000000")
MAX_COUNT = 10_000_000
TRUE = {"yes", "y", "true", "t", "1", "x", "✓", "✔"}
FALSE = {"no", "n", "false", "f", "0", ""}
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
TOLLED = re.compile(r"^(clarification|fees?)\s+(\S+)\s*(?:(?:to|–|-|until)\s*(\S+)?)?$", re.IGNORECASE)


class BadValue(ValueError):
    pass


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().casefold())


def parse_date(text: str, day_first: bool = False) -> date:
    text = text.strip()
    if m := ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := SLASHED.match(text):
        first, second, year = (int(g) for g in m.groups())
        month, day = (second, first) if day_first else (first, second)
        if len(m.group(3)) == 2:
            year += 2000
    else:
        order = "DD/MM/YYYY" if day_first else "MM/DD/YYYY"
        raise BadValue(f"Not a date: write it YYYY-MM-DD or {order}.")
    try:
        return date(year, month, day)
    except ValueError:
        pass
    try:
        date(year, day, month)
        hint = " (is the day/month order right? Choose it on the mapping page)"
    except ValueError:
        hint = ""
    raise BadValue(f"There is no such date{hint}.")


def parse_bool(text: str) -> bool:
    key = text.strip().casefold()
    if key in TRUE:
        return True
    if key in FALSE:
        return False
    raise BadValue("Write yes or no.")


def parse_money(text: str) -> Decimal:
    cleaned = text.strip().replace("$", "").replace(",", "").replace("USD", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise BadValue("Not an amount: write it like 25 or 1,234.50.") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise BadValue("The amount must be between 0 and 10,000,000.")
    if amount != amount.quantize(Decimal("0.01")):
        raise BadValue("Use at most two decimal places (cents).")
    return amount.quantize(Decimal("0.01"))


def parse_count(text: str) -> int:
    cleaned = text.strip().replace(",", "")
    if not re.fullmatch(r"\d{1,9}", cleaned):
        raise BadValue("Write a whole number of 0 or more.")
    value = int(cleaned)
    if value > MAX_COUNT:
        raise BadValue(f"At most {MAX_COUNT:,}.")
    return value


def parse_choice(text: str, choices: dict[str, str]) -> str:
    key = _key(text)
    for code, label in choices.items():
        if key in (_key(code), _key(label)):
            return code
    shown = ", ".join(c for c in choices if c)
    raise BadValue(f"Not one of: {shown}.")


def parse_exemptions(text: str) -> list[str]:
    codes = []
    for part in re.split(r"[;,]|\s+(?=\(?b)", text):
        token = re.sub(r"[\s()]", "", part)
        if not token:
            continue
        token = token[0].lower() + token[1:]
        if not token.startswith("b"):
            token = "b" + token
        token = token[:-1] + token[-1].upper() if token[-1].isalpha() and len(token) > 2 else token
        if token not in EXEMPTIONS:
            raise BadValue(f"Unknown exemption “{part.strip()}”: write codes like b6, b7C or (b)(7)(C).")
        codes.append(token)
    return list(dict.fromkeys(codes))


def parse_tolled(text: str, day_first: bool = False) -> list[tuple[str, date, date | None]]:
    spans = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        m = TOLLED.match(part)
        if not m:
            raise BadValue(f"Write each pause as “clarification 2026-11-02 to 2026-11-09” (or “fees … to” while "
                           f"still paused), separated by “;”. Could not read “{part[:60]}”.")
        reason = "clarification" if m.group(1).lower().startswith("clar") else "fees"
        paused = parse_date(m.group(2), day_first)
        resumed = parse_date(m.group(3), day_first) if m.group(3) else None
        if resumed is not None and resumed < paused:
            raise BadValue(f"A pause ends before it begins: “{part[:60]}”.")
        spans.append((reason, paused, resumed))
    spans.sort(key=lambda s: s[1])
    for (_, _, end), (_, start, _) in zip(spans, spans[1:], strict=False):
        if end is None or start < end:
            raise BadValue("Two pauses overlap; only one can be open at a time.")
    return spans


def parse_cell(column: Column, raw: str, *, day_first: bool = False):
    """The typed value of a non-empty cell, or BadValue. Text keeps its words but loses outer spaces."""
    text = unguard(raw).strip()
    kind = column.kind
    if kind == "text":
        if "\x00" in text:
            raise BadValue("The text contains a NUL character.")
        if column.max_length and len(text) > column.max_length:
            raise BadValue(f"Too long: at most {column.max_length} characters (this has {len(text)}).")
        return text
    if kind == "date":
        return parse_date(text, day_first)
    if kind == "bool":
        return parse_bool(text)
    if kind == "money":
        return parse_money(text)
    if kind == "count":
        return parse_count(text)
    if kind == "enum":
        return parse_choice(text, column.choices or {})
    if kind == "exemptions":
        return parse_exemptions(text)
    if kind == "tolled":
        return parse_tolled(text, day_first)
    if kind == "matters":
        return [t.strip() for t in text.split(";") if t.strip()]
    if kind == "agency":
        return text
    raise AssertionError(kind)
