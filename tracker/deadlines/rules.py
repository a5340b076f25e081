"""Statutory rules per jurisdiction, as data: the dataclasses and the loader of jurisdictions.toml.

Values live in the TOML file, never in code, so that a newsroom can correct a period or a citation
(see `configure(rules_path=...)`) and so that every value carries its citation and "check" flag.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from tracker.deadlines.errors import RulesFileError

Unit = Literal["working", "calendar"]
UNITS: tuple[str, ...] = ("working", "calendar")

DEFAULT_RULES_PATH = Path(__file__).with_name("jurisdictions.toml")

# The periods a jurisdiction row may define, in the order the file documents them.
PERIOD_FIELDS: tuple[str, ...] = (
    "response",
    "extension",
    "appeal",
    "appeal_decision",
    "appeal_decision_extension",
    "expedited",
    "tracking_number",
)


@dataclass(frozen=True, slots=True)
class Period:
    """One statutory period. `count` is None where the law sets no computable period."""

    count: int | None
    unit: Unit | None
    text: str = ""  # the law's own words, short: "promptly", "by agreement", "unusual circumstances"
    citation: str = ""
    check: bool = False  # the reference could not confirm this value from a primary text
    note: str = ""

    @property
    def computable(self) -> bool:
        return self.count is not None

    def describe(self) -> str:
        """'20 working days', '30 calendar days', or the law's words for a period with no count."""
        if self.count is None:
            return self.text or "no fixed period"
        noun = "day" if self.count == 1 else "days"
        return f"{self.count} {self.unit} {noun}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "unit": self.unit,
            "text": self.text,
            "citation": self.citation,
            "check": self.check,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """Which `holidays` calendar defines the non-working days, and how to name its source."""

    country: str = "US"
    subdiv: str | None = None
    categories: tuple[str, ...] = ("public",)
    authority: str = ""  # shown after each holiday's name in explanations
    exclude: tuple[str, ...] = ()  # holiday names the package lists that are not office closures
    closures: tuple[date, ...] = ()  # extra closed days kept in the data file
    saturday_rule: str = ""  # the law that moves a Saturday holiday to Friday, e.g. 5 U.S.C. 6103(b)(1)
    sunday_rule: str = ""  # the law that moves a Sunday holiday to Monday, e.g. Executive Order 11582
    check: bool = False
    note: str = ""

    @property
    def federal(self) -> bool:
        """Federal calendars (no subdivision) also take the executive-order closures of configure()."""
        return self.subdiv is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "subdiv": self.subdiv,
            "categories": list(self.categories),
            "authority": self.authority,
            "exclude": list(self.exclude),
            "closures": [d.isoformat() for d in self.closures],
            "saturday_rule": self.saturday_rule,
            "sunday_rule": self.sunday_rule,
            "check": self.check,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """One row of jurisdictions.toml."""

    code: str
    name: str
    law: str
    citation: str
    response: Period
    holiday_calendar: HolidayCalendar
    extension: Period | None = None
    appeal: Period | None = None
    appeal_body: str = ""
    appeal_decision: Period | None = None
    appeal_decision_extension: Period | None = None
    expedited: Period | None = None
    tracking_number: Period | None = None
    notes: tuple[str, ...] = field(default=())

    def periods(self) -> dict[str, Period | None]:
        return {name: getattr(self, name) for name in PERIOD_FIELDS}

    @property
    def check(self) -> bool:
        """True if any value of this row is marked "check" in the reference."""
        return self.holiday_calendar.check or any(p is not None and p.check for p in self.periods().values())

    def check_notes(self) -> list[str]:
        """One line per checked value, for the UI to show beside the date."""
        out = [
            f"{name.replace('_', ' ')}: {p.note or 'could not be confirmed from a primary text'}"
            for name, p in self.periods().items()
            if p is not None and p.check
        ]
        if self.holiday_calendar.check:
            out.append(f"holiday calendar: {self.holiday_calendar.note or 'check against state law'}")
        return out

    def to_dict(self) -> dict[str, Any]:
        periods = {name: (p.to_dict() if p is not None else None) for name, p in self.periods().items()}
        return {
            "code": self.code,
            "name": self.name,
            "law": self.law,
            "citation": self.citation,
            "appeal_body": self.appeal_body,
            **periods,
            "holiday_calendar": self.holiday_calendar.to_dict(),
            "notes": list(self.notes),
            "check": self.check,
        }


def load_rules(path: str | Path | None = None) -> dict[str, Jurisdiction]:
    """Read and validate a rules file; keys keep the file's order (the select box shows it)."""
    source = Path(path) if path is not None else DEFAULT_RULES_PATH
    try:
        with source.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise RulesFileError(f"Cannot read rules file {source}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(f"Rules file {source} is not valid TOML: {exc}") from exc
    rows = data.get("jurisdiction")
    if not isinstance(rows, list) or not rows:
        raise RulesFileError(f"Rules file {source} has no [[jurisdiction]] rows")
    out: dict[str, Jurisdiction] = {}
    for i, row in enumerate(rows, start=1):
        j = _parse_jurisdiction(row, where=f"{source}, row {i}")
        if j.code in out:
            raise RulesFileError(f"{source}: jurisdiction {j.code!r} appears twice")
        out[j.code] = j
    return out


_ROW_KEYS = {
    "code",
    "name",
    "law",
    "citation",
    "appeal_body",
    "notes",
    "holiday_calendar",
    *PERIOD_FIELDS,
}
_PERIOD_KEYS = {"count", "unit", "text", "citation", "check", "note"}
_CALENDAR_KEYS = {
    "country",
    "subdiv",
    "categories",
    "authority",
    "exclude",
    "closures",
    "saturday_rule",
    "sunday_rule",
    "check",
    "note",
}


def _parse_jurisdiction(row: Any, where: str) -> Jurisdiction:
    row = _table(row, where, _ROW_KEYS)
    code = _text(row, "code", where, required=True)
    where = f"{where} ({code})"
    if "response" not in row:
        raise RulesFileError(f'{where}: missing [response] (use text = "promptly" and no count)')
    if "holiday_calendar" not in row:
        raise RulesFileError(f"{where}: missing holiday_calendar")
    periods = {name: _parse_period(row[name], f"{where} {name}") for name in PERIOD_FIELDS if name in row}
    notes = row.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise RulesFileError(f"{where}: notes must be a list of strings")
    return Jurisdiction(
        code=code,
        name=_text(row, "name", where, required=True),
        law=_text(row, "law", where, required=True),
        citation=_text(row, "citation", where, required=True),
        appeal_body=_text(row, "appeal_body", where),
        holiday_calendar=_parse_calendar(row["holiday_calendar"], f"{where} holiday_calendar"),
        notes=tuple(notes),
        **periods,
    )


def _parse_period(raw: Any, where: str) -> Period:
    raw = _table(raw, where, _PERIOD_KEYS)
    count = raw.get("count")
    unit = raw.get("unit")
    if (count is None) != (unit is None):
        raise RulesFileError(f"{where}: give both count and unit, or neither (for 'promptly' and the like)")
    if count is not None:
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise RulesFileError(f"{where}: count must be a positive whole number, got {count!r}")
        if unit not in UNITS:
            raise RulesFileError(f"{where}: unit must be one of {', '.join(UNITS)}, got {unit!r}")
    elif not raw.get("text"):
        raise RulesFileError(f'{where}: a period without a count needs text (e.g. "promptly")')
    check = raw.get("check", False)
    if not isinstance(check, bool):
        raise RulesFileError(f"{where}: check must be true or false")
    return Period(
        count=count,
        unit=unit,
        text=_text(raw, "text", where),
        citation=_text(raw, "citation", where),
        check=check,
        note=_text(raw, "note", where),
    )


def _parse_calendar(raw: Any, where: str) -> HolidayCalendar:
    raw = _table(raw, where, _CALENDAR_KEYS)
    categories = raw.get("categories", ["public"])
    exclude = raw.get("exclude", [])
    closures = raw.get("closures", [])
    for name, value in (("categories", categories), ("exclude", exclude)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RulesFileError(f"{where}: {name} must be a list of strings")
    # TOML has a native local-date type: closures = [2025-12-24]
    if not isinstance(closures, list) or not all(type(d) is date for d in closures):
        raise RulesFileError(f"{where}: closures must be a list of dates (closures = [2025-12-24])")
    subdiv = raw.get("subdiv")
    if subdiv is not None and not isinstance(subdiv, str):
        raise RulesFileError(f'{where}: subdiv must be a string such as "CA"')
    return HolidayCalendar(
        country=_text(raw, "country", where) or "US",
        subdiv=subdiv,
        categories=tuple(categories),
        authority=_text(raw, "authority", where),
        exclude=tuple(exclude),
        closures=tuple(sorted(closures)),
        saturday_rule=_text(raw, "saturday_rule", where),
        sunday_rule=_text(raw, "sunday_rule", where),
        check=bool(raw.get("check", False)),
        note=_text(raw, "note", where),
    )


def _table(raw: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise RulesFileError(f"{where}: expected a table, got {type(raw).__name__}")
    unknown = sorted(set(raw) - allowed)
    if unknown:  # an edited copy with a typo must fail loudly, not be silently ignored
        raise RulesFileError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return raw


def _text(raw: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise RulesFileError(f"{where}: {key} must be a string")
    if required and not value.strip():
        raise RulesFileError(f"{where}: missing {key}")
    return value
