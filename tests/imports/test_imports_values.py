"""Reading cells and files the way spreadsheets write them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tracker.core.csv import guard, unguard
from tracker.core.errors import ValidationFailed
from tracker.imports.columns import BY_NAME
from tracker.imports.mapping import Mapping, guess
from tracker.imports.reader import read_table
from tracker.imports.values import BadValue, parse_cell


@pytest.mark.parametrize(("text", "day_first", "expected"), [
    ("2026-11-20", False, date(2026, 11, 20)),
    ("2026-11-20 00:00:00", False, date(2026, 11, 20)),
    ("11/20/2026", False, date(2026, 11, 20)),
    ("11/20/26", False, date(2026, 11, 20)),
    ("20/11/2026", True, date(2026, 11, 20)),
    ("3.4.2026", True, date(2026, 4, 3)),
])
def test_dates(text, day_first, expected):
    assert parse_cell(BY_NAME["sent_on"], text, day_first=day_first) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("20/11/2026", "is the day/month order right? Choose it on the mapping page"),
    ("2026-02-30", "There is no such date"),
    ("last week", "Not a date: write it YYYY-MM-DD or MM/DD/YYYY"),
])
def test_bad_dates_say_why(text, message):
    with pytest.raises(BadValue, match=message.replace("?", r"\?")):
        parse_cell(BY_NAME["sent_on"], text)


def test_money_counts_choices_and_exemptions():
    assert parse_cell(BY_NAME["fees_paid"], "$1,234.50") == Decimal("1234.50")
    assert parse_cell(BY_NAME["pages_released"], "1,200") == 1200
    assert parse_cell(BY_NAME["status"], "Appeal pending") == "appealed"
    assert parse_cell(BY_NAME["outcome"], "granted in part") == "granted_in_part"
    assert parse_cell(BY_NAME["channel"], "In person") == "in_person"
    assert parse_cell(BY_NAME["exemptions"], "(b)(6), (b)(7)(C)") == ["b6", "b7C"]
    assert parse_cell(BY_NAME["exemptions"], "b6; b7c; 5") == ["b6", "b7C", "b5"]
    assert parse_cell(BY_NAME["private"], "Yes") is True and parse_cell(BY_NAME["private"], "n") is False
    for column, text in (("fees_paid", "-5"), ("fees_paid", "1.234"), ("pages_released", "12.5"),
                         ("status", "pending"), ("exemptions", "b10"), ("private", "maybe")):
        with pytest.raises(BadValue):
            parse_cell(BY_NAME[column], text)


def test_pauses():
    spans = parse_cell(BY_NAME["tolled"], "fees 2026-11-20 to; clarification 2026-11-02 to 2026-11-09")
    assert spans == [("clarification", date(2026, 11, 2), date(2026, 11, 9)), ("fees", date(2026, 11, 20), None)]
    for text in ("clarification 2026-11-09 to 2026-11-02", "fees 2026-11-01 to; fees 2026-11-05 to 2026-11-06",
                 "waiting since May"):
        with pytest.raises(BadValue):
            parse_cell(BY_NAME["tolled"], text)


def test_formula_guard_round_trips():
    for text in ("=HYPERLINK(\"x\")", "+1", "-b", "@home", "'=already", "plain", "'quoted'"):
        assert unguard(guard(text)) == text
    assert guard("=1+1") == "'=1+1"


def test_files_from_excel_and_sheets():
    excel = "Title;Agency;Sent\r\nCaf\xe9 report;ICE;11/20/2026\r\n\r\n".encode("cp1252")
    table = read_table(excel)
    assert table.encoding == "windows-1252" and table.delimiter == ";" and table.rows == [["Café report", "ICE",
                                                                                               "11/20/2026"]]
    sheets = "\ufefftitle,agency,title\n\"Line one\nline two\",DHS,again\nx,y,z,extra\n".encode()
    table = read_table(sheets)
    assert table.headers == ["title", "agency", "title (2)"] and table.numbers == [2, 3]
    assert table.overflowing == {1}
    for data, message in ((b"", "empty"), (b"a,b\n", "no rows"), (b"PK\x03\x04rest", "workbook")):
        with pytest.raises(ValidationFailed, match=message):
            read_table(data)


def test_mapping_guess_and_shape():
    headers = ["Request", "Agency name", "Date filed", "FOIA number", "Determination", "Notes"]
    assert guess(headers) == {"title": "Request", "agency": "Agency name", "sent_on": "Date filed",
                              "tracking_number": "FOIA number", "outcome": "Determination"}
    with pytest.raises(ValidationFailed) as refused:
        Mapping.from_json({"columns": {"owner": "x", "title": 3}, "dates": "yesterday", "extra": 1})
    assert set(refused.value.fields) == {"mapping", "columns", "dates"}
    mapping = Mapping.from_json({"columns": {"title": "Request"}})
    assert mapping.problems(headers) == {"agency": "Choose the column that holds the agency."}
