"""Read a stored file into pages of text: the text layer in a bounded child process (worker.py), then OCR.

OCR: scanned PDF pages go through `ocrmypdf --skip-text` (which OCRs only pages with no text layer) into a
new file kept beside the original, never over it; PNG, JPEG and TIFF through `tesseract`. Every child runs
under an address-space limit and a timeout, so a hostile file costs bounded memory and time.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from tracker.documents.limits import Limits
from tracker.documents.message import parse_message
from tracker.documents.text import decode, html_to_text
from tracker.documents.worker import clean

PDF = "application/pdf"
WORKER = Path(__file__).with_name("worker.py")
IMAGES = {"image/png", "image/jpeg", "image/tiff"}
MESSAGE = "message/rfc822"  # a raw email (.eml)
MAX_MESSAGE_BYTES = 100 * 1024 * 1024  # read into memory by the parser: a bound on a stranger's file


@dataclass
class Page:
    text: str = ""
    reason: str = ""  # why the page has no (or incomplete) text; "" when it was read
    source: str = "text"  # "text" (text layer, plain text, HTML), "ocr", or "" when nothing was read


@dataclass
class Reading:
    pages: list[Page] = field(default_factory=list)
    total: int = 0  # pages in the document (more than len(pages) past the per-document limit)
    error: str = ""  # the document as a whole could not be read: why
    ocr_file: Path | None = None  # the OCR'd copy, a temporary file for the caller to store
    redactions: list[dict] = field(default_factory=list)  # [{"page", "text"}]
    notes: list[str] = field(default_factory=list)  # things said about the document as a whole


def _limit_memory(megabytes: int):
    def apply() -> None:
        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    return apply


def run_bounded(command: list[str], *, seconds: int, memory_mb: int, cwd: str | None = None):
    """Run a child under a memory cap and a timeout; the whole process group is killed on timeout."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                               preexec_fn=_limit_memory(memory_mb), start_new_session=True)  # noqa: S603
    try:
        out, err = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        raise
    return process.returncode, out, err


def _worker(job: dict, limits: Limits) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(job, fh)
        job_file = fh.name
    try:
        # The script itself, not the package: the child imports only what reading needs (-I: no user site,
        # no environment-variable paths, not the script's folder).
        code, out, _err = run_bounded([sys.executable, "-I", str(WORKER), job_file],
                                      seconds=limits.document_seconds, memory_mb=limits.memory_mb)
    except subprocess.TimeoutExpired:
        return {"error": f"reading the document took more than {limits.document_seconds} seconds"}
    finally:
        os.unlink(job_file)
    try:
        return json.loads(out)
    except ValueError:
        if code and code < 0:
            return {"error": "reading the document crashed or needed more than "
                             f"{limits.memory_mb:,} MB of memory"}
        return {"error": "reading the document failed (needed more than "
                         f"{limits.memory_mb:,} MB of memory, or the file is damaged)"}


def ocr_available() -> bool:
    return bool(shutil.which("ocrmypdf") and shutil.which("tesseract"))


def looks_unreadable(text: str) -> bool:
    """OCR of a page in a language or script tesseract was not given reads as a scatter of symbols."""
    tokens = text.split()
    if len(tokens) < 4:
        return False
    wordish = sum(1 for t in tokens if re.fullmatch(r"[\"'(\[]?[A-Za-z][a-z]*[\"'.,;:!?)\]]*|[\d.,/$%-]+", t))
    return wordish / len(tokens) < 0.5


NOT_ENGLISH = ("OCR read little that looks like words: the page may be in another language or script "
               "than OCR is set up for ({languages}), or too faint to read")


def _ocr_pages(texts: list[str], limits: Limits) -> list[Page]:
    pages = []
    for raw in texts:
        text, reason = clean(raw, limits.page_chars)
        if not text:
            pages.append(Page("", "OCR found no text on the page", ""))
        elif looks_unreadable(text):
            pages.append(Page(text, NOT_ENGLISH.format(languages=limits.ocr_languages), "ocr"))
        else:
            pages.append(Page(text, reason, "ocr"))
    return pages


_SKIPPED = re.compile(r"\[OCR skipped on page\(s\) (\d+)(?:-(\d+))?\]")


def sidecar_pages(sidecar: str) -> dict[int, str]:
    """ocrmypdf's sidecar text: one chunk per page, split by form feeds; skipped pages are one chunk per run,
    "[OCR skipped on page(s) 1-2]"."""
    pages: dict[int, str] = {}
    number = 1
    for chunk in sidecar.split("\f"):
        skipped = _SKIPPED.fullmatch(chunk.strip())
        if skipped:
            number = int(skipped.group(2) or skipped.group(1)) + 1
            continue
        pages[number] = chunk
        number += 1
    return pages


def ocr_pdf(path: Path, pages: list[int], limits: Limits, workdir: Path) -> tuple[Path | None, dict[int, str], str]:
    """OCR the given 1-based pages into a copy; returns (the copy, page -> text, error)."""
    output, sidecar = workdir / "ocr.pdf", workdir / "ocr.txt"
    command = ["ocrmypdf", "--skip-text", "--output-type", "pdf", "--optimize", "0", "--jobs", "1", "--quiet",
               "-l", limits.ocr_languages, "--tesseract-timeout", str(limits.ocr_page_seconds),
               "--max-image-mpixels", str(limits.max_megapixels), "--sidecar", str(sidecar),
               "--pages", ",".join(str(p) for p in pages), str(path), str(output)]
    seconds = limits.ocr_page_seconds * len(pages) + 60
    try:
        code, _out, err = run_bounded(command, seconds=seconds, memory_mb=max(limits.memory_mb, 2048))
    except subprocess.TimeoutExpired:
        return None, {}, f"OCR took more than {seconds} seconds"
    if code != 0 or not output.exists() or not sidecar.exists():
        last = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1][:300]
        return None, {}, f"OCR failed ({last})"
    found = sidecar_pages(sidecar.read_text("utf-8", errors="replace"))
    return output, {p: found.get(p, "") for p in pages}, ""


def ocr_image(path: Path, limits: Limits, frames: int) -> tuple[list[str], str]:
    command = ["tesseract", str(path), "stdout", "-l", limits.ocr_languages]
    seconds = limits.ocr_page_seconds * max(frames, 1)
    try:
        code, out, err = run_bounded(command, seconds=seconds, memory_mb=max(limits.memory_mb, 2048))
    except subprocess.TimeoutExpired:
        return [], f"OCR took more than {seconds} seconds"
    if code != 0:
        last = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1][:300]
        return [], f"OCR failed ({last})"
    texts = out.decode("utf-8", "replace").split("\f")
    if len(texts) > 1 and not texts[-1].strip():
        texts = texts[:-1]  # tesseract ends every page with a form feed
    return texts[:frames] if frames else texts, ""


def read(path: Path, content_type: str, limits: Limits, *, ocr: bool = True, redactions: bool = False,
         message_pdfs: bool = False, workdir: Path) -> Reading:
    """Pages of text of the file at `path`, each read or marked unreadable with its reason. For an email,
    `message_pdfs` reads its attached PDFs too, as the pages after the message."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind == PDF:
        return _read_pdf(path, limits, ocr=ocr, redactions=redactions, workdir=workdir)
    if kind in IMAGES:
        return _read_image(path, limits, ocr=ocr)
    if kind == MESSAGE:
        return _read_message(path, limits, ocr=ocr, workdir=workdir, pdfs=message_pdfs)
    if kind.startswith("text/"):
        size = path.stat().st_size
        with open(path, "rb") as fh:
            data = fh.read(limits.page_chars * 4)
        text = decode(data)
        html = kind == "text/html" or re.match(r"\s*(<!doctype html|<html)", text[:200], re.IGNORECASE)
        raw = html_to_text(text) if html else text  # the upload sniffs HTML as plain text
        text, reason = clean(raw, limits.page_chars)
        if size > limits.page_chars * 4 and not reason:
            reason = f"only the first {limits.page_chars * 4:,} bytes were read"
        return Reading(pages=[Page(text, reason, "text")], total=1)
    return Reading(error=f"no text is read from {kind or 'this kind of file'}")


def _read_pdf(path: Path, limits: Limits, *, ocr: bool, redactions: bool, workdir: Path) -> Reading:
    answer = _worker({"path": str(path), "kind": "pdf", "max_pages": limits.max_pages, "page_seconds":
                      limits.page_seconds, "page_chars": limits.page_chars, "redactions": redactions}, limits)
    if answer.get("error"):
        return Reading(error=answer["error"])
    reading = Reading(total=answer["total"], redactions=answer.get("redactions") or [])
    reading.pages = [Page(p["text"], p["reason"], "text" if p["text"] else "") for p in answer["pages"]]
    if answer.get("redaction_error"):
        reading.notes.append(f"redaction check: {answer['redaction_error']}")
    if reading.total > len(reading.pages):
        reading.notes.append(f"only the first {limits.max_pages:,} of {reading.total:,} pages are read "
                             "(the limit per document)")
    scans = [n for n, page in enumerate(reading.pages, start=1) if not page.text and not page.reason]
    if not scans:
        return reading
    if not ocr or not ocr_available():
        for n in scans:
            reading.pages[n - 1].reason = "no text layer, and OCR is not installed (Debian: ocrmypdf)" \
                if ocr else "no text layer (a scan); OCR was not asked for"
        return reading
    copy, texts, error = ocr_pdf(path, scans, limits, workdir)
    if error:
        for n in scans:
            reading.pages[n - 1].reason = error
        return reading
    reading.ocr_file = copy
    for n, page in zip(scans, _ocr_pages([texts.get(n, "") for n in scans], limits), strict=True):
        reading.pages[n - 1] = page
    return reading


def _read_image(path: Path, limits: Limits, *, ocr: bool) -> Reading:
    answer = _worker({"path": str(path), "kind": "image", "max_megapixels": limits.max_megapixels}, limits)
    if answer.get("error"):
        return Reading(error=answer["error"])
    frames = min(int(answer.get("total") or 1), limits.max_pages)
    if not ocr or not ocr_available():
        return Reading(error="an image's text needs OCR, which is not installed (Debian: tesseract-ocr)"
                       if ocr else "an image's text needs OCR, which was not asked for")
    texts, error = ocr_image(path, limits, frames)
    if error:
        return Reading(error=error)
    return Reading(pages=_ocr_pages(texts, limits), total=int(answer.get("total") or 1))


def _read_message(path: Path, limits: Limits, *, ocr: bool, workdir: Path, pdfs: bool) -> Reading:
    """Page 1: the message (headers, body, forwarded messages); then, with `pdfs`, the pages of each attached
    PDF, read as any PDF is (text layer, then OCR), in the order they are attached."""
    if path.stat().st_size > MAX_MESSAGE_BYTES:
        return Reading(error=f"the message is larger than {MAX_MESSAGE_BYTES // (1024 * 1024)} MB")
    message = parse_message(path.read_bytes())
    text, reason = clean(message.text, limits.page_chars)
    reading = Reading(pages=[Page(text, reason if text else "the message has no text", "text" if text else "")],
                      notes=list(message.notes))
    for number, pdf in enumerate(message.pdfs if pdfs else [], start=1):
        room = limits.max_pages - len(reading.pages)
        if room <= 0:
            reading.notes.append(f"attached PDFs past the limit of {limits.max_pages:,} pages were not read")
            break
        inner = workdir / f"attached-{number}"
        inner.mkdir()
        (inner / "attached.pdf").write_bytes(pdf.data)
        part = _read_pdf(inner / "attached.pdf", replace(limits, max_pages=room), ocr=ocr, redactions=False,
                         workdir=inner)
        if part.error:
            reading.notes.append(f"{pdf.name}: {part.error}")
            continue
        reading.pages.extend(part.pages)
        reading.notes.extend(f"{pdf.name}: {note}" for note in part.notes)
    reading.total = len(reading.pages)
    return reading
