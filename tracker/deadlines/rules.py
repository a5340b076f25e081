"""Statutory rules per jurisdiction, as data: the dataclasses and the loader of jurisdictions.toml.

Values live in the TOML file, never in code, so that a newsroom can correct a period or a citation
(see `configure(rules_path=...)`) and so that every value carries its citation and "check" flag.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from tracker.deadlines.errors import RulesFileError, UnknownVariant

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
    "certification",
    "ag_ruling",
)
# What a calendar-day count starts from, and what happens to an agency's due date on a closed day.
CALENDAR_STARTS: tuple[str, ...] = ("next_working_day", "receipt")
DUE_ON_CLOSED: tuple[str, ...] = ("keep", "next_open_day")
IN_LIEU: tuple[str, ...] = ("both", "sunday", "none")
APPEAL_FROM: tuple[str, ...] = ("due_date", "request")
WEEKDAY_NAMES: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Period:
    """One statutory period. `count` is None where the law sets no computable period."""

    count: int | None
    unit: Unit | None
    text: str = ""  # the law's own words, short: "promptly", "by agreement", "unusual circumstances"
    citation: str = ""
    check: bool = False  # the reference could not confirm this value from a primary text
    note: str = ""
    url: str = ""  # where the citation can be read
    start: str = ""  # what the count starts from when it is not the usual event, e.g. "determination"

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
            "url": self.url,
            "start": self.start,
        }


@dataclass(frozen=True, slots=True)
class AddedHoliday:
    """A legal holiday of the state that the `holidays` package lacks: a fixed date (month, day) or the
    nth weekday of a month (nth = -1: the last)."""

    name: str
    month: int
    day: int | None = None
    weekday: int | None = None  # 0 = Monday
    nth: int | None = None
    offset: int = 0  # days after the nth weekday: election day is the Tuesday after the first Monday (offset 1)

    def on(self, year: int) -> date:
        if self.day is not None:
            return date(year, self.month, self.day)
        assert self.weekday is not None and self.nth is not None
        if self.nth > 0:
            first = date(year, self.month, 1)
            found = first + timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.nth - 1))
        else:
            nxt = date(year + (self.month == 12), self.month % 12 + 1, 1)
            last = nxt - timedelta(days=1)
            found = last - timedelta(days=(last.weekday() - self.weekday) % 7)
        return found + timedelta(days=self.offset)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "month": self.month}
        if self.day is not None:
            out["day"] = self.day
        else:
            out["weekday"], out["nth"], out["offset"] = WEEKDAY_NAMES[self.weekday or 0], self.nth, self.offset
        return out


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
    # State law, where it differs from the package (all empty for the federal calendars):
    in_lieu: str = "both"  # which weekend holidays move to a weekday: both, sunday (to Monday), none
    optional: tuple[str, ...] = ()  # names that close only an agency that observes them (Texas)
    optional_rule: str = ""  # the law that lets an agency observe them, shown in explanations
    agency_days: str = ""  # the law that lets an agency designate its own closed days (dates), if any
    added: tuple[AddedHoliday, ...] = ()  # legal holidays the package lacks
    rename: tuple[tuple[str, str], ...] = ()  # (package name, the statute's name)
    url: str = ""  # the holiday statute

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
            "in_lieu": self.in_lieu,
            "optional": list(self.optional),
            "optional_rule": self.optional_rule,
            "agency_days": self.agency_days,
            "added": [a.to_dict() for a in self.added],
            "rename": dict(self.rename),
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Counting:
    """How calendar-day periods are counted in a jurisdiction (absent: the federal practice)."""

    calendar_start: str = "next_working_day"  # or "receipt": day 1 is the day after the actual receipt
    due_on_closed: str = "keep"  # or "next_open_day": an agency due date on a closed day moves later
    text: str = ""
    citation: str = ""
    url: str = ""
    check: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"calendar_start": self.calendar_start, "due_on_closed": self.due_on_closed, "text": self.text,
                "citation": self.citation, "url": self.url, "check": self.check, "note": self.note}


@dataclass(frozen=True, slots=True)
class ReceiptRule:
    """When a request sent by some channels counts as received (Michigan: email and fax, 1 business day later)."""

    channels: tuple[str, ...]
    count: int
    text: str = ""
    citation: str = ""
    url: str = ""
    check: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"channels": list(self.channels), "count": self.count, "text": self.text,
                "citation": self.citation, "url": self.url, "check": self.check}


@dataclass(frozen=True, slots=True)
class NoResponse:
    """What the law makes of a missed response deadline: a deemed denial, and where the appeal window starts."""

    deemed_denied: bool
    appeal_from: str = "due_date"  # "due_date" (the missed due date) or "request" (Massachusetts)
    text: str = ""
    citation: str = ""
    url: str = ""
    check: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"deemed_denied": self.deemed_denied, "appeal_from": self.appeal_from, "text": self.text,
                "citation": self.citation, "url": self.url, "check": self.check, "note": self.note}


@dataclass(frozen=True, slots=True)
class Variant:
    """A kind of request with its own periods (New Jersey commercial requests, Virginia criminal files)."""

    key: str
    label: str
    response: Period | None = None
    extension: Period | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "note": self.note,
                "response": self.response.to_dict() if self.response else None,
                "extension": self.extension.to_dict() if self.extension else None}


def is_federal_code(code: str) -> bool:
    """Federal FOIA (US, and agency rows such as US-DHS, US-DOJ); states are US-XX with two letters."""
    return code == "US" or (code.startswith("US-") and len(code) > 5)


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
    certification: Period | None = None  # Texas 552.221(d): produce or certify a date within 10 business days
    ag_ruling: Period | None = None  # Texas 552.301(b): ask the Attorney General for a ruling to withhold
    url: str = ""  # the statute's text
    counting: Counting | None = None  # None: the federal practice
    receipt: ReceiptRule | None = None
    no_response: NoResponse | None = None
    variants: tuple[Variant, ...] = ()

    def periods(self) -> dict[str, Period | None]:
        return {name: getattr(self, name) for name in PERIOD_FIELDS}

    def variant(self, key: str | None) -> Variant | None:
        """The variant with this key; None for no key; UnknownVariant for a key the row does not have."""
        if not key:
            return None
        for v in self.variants:
            if v.key == key:
                return v
        known = ", ".join(v.key for v in self.variants) or "none"
        raise UnknownVariant(f"{self.name} has no request variant {key!r} (variants: {known}).")

    def with_variant(self, key: str | None) -> tuple[Period, Period | None]:
        """The response and extension periods for a request of this variant."""
        v = self.variant(key)
        if v is None:
            return self.response, self.extension
        return v.response or self.response, v.extension or self.extension

    def for_variant(self, key: str | None) -> Jurisdiction:
        """This row with a variant's periods in place of the ordinary ones (e.g. for a letter that cites the
        period); the row itself for no key or a key it does not have."""
        v = next((v for v in self.variants if v.key == key), None) if key else None
        if v is None:
            return self
        return replace(self, response=v.response or self.response, extension=v.extension or self.extension)

    @property
    def calendar_start(self) -> str:
        return self.counting.calendar_start if self.counting else "next_working_day"

    @property
    def due_on_closed(self) -> str:
        return self.counting.due_on_closed if self.counting else "keep"

    @property
    def is_federal(self) -> bool:
        return is_federal_code(self.code)

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
        for what, rule in (("counting", self.counting), ("receipt", self.receipt), ("no response", self.no_response)):
            if rule is not None and rule.check:
                out.append(f"{what}: {getattr(rule, 'note', '') or 'could not be confirmed from a primary text'}")
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
            "url": self.url,
            "counting": self.counting.to_dict() if self.counting else None,
            "receipt": self.receipt.to_dict() if self.receipt else None,
            "no_response": self.no_response.to_dict() if self.no_response else None,
            "variants": [v.to_dict() for v in self.variants],
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
    "url",
    "counting",
    "receipt",
    "no_response",
    "variants",
    *PERIOD_FIELDS,
}
_PERIOD_KEYS = {"count", "unit", "text", "citation", "check", "note", "url", "start"}
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
    "in_lieu",
    "optional",
    "optional_rule",
    "agency_days",
    "added",
    "rename",
    "url",
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
    variants = row.get("variants", {})
    if not isinstance(variants, dict):
        raise RulesFileError(f"{where}: variants must be tables, e.g. [jurisdiction.variants.commercial]")
    return Jurisdiction(
        code=code,
        name=_text(row, "name", where, required=True),
        law=_text(row, "law", where, required=True),
        citation=_text(row, "citation", where, required=True),
        appeal_body=_text(row, "appeal_body", where),
        holiday_calendar=_parse_calendar(row["holiday_calendar"], f"{where} holiday_calendar"),
        notes=tuple(notes),
        url=_text(row, "url", where),
        counting=_parse_counting(row["counting"], f"{where} counting") if "counting" in row else None,
        receipt=_parse_receipt(row["receipt"], f"{where} receipt") if "receipt" in row else None,
        no_response=_parse_no_response(row["no_response"], f"{where} no_response") if "no_response" in row else None,
        variants=tuple(_parse_variant(k, v, f"{where} variant {k}") for k, v in variants.items()),
        **periods,
    )


def _choice(raw: dict[str, Any], key: str, choices: tuple[str, ...], default: str, where: str) -> str:
    value = raw.get(key, default)
    if value not in choices:
        raise RulesFileError(f"{where}: {key} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _flag(raw: dict[str, Any], key: str, where: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise RulesFileError(f"{where}: {key} must be true or false")
    return value


_SOURCE_KEYS = {"text", "citation", "url", "check", "note"}


def _parse_counting(raw: Any, where: str) -> Counting:
    raw = _table(raw, where, {"calendar_start", "due_on_closed", *_SOURCE_KEYS})
    return Counting(
        calendar_start=_choice(raw, "calendar_start", CALENDAR_STARTS, "next_working_day", where),
        due_on_closed=_choice(raw, "due_on_closed", DUE_ON_CLOSED, "keep", where),
        text=_text(raw, "text", where), citation=_text(raw, "citation", where), url=_text(raw, "url", where),
        check=_flag(raw, "check", where), note=_text(raw, "note", where),
    )


def _parse_receipt(raw: Any, where: str) -> ReceiptRule:
    raw = _table(raw, where, {"channels", "count", "unit", *_SOURCE_KEYS} - {"note"})
    channels, count = raw.get("channels"), raw.get("count")
    if not isinstance(channels, list) or not channels or not all(isinstance(c, str) for c in channels):
        raise RulesFileError(f"{where}: channels must be a list of channel names such as \"email\"")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise RulesFileError(f"{where}: count must be a positive whole number of working days")
    if raw.get("unit", "working") != "working":
        raise RulesFileError(f"{where}: unit must be working")
    return ReceiptRule(channels=tuple(channels), count=count, text=_text(raw, "text", where),
                       citation=_text(raw, "citation", where), url=_text(raw, "url", where),
                       check=_flag(raw, "check", where))


def _parse_no_response(raw: Any, where: str) -> NoResponse:
    raw = _table(raw, where, {"deemed_denied", "appeal_from", *_SOURCE_KEYS})
    return NoResponse(
        deemed_denied=_flag(raw, "deemed_denied", where),
        appeal_from=_choice(raw, "appeal_from", APPEAL_FROM, "due_date", where),
        text=_text(raw, "text", where), citation=_text(raw, "citation", where), url=_text(raw, "url", where),
        check=_flag(raw, "check", where), note=_text(raw, "note", where),
    )


def _parse_variant(key: str, raw: Any, where: str) -> Variant:
    raw = _table(raw, where, {"label", "response", "extension", "note"})
    label = _text(raw, "label", where, required=True)
    response = _parse_period(raw["response"], f"{where} response") if "response" in raw else None
    extension = _parse_period(raw["extension"], f"{where} extension") if "extension" in raw else None
    if response is None and extension is None:
        raise RulesFileError(f"{where}: a variant changes the response, the extension, or both")
    return Variant(key=key, label=label, response=response, extension=extension, note=_text(raw, "note", where))


# February has 28: a holiday on the 29th would not exist in three years of four.
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _parse_added(raw: Any, where: str) -> AddedHoliday:
    raw = _table(raw, where, {"name", "month", "day", "weekday", "nth", "offset"})
    name, month = _text(raw, "name", where, required=True), raw.get("month")
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise RulesFileError(f"{where}: month must be 1 to 12")
    if "day" in raw:
        day = raw["day"]
        if not isinstance(day, int) or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
            raise RulesFileError(f"{where}: day is not a day of month {month}")
        return AddedHoliday(name, month, day=day)
    weekday, nth = raw.get("weekday"), raw.get("nth")
    if weekday not in WEEKDAY_NAMES or nth not in (1, 2, 3, 4, -1):
        raise RulesFileError(f"{where}: give day, or weekday (Monday ... Sunday) and nth (1-4, or -1 for the last)")
    offset = raw.get("offset", 0)
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= 6:
        raise RulesFileError(f"{where}: offset must be 0 to 6 days")
    return AddedHoliday(name, month, weekday=WEEKDAY_NAMES.index(weekday), nth=nth, offset=offset)


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
    start = _text(raw, "start", where)
    if start not in ("", "determination"):
        raise RulesFileError(f"{where}: start must be \"determination\" or left out")
    return Period(
        count=count,
        unit=unit,
        text=_text(raw, "text", where),
        citation=_text(raw, "citation", where),
        check=check,
        note=_text(raw, "note", where),
        url=_text(raw, "url", where),
        start=start,
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
    optional = raw.get("optional", [])
    if not isinstance(optional, list) or not all(isinstance(v, str) for v in optional):
        raise RulesFileError(f"{where}: optional must be a list of strings")
    added = raw.get("added", [])
    if not isinstance(added, list):
        raise RulesFileError(f"{where}: added must be a list of tables")
    rename = raw.get("rename", {})
    if not isinstance(rename, dict) or not all(isinstance(v, str) for v in rename.values()):
        raise RulesFileError(f"{where}: rename must map package names to the statute's names")
    return HolidayCalendar(
        in_lieu=_choice(raw, "in_lieu", IN_LIEU, "both", where),
        optional=tuple(optional),
        optional_rule=_text(raw, "optional_rule", where),
        agency_days=_text(raw, "agency_days", where),
        added=tuple(_parse_added(a, f"{where} added") for a in added),
        rename=tuple(sorted(rename.items())),
        url=_text(raw, "url", where),
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
