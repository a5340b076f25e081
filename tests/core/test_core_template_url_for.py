"""Templates' url_for keeps the address of a page without arguments and of a static file (the top bar's links and
assets, on every page) per host and script root, and builds every other address as url_for does: the same
addresses, fewer builds."""

from __future__ import annotations

from flask import render_template_string, url_for

from tracker.core import template_helpers

CALLS = [("core.index", {}), ("board.show", {}), ("static", {"filename": "tracker.css"}),
         ("static", {"filename": "vendor/tom-select/tom-select.complete.min.js"}),
         ("requests.show", {"request_id": 7}), ("requests.list_requests", {"status": "filed", "page": 2}),
         ("requests.act", {"request_id": 3, "action_name": "file"})]


def test_the_same_address_as_url_for_on_every_host_and_script_root(app):
    for base, script in (("http://localhost", ""), ("https://news.example", "/tracker"),
                         ("http://other.example:8080", "/a/b")):
        with app.test_request_context("/requests", base_url=base + script):
            for endpoint, values in CALLS:
                for _ in range(2):  # built, then kept
                    assert template_helpers.template_url_for(endpoint, **values) == url_for(endpoint, **values)
            external = template_helpers.template_url_for("board.show", _external=True)
            assert external == url_for("board.show", _external=True) and external.startswith(base)


def test_templates_build_a_fixed_address_once(app, monkeypatch):
    built = []

    def counting(endpoint, **values):
        built.append(endpoint)
        return url_for(endpoint, **values)

    monkeypatch.setattr(template_helpers, "url_for", counting)
    app.extensions.pop(template_helpers._FIXED_URLS, None)
    page = ("{{ url_for('board.show') }} {{ url_for('static', filename='tracker.css') }} "
            "{{ url_for('requests.show', request_id=4) }}")
    with app.test_request_context("/"):
        first = render_template_string(page)
        second = render_template_string(page)
    assert first == second == "/board /static/tracker.css /requests/4"
    assert built == ["board.show", "static", "requests.show", "requests.show"]


def test_url_defaults_are_honoured(app, monkeypatch):
    app.extensions.pop(template_helpers._FIXED_URLS, None)
    monkeypatch.setitem(app.url_default_functions, None, [lambda endpoint, values: values.setdefault("v", "1")])
    with app.test_request_context("/"):
        assert template_helpers.template_url_for("board.show") == url_for("board.show") == "/board?v=1"
