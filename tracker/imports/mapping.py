"""A mapping says which spreadsheet column feeds which request field, how to read dates, and what to do with
agency names that are not in the directory. It is plain JSON, so it can be saved, downloaded and given to
`tracker import-csv --mapping M.json`:

    {"columns": {"title": "Request", "agency": "Agency", "sent_on": "Date filed"},
     "agencies": {"Immigration & Customs Enforcement": "ICE FOIA Office"},
     "new_agencies": {"Texas Department of Public Safety": "US-TX"},
     "dates": "us", "default_channel": "portal"}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.core.errors import ValidationFailed
from tracker.imports.columns import BY_NAME, COLUMNS, IMPORTABLE, REQUIRED
from tracker.requests.status import CHANNELS

DATE_ORDERS = {"us": "Month first: 11/20/2026", "day_first": "Day first: 20/11/2026"}
MAX_NAME = 300


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)  # field name -> spreadsheet header
    agencies: dict[str, str] = field(default_factory=dict)  # spreadsheet value -> name of an existing agency
    new_agencies: dict[str, str] = field(default_factory=dict)  # spreadsheet value -> jurisdiction of a new one
    dates: str = "us"
    default_channel: str = "portal"  # when no "Sent by" column says how a request went out

    @property
    def day_first(self) -> bool:
        return self.dates == "day_first"

    def to_json(self) -> dict:
        return {"columns": dict(self.columns), "agencies": dict(self.agencies),
                "new_agencies": dict(self.new_agencies), "dates": self.dates,
                "default_channel": self.default_channel}

    @classmethod
    def from_json(cls, data) -> Mapping:
        """Check the shape of a mapping (from a file, a saved mapping or a form); say what is wrong."""
        if not isinstance(data, dict):
            raise ValidationFailed("The mapping must be a JSON object.", {"mapping": "Must be a JSON object."})
        errors: dict[str, str] = {}
        unknown = set(data) - {"columns", "agencies", "new_agencies", "dates", "default_channel"}
        if unknown:
            errors["mapping"] = "Unknown keys: " + ", ".join(sorted(str(k) for k in unknown)) + "."
        mapping = cls(dates=data.get("dates", "us"), default_channel=data.get("default_channel", "portal"))
        for key in ("columns", "agencies", "new_agencies"):
            value = data.get(key, {})
            if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and k.strip()
                                                      and len(k) <= MAX_NAME and len(v) <= MAX_NAME
                                                      for k, v in value.items()):
                errors[key] = "Must be an object of text to text."
            else:
                setattr(mapping, key, {k.strip(): v.strip() for k, v in value.items() if v.strip()})
        bad = [name for name in mapping.columns if name not in BY_NAME or not BY_NAME[name].importable]
        if bad:
            errors["columns"] = "Unknown fields: " + ", ".join(sorted(bad)) + "."
        if mapping.dates not in DATE_ORDERS:
            errors["dates"] = "Must be " + " or ".join(DATE_ORDERS) + "."
        if mapping.default_channel not in CHANNELS:
            errors["default_channel"] = "Must be one of: " + ", ".join(CHANNELS) + "."
        if errors:
            raise ValidationFailed("The mapping has errors.", errors)
        return mapping

    def problems(self, headers: list[str]) -> dict[str, str]:
        """What keeps this mapping from reading a file with these headers."""
        errors = {}
        for name in REQUIRED:
            if not self.columns.get(name):
                errors[name] = f"Choose the column that holds the {BY_NAME[name].label.lower()}."
        for name, header in self.columns.items():
            if header not in headers:
                errors[name] = f"The file has no column “{header}”."
        return errors


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _contains(header: str, candidate: str) -> bool:
    return f" {candidate} " in f" {header} "


def guess(headers: list[str]) -> dict[str, str]:
    """Fields whose name, label or a usual synonym matches a header (ignoring case and punctuation): exact
    matches first, then headers that contain one of those words, e.g. "Date filed (portal)"."""
    computed = {_norm(n) for c in COLUMNS if not c.importable for n in (c.name, c.label)}  # the export's own
    normalised = [(_norm(h), h) for h in headers if _norm(h) not in computed]
    columns: dict[str, str] = {}
    taken: set[str] = set()
    rounds = (("name", lambda h, c: h == c), ("synonym", lambda h, c: h == c),
              ("name", _contains), ("synonym", _contains))
    for names_from, matches in rounds:
        for column in IMPORTABLE:
            if column.name in columns:
                continue
            candidates = (column.name, column.label) if names_from == "name" else column.synonyms
            for candidate in (_norm(c) for c in candidates):
                header = next((h for n, h in normalised if h not in taken and len(candidate) >= 4
                               and matches(n, candidate)), None)
                if header is not None:
                    columns[column.name] = header
                    taken.add(header)
                    break
    return columns
