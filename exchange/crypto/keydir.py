"""The node's own keys on disk: the private identity, and the statements it published.

Layout of ``<instance>/keys`` (mode 0700, refused when group or others may enter it)::

    identity.json               the private identity (`exchange.crypto.keystore`): encrypted under
                                the passphrase (ncen-keystore-v1), or in clear with mode 0600
    keyset-0001.json, ...       every key set this node published, as signed statements: 0001 is
                                self-signed (``ncen keys init``); each later one is signed by
                                the signing key it supersedes (``ncen keys rotate``)
    revocation-<key id>.json    signed revocation statements (``ncen keys revoke``)

The passphrase comes from ``NCEN_KEY_PASSPHRASE`` or from the file named by
``NCEN_KEY_PASSPHRASE_FILE`` (owner-only, like the key file); without either the identity is
kept in clear, protected by its file mode, which `init` only accepts when asked explicitly.
Nothing here prints or logs private material.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

from exchange.crypto.canonical import parse_canonical
from exchange.crypto.keys import KemAlgorithm, NodeIdentity, generate_identity
from exchange.crypto.keysets import (
    KeySet,
    Revocation,
    make_revocation,
    parse_keyset,
    publish_keyset,
    rotate_identity,
    verify_revocation,
)
from exchange.crypto.keystore import load_identity, save_identity
from exchange.crypto.signing import SignedStatement
from exchange.errors import ExchangeError, KeyStoreError

KEYS_FOLDER = "keys"
IDENTITY_FILE = "identity.json"
PASSPHRASE_VARIABLE = "NCEN_KEY_PASSPHRASE"  # noqa: S105 - the variable name, not a secret
PASSPHRASE_FILE_VARIABLE = "NCEN_KEY_PASSPHRASE_FILE"  # noqa: S105 - a name
DEFAULT_VALIDITY = timedelta(days=730)
_KEYSET_FILE = re.compile(r"keyset-(\d{4,})\.json")


def passphrase_from_environment(environ: Mapping[str, str]) -> bytes | None:
    """The key passphrase from ``NCEN_KEY_PASSPHRASE`` or ``NCEN_KEY_PASSPHRASE_FILE``, or None.

    Raises `KeyStoreError` when both are set, when the value is empty, or when the file is
    readable by group or others or belongs to another user.
    """
    value = environ.get(PASSPHRASE_VARIABLE)
    file_name = environ.get(PASSPHRASE_FILE_VARIABLE)
    if value is not None and file_name:
        raise KeyStoreError(f"set {PASSPHRASE_VARIABLE} or {PASSPHRASE_FILE_VARIABLE}, not both")
    if file_name:
        path = Path(file_name)
        try:
            with path.open("rb") as handle:
                _check_owner_only(path, os.fstat(handle.fileno()), "passphrase file")
                value_bytes = handle.read().rstrip(b"\r\n")
        except OSError as error:
            raise KeyStoreError(f"cannot read passphrase file {path}: {error.strerror}") from error
    elif value is not None:
        value_bytes = value.encode("utf-8")
    else:
        return None
    if not value_bytes:
        raise KeyStoreError("the key passphrase is empty")
    return value_bytes


def _check_owner_only(path: Path, status: os.stat_result, what: str) -> None:
    mode = stat.S_IMODE(status.st_mode)
    if mode & 0o077:
        fix = "700" if stat.S_ISDIR(status.st_mode) else "600"
        raise KeyStoreError(
            f"{what} {path} has mode {mode:04o}; it must be accessible by its owner only "
            f"(run: chmod {fix} {path})"
        )
    if status.st_uid != os.geteuid():
        raise KeyStoreError(f"{what} {path} belongs to another user (uid {status.st_uid})")


def _read_statement(path: Path) -> SignedStatement:
    try:
        return SignedStatement.from_json(parse_canonical(path.read_bytes()))
    except OSError as error:
        raise KeyStoreError(f"cannot read {path}: {error.strerror}") from error
    except ExchangeError as error:
        raise KeyStoreError(f"{path} is not a signed statement: {error}") from error


def write_public_file(path: Path, statement: SignedStatement) -> None:
    """Write a signed statement (public: key set, revocation) atomically, mode 0644."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with open(descriptor, "wb") as handle:
            handle.write(statement.to_bytes())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read_statement_file(path: Path) -> SignedStatement:
    """Read a signed statement written by `write_public_file` (or sent by a peer)."""
    return _read_statement(path)


class NodeKeys:
    """The keys folder of one node. ``passphrase`` None means the identity is kept in clear."""

    def __init__(self, directory: Path, *, passphrase: bytes | None) -> None:
        self.directory = directory
        self._passphrase = passphrase

    @classmethod
    def of_instance(cls, instance_path: Path, *, passphrase: bytes | None) -> NodeKeys:
        """The keys folder of the node whose instance folder is ``instance_path``."""
        return cls(instance_path / KEYS_FOLDER, passphrase=passphrase)

    @property
    def identity_path(self) -> Path:
        return self.directory / IDENTITY_FILE

    @property
    def encrypted(self) -> bool:
        return self._passphrase is not None

    def exists(self) -> bool:
        """True if an identity was created here."""
        return self.identity_path.exists()

    def _check_directory(self) -> None:
        try:
            status = self.directory.stat()
        except FileNotFoundError as error:
            raise KeyStoreError(
                f"no node keys in {self.directory}: run `ncen keys init` first"
            ) from error
        _check_owner_only(self.directory, status, "keys folder")

    def init(
        self,
        node_id: str,
        *,
        now: datetime,
        valid_for: timedelta = DEFAULT_VALIDITY,
        kem: KemAlgorithm = KemAlgorithm.X25519,
        allow_plain: bool = False,
    ) -> KeySet:
        """Create the node's identity and its first, self-signed key set (serial 1).

        Refuses (`KeyStoreError`) when an identity exists already, or when no passphrase is set
        and ``allow_plain`` is False. Side effects: creates the folder (0700) and the files.
        """
        if self._passphrase is None and not allow_plain:
            raise KeyStoreError(
                f"set {PASSPHRASE_VARIABLE} or {PASSPHRASE_FILE_VARIABLE} to encrypt the keys, "
                "or confirm that an owner-only key file in clear is the protection"
            )
        if self.exists():
            raise KeyStoreError(f"node keys already exist in {self.directory}")
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        identity = generate_identity(node_id, not_before=now, not_after=now + valid_for, kem=kem)
        statement = publish_keyset(identity, signer=identity.signing, serial=1, issued=now)
        write_public_file(self._keyset_path(1), statement)
        save_identity(self.identity_path, identity, passphrase=self._passphrase)
        return parse_keyset(statement)

    def load(self, expected_node_id: str | None = None) -> NodeIdentity:
        """Load the private identity; raise `KeyStoreError` on loose permissions, a wrong or
        missing passphrase, a node id other than ``expected_node_id``, or files that disagree."""
        self._check_directory()
        identity = load_identity(self.identity_path, passphrase=self._passphrase)
        if expected_node_id is not None and identity.node_id != expected_node_id:
            raise KeyStoreError(
                f"the keys in {self.directory} belong to node {identity.node_id!r}, "
                f"but this node is configured as {expected_node_id!r} (NCEN_NODE_ID)"
            )
        current = self.current_keyset()
        if current.signing_key.key_id != identity.signing.public.key_id:
            raise KeyStoreError(
                f"the newest key set in {self.directory} does not match the private keys; "
                "restore the keys folder from a backup"
            )
        return identity

    def _keyset_path(self, serial: int) -> Path:
        return self.directory / f"keyset-{serial:04d}.json"

    def keyset_statements(self) -> list[SignedStatement]:
        """Every published key set, oldest first."""
        self._check_directory()
        found: list[tuple[int, Path]] = []
        for path in self.directory.iterdir():
            match = _KEYSET_FILE.fullmatch(path.name)
            if match:
                found.append((int(match.group(1)), path))
        if not found:
            raise KeyStoreError(f"no key set in {self.directory}: run `ncen keys init` first")
        return [_read_statement(path) for _, path in sorted(found)]

    def current_statement(self) -> SignedStatement:
        """The newest published key set, as signed when it was published."""
        return self.keyset_statements()[-1]

    def current_keyset(self) -> KeySet:
        """The newest published key set, parsed."""
        try:
            return parse_keyset(self.current_statement())
        except ExchangeError as error:
            raise KeyStoreError(f"the newest key set is malformed: {error}") from error

    def export_public(self) -> SignedStatement:
        """The current key set signed by the current signing key, for a new peer to pin.

        Its content equals the newest published key set; only the signer may differ (after a
        rotation the published one is signed by the previous key, which a new peer never saw).
        """
        identity = self.load()
        current = self.current_keyset()
        return publish_keyset(
            identity,
            signer=identity.signing,
            serial=current.serial,
            issued=current.issued,
            supersedes=current.supersedes,
        )

    def rotate(
        self,
        *,
        now: datetime,
        valid_for: timedelta = DEFAULT_VALIDITY,
        kem: KemAlgorithm | None = None,
    ) -> tuple[SignedStatement, Path]:
        """Make new signing and encryption keys; keep the old decryption keys (archived).

        Returns the new key set, signed by the previous signing key, and the file it was written
        to: every peer applies it with ``ncen peers update-keys``. The statement is written
        before the identity, so a crash in between is detected by `load`.
        """
        identity = self.load()
        serial = self.current_keyset().serial + 1
        rotated, statement = rotate_identity(
            identity, now=now, not_after=now + valid_for, serial=serial, kem=kem
        )
        path = self._keyset_path(serial)
        write_public_file(path, statement)
        save_identity(self.identity_path, rotated, passphrase=self._passphrase)
        return statement, path

    def known_key_ids(self, identity: NodeIdentity) -> dict[str, str]:
        """Every key id this node published or holds (``identity`` being its loaded identity),
        mapped to ``signing`` or ``encryption``."""
        known: dict[str, str] = {}
        for statement in self.keyset_statements():
            keyset = parse_keyset(statement)
            known[keyset.signing_key.key_id] = "signing"
            for published in keyset.encryption_keys:
                known[published.key.key_id] = "encryption"
        for pair in identity.encryption_keys:
            known[pair.public.key_id] = "encryption"
        return known

    def revoke(self, key_id: str, *, reason: str, now: datetime) -> tuple[SignedStatement, Path]:
        """Sign a revocation of one of this node's keys with the current signing key.

        The current keys cannot be revoked (peers would have nothing to verify or seal with):
        rotate first, then revoke the old key id. Raises `KeyStoreError`, or `ValueError` for an
        unknown reason. Returns the statement and its file; peers apply it with
        ``ncen peers update-keys``.
        """
        identity = self.load()
        known = self.known_key_ids(identity)
        if key_id not in known:
            raise KeyStoreError(f"key {key_id} is not one of this node's keys")
        current = {identity.signing.public.key_id, identity.current_encryption_key.public.key_id}
        if key_id in current:
            raise KeyStoreError(
                f"key {key_id} is in use: run `ncen keys rotate` first, then revoke the old key"
            )
        statement = make_revocation(
            identity.signing,
            node_id=identity.node_id,
            key_id=key_id,
            revoked_at=now,
            reason=reason,
        )
        path = self.directory / f"revocation-{key_id}.json"
        write_public_file(path, statement)
        return statement, path

    def revocations(self) -> list[Revocation]:
        """The revocations this node published (content only; they were signed here)."""
        self._check_directory()
        signers = {}
        for published in self.keyset_statements():
            keyset = parse_keyset(published)
            signers[keyset.signing_key.key_id] = keyset.signing_key
        result = []
        for path in sorted(self.directory.glob("revocation-*.json")):
            statement = _read_statement(path)
            signer = signers.get(statement.signer_key_id)
            if signer is None:
                raise KeyStoreError(f"{path} is signed by a key this node never published")
            result.append(verify_revocation(statement, signer))
        return result
