"""The ledger as a file, built once for the web pages and the API: one row per matter, as CSV (labelled
columns a spreadsheet reads) or JSON (the ledger rows with dates as ISO 8601 text)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date

from tracker.auth.models import User
from tracker.core.csv import guard
from tracker.ledger import disclosure
from tracker.ledger import queries as ledger

CSV_COLUMNS = (
    ("id", "Matter ID"), ("title", "Matter"), ("category_label", "Category"), ("place", "Place"),
    ("opr_case_number", "OPR case number"), ("state_label", "Disclosure state"),
    ("derived_state_label", "Derived state"), ("override_reason", "Editor's reason for the state"),
    ("why", "Why"), ("first_requested_on", "First requested"),
    ("undisclosed_days", "Days undisclosed since first requested"),
    ("pending_working_days", "Working days the oldest pending request has waited"),
    ("disclosed_on", "Disclosed on"), ("requests_sent", "Requests sent"), ("requests_pending", "Pending"),
    ("requests_withheld", "Denied or no records"), ("requests_released_in_part", "Released in part"),
    ("requests_released_in_full", "Released in full"), ("pages_released", "Pages released"),
    ("pages_withheld", "Pages withheld"), ("exemptions_cited", "Exemptions in force"), ("url", "Link"),
    ("published_text", "Published"), ("stories", "Stories published"), ("latest_story_headline", "Latest story"),
    ("latest_story_on", "Latest story published on"), ("latest_story_url", "Latest story link"),
)


def filename(day: date, fmt: str) -> str:
    return f"opr-matters-ledger-{day.isoformat()}.{fmt}"


def rows(viewer: User, filters: ledger.LedgerFilters, day: date, link: Callable[[int], str]) -> list[dict]:
    """The ledger rows this viewer may see, each with its link (`link(matter_id)`, an absolute URL)."""
    return [{**row, "url": link(row["id"])} for row in ledger.ledger_rows(viewer, filters, day)]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return guard(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _flat(row: dict) -> dict:
    flat = dict(row)
    flat["override_reason"] = row["override"]["reason"] if row["override"] else ""
    for key, value in row["requests"].items():
        flat[f"requests_{key}"] = value
    flat["published_text"] = "yes" if row.get("published") else "no"
    latest = row.get("latest_story") or {}
    flat["latest_story_headline"] = latest.get("headline")
    flat["latest_story_on"] = latest.get("published_on")
    flat["latest_story_url"] = latest.get("url")
    return flat


def as_csv(rows_: list[dict]) -> str:
    """The CSV text, with a byte-order mark so spreadsheets read it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _key, label in CSV_COLUMNS])
    for row in rows_:
        flat = _flat(row)
        writer.writerow([_cell(flat.get(key)) for key, _label in CSV_COLUMNS])
    return "\ufeff" + out.getvalue()


def as_document(rows_: list[dict], filters: ledger.LedgerFilters, day: date) -> dict:
    """The JSON document: when, which filters, the states, and the rows."""
    return {"as_of": day.isoformat(), "filters": filters.as_args(), "count": len(rows_),
            "states": disclosure.STATES, "matters": [ledger.jsonable(row) for row in rows_]}


def as_json(rows_: list[dict], filters: ledger.LedgerFilters, day: date) -> str:
    return json.dumps(as_document(rows_, filters, day), ensure_ascii=False, indent=1)
