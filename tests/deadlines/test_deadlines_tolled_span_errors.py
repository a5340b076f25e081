"""A bad tolled span is refused with a message that names what is wrong with it."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines.arithmetic import merge_spans
from tracker.deadlines.errors import DateOutOfRange, InvalidSpan


def test_a_span_that_is_not_a_pair_is_refused_as_such():
    with pytest.raises(InvalidSpan, match=r"^a tolled span must be a pair \(paused_on, resumed_on\), got "):
        merge_spans([(date(2026, 11, 2),)])


@pytest.mark.parametrize("span,named", [
    ((date(1999, 6, 1), date(2026, 11, 2)), "tolled span paused_on 1999-06-01"),
    ((date(2026, 11, 2), date(2041, 1, 2)), "tolled span resumed_on 2041-01-02"),
])
def test_a_day_outside_the_supported_range_is_named(span, named):
    with pytest.raises(DateOutOfRange, match=f"^{named} is outside the supported range"):
        merge_spans([span])
