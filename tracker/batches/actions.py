"""One action applied to every request of a batch that allows it: write the request letters, record them as
filed (one date, one channel), send them by email.

Each request goes through the normal service (letters.services, requests.lifecycle, mail.sending), so each
gets its own events, audit trail, letter and deadlines under its agency's rules. All or nothing: the caller
commits once, and a refusal on any request leaves every request as it was. Requests that do not allow the
action are left alone and listed with the reason; acting needs the right to change every request acted on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tracker.auth.models import User
from tracker.core.errors import ActionNotAllowed, Forbidden, NotFound, ValidationFailed
from tracker.core.storage import Storage
from tracker.core.template_helpers import longdate as long_date
from tracker.core.validation import event_day_error
from tracker.extensions import db
from tracker.letters import services as letter_services
from tracker.letters import sources
from tracker.letters.models import Letter
from tracker.mail import sending
from tracker.requests import access, due_dates, lifecycle
from tracker.requests.models import RecordsRequest
from tracker.requests.status import CHANNELS, STATUSES

ACTIONS = {
    "letters": "Write the request letters",
    "file": "Record as filed",
    "email": "Send by email",
}
FILE_CHANNELS = ("portal", "email", "mail", "fax")


@dataclass
class BatchActionInput:
    on: date | None = None  # file: the day they went out
    channel: str = ""  # file: portal, email, mail or fax
    note: str = ""  # file: a note on each request's timeline


@dataclass
class Summary:
    """What the action did: a line per request changed, and the reason for each request left alone."""

    action: str
    label: str
    changed: list[tuple[RecordsRequest, str]] = field(default_factory=list)
    skipped: list[tuple[RecordsRequest, str]] = field(default_factory=list)

    @property
    def headline(self) -> str:
        done = f"{self.label}: {len(self.changed)} request{'s' if len(self.changed) != 1 else ''} changed"
        if self.skipped:
            done += f", {len(self.skipped)} left as {'they were' if len(self.skipped) != 1 else 'it was'}"
        return done + "."


class NoneFits(ActionNotAllowed):
    """No request of the batch allows the action; `reasons` says why for each, as (request, reason)."""

    def __init__(self, label: str, reasons: list[tuple[RecordsRequest, str]]):
        self.headline = f"“{label}” fits none of the requests; nothing was done."
        self.reasons = reasons
        super().__init__(self.headline + " " + " ".join(f"{r.agency.label}: {why}" for r, why in reasons))


@dataclass
class Context:
    """What the services need besides the request: who, when, where files live, the letter templates."""

    actor: User
    now: datetime
    today: date
    storage: Storage
    search: Sequence[Path]
    letterhead: Mapping[str, Any]


def request_letter_kind(req: RecordsRequest, search: Sequence[Path]) -> str:
    """The first request letter that fits the agency's jurisdiction (federal FOIA or the state's law)."""
    for spec in sources.catalog(search).fitting(req.agency.jurisdiction):
        if spec.key in sending.REQUEST_LETTERS:
            return spec.key
    return ""


def latest_request_letter(req: RecordsRequest) -> Letter | None:
    letters = [x for x in req.letters if x.kind in sending.REQUEST_LETTERS]
    return letters[-1] if letters else None


def _not_draft(req: RecordsRequest) -> str:
    if req.status == "draft":
        return ""
    return f"It is already “{STATUSES[req.status].label}”, no longer a draft."


# --- write the request letters ------------------------------------------------------------------------------

def _letters_why_not(req: RecordsRequest, ctx: Context) -> str:
    if reason := _not_draft(req):
        return reason
    letter = latest_request_letter(req)
    if letter is not None:
        return f"Its request letter is already written ({letter.label})."
    kind = request_letter_kind(req, ctx.search)
    if not kind:
        return f"No request letter fits {req.agency.label} (jurisdiction {req.agency.jurisdiction})."
    draft = letter_services.prepare(req, kind, letter_services.default_options(req, kind, ctx.actor),
                                    today=ctx.today, search=ctx.search, letterhead=ctx.letterhead)
    if draft.missing:
        return "The letter cannot be written yet: " + "; ".join(m.label for m in draft.missing) + "."
    return ""


def _letters_do(req: RecordsRequest, inp: BatchActionInput, ctx: Context) -> str:
    kind = request_letter_kind(req, ctx.search)
    letter = letter_services.generate_letter(
        req, kind, letter_services.default_options(req, kind, ctx.actor), actor=ctx.actor, now=ctx.now,
        today=ctx.today, storage=ctx.storage, search=ctx.search, letterhead=ctx.letterhead)
    return f"{letter.label} written ({letter.pages} page{'s' if letter.pages != 1 else ''})."


# --- record as filed ------------------------------------------------------------------------------------------

def _file_check(inp: BatchActionInput, today: date) -> None:
    errors = {}
    if inp.on is None:
        errors["on"] = "Give the date the requests went out."
    elif message := event_day_error(inp.on, today):
        errors["on"] = message
    if inp.channel not in FILE_CHANNELS:
        errors["channel"] = "Choose how the requests were sent."
    if errors:
        raise ValidationFailed("The filing has errors.", errors)


def _file_why_not(req: RecordsRequest, ctx: Context) -> str:
    return _not_draft(req)


def _file_do(req: RecordsRequest, inp: BatchActionInput, ctx: Context) -> str:
    letter = latest_request_letter(req)
    if letter is not None and letter.communication_id is None:  # its letter goes with it, as "Record as sent"
        letter_services.record_as_sent(letter, letter_services.SendInput(on=inp.on, channel=inp.channel,
                                                                         note=inp.note),
                                       actor=ctx.actor, now=ctx.now, today=ctx.today, storage=ctx.storage)
    else:
        lifecycle.perform(req, "file", lifecycle.ActionInput(on=inp.on, channel=inp.channel, note=inp.note),
                          actor=ctx.actor, now=ctx.now, today=ctx.today, storage=ctx.storage)
    return f"Filed by {CHANNELS[inp.channel].lower()} on {long_date(inp.on)}; {_due(req)}"


def _due(req: RecordsRequest) -> str:
    live = due_dates.live_deadline(req)
    if live is not None:
        return f"{live[0].lower()} {long_date(live[1])}."
    if req.received_on is None:
        return "the clock starts when the agency receives it (record the date it arrived)."
    return "no deadline runs under this law; set a follow-up date."


# --- send by email ----------------------------------------------------------------------------------------------

def _email_why_not(req: RecordsRequest, ctx: Context) -> str:
    if reason := _not_draft(req):
        return reason
    letter = latest_request_letter(req)
    if letter is None:
        return "It has no request letter yet: write the letters first."
    if reason := sending.not_offered(letter):
        return reason
    if not sending.default_to(letter):
        return f"{req.agency.label} has no FOIA email address in the agency directory."
    return ""


def _email_do(req: RecordsRequest, inp: BatchActionInput, ctx: Context) -> str:
    letter = latest_request_letter(req)
    to = sending.default_to(letter)
    sending.send_by_email(letter, sending.EmailInput(to=to, cc=ctx.actor.email or "", note=inp.note),
                          actor=ctx.actor, now=ctx.now, today=ctx.today, storage=ctx.storage)
    return f"{letter.label} sent by email to {to}; {_due(req)}"


WHY_NOT: dict[str, Callable[[RecordsRequest, Context], str]] = {
    "letters": _letters_why_not, "file": _file_why_not, "email": _email_why_not}
DO: dict[str, Callable[[RecordsRequest, BatchActionInput, Context], str]] = {
    "letters": _letters_do, "file": _file_do, "email": _email_do}


def _lock(reqs: list[RecordsRequest]) -> None:
    """On PostgreSQL, hold the requests until the commit and read them afresh: two people pressing "Record all
    as filed" at once file each request once (the second finds them filed). SQLite serialises writers anyway."""
    if reqs:
        db.session.scalars(select(RecordsRequest).where(RecordsRequest.id.in_([r.id for r in reqs]))
                           .order_by(RecordsRequest.id).with_for_update()
                           .execution_options(populate_existing=True)).all()


def apply(reqs: list[RecordsRequest], action: str, inp: BatchActionInput, ctx: Context) -> Summary:
    """Apply the action to each of these requests (the batch's, as the actor sees them) that allows it."""
    if action not in ACTIONS:
        raise NotFound(f"There is no batch action called “{action[:40]}”.")
    if not any(access.can_act(ctx.actor, r) for r in reqs):
        raise Forbidden(access.NOT_YOURS)
    if action == "file":
        _file_check(inp, ctx.today)
    _lock(reqs)
    summary = Summary(action=action, label=ACTIONS[action])
    ready = []
    for req in reqs:
        reason = WHY_NOT[action](req, ctx)
        if reason:
            summary.skipped.append((req, reason))
        else:
            ready.append(req)
    if not ready:
        raise NoneFits(ACTIONS[action], summary.skipped)
    barred = [r.agency.label for r in ready if not access.can_act(ctx.actor, r)]
    if barred:
        raise Forbidden(f"You may not change the request to {', '.join(barred)}: only its owner, its watchers and "
                        "editors can. Nothing was done.")
    for req in ready:
        try:
            summary.changed.append((req, DO[action](req, inp, ctx)))
        except (ValidationFailed, ActionNotAllowed) as exc:  # name the request; the caller rolls back all
            raise type(exc)(f"{req.agency.label}: {exc.message} Nothing was done.", exc.fields) from exc
    return summary
