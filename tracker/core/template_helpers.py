"""Helpers every template may use."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import Flask, has_request_context, request, url_for
from flask.globals import request_ctx
from markupsafe import Markup, escape

from tracker.core.clock import local, local_date


def url_with(**changes) -> str:
    """The current page's URL with some query arguments changed (filters stay in the URL)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def id_href(endpoint: str, name: str) -> str:
    """The address of `endpoint` less the id that ends it ("/requests/0" less its 0), for a list to append each
    row's id: a url_for per row costs about a millisecond a list of fifty."""
    return url_for(endpoint, **{name: 0})[:-1]


_FIXED_URLS = "tracker.fixed_urls"  # app.extensions: {(host, script root, ..., endpoint, static file): address}


def template_url_for(endpoint: str, **values) -> str:
    """url_for, as templates call it. The address of a page that takes no argument, or of a static file, is the same
    on every view that comes through one host and script root: kept per app, not built again (a dozen on every page,
    the top bar's links and assets, at about 5 microseconds each). Any other address, one outside a request, and
    every address when the app has url_defaults callbacks (which could add arguments) are built by url_for."""
    if (endpoint[:1] == "." or (values and (len(values) != 1 or type(values.get("filename")) is not str))
            or not has_request_context()):
        return url_for(endpoint, **values)
    ctx = request_ctx._get_current_object()  # one look-up of the context for its app and its request
    app = ctx.app
    if app.url_default_functions:
        return url_for(endpoint, **values)
    environ = ctx.request.environ  # what the request's URL adapter is bound to (after any proxy fix)
    key = (environ.get("HTTP_HOST"), environ.get("SERVER_NAME"), environ.get("SERVER_PORT"),
           environ.get("SCRIPT_NAME"), environ.get("wsgi.url_scheme"), endpoint, values.get("filename"))
    kept = app.extensions.get(_FIXED_URLS)
    if kept is None:
        kept = app.extensions[_FIXED_URLS] = {}
    url = kept.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(kept) < 1024:  # a bounded store, whatever hosts clients name
            kept[key] = url
    return url


def longdate(day) -> str:
    if isinstance(day, datetime):
        day = local_date(day)
    return f"{day:%B} {day.day}, {day.year}" if day else ""


def when(instant) -> str:
    """An instant in the newsroom's time zone, e.g. 2026-11-20 14:05 EST."""
    return local(instant).strftime("%Y-%m-%d %H:%M %Z") if instant else ""


def day(value) -> str:
    """A day as 2026-11-20: a date as it is, an instant as the newsroom's date (never UTC's)."""
    if not value:
        return ""
    return (local_date(value) if isinstance(value, datetime) else value).isoformat()


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


_CUT = "\x00"  # joins a menu's labels to escape them at once; a label holding it is escaped alone


def _escaped_labels(labels: list) -> list[str]:
    """Each label escaped. The labels are escaped as one string, split again at a character none of them
    holds: one call to the escaper for a menu of hundreds of matters, not one each (a quarter of the time)."""
    if any(hasattr(label, "__html__") for label in labels):  # already markup: escape() leaves it as it is
        return [escape(label) for label in labels]
    texts = [str(label) for label in labels]
    if any(_CUT in text for text in texts):
        return [escape(text) for text in texts]
    return str(escape(_CUT.join(texts))).split(_CUT) if texts else []


def _tags(choices: tuple) -> tuple:
    """(values, html with nothing selected, where each option's " selected" goes in that html, positions of each
    value or None) of (value, label) pairs."""
    labels = _escaped_labels([label for _value, label in choices])
    values = tuple(value for value, _label in choices)
    heads = tuple(f'<option value="{value if type(value) is int else escape(value)}"'  # an id needs no escaping
                  for value in values)
    tails = tuple(f">{label}</option>" for label in labels)
    marks, at = [], 0  # the offset just after each option's opening tag's value, where " selected" goes
    for head, tail in zip(heads, tails, strict=True):
        marks.append(at + len(head))
        at += len(head) + len(tail)
    positions = None
    if all(type(value) in _PLAIN for value in values):  # found by a dict exactly as by ==
        positions = {}
        for n, value in enumerate(values):
            positions.setdefault(value, []).append(n)
    return values, "".join(map(str.__add__, heads, tails)), marks, positions


# A menu's tags, kept for its exact (value, label) pairs: the request list prints a newsroom's hundreds of
# matters twice on every view, from rows that rarely change. The key is the pairs themselves (an edited
# label is another menu, never a stale one), for plain ids, strings and labels only (1 == True and
# Markup("<b>") == "<b>" would share a key but print differently).
_cached_tags = lru_cache(maxsize=32)(_tags)
_PLAIN = (int, str)

# The tags of the menus kept per process (core.menus.Menu.kept), by the kept tuple itself: hashing and comparing a
# menu of 500 pairs at every print cost ~0.13 ms, its identity nothing. The entry holds the tuple, so its id is
# never another object's while the entry lives; a menu whose table changed is a new tuple, and the old one's entry
# leaves as newer ones come.
_BY_KEPT: dict[int, tuple] = {}
_MOST_KEPT = 32


def _kept_tags(kept: tuple) -> tuple | None:
    entry = _BY_KEPT.get(id(kept))
    if entry is not None and entry[0] is kept:
        return entry[1]
    if not all(type(pair) is tuple and len(pair) == 2 and type(pair[0]) in _PLAIN and type(pair[1]) is str
               for pair in kept):
        return None
    tags = _tags(kept)
    while len(_BY_KEPT) >= _MOST_KEPT:
        _BY_KEPT.pop(next(iter(_BY_KEPT)), None)
    _BY_KEPT[id(kept)] = (kept, tags)
    return tags


def option_tags(choices, selected=None) -> Markup:
    """<option> elements for (value, label) pairs, the one equal to `selected` marked. Built in Python: a
    select of hundreds of matters costs a template loop several milliseconds on every board refresh."""
    kept = getattr(choices, "kept", None)  # a menu kept per process, as it was kept (core.menus.Menu)
    tags = _kept_tags(kept) if type(kept) is tuple else None
    if tags is None:
        choices = tuple((value, label) for value, label in choices)  # plain pairs: a row compares slowly
        plain = all(type(value) in _PLAIN and type(label) is str for value, label in choices)
        tags = (_cached_tags if plain else _tags)(choices)
    values, html, marks, positions = tags
    if selected is None:
        return Markup(html)
    if positions is not None and type(selected) in _PLAIN:
        marked = positions.get(selected, ())
    else:
        marked = [n for n, value in enumerate(values) if value == selected] if selected in values else ()
    if not marked:
        return Markup(html)
    pieces, at = [], 0
    for n in marked:
        pieces += (html[at:marks[n]], " selected")
        at = marks[n]
    pieces.append(html[at:])
    return Markup("".join(pieces))


def init_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = template_url_for
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["option_tags"] = option_tags
    app.jinja_env.globals["id_href"] = id_href
    app.jinja_env.filters["longdate"] = longdate
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.filters["day"] = day
