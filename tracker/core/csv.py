"""Cells of every CSV the tracker writes: text a spreadsheet would run as a formula is guarded with a leading
apostrophe, and the CSV import takes the apostrophe off again."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unguard(text: str) -> str:
    """Undo the export's guard against spreadsheet formulas: a leading ' before =, +, -, @."""
    if text.startswith("'") and text[1:2] and text[1] in (*FORMULA_START, "'"):
        return text[1:]
    return text


def guard(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading ' (undone by the import)."""
    if text.startswith(FORMULA_START) or (text.startswith("'") and text[1:2] and text[1] in (*FORMULA_START, "'")):
        return "'" + text
    return text
