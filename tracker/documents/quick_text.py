"""The text layer of PDFs read quickly, for the mail fetch: PyMuPDF in one child process that lives as long
as the fetch. Run as a script (`python -I quick_text.py`), this file is that child.

PyMuPDF reads a one-page letter in about a millisecond where pypdf takes ten, but it is C: a hostile PDF could
crash it or make it spin. In the child, a crash or a hang costs that one document only: the parent sees the
child die (or not answer in time), says so, and starts a new child for the next document. Nothing is retried
in the fetch, so a PDF that crashes the reader cannot loop; its text is left to the documents job, which
reads every stored attachment in its own bounded process (reader.py).

`submit(data)` asks for a PDF's text and returns at once (a future): one thread of the parent talks to the
child, a document at a time and in order, so the mail fetch parses its next messages while the child reads.
`pages(data)` waits for the answer; both go through one lock, so the child never hears two conversations.

The protocol, both ways: a 4-byte big-endian length, then that many bytes. The parent sends a JSON header
({"max_pages", "page_chars"}) then the PDF; the child answers JSON: {"pages": [...], "total": N} or
{"error": "..."}.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

CHILD = Path(__file__)
HEADER = struct.Struct(">I")


class QuickTextError(Exception):
    """The PDF could not be read here; the message says why (its text is left to the documents job)."""


# --- the parent ---------------------------------------------------------------------------------------


class QuickText:
    """`pages(data)`: the text of each page of a PDF (at most `max_pages`), or QuickTextError. Close it (or
    use it in a `with`) to end the child."""

    def __init__(self, *, seconds: float = 20, memory_mb: int = 1024, max_pages: int = 60,
                 page_chars: int = 100_000):
        self.seconds, self.memory_mb, self.max_pages, self.page_chars = seconds, memory_mb, max_pages, page_chars
        self.process: subprocess.Popen | None = None
        self._talking = threading.Lock()  # one document at a time on the child's pipes
        self._reader: ThreadPoolExecutor | None = None  # the thread that reads submitted documents, in order

    def __enter__(self) -> QuickText:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            # The child limits its own memory (no preexec_fn: the fetch runs in one of the scheduler's threads,
            # where a fork's child could deadlock before exec and leave the PDF's write to it blocked).
            self.process = subprocess.Popen(  # noqa: S603  (our own script, no shell)
                [sys.executable, "-I", str(CHILD), str(self.memory_mb)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0, start_new_session=True)
        return self.process

    def submit(self, data: bytes) -> Future[list[str]]:
        """pages(data) in the reader thread: its future gives the pages, or raises QuickTextError."""
        if self._reader is None:
            self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quick-text")
        return self._reader.submit(self.pages, data)

    def pages(self, data: bytes) -> list[str]:
        with self._talking:
            return self._pages(data)

    def _pages(self, data: bytes) -> list[str]:
        process = self._start()
        header = json.dumps({"max_pages": self.max_pages, "page_chars": self.page_chars}).encode()
        deadline = time.monotonic() + self.seconds
        try:
            _send(process.stdin.fileno(), header, data)
            answer = json.loads(_receive(process.stdout.fileno(), deadline))
        except TimeoutError:
            self._kill()
            raise QuickTextError(f"reading it took more than {self.seconds:.0f} seconds") from None
        except (OSError, EOFError, ValueError):
            self._kill()
            raise QuickTextError("the PDF reader stopped on it (a damaged or hostile file)") from None
        if answer.get("error"):
            raise QuickTextError(answer["error"])
        return answer["pages"]

    def _kill(self) -> None:
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                pipe.close()
            self.process = None

    def close(self) -> None:
        if self._reader is not None:  # what was submitted is read (each document has its time limit)
            self._reader.shutdown(wait=True)
            self._reader = None
        # The child holds nothing to save and waits for its next document: ended at once, not asked to shut its
        # interpreter down and polled until it has (a tenth of a second at the end of every fetch).
        self._kill()


def _send(fd: int, *chunks: bytes) -> None:
    for chunk in chunks:
        view = memoryview(HEADER.pack(len(chunk)) + chunk)
        while view:
            view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    out = bytearray()
    while len(out) < size:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError()
        chunk = os.read(fd, size - len(out))
        if not chunk:
            raise EOFError()
        out += chunk
    return bytes(out)


def _receive(fd: int, deadline: float | None) -> bytes:
    (size,) = HEADER.unpack(_read_exactly(fd, HEADER.size, deadline))
    return _read_exactly(fd, size, deadline)


# --- the child ----------------------------------------------------------------------------------------


def _clean(text: str, limit: int) -> str:
    text = "".join(ch if ch in "\n\t" or ch >= " " and ch != "\x7f" else " " for ch in text or "")
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()[:limit]


def read(fitz, data: bytes, max_pages: int, page_chars: int) -> dict:
    try:
        document = fitz.open(stream=data, filetype="pdf")
    except Exception as exc:  # noqa: BLE001  (MuPDF raises its own kinds on broken files)
        return {"error": f"the PDF is damaged or truncated ({type(exc).__name__})"}
    with document:
        if document.needs_pass and not document.authenticate(""):
            return {"error": "the PDF is encrypted with a password"}
        if document.page_count == 0:
            return {"error": "the PDF has no pages"}
        pages = []
        for number in range(min(document.page_count, max_pages)):
            try:
                pages.append(_clean(document[number].get_text(), page_chars))
            except Exception:  # noqa: BLE001  (a damaged page: no text from it)
                pages.append("")
        return {"pages": pages, "total": document.page_count}


def main() -> int:
    size = int(sys.argv[1]) * 1024 * 1024  # the memory limit, in megabytes, before MuPDF is loaded
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
    import fitz

    fitz.TOOLS.mupdf_display_errors(False)  # MuPDF reports every oddity of a broken file
    fitz.TOOLS.mupdf_display_warnings(False)
    source, sink = sys.stdin.fileno(), sys.stdout.fileno()
    while True:
        try:
            job = json.loads(_receive(source, None))
            data = _receive(source, None)
        except EOFError:
            return 0
        answer = read(fitz, data, job["max_pages"], job["page_chars"])
        _send(sink, json.dumps(answer).encode())


if __name__ == "__main__":
    sys.exit(main())
