"""Ending a paused clock when the agency answers (a determination, a referral in full) while it waits on us."""

from __future__ import annotations

from datetime import date

from tracker.core.errors import ValidationFailed
from tracker.requests.models import RecordsRequest


def end_pause(req: RecordsRequest, on: date | None) -> None:
    """Close the request's open tolled span on `on`; refused, on the field "on", when that is before the pause
    began (a span cannot end before it starts, and the deadline engine would refuse to count it)."""
    span = req.open_tolled_span
    if span is None or on is None:
        return
    if on < span.paused_on:
        raise ValidationFailed("The date is before the day the clock was paused.", {
            "on": f"This date is before the day the clock was paused ({span.paused_on})."})
    span.resumed_on = on
