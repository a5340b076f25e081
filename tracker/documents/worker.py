"""The reading process: `python -m tracker.documents.worker JOB.json` prints one JSON answer.

A stored document is a stranger's bytes: a PDF can be encrypted, truncated, nested ten thousand levels deep
or two thousand pages long. So it is read in a child process with an address-space limit (set by the parent,
reader.py) and a wall-clock limit, and each page within its own alarm here. Whatever happens, the parent gets
an answer or a dead child, and marks the document unreadable with the reason; the scheduler goes on.

The job: {"path", "kind": "pdf" | "image", "max_pages", "page_seconds", "page_chars", "max_megapixels",
"redactions": bool}. The answer: {"pages": [{"text", "reason"}], "total": N, "error": "", "redactions":
[{"page", "text"}]}, or {"error": "..."} for a document that cannot be read at all.
"""

from __future__ import annotations

import json
import signal
import sys
import unicodedata


class PageTimeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise PageTimeout()


_TABS_AND_NEWLINES = str.maketrans("", "", "\n\t")


def clean(text: str, limit: int) -> tuple[str, str]:
    """Text as stored: no NUL or other control characters (tabs and newlines stay), at most `limit` characters."""
    text = text or ""
    # Every control character (category C) is unprintable: text that is all printable but for its tabs and
    # newlines has none, and is not walked character by character.
    if not text.translate(_TABS_AND_NEWLINES).isprintable():
        text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()
    if len(text) > limit:
        return text[:limit], f"the page's text was cut at {limit:,} characters"
    return text, ""


def _timed(seconds: int, func, *args):
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        return func(*args)
    finally:
        signal.alarm(0)


def read_pdf(job: dict) -> dict:
    import io
    import logging

    from pypdf import PdfReader

    logging.disable(logging.WARNING)  # pypdf warns about every oddity of a broken file on stderr
    with open(job["path"], "rb") as fh:
        data = fh.read()
    try:
        reader = _timed(job["page_seconds"], PdfReader, io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many agency PDFs are locked against editing only
            except Exception:  # noqa: BLE001  (an unknown cipher is one more way to be unreadable)
                opened = 0
            if not opened:
                return {"error": "the PDF is encrypted with a password"}
        total = _timed(job["page_seconds"], lambda: len(reader.pages))
    except PageTimeout:
        return {"error": f"opening the PDF took more than {job['page_seconds']} seconds"}
    except RecursionError:
        return {"error": "the PDF's objects are nested too deeply to read"}
    except MemoryError:
        return {"error": "the PDF needs too much memory to read"}
    except Exception as exc:  # noqa: BLE001  (pypdf raises many kinds on broken files)
        return {"error": f"the PDF is damaged or truncated ({type(exc).__name__})"}
    if total == 0:
        return {"error": "the PDF has no pages"}
    pages = []
    for number in range(min(total, job["max_pages"])):
        try:
            raw = _timed(job["page_seconds"], lambda n=number: reader.pages[n].extract_text() or "")
            text, reason = clean(raw, job["page_chars"])
            pages.append({"text": text, "reason": reason})
        except PageTimeout:
            pages.append({"text": "", "reason": f"reading the page took more than {job['page_seconds']} seconds"})
        except RecursionError:
            pages.append({"text": "", "reason": "the page's objects are nested too deeply to read"})
        except MemoryError:
            pages.append({"text": "", "reason": "the page needs too much memory to read"})
        except Exception as exc:  # noqa: BLE001
            pages.append({"text": "", "reason": f"the page is damaged ({type(exc).__name__})"})
    answer = {"pages": pages, "total": total, "error": "", "redactions": []}
    if job.get("redactions"):
        answer["redactions"], answer["redaction_error"] = check_redactions(data, len(pages), job)
    return answer


def check_redactions(data: bytes, pages: int, job: dict) -> tuple[list[dict], str]:
    """Free Law Project's x-ray, page by page: a dark rectangle over text that is still there."""
    try:
        import fitz
        from xray.pdf_utils import get_bad_redactions
        from xray.text_utils import check_if_all_dates
    except ImportError:
        return [], "x-ray is not installed"
    found: dict[int, list] = {}
    try:
        document = fitz.open(stream=data, filetype="pdf")
    except Exception as exc:  # noqa: BLE001
        return [], f"the redaction check could not open the PDF ({type(exc).__name__})"
    skipped = 0
    with document:
        for number in range(min(pages, document.page_count)):
            try:
                bad = _timed(job["page_seconds"], lambda n=number: get_bad_redactions(document[n]))
            except Exception:  # noqa: BLE001  (timeout or a page x-ray cannot parse: that page is not checked)
                skipped += 1
                continue
            if bad:
                found[number + 1] = bad
    found = check_if_all_dates(found)  # x-ray drops boxes over dates only: usually a form's blanks
    out = []
    for page, items in sorted(found.items()):
        for item in items:
            text, _ = clean(str(item.get("text", "")), 2000)
            if text:
                out.append({"page": page, "text": text})
    return out, (f"{skipped} page(s) could not be checked" if skipped else "")


def read_image(job: dict) -> dict:
    """An image's size and frames, without decoding its pixels: the parent OCRs it only if it is small enough."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # we judge the size ourselves, from the header
    try:
        with Image.open(job["path"]) as image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
    except Exception as exc:  # noqa: BLE001
        return {"error": f"the image is damaged or not an image ({type(exc).__name__})"}
    limit = job["max_megapixels"] * 1_000_000
    if width * height > limit:
        return {"error": f"the image is {width:,} × {height:,} pixels; images over "
                         f"{job['max_megapixels']:,} million pixels are not read"}
    return {"total": frames, "width": width, "height": height, "error": ""}


def main(argv: list[str]) -> int:
    with open(argv[1]) as fh:
        job = json.load(fh)
    try:
        answer = read_pdf(job) if job["kind"] == "pdf" else read_image(job)
    except MemoryError:
        answer = {"error": "the document needs too much memory to read"}
    except RecursionError:
        answer = {"error": "the document's objects are nested too deeply to read"}
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
