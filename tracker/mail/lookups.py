"""The look-ups of one quick fetch batch (mail.batch), made once for the batch instead of once per message:
which message keys are stored already, which requests the batch's reply tags, references to our letters and
tracking numbers name (with what filing and telling people read of them: agency, owner, watchers, tracking
numbers), and those people's notification preferences.

Each answer is what the one-message query in threading.py would give, because nothing a batch writes changes
it: a filed message adds an incoming communication (rule (a) looks only at letters we sent), no tracking
number, no reply token, no preference. The one thing a batch does change, the stored keys, is kept here as the
batch goes: the second copy of a message in one batch is a duplicate, as the careful pass would find.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tracker.core.installation import Installation, message_id_part
from tracker.extensions import db
from tracker.mail.addresses import tokens_in
from tracker.mail.batch import current as quick_batch
from tracker.mail.models import IncomingMessage
from tracker.mail.parse import Parsed
from tracker.mail.threading import MAX_CANDIDATES, tracking_candidates
from tracker.reminders.services import Preference, preferences
from tracker.requests.models import Communication, RecordsRequest, TrackingNumber

# What filing a message and telling people read of its request: loaded with the request, not one by one.
# The agency and the owner joined (one of each per request), the lists selected in (one statement each).
_REQUEST_PARTS = (joinedload(RecordsRequest.agency), joinedload(RecordsRequest.owner),
                  selectinload(RecordsRequest.watchers), selectinload(RecordsRequest.tracking_numbers))


@dataclass
class Lookups:
    stored_keys: set[str]
    tokens: dict[str, RecordsRequest | None]  # a reply token -> its request (None: no request has it)
    sent: dict[str, tuple[int, RecordsRequest] | None]  # a Message-ID -> (our letter's communication, request)
    numbers: dict[str, list[TrackingNumber]]  # an upper-cased tracking number -> its rows ([]: none)
    prefs: dict[int, Preference | None] = field(default_factory=dict)  # a user -> preferences (None: defaults)
    installation: Installation | None = None  # held, so every notice's Message-ID reads it from the session
    read: dict[str | None, list[str]] = field(default_factory=dict)  # a text -> its tracking candidates

    @classmethod
    def load(cls, keys: Iterable[str], messages: Iterable[tuple[Parsed, list[str]]]) -> Lookups:
        """One query per kind for the batch's keys and its messages (each parsed, with its attachments' text),
        and one load of every request they name, with its parts. What a message turns out to ask beyond that
        (it should not) is looked up when asked."""
        ids, tokens, candidates = set(), set(), set()
        found = cls(set(), {}, {}, {})
        for parsed, attachment_texts in messages:
            levels = _levels(parsed)
            for level in levels:
                for value in (level.in_reply_to + level.references)[:50]:
                    ids |= {value, value.strip("<>")}
                tokens |= set(tokens_in(level.to, level.cc, *level.delivered_to))
                candidates |= set(found.tracking_candidates([level.subject, level.body]))
            candidates |= set(found.tracking_candidates(attachment_texts))
        keys = set(keys)
        found.stored_keys = set(db.session.scalars(select(IncomingMessage.message_key).where(
            IncomingMessage.message_key.in_(keys)))) if keys else set()
        found._load(tokens, ids, candidates)
        people = {u.id for r in found._requests() for u in (r.owner, *r.watchers) if u is not None}
        found.preferences(people)
        found.installation = db.session.get(Installation, 1)
        return found

    def hold_installation(self) -> None:
        """Keep the installation's row in the session (made now if this is its first mail), so the Message-ID
        of each notice reads it from there (core.installation) and not from the database."""
        if self.installation is None:
            message_id_part()
            self.installation = db.session.get(Installation, 1)

    def _load(self, tokens: set[str], ids: set[str], candidates: set[str]) -> None:
        """What these reply tokens, Message-IDs and tracking numbers name: first which requests (the tokens' and
        our letters' by their ids, the numbers' rows), then those requests together, once, with their parts."""
        wanted: dict[int, list] = {}  # a request's id -> [(answers, key, the hit before its request is known)]
        if tokens:
            self.tokens.update(dict.fromkeys(tokens))
            for request_id, token in db.session.execute(select(RecordsRequest.id, RecordsRequest.reply_token)
                                                        .where(RecordsRequest.reply_token.in_(tokens))):
                wanted.setdefault(request_id, []).append((self.tokens, token, None))
        if ids:
            self.sent.update(dict.fromkeys(ids))
            latest: dict[str, tuple[int, int]] = {}  # a Message-ID -> (our latest letter's communication, request)
            for comm_id, message_id, request_id in db.session.execute(
                    select(Communication.id, Communication.message_id, Communication.request_id).where(
                        Communication.message_id.in_(ids), Communication.direction == "out")):
                if message_id not in latest or latest[message_id][0] < comm_id:
                    latest[message_id] = (comm_id, request_id)
            for message_id, (comm_id, request_id) in latest.items():
                wanted.setdefault(request_id, []).append((self.sent, message_id, comm_id))
        rows = []
        if candidates:
            self.numbers.update({c: [] for c in candidates})
            rows = list(db.session.scalars(select(TrackingNumber).where(func.upper(TrackingNumber.number).in_(
                candidates)).order_by(TrackingNumber.id)))
            wanted.update({row.request_id: wanted.get(row.request_id, []) for row in rows})
        if wanted:
            loaded = {r.id: r for r in db.session.scalars(select(RecordsRequest).where(
                RecordsRequest.id.in_(wanted)).options(*_REQUEST_PARTS))}
            for request_id, hits in wanted.items():
                for answers, key, comm_id in hits:
                    answers[key] = loaded[request_id] if answers is self.tokens else (comm_id, loaded[request_id])
        for row in rows:  # each row holds its request, as a load of it would (the session holds it only weakly)
            set_committed_value(row, "request", loaded[row.request_id])
            self.numbers.setdefault(row.number.upper(), []).append(row)

    def _requests(self) -> Iterable[RecordsRequest]:
        yield from (req for req in self.tokens.values() if req is not None)
        yield from (hit[1] for hit in self.sent.values() if hit is not None)
        yield from (row.request for rows in self.numbers.values() for row in rows)

    # --- the answers, as threading.py's queries give them -------------------------------------------------

    def claim_key(self, key: str) -> bool:
        """True when the key is new (and now taken by this batch); False: stored already, or earlier in it."""
        if key in self.stored_keys:
            return False
        self.stored_keys.add(key)
        return True

    def sent_by_us(self, variants: set[str]) -> RecordsRequest | None:
        self._load(set(), variants - self.sent.keys(), set())
        hits = [self.sent[v] for v in variants if self.sent[v] is not None]
        return max(hits, key=lambda hit: hit[0])[1] if hits else None

    def by_token(self, token: str) -> RecordsRequest | None:
        self._load({token} - self.tokens.keys(), set(), set())
        return self.tokens[token]

    def tracking_candidates(self, texts: list[str | None]) -> list[str]:
        """threading.tracking_candidates(*texts), each text read once for the batch: threading asks again for the
        texts that load() read (a subject, a body, a PDF's text), and gets them without a second pass."""
        for text in texts:
            if text not in self.read:
                self.read[text] = tracking_candidates(text)
        # Each text's own list is cut at the same limit, so the first MAX_CANDIDATES of them all are the same.
        return list(dict.fromkeys(c for text in texts for c in self.read[text]))[:MAX_CANDIDATES]

    def tracking_rows(self, candidates: list[str]) -> list[TrackingNumber]:
        wanted = set(candidates)
        self._load(set(), set(), wanted - self.numbers.keys())
        return sorted((row for key in wanted for row in self.numbers[key]), key=lambda row: row.id)

    def preferences(self, user_ids: Iterable[int]) -> dict[int, Preference]:
        ids = set(user_ids)
        missing = ids - self.prefs.keys()
        if missing:
            self.prefs.update(dict.fromkeys(missing))
            self.prefs.update(preferences(missing))
        return {i: self.prefs[i] for i in ids if self.prefs[i] is not None}


def current() -> Lookups | None:
    """The look-ups of the quick batch being written, or None (outside one, or before they are made)."""
    quick = quick_batch.get()
    return quick.lookups if quick is not None else None


def _levels(parsed: Parsed) -> list[Parsed]:
    """The message and every message forwarded inside it (thread() reads the original of a forward)."""
    levels = [parsed]
    while levels[-1].forwarded is not None and len(levels) < 20:
        levels.append(levels[-1].forwarded)
    return levels
