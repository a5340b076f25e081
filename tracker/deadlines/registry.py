"""The loaded rules and the lazily built calendars and tables: the package's only mutable state.

Everything is built on first use. `configure()` points the engine at an edited rules file (a newsroom
setting) and sets executive-order closures; it drops the response tables when the rules change.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from tracker.deadlines.calendars import WorkCalendar, check_supported
from tracker.deadlines.errors import BadObservedDay, UnknownJurisdiction
from tracker.deadlines.rules import Jurisdiction, load_rules

# Precomputed response due dates, one list per (extended flag, jurisdiction code), indexed by
# (receipt ordinal - calendars.SUPPORTED_FIRST ordinal). Filled by arithmetic.py, emptied here.
RESPONSE_TABLES: list[dict[str, list[date | None]]] = [{}, {}]

_MAX_CALENDARS = 64
_lock = threading.Lock()
_rules_path: Path | None = None
_closures: frozenset[date] = frozenset()
_rules: dict[str, Jurisdiction] | None = None
_calendars: dict[tuple, WorkCalendar] = {}
# calendar_for's fast path, by the identity of a rule row's calendar spec: hashing the spec (a dataclass
# with lists of days) costs more than the working-day arithmetic it serves. Holds the spec, so ids stay unique.
_by_spec: dict[int, tuple[object, frozenset[date], WorkCalendar]] = {}


def configure(rules_path: str | Path | None = None, extra_closures: Iterable[date] = ()) -> None:
    """Load a rules file (None: the packaged one) and set the ad-hoc federal closures.

    `extra_closures` are executive-order closures (e.g. Dec 24, 2024); they are not legal public
    holidays, so they count as working days unless given here. They apply to the federal calendars
    only (a state office does not close for a federal order); state closures go in the rules file.
    Calling configure() with no arguments restores the defaults. A bad file raises RulesFileError and
    leaves the previous configuration in place.
    """
    global _rules_path, _closures, _rules
    path = Path(rules_path) if rules_path is not None else None
    rules = load_rules(path)  # validate before swapping anything
    closures = frozenset(check_supported(d, "closure date") for d in extra_closures)
    with _lock:
        if rules != _rules or closures != _closures:
            for table in RESPONSE_TABLES:
                table.clear()
        _rules_path, _closures, _rules = path, closures, rules
        # Calendars are keyed by everything they depend on, so they survive a configure() (an app
        # factory calls it for every app; tests build many apps). Only bound the cache.
        if len(_calendars) > _MAX_CALENDARS:
            _calendars.clear()


def extra_closures() -> frozenset[date]:
    return _closures


def _loaded() -> dict[str, Jurisdiction]:
    global _rules
    rules = _rules
    if rules is None:
        rules = load_rules(_rules_path)
        with _lock:
            if _rules is None:
                _rules = rules
            rules = _rules
    return rules


def jurisdiction(code: str) -> Jurisdiction:
    """The row for a code such as "US-DHS"; UnknownJurisdiction (a ValueError) otherwise."""
    rules = _loaded()
    try:
        return rules[code]
    except (KeyError, TypeError):
        raise UnknownJurisdiction(code, list(rules)) from None


def jurisdictions() -> list[Jurisdiction]:
    """All rows in file order (federal first), e.g. for a select box of code and name."""
    return list(_loaded().values())


def calendar_for(j: Jurisdiction, observes: Iterable[str | date] = ()) -> WorkCalendar:
    """The jurisdiction's working-day calendar, built once and shared by rows with the same calendar.

    `observes` is an agency's own setting where the state's law allows one: names of the calendar's
    optional holidays that the agency observes, and (where the law lets an agency designate them) dates
    on which it is closed. Anything else is refused with BadObservedDay.
    """
    spec, closures = j.holiday_calendar, _closures
    if observes:
        chosen = check_observes(j, observes)
        if chosen:
            key = (spec, closures if spec.federal else frozenset(), chosen)
            cal = _calendars.get(key)
            if cal is None:
                cal = WorkCalendar(spec, key[1], chosen)
                with _lock:
                    if len(_calendars) > _MAX_CALENDARS:
                        _calendars.clear()
                    cal = _calendars.setdefault(key, cal)
            return cal
    hit = _by_spec.get(id(spec))
    if hit is not None and hit[0] is spec and hit[1] is closures:
        return hit[2]
    plain = (spec, closures if spec.federal else frozenset())
    cal = _calendars.get(plain)
    if cal is None:
        cal = WorkCalendar(spec, plain[1])  # built outside the lock: a duplicate build is harmless
        with _lock:
            cal = _calendars.setdefault(plain, cal)
    with _lock:
        if len(_by_spec) > _MAX_CALENDARS:
            _by_spec.clear()
        _by_spec[id(spec)] = (spec, closures, cal)
    return cal


def check_observes(j: Jurisdiction, observes: Iterable[str | date]) -> frozenset[str | date]:
    """The agency's observed days, validated against what the jurisdiction's law allows."""
    spec = j.holiday_calendar
    out: set[str | date] = set()
    for item in observes:
        if isinstance(item, str):
            name = item.strip()
            if not name:
                continue
            if name not in spec.optional:
                allowed = ", ".join(spec.optional) or "none"
                raise BadObservedDay(
                    f"{name!r} is not an optional holiday in {j.name} (optional holidays: {allowed})."
                )
            out.add(name)
        elif type(item) is date:
            if not spec.agency_days:
                raise BadObservedDay(f"{j.name}: the law lets no agency designate its own closed days.")
            out.add(check_supported(item, "agency closed day"))
        else:
            raise TypeError(f"an observed day is a holiday's name or a date, got {item!r}")
    return frozenset(out)
