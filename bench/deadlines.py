"""Benchmark: response_due over 100,000 random receipts against plain date arithmetic.

    python bench/deadlines.py [--n 100000] [--repeat 5] [--seed 2026] [--check]

Prints the ratio of the time of `response_due` to a plain loop doing `received + timedelta(days=28)`
over the same inputs, in the same process, best of several runs each. Goal: ratio at most 5.
The one-off cost of building the tables (first use of each jurisdiction) is printed separately.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not

from tracker.deadlines import configure, jurisdictions, response_due  # noqa: E402

GOAL = 5.0
FIRST, LAST = date(2020, 1, 1), date(2031, 12, 31)

Inputs = list[tuple[str, date]]


def make_inputs(n: int, seed: int) -> Inputs:
    rng = random.Random(seed)
    codes = [j.code for j in jurisdictions()]
    span = (LAST - FIRST).days
    return [(rng.choice(codes), FIRST + timedelta(days=rng.randint(0, span))) for _ in range(n)]


def baseline(inputs: Inputs) -> float:
    start = time.perf_counter()
    out = []
    for _code, received in inputs:
        out.append(received + timedelta(days=28))
    return time.perf_counter() - start


def baseline_hoisted(inputs: Inputs) -> float:
    """A stricter baseline: the timedelta built once, outside the loop."""
    start = time.perf_counter()
    out = []
    four_weeks = timedelta(days=28)
    for _code, received in inputs:
        out.append(received + four_weeks)
    return time.perf_counter() - start


def engine(inputs: Inputs) -> float:
    start = time.perf_counter()
    out = []
    for code, received in inputs:
        out.append(response_due(code, received))
    return time.perf_counter() - start


def best(fn: Callable[[Inputs], float], inputs: Inputs, repeat: int) -> float:
    return min(fn(inputs) for _ in range(repeat))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--check", action="store_true", help=f"exit 1 if the ratio is above {GOAL:g}")
    args = parser.parse_args(argv)

    configure()  # start cold: no calendars, no tables
    inputs = make_inputs(args.n, args.seed)
    cold = engine(inputs)  # includes building every calendar and table once
    fast = best(engine, inputs, args.repeat)
    base = best(baseline, inputs, args.repeat)
    strict = best(baseline_hoisted, inputs, args.repeat)
    ratio = fast / base
    print(f"first run (builds calendars and tables): {cold:.3f} s")
    print(
        f"response_due: {args.n} dates in {fast:.3f} s; baseline {base:.3f} s; "
        f"ratio {ratio:.1f} (goal <= {GOAL:g})"
    )
    print(f"stricter baseline (timedelta hoisted out of the loop): {strict:.3f} s; ratio {fast / strict:.1f}")
    return 1 if args.check and ratio > GOAL else 0


if __name__ == "__main__":
    raise SystemExit(main())
