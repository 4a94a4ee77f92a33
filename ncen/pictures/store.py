"""The content-addressed picture store on disk: sealed originals and their derivatives.

Layout under the root folder (``Settings.picture_path``), every file named by the sha256 of the
ORIGINAL upload, fanned out by its first two byte pairs::

    originals/ab/cd/<sha256>   the upload, byte for byte (evidence), verified on every read
    display/ab/cd/<sha256>     the display JPEG (metadata stripped, orientation applied)
    thumbs/ab/cd/<sha256>      the thumbnail JPEG

Writes go to a temporary file in the destination folder, are flushed to disk and renamed over
the final name with `os.replace` (atomic: readers never see half a file), then made read-only
(0o440). A put of content already present is a no-op, so retries and duplicate uploads are
safe. Only 64 lowercase hex digits are accepted as names: no path can leave the root.
Derivatives can always be rebuilt from the original; originals cannot, so a changed or missing
original raises a typed error instead of being repaired silently.
"""

from __future__ import annotations

import enum
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Final

from ncen.pictures.processing import PictureError, ProbedImage

_HEX64: Final = re.compile(r"[0-9a-f]{64}")
_CHUNK: Final = 1 << 20
FILE_MODE: Final = 0o440
DIR_MODE: Final = 0o750


class PictureStoreError(PictureError):
    """Something is wrong with the files of the picture store (an operator must look)."""


class PictureMissingError(PictureStoreError):
    """A file the database refers to is not in the store."""


class PictureIntegrityError(PictureStoreError):
    """A stored original no longer has the sha256 it was stored under: it was altered."""


class Kind(enum.StrEnum):
    """The three kinds of file, named after their top-level folder."""

    ORIGINAL = "originals"
    DISPLAY = "display"
    THUMBNAIL = "thumbs"


def check_sha256(sha256: str) -> str:
    """Return ``sha256`` if it is 64 lowercase hex digits, else raise `ValueError`."""
    if not isinstance(sha256, str) or not _HEX64.fullmatch(sha256):
        raise ValueError("a picture is named by 64 lowercase hex digits (its sha256)")
    return sha256


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class PictureStore:
    """Files of pictures under ``root``; safe for several processes writing at once."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, kind: Kind, sha256: str) -> Path:
        """Where the ``kind`` file of the picture ``sha256`` lives (whether or not it exists)."""
        name = check_sha256(sha256)
        return self.root / Kind(kind).value / name[:2] / name[2:4] / name

    def exists(self, kind: Kind, sha256: str) -> bool:
        """True if the file is present (its content is not checked)."""
        return self.path(kind, sha256).is_file()

    def _write(self, target: Path, data: bytes) -> None:
        """Write ``data`` at ``target`` atomically, durable and read-only."""
        target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, FILE_MODE)
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)

    def put_original(self, data: bytes) -> str:
        """Store an original byte for byte; return its sha256 (its name).

        Idempotent: present content is not rewritten. Raises `PictureIntegrityError` if a file
        of that name exists with other content (evidence is never overwritten silently).
        """
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(Kind.ORIGINAL, sha256)
        if target.is_file():
            self._verified_bytes(target, sha256)
            return sha256
        self._write(target, data)
        return sha256

    def put_derivative(self, kind: Kind, sha256: str, data: bytes) -> Path:
        """Store a display or thumbnail file of the original ``sha256`` (no-op if present)."""
        if kind is Kind.ORIGINAL:
            raise ValueError("originals are stored with put_original, which names them itself")
        target = self.path(kind, sha256)
        if not target.is_file():
            self._write(target, data)
        return target

    def save(self, probed: ProbedImage) -> None:
        """Store an accepted upload: the original, then its display file and thumbnail."""
        sha256 = self.put_original(probed.original)
        self.put_derivative(Kind.DISPLAY, sha256, probed.display.data)
        self.put_derivative(Kind.THUMBNAIL, sha256, probed.thumbnail.data)

    def _verified_bytes(self, target: Path, sha256: str) -> bytes:
        digest = hashlib.sha256()
        chunks: list[bytes] = []
        try:
            with target.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                    chunks.append(chunk)
        except FileNotFoundError as exc:
            raise PictureMissingError(
                f"original picture {sha256} is missing from the store"
            ) from exc
        if digest.hexdigest() != sha256:
            raise PictureIntegrityError(
                f"original picture {sha256} was altered on disk (its sha256 is now "
                f"{digest.hexdigest()}); restore it from a backup"
            )
        return b"".join(chunks)

    def read_original(self, sha256: str) -> bytes:
        """The original's bytes, after checking they still hash to ``sha256``.

        Raises `PictureMissingError` or `PictureIntegrityError`.
        """
        return self._verified_bytes(self.path(Kind.ORIGINAL, sha256), sha256)

    def verify_original(self, sha256: str) -> None:
        """Check one original (for a periodic integrity sweep); raises as `read_original`."""
        self.read_original(sha256)

    def read_derivative(self, kind: Kind, sha256: str) -> bytes:
        """A display file or thumbnail. Raises `PictureMissingError` if absent."""
        target = self.path(kind, sha256)
        try:
            return target.read_bytes()
        except FileNotFoundError as exc:
            raise PictureMissingError(f"{kind.value} file of picture {sha256} is missing") from exc
