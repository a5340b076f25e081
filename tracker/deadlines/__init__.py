"""Statutory deadlines for public-records requests: PURE (standard library + `holidays` only).

    from tracker.deadlines import response_due, explain
    response_due("US-DHS", date(2026, 11, 20))            # date(2026, 12, 21)
    explain("response", "US-DHS", date(2026, 11, 20))      # the steps, with holidays by name

The rules per jurisdiction are data (jurisdictions.toml); `configure()` loads an edited copy and adds
executive-order closures. A result of None means the law sets no computable date ("promptly").
"""

from tracker.deadlines.arithmetic import (
    add_working_days,
    ag_ruling_due,
    appeal_decision_due,
    appeal_due,
    certification_due,
    deemed_denial_due,
    expedited_decision_due,
    response_due,
    tracking_number_due,
    working_days_between,
)
from tracker.deadlines.calendars import SUPPORTED_FIRST, SUPPORTED_LAST, Closure, WorkCalendar
from tracker.deadlines.errors import (
    BadObservedDay,
    DateOutOfRange,
    DeadlineError,
    InvalidSpan,
    RulesFileError,
    UnknownJurisdiction,
    UnknownVariant,
)
from tracker.deadlines.explain import KINDS, Explanation, Step, explain
from tracker.deadlines.registry import calendar_for, check_observes, configure, jurisdiction, jurisdictions
from tracker.deadlines.rules import HolidayCalendar, Jurisdiction, NoResponse, Period, Variant, is_federal_code

__all__ = [
    "is_federal_code",
    "KINDS",
    "BadObservedDay",
    "NoResponse",
    "UnknownVariant",
    "Variant",
    "ag_ruling_due",
    "certification_due",
    "deemed_denial_due",
    "SUPPORTED_FIRST",
    "SUPPORTED_LAST",
    "Closure",
    "DateOutOfRange",
    "DeadlineError",
    "Explanation",
    "HolidayCalendar",
    "InvalidSpan",
    "Jurisdiction",
    "Period",
    "RulesFileError",
    "Step",
    "UnknownJurisdiction",
    "WorkCalendar",
    "add_working_days",
    "appeal_decision_due",
    "appeal_due",
    "calendar_for",
    "check_observes",
    "configure",
    "expedited_decision_due",
    "explain",
    "jurisdiction",
    "jurisdictions",
    "response_due",
    "tracking_number_due",
    "working_days_between",
]
