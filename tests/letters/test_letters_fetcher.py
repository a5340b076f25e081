"""WeasyPrint may load nothing outside the letter's own folder."""

from __future__ import annotations

import base64
import io
import shutil
import socket
from pathlib import Path

import pytest
from pypdf import PdfReader

from tracker.letters import fetcher as fetcher_module
from tracker.letters.catalog import letter_templates_dir
from tracker.letters.fetcher import FetchRefused, LockedURLFetcher, locked_fetcher
from tracker.letters.render import render_pdf
from tracker.letters.samples import sample_context

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    letter = tmp_path / "letter"
    letter.mkdir()
    (letter / "logo.png").write_bytes(PNG)
    (tmp_path / "secret.txt").write_text("secret")
    (letter / "link.txt").symlink_to(tmp_path / "secret.txt")
    return letter


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x.png",
        "//example.com/x.png",
        "gopher://example.com/",
    ],
)
def test_refuses_everything_outside(folder: Path, url: str) -> None:
    with pytest.raises(FetchRefused):
        locked_fetcher(folder).fetch(url)


def test_refuses_traversal_symlinks_and_hosts(folder: Path) -> None:
    fetch = locked_fetcher(folder).fetch
    for url in (
        (folder / ".." / "secret.txt").as_uri(),
        folder.as_uri() + "/%2e%2e/secret.txt",
        (folder / "link.txt").as_uri(),  # a symlink pointing outside
        "file://evil.example.com" + str(folder / "logo.png"),
        (folder / "missing.png").as_uri(),
        folder.as_uri(),  # the folder itself is not a file
    ):
        with pytest.raises(FetchRefused):
            fetch(url)


def test_serves_files_in_the_folder_and_data_urls(folder: Path) -> None:
    fetcher = LockedURLFetcher(folder)
    response = fetcher.fetch((folder / "logo.png").as_uri())
    assert response.read() == PNG
    assert response.content_type == "image/png"
    data = fetcher.fetch("data:image/png;base64," + base64.b64encode(PNG).decode())
    assert data.read() == PNG and data.content_type == "image/png"
    assert fetcher.fetch("data:,a%20b").read() == b"a b"


def test_rendering_with_outside_references_succeeds_without_fetching_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "letter_templates"
    shutil.copytree(letter_templates_dir(), root)
    (root / "foia_request" / "logo.png").write_bytes(PNG)
    template = (
        '{% extends "_partials/layout.html" %}{% block body %}'
        '<p>Body text</p><img src="file:///etc/passwd"><img src="http://example.com/x.png">'
        '<img src="../status_inquiry/style.css"><img src="logo.png">'
        '<a rel="attachment" href="file:///etc/hostname">x</a>'
        "{% endblock %}"
    )
    style = "body { background: url(https://example.com/bg.png); } @import url(file:///etc/hosts);"

    asked: list[str] = []
    served: list[str] = []
    original = fetcher_module.LockedURLFetcher.fetch

    def recording_fetch(self: LockedURLFetcher, url: str, headers: dict | None = None):  # noqa: ANN202
        asked.append(url)
        response = original(self, url, headers)
        served.append(url)
        return response

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a letter tried to open a network connection")

    monkeypatch.setattr(fetcher_module.LockedURLFetcher, "fetch", recording_fetch)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)

    data = render_pdf(
        "foia_request",
        sample_context("foia_request"),
        templates_dir=root,
        template_source=template,
        style_source=style,
    )
    assert "Body text" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert any("example.com" in url for url in asked)  # WeasyPrint did ask, and was refused
    assert any("passwd" in url for url in asked) and any("hostname" in url for url in asked)
    assert served == [(root / "foia_request" / "logo.png").resolve().as_uri()]
