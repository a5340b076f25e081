"""A small IMAP client over the standard imaplib: log in, read a folder's UIDVALIDITY, list new UIDs, fetch
raw messages without marking them read, and flag them once they are safely stored."""

from __future__ import annotations

import contextlib
import imaplib
import re
from dataclasses import dataclass

FLAG = "\\Seen"


class MailboxError(Exception):
    """The mailbox could not be reached or read; the message says what to check."""


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    user: str
    password: str
    ssl: bool
    folder: str
    timeout: float = 60.0

    @classmethod
    def from_config(cls, config) -> Settings:
        return cls(host=config.get("TRACKER_IMAP_HOST", "").strip(), port=int(config.get("TRACKER_IMAP_PORT", 993)),
                   user=config.get("TRACKER_IMAP_USER", ""), password=config.get("TRACKER_IMAP_PASSWORD", ""),
                   ssl=bool(config.get("TRACKER_IMAP_SSL", True)), folder=config.get("TRACKER_IMAP_FOLDER") or "INBOX",
                   timeout=float(config.get("TRACKER_IMAP_TIMEOUT", 60)))


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Mailbox:
    """One connection with one folder selected."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.client: imaplib.IMAP4 | None = None
        self.uidvalidity = 0

    def __enter__(self) -> Mailbox:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        self.connect()
        s = self.settings
        status, data = self._call("select", _quote(s.folder))
        if status != "OK":
            raise MailboxError(f"The folder {s.folder!r} could not be opened: {data!r}. Check TRACKER_IMAP_FOLDER.")
        _, values = self.client.response("UIDVALIDITY")
        try:
            self.uidvalidity = int(values[0])
        except (TypeError, ValueError, IndexError) as exc:
            raise MailboxError("The IMAP server gave no UIDVALIDITY for the folder.") from exc

    def connect(self) -> None:
        """Connect and log in, no folder selected (open() selects the folder; append() needs none)."""
        s = self.settings
        try:
            if s.ssl:
                self.client = imaplib.IMAP4_SSL(s.host, s.port, timeout=s.timeout)
            else:
                self.client = imaplib.IMAP4(s.host, s.port, timeout=s.timeout)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxError(f"Could not connect to the IMAP server {s.host}:{s.port} ({exc}).") from exc
        try:
            self.client.login(s.user, s.password)
        except imaplib.IMAP4.error as exc:
            raise MailboxError(f"The IMAP server refused the login for {s.user!r}: check TRACKER_IMAP_USER and "
                               "TRACKER_IMAP_PASSWORD (an app password for Google or Microsoft 365).") from exc
        except OSError as exc:
            raise MailboxError(f"The IMAP server dropped the connection while logging in ({exc}).") from exc

    def _call(self, name: str, *args):
        try:
            return getattr(self.client, name)(*args)
        except TimeoutError as exc:
            raise MailboxError(f"The IMAP server did not answer within {self.settings.timeout:.0f} s.") from exc
        except (imaplib.IMAP4.abort, OSError) as exc:
            raise MailboxError(f"The IMAP server dropped the connection ({exc}).") from exc
        except imaplib.IMAP4.error as exc:
            raise MailboxError(f"The IMAP server refused a command ({exc}).") from exc

    def new_uids(self, after: int) -> list[int]:
        status, data = self._call("uid", "SEARCH", None, f"UID {after + 1}:*")
        if status != "OK":
            raise MailboxError(f"The IMAP server refused to list messages: {data!r}")
        uids = sorted(int(x) for x in (data[0] or b"").split())
        return [u for u in uids if u > after]  # "N:*" always names the last message, even below N

    def fetch(self, uids: list[int]) -> dict[int, bytes]:
        """The raw bytes of these messages, read without setting \\Seen."""
        if not uids:
            return {}
        status, data = self._call("uid", "FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
        if status != "OK":
            raise MailboxError(f"The IMAP server refused to fetch messages: {data!r}")
        out: dict[int, bytes] = {}
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                found = re.search(rb"UID (\d+)", item[0])
                if found:
                    out[int(found.group(1))] = item[1]
        return out

    def append(self, raw: bytes) -> tuple[str, list]:
        """IMAP APPEND of one message to the folder (`tracker mail-demo`); the server's answer: a NO raises
        nothing by itself."""
        return self._call("append", _quote(self.settings.folder), None, None, raw)

    def flag(self, uids: list[int]) -> None:
        """Mark stored messages as read on the server (after the commit, never before)."""
        if uids:
            self._call("uid", "STORE", ",".join(map(str, uids)), "+FLAGS", f"({FLAG})")

    def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.logout()
            self.client = None
