"""The letter actions of the request list's bulk bar: a status inquiry for each selected request, or one status
letter to the agency naming them all. Registered with tracker.requests.bulk, which cannot import letters."""

from __future__ import annotations

from tracker.core.errors import TrackerError, ValidationFailed
from tracker.letters import agency_letter, services, sources
from tracker.letters.models import Letter
from tracker.requests.bulk import BulkAction, BulkRefused, Job, name_of, register
from tracker.requests.models import RecordsRequest

INQUIRY = "status_inquiry"


def _where(job: Job) -> dict:
    return {"search": sources.roots(job.config), "letterhead": services.letterhead_from_config(job.config)}


def _inquiries(reqs: list[RecordsRequest], job: Job) -> list[RecordsRequest]:
    """Check every letter first (a refusal names each request that cannot have one yet), then write them."""
    where = _where(job)
    drafts, refusals = [], []
    for req in reqs:
        options = services.default_options(req, INQUIRY, job.actor)
        try:
            draft = services.prepare(req, INQUIRY, options, today=job.today, **where)
        except TrackerError as exc:  # a kind that does not fit this agency, a broken template: named
            refusals.append({"id": req.id, "name": name_of(req), "reason": exc.message.rstrip(".")})
            continue
        if draft.missing:
            refusals.append({"id": req.id, "name": name_of(req),
                             "reason": "the letter still needs " + "; ".join(m.label.lower() for m in draft.missing)})
            continue
        drafts.append((req, options))
    if refusals:
        shown = "; ".join(f"{r['name']}: {r['reason']}" for r in refusals[:10])
        more = f"; and {len(refusals) - 10} more" if len(refusals) > 10 else ""
        raise BulkRefused(f"Nothing was written. {shown}{more}.", refusals, {"ids": shown + more})
    letters: list[Letter] = []
    for req, options in drafts:
        letters.append(services.generate_letter(req, INQUIRY, options, actor=job.actor, now=job.now,
                                                today=job.today, storage=job.storage, **where))
    job.results["letter_ids"] = [letter.id for letter in letters]
    return [letter.request for letter in letters]


def _agency_letter(reqs: list[RecordsRequest], job: Job) -> list[RecordsRequest]:
    if not reqs:
        raise ValidationFailed("Select at least one request.", {"ids": "Select at least one request."})
    agency = agency_letter.check_selection(reqs)
    options = agency_letter.default_options(agency, job.actor)
    letters = agency_letter.generate(reqs, options, actor=job.actor, now=job.now, today=job.today,
                                     storage=job.storage, **_where(job))
    job.results["letter_ids"] = [letter.id for letter in letters]
    job.results["agency_letter"] = True
    job.results["agency_name"] = agency.abbreviation or agency.name
    return reqs


register(BulkAction(INQUIRY, "Write a status inquiry for each", "{n} status inquir{ies} written, one per request",
                    group=_inquiries))
register(BulkAction("agency_letter", "Write one status letter to this agency",
                    "One status letter to {agency_name} written, naming {n} request{s}; stored with each",
                    group=_agency_letter))
