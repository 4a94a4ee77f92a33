"""The peer registry: the nodes this node exchanges with, their pinned keys, their agreements.

A peer is registered from its self-signed key set (``ncen keys export-public`` on its side),
after the operator compared the fingerprints out of band. From then on its keys change only
through statements signed by its *currently pinned* signing key: a key set of a rotation, or a
revocation (`apply_key_statement`). Rotated-out signing keys stay pinned, their window closed at
the rotation, so bundles sealed before it still verify. `DatabaseTrust` answers opening's
`TrustLookup` from these tables.

Every function takes the session and the acting user, requires ``RUN_EXCHANGE``, writes an audit
event, and leaves the transaction to the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.crypto.interfaces import PeerTrust, PinnedSigningKey
from exchange.crypto.keys import (
    EncryptionPublicKey,
    KemAlgorithm,
    SigningPublicKey,
    check_node_id,
    format_fingerprint,
)
from exchange.crypto.keysets import (
    KEYSET_TYPE,
    REVOCATION_TYPE,
    KeySet,
    parse_keyset,
    verify_keyset,
    verify_revocation,
)
from exchange.crypto.signing import SignedStatement
from exchange.errors import (
    FormatError,
    PeerError,
    RevokedKeyError,
    SignatureError,
)
from exchange.models import KeyPurpose, Peer, PeerKey, PeerKeySet, PeerStatus
from exchange.records.recordschema import HANDLING_CODES
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.db import utcnow
from ncen.policy import Action, require
from ncen.reference.models import Country

RECORD_TYPE = "peer"


@dataclass(frozen=True)
class Agreement:
    """What a peer may receive: nominal data (persons) or not, and which handling codes."""

    may_receive_nominal: bool
    handling_codes: frozenset[str]

    def __post_init__(self) -> None:
        unknown = self.handling_codes - HANDLING_CODES
        if unknown:
            raise PeerError(f"unknown handling codes {sorted(unknown)}; use H0, H1, H2, H3")

    def details(self) -> dict[str, object]:
        return {
            "may_receive_nominal": self.may_receive_nominal,
            "handling_codes": sorted(self.handling_codes),
        }


def fingerprint_lines(keyset: KeySet) -> list[str]:
    """Human-checkable lines for every key of a key set (for out-of-band comparison)."""
    signing_window = _window(keyset.signing_not_before, keyset.signing_not_after)
    lines = [f"signing key (ed25519), valid {signing_window}"]
    lines += ["  " + line for line in format_fingerprint(keyset.signing_key.key_id).splitlines()]
    for published in keyset.encryption_keys:
        window = _window(published.not_before, published.not_after)
        lines.append(f"encryption key ({published.key.algorithm.value}), valid {window}")
        lines += ["  " + line for line in format_fingerprint(published.key.key_id).splitlines()]
    return lines


def _window(not_before: datetime, not_after: datetime) -> str:
    return f"{not_before:%Y-%m-%d} to {not_after:%Y-%m-%d}"


def read_peer_keyset(signed: SignedStatement) -> KeySet:
    """Parse and check a peer's self-signed key set (its first registration).

    Raises `FormatError`, `InvalidPublicKeyError` (weak or malformed key) or `SignatureError`.
    """
    keyset = parse_keyset(signed)
    return verify_keyset(signed, keyset.signing_key)


def _check_endpoint(endpoint: str | None) -> str | None:
    if endpoint is None or not endpoint.strip():
        return None
    endpoint = endpoint.strip()
    if not endpoint.startswith(("https://", "http://")) or len(endpoint) > 500:
        raise PeerError(f"endpoint {endpoint[:60]!r} is not an http(s) URL of at most 500 bytes")
    return endpoint


def add_peer(
    session: Session,
    actor: Actor,
    *,
    node_id: str,
    country: str,
    endpoint: str | None,
    keyset: SignedStatement,
    agreement: Agreement,
    own_node_id: str,
) -> Peer:
    """Register a peer from its self-signed key set and pin its keys.

    The operator must have compared the fingerprints (`fingerprint_lines`) out of band before.
    Raises `PeerError` (bad node id, unknown country, this node itself, already registered, key
    set of another node), `InvalidPublicKeyError`, `SignatureError` or `FormatError`. Audits
    ``exchange.peer.add`` with the key ids.
    """
    require(actor, Action.RUN_EXCHANGE)
    try:
        check_node_id(node_id)
    except FormatError as error:
        raise PeerError(str(error)) from error
    if node_id == own_node_id:
        raise PeerError(f"{node_id} is this node itself")
    if session.get(Peer, node_id) is not None:
        raise PeerError(f"peer {node_id} is already registered (see `ncen peers update-keys`)")
    country_code = country.strip().upper()
    if session.get(Country, country_code) is None:
        raise PeerError(f"unknown country code {country!r}")
    parsed = read_peer_keyset(keyset)
    if parsed.node_id != node_id:
        raise PeerError(f"the key set belongs to node {parsed.node_id!r}, not {node_id!r}")
    peer = Peer(
        node_id=node_id,
        country=country_code,
        endpoint=_check_endpoint(endpoint),
        status=PeerStatus.ACTIVE,
        may_receive_nominal=agreement.may_receive_nominal,
        allowed_handling_codes=sorted(agreement.handling_codes),
        keyset_serial=parsed.serial,
        last_sequence_out=0,
    )
    session.add(peer)
    now = utcnow()
    _pin_keyset(peer, parsed, now)
    session.add(
        PeerKeySet(
            peer_node_id=node_id,
            serial=parsed.serial,
            statement=keyset.to_json(),
            accepted_by=actor.username[:64],
        )
    )
    session.flush()
    record_event(
        session,
        actor,
        "exchange.peer.add",
        record_type=RECORD_TYPE,
        record_id=node_id,
        details={
            "country": country_code,
            "endpoint": peer.endpoint,
            "keyset_serial": parsed.serial,
            "key_ids": [key.key_id for key in peer.keys],
            **agreement.details(),
        },
    )
    return peer


def _pin_keyset(peer: Peer, keyset: KeySet, now: datetime) -> None:
    """Make ``keyset``'s keys the current ones of ``peer``; keep every other key, not current."""
    by_id = {key.key_id: key for key in peer.keys}
    for key in peer.keys:
        key.current = False
    wanted: list[tuple[KeyPurpose, str, bytes, datetime, datetime]] = [
        (
            KeyPurpose.SIGNING,
            "ed25519",
            keyset.signing_key.raw,
            keyset.signing_not_before,
            keyset.signing_not_after,
        )
    ]
    wanted += [
        (KeyPurpose.ENCRYPTION, k.key.algorithm.value, k.key.raw, k.not_before, k.not_after)
        for k in keyset.encryption_keys
    ]
    key_ids = [keyset.signing_key.key_id] + [k.key.key_id for k in keyset.encryption_keys]
    for key_id, (purpose, algorithm, raw, not_before, not_after) in zip(
        key_ids, wanted, strict=True
    ):
        existing = by_id.get(key_id)
        if existing is None:
            peer.keys.append(
                PeerKey(
                    purpose=purpose,
                    algorithm=algorithm,
                    key_id=key_id,
                    public_key=raw,
                    not_before=not_before,
                    not_after=not_after,
                    current=True,
                    pinned_at=now,
                )
            )
        else:
            existing.current = existing.revoked_at is None
            existing.not_before, existing.not_after = not_before, not_after


def get_peer(session: Session, node_id: str) -> Peer:
    """The registered peer, or `PeerError`."""
    peer = session.get(Peer, node_id)
    if peer is None:
        raise PeerError(f"no peer {node_id!r} is registered (see `ncen peers list`)")
    return peer


def list_peers(session: Session) -> list[Peer]:
    """Every registered peer, by node id."""
    return list(session.execute(select(Peer).order_by(Peer.node_id)).scalars())


def set_peer_status(session: Session, actor: Actor, node_id: str, status: PeerStatus) -> Peer:
    """Suspend a peer (its bundles are refused, nothing is sealed to it) or make it active
    again. Audits ``exchange.peer.suspend`` or ``exchange.peer.resume``."""
    require(actor, Action.RUN_EXCHANGE)
    peer = get_peer(session, node_id)
    if peer.status is not status:
        peer.status = status
        session.flush()
        action = "suspend" if status is PeerStatus.SUSPENDED else "resume"
        record_event(
            session, actor, f"exchange.peer.{action}", record_type=RECORD_TYPE, record_id=node_id
        )
    return peer


def set_agreement(session: Session, actor: Actor, node_id: str, agreement: Agreement) -> Peer:
    """Change what a peer may receive. Audits ``exchange.peer.agreement`` (old and new)."""
    require(actor, Action.RUN_EXCHANGE)
    peer = get_peer(session, node_id)
    before = agreement_of(peer).details()
    peer.may_receive_nominal = agreement.may_receive_nominal
    peer.allowed_handling_codes = sorted(agreement.handling_codes)
    session.flush()
    record_event(
        session,
        actor,
        "exchange.peer.agreement",
        record_type=RECORD_TYPE,
        record_id=node_id,
        details={"before": before, "after": agreement.details()},
    )
    return peer


def agreement_of(peer: Peer) -> Agreement:
    """The agreement stored for ``peer``."""
    return Agreement(peer.may_receive_nominal, frozenset(peer.allowed_handling_codes))


def current_signing_key(peer: Peer) -> PeerKey:
    """The signing key of the peer's latest key set."""
    for key in peer.keys:
        if key.purpose is KeyPurpose.SIGNING and key.current:
            return key
    raise PeerError(f"peer {peer.node_id} has no current signing key")


def apply_key_statement(
    session: Session, actor: Actor, node_id: str, signed: SignedStatement
) -> str:
    """Apply a key set (rotation) or a revocation published by a peer; return its type.

    A key set is accepted only when signed by the peer's *currently pinned* signing key and
    newer than the last one; the new keys become current, the old signing key stays pinned with
    its window closed at the key set's issue time. A revocation must be signed by the current
    signing key or by the revoked key itself. Raises `SignatureError` (wrong signer),
    `RevokedKeyError` (the pinned key is revoked), `PeerError`, `FormatError` or
    `InvalidPublicKeyError`. Audits ``exchange.peer.keys`` or ``exchange.peer.revoke``.
    """
    require(actor, Action.RUN_EXCHANGE)
    peer = get_peer(session, node_id)
    kind = signed.statement.get("type")
    if kind == KEYSET_TYPE:
        _apply_keyset(session, actor, peer, signed)
    elif kind == REVOCATION_TYPE:
        _apply_revocation(session, actor, peer, signed)
    else:
        raise PeerError(f"not a key set or a revocation statement (type {kind!r})")
    return str(kind)


def _apply_keyset(session: Session, actor: Actor, peer: Peer, signed: SignedStatement) -> None:
    pinned = current_signing_key(peer)
    if pinned.revoked_at is not None:
        raise RevokedKeyError(
            f"the pinned signing key {pinned.key_id} of {peer.node_id} is revoked"
        )
    keyset = verify_keyset(signed, SigningPublicKey.from_raw(pinned.public_key))
    if keyset.node_id != peer.node_id:
        raise PeerError(f"the key set belongs to node {keyset.node_id!r}, not {peer.node_id!r}")
    if keyset.serial <= peer.keyset_serial:
        raise PeerError(
            f"key set serial {keyset.serial} is not newer than the pinned {peer.keyset_serial}"
        )
    if keyset.signing_key.key_id != pinned.key_id:
        # The old key may only have signed what it signed before the rotation.
        pinned.not_after = min(pinned.not_after, keyset.issued)
    _pin_keyset(peer, keyset, utcnow())
    peer.keyset_serial = keyset.serial
    session.add(
        PeerKeySet(
            peer_node_id=peer.node_id,
            serial=keyset.serial,
            statement=signed.to_json(),
            accepted_by=actor.username[:64],
        )
    )
    session.flush()
    record_event(
        session,
        actor,
        "exchange.peer.keys",
        record_type=RECORD_TYPE,
        record_id=peer.node_id,
        details={
            "keyset_serial": keyset.serial,
            "signed_by": signed.signer_key_id,
            "current_key_ids": [key.key_id for key in peer.keys if key.current],
        },
    )


def _apply_revocation(session: Session, actor: Actor, peer: Peer, signed: SignedStatement) -> None:
    keys = {key.key_id: key for key in peer.keys}
    target_id = signed.statement.get("key_id")
    target = keys.get(str(target_id))
    if target is None:
        raise PeerError(f"the revocation names key {target_id!r}, which is not pinned for it")
    signer = keys.get(signed.signer_key_id)
    allowed = {current_signing_key(peer).key_id}
    if target.purpose is KeyPurpose.SIGNING:
        allowed.add(target.key_id)
    if signer is None or signer.key_id not in allowed:
        raise SignatureError(
            f"a revocation must be signed by the current signing key of {peer.node_id} "
            "or by the revoked key itself"
        )
    revocation = verify_revocation(signed, SigningPublicKey.from_raw(signer.public_key))
    if revocation.node_id != peer.node_id:
        raise PeerError(f"the revocation is for node {revocation.node_id!r}")
    if target.revoked_at is None:
        target.revoked_at = revocation.revoked_at
        target.revocation_reason = revocation.reason
        target.revocation = signed.to_json()
        target.current = False
        session.flush()
    record_event(
        session,
        actor,
        "exchange.peer.revoke",
        record_type=RECORD_TYPE,
        record_id=peer.node_id,
        details={"key_id": target.key_id, "reason": revocation.reason},
    )


def encryption_key_for(peer: Peer, now: datetime) -> EncryptionPublicKey:
    """The key to seal to: the newest current, unrevoked encryption key valid at ``now``."""
    candidates = [
        key
        for key in peer.keys
        if key.purpose is KeyPurpose.ENCRYPTION
        and key.current
        and key.revoked_at is None
        and key.not_before <= now <= key.not_after
    ]
    if not candidates:
        raise PeerError(
            f"peer {peer.node_id} has no valid encryption key; import its new key set "
            "with `ncen peers update-keys`"
        )
    newest = max(candidates, key=lambda key: key.not_before)
    return EncryptionPublicKey.from_raw(KemAlgorithm(newest.algorithm), newest.public_key)


def peer_trust(peer: Peer) -> PeerTrust:
    """What opening needs to know about ``peer``."""
    signing = tuple(
        PinnedSigningKey(SigningPublicKey.from_raw(key.public_key), key.not_before, key.not_after)
        for key in peer.keys
        if key.purpose is KeyPurpose.SIGNING
    )
    revoked = frozenset(key.key_id for key in peer.keys if key.revoked_at is not None)
    return PeerTrust(peer.node_id, peer.status is PeerStatus.ACTIVE, signing, revoked)


class DatabaseTrust:
    """`TrustLookup` over the peer registry, read through ``session``."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[str, PeerTrust | None] = {}

    def peer(self, node_id: str) -> PeerTrust | None:
        if node_id not in self._cache:
            peer = self._session.get(Peer, node_id)
            self._cache[node_id] = None if peer is None else peer_trust(peer)
        return self._cache[node_id]


def describe_key_ids(keys: Iterable[PeerKey]) -> Sequence[str]:
    """One line per pinned key: purpose, state, window, key id."""
    lines = []
    for key in sorted(keys, key=lambda k: (k.purpose.value, not k.current, k.pinned_at)):
        state = "revoked" if key.revoked_at else "current" if key.current else "previous"
        window = _window(key.not_before, key.not_after)
        lines.append(f"{key.purpose.value:<10} {key.algorithm:<15} {state:<8} {window}")
        lines += ["  " + line for line in format_fingerprint(key.key_id).splitlines()]
    return lines
