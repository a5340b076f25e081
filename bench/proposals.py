"""Benchmark: reading agency letters into proposals, against one bare pass of the same patterns.

    python bench/proposals.py [--n 1000] [--repeat 3]

Reads n letters (the test corpus of tests/mail/letters/, cycled, each with its own tracking number) with
`tracker.mail.reading.read`, and times it against what every incoming letter costs anyway: parsing it as an email
with the standard `email` package (policy=default) and taking its text. Best of several runs each, in the same
process. Goal: reading costs at most 3 times the parse. Also prints the time per letter and for one
200,000-character letter (the most that is read of any letter).
"""

from __future__ import annotations

import argparse
import email
import sys
import time
from datetime import date
from email import policy
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout, installed or not

from tracker.mail import reading  # noqa: E402

GOAL = 3.0
CORPUS = ROOT / "tests" / "mail" / "letters"


def letters(n: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    return [texts[i % len(texts)].replace("01234", f"{i % 100000:05d}") for i in range(n)]


def as_emails(texts: list[str]) -> list[bytes]:
    out = []
    for i, text in enumerate(texts):
        msg = EmailMessage()
        msg["From"], msg["To"] = "ICE-FOIA@ice.dhs.gov", f"foia+r{i:08d}@newsroom.example"
        msg["Subject"], msg["Message-ID"] = "Your FOIA request", f"<{i}@ice.dhs.gov>"
        msg.set_content(text)
        out.append(msg.as_bytes())
    return out


def baseline(raw: list[bytes]) -> float:
    start = time.perf_counter()
    for data in raw:
        message = email.message_from_bytes(data, policy=policy.default)
        message.get_body(("plain",)).get_content()
    return time.perf_counter() - start


def measured(texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        reading.read(text, arrived_on=date(2027, 12, 1), agency_names=("ICE",), jurisdiction="US-DHS")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = letters(args.n)
    measured(texts[:20])  # compile the patterns once
    raw = as_emails(texts)
    base = min(baseline(raw) for _ in range(args.repeat))
    ours = min(measured(texts) for _ in range(args.repeat))
    huge = (CORPUS / "ice_determination_partial.txt").read_text() * 120
    start = time.perf_counter()
    reading.read(huge[:200_000], arrived_on=date(2027, 12, 1), agency_names=("ICE",))
    one_huge = time.perf_counter() - start
    ratio = ours / base if base else float("inf")
    print(f"letters read: {args.n}")
    print(f"baseline (parse as email, take the text):      {base:.3f} s")
    print(f"reading into proposals:                          {ours:.3f} s  ({ours / args.n * 1000:.2f} ms a letter)")
    print(f"one 200,000-character letter:                    {one_huge:.3f} s")
    print(f"ratio: {ratio:.2f} (goal <= {GOAL})")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
