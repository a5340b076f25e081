"""Run an import, or its dry run: every row through the real services, each in its own savepoint, so every
row's problems are found in one pass. The caller decides: a dry run (or any problem) rolls everything back;
a clean import commits once. Nothing here commits.

    run = ImportRun(table, mapping, actor=user, now=now, today=day, storage=storage, dry_run=True)
    for done in run.steps(): ...         # progress, one step per row
    run.report                           # JSON-able: what was (or would be) imported, every row's problems
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from tracker.agencies import services as agency_services
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.errors import ActionNotAllowed, TrackerError
from tracker.core.storage import Storage
from tracker.extensions import db
from tracker.imports.columns import BY_NAME
from tracker.imports.mapping import Mapping
from tracker.imports.plan import PlanError, request_data, status_problem, steps_for
from tracker.imports.reader import Table
from tracker.imports.values import BadValue, parse_cell
from tracker.matters.models import Matter
from tracker.requests import lifecycle, services
from tracker.requests.access import visible_to
from tracker.requests.models import RecordsRequest
from tracker.requests.status import ACTIONS


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


class AgencyIndex:
    """Agencies by name, abbreviation or "Name (ABBR)", case and spacing ignored."""

    def __init__(self):
        self.by_key: dict[str, dict[int, Agency]] = {}
        for agency in db.session.scalars(select(Agency)):
            self.add(agency)

    def add(self, agency: Agency, *names: str) -> None:
        for name in (agency.name, agency.abbreviation, agency.label, *names):
            if name:
                self.by_key.setdefault(_key(name), {})[agency.id] = agency

    def find(self, name: str) -> list[Agency]:
        return list(self.by_key.get(_key(name), {}).values())


class ImportRun:
    def __init__(self, table: Table, mapping: Mapping, *, actor: User, now: datetime, today: date,
                 storage: Storage, dry_run: bool):
        self.table, self.mapping, self.actor = table, mapping, actor
        self.now, self.today, self.storage, self.dry_run = now, today, storage, dry_run
        self.rows: list[dict] = []  # rows with problems
        self.unknown_agencies: dict[str, list[int]] = {}
        self.problems: list[str] = []
        self.request_ids: list[int] = []
        self.seen: dict[tuple, int] = {}  # (agency, title, sent_on) -> row number, to catch duplicates
        self.existing: dict[tuple, int] | None = None  # the same key -> a request already in the tracker

    # --- the run ------------------------------------------------------------------------------------

    def steps(self) -> Iterator[int]:
        """Yields the number of rows done after each row."""
        if problems := self.mapping.problems(self.table.headers):
            self.problems.extend(problems.values())
            return
        _begin_outer_transaction()
        self.agencies = AgencyIndex()
        self._prepare_agencies()
        self.matters = {_key(m.title): m for m in db.session.scalars(select(Matter))}
        for index, cells in enumerate(self.table.rows):
            self._row(index, cells)
            yield index + 1

    @property
    def report(self) -> dict[str, Any]:
        total = len(self.table.rows)
        clean = not self.rows and not self.problems and not self.unknown_agencies
        return {
            "dry_run": self.dry_run, "total": total, "ok": len(self.request_ids),
            "imported": len(self.request_ids) if clean and not self.dry_run else 0,
            "request_ids": self.request_ids if clean and not self.dry_run else [],
            "rows": self.rows, "problems": self.problems,
            "unknown_agencies": [{"name": n, "rows": r} for n, r in sorted(self.unknown_agencies.items())],
            "at": now_utc().isoformat(),
        }

    @property
    def clean(self) -> bool:
        return not self.rows and not self.problems and not self.unknown_agencies

    # --- agencies: aliases and new ones, from the mapping --------------------------------------------

    def _prepare_agencies(self) -> None:
        for value, target in self.mapping.agencies.items():
            found = self.agencies.find(target)
            if len(found) != 1:
                self.problems.append(f"“{value}” is mapped to the agency “{target}”, which is "
                                     f"{'not in the directory' if not found else 'ambiguous'}.")
                continue
            self.agencies.add(found[0], value)
        if not self.mapping.new_agencies:
            return
        used = {_key(self._cell(cells, "agency")) for cells in self.table.rows}
        wanted = {name: code for name, code in self.mapping.new_agencies.items() if _key(name) in used}
        if wanted and not self.actor.is_admin:
            self.problems.append("Only administrators can add agencies to the directory. Map "
                                 + ", ".join(f"“{n}”" for n in sorted(wanted)) + " to agencies already there, or "
                                 "ask an administrator to add them.")
            return
        for name, code in sorted(wanted.items()):
            if self.agencies.find(name):
                continue  # it is in the directory after all
            savepoint = db.session.begin_nested()
            try:
                agency = agency_services.save_agency(None, {"name": name, "jurisdiction": code})
                savepoint.commit()
                self.agencies.add(agency)
            except TrackerError as exc:
                savepoint.rollback()
                self.problems.append(f"Could not add the agency “{name}”: " + " ".join(exc.fields.values()))

    # --- one row -----------------------------------------------------------------------------------

    def _cell(self, cells: list[str], name: str) -> str:
        header = self.mapping.columns.get(name)
        return cells[self.table.headers.index(header)] if header in self.table.headers else ""

    def _problem(self, number: int, title: str, name: str, message: str, cells: list[str] | None = None) -> None:
        header = self.mapping.columns.get(name, "")
        value = self._cell(cells, name)[:200] if cells is not None and name else ""
        entry = next((r for r in self.rows if r["row"] == number), None)
        if entry is None:
            entry = {"row": number, "title": title[:300], "problems": []}
            self.rows.append(entry)
        if name and any(p["field"] == name for p in entry["problems"]):
            return  # one problem per cell: the first says what to fix; later ones follow from it
        entry["problems"].append({"field": name, "column": header, "value": value, "message": message})

    def _row(self, index: int, cells: list[str]) -> None:
        number = self.table.numbers[index]
        values: dict[str, Any] = {}
        problem = self._problem
        title = self._cell(cells, "title").strip()
        if index in self.table.overflowing:
            problem(number, title, "", "The row has more cells than the header has columns: a comma inside a value "
                                       "may be missing its quotes.")
        for name in self.mapping.columns:
            raw = self._cell(cells, name)
            if not raw.strip():
                continue
            try:
                values[name] = parse_cell(BY_NAME[name], raw, day_first=self.mapping.day_first)
            except BadValue as exc:
                problem(number, title, name, str(exc), cells)
        if not values.get("title"):
            problem(number, title, "title", "The title is empty.", cells)
        agency = self._agency(number, title, values.get("agency"), cells)
        matter_ids = self._matters(number, title, values.get("matters", []), cells)
        try:
            plan = steps_for(values, self.mapping.default_channel)
        except PlanError as exc:
            problem(number, title, exc.field, exc.message, cells)
            plan = None
        if agency is not None and values.get("title"):
            key = (agency.id, _key(values["title"]), values.get("sent_on"))
            if key in self.seen:
                problem(number, title, "title", f"The same request (title, agency and date sent) is also in row "
                                                f"{self.seen[key]}.", cells)
            else:
                self.seen[key] = number
            twin = self._existing(agency, values["title"], values.get("sent_on"))
            if twin is not None:
                problem(number, title, "title", f"This request seems to be in the tracker already (request "
                                                f"#{twin}: same title, agency and date sent).", cells)
        if any(r["row"] == number for r in self.rows) or agency is None or plan is None:
            return
        self._replay(number, title, values, agency, matter_ids, plan, cells)

    def _agency(self, number: int, title: str, name: str | None, cells) -> Agency | None:
        if not name:
            self._problem(number, title, "agency", "The agency is empty.", cells)
            return None
        found = self.agencies.find(name)
        if len(found) == 1:
            return found[0]
        if found:
            self._problem(number, title, "agency", f"“{name}” matches several agencies ("
                          + "; ".join(a.label for a in found) + "): map it to one of them.", cells)
        else:
            self.unknown_agencies.setdefault(name, []).append(number)
            self._problem(number, title, "agency", f"“{name}” is not in the agency directory.", cells)
        return None

    def _matters(self, number: int, title: str, titles: list[str], cells) -> list[int]:
        ids = []
        for matter_title in titles:
            matter = self.matters.get(_key(matter_title))
            if matter is None:
                self._problem(number, title, "matters", f"There is no OPR matter titled “{matter_title}”.", cells)
            else:
                ids.append(matter.id)
        return ids

    def _existing(self, agency: Agency, title: str, sent_on: date | None) -> int | None:
        """A request already in the tracker with the same agency, title and date sent (loaded once, up front:
        one query, not one per row). Only among those the importer may see: naming a colleague's private
        request would confirm its title to someone who only guessed it."""
        if self.existing is None:
            self.existing = {}
            rows = db.session.execute(select(RecordsRequest.id, RecordsRequest.agency_id, RecordsRequest.title,
                                             RecordsRequest.sent_on).where(visible_to(self.actor))
                                      .order_by(RecordsRequest.id))
            for request_id, agency_id, existing_title, existing_sent in rows:
                self.existing.setdefault((agency_id, _key(existing_title), existing_sent), request_id)
        return self.existing.get((agency.id, _key(title), sent_on))

    def _replay(self, number: int, title: str, values: dict, agency: Agency, matter_ids: list[int], plan,
                cells) -> None:
        savepoint = db.session.begin_nested()
        field = "title"
        try:
            req = services.create_request(actor=self.actor, now=self.now, today=self.today,
                                          data={**request_data(values), "agency_id": agency.id},
                                          matter_ids=matter_ids)
            for step in plan:
                field = _field_of(step.action)
                if req.status == "in_mediation" and req.status not in ACTIONS[step.action].allowed_from:
                    lifecycle.perform(req, "end_mediation", lifecycle.ActionInput(on=step.on), actor=self.actor,
                                     now=self.now, today=self.today, storage=self.storage)
                try:
                    lifecycle.perform(req, step.action, step.input, actor=self.actor, now=self.now,
                                     today=self.today, storage=self.storage)
                except ActionNotAllowed as exc:
                    if step.action == "close":
                        raise ActionNotAllowed("A request can be closed only after a determination, mediation or "
                                               "lawsuit. If it was withdrawn, set the status to Withdrawn.") from exc
                    raise
            field = "status"
            if message := status_problem(values.get("status"), req.status):
                raise TrackerError(message)
            field = "title"
            fixes = {name: values.get(name) for name in ("our_answer_due_on", "fees_estimated", "fees_paid")
                     if values.get(name) != getattr(req, name)}
            if fixes:
                services.update_request(req, actor=self.actor, now=self.now, today=self.today, data=fixes)
            savepoint.commit()
            self.request_ids.append(req.id)
        except TrackerError as exc:
            savepoint.rollback()
            for name, message in (exc.fields or {"": exc.message}).items():
                self._problem(number, title, _column_of(name, field), message, cells)


def _begin_outer_transaction() -> None:
    """The rows' savepoints must nest in a transaction that the caller alone commits or rolls back.

    PostgreSQL is always in one. Python's sqlite3 begins one only before a write, and a SAVEPOINT issued
    outside a transaction starts one that its own RELEASE commits: a dry run whose first statement is a
    savepoint would keep its rows. So on SQLite, begin explicitly when nothing has been written yet.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def _field_of(action: str) -> str:
    return {"file": "sent_on", "acknowledge": "acknowledged_on", "request_clarification": "tolled",
            "answer_clarification": "tolled", "fee_estimate": "tolled", "fee_agreed": "tolled",
            "extend": "extended_on", "determine": "determined_on", "appeal": "appeal_filed_on",
            "appeal_extend": "appeal_extended_on", "decide_appeal": "appeal_decided_on", "mediate": "mediation_on",
            "sue": "lawsuit_on", "close": "closed_on", "withdraw": "closed_on"}.get(action, "")


def _column_of(service_field: str, step_field: str) -> str:
    """Which spreadsheet field a service's complaint is about."""
    if service_field == "tracking_number":
        return {"appeal_filed_on": "appeal_tracking_number", "mediation_on": "ogis_case_number",
                "lawsuit_on": "case_number"}.get(step_field, "tracking_number")
    if service_field == "outcome":
        return "appeal_outcome" if step_field == "appeal_decided_on" else "outcome"
    if service_field in ("agency_id", "matter_ids"):
        return {"agency_id": "agency", "matter_ids": "matters"}[service_field]
    if service_field in BY_NAME and BY_NAME[service_field].importable:
        return service_field
    return step_field
