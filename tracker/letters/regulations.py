"""The agency FOIA regulations a letter cites, keyed by the regulations' Part as the deadline rules name it.

The statute (5 U.S.C. 552) is the same for every federal agency; the regulations differ by department. A
letter cites the provisions of the department the request goes to, and nothing for a department this table
does not know (the statute alone). Values marked ``check`` could not be confirmed from the regulations'
current text (see shared/foia-reference.md): a letter states them, and the test suite lists them here so a
reviewer can confirm them. Edit this table, not the templates, when a regulation is renumbered.
"""

from __future__ import annotations

from typing import Any

REGULATIONS: dict[str, dict[str, Any]] = {
    # DHS, 6 CFR Part 5: fees 5.11, expedited processing 5.5(e), appeals 5.8.
    "6 CFR Part 5": {
        "department": "DHS",
        "news_media": "6 CFR 5.11(b)(6)",
        "fee_limits": "6 CFR 5.11(d)",
        "fee_ceiling": "6 CFR 5.11(e)",
        "fee_waiver": "6 CFR 5.11(k)",
        # (k)(2)(i)-(iv) and (k)(3): operations, informative, broad audience, significant, commercial interest.
        "waiver_factors": ["6 CFR 5.11(k)(2)(i)", "6 CFR 5.11(k)(2)(ii)", "6 CFR 5.11(k)(2)(iii)",
                           "6 CFR 5.11(k)(2)(iv)", "6 CFR 5.11(k)(3)"],
        "expedited": "6 CFR 5.5(e)",
        "expedited_categories": "6 CFR 5.5(e)(1)",
        "expedited_statement": "6 CFR 5.5(e)(3)",
        "expedited_iv": "6 CFR 5.5(e)(2)",
        "expedited_iv_official": "Senior Director of FOIA Operations",
        "appeal": "6 CFR 5.8(a)(1)",
        "check": ["expedited_iv", "expedited_statement"],
    },
    # DOJ, 28 CFR Part 16 (the FBI is a DOJ component): fees 16.10, expedited 16.5(e), appeals to OIP 16.8.
    "28 CFR Part 16": {
        "department": "DOJ",
        "news_media": "28 CFR 16.10(b)(6)",
        "fee_limits": "28 CFR 16.10(d)",
        "fee_ceiling": "28 CFR 16.10(e)",
        "fee_waiver": "28 CFR 16.10(k)",
        "waiver_factors": [],  # DOJ groups the factors differently: the letter cites 16.10(k) as a whole
        "expedited": "28 CFR 16.5(e)",
        "expedited_categories": "28 CFR 16.5(e)(1)",
        "expedited_statement": "28 CFR 16.5(e)(3)",
        "expedited_iv": "28 CFR 16.5(e)(2)",
        "expedited_iv_official": "Director of Public Affairs",
        "appeal": "28 CFR 16.8(a)",
        "check": ["news_media", "fee_limits", "fee_ceiling", "fee_waiver", "expedited", "expedited_categories",
                  "expedited_statement", "expedited_iv", "expedited_iv_official"],
    },
}


def for_citation(citation: str) -> dict[str, Any]:
    """The table row for a rule's citation such as "5 U.S.C. 552; 6 CFR Part 5"; {} for the statute alone."""
    for part in (p.strip() for p in (citation or "").split(";")):
        if part in REGULATIONS:
            row = dict(REGULATIONS[part])
            row["part"] = part
            return row
    return {}
