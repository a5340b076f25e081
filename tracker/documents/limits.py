"""The bounds every extraction runs within: a stored document is a stranger's bytes.

Each setting is an environment variable (or the app config key of the same name, which tests set).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    max_pages: int = 1000  # pages read per document; later pages are marked unreadable with the reason
    page_seconds: int = 20  # reading one page's text layer, or checking it for redactions
    document_seconds: int = 300  # reading one document's text layer and checking it, all pages
    memory_mb: int = 1024  # address space of the reading process (it is killed past it)
    page_chars: int = 100_000  # text kept per page; the rest is cut, and the page says so
    max_megapixels: int = 100  # an image (or TIFF page) larger than this is not OCR'd
    ocr_page_seconds: int = 120  # tesseract on one page
    ocr_languages: str = "eng"  # tesseract languages, e.g. "eng+spa" (each needs its Debian package)
    job_seconds: int = 240  # one scheduler run starts no new document after this long

    def as_dict(self) -> dict:
        return asdict(self)


SETTINGS = {
    "max_pages": "TRACKER_TEXT_MAX_PAGES",
    "page_seconds": "TRACKER_TEXT_PAGE_SECONDS",
    "document_seconds": "TRACKER_TEXT_DOCUMENT_SECONDS",
    "memory_mb": "TRACKER_TEXT_MEMORY_MB",
    "page_chars": "TRACKER_TEXT_PAGE_CHARS",
    "max_megapixels": "TRACKER_OCR_MAX_MEGAPIXELS",
    "ocr_page_seconds": "TRACKER_OCR_PAGE_SECONDS",
    "ocr_languages": "TRACKER_OCR_LANGUAGES",
    "job_seconds": "TRACKER_TEXT_JOB_SECONDS",
}


def current() -> Limits:
    """The limits from the app config, then the environment, then the defaults above."""
    from flask import current_app, has_app_context

    config = current_app.config if has_app_context() else {}
    values = {}
    for field, name in SETTINGS.items():
        raw = config.get(name, os.environ.get(name))
        if raw in (None, ""):
            continue
        default = getattr(Limits, field)
        values[field] = str(raw) if isinstance(default, str) else max(int(raw), 1)
    return Limits(**values)
