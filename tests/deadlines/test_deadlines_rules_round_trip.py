"""Every value of the rules file comes back out of Jurisdiction.to_dict() under its own key, with the documented
default where the file leaves it out: the settings page and the API show these dicts, so a value dropped or
filed under another key would show the newsroom a rule it never wrote."""

from __future__ import annotations

import tomllib

import pytest

from tracker.deadlines import jurisdiction
from tracker.deadlines.rules import DEFAULT_RULES_PATH, PERIOD_FIELDS

ROWS = tomllib.loads(DEFAULT_RULES_PATH.read_text())["jurisdiction"]

SOURCE = {"text": "", "citation": "", "url": "", "check": False}
PERIOD = {"count": None, "unit": None, **SOURCE, "note": "", "start": ""}
COUNTING = {"calendar_start": "next_working_day", "due_on_closed": "keep", **SOURCE, "note": ""}
RECEIPT = dict(SOURCE)
NO_RESPONSE = {"deemed_denied": False, "appeal_from": "due_date", **SOURCE, "note": ""}
CALENDAR = {
    "country": "US", "subdiv": None, "categories": ["public"], "authority": "", "exclude": [], "closures": [],
    "saturday_rule": "", "sunday_rule": "", "check": False, "note": "", "in_lieu": "both", "optional": [],
    "optional_rule": "", "agency_days": "", "added": [], "rename": {}, "url": "",
}  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def period(raw: dict | None) -> dict | None:
    return None if raw is None else PERIOD | raw


def added(raw: dict) -> dict:
    if "day" in raw:
        return raw
    return {"offset": 0} | raw


def expected(row: dict) -> dict:
    """The row as the file says it, with every default written out (read from the file, not from the code)."""
    calendar = CALENDAR | row["holiday_calendar"]
    calendar["closures"] = [d.isoformat() for d in calendar["closures"]]
    calendar["added"] = [added(a) for a in calendar["added"]]
    return {
        **{key: row.get(key, "") for key in ("code", "name", "law", "citation", "appeal_body", "url")},
        **{name: period(row.get(name)) for name in PERIOD_FIELDS},
        "holiday_calendar": calendar,
        "notes": row.get("notes", []),
        "counting": COUNTING | row["counting"] if "counting" in row else None,
        "receipt": RECEIPT | row["receipt"] if "receipt" in row else None,
        "no_response": NO_RESPONSE | row["no_response"] if "no_response" in row else None,
        "variants": [
            {"key": key, "label": v["label"], "note": v.get("note", ""),
             "response": period(v.get("response")), "extension": period(v.get("extension"))}
            for key, v in row.get("variants", {}).items()
        ],
    }  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=[row["code"] for row in ROWS])
def test_to_dict_gives_back_the_file(row: dict) -> None:
    d = jurisdiction(row["code"]).to_dict()
    assert d.pop("check") == jurisdiction(row["code"]).check
    assert d == expected(row)


def test_the_file_uses_every_optional_section_the_round_trip_checks() -> None:
    """Otherwise the test above would pass for a section no row has (and check nothing)."""
    assert {"counting", "receipt", "no_response", "variants"} <= {key for row in ROWS for key in row}
    added_days = [a for row in ROWS for a in row["holiday_calendar"].get("added", [])]
    assert any("day" in a for a in added_days) and any("weekday" in a for a in added_days)
    assert any(a.get("weekday") in WEEKDAYS and a.get("offset") for a in added_days)
    assert any(row["holiday_calendar"].get(key) for row in ROWS for key in ("rename", "optional", "closures"))
