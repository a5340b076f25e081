"""Bulk actions on a selection of requests: the same service call per request, all or nothing.

A selection is a list of ids (the boxes ticked on the list page, or an API call), or "every request matching
this filter". Before anything changes, the whole selection is checked: every request exists and the user may
see it, the user may act on each (or, for following, see it), and none changed since the list was shown (the
form carries each row's version, or the moment the list was shown for a whole filter). Any refusal refuses
the whole selection, naming the requests and why; the caller rolls back, so nothing is half done.

Actions are registered here by name. Modules above requests add their own (letters registers the status
inquiries and the status letter per agency) with `register`, so this module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.core.converters import MAX_ID
from tracker.core.errors import Forbidden, TrackerError, ValidationFailed
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests import access, audit, following, ownership, services
from tracker.requests.models import RecordsRequest
from tracker.requests.queries import RequestFilters, request_list_query

MAX_SELECTION = 1000  # one action at most changes this many requests
CHANGED = "changed since you selected it"
NOT_VISIBLE = "there is no request with this id that you can see"


class BulkRefused(TrackerError):
    """The selection was refused whole; `refusals` lists each request named and why."""

    status = 409
    code = "bulk_refused"

    def __init__(self, message: str, refusals: list[dict] | None = None, fields: dict[str, str] | None = None):
        super().__init__(message, fields)
        self.refusals = refusals or []
        # As the one door answers for one request: 404 for one the user may not see, 403 for one they may see
        # but not change, 409 for one that changed meanwhile or that the service refused.
        kinds = {r.get("kind") for r in self.refusals}
        if "not_found" in kinds:
            self.status, self.code = 404, "not_found"
        elif "forbidden" in kinds:
            self.status, self.code = 403, "forbidden"


@dataclass
class Job:
    """What one bulk action needs besides the requests: who, when, the action's parameters, and what the door
    hands over for actions that write files (storage, the app's settings)."""

    actor: User
    now: datetime
    today: date
    params: Mapping[str, Any] = field(default_factory=dict)
    storage: Any = None
    config: Mapping[str, Any] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)  # what an action hands back (letters written)


@dataclass(frozen=True)
class BulkAction:
    name: str
    label: str  # in the bulk bar's menu
    done: str  # the summary, with {n}: "{n} now followed by you"
    each: Callable[[RecordsRequest, Job], bool] | None = None  # the service call per request; True if it changed
    group: Callable[[list[RecordsRequest], Job], list[RecordsRequest]] | None = None  # one call for the whole set
    needs: str = "act"  # "act" (change the request) or "view" (follow it)
    editors_only: bool = False
    prepare: Callable[[Job], None] | None = None  # checks the parameters once, before any request


@dataclass
class Outcome:
    action: BulkAction
    changed: list[RecordsRequest]
    unchanged: list[RecordsRequest]
    results: dict[str, Any]

    @property
    def summary(self) -> str:
        n = len(self.changed)
        words = {k: v for k, v in self.results.items() if isinstance(v, str)}
        text = self.action.done.format(n=n, s="" if n == 1 else "s", ies="y" if n == 1 else "ies", **words)
        if self.unchanged:
            text += f"; {len(self.unchanged)} already so, left as they were"
        return text + "."


ACTIONS: dict[str, BulkAction] = {}


def register(action: BulkAction) -> None:
    ACTIONS[action.name] = action


def name_of(req: RecordsRequest) -> str:
    return f"“{req.title}” (#{req.id})"


def version_of(req: RecordsRequest) -> str:
    """The version a list row carries: the moment the request last changed."""
    return req.updated_at.isoformat() if req.updated_at else ""


# --- choosing the requests ------------------------------------------------------------------------------

def ids_matching(user: User, filters: RequestFilters) -> list[int]:
    """The ids of every request the user sees that matches the list's filter (one query); one more than
    MAX_SELECTION at most, so that too many is told apart from exactly the most allowed."""
    query = request_list_query(user, filters).with_only_columns(RecordsRequest.id)
    return list(db.session.scalars(query.limit(MAX_SELECTION + 1)))


def load_selection(ids: Sequence[int]) -> list[RecordsRequest]:
    """The selected requests in one query (their owners, watchers, matters and agencies alongside)."""
    wanted = sorted({i for i in ids if 0 < i <= MAX_ID})
    if not wanted:
        return []
    return list(db.session.scalars(
        select(RecordsRequest).where(RecordsRequest.id.in_(wanted)).order_by(RecordsRequest.id)
        .options(selectinload(RecordsRequest.watchers), selectinload(RecordsRequest.owner),
                 selectinload(RecordsRequest.matters), selectinload(RecordsRequest.agency),
                 selectinload(RecordsRequest.tracking_numbers))))


def _refuse(refusals: list[dict], what: str) -> None:
    shown = "; ".join(f"{r['name']}: {r['reason']}" for r in refusals[:10])
    more = f"; and {len(refusals) - 10} more" if len(refusals) > 10 else ""
    fields = {"ids": shown + more} | {f"ids.{r['id']}": f"{r['name']}: {r['reason']}" for r in refusals[:100]}
    raise BulkRefused(f"Nothing was changed. {what} {shown}{more}.", refusals, fields)


def check(action: BulkAction, reqs_by_id: dict[int, RecordsRequest], ids: Sequence[int], user: User, *,
          versions: Mapping[int, str] | None = None, shown_at: datetime | None = None,
          version: Callable[[RecordsRequest], str] = version_of) -> list[RecordsRequest]:
    """The selection, in id order, once every request passes; BulkRefused naming each that does not."""
    refusals: list[dict] = []
    chosen: list[RecordsRequest] = []
    for request_id in sorted(set(ids)):
        req = reqs_by_id.get(request_id)
        if req is None or not access.can_view(user, req):
            refusals.append({"id": request_id, "name": f"#{request_id}", "reason": NOT_VISIBLE,
                             "kind": "not_found"})
            continue
        if action.needs == "act" and not access.can_act(user, req):
            refusals.append({"id": req.id, "name": name_of(req), "reason": "you may not change it (only its "
                             "owner, its watchers and editors can)", "kind": "forbidden"})
            continue
        changed = False
        if versions is not None and request_id in versions and versions[request_id] != version(req):
            changed = True
        if shown_at is not None and req.updated_at is not None and _after(req.updated_at, shown_at):
            changed = True
        if changed:
            refusals.append({"id": req.id, "name": name_of(req), "reason": CHANGED})
            continue
        chosen.append(req)
    if refusals:
        _refuse(refusals, "The selection includes requests this action cannot take:")
    return chosen


def _after(moment: datetime, shown_at: datetime) -> bool:
    """Whether `moment` is later; a naive instant is UTC (SQLite gives them back so)."""
    return _utc(moment) > _utc(shown_at)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def run(action_name: str, ids: Sequence[int], job: Job, *, versions: Mapping[int, str] | None = None,
        shown_at: datetime | None = None, version: Callable[[RecordsRequest], str] = version_of) -> Outcome:
    """Apply one action to the selection: every request checked first, then the service call per request.
    Adds and flushes; the caller commits once, or rolls back on a refusal."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise ValidationFailed("Choose what to do with the selected requests.", {"action": "Choose an action."})
    if not ids:
        raise ValidationFailed("Select at least one request.", {"ids": "Select at least one request."})
    if len(set(ids)) > MAX_SELECTION:
        raise ValidationFailed(f"At most {MAX_SELECTION} requests can be changed at once; narrow the filter.",
                               {"ids": f"Select at most {MAX_SELECTION} requests."})
    if action.editors_only and not job.actor.is_editor:
        raise Forbidden(f"Only editors and admins can {action.label.lower()}.")
    if action.prepare is not None:
        action.prepare(job)
    reqs = load_selection(ids)
    chosen = check(action, {r.id: r for r in reqs}, ids, job.actor, versions=versions, shown_at=shown_at,
                   version=version)
    if action.group is not None:
        changed = action.group(chosen, job)
        unchanged = [r for r in chosen if r not in changed]
    else:
        changed, unchanged = [], []
        for req in chosen:
            try:
                (changed if action.each(req, job) else unchanged).append(req)
            except TrackerError as exc:
                _refuse([{"id": req.id, "name": name_of(req), "reason": _reason(exc)}],
                        f"{action.label} was refused for")
    return Outcome(action, changed, unchanged, job.results)


def _reason(exc: TrackerError) -> str:
    messages = [exc.message, *(m for m in exc.fields.values() if m != exc.message)]
    return " ".join(m.rstrip(".") + "." for m in messages if m).rstrip(".")


# --- the actions on requests themselves -----------------------------------------------------------------

def _watch(req: RecordsRequest, job: Job) -> bool:
    if req.owner_id == job.actor.id:
        return False  # its reminders already come to its owner
    if following.follow(req, user=job.actor, now=job.now):
        audit.record(req, actor=job.actor, action="change", detail="followed", now=job.now)
        return True
    return False


def _unwatch(req: RecordsRequest, job: Job) -> bool:
    if following.unfollow(req, user=job.actor, now=job.now):
        audit.record(req, actor=job.actor, action="change", detail="stopped following", now=job.now)
        return True
    return False


def _private(value: bool) -> Callable[[RecordsRequest, Job], bool]:
    def apply(req: RecordsRequest, job: Job) -> bool:
        if req.private == value:
            return False
        services.update_request(req, actor=job.actor, now=job.now, today=job.today, data={"private": value})
        return True
    return apply


def _prepare_owner(job: Job) -> None:
    job.results["owner"] = ownership.new_owner(_int(job.params.get("owner_id")))
    job.results["owner_name"] = job.results["owner"].name


def _reassign(req: RecordsRequest, job: Job) -> bool:
    return ownership.reassign(req, job.results["owner"], actor=job.actor, now=job.now)


def _prepare_matter(job: Job) -> None:
    matter_id = _int(job.params.get("matter_id"))
    matter = db.session.get(Matter, matter_id) if matter_id and matter_id <= MAX_ID else None
    if matter is None:
        raise ValidationFailed("Choose the matter.", {"matter_id": "Choose a matter from the catalogue."})
    job.results["matter"] = matter
    job.results["matter_title"] = matter.title


def _add_matter(req: RecordsRequest, job: Job) -> bool:
    matter = job.results["matter"]
    if any(m.id == matter.id for m in req.matters):
        return False
    services.update_request(req, actor=job.actor, now=job.now, today=job.today, data={},
                            matter_ids=[m.id for m in req.matters] + [matter.id])
    return True


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


register(BulkAction("watch", "Follow", "{n} request{s} now followed by you", each=_watch, needs="view"))
register(BulkAction("unwatch", "Stop following", "You no longer follow {n} request{s}", each=_unwatch,
                    needs="view"))
register(BulkAction("reassign", "Give to another owner", "{n} request{s} given to {owner_name}", each=_reassign,
                    editors_only=True, prepare=_prepare_owner))
register(BulkAction("make_private", "Mark private", "{n} request{s} marked private", each=_private(True)))
register(BulkAction("make_public", "Mark public", "{n} request{s} marked public", each=_private(False)))
register(BulkAction("add_matter", "Add to a matter", "{n} request{s} added to “{matter_title}”", each=_add_matter,
                    prepare=_prepare_matter))
