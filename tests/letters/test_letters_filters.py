"""Letter filters: dates, money, exemption codes, free-text paragraphs."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.letters.filters import (
    exemption_cites,
    exemption_key,
    exemption_label,
    exemption_names,
    longdate,
    money,
    paras,
    plural,
    tracking_list,
)


def test_longdate() -> None:
    assert longdate(dt.date(2026, 11, 20)) == "November 20, 2026"
    assert longdate(dt.datetime(2026, 3, 1, 12, 0)) == "March 1, 2026"
    assert longdate("2026-11-20") == "November 20, 2026"
    assert longdate(None) == "" and longdate("") == ""
    assert longdate("next week") == "next week"


def test_money() -> None:
    assert money(100) == "$100.00"
    assert money("1250.5") == "$1,250.50"
    assert money("$25") == "$25.00"
    assert money(None) == "" and money("no limit") == "no limit"


@pytest.mark.parametrize(
    ("code", "key", "label"),
    [
        ("b6", "b6", "(b)(6)"),
        ("b7C", "b7C", "(b)(7)(C)"),
        ("(b)(7)(c)", "b7C", "(b)(7)(C)"),
        ("7A", "b7A", "(b)(7)(A)"),
        ("Exemption 5", "b5", "(b)(5)"),
        ("search", "search", "search"),
    ],
)
def test_exemption_codes(code: str, key: str, label: str) -> None:
    assert exemption_key(code) == key
    assert exemption_label(code) == label


def test_exemption_lists() -> None:
    assert exemption_names(["b6"]) == "Exemption 6"
    assert exemption_names(["b6", "b7C"]) == "Exemptions 6 and 7(C)"
    assert exemption_names(["b6", "b7C", "b7A"]) == "Exemptions 6, 7(C), and 7(A)"
    assert exemption_cites(["b6", "b7C"]) == "5 U.S.C. 552(b)(6) and (b)(7)(C)"
    assert exemption_names([]) == "" and exemption_cites(None) == ""


def test_plural_and_tracking() -> None:
    assert plural(1, "working day") == "1 working day"
    assert plural("27", "working day") == "27 working days"
    assert plural(None, "page") == ""
    assert tracking_list([{"kind": "request", "number": "2026-ICFO-01234"}]) == "2026-ICFO-01234"
    assert (
        tracking_list([{"kind": "request", "number": "A"}, {"kind": "appeal", "number": "B"}, {"number": ""}])
        == "A (request), B (appeal)"
    )


def test_paras() -> None:
    html = str(paras("First line\nsecond line\n\n- one\n- two <b>\n\n1. a\n2) b\n\nEnd & more"))
    assert html == (
        "<p>First line<br>second line</p>\n<ul><li>one</li><li>two &lt;b&gt;</li></ul>\n"
        "<ol><li>a</li><li>b</li></ol>\n<p>End &amp; more</p>"
    )
    assert str(paras(None)) == ""
