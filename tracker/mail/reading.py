"""Reading an agency's letter: from its text, what it says happened, as findings of the next step.

Pure: text in, findings out, no database. Each finding has its kind, the fields the matching lifecycle action
needs (dates as `date`, money as `Decimal`) and the sentence it came from, so a person can check it. The
phrases and the number formats are data (patterns.toml). Whatever the text, this returns a list (maybe
empty) and never raises: weird or huge text gives no finding, not an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from tracker.mail.dates import find_dates
from tracker.mail.patterns import Patterns, patterns

MAX_CHARS = 200_000  # a letter longer than this is read from its first 200,000 characters
MAX_SENTENCE = 600  # a sentence shown as evidence is cut to this length

KINDS = {
    "portal_notice": "Letter waiting in the agency's portal",
    "acknowledgment": "Acknowledgment",
    "clarification": "Clarification asked (clock paused)",
    "fee_estimate": "Fee estimate",
    "extension": "Extension (unusual circumstances)",
    "still_interested": "“Still interested?” letter",
    "estimated_completion": "Estimated completion date",
    "determination": "Determination",
    "appeal_acknowledgment": "Appeal acknowledgment",
    "appeal_decision": "Appeal decision",
}


@dataclass
class Finding:
    kind: str
    sentence: str
    fields: dict = field(default_factory=dict)


@dataclass
class Letter:
    """The letter being read: its text cut in sentences, and what is known around it."""

    text: str
    sentences: list[str]
    day: date | None  # the letter's own date (or the day it arrived)
    agency_names: tuple[str, ...]
    jurisdiction: str


# --- sentences ------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A closing quote or parenthesis after the stop stays with its sentence (the evidence a person reads).
# Every boundary starts with a space or a line break: the lookahead first turns away the other characters at
# once (the same matches, in a third of the time).
_BOUNDARY = re.compile(r"(?=\s)(?:(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“(]?[A-Z])|\n[ \t]*\n"
                       r"|\n(?=[ \t]*(?:[-•*]|\d{1,2}\.)\s))")
_ABBREVIATIONS = re.compile(r"(?:\b(?:No|Nos|Mr|Mrs|Ms|Dr|St|U\.S\.C|C\.F\.R|U\.S|Sec|Stat|Jan|Feb|Mar|Apr|Jun|Jul|"
                            r"Aug|Sept?|Oct|Nov|Dec|Inc|Co|v|vs|e\.g|i\.e|et al|Supp|Cir|F\.\d?d)\.)$")


def clean(text: str) -> str:
    text = (text or "")[:MAX_CHARS].replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _CONTROL.sub(" ", text).replace("\u00ad", "")
    text = re.sub(r"-\n(?=[a-z])", "", text)  # words hyphenated at a line end
    return text


# A salutation on its own line ("Dear Ms. Reyes:") ends the letter's head. A PDF's text layer has no blank line
# between the address block and the first paragraph: without this the first sentence would begin with the
# letterhead, and the evidence shown would be mostly addresses.
_SALUTATION = re.compile(r"\n[ \t]*((?:Dear|To\s+whom)\b[^\n:,]{0,60}[:,])[ \t]*\n(?!\s*\n)", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The text cut into sentences: at ., ! or ? before a capital, at blank lines, list items and after the
    salutation; single line breaks (wrapped lines of a PDF) are spaces. Abbreviations such as "No." and
    "U.S.C." do not end one."""
    salutation = _SALUTATION.search(text, 0, 2000)  # at the head of the letter, or not at all
    if salutation is not None:
        text = f"{text[:salutation.start()]}\n\n{salutation.group(1)}\n\n{text[salutation.end():]}"
    out: list[str] = []
    pending = ""
    start = 0
    for m in _BOUNDARY.finditer(text):
        piece = text[start:m.start()]
        start = m.end()
        if m.group(0).strip() == "" and "\n" not in m.group(0) and _ABBREVIATIONS.search(piece.rstrip("\"”’)")):
            pending += piece + " "
            continue
        out.append(pending + piece)
        pending = ""
    out.append(pending + text[start:])
    return [s for s in (" ".join(p.split()) for p in out) if len(s) > 2]


def _shown(sentence: str) -> str:
    return sentence if len(sentence) <= MAX_SENTENCE else sentence[:MAX_SENTENCE - 1].rstrip() + "…"


# --- fields ---------------------------------------------------------------------------------------------

def _numbers(pats: Patterns, letter: Letter, which: str, text: str) -> list[str]:
    found: list[str] = []
    groups = [getattr(f, which) for f in pats.ordered_families(*letter.agency_names)]
    groups.append(pats.generic_request if which == "request" else pats.generic_appeal)
    for group in groups:
        for pattern in group:
            for m in pattern.finditer(text):
                number = (m.group(1) if m.groups() and m.group(1) else m.group(0)).strip().rstrip(".,;:")
                if number and number.upper() not in {n.upper() for n in found} and _plausible_number(number):
                    found.append(number)
        if found:
            return found
    return found


def _plausible_number(number: str) -> bool:
    return any(ch.isdigit() for ch in number) and 4 <= len(number) <= 60 and not re.fullmatch(r"(?:19|20)\d\d", number)


def tracking_number(pats: Patterns, letter: Letter, sentence: str = "") -> str:
    """The request's number: from the sentence first, then the whole letter; never one of its appeal numbers
    (a sentence whose only number is the appeal's sends us on to the rest of the letter)."""
    appeal = set(_numbers(pats, letter, "appeal", letter.text))
    for text in (sentence, letter.text):
        numbers = [n for n in _numbers(pats, letter, "request", text) if n not in appeal]
        if numbers:
            return numbers[0]
    return ""


def appeal_number(pats: Patterns, letter: Letter, sentence: str = "") -> str:
    numbers = _numbers(pats, letter, "appeal", sentence) or _numbers(pats, letter, "appeal", letter.text)
    return numbers[0] if numbers else ""


_MONEY = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?")


def amount(sentence: str) -> Decimal | None:
    values = []
    for m in _MONEY.finditer(sentence):
        try:
            values.append(Decimal(m.group(1).replace(",", "") + (m.group(2) or "")))
        except InvalidOperation:
            continue
    values = [v for v in values if 0 < v <= Decimal("10000000")]
    # A letter that itemises (search $40, duplication $10, total $50) gives the total, the largest.
    return max(values) if values else None


_WITHIN = re.compile(r"within\s+(?:\w+\s+)?\(?(\d{1,3})\)?\s+(calendar|business|working)?\s*days?", re.IGNORECASE)
_BY_DATE = re.compile(r"\b(?:by|before|no\s+later\s+than|on\s+or\s+before|until|not\s+later\s+than)\s*$", re.IGNORECASE)


def answer_due(letter: Letter, texts: list[str]) -> date | None:
    """The date the agency wants our answer: "by January 5, 2027", or "within 30 days" of the letter."""
    for text in texts:
        for day, start, _end in find_dates(text):
            # searched in place, not in a slice: a slice that starts inside "standby" would read "by"
            if _BY_DATE.search(text, max(0, start - 25), start):
                return day
    for text in texts:
        m = _WITHIN.search(text)
        if m and letter.day is not None:
            n = int(m.group(1))
            if m.group(2) and m.group(2).lower() in ("business", "working"):
                return add_working_days(letter.jurisdiction, letter.day, n)
            return letter.day + timedelta(days=n)
    return None


def add_working_days(jurisdiction: str, day: date, n: int) -> date:
    try:
        from tracker import deadlines

        return deadlines.add_working_days(jurisdiction or "US", day, n)
    except Exception:  # noqa: BLE001  (an unknown jurisdiction: plain weekdays)
        while n > 0:
            day += timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day


_RECEIVED_BEFORE = re.compile(r"(?:receiv\w*|receipt)(?:\s+[\w.,'’]+){0,8}?\s*(?:on|as\s+of|:)?\s*$", re.IGNORECASE)
# "your letter of <date>" is our date, but "received as of <date>" is theirs.
_DATED_BEFORE = re.compile(r"\b(?:dated|(?<!\bas\s)of|submitted\s+on|sent\s+on|filed\s+on)\s*$", re.IGNORECASE)


def received_on(letter: Letter, sentences_: list[str]) -> date | None:
    """The day the agency says it received the request ("received by this office on December 3, 2026")."""
    for text in sentences_:
        for day, start, _end in find_dates(text):
            before = text[max(0, start - 70):start]
            if _DATED_BEFORE.search(before):
                continue
            if _RECEIVED_BEFORE.search(before):
                return day
    return None


_EXEMPTION = re.compile(r"\(b\)\s*\((\d)\)(?:\s*\(([A-F])\))?", re.IGNORECASE)
_EXEMPTION_WORDS = re.compile(r"\bExemptions?\s+((?:\(?b?\)?\s*\(?\d\)?(?:\s*\(?[A-F]\)?(?![a-z]))?"
                              r"(?:\s*,\s*|\s+and\s+|\s*&\s*)?){1,12})", re.IGNORECASE)
_ONE = re.compile(r"(\d)\)?\s*(?:\(([A-F])\)|([A-F])(?![a-z]))?", re.IGNORECASE)


def exemptions(text: str) -> list[str]:
    """Exemption codes cited, in order: "(b)(6)", "(b)(7)(C)", "Exemptions 6 and 7(C)", "5 U.S.C. 552(b)(5)"."""
    codes: list[str] = []

    def add(number: str, letter_: str | None) -> None:
        code = f"b{number}" + ((letter_ or "").upper() if number == "7" else "")
        if number == "7" and not letter_:
            return  # (b)(7) alone names no subpart
        if code in _VALID and code not in codes:
            codes.append(code)

    for m in _EXEMPTION.finditer(text):
        add(m.group(1), m.group(2))
    for m in _EXEMPTION_WORDS.finditer(text):
        for one in _ONE.finditer(m.group(1)):
            add(one.group(1), one.group(2) or one.group(3))
    return codes


_VALID = {"b1", "b2", "b3", "b4", "b5", "b6", "b7A", "b7B", "b7C", "b7D", "b7E", "b7F", "b8", "b9"}

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORDS = "|".join(_NUMBER_WORDS)
# A count starts with a digit or a number word's first letter: the lookahead turns the other places away first.
_PAGES = re.compile(r"(?=[\d" + "".join(sorted({w[0] for w in _NUMBER_WORDS})) + r"])"
                    r"(?:\b(" + _WORDS + r")\s+\((\d[\d,]*)\)|\b(\d[\d,]*)|\b(" + _WORDS
                    + r"))\s+(?:additional\s+|more\s+|responsive\s+|total\s+)?pages?\b", re.IGNORECASE)


def _count(m: re.Match) -> int:
    digits = m.group(2) or m.group(3)
    if digits:
        return int(digits.replace(",", ""))
    return _NUMBER_WORDS[m.group(4).lower()]


def pages(text: str) -> tuple[int | None, int | None]:
    """(pages released, pages withheld in full) as the letter counts them; None where it does not say."""
    released_full = released_part = enclosed = withheld = 0
    said = False
    for m in _PAGES.finditer(text):
        n = _count(m)
        if n > 1_000_000:
            continue
        before = re.split(r"[.;:]|\d", text[max(0, m.start() - 60):m.start()])[-1].lower()
        after = re.split(r"[.;:(]|\d|\band\b|,", text[m.end():m.end() + 90])[0].lower()
        around = before + " # " + after
        if re.search(r"withh\w*\s+in\s+(?:full|(?:their|its)\s+entirety)|withh\w*\s+entirely|denied\s+in\s+full",
                     around) and "in part" not in after:
            withheld += n
            said = True
        elif re.search(r"in\s+part|partial|redact|with\s+(?:certain\s+)?(?:information|portions)\s+withheld|"
                       r"with\s+withholdings|excised", around):
            released_part += n
            said = True
        elif re.search(r"enclos|attached", around):
            enclosed += n
            said = True
        elif re.search(r"releas|produc|provid|disclos|grant|in\s+full", around):
            released_full += n
            said = True
        elif re.search(r"withh|exempt|denied", around):
            withheld += n
            said = True
        # Any other count ("we located 20 responsive pages") is of pages found, which says nothing released.
    if not said:
        return None, None
    # "Enclosed are 26 pages ... portions of 6 pages redacted": the enclosed count is everything released.
    return max(enclosed, released_full + released_part), withheld


# --- kinds ----------------------------------------------------------------------------------------------

def _first(pats: Patterns, kind: str, sents: list[str], lows: list[str] | None = None) -> tuple[int, str] | None:
    """The first sentence that is evidence of `kind`. `lows`: the sentences lower-cased (once for a letter)."""
    phrases = pats.kinds.get(kind, ())
    nots = pats.not_kinds.get(kind, ())
    lows = lows if lows is not None else [s.lower() for s in sents]
    for i, s in enumerate(sents):
        if _sifted(pats, kind, lows[i]) and any(p.search(s) for p in phrases) and not any(n.search(s) for n in nots):
            return i, s
    return None


def _sifted(pats: Patterns, kind: str, low: str) -> bool:
    """Whether the lower-cased sentence has one of the kind's keywords (or the kind lists none): regexes only then."""
    sieve = pats.sieves.get(kind)
    return sieve is None or sieve.search(low) is not None


_SIGNALS = (re.compile(r"\d\s+pages?\b|\(\d+\)\s+pages?\b", re.I), re.compile(r"\(b\)\s*\(\d\)|exemptions?\s+\d", re.I),
            re.compile(r"in\s+(?:full|part)|no\s+(?:responsive\s+)?records|(?:locate|find|identify)\s+(?:any\s+)?"
                       r"(?:responsive\s+)?records|redact|withh|denied|referr", re.I))


def _best(pats: Patterns, kind: str, sents: list[str], lows: list[str] | None = None) -> tuple[int, str] | None:
    """Of the sentences that are evidence of `kind`, the one that says the most (pages, exemptions, outcome)."""
    phrases = pats.kinds.get(kind, ())
    lows = lows if lows is not None else [s.lower() for s in sents]
    scored = [(sum(bool(sig.search(s)) for sig in _SIGNALS), -i, s) for i, s in enumerate(sents)
              if _sifted(pats, kind, lows[i]) and any(p.search(s) for p in phrases)]
    if not scored:
        return None
    _score, minus_i, s = max(scored)
    return -minus_i, s


def _outcome(text: str, released: int | None, withheld: int | None, cited: list[str]) -> str:
    low = text.lower()
    if re.search(r"no\s+(?:responsive\s+)?records\s+(?:were|was|have\s+been|could\s+be)?\s*"
                 r"(?:located|found|identified|responsive)|"
                 r"(?:unable|not\s+able|did\s+not|failed)\s+to\s+(?:locate|find|identify)(?:\s+or\s+(?:locate|find|identify))?"
                 r"\s+(?:any\s+)?(?:responsive\s+)?records|"
                 r"search\s+(?:did\s+not|failed\s+to)\s+(?:locate|find|produce|yield)|no\s+records\s+responsive", low):
        return "no_records"
    if re.search(r"referr\w*\s+(?:your\s+request|the\s+(?:responsive\s+)?(?:records|documents|pages)"
                 r"|\d+\s+pages)\s+to", low) and not released:
        return "referred"
    partial = re.search(r"in\s+part|partial|redact|portions?\s+(?:of\s+[^.]{0,40})?(?:have\s+been|were|are)"
                        r"\s+withheld", low)
    if released and (withheld or partial or cited):
        return "granted_in_part"
    if released:
        return "granted_in_full"
    if re.search(r"denied\s+in\s+full|withh\w*\s+in\s+(?:full|(?:their|its)\s+entirety)|full\s+denial|"
                 r"(?:request|records)\s+(?:is|are)\s+(?:hereby\s+)?denied|denying\s+your\s+request", low):
        return "denied"
    if partial:
        return "granted_in_part"
    if re.search(r"released\s+in\s+full|granted\s+in\s+full|full\s+grant|granting\s+your\s+request", low):
        return "granted_in_full"
    return ""


def _appeal_outcome(sentence: str, text: str) -> str:
    for source in (sentence.lower(), text.lower()):
        if re.search(r"remand", source):
            return "remanded"
        if re.search(r"revers\w*\s+in\s+part|(?:grant|granted|granting)\s+in\s+part|affirm\w*\s+in\s+part", source):
            return "reversed_in_part"
        if re.search(r"revers|overturn|appeal\s+(?:is|has\s+been)\s+granted", source):
            return "reversed"
        if re.search(r"affirm|uphold|upheld|appeal\s+(?:is|has\s+been)\s+denied", source):
            return "affirmed"
    return ""


_HEADING_BESIDE = 20  # the characters a heading line may hold beside its date ("Date:", "Washington, DC")


def _letter_day(text: str, fallback: date | None) -> date | None:
    """The letter's own date, from its first 800 characters: a date on a line of its own (the heading), else the
    first date that is not one the letter refers to (the day our request was dated, sent or received: an
    acknowledgment by email often names no other); else the day it arrived. Never later than that day."""
    head = text[:800]
    found = [(day, start, end) for day, start, end in find_dates(head)
             if fallback is None or (fallback - timedelta(days=400)) <= day <= fallback]
    for day, start, end in found:
        line_start, line_end = head.rfind("\n", 0, start) + 1, head.find("\n", end)
        beside = head[line_start:start] + head[end:line_end if line_end >= 0 else len(head)]
        # only its own line says what a heading's date is (a title "Acknowledgment of Receipt" may stand above)
        if len(beside.strip(" \t,.:;")) <= _HEADING_BESIDE and not _refers_to(head[line_start:start]):
            return day
    for day, start, _end in found:
        if not _refers_to(head[max(0, start - 70):start]):
            return day
    return fallback


def _refers_to(before: str) -> bool:
    """Whether a date after these words is one the letter refers to (dated, sent, received on), not its own."""
    return bool(_DATED_BEFORE.search(before) or _RECEIVED_BEFORE.search(before))


def read(text: str, *, arrived_on: date | None = None, agency_names: tuple[str, ...] = (),
         jurisdiction: str = "US") -> list[Finding]:
    """The findings in a letter's text, in the order of KINDS. Never raises."""
    try:
        return _read(text, arrived_on=arrived_on, agency_names=agency_names, jurisdiction=jurisdiction)
    except RecursionError:
        return []


def _read(text: str, *, arrived_on, agency_names, jurisdiction) -> list[Finding]:
    text = clean(text)
    if not text.strip():
        return []
    pats = patterns()
    letter = Letter(text=text, sentences=sentences(text), day=_letter_day(text, arrived_on),
                    agency_names=tuple(n for n in agency_names if n), jurisdiction=jurisdiction)
    sents = letter.sentences
    lows = [s.lower() for s in sents]  # once, for every kind's keyword sieve
    # A kind none of whose keywords is anywhere in the letter has no sentence to try: one search of the whole
    # (the sieves are plain words, so a sentence's match is one in the whole) instead of one per sentence.
    whole = "\n".join(lows)

    def mentioned(kind: str) -> bool:
        sieve = pats.sieves.get(kind)
        return sieve is None or sieve.search(whole) is not None

    def first(kind: str) -> tuple[int, str] | None:
        return _first(pats, kind, sents, lows) if mentioned(kind) else None
    on = {"on": letter.day} if letter.day else {}
    out: list[Finding] = []

    portal = first("portal_notice")
    if portal is not None and len(text) < 4000 and first("determination") is None:
        return [Finding("portal_notice", _shown(portal[1]), {"tracking_number": tracking_number(pats, letter)})]

    is_appeal_decision = first("appeal_decision")
    if is_appeal_decision is not None and not re.search(r"\bappeal", text, re.IGNORECASE):
        is_appeal_decision = None
    appeal_ack = first("appeal_acknowledgment")

    ack = first("acknowledgment")
    if ack is not None and appeal_ack is None:
        i, s = ack
        fields = {**on, "tracking_number": tracking_number(pats, letter, " ".join(sents[i:i + 3]))}
        if (received := received_on(letter, sents[max(0, i - 1):i + 3])) is not None:
            fields["received_on"] = received
        out.append(Finding("acknowledgment", _shown(s), fields))

    if (found := first("clarification")) is not None:
        i, s = found
        fields = dict(on)
        if (due := answer_due(letter, sents[i:i + 4])) is not None:
            fields["our_answer_due_on"] = due
        out.append(Finding("clarification", _shown(s), fields))

    if (found := first("fee_estimate")) is not None and (value := amount(found[1])) is not None:
        i, s = found
        fields = {**on, "amount": value}
        if (due := answer_due(letter, sents[i:i + 4])) is not None:
            fields["our_answer_due_on"] = due
        out.append(Finding("fee_estimate", _shown(s), fields))

    if (found := first("extension")) is not None:
        out.append(Finding("extension", _shown(found[1]), {**on, "appeal": appeal_ack is not None}))

    paused = any(f.kind in ("clarification", "fee_estimate") for f in out)  # they threaten closing too
    if not paused and (found := first("still_interested")) is not None:
        i, s = found
        fields = {}
        if (due := answer_due(letter, sents[i:i + 3])) is not None:
            fields["our_answer_due_on"] = due
        out.append(Finding("still_interested", _shown(s), fields))

    if (found := first("estimated_completion")) is not None:
        i, s = found
        later = [d for d, _a, _b in find_dates(s) if letter.day is None or d > letter.day]
        if later:
            out.append(Finding("estimated_completion", _shown(s), {"completion_on": later[0]}))

    if is_appeal_decision is not None:
        i, s = is_appeal_decision
        released, withheld = pages(text)
        fields = {**on, "outcome": _appeal_outcome(s, text), "exemptions": exemptions(text)}
        if released is not None:
            fields["pages_released"] = released
        if withheld is not None:
            fields["pages_withheld"] = withheld
        out.append(Finding("appeal_decision", _shown(s), fields))
    elif appeal_ack is None and mentioned("determination") and \
            (found := _best(pats, "determination", sents, lows)) is not None:
        i, s = found
        released, withheld = pages(text)
        cited = exemptions(text)
        outcome = _outcome(text, released, withheld, cited)
        if outcome or cited or released is not None:
            fields = {**on, "outcome": outcome, "exemptions": cited}
            if released is not None:
                fields["pages_released"] = released
            if withheld is not None:
                fields["pages_withheld"] = withheld
            out.append(Finding("determination", _shown(s), fields))

    if appeal_ack is not None and is_appeal_decision is None:
        i, s = appeal_ack
        out.append(Finding("appeal_acknowledgment", _shown(s),
                           {**on, "tracking_number": appeal_number(pats, letter, " ".join(sents[i:i + 3]))}))
    return out
