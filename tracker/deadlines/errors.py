"""Errors raised by the deadline engine.

All are ValueError subclasses so that a caller validating user input can catch one type and show
the message on the field (or in a 4xx JSON error).
"""

from __future__ import annotations


class DeadlineError(ValueError):
    """Base class: bad input to the deadline engine."""


class UnknownJurisdiction(DeadlineError):
    """The jurisdiction code is not in the rules file."""

    def __init__(self, code: object, known: list[str]) -> None:
        self.code = code
        super().__init__(f"Unknown jurisdiction {code!r}. Known codes (case-sensitive): {', '.join(known)}.")


class DateOutOfRange(DeadlineError):
    """A date outside the range the holiday tables cover."""


class InvalidSpan(DeadlineError):
    """A tolled span whose resumption comes before its pause, or that is not a pair of dates."""


class RulesFileError(DeadlineError):
    """The jurisdictions data file is missing a field or has a bad value."""


class UnknownVariant(DeadlineError):
    """A request variant (e.g. "commercial") that the jurisdiction's row does not have."""


class BadObservedDay(DeadlineError):
    """An agency's observed day that the jurisdiction's law does not allow (not an optional holiday's name,
    or a date where the law lets no agency designate its own closed days)."""
