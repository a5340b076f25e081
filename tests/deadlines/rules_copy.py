"""A copy of the packaged rules file with small edits, as a newsroom would make (for configure(rules_path=...))."""

from __future__ import annotations

from pathlib import Path

from tracker.deadlines.rules import DEFAULT_RULES_PATH


def edit_rows(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """The rules with one text replacement inside each named row; each replaced text must occur once there."""
    rows = DEFAULT_RULES_PATH.read_text().split("[[jurisdiction]]")
    for code, (old, new) in edits.items():
        (i,) = [i for i, row in enumerate(rows) if f'\ncode = "{code}"\n' in row]
        assert rows[i].count(old) == 1, (code, old)
        rows[i] = rows[i].replace(old, new)
    path = tmp_path / "rules.toml"
    path.write_text("[[jurisdiction]]".join(rows))
    return path
