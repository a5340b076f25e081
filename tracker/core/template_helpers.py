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


def _tags(choices: tuple) -> tuple[tuple, tuple[str, ...], tuple[str, ...], str]:
    """(values, opening tags, closing parts, the menu's HTML with nothing selected) of (value, label) pairs."""
    labels = _escaped_labels([label for _value, label in choices])
    heads = tuple(f'<option value="{value if type(value) is int else escape(value)}"'  # an id needs no escaping
                  for value, _label in choices)
    tails = tuple(f">{label}</option>" for label in labels)
    return tuple(value for value, _label in choices), heads, tails, "".join(map(str.__add__, heads, tails))


# A menu's tags, kept for its exact (value, label) pairs: the request list prints a newsroom's hundreds of
# matters twice on every view, from rows that rarely change. The key is the pairs themselves (an edited
# label is another menu, never a stale one), for plain ids, strings and labels only (1 == True and
# Markup("<b>") == "<b>" would share a key but print differently).
_cached_tags = lru_cache(maxsize=32)(_tags)
_PLAIN = (int, str)


def option_tags(choices, selected=None) -> Markup:
    """<option> elements for (value, label) pairs, the one equal to `selected` marked. Built in Python: a
    select of hundreds of matters costs a template loop several milliseconds on every board refresh."""
    choices = tuple((value, label) for value, label in choices)  # plain pairs: a row compares slowly
    plain = all(type(value) in _PLAIN and type(label) is str for value, label in choices)
    values, heads, tails, html = (_cached_tags if plain else _tags)(choices)
    if selected is None or selected not in values:
        return Markup(html)
    return Markup("".join(head + (" selected" if value == selected else "") + tail
                          for value, head, tail in zip(values, heads, tails, strict=True)))


def init_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = template_url_for
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["option_tags"] = option_tags
    app.jinja_env.globals["id_href"] = id_href
    app.jinja_env.filters["longdate"] = longdate
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.filters["day"] = day
