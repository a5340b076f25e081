"""Colleagues' requests that may overlap a draft: open requests to the same agency, owned by someone else and
visible to the person drafting, that are for the same matter or describe similar records.

"Similar" is kept simple enough to explain on the screen: the two descriptions share at least MIN_SHARED
significant words (four letters or more, not a common request word such as "records" or "including"), and
the shared words are at least half of the shorter description's words. The warning names the shared words.
It warns; it never blocks a draft."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.extensions import db
from tracker.requests.access import visible_to
from tracker.requests.models import RecordsRequest

MIN_SHARED = 3
MIN_SHARE = 0.5
CANDIDATES = 500  # the most recently changed open requests at the agency that are compared
SHOWN = 5
TEXT_LIMIT = 20_000
CLOSED = ("closed", "withdrawn")
WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
COMMON = frozenset("""
    about above access according additional after again against also among and another any anything
    april are august available based because been before being below between both but can concerning contain
    containing copies copy could created data date dated dates december department described describing
    document documents during each either electronic email emails every february file files following for
    foia form format from further have including information into january july june kind limited made
    march maintained may mention mentioning mentions more most must november october office official only
    other others pertaining please possession produced provide pursuant received record records regarding
    related relating request requested requesting respect response same seek seeking sent september should
    since such than that the their them then there these they this those through under until upon used
    various were what when where whether which while who whom will with within without would year years your
""".split())


def significant_words(text: str) -> set[str]:
    """Lower-case words of four letters or more that are not common request words; a trailing plural "s" off."""
    words = set()
    for match in WORD.finditer((text or "")[:TEXT_LIMIT].lower()):
        word = match.group(0).strip("'-")
        if len(word) < 4 or word in COMMON:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in COMMON:
            words.add(word)
    return words


def shared_words(a: set[str], b: set[str]) -> list[str]:
    """The words two descriptions share, if they are similar by the rule above; [] otherwise."""
    shared = a & b
    if len(shared) < MIN_SHARED or len(shared) < MIN_SHARE * min(len(a), len(b)):
        return []
    return sorted(shared)


@dataclass
class Overlap:
    request: RecordsRequest
    matters: list[str] = field(default_factory=list)  # titles of the matters both are for
    words: list[str] = field(default_factory=list)  # significant words both descriptions use

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.matters:
            out.append("same matter: " + "; ".join(self.matters))
        if self.words:
            out.append("similar description: both mention " + ", ".join(self.words[:8]))
        return out


def overlaps(viewer: User, *, agency_id: int, description: str, matter_ids=(), owner_id: int | None = None,
             exclude_id: int | None = None, limit: int = SHOWN) -> list[Overlap]:
    """Open requests of colleagues (owned by someone other than `owner_id`, by default the viewer) to this
    agency that the viewer may see and that are for one of these matters or describe similar records; most
    reasons first, then the most recently changed."""
    owner_id = viewer.id if owner_id is None else owner_id
    query = (select(RecordsRequest)
             .where(RecordsRequest.agency_id == agency_id, RecordsRequest.owner_id != owner_id,
                    RecordsRequest.status.not_in(CLOSED), visible_to(viewer))
             .order_by(RecordsRequest.updated_at.desc(), RecordsRequest.id.desc()).limit(CANDIDATES)
             .options(selectinload(RecordsRequest.matters), selectinload(RecordsRequest.owner)))
    if exclude_id is not None:
        query = query.where(RecordsRequest.id != exclude_id)
    mine = significant_words(description)
    wanted = set(matter_ids or ())
    found = []
    for req in db.session.scalars(query):
        same = [m.title for m in req.matters if m.id in wanted]
        words = shared_words(mine, significant_words(req.records_description)) if mine else []
        if same or words:
            found.append(Overlap(req, same, words))
    found.sort(key=lambda o: (-(bool(o.matters) + bool(o.words)), -len(o.words)))
    return found[:limit]


def for_draft(viewer: User, req: RecordsRequest) -> list[Overlap]:
    """The overlaps of a saved draft, as its page shows them."""
    return overlaps(viewer, agency_id=req.agency_id, description=req.records_description,
                    matter_ids=[m.id for m in req.matters], owner_id=req.owner_id, exclude_id=req.id)
