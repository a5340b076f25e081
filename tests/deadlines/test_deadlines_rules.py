"""The rules file, configure(), and the errors callers show to users."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tracker.deadlines import (
    DateOutOfRange,
    InvalidSpan,
    Jurisdiction,
    RulesFileError,
    UnknownJurisdiction,
    add_working_days,
    appeal_due,
    calendar_for,
    configure,
    expedited_decision_due,
    explain,
    jurisdiction,
    jurisdictions,
    response_due,
    working_days_between,
)
from tracker.deadlines.rules import DEFAULT_RULES_PATH, load_rules

FRI = date(2026, 11, 20)
STATES = ["US-CA", "US-NY", "US-TX", "US-FL", "US-IL", "US-CO", "US-WA",
          "US-PA", "US-MA", "US-AZ", "US-GA", "US-NJ", "US-MI", "US-VA"]  # fmt: skip


def test_all_rows_federal_first() -> None:
    codes = [j.code for j in jurisdictions()]
    assert codes == ["US", "US-DHS", "US-DOJ", *STATES]
    for j in jurisdictions():
        assert isinstance(j, Jurisdiction)
        assert j.name and j.law and j.citation and j.response.citation
        assert j.response.count is None or j.response.unit in ("working", "calendar")


def test_federal_rows() -> None:
    us, dhs, doj = jurisdiction("US"), jurisdiction("US-DHS"), jurisdiction("US-DOJ")
    assert (us.response.count, us.response.unit) == (20, "working")
    assert us.extension is not None and (us.extension.count, us.extension.unit) == (10, "working")
    assert dhs.appeal is not None and (dhs.appeal.count, dhs.appeal.unit) == (90, "working")
    assert dhs.appeal.citation == "6 CFR 5.8(a)(1)"
    assert doj.appeal is not None and (doj.appeal.count, doj.appeal.unit) == (90, "calendar")
    assert doj.appeal.citation == "28 CFR 16.8(a)"
    assert us.holiday_calendar.subdiv is None and us.holiday_calendar.categories == ("public",)


def test_check_flags_follow_the_reference() -> None:
    assert jurisdiction("US-MA").check
    assert any("Supervisor" in n or "90-day" in n for n in jurisdiction("US-MA").check_notes())
    assert jurisdiction("US-DHS").expedited is not None and jurisdiction("US-DHS").expedited.check
    assert not jurisdiction("US").check
    # Confirmed holiday statutes: New York (Gen. Constr. Law 24) and Colorado (C.R.S. 24-11-101).
    confirmed = {"US-NY", "US-CO"}
    assert all(jurisdiction(code).holiday_calendar.check == (code not in confirmed) for code in STATES)
    assert not jurisdiction("US-CO").check  # every Colorado value now rests on statute text


def test_to_dict_carries_citations() -> None:
    d = jurisdiction("US-PA").to_dict()
    assert d["extension"] == {
        "count": 30, "unit": "calendar", "text": "interim response, then up to 30 days",
        "citation": "65 P.S. 67.902", "check": False, "note": "", "start": "",
        "url": "https://print.casetext.com/statute/pennsylvania-statutes/statutes-unconsolidated/title-65-ps-"
               "public-officers/chapter-3a-right-to-know-law/chapter-9-agency-response/section-67902-extension-of-time",
    }  # fmt: skip
    assert d["holiday_calendar"]["subdiv"] == "PA"


def test_unknown_jurisdiction_is_a_value_error_with_the_known_codes() -> None:
    with pytest.raises(UnknownJurisdiction, match="'US-ZZ'.*US-DHS") as info:
        response_due("US-ZZ", FRI)
    assert isinstance(info.value, ValueError)
    for call in (
        lambda: appeal_due("us", FRI),
        lambda: working_days_between("XX", FRI, FRI),
        lambda: explain("response", "XX", FRI),
        lambda: jurisdiction("XX"),
    ):
        with pytest.raises(UnknownJurisdiction):
            call()


@pytest.mark.parametrize("bad", [date(1999, 12, 31), date(2041, 1, 1), date(1900, 1, 1)])
def test_dates_out_of_range(bad: date) -> None:
    with pytest.raises(DateOutOfRange, match="supported range"):
        response_due("US", bad)
    with pytest.raises(DateOutOfRange):
        appeal_due("US-DHS", bad)
    with pytest.raises(DateOutOfRange):
        expedited_decision_due("US", bad)
    with pytest.raises(DateOutOfRange):
        response_due("US", FRI, tolled=[(FRI, bad)] if bad > FRI else [(bad, FRI)])
    assert issubclass(DateOutOfRange, ValueError)


def test_calendar_queries_accept_any_day_of_the_tables() -> None:
    # A due date computed from a late-2040 receipt falls in 2041 and must still count.
    due = response_due("US", date(2040, 12, 31), extended=True)
    assert due is not None and due.year == 2041
    assert working_days_between("US", due, date(2041, 3, 1)) > 0
    assert add_working_days("US", due, -30) < due
    with pytest.raises(DateOutOfRange, match="supported range"):
        working_days_between("US", date(1998, 12, 31), FRI)
    with pytest.raises(DateOutOfRange, match="calendar tables"):
        add_working_days("US", date(2043, 12, 1), 60)


def test_range_edges_work() -> None:
    assert response_due("US", date(2000, 1, 1)) == date(2000, 2, 1)  # Jan 3 is day 0; MLK Jan 17
    assert response_due("US", date(2040, 12, 31), extended=True) is not None
    assert appeal_due("US-MI", date(2040, 12, 31)) is not None


def test_datetime_is_refused() -> None:
    with pytest.raises(TypeError, match="datetime.date"):
        response_due("US", datetime(2026, 11, 20, 9, 30))


def test_bad_spans() -> None:
    with pytest.raises(InvalidSpan, match="before it was paused"):
        response_due("US", FRI, tolled=[(date(2026, 12, 4), date(2026, 11, 30))])
    with pytest.raises(InvalidSpan):
        response_due("US", FRI, tolled=[(date(2026, 12, 4),)])  # type: ignore[list-item]


def test_table_and_general_paths_agree() -> None:
    # A tolled span after every due date changes nothing but takes the general (non-table) path.
    far = [(date(2040, 12, 30), date(2040, 12, 31))]
    for j in jurisdictions():
        for received in (date(2000, 1, 1), FRI, date(2026, 11, 21), date(2027, 12, 24), date(2040, 6, 1)):
            for extended in (False, True):
                table = response_due(j.code, received, extended=extended)
                assert table == response_due(j.code, received, extended=extended, tolled=far), j.code


def test_reconfigure_with_new_closures_rebuilds_tables(restore_config: None) -> None:
    assert response_due("US", date(2025, 12, 22)) == date(2026, 1, 22)
    configure(extra_closures=[date(2025, 12, 24)])
    assert response_due("US", date(2025, 12, 22)) == date(2026, 1, 23)
    configure()
    assert response_due("US", date(2025, 12, 22)) == date(2026, 1, 22)


def test_configure_loads_an_edited_copy(tmp_path: Path, restore_config: None) -> None:
    old = 'count = 10\nunit = "calendar"\ntext = "determination within 10 days from receipt'
    text = DEFAULT_RULES_PATH.read_text()
    assert text.count(old) == 1
    edited = tmp_path / "rules.toml"
    edited.write_text(text.replace(old, old.replace("count = 10", "count = 12")))  # a newsroom's edit
    assert response_due("US-CA", date(2026, 3, 2)) == date(2026, 3, 12)
    configure(rules_path=str(edited))
    assert response_due("US-CA", date(2026, 3, 2)) == date(2026, 3, 16)  # day 12 is Saturday 03-14: CCP 12a
    configure()
    assert response_due("US-CA", date(2026, 3, 2)) == date(2026, 3, 12)


def test_bad_rules_file_keeps_the_old_configuration(tmp_path: Path, restore_config: None) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[jurisdiction]]\ncode = "US"\nname = "x"\nlaw = "x"\ncitation = "x"\n'
        'response = { count = 20, unit = "weekdays" }\nholiday_calendar = {}\n'
    )
    with pytest.raises(RulesFileError, match="unit must be one of"):
        configure(rules_path=bad)
    with pytest.raises(RulesFileError, match="Cannot read"):
        configure(rules_path=tmp_path / "missing.toml")
    assert response_due("US", FRI) == date(2026, 12, 21)


HEAD = 'code = "X"\nname = "x"\nlaw = "x"\ncitation = "x"\nholiday_calendar = {}\n'


@pytest.mark.parametrize(
    "row,message",
    [
        ("response = { count = 5 }", "both"),
        ("response = {}", "needs text"),
        ("", "missing \\[response\\]"),
        ('response = { text = "promptly" }\nextention = { text = "typo" }', "unknown key"),
        ('response = { count = 0, unit = "working" }', "positive whole number"),
        ('response = { text = "promptly" }\nnotes = "not a list"', "notes must be a list"),
    ],
)
def test_rules_validation(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(f"[[jurisdiction]]\n{HEAD}{row}\n")
    with pytest.raises(RulesFileError, match=message):
        load_rules(path)


def test_extra_closures_apply_to_federal_calendars_only(restore_config: None) -> None:
    closures = [date(2024, 12, 24), date(2025, 1, 9), date(2025, 12, 24), date(2025, 12, 26)]
    before = response_due("US", date(2025, 12, 19))
    ca_before = calendar_for(jurisdiction("US-NY")).is_working(date(2025, 12, 24))
    configure(extra_closures=closures)
    for day in closures:
        assert not calendar_for(jurisdiction("US-DHS")).is_working(day)
    assert calendar_for(jurisdiction("US-NY")).is_working(date(2025, 12, 24)) == ca_before
    after = response_due("US", date(2025, 12, 19))
    assert before is not None and after is not None
    assert working_days_between("US", before, after) == 2  # Dec 24 and 26 no longer count
    e = explain("response", "US", date(2025, 1, 6))
    holidays = [s.text for s in e.of_kind("holiday")]
    assert any("2025-01-09" in t and "Jimmy Carter" in t and "executive-order closure" in t for t in holidays)


def test_closures_in_the_rules_file(tmp_path: Path, restore_config: None) -> None:
    text = DEFAULT_RULES_PATH.read_text().replace(
        'subdiv = "VA", authority = "Virginia legal holiday',
        'subdiv = "VA", closures = [2026-11-30], exclude = ["Election Day"], authority = "Virginia legal holiday',
    )
    path = tmp_path / "rules.toml"
    path.write_text(text)
    configure(rules_path=path)
    cal = calendar_for(jurisdiction("US-VA"))
    assert not cal.is_working(date(2026, 11, 30))
    assert cal.is_working(date(2026, 11, 3))  # Election Day excluded by the newsroom


@pytest.mark.parametrize(
    "row,message",
    [
        ('response = { text = "promptly" }\ncounting = { due_on_closed = "later" }', "due_on_closed must be one of"),
        ('response = { text = "promptly" }\ncounting = { calendar_start = "sent" }', "calendar_start must be one of"),
        ('response = { text = "promptly" }\nreceipt = { channels = [], count = 1 }', "channels must be a list"),
        ('response = { text = "promptly" }\nno_response = { deemed_denied = "yes" }', "deemed_denied must be true"),
        ('response = { text = "promptly" }\nno_response = { appeal_from = "today" }', "appeal_from must be one of"),
        ('response = { count = 5, unit = "working", start = "filing" }', "start must be"),
        ('response = { text = "promptly" }\n[jurisdiction.variants.x]\nlabel = "X"', "changes the response"),
    ],
)
def test_state_rule_validation(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(f"[[jurisdiction]]\n{HEAD}{row}\n")
    with pytest.raises(RulesFileError, match=message):
        load_rules(path)


@pytest.mark.parametrize(
    "calendar,message",
    [
        ('{ in_lieu = "saturday" }', "in_lieu must be one of"),
        ('{ added = [{ name = "X", month = 13, day = 1 }] }', "month must be 1 to 12"),
        ('{ added = [{ name = "X", month = 2, day = 30 }] }', "not a day of month 2"),
        ('{ added = [{ name = "X", month = 11, weekday = "Tue", nth = 1 }] }', "give day, or weekday"),
        ('{ added = [{ name = "X", month = 11, weekday = "Monday", nth = 1, offset = 9 }] }', "offset must be"),
        ('{ optional = "Good Friday" }', "optional must be a list"),
        ('{ rename = { "A" = 1 } }', "rename must map"),
    ],
)
def test_state_calendar_validation(tmp_path: Path, calendar: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    head = HEAD.replace("holiday_calendar = {}", f"holiday_calendar = {calendar}")
    path.write_text(f'[[jurisdiction]]\n{head}response = {{ text = "promptly" }}\n')
    with pytest.raises(RulesFileError, match=message):
        load_rules(path)
