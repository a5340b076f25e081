"""Propose the records description of a request for ICE OPR investigative records.

The description names the record types a FOIA officer can search for (report of investigation,
case-closing memorandum, referral to DOJ, disciplinary proposal and decision letters) and
identifies each matter by what is known: OPR case number, place, facts, time frame. It is a
proposal: the reporter edits it before sending. The output uses the plain-text conventions of
the ``paras`` letter filter: blank lines between paragraphs, "1. " and "- " lines as lists.

A matter is a dict: {"title", "opr_case_number", "place", "summary", "date_range_start",
"date_range_end"}; every key is optional.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tracker.letters.filters import is_blank, longdate

OPR = "the ICE Office of Professional Responsibility (OPR)"

RECORD_TYPES: tuple[str, ...] = (
    "each report of investigation, including any interim or supplemental report, with its attachments and exhibits",
    "the case-closing memorandum, or any other record documenting the closing of the case and its "
    "findings or disposition",
    "any memorandum referring the matter to the U.S. Department of Justice, including any United States "
    "Attorney's Office, for possible prosecution, and any response accepting or declining prosecution",
    "records of any disciplinary or adverse action proposed or taken as a result of the investigation, "
    "including proposal letters and decision letters",
)


def _clean(value: Any) -> str:
    return "" if is_blank(value) else " ".join(str(value).split())


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _time_frame(matter: Mapping[str, Any]) -> str:
    start, end = longdate(matter.get("date_range_start")), longdate(matter.get("date_range_end"))
    if start and end:
        return f"Time frame: {start} through {end}."
    if start:
        return f"Time frame: {start} through the date of the search."
    if end:
        return f"Time frame: through {end}."
    return ""


def _case(short: str) -> str:
    return f"{short} case number" if short else "case number"


def _files(short: str) -> str:
    return f"{short}'s case files" if short else "the case files"


def _name(matter: Mapping[str, Any], short: str = "OPR") -> str:
    title = _clean(matter.get("title")) or "the matter described below"
    case = _clean(matter.get("opr_case_number"))
    return f"{title} ({_case(short)} {case})" if case else title


def _facts(matter: Mapping[str, Any], include_dates: bool) -> list[str]:
    """Identifying sentences for one matter, in the order an officer searches by them."""
    facts = []
    if summary := _clean(matter.get("summary")):
        facts.append(_sentence(summary))
    if place := _clean(matter.get("place")):
        facts.append(f"Place: {_sentence(place)}")
    if include_dates and (frame := _time_frame(matter)):
        facts.append(frame)
    return facts


def _numbered(items: Sequence[str]) -> list[str]:
    last = len(items) - 1
    return [f"{i + 1}. {item}{'.' if i == last else ';'}" for i, item in enumerate(items)]


def propose_records_description(matter: Mapping[str, Any], *, office: str = OPR, include_dates: bool = True,
                                short: str = "OPR") -> str:
    """A records description for one OPR matter.

    ``include_dates=False`` leaves the time frame out, for a letter that states it separately. ``office`` names
    the office whose records are sought and ``short`` its short name ("OPR"; "" for none): both come from the
    agency directory, so a request to another agency never names ICE's office.
    """
    paragraphs = [f"Records of {office} concerning its investigation of the following matter: "
                  f"{_name(matter, short)}."]
    if facts := _facts(matter, include_dates):
        paragraphs.append(" ".join(facts))
    if is_blank(matter.get("opr_case_number")):
        paragraphs.append(
            f"The {_case(short)} is not known to me; the matter is identified by the facts above. "
            f"Please search {_files(short)} by those facts."
        )
    paragraphs.append("For this matter, I request:\n" + "\n".join(_numbered(RECORD_TYPES)))
    return "\n\n".join(paragraphs)


def propose_records_description_for(
    matters: Sequence[Mapping[str, Any]], *, office: str = OPR, include_dates: bool = True, short: str = "OPR"
) -> str:
    """A records description covering several OPR matters (one matter: same as the single form)."""
    matters = [m for m in matters if isinstance(m, Mapping)]
    if not matters:
        return ""
    if len(matters) == 1:
        return propose_records_description(matters[0], office=office, include_dates=include_dates, short=short)
    lines = []
    for i, matter in enumerate(matters, start=1):
        facts = " ".join(_facts(matter, include_dates))
        lines.append(f"{i}. {_sentence(_name(matter, short))}" + (f" {facts}" if facts else ""))
    paragraphs = [
        f"Records of {office} concerning its investigations of each of the following matters:",
        "\n".join(lines),
        "For each matter, I request:\n" + "\n".join(_numbered(RECORD_TYPES)),
    ]
    if any(is_blank(m.get("opr_case_number")) for m in matters):
        paragraphs.append(
            f"Where no {_case(short)} is given, it is not known to me; please search {_files(short)} by "
            "the facts stated for that matter."
        )
    return "\n\n".join(paragraphs)
