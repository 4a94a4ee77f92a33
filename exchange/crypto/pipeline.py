"""A two-stage pipeline over a few reusable buffers, so that hashing overlaps encryption and I/O.

Sealing and opening a bundle each pay one SHA-256 pass and one AES-256-GCM pass over every byte,
plus the reads and writes. SHA-256 is the slow part (several times slower than AES-GCM with
AES-NI), and both `hashlib` and `cryptography` release the GIL on large buffers, so a second
thread that hashes (or writes) buffer ``n`` while the caller reads and decrypts buffer ``n + 1``
takes the other work off the critical path.

`Pipeline` hands filled buffers from the calling thread to one worker thread that applies
``consume`` to each, in order, and gives the buffer back for reuse. At most ``depth`` buffers of
``buffer_size`` bytes exist at any time (memory is bounded whatever the size of the stream); the
caller blocks in `Pipeline.buffer` while every buffer is in flight. The worker starts only with
the second buffer, so a stream that fits in one buffer costs no thread at all.

An exception raised by ``consume`` is re-raised in the caller (at its next `buffer`, `submit`
or `close`); once one happened, later buffers are returned without being consumed. Leaving the
``with`` block always stops and joins the worker, on success and on error alike.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Protocol

PIPELINE_BUFFER = 16 * 64 * 1024  # 16 STREAM chunks: 1 MiB, few enough thread hand-offs
PIPELINE_DEPTH = 4


class ReadableInto(Protocol):
    """A binary source with ``read``; ``readinto`` is used when the source has it."""

    def read(self, size: int = -1, /) -> bytes: ...


def read_into(source: ReadableInto, view: memoryview) -> int:
    """Fill ``view`` from ``source``; return the bytes read, fewer only at end of input.

    Uses ``source.readinto`` when there is one (no intermediate copy), ``read`` otherwise, and
    loops over short reads.
    """
    readinto = getattr(source, "readinto", None)
    filled = 0
    total = len(view)
    while filled < total:
        if readinto is not None:
            count = readinto(view[filled:])
            if not count:
                break
        else:
            data = source.read(total - filled)
            if not data:
                break
            count = len(data)
            view[filled : filled + count] = data
        filled += count
    return filled


class _Stop:
    """The sentinel that ends the worker."""


_STOP = _Stop()


class Pipeline:
    """Apply ``consume(memoryview)`` to submitted buffers on one worker thread (module doc)."""

    def __init__(
        self,
        consume: Callable[[memoryview], object],
        buffer_size: int = PIPELINE_BUFFER,
        depth: int = PIPELINE_DEPTH,
    ) -> None:
        self._consume = consume
        self._size = buffer_size
        self._depth = depth
        self._allocated = 0
        self._free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        self._work: queue.Queue[tuple[bytearray, int] | _Stop] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._submitted = 0

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop()
        if kind is None:
            self._raise_pending()

    def buffer(self) -> bytearray:
        """A free buffer of ``buffer_size`` bytes; blocks while ``depth`` are in flight."""
        self._raise_pending()
        if self._allocated < self._depth and self._free.empty():
            self._allocated += 1
            return bytearray(self._size)
        return self._free.get()

    def submit(self, buffer: bytearray, length: int) -> None:
        """Hand the first ``length`` bytes of ``buffer`` (from `buffer`) to ``consume``.

        The caller must not touch ``buffer`` afterwards. The first buffer is consumed at once,
        in the calling thread; later ones go to the worker, started on the second.
        """
        self._raise_pending()
        self._submitted += 1
        if self._submitted == 1:
            try:
                self._consume(memoryview(buffer)[:length])
            finally:
                self._free.put(buffer)
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ncen-pipeline", daemon=True)
            self._thread.start()
        self._work.put((buffer, length))

    def free(self, buffer: bytearray) -> None:
        """Give back a buffer from `buffer` that the caller did not fill after all."""
        self._free.put(buffer)

    def close(self) -> None:
        """Wait until every submitted buffer was consumed; re-raise a worker failure."""
        self._stop()
        self._raise_pending()

    def _stop(self) -> None:
        if self._thread is not None:
            self._work.put(_STOP)
            self._thread.join()
            self._thread = None

    def _raise_pending(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            item = self._work.get()
            if isinstance(item, _Stop):
                return
            buffer, length = item
            try:
                if self._error is None:
                    self._consume(memoryview(buffer)[:length])
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
                self._error = error
            finally:
                self._free.put(buffer)
