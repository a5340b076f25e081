"""Dates as agencies write them in letters: "December 3, 2026", "Dec. 3, 2026", "3 December 2026",
"12/03/2026", "12/3/26", "2026-12-03". US order for numeric dates. A date without a year is not read."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = (r"(?P<{g}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
# A date starts with a digit or a month's first letter: the lookahead turns the other places away first.
DATE = re.compile(
    r"(?=[\djfmasond])\b(?:"
    + _MONTH.format(g="m1") + r"\s+" + _DAY.format(g="d1") + r",?\s+(?P<y1>(?:19|20)\d\d)"
    + r"|" + _DAY.format(g="d2") + r"\s+(?:of\s+)?" + _MONTH.format(g="m2") + r",?\s+(?P<y2>(?:19|20)\d\d)"
    + r"|(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]?\d)-(?P<d3>[0-3]?\d)"
    + r"|(?P<m4>[01]?\d)[/.-](?P<d4>[0-3]?\d)[/.-](?P<y4>(?:19|20)?\d\d)"
    + r")\b",
    re.IGNORECASE,
)


# Letters a case-blind match takes for a month's ASCII letters ("ſep", "aprıl"): read as those letters.
_LOOKALIKES = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i", "\u212a": "k"})


def _month(text: str) -> int | None:
    return MONTHS.get(text.translate(_LOOKALIKES).lower().rstrip("."))


def _make(year: int, month: int | None, day: int) -> date | None:
    if month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def parse_match(m: re.Match) -> date | None:
    g = m.groupdict()
    if g["m1"]:
        return _make(int(g["y1"]), _month(g["m1"]), int(g["d1"]))
    if g["m2"]:
        return _make(int(g["y2"]), _month(g["m2"]), int(g["d2"]))
    if g["y3"]:
        return _make(int(g["y3"]), int(g["m3"]), int(g["d3"]))
    return _make(_year(g["y4"]), int(g["m4"]), int(g["d4"]))


def find_dates(text: str) -> list[tuple[date, int, int]]:
    """Every readable date in the text, with its start and end offsets, in order."""
    out = []
    for m in DATE.finditer(text):
        day = parse_match(m)
        if day is not None:
            out.append((day, m.start(), m.end()))
    return out


def parse_date(text: str) -> date | None:
    found = find_dates(text or "")
    return found[0][0] if found else None
