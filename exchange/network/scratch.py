"""Scratch folders of the exchange: where a process spools an incoming bundle and keeps its
attachments while it imports them (re-encrypted under a key held only in memory,
`exchange.crypto.spool`: never pictures in clear).

**Why one folder per process, held by a lock.** A process killed in the middle of an import
(SIGKILL, power loss) never runs its ``finally``: its spooled bundle and the attachment spool
files (unreadable without the dead process's key) stay on disk. Each process therefore works
in its own folder ``<incoming>/proc-<pid>-<token>`` and holds an exclusive ``flock`` on the
folder's lock file for as long as it lives. The kernel drops the lock when the process dies,
however it dies. `sweep_stale` (run when a node's exchange
starts: ``ncen serve``, the worker, ``ncen exchange open``) removes every folder whose lock it can
take, i.e. whose owner is gone, and leftovers of older versions (loose ``push-*.ncb``,
``pulled-*.ncb``, ``open-*``, ``incoming-*``); live processes' folders are never touched, so
several processes (gunicorn workers, a separate worker) can share the instance folder. A
crash thus strands those files only until the node's next start, and never in clear.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import secrets
import shutil
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

_PREFIX = "proc-"
_LOCK = ".lock"
# Leftovers of versions that spooled into the shared folder itself.
_LEGACY = ("push-*.ncb", "pulled-*.ncb", "open-*", "incoming-*")
# This process's folder per parent folder, with the open lock file that keeps it alive. Filled
# on first use (never at import), keyed by pid so that a forked child makes its own.
_HELD: dict[tuple[Path, int], tuple[Path, IO[bytes]]] = {}


def process_folder(parent: Path) -> Path:
    """This process's scratch folder under ``parent`` (created owner-only, locked, on first
    use). Everything spooled or decrypted during an import goes below it."""
    key = (parent, os.getpid())
    held = _HELD.get(key)
    if held is not None and held[0].is_dir():
        return held[0]
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = parent / f"{_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    folder.mkdir(mode=0o700)
    # Locked before the folder is used: a sweep that runs in between takes the lock only if
    # it wins the race, and then finds an empty folder (the owner re-creates on next use).
    handle = (folder / _LOCK).open("wb")
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    _HELD[key] = (folder, handle)
    atexit.register(_release, key)
    return folder


def _release(key: tuple[Path, int]) -> None:
    """At a clean exit: remove this process's folder (a crash leaves it to `sweep_stale`)."""
    held = _HELD.pop(key, None)
    if held is None or key[1] != os.getpid():  # a forked child exits: the folder is not its
        return
    folder, handle = held
    shutil.rmtree(folder, ignore_errors=True)
    handle.close()


def _owner_gone(folder: Path) -> bool:
    lock = folder / _LOCK
    try:
        handle = lock.open("rb")
    except FileNotFoundError:
        return True  # killed before it could lock: nobody holds it
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def sweep_stale(parent: Path) -> list[Path]:
    """Remove the scratch folders under ``parent`` whose process is gone, and older leftovers;
    return those that held files (logged: a process died during an import)."""
    if not parent.is_dir():
        return []
    removed: list[Path] = []
    mine = {held[0] for key, held in _HELD.items() if key[1] == os.getpid()}
    for entry in sorted(parent.iterdir()):
        stale = False
        if entry.name.startswith(_PREFIX) and entry.is_dir():
            stale = entry not in mine and _owner_gone(entry)
        elif any(entry.match(pattern) for pattern in _LEGACY):
            stale = True
        if not stale:
            continue
        if entry.is_dir():
            leftovers = [p for p in entry.iterdir() if p.name != _LOCK]
            shutil.rmtree(entry, ignore_errors=True)
            if not leftovers:  # an owner that exited between two imports left nothing
                continue
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    if removed:
        log.warning(
            "removed %d scratch entries left by processes that died mid-import: %s",
            len(removed),
            ", ".join(p.name for p in removed),
        )
    return removed
