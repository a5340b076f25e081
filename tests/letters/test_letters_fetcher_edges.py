"""The letter fetcher at its edges: the exact size limit for files and data: URLs, what each refusal says,
the content type it reports, and that WeasyPrint's own fetch (should anything reach it) is confined too."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from weasyprint.urls import URLFetcher

from tracker.letters.fetcher import MAX_RESOURCE_BYTES, FetchRefused, LockedURLFetcher, locked_fetcher

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    letter = tmp_path / "letter"
    letter.mkdir()
    (letter / "logo.png").write_bytes(PNG)
    (letter / "notes.unknownext").write_bytes(b"?")
    return letter


def refusal(fetcher: LockedURLFetcher, url: str) -> str:
    with pytest.raises(FetchRefused) as refused:
        fetcher.fetch(url)
    return str(refused.value)


def test_each_refusal_says_why(folder: Path) -> None:
    fetcher = locked_fetcher(folder)
    root = folder.resolve()
    assert refusal(fetcher, "http://example.com/x.png") == \
        "letters may not load 'http://example.com/x.png': only files in the letter's folder"
    assert refusal(fetcher, "logo.png") == "letters may not load 'logo.png': only files in the letter's folder"
    for bare in ("data", "file", "FILE"):  # a scheme's name without its colon is not that scheme
        assert refusal(fetcher, bare) == f"letters may not load {bare!r}: only files in the letter's folder"
    assert refusal(fetcher, "file://evil.example/etc/passwd") == "letters may not load 'file://evil.example/etc/passwd'"
    outside = (folder.parent / "x.png").as_uri()
    assert refusal(fetcher, outside) == f"letters may not load {outside!r}: outside {root}"
    assert refusal(fetcher, (folder / "missing.png").as_uri()) == "no such file in the letter's folder: missing.png"
    assert refusal(fetcher, "data:text/plain") == "malformed data: URL"
    with pytest.raises(FetchRefused) as refused:
        fetcher.path_for("http://example.com/logo.png")
    assert str(refused.value) == "letters may not load 'http://example.com/logo.png'"


def test_schemes_in_capitals_and_localhost_are_the_same(folder: Path) -> None:
    fetcher = locked_fetcher(folder)
    assert fetcher.fetch("DATA:,hi").read() == b"hi"
    assert fetcher.fetch("FILE://" + str(folder / "logo.png")).read() == PNG
    assert fetcher.fetch("file://localhost" + str(folder / "logo.png")).read() == PNG
    assert fetcher.path_for("file://localhost" + str(folder / "logo.png")) == (folder / "logo.png").resolve()


def test_files_up_to_the_limit_are_served_and_one_byte_more_is_refused(folder: Path) -> None:
    fetcher = locked_fetcher(folder)
    (folder / "big.bin").write_bytes(b"\0" * MAX_RESOURCE_BYTES)
    response = fetcher.fetch((folder / "big.bin").as_uri())
    assert len(response.read()) == MAX_RESOURCE_BYTES
    assert response.url == (folder / "big.bin").resolve().as_uri()
    (folder / "bigger.bin").write_bytes(b"\0" * (MAX_RESOURCE_BYTES + 1))
    assert refusal(fetcher, (folder / "bigger.bin").as_uri()) == \
        f"bigger.bin is larger than {MAX_RESOURCE_BYTES} bytes"


def test_data_urls_up_to_the_limit_are_decoded_and_one_byte_more_is_refused(folder: Path) -> None:
    fetcher = locked_fetcher(folder)
    exact = "data:;base64," + base64.b64encode(b"\0" * MAX_RESOURCE_BYTES).decode()
    assert len(fetcher.fetch(exact).read()) == MAX_RESOURCE_BYTES
    over = "data:;base64," + base64.b64encode(b"\0" * (MAX_RESOURCE_BYTES + 1)).decode()
    assert refusal(fetcher, over) == "data: URL is too large"


@pytest.mark.parametrize("url,body,content_type", [
    ("data:,a%20b", b"a b", "text/plain"),
    ("data:,a,b", b"a,b", "text/plain"),  # only the first comma ends the header
    ("data:;base64,aGk=", b"hi", "text/plain"),
    ("data:base64,aGk=", b"hi", "text/plain"),  # "base64" alone is an encoding, not a type
    ("data:Image/PNG;base64," + base64.b64encode(PNG).decode(), PNG, "image/png"),
    ("data:text/css,p%7Bcolor:red%7D", b"p{color:red}", "text/css"),
])
def test_data_urls_are_decoded_with_their_type(folder: Path, url: str, body: bytes, content_type: str) -> None:
    response = locked_fetcher(folder).fetch(url)
    assert (response.read(), response.content_type, response.url) == (body, content_type, url)
    assert response.headers["Content-Type"] == content_type  # as sent, not only as WeasyPrint reads it


def test_files_get_their_type_from_the_name(folder: Path) -> None:
    fetcher = locked_fetcher(folder)
    assert fetcher.fetch((folder / "logo.png").as_uri()).content_type == "image/png"
    unknown = fetcher.fetch((folder / "notes.unknownext").as_uri())
    assert unknown.content_type == unknown.headers["Content-Type"] == "application/octet-stream"


def test_weasyprints_own_fetch_is_confined_to_files_and_data_too(folder: Path) -> None:
    """Should a WeasyPrint version call the base class's fetch, it still refuses the network."""
    fetcher = locked_fetcher(folder)
    with pytest.raises(ValueError, match="disallowed protocol"):
        URLFetcher.fetch(fetcher, "http://127.0.0.1:9/x.png")
    assert URLFetcher.fetch(fetcher, "data:,hi").read() == b"hi"
    assert URLFetcher.fetch(fetcher, (folder / "logo.png").as_uri()).read() == PNG
