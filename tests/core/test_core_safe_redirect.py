"""`next=` after login goes only to a path on this site: never to another host, never with a control character
that would split the Location header (CR/LF) or hide a scheme (tab)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import PASSWORD
from tests.helpers import csrf_token
from tracker.core.safe_redirect import safe_next

DEFAULT = "/requests"


@pytest.mark.parametrize("target,expected", [
    ("/matters", "/matters"),
    ("/requests/12?tab=letters#top", "/requests/12?tab=letters#top"),
    ("/", "/"),
    (None, DEFAULT),
    ("", DEFAULT),
    ("matters", DEFAULT),  # not a path from the root
    ("https://evil.example/x", DEFAULT),
    ("javascript:alert(1)", DEFAULT),
    ("//evil.example", DEFAULT),
    ("/\\evil.example", DEFAULT),
    ("///evil.example", DEFAULT),  # browsers read three slashes as another host too
    ("////evil.example", DEFAULT),
    ("/matters\\..\\x", DEFAULT),
    ("/matters\r\nSet-Cookie: session=stolen", DEFAULT),
    ("/matters\nLocation: https://evil.example", DEFAULT),
    ("/matters\r", DEFAULT),
    ("/\t/evil.example", DEFAULT),
    ("/matters\x00", DEFAULT),
    ("/matters\x1f", DEFAULT),
    ("/matters\x7f", DEFAULT),
    ("/matters\x80", "/matters\x80"),  # above the control characters: an ordinary (if odd) path
    ("/caf\u00e9", "/caf\u00e9"),
    ("/ok space", "/ok space"),
])
def test_safe_next(target, expected):
    assert safe_next(target, DEFAULT) == expected


@pytest.mark.parametrize("target,expected", [
    ("/matters", "/matters"),
    ("/matters\r\nSet-Cookie: session=stolen", DEFAULT),
    ("/matters\nX: y", DEFAULT),
    ("//evil.example", DEFAULT),
])
def test_login_redirects_only_to_our_paths_even_with_cr_lf(client, users, target, expected):
    token = csrf_token(client, "/login")
    response = client.post(f"/login?next={quote(target, safe='/')}", data={
        "email": "reporter@test.example", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert "Set-Cookie: session=stolen" not in str(response.headers)
