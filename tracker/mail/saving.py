"""The fetch's storage: every file saved through it is noted, so that a batch rolled back leaves no file behind;
and a batch's files (each raw message, each attachment) can be saved ahead, by a writer thread, while the
batch before is written to the database.

Saving a file is mostly the system's work (create, write, rename), done without Python's lock: in the writer
thread it runs beside the fetch's own work instead of in its way. A save started ahead is taken by the save
that asks for the same bytes (a BytesStream of them); the ones no save took (a duplicate, a message left in
Unsorted mail) are deleted when their batch is done (drop). Nothing changes for what is stored: a file saved
ahead is the same file, noted the same way when it is taken, and nothing of it is in the database until the
batch's commit; a crash meanwhile leaves a file without a row, as a crash before the commit always could.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Hashable
from concurrent.futures import Future, ThreadPoolExecutor

from tracker.core.storage import Storage, StoredFile

log = logging.getLogger(__name__)


class BytesStream(io.BytesIO):
    """A stream of bytes that keeps them, so that a save started ahead for those very bytes is recognised."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.data = data


class NotedStorage:
    """The app's storage, for one fetch: notes what it saves, and saves ahead (see above)."""

    def __init__(self, storage: Storage):
        self.storage, self.keys = storage, []
        self._writer: ThreadPoolExecutor | None = None
        # id(bytes) -> (the bytes, kept so the id stays theirs; the save; the batch it is for)
        self._ahead: dict[int, tuple[bytes, Future[StoredFile], Hashable]] = {}

    def save_ahead(self, data: bytes, batch: Hashable) -> None:
        """Start saving these bytes in the writer thread, for the batch named `batch`."""
        if id(data) in self._ahead:
            return
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail-files")
        self._ahead[id(data)] = (data, self._writer.submit(self.storage.save, io.BytesIO(data)), batch)

    def save(self, stream) -> StoredFile:
        data = getattr(stream, "data", None)
        started = self._ahead.get(id(data)) if data is not None else None
        if started is not None and started[0] is data:
            del self._ahead[id(data)]
            stored = started[1].result()  # a failed save raises here, as saving here would
        else:
            stored = self.storage.save(stream)
        self.keys.append(stored.key)
        return stored

    def forget(self) -> None:
        """Delete every file noted since the last commit (the batch is rolled back)."""
        for key in self.keys:
            self.storage.delete(key)
        self.keys = []

    def drop(self, batch: Hashable | None = None) -> None:
        """Delete the files saved ahead for `batch` (every batch: None) that no save took."""
        for ident, (_, future, of) in list(self._ahead.items()):
            if batch is None or of == batch:
                del self._ahead[ident]
                try:
                    self.storage.delete(future.result().key)
                except Exception:  # noqa: BLE001  (a save that failed left nothing to delete)
                    log.warning("a file saved ahead could not be deleted", exc_info=True)

    def close(self) -> None:
        """Drop what no save took, and end the writer thread."""
        self.drop()
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None

    def __getattr__(self, name):
        return getattr(self.storage, name)
