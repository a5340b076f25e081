"""The bad-input corpus in query strings: every GET page and API read of the permission matrix, with every
filter, search, sort and paging parameter the app reads set to hostile values. Never a 5xx."""

from __future__ import annotations

import pytest

from tests.security import world as world_module
from tests.security.corpus import XSS
from tests.security.test_security_matrix import MATRIX

REQUESTS = ("q", "status", "agency_id", "owner_id", "matter_id", "mine", "sort", "page", "per_page", "format")
BOARD = ("owner_id", "agency_id", "matter_id", "jurisdiction", "status", "column", "tv", "period")
LEDGER = ("state", "category", "agency_id", "q", "sort", "page", "format")
# The parameters each page reads (by the start of its path); other pages get a few anyway.
PARAMS = [("/requests", REQUESTS), ("/export/", REQUESTS), ("/api/v1/requests", REQUESTS),
          ("/api/v1/export", REQUESTS), ("/board", BOARD), ("/api/v1/board", BOARD), ("/matters", LEDGER),
          ("/api/v1/ledger", LEDGER), ("/api/v1/matters", LEDGER), ("/reminders/outbox", ("status", "page")),
          ("/imports/", ("saved",)), ("/login", ("next",)), ("/", ("q", "page", "id"))]
VALUES = {
    "nul": "%00", "nul_in_text": "ICE%00FOIA", "invalid_utf8": "%FF%FE%C3%28", "long": "x" * 5000,
    "xss": XSS.replace("<", "%3C").replace(">", "%3E").replace('"', "%22").replace(" ", "%20"),
    "negative": "-1", "huge": "99999999999999999999", "past_int32": "99999999999", "float": "1.5",
    "percent": "%25%5F%5C",
    "twice": "1&{name}=2", "array": "[]", "surrogate": "%ED%A0%80",
}


def _get_routes() -> list[str]:
    return sorted(url for route, cases in MATRIX.items() if route.startswith("GET ") for url, _ in cases
                  if "/calendar/" not in url or "feed_mine" in url)


# An editor's queries see every request, so they go furthest. One test per route: the whole corpus is minutes of
# pages on a slow machine, and as one test it was the last one still running.
@pytest.mark.parametrize("template", _get_routes())
def test_hostile_query_strings(app, world, template):
    client, _csrf = world_module.login(app, "editor")
    token = {"Authorization": f"Bearer {world.api['editor']}"}
    problems = []
    count = 0
    base = world.fmt(template)
    for name in next(params for prefix, params in PARAMS if base.startswith(prefix)):
        for value in VALUES.values():
            joiner = "&" if "?" in base else "?"
            url = f"{base}{joiner}{name}={value.format(name=name)}"
            count += 1
            try:  # under TESTING the client raises what would be a 500
                response = client.get(url, headers=token if url.startswith("/api/") else {})
                response.get_data()
                response.close()
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{url[:160]}: {type(exc).__name__}: {str(exc)[:100]}")
                continue
            if response.status_code >= 500:
                problems.append(f"{url[:160]}: {response.status_code}")
    assert not problems, f"{len(problems)} of {count}:\n" + "\n".join(problems[:60])


def test_hostile_login_next(app, world):
    """`next` goes only to our own paths, whatever it holds."""
    from tests.conftest import PASSWORD

    for target in ("https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)",
                   "%00/x", "/requests%0d%0aSet-Cookie:x=1", "\\\\evil.example", "/%2F%2Fevil.example",
                   "http:/evil.example", "/" + "x" * 5000):
        client = app.test_client()
        csrf = world_module.csrf_of(client)
        response = client.post(f"/login?next={target}", data={"email": "reporter@test.example", "password": PASSWORD,
                                                                "csrf_token": csrf})
        assert response.status_code == 302, target
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location
        assert "\r" not in location and "\n" not in location


def test_ids_past_the_database_integers_are_not_found(app, world):
    """Every route with an id, given a number no id can be: a 404, never an overflow in the database driver."""
    import re

    client, csrf = world_module.login(app, "admin")
    token = {"Authorization": f"Bearer {world.api['admin']}"}
    wrong = []
    for route in MATRIX:
        method, rule = route.split(" ", 1)
        if "<int:" not in rule:
            continue
        for big in ("2147483648", "99999999999999999999"):
            url = re.sub(r"<[a-z_]+>", "appeal", re.sub(r"<int:[a-z_]+>", big, rule))
            response = client.open(url, method=method, data=None if method == "GET" else {"csrf_token": csrf},
                                   headers=token if url.startswith("/api/") else {})
            if response.status_code != 404:
                wrong.append(f"{method} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
