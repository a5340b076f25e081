"""The HTML of the board's cards (cards.Card), built in Python.

A filtered board at a newsroom network's size shows a hundred cards or more on every refresh; a Jinja macro
per card cost more than the rest of the page's growth (a macro call, a dozen attribute lookups and escapes
through the template runtime per card). Built here with one escape per field, as option_tags builds the
filter form's options (core/template_helpers.py). The markup is the one the macro made.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup, escape

from tracker.board.cards import Card
from tracker.core.template_helpers import longdate

_longdate = lru_cache(maxsize=4096)(longdate)  # a board's few hundred distinct days, each formatted once


@lru_cache(maxsize=4096)
def _shared(text) -> str:
    """escape() of a text many cards repeat (an agency, an owner, a status, a badge, a deadline's label), once:
    a page of 140 cards escaped 1,400 texts, a tenth of them distinct. (A pure function of the text alone.)"""
    return str(escape(text))


def _badge(kind: str, text: str) -> str:
    late = " late" if kind == "late" else ""
    return f'<span class="badge badge-{_shared(kind)}{late}">{_shared(text)}</span> '


def card_html(c: Card, wall: bool, requests_href: str) -> str:
    """One card (escaped, as plain str: column_html joins them). `requests_href`: the link of a request
    without its id ("/requests/"), built once per page."""
    title = escape(c.title)
    heading = title if wall else f'<a href="{_shared(requests_href)}{c.id}">{title}</a>'
    private = ' <span class="badge">private</span>' if c.private else ""
    tracking = f' · <span class="mono">{escape(c.tracking_number)}</span>' if c.tracking_number else ""
    matters = f'<p class="card-matter">{escape("; ".join(c.matters))}</p>' if c.matters else ""
    closed = f", {_shared(_longdate(c.closed_on))}" if c.column == "closed" and c.closed_on else ""
    days = ""
    if c.working_days_open is not None and c.column != "drafts":
        n = c.working_days_open
        days = (f" · {n} working day{'s' if n != 1 else ''} "
                f"{'open' if c.column != 'closed' else 'from receipt to closing'}")
    due = ""
    if c.next_deadline:
        due = (f'<p class="card-due">{_shared(c.next_deadline.label)}: '
               f"<strong>{_shared(_longdate(c.next_deadline.due))}</strong></p>")
    badges = f'<p class="badges">{"".join(_badge(*b) for b in c.badges)}</p>' if c.badges else ""
    return (f'<article class="card" data-request-id="{c.id}" data-testid="card">\n'
            f"  <h3>{heading}{private}</h3>\n"
            f'  <p class="card-meta"><span class="agency" title="{_shared(c.agency_name)}">{_shared(c.agency)}</span>'
            f" · {_shared(c.owner)}{tracking}</p>\n"
            f"  {matters}\n"
            f'  <p class="card-status">{_shared(c.status_label)}{closed}\n'
            f"    {days}</p>\n"
            f"  {due}\n"
            f"  {badges}\n"
            f"</article>")


def column_html(cards: Iterable[Card], wall: bool, requests_href: str) -> Markup:
    """A column's cards, one after the other."""
    return Markup("".join(card_html(c, wall, requests_href) for c in cards))
