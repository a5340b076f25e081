"""The locked URL fetcher WeasyPrint uses for letters.

A letter template is user-editable, so whatever it references must not reach the server's
files or the network. The fetcher serves:

- ``file:`` URLs whose real path (symlinks and ``..`` resolved) lies inside the letter's own
  folder, e.g. a letterhead logo next to ``template.html``;
- ``data:`` URLs, decoded in memory: they carry their bytes inline and fetch nothing.

Everything else (``http:``, ``https:``, ``ftp:``, ``file:`` outside the folder, a file URL with
a host) raises :class:`FetchRefused`. WeasyPrint catches it, logs a warning and renders the
letter without that resource.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

# Letters embed a logo at most; anything bigger is a mistake or an attack.
MAX_RESOURCE_BYTES = 5 * 1024 * 1024


class FetchRefused(ValueError):
    """A letter referenced a resource outside its own folder."""


class LockedURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher confined to one folder (plus inline ``data:`` URLs)."""

    def __init__(self, root: str | Path) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = Path(root).resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._fetch_data(url)
        if scheme == "file":
            return self._fetch_file(url)
        raise FetchRefused(f"letters may not load {url!r}: only files in the letter's folder")

    def path_for(self, url: str) -> Path:
        """The local path a ``file:`` URL names, if it is inside the root; else FetchRefused."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"letters may not load {url!r}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root):
            raise FetchRefused(f"letters may not load {url!r}: outside {self.root}")
        if not path.is_file():
            raise FetchRefused(f"no such file in the letter's folder: {path.name}")
        return path

    def _fetch_file(self, url: str) -> URLFetcherResponse:
        path = self.path_for(url)
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise FetchRefused(f"{path.name} is larger than {MAX_RESOURCE_BYTES} bytes")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    @staticmethod
    def _fetch_data(url: str) -> URLFetcherResponse:
        # Decoded here rather than by urllib's handler chain, so no opener is ever involved.
        header, sep, payload = url[len("data:") :].partition(",")
        if not sep:
            raise FetchRefused("malformed data: URL")
        params = header.split(";")
        raw = unquote_to_bytes(payload)
        body = base64.b64decode(raw) if params[-1].lower() == "base64" else raw
        if len(body) > MAX_RESOURCE_BYTES:
            raise FetchRefused("data: URL is too large")
        mime = (params[0] if params[0] and params[0].lower() != "base64" else "text/plain").lower()
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def locked_fetcher(folder: str | Path) -> LockedURLFetcher:
    """The fetcher to give WeasyPrint when rendering the letter whose files are in ``folder``."""
    return LockedURLFetcher(folder)
