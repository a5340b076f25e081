"""Attachment bytes live behind this small interface so an object store can replace the directory."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO, Protocol

import filetype

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    key: str  # random name; never derived from what the user called the file
    sha256: str
    size: int
    head: bytes = field(repr=False)  # the first bytes, that the content type is sniffed from

    @cached_property
    def content_type(self) -> str:
        """Sniffed from the bytes, not taken from the browser; when first asked (the raw .eml of a fetched
        message never is: it is message/rfc822)."""
        return sniff_content_type(self.head)


class Storage(Protocol):
    def save(self, stream: BinaryIO) -> StoredFile: ...
    def open(self, key: str) -> BinaryIO: ...
    def delete(self, key: str) -> None: ...
    def path(self, key: str) -> Path: ...


def sniff_content_type(head: bytes) -> str:
    """Content type from magic bytes; plain text when it decodes as UTF-8; otherwise opaque bytes."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # The head may end in the middle of a character; judge by all but the last three bytes.
        try:
            head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return "application/octet-stream"
    return "text/plain" if b"\x00" not in head else "application/octet-stream"


class DirectoryStorage:
    """Files under one directory, named by a random key, split into two-letter subfolders."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("not a storage key")
        return self.root / key[:2] / key

    def save(self, stream: BinaryIO) -> StoredFile:
        key = secrets.token_hex(16)
        target = self.path(key)
        digest = hashlib.sha256()
        size = 0
        head = b""
        partial = target.with_suffix(".part")
        try:
            out = open(partial, "wb")  # noqa: SIM115  (closed by the with below)
        except FileNotFoundError:  # the key's subfolder is made the first time (there are 256)
            target.parent.mkdir(parents=True, exist_ok=True)
            out = open(partial, "wb")  # noqa: SIM115
        with out:
            while chunk := stream.read(CHUNK):
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        partial.replace(target)
        return StoredFile(key=key, sha256=digest.hexdigest(), size=size, head=head)

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def init_storage(app) -> None:
    """Bind the one storage object of this app (create_app calls it): the uploads directory today; an object
    store could take its place here without touching a caller."""
    app.extensions["tracker_storage"] = DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"])


def storage() -> Storage:
    """The app's storage object (inside an app context)."""
    from flask import current_app

    return current_app.extensions["tracker_storage"]
