"""`next` redirects go only to our own paths."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    if not target:
        return default
    parts = urlsplit(target)
    # Only a path on this site: no scheme, no host, no protocol-relative "//evil", no backslash tricks.
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):  # CR/LF would split the Location header
        return default
    return target
