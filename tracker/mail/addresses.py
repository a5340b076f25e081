"""Reply addresses: the newsroom mailbox with a `+` tag that names one request by its random token."""

from __future__ import annotations

import re
from email.utils import getaddresses
from functools import lru_cache

from flask import current_app

_TAG = re.compile(r"^[^@+\s]+\+([a-z0-9]{6,20})@", re.IGNORECASE)


def mailbox_address() -> str:
    """TRACKER_MAIL_ADDRESS, or "" when the newsroom has no mailbox set up."""
    return current_app.config.get("TRACKER_MAIL_ADDRESS", "").strip()


def reply_address(reply_token: str, mailbox: str | None = None) -> str:
    """foia+TOKEN@newsroom.org for the mailbox foia@newsroom.org; "" without a mailbox."""
    mailbox = mailbox_address() if mailbox is None else mailbox
    if "@" not in mailbox:
        return ""
    local, domain = mailbox.rsplit("@", 1)
    return f"{local.split('+', 1)[0]}+{reply_token}@{domain}"


def tokens_in(*header_values: str) -> list[str]:
    """The reply tokens named by the addresses in these headers (To, Cc, Delivered-To...), in order, once each."""
    if sum(len(v or "") for v in header_values) <= CACHED_CHARS:
        return list(_cached_tokens_in(header_values))
    return list(_tokens_in(header_values))


CACHED_CHARS = 2000  # headers longer than this together (a hostile list of addresses) are not kept in the cache


@lru_cache(maxsize=1024)
def _cached_tokens_in(header_values: tuple[str, ...]) -> tuple[str, ...]:
    # A fetch reads each message's headers twice (its batch's look-ups, then its threading), and much of a
    # mailbox's mail is addressed alike; the address parser is slow.
    return _tokens_in(header_values)


def _tokens_in(header_values: tuple[str, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for _name, address in getaddresses([v for v in header_values if v]):
        match = _TAG.match(address or "")
        if match and match.group(1).lower() not in found:
            found.append(match.group(1).lower())
    return tuple(found)
