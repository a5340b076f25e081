"""The CSV formula guard, one dangerous first character at a time: a spreadsheet runs a cell that starts with
=, +, -, @, a tab or a carriage return as a formula, so the export puts a ' before it and the import takes it
off again. Anything else passes untouched."""

from __future__ import annotations

import csv
import io

import pytest

from tests.helpers import make_agency, make_request
from tracker.core.csv import guard, unguard
from tracker.imports.export import csv_lines

DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("first", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_each_dangerous_first_character_is_guarded_and_unguarded(first):
    cell = f"{first}HYPERLINK(\"http://evil.example\")"
    assert guard(cell) == "'" + cell
    assert unguard("'" + cell) == cell
    assert guard(first) == "'" + first  # the character alone
    assert unguard("'" + first) == first


@pytest.mark.parametrize("first", DANGEROUS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_a_cell_that_already_starts_with_a_guard_keeps_its_own(first):
    """"'=x" typed by a person must come back as "'=x", not "=x": it gets a second quote."""
    typed = "'" + first + "1"
    assert guard(typed) == "''" + first + "1"
    assert unguard(guard(typed)) == typed
    assert guard("''x") == "'''x" and unguard("'''x") == "''x"


@pytest.mark.parametrize("cell", ["plain", "", "'", "'quoted'", "O'Brien", "a=b", " =1", "1-2", "\n=1", "x\t"])
def test_harmless_cells_pass_untouched(cell):
    assert guard(cell) == cell
    assert unguard(cell) == cell


def test_the_export_guards_what_people_typed(db, users, frozen):
    req = make_request(users["reporter"], make_agency(), title="=HYPERLINK(\"http://evil.example\",\"click\")")
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO("".join(csv_lines([req])))))
    assert rows[0]["title"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
