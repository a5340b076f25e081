"""Reminder rules as arithmetic: which step a day has reached, when the next one comes, how a newsroom's
typed steps are read, how its changes apply over the defaults, and the first day a step is reached."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.helpers import d
from tracker import deadlines
from tracker.reminders.rules import DEFAULTS, MAX_STEP, MAX_STEPS, Rule, effective_rules, first_day_at, parse_steps

OVERDUE = Rule("response_overdue", "Overdue", "response", (1,), repeat_every=5)
WINDOW = Rule("appeal_window", "Appeal window", "appeal", (-15, -5, -1))


@pytest.mark.parametrize("rule,n,reached,after", [
    (WINDOW, -16, None, -15), (WINDOW, -15, -15, -5), (WINDOW, -6, -15, -5), (WINDOW, -5, -5, -1),
    (WINDOW, -1, -1, None), (WINDOW, 0, -1, None), (WINDOW, 3, -1, None),
    (OVERDUE, 0, None, 1), (OVERDUE, 1, 1, 6), (OVERDUE, 5, 1, 6), (OVERDUE, 6, 6, 11), (OVERDUE, 10, 6, 11),
    (OVERDUE, 11, 11, 16), (OVERDUE, 12, 11, 16), (OVERDUE, 100, 96, 101),
    (Rule("x", "x", "response", (2, 4), repeat_every=3), 4, 4, 7),
    (Rule("x", "x", "response", (2, 4), repeat_every=3), 3, 2, 4),
    (Rule("x", "x", "response", (2, 4), repeat_every=3), 9, 7, 10),
])
def test_the_step_reached_and_the_next_one(rule, n, reached, after):
    assert rule.sequence_until(n) == reached
    assert rule.next_after(n) == after


@pytest.mark.parametrize("text,steps,message", [
    ("-15, -5, -1", [-15, -5, -1], None),
    ("1", [1], None),
    ("-1; 3 ;-1", [-1, 3], None),  # semicolons, spaces and repeats
    ("\u22123, 0", [-3, 0], None),  # a typographic minus, as pasted from a document
    (f"-{MAX_STEP}, {MAX_STEP}", [-MAX_STEP, MAX_STEP], None),
    ("", [], "Give at least one number of working days, e.g. -3 or 1."),
    (" , ;", [], "Give at least one number of working days, e.g. -3 or 1."),
    (None, [], "Give at least one number of working days, e.g. -3 or 1."),
    ("soon", [], "Use whole numbers of working days separated by commas, e.g. -15, -5, -1."),
    ("1.5", [], "Use whole numbers of working days separated by commas, e.g. -15, -5, -1."),
    (", ".join(str(n) for n in range(MAX_STEPS)), list(range(MAX_STEPS)), None),
    (", ".join(str(n) for n in range(MAX_STEPS + 1)), [], f"At most {MAX_STEPS} reminders per rule."),
    (f"{MAX_STEP + 1}", [], f"Keep each number between -{MAX_STEP} and {MAX_STEP} working days."),
    (f"-{MAX_STEP + 1}", [], f"Keep each number between -{MAX_STEP} and {MAX_STEP} working days."),
])
def test_typed_steps_are_read_or_refused_with_a_reason(text, steps, message):
    assert parse_steps(text) == (steps, message)


def test_a_newsrooms_changes_apply_over_the_defaults():
    rows = [SimpleNamespace(key="appeal_window", enabled=True, steps=["-10", "-2", "-10"], repeat_every=None),
            SimpleNamespace(key="response_overdue", enabled=False, steps=[], repeat_every=0),
            SimpleNamespace(key="response_soon", enabled=True, steps=None, repeat_every=2),
            SimpleNamespace(key="no_such_rule", enabled=True, steps=[1], repeat_every=None)]
    rules = {r.key: r for r in effective_rules(rows)}
    assert list(rules) == list(DEFAULTS)  # every default, in order, nothing unknown
    assert (rules["appeal_window"].steps, rules["appeal_window"].enabled) == ((-10, -2), True)
    assert (rules["response_overdue"].enabled, rules["response_overdue"].steps,
            rules["response_overdue"].repeat_every) == (False, (1,), None)
    assert (rules["response_soon"].steps, rules["response_soon"].repeat_every) == ((-3,), 2)
    assert rules["response_today"] == DEFAULTS["response_today"]
    assert effective_rules([]) == list(DEFAULTS.values())


@pytest.mark.parametrize("on,step,expected", [
    ("2026-12-02", 0, "2026-12-02"),  # a Wednesday: on the day
    ("2026-12-02", -3, "2026-11-27"),  # three working days before (Thanksgiving skipped)
    ("2026-12-02", 1, "2026-12-03"),
    ("2026-12-05", 0, "2026-12-04"),  # a Saturday: "on the day" is the Friday before
    ("2026-12-05", -1, "2026-12-03"),  # and "one before" counts back from that Friday
    ("2026-12-05", 1, "2026-12-07"),  # after the day: the next working day, Monday
    ("2026-11-26", 0, "2026-11-25"),  # Thanksgiving: the day before
])
def test_the_first_day_a_step_is_reached(on, step, expected):
    assert first_day_at("US-DHS", d(on), step) == d(expected)
    assert deadlines.working_days_between("US-DHS", d(on), d(expected)) >= step


def test_the_next_check_reads_the_requests_dates_itself_when_not_given_them(app, users, frozen):
    from tests.reminders.reminders_support import overdue_request
    from tracker.extensions import db
    from tracker.reminders.rules import DEFAULT_RULES, next_check, watched_dates

    with app.app_context():
        req = overdue_request(users["reporter"])
        today = d("2026-11-18")
        given = next_check(req, DEFAULT_RULES, today, watched_dates(req, today))
        assert next_check(req, DEFAULT_RULES, today) == given == d("2026-11-23")  # overdue step 6
        db.session.remove()


@pytest.mark.parametrize("field,kind", [("our_answer_due_on", "our_answer"), ("estimated_completion_on", "estimate")])
def test_dates_typed_at_the_ends_of_the_calendars_are_watched_and_beyond_them_are_not(app, users, frozen, field,
                                                                                        kind):
    """The first and last days the calendars count are watched (in reminders, digests and the calendar feed);
    a day outside them (a mistyped year) is left out rather than stopping the scan."""
    from datetime import timedelta

    from tests.reminders.reminders_support import overdue_request
    from tracker.extensions import db
    from tracker.reminders.rules import watched_dates

    with app.app_context():
        req = overdue_request(users["reporter"])
        today = d("2026-11-18")
        for day, watched in ((deadlines.SUPPORTED_FIRST, True), (deadlines.SUPPORTED_LAST, True),
                             (deadlines.SUPPORTED_FIRST - timedelta(days=1), False),
                             (deadlines.SUPPORTED_LAST + timedelta(days=1), False)):
            setattr(req, field, day)
            found = watched_dates(req, today).get(kind)
            assert (found.on if found else None) == (day if watched else None), day
        db.session.remove()
