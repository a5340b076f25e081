"""The text layer of PDFs read quickly, for the mail fetch: PyMuPDF in one child process that lives as long
as the fetch. Run as a script (`python -I quick_text.py`), this file is that child.

PyMuPDF reads a one-page letter in about a millisecond where pypdf takes ten, but it is C: a hostile PDF could
crash it or make it spin. In the child, a crash or a hang costs that one document only: the parent sees the
child die (or not answer in time), says so, and starts a new child for the next document. Nothing is retried
in the fetch (but in the one case below, once), so a PDF that crashes the reader cannot loop; its text is left
to the documents job, which reads every stored attachment in its own bounded process (reader.py).

`submit(data)` asks for a PDF's text and returns at once (a future): one thread of the parent talks to the
child, in order, so the mail fetch parses its next messages while the child reads. `pages(data)` waits for the
answer; both go through one lock, so the child never hears two conversations.

Inside `gathered()`, what is submitted is sent when the block ends, all in one exchange: the fetch gathers an
IMAP batch's PDFs. One exchange per batch, not one per PDF, because each exchange costs the reader thread a few
waits for Python's lock (the GIL) while the fetch's own thread holds it, milliseconds each: with a round trip
per PDF the reader thread spent longer waiting than the child spent reading. An exchange carries at most
EXCHANGE_BYTES of PDFs (a larger PDF goes alone), so the child holds no more than that at once.

The protocol, both ways: a 4-byte big-endian length, then that many bytes. The parent sends a JSON header
({"max_pages", "page_chars", "count"}) then `count` PDFs, in one write; the child reads them all before it
answers (so neither side can block writing while the other does), then answers each in order, as soon as it
is read: JSON {"pages": [...], "total": N} or {"error": "..."}. Each answer has its own time limit, counted from
the answer before it (the first: from the end of the parent's write). When the child hangs or dies on a PDF,
that PDF gets the error and the rest of the exchange goes to a new child. One exception: a child that dies
before its first answer may have died reading the exchange, not on its first PDF, so that PDF is asked again
alone, and errs if that kills the child too (the only PDF read twice). Either way a hostile PDF costs its own
text only, and each exchange settles at least one PDF, so nothing loops.
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
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

CHILD = Path(__file__)
HEADER = struct.Struct(">I")
EXCHANGE_BYTES = 8 * 1024 * 1024  # the PDFs of one exchange, at most (a larger one goes alone)


class QuickTextError(Exception):
    """The PDF could not be read here; the message says why (its text is left to the documents job)."""


# --- the parent ---------------------------------------------------------------------------------------


class QuickText:
    """`pages(data)`: the text of each page of a PDF (at most `max_pages`), or QuickTextError. Close it (or
    use it in a `with`) to end the child."""

    child: tuple[str, ...] = (str(CHILD),)  # the child's script and its arguments, before the memory limit

    def __init__(self, *, seconds: float = 20, memory_mb: int = 1024, max_pages: int = 60,
                 page_chars: int = 100_000):
        self.seconds, self.memory_mb, self.max_pages, self.page_chars = seconds, memory_mb, max_pages, page_chars
        self.process: subprocess.Popen | None = None
        self._talking = threading.Lock()  # one exchange at a time on the child's pipes
        self._reader: ThreadPoolExecutor | None = None  # the thread that reads submitted documents, in order
        self._gathering: list[tuple[bytes, Future]] | None = None  # submitted inside gathered(), not yet sent
        self._answers: _Answers | None = None  # the child's stdout, read ahead
        self._failure: str | None = None  # why the last exchange stopped short: "timeout" or "died"

    def __enter__(self) -> QuickText:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            # The child limits its own memory (no preexec_fn: the fetch runs in one of the scheduler's threads,
            # where a fork's child could deadlock before exec and leave the PDF's write to it blocked).
            self.process = subprocess.Popen(  # noqa: S603  (our own script, no shell)
                [sys.executable, "-I", *self.child, str(self.memory_mb)], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0, start_new_session=True)
            self._answers = _Answers(self.process.stdout.fileno())
        return self.process

    def submit(self, data: bytes) -> Future[list[str]]:
        """pages(data) in the reader thread: its future gives the pages, or raises QuickTextError. Inside
        gathered(), it is sent when the block ends."""
        future: Future[list[str]] = Future()
        if self._gathering is not None:
            self._gathering.append((data, future))
        else:
            self._hand_over([(data, future)])
        return future

    @contextmanager
    def gathered(self) -> Iterator[None]:
        """What is submitted in the block goes to the reader thread in one piece when it ends (even when it
        ends by an exception: every future is answered)."""
        self._gathering = []
        try:
            yield
        finally:
            jobs, self._gathering = self._gathering, None
            if jobs:
                self._hand_over(jobs)

    def _hand_over(self, jobs: list[tuple[bytes, Future]]) -> None:
        if self._reader is None:
            self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quick-text")
        self._reader.submit(self._read_all, jobs)

    def pages(self, data: bytes) -> list[str]:
        with self._talking:
            return self._pages(data)

    def _pages(self, data: bytes) -> list[str]:
        future: Future[list[str]] = Future()
        if not self._exchange([(data, future)]):
            self._fail(future)
        return future.result()

    def _read_all(self, jobs: list[tuple[bytes, Future]]) -> None:
        """In the reader thread: answer every job, in exchanges of at most EXCHANGE_BYTES."""
        with self._talking:
            try:
                self._read_in_exchanges(jobs)
            finally:  # a bug here must not leave the fetch waiting for ever on a future
                for _, future in jobs:
                    if not future.done():
                        future.set_exception(QuickTextError("the PDF reader failed"))

    def _read_in_exchanges(self, jobs: list[tuple[bytes, Future]]) -> None:
        while jobs:
            size, count = 0, 0
            while count < len(jobs) and (count == 0 or size + len(jobs[count][0]) <= EXCHANGE_BYTES):
                size += len(jobs[count][0])
                count += 1
            exchange, jobs = jobs[:count], jobs[count:]
            while exchange:
                answered = self._exchange(exchange)
                if answered < len(exchange):  # the child hung or died on the next one
                    data, future = exchange[answered]
                    # Dead before its first answer, it may have died reading the exchange: that PDF alone
                    # once more (after an answer, the child had read them all and died on this one).
                    if self._failure != "died" or answered > 0 or len(exchange) == 1 \
                            or not self._exchange([(data, future)]):
                        self._fail(future)
                    answered += 1
                exchange = exchange[answered:]

    def _fail(self, future: Future) -> None:
        """The job the last exchange stopped on: its error."""
        if self._failure == "timeout":
            future.set_exception(QuickTextError(f"reading it took more than {self.seconds:.0f} seconds"))
        else:
            future.set_exception(QuickTextError("the PDF reader stopped on it (a damaged or hostile file)"))

    def _exchange(self, jobs: list[tuple[bytes, Future]]) -> int:
        """Send jobs in one exchange and settle them with the child's answers, in order; how many were
        answered. Fewer than all: the child hung (self._failure == "timeout") or died ("died") on the next
        one, and it is ended."""
        process = self._start()
        header = json.dumps({"max_pages": self.max_pages, "page_chars": self.page_chars,
                             "count": len(jobs)}).encode()
        answered = 0
        try:
            _send(process.stdin.fileno(), header, *(data for data, _ in jobs))
            for _, future in jobs:
                answer = json.loads(self._answers.receive(time.monotonic() + self.seconds))
                if answer.get("error"):
                    future.set_exception(QuickTextError(answer["error"]))
                else:
                    future.set_result(answer["pages"])
                answered += 1
        except TimeoutError:
            self._failure = "timeout"
        except (OSError, EOFError, ValueError):
            self._failure = "died"
        else:
            return answered
        self._kill()
        return answered

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
    """The chunks framed, in one write (each write costs the reader thread a wait for Python's lock)."""
    view = memoryview(b"".join(part for chunk in chunks for part in (HEADER.pack(len(chunk)), chunk)))
    while view:
        view = view[os.write(fd, view):]


class _Answers:
    """The child's answers, read as they come, as many at a time as have arrived (each read costs the reader
    thread a wait for Python's lock)."""

    def __init__(self, fd: int):
        self.fd, self.buffer = fd, bytearray()

    def receive(self, deadline: float) -> bytes:
        while True:
            if len(self.buffer) >= HEADER.size:
                (size,) = HEADER.unpack_from(self.buffer)
                if len(self.buffer) >= HEADER.size + size:
                    message = bytes(self.buffer[HEADER.size:HEADER.size + size])
                    del self.buffer[:HEADER.size + size]
                    return message
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                raise TimeoutError()
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                raise EOFError()
            self.buffer += chunk


def _read_exactly(fd: int, size: int) -> bytes:
    out = bytearray()
    while len(out) < size:
        chunk = os.read(fd, size - len(out))
        if not chunk:
            raise EOFError()
        out += chunk
    return bytes(out)


def _receive(fd: int) -> bytes:
    (size,) = HEADER.unpack(_read_exactly(fd, HEADER.size))
    return _read_exactly(fd, size)


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
            job = json.loads(_receive(source))
            documents = [_receive(source) for _ in range(job["count"])]  # all of them before any answer
        except EOFError:
            return 0
        for data in documents:
            _send(sink, json.dumps(read(fitz, data, job["max_pages"], job["page_chars"])).encode())


if __name__ == "__main__":
    sys.exit(main())
