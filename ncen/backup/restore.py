"""Restoring a node from a backup: verify the whole archive, then rebuild, then verify the audit.

Order, chosen so that a bad archive writes nothing:

1. the header and the passphrase (`ncen.backup.container`): a wrong passphrase stops here;
2. the target instance folder: without ``force`` it must hold none of the files a backup brings
   (pictures, the items of `ncen.backup.contents`);
3. the whole archive is decrypted into a private staging folder (mode 0700) inside the instance
   folder, every chunk authenticated, every member name checked (`ncen.backup.archive`), every
   original picture checked against its sha256, the manifest read, and the end of the archive
   proven. Any failure removes the staging folder (and the instance folder, if this restore
   created it) and raises: nothing was written;
4. the database: it must be empty (no table, view or sequence) unless ``force``;
   ``pg_restore --single-transaction --exit-on-error --no-owner`` loads the dump, so it
   either loads completely or not at all, and the objects belong to the role that restores
   (``role``: ``SET ROLE`` first). With ``force``, ``--clean --if-exists`` replaces the
   objects the dump holds (objects it does not hold are left alone);
5. the staged files are moved into place (same file system: renames), pictures read-only as the
   store writes them, secret items owner-only (files 0600, folders 0700);
6. the audit chain of the restored database is verified (`ncen.audit.verify_chain`), and the
   result is part of the report; when it verifies, a ``node.restore`` event is chained onto it.

The staging folder holds the plaintext dump for the time of the restore only; it lives in the
instance folder (owner-only), where the database files it becomes live anyway.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO, cast

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ncen import migrate
from ncen.audit import verify_chain
from ncen.backup.archive import (
    INSTANCE,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    PICTURES,
    Manifest,
    check_member,
)
from ncen.backup.container import DecryptingReader
from ncen.backup.contents import INSTANCE_ITEMS
from ncen.backup.database import (
    PgTools,
    check_empty,
    libpq_of,
    maintenance_database,
    record_maintenance,
)
from ncen.backup.errors import AlteredBackupError, BackupError, RestoreTargetError
from ncen.errors import AuditChainError
from ncen.pictures.store import DIR_MODE, FILE_MODE
from ncen.settings import Settings

Progress = Callable[[str, int, int | None], None]
"""``progress(stage, advanced_by, total)``: "verify" (archive bytes, total known), "load"
(one step when pg_restore is done), "files" (files moved into place, total known)."""

_DUMP = "database.dump"
_COPY_CHUNK = 1 << 20


def _no_progress(_stage: str, _n: int, _total: int | None) -> None:
    return None


@dataclass(frozen=True)
class RestoreOptions:
    """How to restore. ``role`` None: objects belong to the connecting role."""

    force: bool = False
    role: str | None = None
    privileges: bool = True


@dataclass(frozen=True)
class RestoreReport:
    """What was restored, and whether the restored audit chain verifies."""

    manifest: Manifest
    pictures: int
    instance_files: int
    skipped_altered: tuple[str, ...]
    audit_events: int | None
    audit_error: str | None
    database_revision: str | None
    code_revision: str | None


class _CountingReader:
    def __init__(self, handle: BinaryIO, progress: Progress, total: int) -> None:
        self._handle = handle
        self._progress = progress
        self._total = total

    def read(self, size: int = -1, /) -> bytes:
        data = self._handle.read(size)
        self._progress("verify", len(data), self._total)
        return data


@dataclass
class _Staged:
    root: Path
    manifest: Manifest | None = None
    parts: int = 0
    pictures: list[tuple[str, int]] = field(default_factory=list)  # relative name, mtime
    instance: list[tuple[str, int, bool, bool]] = field(default_factory=list)
    """Instance entries: relative name, recorded mode, is a folder, is secret."""
    skipped_altered: list[str] = field(default_factory=list)


def _content(tar: tarfile.TarFile, info: tarfile.TarInfo) -> IO[bytes]:
    source = tar.extractfile(info)
    if source is None:  # only links and special files have none, and check_member refuses them
        raise AlteredBackupError(f"the archive entry {info.name!r} has no content")
    return source


def _write_member(tar: tarfile.TarFile, info: tarfile.TarInfo, target: Path) -> str:
    """Copy a member's bytes to a new file ``target`` (0600); return their sha256."""
    source = _content(tar, info)
    digest = hashlib.sha256()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "wb") as out:
        while chunk := source.read(_COPY_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _stage(reader: DecryptingReader, staging: Path) -> tuple[_Staged, Manifest]:
    """Extract and check every member into ``staging``; prove the archive complete."""
    staged = _Staged(staging)
    dump = staging / _DUMP
    dump.touch(mode=0o600)
    try:
        # Stream mode ("r|") only calls read(): the archive is never seeked.
        with tarfile.open(fileobj=cast("IO[bytes]", reader), mode="r|") as tar:
            _extract(tar, staged, dump)
    except tarfile.TarError as error:
        raise AlteredBackupError("the archive's content is not a valid tar stream") from error
    # The tar ended; read to the final chunk so that a truncated or extended archive fails.
    reader.drain()
    if staged.manifest is None:
        raise AlteredBackupError(f"the archive has no {MANIFEST}: it is incomplete")
    if staged.manifest.database_parts != staged.parts or staged.parts == 0:
        raise AlteredBackupError("the archive does not hold the whole database dump")
    return staged, staged.manifest


def _extract(tar: tarfile.TarFile, staged: _Staged, dump: Path) -> None:
    """Write every member of ``tar`` below ``staged.root`` after checking its name."""
    staging = staged.root
    for info in tar:
        if staged.manifest is not None:
            raise AlteredBackupError("the archive has entries after its manifest")
        member = check_member(info)
        if member.kind == "part":
            if member.part != staged.parts:
                raise AlteredBackupError("the database parts of the archive are out of order")
            with dump.open("ab") as out:
                shutil.copyfileobj(_content(tar, info), out, _COPY_CHUNK)
            staged.parts += 1
        elif member.kind == "picture":
            target = staging / PICTURES / member.relative
            digest = _write_member(tar, info, target)
            if member.original and digest != member.sha256:
                # Altered on disk before the backup: never reinstate it as evidence.
                target.unlink()
                staged.skipped_altered.append(info.name)
            else:
                staged.pictures.append((str(member.relative), int(info.mtime)))
        elif member.kind == "instance":
            target = staging / INSTANCE / member.relative
            if info.isdir():
                target.mkdir(mode=0o700, parents=True, exist_ok=True)
            else:
                _write_member(tar, info, target)
            staged.instance.append((str(member.relative), info.mode, info.isdir(), member.secret))
        else:
            if info.size > MAX_MANIFEST_BYTES:
                raise AlteredBackupError("the archive's manifest is too large")
            staged.manifest = Manifest.from_bytes(_content(tar, info).read())


def _check_instance(settings: Settings, force: bool) -> None:
    if force:
        return
    present = [
        item.path for item in INSTANCE_ITEMS if (settings.instance_path / item.path).exists()
    ]
    pictures = settings.picture_path
    if pictures.exists() and any(p.is_file() for p in pictures.rglob("*")):
        present.append("pictures")
    if present:
        raise RestoreTargetError(
            f"the instance folder {settings.instance_path} already holds {', '.join(present)}: "
            "restore into an empty instance folder, or pass --force to replace them"
        )


def _pg_restore(engine: Engine, tools: PgTools, dump: Path, options: RestoreOptions) -> None:
    libpq = libpq_of(engine.url)
    command = [
        str(tools.pg_restore),
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-password",
        f"--dbname={libpq.conninfo}",
    ]
    if options.role:
        command.append(f"--role={options.role}")
    if options.force:
        command += ["--clean", "--if-exists"]
    if not options.privileges:
        command.append("--no-privileges")
    done = subprocess.run(  # noqa: S603 - our own tool path and arguments
        [*command, str(dump)], capture_output=True, env=libpq.env, check=False
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise BackupError(
            f"pg_restore failed (exit status {done.returncode}); the database was left as it "
            f"was: {message}"
        )


def _place(staged: _Staged, settings: Settings, progress: Progress) -> None:
    """Move staged files into the instance folder with their final modes."""
    total = len(staged.pictures) + len(staged.instance)
    for relative, mtime in staged.pictures:
        target = settings.picture_path / relative
        # As the store itself creates its folders (`PictureStore._write`).
        target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        source = staged.root / PICTURES / relative
        source.chmod(FILE_MODE)
        os.utime(source, (mtime, mtime))
        os.replace(source, target)
        progress("files", 1, total)
    # Sorted by name, so that a folder is created before what it holds.
    for relative, mode, is_dir, secret in sorted(staged.instance, key=lambda row: row[0]):
        final_mode = mode & (0o700 if secret else 0o755)
        target = settings.instance_path / relative
        if is_dir:
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            target.chmod(final_mode | 0o700)
        else:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            source = staged.root / INSTANCE / relative
            source.chmod(final_mode)
            os.replace(source, target)
        progress("files", 1, total)


def restore_backup(
    settings: Settings,
    archive: Path,
    passphrase: bytes,
    *,
    tools: PgTools,
    options: RestoreOptions | None = None,
    progress: Progress = _no_progress,
) -> RestoreReport:
    """Rebuild the node of ``settings`` from ``archive``; return what was restored.

    Raises `NotABackupError`, `WrongPassphraseError`, `TruncatedBackupError` or
    `AlteredBackupError` for a bad archive and `RestoreTargetError` for a non-empty target,
    having written nothing; `BackupError` if ``pg_restore`` fails (the database is unchanged).
    An audit chain that does not verify after the restore is reported, not raised: the node
    was restored as it was backed up, and the operator must know.
    """
    options = options or RestoreOptions()
    try:
        handle = archive.open("rb")
    except OSError as error:
        raise BackupError(f"cannot read {archive}: {error.strerror}") from error
    with handle:
        size = os.fstat(handle.fileno()).st_size
        reader = DecryptingReader(_CountingReader(handle, progress, size), passphrase)
        _check_instance(settings, options.force)
        instance = settings.instance_path
        created_instance = not instance.exists()
        created_pgdata = settings.database_url is None and not settings.pgdata_path.exists()
        instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=instance))
        loaded = False
        try:
            staged, manifest = _stage(reader, staging)
            with maintenance_database(settings) as engine:
                if not options.force:
                    check_empty(engine)
                _pg_restore(engine, tools, staging / _DUMP, options)
                loaded = True
                progress("load", 1, 1)
                _place(staged, settings, progress)
                report = _verify(engine, staged, manifest)
        except BaseException as error:
            shutil.rmtree(staging, ignore_errors=True)
            if loaded:
                # The database was restored but not every file: say so, never undo silently.
                raise BackupError(
                    f"the database was restored but the files could not all be put in place "
                    f"({error}); fix the cause and run the restore again with --force"
                ) from error
            # Nothing was restored: leave the target as it was found.
            if created_instance:
                shutil.rmtree(instance, ignore_errors=True)
            elif created_pgdata:
                shutil.rmtree(settings.pgdata_path, ignore_errors=True)
            raise
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _verify(engine: Engine, staged: _Staged, manifest: Manifest) -> RestoreReport:
    count: int | None = None
    problem: str | None = None
    with Session(engine) as session:
        try:
            count = verify_chain(session)
        except AuditChainError as error:
            problem = str(error)
    if problem is None:
        # Chained onto the verified trail: the restored node's history says it was restored.
        record_maintenance(
            engine,
            "node.restore",
            {
                "backup_created_at": manifest.created_at,
                "backup_node_id": manifest.node_id,
                "database_revision": manifest.database_revision,
                "audit_events_verified": count,
                "pictures": len(staged.pictures),
            },
        )
    return RestoreReport(
        manifest=manifest,
        pictures=len(staged.pictures),
        instance_files=sum(1 for row in staged.instance if not row[2]),
        skipped_altered=tuple(staged.skipped_altered),
        audit_events=count,
        audit_error=problem,
        database_revision=migrate.current_revision(engine),
        code_revision=migrate.head_revision(engine),
    )
