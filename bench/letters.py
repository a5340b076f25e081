"""Benchmark: the tracker's letter generation against a bare WeasyPrint call on the same HTML.

    python bench/letters.py [--n 50] [--kinds foia_request,appeal]

For each letter kind, renders N letters the way "Generate PDF" does (sandboxed Jinja, the plain text
from the same HTML, WeasyPrint with the locked URL fetcher, the page count) and, interleaved in the
same process, `weasyprint.HTML(string=html).write_pdf()` of the very same final HTML. Prints the ratio
of the tracker's time per letter to the bare call's (goal: at most 1.15), the pages and the size of
each kind's PDF (goal: a one-page letter under 100 KB). Exit status 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not

from weasyprint import HTML  # noqa: E402

from tracker.letters.catalog import letter_templates_dir  # noqa: E402
from tracker.letters.produce import render_letter  # noqa: E402
from tracker.letters.render import render_html  # noqa: E402
from tracker.letters.samples import SAMPLE_KINDS, sample_context  # noqa: E402

GOAL_RATIO = 1.15
GOAL_ONE_PAGE_BYTES = 100_000


def one_page_context() -> dict:
    """A status inquiry that is not yet overdue: the shortest real letter, one page."""
    context = sample_context("status_inquiry")
    context["request"]["overdue_working_days"] = 0
    return context


CASES = {**{kind: (kind, sample_context) for kind in SAMPLE_KINDS},
         "status_inquiry/1p": ("status_inquiry", lambda _kind: one_page_context())}


def bench_kind(case: str, n: int) -> dict:
    kind, make_context = CASES[case]
    root = letter_templates_dir()
    context = make_context(kind)
    html = render_html(kind, context, templates_dir=root)
    render_letter(kind, context, templates_dir=root)  # warm caches: fonts, templates
    HTML(string=html).write_pdf()
    ours, bare = [], []
    rendered = None
    for i in range(n):
        # Alternate which goes first so drift (CPU frequency, caches) falls on both alike.
        order = (0, 1) if i % 2 == 0 else (1, 0)
        for which in order:
            start = time.perf_counter()
            if which == 0:
                rendered = render_letter(kind, context, templates_dir=root)
                ours.append(time.perf_counter() - start)
            else:
                HTML(string=html).write_pdf()
                bare.append(time.perf_counter() - start)
    return {"kind": case, "ours": statistics.median(ours), "bare": statistics.median(bare),
            "ours_total": sum(ours), "bare_total": sum(bare), "pages": rendered.pages, "bytes": len(rendered.pdf)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50, help="letters of each kind (default 50)")
    parser.add_argument("--kinds", default=",".join(CASES), help="comma-separated kinds")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]

    print(f"{'kind':<18} {'tracker ms':>10} {'bare ms':>8} {'ratio':>6} {'pages':>5} {'KB':>6}")
    rows = [bench_kind(kind, args.n) for kind in kinds]
    ok = True
    for row in rows:
        ratio = row["ours"] / row["bare"]
        print(f"{row['kind']:<18} {row['ours'] * 1000:>10.1f} {row['bare'] * 1000:>8.1f} {ratio:>6.3f} "
              f"{row['pages']:>5} {row['bytes'] / 1024:>6.1f}")
        if row["pages"] == 1 and row["bytes"] >= GOAL_ONE_PAGE_BYTES:
            ok = False
    one_page = [r["bytes"] for r in rows if r["pages"] == 1]
    overall = sum(r["ours_total"] for r in rows) / sum(r["bare_total"] for r in rows)
    print(f"\noverall ratio (total time, {args.n} letters of each of {len(rows)} kinds): {overall:.3f} "
          f"(goal <= {GOAL_RATIO})")
    if one_page:
        print(f"largest one-page letter: {max(one_page) / 1024:.1f} KB (goal < {GOAL_ONE_PAGE_BYTES // 1000} KB)")
    return 0 if ok and overall <= GOAL_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
