"""Writing a backup: one consistent, encrypted archive of the database, pictures and secrets.

Consistency. The database is dumped from an exported snapshot: one REPEATABLE READ, READ ONLY
transaction exports it (``pg_export_snapshot``), reads the list of pictures *in that same
snapshot*, and stays open while ``pg_dump --snapshot`` dumps exactly what it saw. Then the
picture files of exactly that list are copied. This is consistent because the store is
content-addressed and a picture's files are written (fsynced, renamed into place) *before* the
transaction that inserts its row commits: every row the snapshot holds already has its files.
A picture added after the snapshot is simply not in the backup (nor is its row). Copying the
whole store instead would also be safe for additions, but it would carry files whose rows were
deleted (retracted or swept pictures, which must not outlive their deletion in fresh backups)
and files of uploads whose transaction rolled back. The one race left is a file removed between
the snapshot and its copy (a retraction that deletes files): it is reported as missing, like a
file lost from the store, and listed in the manifest; the backup is still written, and the
operator is told to run it again.

Originals are hashed while they are copied; one that no longer matches its name (altered on
disk) is listed in the manifest as altered and reported, so that restore can refuse to
reinstate it as evidence.

Nothing is left behind on failure: the archive is written to a temporary owner-only file next
to the output and renamed into place only when complete (and fsynced). No plaintext touches
the disk: the dump is read from ``pg_dump``'s pipe in bounded parts straight into the tar
stream, which goes straight into the encryption.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, BinaryIO, cast

from sqlalchemy import Connection, Engine, text

from ncen.backup.archive import FORMAT, INSTANCE, MANIFEST, PART_SIZE, PICTURES, Manifest, part_name
from ncen.backup.container import EncryptingWriter, KdfParams
from ncen.backup.contents import INSTANCE_ITEMS
from ncen.backup.database import Libpq, PgTools, libpq_of, record_maintenance
from ncen.backup.errors import BackupError
from ncen.pictures.store import Kind, PictureStore
from ncen.settings import Settings

Progress = Callable[[str, int, int | None], None]
"""``progress(stage, advanced_by, total)``: stages are "database" (bytes, total unknown),
"pictures" (pictures, total known) and "instance" (files, total unknown)."""


def _no_progress(_stage: str, _n: int, _total: int | None) -> None:
    return None


@dataclass(frozen=True)
class BackupReport:
    """What was written."""

    path: Path
    size: int
    manifest: Manifest


class _HashingReader:
    """Reads from a file while hashing what was read (for originals, checked by name)."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1, /) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        return data


def _file_info(name: str, size: int, mode: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = mode
    info.mtime = int(mtime)
    return info


@contextmanager
def _snapshot(engine: Engine) -> Iterator[tuple[Connection, str]]:
    """A read-only repeatable-read transaction and the id of its exported snapshot."""
    with engine.connect() as plain:
        conn = plain.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            yield conn, str(snapshot)


def _picture_names(conn: Connection) -> list[str]:
    if conn.execute(text("SELECT to_regclass('public.pictures')")).scalar_one() is None:
        return []
    return list(conn.execute(text("SELECT sha256 FROM pictures ORDER BY sha256")).scalars())


def _revision(conn: Connection) -> str | None:
    if conn.execute(text("SELECT to_regclass('public.alembic_version')")).scalar_one() is None:
        return None
    heads = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return ",".join(heads) or None


def _dump(
    tar: tarfile.TarFile, tools: PgTools, libpq: Libpq, snapshot: str, progress: Progress
) -> tuple[int, int]:
    """Stream ``pg_dump`` of ``snapshot`` into the tar in parts; return (parts, bytes)."""
    command = [
        str(tools.pg_dump),
        "--format=custom",
        f"--snapshot={snapshot}",
        "--no-password",
        f"--dbname={libpq.conninfo}",
    ]
    parts = total = 0
    now = datetime.now(UTC).timestamp()
    # stderr goes to a file: a pipe could fill up and stall pg_dump while we read stdout.
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(  # noqa: S603 - our own tool path and arguments
            command, stdout=subprocess.PIPE, stderr=errors, env=libpq.env
        ) as process:
            stdout = process.stdout
            if stdout is None:  # cannot happen with stdout=PIPE; keeps the types honest
                raise BackupError("pg_dump gave no output pipe")
            while True:
                part = stdout.read(PART_SIZE)
                if not part:
                    break
                tar.addfile(_file_info(part_name(parts), len(part), 0o600, now), io.BytesIO(part))
                parts += 1
                total += len(part)
                progress("database", len(part), None)
            code = process.wait()
        if code != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()
            raise BackupError(f"pg_dump failed (exit status {code}): {message}")
    return parts, total


def _pictures(
    tar: tarfile.TarFile, store: PictureStore, names: list[str], progress: Progress
) -> tuple[list[str], list[str]]:
    """Copy the files of the pictures ``names``; return (missing, altered) file names."""
    missing: list[str] = []
    altered: list[str] = []
    for sha256 in names:
        for kind in Kind:
            path = store.path(kind, sha256)
            name = f"{PICTURES}/{path.relative_to(store.root).as_posix()}"
            try:
                handle = path.open("rb")
            except FileNotFoundError:
                missing.append(name)
                continue
            with handle:
                status = os.fstat(handle.fileno())
                reader = _HashingReader(handle)
                info = _file_info(name, status.st_size, 0o440, status.st_mtime)
                tar.addfile(info, cast("IO[bytes]", reader))  # addfile only calls read()
                if kind is Kind.ORIGINAL and reader.digest.hexdigest() != sha256:
                    altered.append(name)
        progress("pictures", 1, len(names))
    return missing, altered


def _instance(tar: tarfile.TarFile, instance: Path, progress: Progress) -> dict[str, str]:
    """Add the instance items; return {archive name: octal mode} of what was added."""
    added: dict[str, str] = {}
    for item in INSTANCE_ITEMS:
        root = instance / item.path
        if not root.exists():
            continue
        paths = [root, *sorted(root.rglob("*"))] if root.is_dir() else [root]
        for path in paths:
            status = path.lstat()
            name = f"{INSTANCE}/{path.relative_to(instance).as_posix()}"
            mode = status.st_mode & 0o777
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                raise BackupError(
                    f"{path} is not a regular file or folder; a backup carries no links or "
                    "special files: replace it with the file it stands for"
                )
            if path.is_dir():
                info = tarfile.TarInfo(name)
                info.type = tarfile.DIRTYPE
                info.mode = mode
                info.mtime = int(status.st_mtime)
                tar.addfile(info)
            else:
                with path.open("rb") as handle:
                    size = os.fstat(handle.fileno()).st_size
                    tar.addfile(_file_info(name, size, mode, status.st_mtime), handle)
                progress("instance", 1, None)
            added[name] = f"{mode:04o}"
    return added


def write_backup(
    settings: Settings,
    engine: Engine,
    output: Path,
    passphrase: bytes,
    *,
    tools: PgTools,
    progress: Progress = _no_progress,
    kdf: KdfParams | None = None,
) -> BackupReport:
    """Write a backup of the node to ``output`` (mode 0600); return what was written.

    ``engine`` is the database of `ncen.backup.database.maintenance_database`; ``passphrase``
    encrypts the archive (`ncen.backup.container`). Raises `BackupError` if ``output`` exists
    or ``pg_dump`` fails; no partial file is ever left at ``output``. Missing or altered
    picture files do not fail the backup: they are listed in the returned manifest.
    Side effect: a ``node.backup`` audit event (after the snapshot, so in the next backup).
    """
    output = output.resolve()
    if output.exists():
        raise BackupError(f"{output} already exists; choose another file name")
    if not output.parent.is_dir():
        raise BackupError(f"the folder {output.parent} does not exist")
    temporary = output.with_name(f".{output.name}.{secrets.token_hex(8)}.tmp")
    libpq = libpq_of(engine.url)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(descriptor, "wb") as sink:
            writer = EncryptingWriter(sink, passphrase, params=kdf)
            # Stream mode ("w|"): the tar is written as it goes and never seeks.
            with tarfile.open(
                # Stream mode only calls write() (and close(), which we do ourselves).
                fileobj=cast("IO[bytes]", writer),
                mode="w|",
                format=tarfile.PAX_FORMAT,
            ) as tar:
                with _snapshot(engine) as (conn, snapshot):
                    names = _picture_names(conn)
                    revision = _revision(conn)
                    parts, dumped = _dump(tar, tools, libpq, snapshot, progress)
                missing, altered = _pictures(
                    tar, PictureStore(settings.picture_path), names, progress
                )
                instance_files = _instance(tar, settings.instance_path, progress)
                manifest = Manifest(
                    format=FORMAT,
                    created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    node_id=settings.node_id,
                    database_revision=revision,
                    pg_dump_version=tools.version(),
                    database_parts=parts,
                    database_bytes=dumped,
                    pictures=len(names),
                    missing_pictures=missing,
                    altered_pictures=altered,
                    instance_files=instance_files,
                )
                data = manifest.to_bytes()
                tar.addfile(
                    _file_info(MANIFEST, len(data), 0o600, datetime.now(UTC).timestamp()),
                    io.BytesIO(data),
                )
            writer.close()
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(temporary, output)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_dir(output.parent)
    size = output.stat().st_size
    # Who took a copy of everything, when, and where to: the trail must say so. The event is
    # not in this archive (it is written after its snapshot); it is in the next one.
    record_maintenance(
        engine,
        "node.backup",
        {
            "file": str(output),
            "bytes": size,
            "database_revision": manifest.database_revision,
            "pictures": manifest.pictures,
            "missing_pictures": len(manifest.missing_pictures),
            "altered_pictures": len(manifest.altered_pictures),
        },
    )
    return BackupReport(output, size, manifest)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
