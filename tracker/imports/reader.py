"""Reading an uploaded spreadsheet saved as CSV: its encoding, its delimiter, its header and its rows.

Excel on Windows saves "CSV" in Windows-1252 and in some locales with semicolons; Google Sheets and Numbers
save UTF-8 with commas. All of these are read; a workbook (.xlsx) is recognised and refused with a way out.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from tracker.core.errors import ValidationFailed

MAX_ROWS = 50_000  # the command line's limit; the web's is lower (see services.WEB_MAX_ROWS)
MAX_COLUMNS = 200
MAX_CELL = 100_000


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)  # data rows, each as long as the header
    numbers: list[int] = field(default_factory=list)  # each data row's number in the spreadsheet (header: 1)
    encoding: str = "utf-8"
    delimiter: str = ","
    overflowing: set[int] = field(default_factory=set)  # rows with more cells than the header has columns


def _refuse(message: str):
    raise ValidationFailed(message, {"file": message})


def decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"PK\x03\x04"):
        _refuse("This is an Excel or OpenDocument workbook, not a CSV file. In your spreadsheet program choose "
                "File › Save As (or Download) › “CSV UTF-8”, and upload that file.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _headers(raw: list[str]) -> list[str]:
    headers, seen = [], {}
    for number, name in enumerate(raw, 1):
        name = " ".join(name.replace("\x00", "").split())[:200] or f"Column {number}"
        if name.casefold() in seen:
            seen[name.casefold()] += 1
            name = f"{name} ({seen[name.casefold()]})"
        seen[name.casefold()] = 1
        headers.append(name)
    return headers


def read_table(data: bytes, max_rows: int = MAX_ROWS, *, too_many: str = "Split it into smaller files.") -> Table:
    """The table in the file, or ValidationFailed({"file": ...}) saying what is wrong with it."""
    if not data.strip():
        _refuse("The file is empty.")
    text, encoding = decode(data)
    if "\x00" in text:
        _refuse("The file contains NUL bytes: it does not look like a CSV file. Save it as “CSV UTF-8”.")
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table | None = None
    try:
        for index, row in enumerate(reader):
            if table is None:
                if len(row) > MAX_COLUMNS:
                    _refuse(f"The file has {len(row)} columns; at most {MAX_COLUMNS} can be imported.")
                table = Table(headers=_headers(row), encoding=encoding, delimiter=delimiter)
                continue
            if not any(cell.strip() for cell in row):
                continue  # blank lines between rows are common; they are not requests
            if len(table.rows) >= max_rows:
                _refuse(f"The file has more than {max_rows:,} rows. {too_many}")
            if any(len(cell) > MAX_CELL for cell in row):
                _refuse(f"Row {index + 1} has a cell longer than {MAX_CELL:,} characters.")
            width = len(table.headers)
            if any(cell.strip() for cell in row[width:]):
                table.overflowing.add(len(table.rows))
            table.rows.append((row + [""] * width)[:width])
            table.numbers.append(index + 1)
    except csv.Error as exc:
        _refuse(f"The file could not be read as CSV near row {reader.line_num}: {exc}.")
    if table is None:
        _refuse("The file is empty.")
    if not table.rows:
        _refuse("The file has a header but no rows.")
    return table
