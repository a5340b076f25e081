"""The rules file loader at the edges of what it accepts: a newsroom edits this file by hand, so the last
valid value must load and the first invalid one must be refused with a message that names the key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.deadlines import RulesFileError
from tracker.deadlines.rules import AddedHoliday, ReceiptRule, load_rules

HEAD = 'code = "X"\nname = "x"\nlaw = "x"\ncitation = "x"\n'
PROMPTLY = 'response = { text = "promptly" }\n'


def load(tmp_path: Path, row: str, calendar: str = "{}") -> dict:
    path = tmp_path / "rules.toml"
    path.write_text(f"[[jurisdiction]]\n{HEAD}holiday_calendar = {calendar}\n{row}\n")
    return load_rules(path)


def refused(tmp_path: Path, row: str, message: str, calendar: str = "{}") -> None:
    with pytest.raises(RulesFileError) as info:
        load(tmp_path, row, calendar)
    assert message in str(info.value), str(info.value)


def added(tmp_path: Path, holiday: str) -> AddedHoliday:
    return load(tmp_path, PROMPTLY, f"{{ added = [{{ name = \"X\", {holiday} }}] }}")["X"].holiday_calendar.added[0]


@pytest.mark.parametrize(
    "holiday,expected",
    [
        ("month = 12, day = 31", AddedHoliday("X", 12, day=31)),  # New Year's Eve: a 31-day month
        ("month = 1, day = 1", AddedHoliday("X", 1, day=1)),
        ("month = 2, day = 28", AddedHoliday("X", 2, day=28)),
        ("month = 4, day = 30", AddedHoliday("X", 4, day=30)),
        ('month = 5, weekday = "Sunday", nth = -1, offset = 6', AddedHoliday("X", 5, weekday=6, nth=-1, offset=6)),
        ('month = 11, weekday = "Monday", nth = 4', AddedHoliday("X", 11, weekday=0, nth=4, offset=0)),
        ('month = 1, weekday = "Monday", nth = 3', AddedHoliday("X", 1, weekday=0, nth=3, offset=0)),
        ('month = 2, weekday = "Monday", nth = 2', AddedHoliday("X", 2, weekday=0, nth=2, offset=0)),
        ('month = 9, weekday = "Monday", nth = 1', AddedHoliday("X", 9, weekday=0, nth=1, offset=0)),
    ],
)
def test_added_holidays_at_the_edges_load(tmp_path: Path, holiday: str, expected: AddedHoliday) -> None:
    assert added(tmp_path, holiday) == expected


@pytest.mark.parametrize(
    "holiday,message",
    [
        ("month = 0, day = 1", "month must be 1 to 12"),
        ('month = "May", day = 1', "month must be 1 to 12"),
        ("month = 4, day = 31", "day is not a day of month 4"),
        ("month = 2, day = 29", "day is not a day of month 2"),  # not a day in three years of four
        ("month = 1, day = 0", "day is not a day of month 1"),
        ('month = 1, day = "1"', "day is not a day of month 1"),
        ('month = 11, weekday = "Monday", nth = 5', "give day, or weekday"),
        ('month = 11, weekday = "Monday", nth = 0', "give day, or weekday"),
        ('month = 11, weekday = "Monday", nth = 1, offset = 7', "offset must be 0 to 6 days"),
        ('month = 11, weekday = "Monday", nth = 1, offset = -1', "offset must be 0 to 6 days"),
        ('month = 11, weekday = "Monday", nth = 1, offset = true', "offset must be 0 to 6 days"),
        ('month = 11, weekday = "Monday", nth = 1, offset = 1.5', "offset must be 0 to 6 days"),
        ("month = 1, day = 1, nth = 1, colour = 2", "unknown key(s) colour"),
    ],
)
def test_added_holidays_past_the_edges_are_refused(tmp_path: Path, holiday: str, message: str) -> None:
    refused(tmp_path, PROMPTLY, message, f'{{ added = [{{ name = "X", {holiday} }}] }}')


def test_periods_at_the_edges(tmp_path: Path) -> None:
    period = load(tmp_path, 'response = { count = 1, unit = "calendar", check = true }')["X"].response
    assert (period.count, period.unit, period.check) == (1, "calendar", True)
    refused(tmp_path, 'response = { count = true, unit = "working" }', "count must be a positive whole number")
    refused(tmp_path, 'response = { count = 2.5, unit = "working" }', "count must be a positive whole number")
    refused(tmp_path, 'response = { count = 5, unit = "weeks" }', "unit must be one of working, calendar, got 'weeks'")
    refused(tmp_path, 'response = { unit = "working" }', "give both count and unit, or neither")
    refused(tmp_path, 'response = { text = "promptly", check = "yes" }', "check must be true or false")
    refused(tmp_path, 'response = { text = "" }', "a period without a count needs text")


def test_receipt_rules_at_the_edges(tmp_path: Path) -> None:
    rule = load(tmp_path, PROMPTLY + 'receipt = { channels = ["email", "fax"], count = 1 }')["X"].receipt
    assert rule == ReceiptRule(channels=("email", "fax"), count=1)
    for receipt, message in [
        ('{ channels = ["email"], count = 0 }', "count must be a positive whole number of working days"),
        ('{ channels = ["email"], count = true }', "count must be a positive whole number of working days"),
        ('{ channels = ["email"] }', "count must be a positive whole number of working days"),
        ('{ channels = ["email"], count = 1, unit = "calendar" }', "unit must be working"),
        ('{ channels = "email", count = 1 }', "channels must be a list"),
        ('{ channels = [1], count = 1 }', "channels must be a list"),
        ('{ channels = ["email"], count = 1, check = 1 }', "check must be true or false"),
        ('{ channels = ["email"], count = 1, note = "x" }', "(X) receipt: unknown key(s) note"),  # no note here
    ]:  # fmt: skip
        refused(tmp_path, PROMPTLY + f"receipt = {receipt}", message)


@pytest.mark.parametrize(
    "calendar,message",
    [
        ('{ categories = "public" }', "categories must be a list of strings"),
        ("{ exclude = [1] }", "exclude must be a list of strings"),
        ('{ closures = ["2025-12-24"] }', "closures must be a list of dates"),
        ("{ closures = 2025-12-24 }", "closures must be a list of dates"),
        ("{ subdiv = 6 }", 'subdiv must be a string such as "CA"'),
        ("{ optional = [1] }", "optional must be a list of strings"),
        ('{ added = { name = "X" } }', "added must be a list of tables"),
        ('{ rename = ["A"] }', "rename must map"),
        ('{ in_lieu = "both", authority = 5 }', "authority must be a string"),
        ('{ subdiv = "TX", colour = "blue" }', "unknown key(s) colour"),
    ],
)
def test_holiday_calendars_past_the_edges_are_refused(tmp_path: Path, calendar: str, message: str) -> None:
    refused(tmp_path, PROMPTLY, message, calendar)


def test_a_calendar_at_the_edges_loads(tmp_path: Path) -> None:
    calendar = ('{ subdiv = "TX", categories = ["public", "government"], exclude = ["A"], '
                'closures = [2025-12-26, 2025-12-24], optional = ["Good Friday"], '
                'rename = { "B" = "C", "A" = "D" }, check = true }')  # fmt: skip
    spec = load(tmp_path, PROMPTLY, calendar)["X"].holiday_calendar
    assert spec.subdiv == "TX" and spec.categories == ("public", "government") and spec.exclude == ("A",)
    assert spec.closures == (date(2025, 12, 24), date(2025, 12, 26))  # sorted
    assert spec.optional == ("Good Friday",) and spec.rename == (("A", "D"), ("B", "C")) and spec.check
    assert spec.country == "US" and spec.in_lieu == "both"


def test_rows_and_files_past_the_edges_are_refused(tmp_path: Path) -> None:
    refused(tmp_path, PROMPTLY + 'notes = ["a", 1]', "notes must be a list of strings")
    refused(tmp_path, PROMPTLY + 'variants = "commercial"', "variants must be tables")
    refused(tmp_path, PROMPTLY + 'url = 5', "url must be a string")
    refused(tmp_path, PROMPTLY + "counting = { check = 1 }", "check must be true or false")
    refused(tmp_path, PROMPTLY + 'counting = "receipt"', "counting: expected a table, got str")
    blank_name = tmp_path / "blank.toml"
    blank_name.write_text("[[jurisdiction]]\n" + HEAD.replace('name = "x"', 'name = "  "') + "holiday_calendar = {}\n"
                          + PROMPTLY)  # fmt: skip
    with pytest.raises(RulesFileError, match="missing name"):
        load_rules(blank_name)
    twice = tmp_path / "twice.toml"
    row = f"[[jurisdiction]]\n{HEAD}holiday_calendar = {{}}\n{PROMPTLY}"
    twice.write_text(row + row)
    with pytest.raises(RulesFileError, match="jurisdiction 'X' appears twice"):
        load_rules(twice)
    for text, message in [("", "has no [[jurisdiction]] rows"), ("jurisdiction = 1", "has no [[jurisdiction]] rows"),
                          ("[[jurisdiction", "is not valid TOML")]:  # fmt: skip
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        with pytest.raises(RulesFileError) as info:
            load_rules(bad)
        assert message in str(info.value)


def test_refusals_say_where_in_the_file(tmp_path: Path) -> None:
    """Every message starts with the file, the row and the table: the file has 17 rows and many tables."""
    where = f"{tmp_path / 'rules.toml'}, row 1 (X)"
    variant = '\n[jurisdiction.variants.bulk]\n'
    for row, message in [
        (PROMPTLY + "no_response = { deemed_denied = 1 }", f"{where} no_response: deemed_denied must be true or false"),
        (PROMPTLY + "no_response = { colour = 1 }", f"{where} no_response: unknown key(s) colour"),
        (PROMPTLY + 'no_response = { appeal_from = "x" }', f"{where} no_response: appeal_from must be one of"),
        (PROMPTLY + variant + 'label = "  "\nnote = "x"', f"{where} variant bulk: missing label"),
        (PROMPTLY + variant + "note = 1", f"{where} variant bulk: missing label"),
        (PROMPTLY + variant + 'label = "B"\ncolour = 1', f"{where} variant bulk: unknown key(s) colour"),
        (PROMPTLY + variant + 'label = "B"\nnote = 1\nresponse = { text = "x" }',
         f"{where} variant bulk: note must be"),
        (PROMPTLY + variant + 'label = "B"\nresponse = { count = 0, unit = "working" }',
         f"{where} variant bulk response: count must be"),
        (PROMPTLY + variant + 'label = "B"\nextension = { count = 0, unit = "working" }',
         f"{where} variant bulk extension: count must be"),
    ]:  # fmt: skip
        with pytest.raises(RulesFileError) as info:
            load(tmp_path, row)
        assert str(info.value).startswith(message), str(info.value)


def test_a_deemed_denial_counts_the_appeal_from_the_missed_due_date_unless_the_file_says_otherwise(
    tmp_path: Path,
) -> None:
    rule = load(tmp_path, PROMPTLY + "no_response = { deemed_denied = true }")["X"].no_response
    assert rule is not None and rule.deemed_denied and rule.appeal_from == "due_date"


def test_refusals_in_periods_counting_and_calendars_say_where(tmp_path: Path) -> None:
    where = f"{tmp_path / 'rules.toml'}, row 1 (X)"
    for row, calendar, message in [
        (PROMPTLY + 'counting = { calendar_start = "x" }', "{}",
         f"{where} counting: calendar_start must be one of next_working_day, receipt, got 'x'"),
        (PROMPTLY + 'counting = { due_on_closed = "x" }', "{}", f"{where} counting: due_on_closed must be one of"),
        (PROMPTLY + "counting = { text = 1 }", "{}", f"{where} counting: text must be a string"),
        (PROMPTLY + "counting = { check = 1 }", "{}", f"{where} counting: check must be true or false"),
        (PROMPTLY + "counting = { colour = 1 }", "{}", f"{where} counting: unknown key(s) colour"),
        (PROMPTLY + 'receipt = { channels = ["email"], count = 1, text = 1 }', "{}",
         f"{where} receipt: text must be a string"),
        (PROMPTLY + 'receipt = { channels = 1, count = 1 }', "{}", f"{where} receipt: channels must be a list"),
        ('response = { text = "x", note = 1 }', "{}", f"{where} response: note must be a string"),
        (PROMPTLY + 'appeal = { count = 0, unit = "working" }', "{}", f"{where} appeal: count must be"),
        (PROMPTLY + 'appeal = { text = "x", colour = 1 }', "{}", f"{where} appeal: unknown key(s) colour"),
        (PROMPTLY, '{ in_lieu = "x" }', f"{where} holiday_calendar: in_lieu must be one of"),
        (PROMPTLY, "{ note = 1 }", f"{where} holiday_calendar: note must be a string"),
        (PROMPTLY, "{ colour = 1 }", f"{where} holiday_calendar: unknown key(s) colour"),
        (PROMPTLY, '{ added = [{ name = "A", month = 0, day = 1 }] }',
         f"{where} holiday_calendar added: month must be"),
        (PROMPTLY, '{ added = [{ name = "A", month = 1, day = 1, colour = 2 }] }',
         f"{where} holiday_calendar added: unknown key(s) colour"),
        (PROMPTLY, '{ added = [{ name = " ", month = 1, day = 1 }] }', f"{where} holiday_calendar added: missing name"),
        (PROMPTLY + 'notes = "x"', "{}", f"{where}: notes must be a list of strings"),
        (PROMPTLY + "url = 1", "{}", f"{where}: url must be a string"),
    ]:  # fmt: skip
        with pytest.raises(RulesFileError) as info:
            load(tmp_path, row, calendar)
        assert str(info.value).startswith(message), str(info.value)


@pytest.mark.parametrize("table", ["counting", "receipt", "no_response"])
@pytest.mark.parametrize("key", ["text", "citation", "url", "note"])
def test_a_source_field_that_is_not_text_is_refused_where_it_is(tmp_path: Path, table: str, key: str) -> None:
    where = f"{tmp_path / 'rules.toml'}, row 1 (X) {table}"
    base = {"counting": "", "receipt": 'channels = ["email"], count = 1, ', "no_response": ""}[table]
    if table == "receipt" and key == "note":
        message = f"{where}: unknown key(s) note"  # a receipt rule has no note
    else:
        message = f"{where}: {key} must be a string"
    with pytest.raises(RulesFileError) as info:
        load(tmp_path, PROMPTLY + f"{table} = {{ {base}{key} = 1 }}")
    assert str(info.value) == message


@pytest.mark.parametrize(
    "row,calendar,where,key",
    [(f'response = {{ text = "x", {k} = 1 }}', "{}", " response", k) for k in ("citation", "note", "url", "start")]
    + [('response = { text = 1 }', "{}", " response", "text")]
    + [(PROMPTLY, f"{{ {k} = 1 }}", " holiday_calendar", k)
       for k in ("country", "authority", "saturday_rule", "sunday_rule", "note", "optional_rule", "agency_days", "url")]
    + [(PROMPTLY + f"{k} = 1", "{}", "", k) for k in ("appeal_body", "url")],
)  # fmt: skip
def test_a_text_field_that_is_not_text_is_refused_where_it_is(
    tmp_path: Path, row: str, calendar: str, where: str, key: str
) -> None:
    with pytest.raises(RulesFileError) as info:
        load(tmp_path, row, calendar)
    assert str(info.value) == f"{tmp_path / 'rules.toml'}, row 1 (X){where}: {key} must be a string"


def test_a_row_without_a_name_says_which_row(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(f'[[jurisdiction]]\ncode = "X"\nlaw = "x"\ncitation = "x"\nholiday_calendar = {{}}\n{PROMPTLY}')
    with pytest.raises(RulesFileError) as info:
        load_rules(path)
    assert str(info.value) == f"{path}, row 1 (X): missing name"
    path.write_text(f'[[jurisdiction]]\nname = "x"\nlaw = "x"\ncitation = "x"\nholiday_calendar = {{}}\n{PROMPTLY}')
    with pytest.raises(RulesFileError) as info:
        load_rules(path)
    assert str(info.value) == f"{path}, row 1: missing code"


def test_row_level_refusals_are_exact(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    row = "[[jurisdiction]]\n" + 'code = "X"\nname = "x"\n'
    for body, message in [
        ('law = " "\ncitation = "x"\nholiday_calendar = {}\n' + PROMPTLY, "row 1 (X): missing law"),
        ('law = "x"\ncitation = ""\nholiday_calendar = {}\n' + PROMPTLY, "row 1 (X): missing citation"),
        ('law = "x"\nholiday_calendar = {}\n' + PROMPTLY, "row 1 (X): missing citation"),
        ('law = "x"\ncitation = "x"\n' + PROMPTLY, "row 1 (X): missing holiday_calendar"),
        ('law = "x"\ncitation = "x"\nholiday_calendar = {}\nb = 1\na = 2\n' + PROMPTLY, "row 1: unknown key(s) a, b"),
        ('law = "x"\ncitation = "x"\nholiday_calendar = {}\n' + PROMPTLY + "no_response = { check = 1 }",
         "row 1 (X) no_response: check must be true or false"),
        ('law = "x"\ncitation = "x"\nholiday_calendar = {}\n' + PROMPTLY
         + 'receipt = { channels = ["email"], count = 1, check = 1 }',
         "row 1 (X) receipt: check must be true or false"),
    ]:  # fmt: skip
        path.write_text(row + body)
        with pytest.raises(RulesFileError) as info:
            load_rules(path)
        assert str(info.value) == f"{path}, {message}"
