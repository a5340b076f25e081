"""Operations on letters: check what a letter still needs, generate and store it, record it as sent.

They add and flush; the outermost caller commits. The context a template sees is built by
``from_request.build_context`` from the request, the acting user, the newsroom letterhead settings and
the reporter's choices (``options.LetterOptions``).
"""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import filetype
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker.auth.models import User
from tracker.core.errors import Conflict, NotFound, ValidationFailed
from tracker.core.storage import Storage
from tracker.core.validation import event_day_error
from tracker.extensions import db
from tracker.letters import sources
from tracker.letters import stage as stages
from tracker.letters.catalog import LetterKind, LetterTemplateError, missing_fields
from tracker.letters.from_request import build_context, neutral_subject
from tracker.letters.models import Letter
from tracker.letters.options import LetterOptions, appeal_contact, defaults, initial_determination
from tracker.letters.produce import render_letter
from tracker.letters.render import render_html, suggested_filename
from tracker.requests import audit, lifecycle
from tracker.requests import services as request_services
from tracker.requests.models import Communication, RecordsRequest
from tracker.requests.status import CHANNELS

log = logging.getLogger(__name__)

MAX_LOGO_BYTES = 1024 * 1024
# Sending the first request letter of a draft files it; these letters may also move the request on.
LIFECYCLE = {"foia_request": "file", "state_request": "file", "appeal": "appeal", "ogis_mediation": "mediate"}
ASKED = {"appeal", "mediate"}  # only when the reporter ticks the box
COMMUNICATION_KIND = {"foia_request": "request", "state_request": "request", "status_inquiry": "status_inquiry",
                      "appeal": "appeal", "ogis_mediation": "mediation", "expedite_request": "expedite_request"}
LETTER_CHANNELS = ("portal", "email", "mail", "fax")


# --- the letterhead -------------------------------------------------------------------------------

def letterhead_from_config(config: Mapping[str, Any]) -> dict[str, str]:
    """Newsroom name, address and logo (as a data: URL the locked fetcher serves from memory)."""
    head = {"name": (config.get("TRACKER_NEWSROOM_NAME") or "").strip(),
            "address": (config.get("TRACKER_NEWSROOM_ADDRESS") or "").strip(), "logo": "",
            "about": (config.get("TRACKER_NEWSROOM_ABOUT") or "").strip(),
            "fee_limit": _amount(config.get("TRACKER_NEWSROOM_FEE_LIMIT"))}
    path = (config.get("TRACKER_NEWSROOM_LOGO") or "").strip()
    if path:
        head["logo"] = _logo_data_url(Path(path))
    return head


def _amount(value: Any) -> str:
    """A fee ceiling setting as "50.00"; "" when unset or not an amount of 0 or more (logged)."""
    text = str(value or "").strip().lstrip("$").replace(",", "")
    if not text:
        return ""
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0:
        log.warning("TRACKER_NEWSROOM_FEE_LIMIT %r is not an amount; letters state no ceiling", value)
        return ""
    return str(amount.quantize(Decimal("0.01")))


def _logo_data_url(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.warning("TRACKER_NEWSROOM_LOGO %s cannot be read: %s", path, exc)
        return ""
    if len(data) > MAX_LOGO_BYTES:
        log.warning("TRACKER_NEWSROOM_LOGO %s is larger than %d bytes; left out", path, MAX_LOGO_BYTES)
        return ""
    kind = filetype.guess(data[:8192])
    if kind is not None and kind.mime in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        mime = kind.mime
    elif path.suffix.lower() == ".svg" and b"<svg" in data[:4096]:
        mime = "image/svg+xml"
    else:
        log.warning("TRACKER_NEWSROOM_LOGO %s is not a PNG, JPEG, GIF, WebP or SVG image; left out", path)
        return ""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


# --- what a letter still needs ------------------------------------------------------------------

@dataclass(frozen=True)
class Missing:
    path: str  # the context path, e.g. "agency.mailing_address"
    label: str  # what to tell the reporter
    fix: str  # where to fix it: "form:<field>", "agency", "action:<name>" or ""


FORM_PATHS = {"requester.name": "requester_name", "requester.email": "requester_email",
              "request.records_description": "records_description",
              "request.expedited_category": "expedited_category",
              "request.expedited_justification": "expedited_justification", "history": "history"}


def _fix(path: str, req: RecordsRequest) -> str:
    if path in FORM_PATHS:
        return f"form:{FORM_PATHS[path]}"
    if path.startswith(("agency.", "jurisdiction.")):
        return "agency"
    if path == "request.determination.kind" and initial_determination(req) is not None:
        return "form:determination_kind"
    if path.startswith("request.determination"):
        return "action:determine"
    if path in ("request.tracking_numbers", "request.received_on"):
        return "action:file" if req.status == "draft" else "action:acknowledge"
    return ""


APPEAL_CHANNEL = {"mail": ("address", "The appeal mailing address (for a mailed appeal)"),
                  "fax": ("address", "The appeal mailing address (for a faxed appeal's address block)"),
                  "email": ("email", "The appeal email address (for an emailed appeal)"),
                  "portal": ("portal_url", "The appeal portal (for an appeal filed online)")}
DECISION_ACTIONS = {"fee_waiver_denied": ("fee_waiver_decision", "decide_fee_waiver", "the fee waiver"),
                    "fee_category_denied": ("fee_category_decision", "decide_fee_category", "the fee category"),
                    "expedite_denied": ("expedited_decision", "decide_expedited", "expedited processing")}


def _appeal_missing(context: Mapping[str, Any], req: RecordsRequest, channel: str,
                    options: LetterOptions | None) -> list[Missing]:
    """An appeal goes to the appeal authority the determination letter or the directory names, by the channel
    chosen; what is unknown is listed, never replaced by the request portal."""
    contact = appeal_contact(req)
    fix = "action:determine" if initial_determination(req) is None else "agency"
    items = []
    if not contact["office"]:
        items.append(Missing("agency.appeal_office", "The office that decides appeals (as the determination "
                             "letter names it, or in the agency directory)", fix))
    field, label = APPEAL_CHANNEL.get(channel, APPEAL_CHANNEL["mail"])
    if not contact[field]:
        items.append(Missing(f"agency.appeal_{field}", label, fix))
    kind = options.determination_kind if options is not None else ""
    if kind in DECISION_ACTIONS:
        column, action, what = DECISION_ACTIONS[kind]
        if getattr(req, column) not in ("denied", "partly") and not (
                kind == "fee_category_denied" and stages.fee_category_denied(req)):
            items.append(Missing(f"request.{column}", f"The agency's decision on {what}, recorded as a denial",
                                 f"action:{action}"))
    offer = stages.offer("appeal", req, context.get("today"))
    if offer.confirm and not (options is not None and options.confirm_second_appeal):
        items.append(Missing("confirm_second_appeal", offer.confirm, "form:confirm_second_appeal"))
    return items


def missing_items(spec: LetterKind, context: Mapping[str, Any], req: RecordsRequest, channel: str,
                  options: LetterOptions | None = None) -> list[Missing]:
    """Everything the letter lacks: the kind's required fields, and an address for the chosen channel."""
    items = [Missing(p, spec.label(p), _fix(p, req)) for p in missing_fields(spec, context)]
    agency = req.agency
    today = context.get("today")
    if spec.key == "ogis_mediation" and today is not None:
        offer = stages.offer("ogis_mediation", req, today)
        if not offer.offered:
            items.insert(0, Missing("request.disputes", offer.reason, ""))
    regulations = (context.get("agency") or {}).get("regulations") or {}
    if spec.key == "expedite_request" and _expedited_iv(context) and regulations.get("expedited_iv") \
            and agency.expedited_iv_office is None:
        official = regulations.get("expedited_iv_official", "")
        items.append(Missing("agency.expedited_iv_office", f"The office of the {official} that decides "
                             "category (iv) requests, in the agency directory", "agency"))
    if spec.key == "appeal":
        items.extend(_appeal_missing(context, req, channel, options))
    elif channel in ("mail", "fax") and spec.key not in ("appeal", "ogis_mediation") \
            and not agency.mailing_address.strip():
        items.append(Missing("agency.mailing_address", "The agency's mailing address (for a letter on paper)",
                             "agency"))
    elif channel == "email" and spec.key not in ("appeal", "ogis_mediation") and not agency.foia_email.strip():
        items.append(Missing("agency.foia_email", "The agency's FOIA email address (for an emailed letter)",
                             "agency"))
    return items


def _expedited_iv(context: Mapping[str, Any]) -> bool:
    request = context.get("request") or {}
    code = str(request.get("expedited_category") or "").strip("() ").lower()
    return bool(request.get("expedited_requested")) and code == "iv"


# --- preparing, previewing, generating ---------------------------------------------------------

@dataclass
class Draft:
    """A letter about to be written: its kind, where its template lives, its context, what it lacks."""

    spec: LetterKind
    root: Path
    context: dict[str, Any]
    missing: list[Missing]
    options: LetterOptions


def previous_options(actor: User | None) -> LetterOptions | None:
    """The signer's choices on their latest letter (title, phone), to prefill the next one."""
    if actor is None:
        return None
    letter = db.session.scalar(select(Letter).where(Letter.created_by_id == actor.id)
                               .order_by(Letter.id.desc()).limit(1))
    return LetterOptions.from_json(letter.options) if letter is not None else None


def default_options(req: RecordsRequest, kind: str, actor: User | None) -> LetterOptions:
    """A new version starts from the choices of the one before; a first letter from the request itself."""
    earlier = db.session.scalar(select(Letter).where(Letter.request_id == req.id, Letter.kind == kind)
                                .order_by(Letter.version.desc()).limit(1))
    if earlier is not None:
        return LetterOptions.from_json(earlier.options)
    return defaults(req, kind, actor, previous_options(actor))


def prepare(req: RecordsRequest, kind: str, options: LetterOptions, *, today: date, search: Sequence[Path],
            letterhead: Mapping[str, Any]) -> Draft:
    """Find the kind, refuse one that does not fit the agency, build the context and list what is missing."""
    try:
        spec, root = sources.kind(kind, search)
    except LookupError as exc:
        raise NotFound(f"There is no letter called “{kind}”.") from exc
    except LetterTemplateError as exc:
        raise ValidationFailed(f"The letter template is broken: {exc}", {"template": str(exc)}) from exc
    code = req.agency.jurisdiction
    if not spec.fits(code):
        raise NotFound(f"“{spec.title}” does not fit {req.agency.label} (jurisdiction {code}).")
    if options.channel not in LETTER_CHANNELS:
        raise ValidationFailed("Choose how the letter will be sent.", {"channel": "Choose how it will be sent."})
    context = build_context(req, kind, options, today=today, letterhead=letterhead)
    return Draft(spec, root, context, missing_items(spec, context, req, options.channel, options), options)


# On screen there is no @page margin: the preview frame adds one, and a grey page edge.
SCREEN_STYLE = ("<style>@media screen { html { background: #e9edf1; } "
                "body { background: #fff; margin: 0.5rem; padding: 2.5rem 2.2rem; } }</style>")


def preview_html(draft: Draft, *, screen: bool = False) -> str:
    """The letter as HTML (with screen margins for the preview frame if asked); ValidationFailed with the
    template's line if it is broken."""
    try:
        html = render_html(draft.spec.key, draft.context, templates_dir=draft.root)
    except LetterTemplateError as exc:
        raise ValidationFailed(f"The letter template is broken: {exc}", {"template": str(exc)}) from exc
    return html.replace("</head>", SCREEN_STYLE + "</head>", 1) if screen else html


def _next_version(req: RecordsRequest, kind: str) -> int:
    last = db.session.scalar(select(func.max(Letter.version)).where(Letter.request_id == req.id, Letter.kind == kind))
    return (last or 0) + 1


def generate_letter(req: RecordsRequest, kind: str, options: LetterOptions, *, actor: User | None, now: datetime,
                    today: date, storage: Storage, search: Sequence[Path], letterhead: Mapping[str, Any]) -> Letter:
    """Render the PDF and the text and store them as the next version of this kind of letter."""
    draft = prepare(req, kind, options, today=today, search=search, letterhead=letterhead)
    if draft.missing:
        raise ValidationFailed("The letter cannot be written yet: " + "; ".join(m.label for m in draft.missing) + ".",
                               {"missing": "; ".join(m.label for m in draft.missing)})
    try:
        rendered = render_letter(kind, draft.context, templates_dir=draft.root)
    except LetterTemplateError as exc:
        raise ValidationFailed(f"The letter template is broken: {exc}", {"template": str(exc)}) from exc
    # Serialise version numbers per request on PostgreSQL; the unique key catches what slips through.
    db.session.execute(select(RecordsRequest.id).where(RecordsRequest.id == req.id).with_for_update())
    version = _next_version(req, kind)
    stem = suggested_filename(kind, draft.context).removesuffix(".pdf")
    stored = storage.save(io.BytesIO(rendered.pdf))
    letter = Letter(request=req, kind=kind, version=version, title=draft.spec.title, text=rendered.text,
                    storage_key=stored.key, sha256=stored.sha256, size=stored.size, pages=rendered.pages,
                    filename=f"{stem}-v{version}.pdf" if version > 1 else f"{stem}.pdf",
                    options=options.to_json(), created_by=actor, created_at=now)
    db.session.add(letter)
    try:
        db.session.flush()
    except IntegrityError as exc:
        storage.delete(stored.key)
        raise Conflict("Someone else generated this letter at the same moment. Try again.") from exc
    audit.record(req, actor=actor, action="change", detail=f"generated {letter.label}", now=now)
    return letter


# --- recording a letter as sent -------------------------------------------------------------------

@dataclass
class SendInput:
    on: date | None = None  # the day it went out
    channel: str = ""
    received_on: date | None = None  # filing: the day the agency received it, when not the same day
    tracking_number: str = ""  # filing, appeal or mediation: the number the agency gave, if any
    move_on: bool = False  # appeal / OGIS letter: also record the appeal or the mediation request
    note: str = ""


def lifecycle_action(letter: Letter, move_on: bool) -> str | None:
    """The action that sending this letter performs: filing a draft always, an appeal or mediation if asked."""
    action = LIFECYCLE.get(letter.kind)
    if action is None:
        return None
    if action == "file":
        return "file" if letter.request.status == "draft" else None
    return action if move_on else None


def record_as_sent(letter: Letter, inp: SendInput, *, actor: User, now: datetime, today: date,
                   storage: Storage) -> Communication:
    """An outgoing communication with the PDF attached; files a draft, or records the appeal if asked."""
    if letter.communication_id is not None:
        raise Conflict(f"{letter.label} is already recorded as sent.")
    req = letter.request
    if inp.channel not in CHANNELS:
        raise ValidationFailed("Say how it was sent.", {"channel": "Choose how it was sent."})
    if inp.on is None:
        raise ValidationFailed("Give the date it was sent.", {"on": "Give the date it was sent."})
    if message := event_day_error(inp.on, today):
        raise ValidationFailed(message, {"on": message})
    subject = f"{letter.title}: {req.subject.strip() or neutral_subject(req)}"[:500]
    with storage.open(letter.storage_key) as pdf:
        files = [request_services.Upload(letter.filename, pdf)]
        comm_input = request_services.CommunicationInput(channel=inp.channel, subject=subject, body=letter.text,
                                                         files=files)
        action = lifecycle_action(letter, inp.move_on)
        if action is not None:
            event = lifecycle.perform(
                req, action,
                lifecycle.ActionInput(on=inp.on, received_on=inp.received_on, channel=inp.channel,
                                             tracking_number=inp.tracking_number, note=inp.note,
                                             communication=comm_input),
                actor=actor, now=now, today=today, storage=storage)
            comm = db.session.scalar(select(Communication).where(Communication.event_id == event.id))
        else:
            comm = request_services.add_communication(
                req, actor=actor, now=now, storage=storage, direction="out", channel=inp.channel,
                occurred_on=inp.on, subject=subject, body=letter.text,
                kind=COMMUNICATION_KIND.get(letter.kind, "letter"), files=files)
    letter.communication = comm
    letter.sent_on = inp.on
    audit.record(req, actor=actor, action="change", detail=f"recorded {letter.label} as sent", now=now)
    db.session.flush()
    return comm
