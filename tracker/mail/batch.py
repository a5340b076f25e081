"""The mail fetch's quick pass over one IMAP batch: every message's rows are added with no flush in between
and written by one flush for the batch (the database gets one multi-row INSERT per table instead of a few
statements per message). What needs the rows' ids waits for that flush: `rows`, the attachments and events
that nothing reads back, kept as plain values (core.plain_rows: an .eml is named by its message's id, an
attachment names its communication), written right after it; then `letters` (letter_received, so its receivers
get a communication with its id, as they do outside the quick pass); then `notices` (the emails telling people
a letter arrived, queued in the outbox under the communication's id). The letters' `proposals` are not added
to the session: they are written with one INSERT, as the emails are (no second pass of the unit of work, and
no ids drawn for rows that nothing reads back).

The quick pass has no savepoints, so a letter reader's failure is not contained: it raises, the fetch rolls
the batch back and writes it again carefully, one message and one reading at a time (fetch._store_batch).
`current` is the batch being written, or None outside a quick pass. `lookups` are its look-ups made once for
all its messages (mail.lookups), `mails` the emails its notices queue, written together after them.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tracker.core import mail as outbox
from tracker.core.plain_rows import PlainRows
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.mail.lookups import Lookups
    from tracker.mail.proposal_models import Proposal


@dataclass
class QuickBatch:
    letters: list[Callable[[], None]] = field(default_factory=list)
    notices: list[Callable[[], None]] = field(default_factory=list)
    lookups: Lookups | None = None
    mails: list[dict[str, Any]] = field(default_factory=list)  # outbox rows (core.mail.outbox_row)
    proposals: list[Proposal] = field(default_factory=list)  # the letters' proposals, not added to the session
    proposed: dict[int, set[str]] = field(default_factory=dict)  # id() of a letter -> the kinds proposed from it
    rows: PlainRows = field(default_factory=PlainRows)  # the attachments and events, as plain rows

    def add_proposals(self, letter: object, made: list[Proposal]) -> None:
        """Proposals read from this letter (a communication the batch holds until it is written)."""
        self.proposals.extend(made)
        self.proposed.setdefault(id(letter), set()).update(p.kind for p in made)

    def finish(self, flush: Callable[[], None]) -> None:
        """Once the batch's rows are written: write the plain rows (they name those rows' ids), read the letters,
        queue the emails, and write what they added."""
        flush()
        if self.rows:
            self.rows.write(db.session.connection())
        for letter in self.letters:
            letter()
        for notice in self.notices:
            notice()
        if self.proposals:
            from tracker.mail.proposals import insert_many

            insert_many(self.proposals)
        if self.mails:
            outbox.queue_many(self.mails)
        flush()


current: ContextVar[QuickBatch | None] = ContextVar("quick_batch", default=None)
