"""Signed checkpoints of the audit chain, kept outside the database.

A checkpoint states "event N is the newest event, the chain holds C events, and the hash at N is
H", signed with the node's **audit key**: an Ed25519 key in a 0600 file of the instance folder
(``NCEN_AUDIT_KEY_FILE``), which no database role can read (the application's role has no file
access at all; see `ncen.dbroles`). Checkpoints are appended to a JSON Lines file beside it
(``NCEN_AUDIT_CHECKPOINT_FILE``), can be sent to syslog, and can be exported to be kept elsewhere.

Against a checkpoint, `ncen audit verify` detects what the hash chain alone cannot: a row
rewritten or deleted and the chain recomputed after it (the hash at N differs), and a truncated
tail (event N is gone). Events newer than the last checkpoint are protected by the chain and the
database roles only, so checkpoints are written often (``NCEN_AUDIT_CHECKPOINT_MINUTES``).

A new checkpoint is signed only after the events since the previous one verify, so a tampered
chain is never blessed. The signed bytes are a domain-separated canonical JSON object.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import logging
import logging.handlers
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ncen.audit.chain import ChainHead, walk_chain
from ncen.audit.events import AuditEvent
from ncen.db import utcnow
from ncen.errors import AuditChainError

_DOMAIN = b"ncen audit checkpoint v1\x00"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkpoint:
    """One signed statement about the head of the audit chain."""

    node: str
    event_id: int
    count: int
    hash: str  # hex SHA-256 at event_id
    at: str  # ISO 8601, UTC
    key_id: str  # hex SHA-256 of the raw public key
    signature: str = ""  # base64 Ed25519 signature over `signed_bytes`

    def signed_bytes(self) -> bytes:
        """The exact bytes the signature covers."""
        body = {k: v for k, v in asdict(self).items() if k != "signature"}
        body["v"] = 1
        return _DOMAIN + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def to_line(self) -> str:
        """One JSON Lines record."""
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @property
    def head(self) -> ChainHead:
        """The chain head this checkpoint vouches for."""
        return ChainHead(
            count=self.count, last_id=self.event_id, last_hash=bytes.fromhex(self.hash)
        )


def key_id(public: Ed25519PublicKey) -> str:
    """The hex SHA-256 fingerprint of a public key's raw bytes."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The audit key in ``path``; created (mode 0600) if absent.

    Raises `AuditChainError` if the file is readable by others or is not an Ed25519 key.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of the node created it first
            return load_or_create_key(path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return key
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise AuditChainError(f"{path} is readable by others: chmod 600 it")
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise AuditChainError(f"{path} is not an Ed25519 private key")
    return loaded


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A public key from a PEM file (as `ncen audit public-key` prints) or a private key file."""
    data = path.read_bytes()
    try:
        if b"PRIVATE KEY" in data:
            private = serialization.load_pem_private_key(data, password=None)
            if isinstance(private, Ed25519PrivateKey):
                return private.public_key()
        else:
            public = serialization.load_pem_public_key(data)
            if isinstance(public, Ed25519PublicKey):
                return public
    except ValueError as exc:
        raise AuditChainError(f"{path} holds no readable key: {exc}") from exc
    raise AuditChainError(f"{path} is not an Ed25519 key")


def public_key_pem(public: Ed25519PublicKey) -> str:
    """The public key as PEM text, to be kept off the host with the exported checkpoints."""
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def sign(checkpoint: Checkpoint, key: Ed25519PrivateKey) -> Checkpoint:
    """``checkpoint`` with its key id and signature set."""
    unsigned = Checkpoint(**{**asdict(checkpoint), "key_id": key_id(key.public_key())})
    signature = base64.b64encode(key.sign(unsigned.signed_bytes())).decode()
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


def read_checkpoints(path: Path, public: Ed25519PublicKey) -> list[Checkpoint]:
    """Every checkpoint in ``path``, each signature verified against ``public``.

    Raises `AuditChainError` naming the line of a malformed or wrongly signed checkpoint, or one
    whose event ids go backwards. A missing file gives an empty list.
    """
    if not path.exists():
        return []
    checkpoints: list[Checkpoint] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            checkpoint = Checkpoint(**json.loads(line))
            signature = base64.b64decode(checkpoint.signature, validate=True)
            public.verify(signature, checkpoint.signed_bytes())
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise AuditChainError(
                f"{path}:{number}: checkpoint is malformed or not signed by this audit key"
            ) from exc
        if checkpoints and checkpoint.event_id < checkpoints[-1].event_id:
            raise AuditChainError(f"{path}:{number}: checkpoint goes back in the chain")
        checkpoints.append(checkpoint)
    return checkpoints


def verify_against(session: Session, checkpoints: list[Checkpoint]) -> ChainHead:
    """Verify the whole chain and every checkpoint's hash; return the verified head.

    Raises `AuditChainError` as `walk_chain` does.
    """
    expected = {c.event_id: bytes.fromhex(c.hash) for c in checkpoints}
    head = walk_chain(session, expected)
    if checkpoints and head.count < checkpoints[-1].count:
        raise AuditChainError(
            f"the trail holds {head.count} events but a signed checkpoint counted "
            f"{checkpoints[-1].count}: events were deleted"
        )
    return head


def write_checkpoint(
    session: Session, key: Ed25519PrivateKey, path: Path, node: str
) -> Checkpoint | None:
    """Verify the events since the last checkpoint in ``path``, then append a signed checkpoint.

    Returns it, or None when the chain did not move since the last one. Raises `AuditChainError`
    (and signs nothing) if the new events do not verify or the last checkpoint no longer matches.
    """
    with _exclusive(path):
        return _write_checkpoint_locked(session, key, path, node)


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold ``path``.lock exclusively: the serve thread and a cron `ncen audit checkpoint` must
    not both read the last checkpoint and append, or the file would go back in the chain."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_checkpoint_locked(
    session: Session, key: Ed25519PrivateKey, path: Path, node: str
) -> Checkpoint | None:
    previous = read_checkpoints(path, key.public_key())
    start = previous[-1].head if previous else None
    if start is not None:
        stored = session.execute(
            select(AuditEvent.hash).where(AuditEvent.id == start.last_id)
        ).scalar_one_or_none()
        if stored != start.last_hash:
            raise AuditChainError(
                f"audit event {start.last_id} no longer matches the last signed checkpoint"
            )
    head = walk_chain(session, start=start)
    if start is not None and head.last_id == start.last_id:
        return None
    if head.count == 0:
        return None
    checkpoint = sign(
        Checkpoint(
            node=node,
            event_id=head.last_id,
            count=head.count,
            hash=head.last_hash.hex(),
            at=utcnow().isoformat(),
            key_id="",
        ),
        key,
    )
    append_line(path, checkpoint.to_line())
    return checkpoint


def append_line(path: Path, line: str) -> None:
    """Append one line to ``path`` under an exclusive lock, and make it durable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def send_to_syslog(checkpoint: Checkpoint, address: str = "/dev/log") -> None:
    """Send one checkpoint to the local syslog (facility AUTHPRIV), to be kept off the host.

    Raises `AuditChainError` if there is no syslog socket at ``address``."""
    if not Path(address).exists():
        raise AuditChainError(f"no syslog socket at {address}")
    handler = logging.handlers.SysLogHandler(
        address=address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV
    )
    try:
        record = logging.LogRecord(
            "ncen.audit",
            logging.INFO,
            __file__,
            0,
            "ncen-audit-checkpoint %s",
            (checkpoint.to_line(),),
            None,
        )
        handler.emit(record)
    finally:
        handler.close()


def count_events(session: Session) -> int:
    """How many events the trail holds (for reports)."""
    return session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
