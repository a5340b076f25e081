"""The nine FOIA exemptions of 5 U.S.C. 552(b), with the law-enforcement subparts of (b)(7)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Exemption:
    code: str  # stable key stored in the database, e.g. "b7C"
    short: str  # how lawyers write it, e.g. "(b)(7)(C)"
    description: str


EXEMPTIONS: dict[str, Exemption] = {
    e.code: e
    for e in (
        Exemption("b1", "(b)(1)", "Classified national defense or foreign policy information"),
        Exemption("b2", "(b)(2)", "Internal personnel rules and practices"),
        Exemption("b3", "(b)(3)", "Exempted by another statute"),
        Exemption("b4", "(b)(4)", "Trade secrets and confidential commercial information"),
        Exemption("b5", "(b)(5)", "Privileged inter- or intra-agency memoranda (e.g. deliberative process)"),
        Exemption("b6", "(b)(6)", "Personnel, medical and similar files: clearly unwarranted invasion of privacy"),
        Exemption("b7A", "(b)(7)(A)", "Law enforcement: interference with enforcement proceedings"),
        Exemption("b7B", "(b)(7)(B)", "Law enforcement: deprivation of a fair trial"),
        Exemption("b7C", "(b)(7)(C)", "Law enforcement: unwarranted invasion of personal privacy"),
        Exemption("b7D", "(b)(7)(D)", "Law enforcement: confidential source"),
        Exemption("b7E", "(b)(7)(E)", "Law enforcement: techniques, procedures and guidelines"),
        Exemption("b7F", "(b)(7)(F)", "Law enforcement: danger to life or physical safety"),
        Exemption("b8", "(b)(8)", "Financial institution examination reports"),
        Exemption("b9", "(b)(9)", "Geological and geophysical data on wells"),
    )
}


_POSITION = {code: i for i, code in enumerate(EXEMPTIONS)}


def shorts(codes: list[str]) -> str:
    return ", ".join(EXEMPTIONS[c].short if c in EXEMPTIONS else c for c in codes)


def most_cited(counted: Counter) -> list[str]:
    """The codes, most cited first, ties in the statute's order (codes it does not know last)."""
    return [code for code, _n in sorted(counted.items(), key=lambda kv: (-kv[1], _POSITION.get(kv[0], len(_POSITION))))]
