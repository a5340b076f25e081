"""Build the letter context's ``jurisdiction`` dict from a deadline-engine jurisdiction.

The deadline engine (``tracker.deadlines.jurisdictions()``) describes each law for computing
dates; a letter needs the same facts as words: the law's full name with its state, the
citation of the response-period provision and the period itself ("3 working days"), or None
for a law that only says "promptly". Duck-typed, so it takes any object with the same fields.
"""

from __future__ import annotations

from typing import Any

STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip


def state_name(code: str) -> str:
    """'US-CO' -> 'Colorado'; '' for a code that is not a state's."""
    prefix, _, state = (code or "").partition("-")
    return STATE_NAMES.get(state.upper(), "") if prefix.upper() == "US" else ""


def _period_text(period: Any) -> str | None:
    """'3 working days', '5 business days', '10 calendar days'; None for "promptly"."""
    count = getattr(period, "count", None)
    if period is None or count is None:
        return None
    unit = getattr(period, "unit", "") or ""
    words = (getattr(period, "text", "") or "").lower()
    if unit == "working":
        # Keep the law's own word: Colorado and Virginia say "working days", most others "business days".
        noun = "working day" if "working day" in words else "business day"
    elif unit == "calendar":
        noun = "calendar day"
    else:
        noun = "day"
    return f"{count} {noun}{'' if count == 1 else 's'}"


def law_name(law: str, state: str) -> str:
    """The law as a letter names it: the state's name in front when the law's own name lacks it."""
    law = (law or "").strip()
    if not state or state.lower() in law.lower():
        return law
    return f"{state} {law}" if law else f"{state} public records law"


def jurisdiction_context(jurisdiction: Any) -> dict[str, Any]:
    """The ``jurisdiction`` dict of a letter context (see ``tracker.letters.samples``)."""
    code = getattr(jurisdiction, "code", "") or ""
    state = state_name(code)
    response = getattr(jurisdiction, "response", None)
    return {
        "code": code,
        "name": state or getattr(jurisdiction, "name", ""),
        "law": law_name(getattr(jurisdiction, "law", "") or getattr(jurisdiction, "name", ""), state),
        "citation": getattr(response, "citation", None) or getattr(jurisdiction, "citation", ""),
        "response_period_text": _period_text(response),
    }
