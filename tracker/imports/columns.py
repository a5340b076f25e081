"""The columns of a request in a spreadsheet: the export writes them, the import reads them.

Export -> import reproduces the requests: the lifecycle dates are replayed as the lifecycle actions, so the
imported requests get the same status, deadlines and timeline as if they had been followed in the tracker.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.requests.status import APPEAL_OUTCOMES, CHANNELS, EXPEDITED_CATEGORIES, FEE_CATEGORIES, OUTCOMES, STATUSES


@dataclass(frozen=True)
class Column:
    name: str  # the header the export writes, and the key in a mapping
    label: str  # what the mapping page calls it
    kind: str  # text, date, bool, money, count, enum, agency, matters, exemptions, tolled
    help: str = ""
    choices: dict[str, str] | None = None  # enum: code -> label
    max_length: int | None = None
    importable: bool = True  # False: written by the export only (ids, computed deadlines)
    synonyms: tuple[str, ...] = ()  # other headers that mean this column, for guessing a mapping


COLUMNS: tuple[Column, ...] = (
    Column("id", "Tracker id", "count", importable=False),
    Column("title", "Title", "text", "The newsroom's short name for the request. Required.", max_length=300,
           synonyms=("request", "request title", "name", "subject", "short title")),
    Column("agency", "Agency", "agency", "The agency's name or abbreviation, as in the directory. Required.",
           synonyms=("agency name", "office", "foia office", "component", "department")),
    Column("status", "Status", "enum", "Where the request stands now. If empty, the dates decide.",
           choices={code: s.label for code, s in STATUSES.items()}, synonyms=("state", "stage")),
    Column("private", "Private", "bool", "yes: only the owner, watchers and editors see it."),
    Column("records_description", "Records sought", "text", max_length=20_000,
           synonyms=("description", "records", "request text", "records requested", "text")),
    Column("records_from", "Records from", "date", synonyms=("date range start",)),
    Column("records_to", "Records to", "date", synonyms=("date range end",)),
    Column("delivery_format", "Delivery format", "text", max_length=100, synonyms=("format",)),
    Column("fee_category", "Fee category", "enum", choices=FEE_CATEGORIES),
    Column("fee_limit", "Fee ceiling (USD)", "money", synonyms=("fee limit", "fee ceiling")),
    Column("fee_waiver_requested", "Fee waiver requested", "bool", synonyms=("fee waiver",)),
    Column("fee_waiver_justification", "Fee waiver justification", "text", max_length=20_000),
    Column("expedited_requested", "Expedited processing requested", "bool", synonyms=("expedited",)),
    Column("expedited_category", "Expedited category", "enum", choices=EXPEDITED_CATEGORIES),
    Column("expedited_justification", "Expedited justification", "text", max_length=20_000),
    Column("matters", "OPR matters", "matters", "Titles of OPR matters in the tracker, separated by “;”.",
           synonyms=("matter", "opr matter", "investigation")),
    Column("sent_on", "Sent on", "date", "The day we sent or submitted it.",
           synonyms=("sent", "date sent", "filed", "filed on", "date filed", "submitted", "date submitted")),
    Column("channel", "Sent by", "enum", "portal, email, mail, fax, phone or in person.", choices=CHANNELS,
           synonyms=("how sent", "method", "sent via", "submitted via")),
    Column("received_on", "Received by the agency on", "date", "Empty: the day sent (portal, email, fax).",
           synonyms=("received", "date received", "agency received")),
    Column("acknowledged_on", "Acknowledged on", "date", synonyms=("acknowledged", "date acknowledged")),
    Column("tracking_number", "Tracking number", "text", max_length=100,
           synonyms=("request number", "foia number", "tracking no", "reference number", "agency number")),
    Column("extended_on", "Extension notice on", "date", "The day the agency invoked unusual circumstances.",
           synonyms=("extended", "extension")),
    Column("tolled", "Clock paused", "tolled",
           "Pauses, separated by “;”: “clarification 2026-11-02 to 2026-11-09” or “fees 2026-11-20 to” (still "
           "paused).", synonyms=("paused", "tolled spans")),
    Column("determined_on", "Determination on", "date",
           synonyms=("determination date", "response date", "date of determination", "decided", "responded")),
    Column("outcome", "Outcome", "enum", choices=OUTCOMES,
           synonyms=("determination", "result", "disposition", "response")),
    Column("exemptions", "Exemptions cited", "exemptions", "E.g. “b6; b7C” or “(b)(6), (b)(7)(C)”.",
           synonyms=("exemptions", "exemption")),
    Column("pages_released", "Pages released", "count", synonyms=("pages released", "released pages")),
    Column("pages_withheld", "Pages withheld", "count", synonyms=("pages withheld", "withheld pages")),
    Column("fees_estimated", "Fees estimated (USD)", "money", synonyms=("fee estimate", "estimated fees")),
    Column("fees_paid", "Fees paid (USD)", "money", synonyms=("fees", "paid")),
    Column("appeal_filed_on", "Appeal filed on", "date", synonyms=("appealed", "appeal date", "appeal filed")),
    Column("appeal_tracking_number", "Appeal tracking number", "text", max_length=100,
           synonyms=("appeal number",)),
    Column("appeal_extended_on", "Appeal extension notice on", "date"),
    Column("appeal_decided_on", "Appeal decided on", "date", synonyms=("appeal decision date",)),
    Column("appeal_outcome", "Appeal outcome", "enum", choices=APPEAL_OUTCOMES, synonyms=("appeal result",)),
    Column("mediation_on", "OGIS mediation asked on", "date", synonyms=("mediation", "ogis")),
    Column("ogis_case_number", "OGIS case number", "text", max_length=100),
    Column("lawsuit_on", "Lawsuit filed on", "date", synonyms=("lawsuit", "sued", "litigation")),
    Column("case_number", "Court case number", "text", max_length=100, synonyms=("docket", "docket number")),
    Column("closed_on", "Closed or withdrawn on", "date", synonyms=("closed", "date closed", "withdrawn")),
    Column("follow_up_on", "Follow up on", "date", synonyms=("follow up", "next follow up")),
    Column("our_answer_due_on", "Our answer due on", "date"),
    Column("owner", "Owner (email)", "text", importable=False),
    Column("response_due", "Response due (computed)", "date", importable=False),
    Column("appeal_due", "Last day to appeal (computed)", "date", importable=False),
    Column("updated_at", "Last changed", "text", importable=False),
    Column("link", "Link to the request", "text", importable=False),
    Column("referred_from_id", "Referred from (tracker id)", "count", importable=False),
    Column("batch_id", "Batch (tracker id)", "count", importable=False),
)
BY_NAME = {c.name: c for c in COLUMNS}
IMPORTABLE = tuple(c for c in COLUMNS if c.importable)
REQUIRED = ("title", "agency")
