"""Benchmark: OCR of a scanned PDF through the tracker, against bare ocrmypdf on the same file.

    python bench/ocr.py [--pages 10] [--rounds 2]

Makes a scan: PAGES pages of text written with WeasyPrint, rasterised at 200 dpi with pdftoppm and wrapped back
into a PDF (images only, no text layer). Then, in alternating rounds, times
- bare: `ocrmypdf` with the options the tracker uses (--skip-text, plain PDF output, no optimisation, one job);
- the tracker: the `documents.extract` job reading the stored scan (text layer in its bounded child process,
  ocrmypdf, the OCR'd copy read back, stored beside the original, pages written to the search index).
Prints pages per minute for each, best round of each, and the time ratio (goal: at most 1.1x).
Wall-clock times; one job at a time, as the scheduler runs them.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not

GOAL = 1.1
WORDS = ("The detainee told investigators that medical staff did not respond to three written requests for care "
         "before the transfer. The facility's log shows the officer on duty signed the form at 11:40 p.m. ")


def make_scan(pages: int, folder: Path) -> bytes:
    from PIL import Image
    from weasyprint import HTML

    body = "".join(f'<section style="page-break-after: always"><h2>Page {n}</h2><p>{WORDS * 6}</p></section>'
                   for n in range(1, pages + 1))
    text_pdf = folder / "text.pdf"
    HTML(string=f"<html><body style='font: 12pt serif'>{body}</body></html>").write_pdf(text_pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", str(text_pdf), str(folder / "page")], check=True)
    images = [Image.open(p).convert("L") for p in sorted(folder.glob("page*.png"))]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=200)
    return out.getvalue()


def bare(scan: Path, output: Path, languages: str, page_seconds: int) -> float:
    command = ["ocrmypdf", "--skip-text", "--output-type", "pdf", "--optimize", "0", "--jobs", "1", "--quiet",
               "-l", languages, "--tesseract-timeout", str(page_seconds), str(scan), str(output)]
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    from sqlalchemy import select

    from tracker import create_app
    from tracker.agencies.models import Agency
    from tracker.auth.models import Role, User
    from tracker.core.clock import now_utc
    from tracker.core.storage import DirectoryStorage
    from tracker.documents import services
    from tracker.documents.limits import Limits
    from tracker.documents.models import DocumentText
    from tracker.extensions import db
    from tracker.requests.models import Attachment, RecordsRequest

    folder = Path(tempfile.mkdtemp(prefix="bench-ocr-"))
    scan_bytes = make_scan(args.pages, folder)
    scan = folder / "scan.pdf"
    scan.write_bytes(scan_bytes)
    limits = Limits()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}", "TESTING": True,
                      "SECRET_KEY": "bench", "TRACKER_UPLOAD_DIR": str(folder / "uploads")})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        storage = DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"])
        user = User(name="Bench", email="bench@bench.example", role=Role.REPORTER, password_hash="x")
        agency = Agency(name="ICE FOIA Office", abbreviation="ICE", jurisdiction="US-DHS")
        db.session.add_all([user, agency])
        db.session.flush()
        req = RecordsRequest(title="Bench", agency_id=agency.id, owner_id=user.id)
        db.session.add(req)
        db.session.flush()
        stored = storage.save(io.BytesIO(scan_bytes))
        db.session.add(Attachment(request_id=req.id, storage_key=stored.key, sha256=stored.sha256, size=stored.size,
                                  content_type=stored.content_type, original_name="scan.pdf", uploaded_at=now_utc()))
        db.session.commit()

    print(f"OCR of a {args.pages}-page scan (200 dpi), {args.rounds} round(s) each, alternating:", flush=True)
    bare_times, tracker_times = [], []
    for round_number in range(args.rounds):
        bare_times.append(bare(scan, folder / f"bare-{round_number}.pdf", limits.ocr_languages,
                               limits.ocr_page_seconds))
        with app.app_context():
            services.requeue()
            db.session.commit()
            began = time.perf_counter()
            result = services.extract_pending(storage=storage, limits=limits)
            tracker_times.append(time.perf_counter() - began)
            doc = db.session.scalars(select(DocumentText)).one()
            assert result.documents == 1 and doc.pages_ocr == args.pages, (result.summary(), doc.reason)
        print(f"  round {round_number + 1}: bare {bare_times[-1]:.1f} s, tracker {tracker_times[-1]:.1f} s",
              flush=True)
    best_bare, best_tracker = min(bare_times), min(tracker_times)
    ratio = best_tracker / best_bare
    print(f"  bare ocrmypdf: {args.pages / best_bare * 60:.1f} pages/minute; tracker: "
          f"{args.pages / best_tracker * 60:.1f} pages/minute; time ratio {ratio:.2f}x "
          f"(goal <= {GOAL}x) {'ok' if ratio <= GOAL else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
