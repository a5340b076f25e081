"""Agency HTML made safe to show: nh3 (ammonia) keeps text and simple formatting, drops scripts, event
handlers, styles, frames and forms, and every image that is not inline data, so no remote image is ever
loaded and nothing tells a sender that the mail was opened."""

from __future__ import annotations

import nh3

TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
              "th": {"colspan", "rowspan"}, "*": {"title"}}


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if value.lower().startswith("data:image/") else None
    if attribute == "href" and not value.lower().startswith(("http:", "https:", "mailto:")):
        return None  # no data: or relative links out of a stranger's mail
    return value


def sanitize_html(html: str) -> str:
    return nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto", "data"},
                     link_rel="noopener noreferrer nofollow", strip_comments=True, attribute_filter=_filter)
