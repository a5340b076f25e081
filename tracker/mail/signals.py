"""Signals of the mail package, so filing an agency's letter and reading it stay apart.

`letter_received` is sent when an agency's letter lands on a request: an email threaded onto it, or a PDF a
reporter uploaded as the agency's letter. Sent as
`letter_received.send(communication, text=..., trusted=...)`: the Communication it is filed as, the letter's
text (body and attachments together), and whether the sender is known to be the agency's (False for a
message matched only by reply tag or tracking number from a sender outside the agency's mail domains: it is
filed, marked "unverified sender", and nothing is proposed from it). Proposals of the next step subscribe.

A receiver contains its own failure (a savepoint, a log line) so the letter is filed all the same, except in
the mail fetch's quick pass (mail.batch.current is set): there it adds its rows without flushing and lets a
failure raise, and the fetch writes the batch again message by message, each in savepoints.
"""

from blinker import Namespace

_signals = Namespace()
letter_received = _signals.signal("letter-received")
