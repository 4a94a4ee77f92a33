"""Hit/no-hit checks on strong identifiers with keyed hashes agreed per pair of nodes.

A node asks a peer "do you hold this document number / container / IMO / VIN / plate?" without
sending the identifier: it sends ``HMAC-SHA256(k, kind | normalised value)`` where ``k`` is a
32-byte key shared by the two nodes only. The first check towards a peer proposes a fresh random
key inside the (encrypted, signed) message; both nodes keep it (`HitKey`); when both proposed
at once, the key proposed by the node with the smaller node id wins on both sides. The peer
computes the same HMAC over its *national* records of that kind and answers ``hit``,
``no_hit`` or ``refused`` (rate limit, no key) in a ``hit-reply`` message. A hit leads to an RFI.

Both sides audit every check (peer, kind and digest, never the identifier) and count them: at
most `ExchangeConfig.hit_checks_per_day` per peer and direction, in the 24 hours before the
receiver's clock (the time a check arrived, never the sender-chosen ``created``). What this
leaks is written down in docs/threat-model.md: the peer holds ``k`` and can test guesses, so
only high-entropy identifiers are allowed (no names).

The pair keys are sealed at rest with `ncen.secretbox` (the node's secrets key file, outside the
database; associated data ``exchange_hit_keys.key`` and the peer's node id): a database dump
does not let anyone test guesses against the digests. A clear key stored before sealing existed
(exactly 32 bytes; a sealed one is 61) is sealed the first time it is used (`_open_key`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.crypto.opening import OpenedBundle
from exchange.errors import PolicyError
from exchange.models import Peer
from exchange.netmodels import Direction, HitCheck, HitKey, HitResult
from exchange.network.node import NodeContext
from exchange.network.outbox import queue_message
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier
from ncen.persons.models import IdentityDocument, Person
from ncen.policy import Action, require
from ncen.secretbox import SecretBox

KINDS = ("document", "container", "imo", "vin", "plate")
_CONVEYANCE_KIND = {"container": "container", "imo": "imo", "vin": "vin", "plate": "plate"}
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
KEY_BYTES = 32
_KEY_CELL = {"table": "exchange_hit_keys", "column": "key"}


def _box(node: NodeContext) -> SecretBox:
    return SecretBox.for_settings(node.settings)


def _seal_key(box: SecretBox, peer_node_id: str, key: bytes) -> bytes:
    """``key`` sealed for the hit-key row of ``peer_node_id``."""
    return box.seal(key, row_id=peer_node_id, **_KEY_CELL)


def _open_key(box: SecretBox, stored: HitKey) -> bytes:
    """The clear pair key of ``stored``; a clear legacy key is sealed in place (the caller's
    transaction writes it). Raises `ncen.secretbox.SecretBoxError` if it does not open."""
    if len(stored.key) == KEY_BYTES:  # stored before sealing existed
        clear = stored.key
        stored.key = _seal_key(box, stored.peer_node_id, clear)
        return clear
    return box.open(stored.key, row_id=stored.peer_node_id, **_KEY_CELL)


def seal_clear_keys(session: Session, box: SecretBox) -> int:
    """Seal every pair key still stored in clear (from before sealing existed); return how
    many. Run when the node starts (`ncen serve`, the exchange worker), so the key of a peer
    that sends no checks does not stay in clear. Writes in the caller's transaction."""
    sealed = 0
    for stored in session.execute(select(HitKey).with_for_update()).scalars():
        if len(stored.key) == KEY_BYTES:
            _open_key(box, stored)  # seals in place
            sealed += 1
    session.flush()
    return sealed


def normalise(kind: str, value: str, country: str | None = None) -> str:
    """The text that is hashed: kind, (plate) country, and the value upper-cased with every
    separator removed, so ``ab-123 4`` and ``AB1234`` meet."""
    folded = _NOT_ALNUM.sub("", value.upper())
    if not folded:
        raise PolicyError("the identifier is empty once separators are removed")
    if kind == "plate":
        return f"plate|{(country or '').upper()}|{folded}"
    return f"{kind}|{folded}"


def digest(key: bytes, kind: str, value: str, country: str | None = None) -> str:
    """HMAC-SHA256 of the normalised identifier under the pair key (hex)."""
    return hmac.new(key, normalise(kind, value, country).encode(), hashlib.sha256).hexdigest()


def _count(session: Session, peer: str, direction: Direction, now: datetime) -> int:
    return int(
        session.execute(
            select(func.count()).where(
                HitCheck.peer_node_id == peer,
                HitCheck.direction == direction,
                HitCheck.asked_at > now - timedelta(days=1),
            )
        ).scalar_one()
    )


def ask_hit_check(
    session: Session,
    actor: Actor,
    node: NodeContext,
    *,
    peer_node_id: str,
    kind: str,
    value: str,
    country: str | None,
    legal_basis: str,
    now: datetime,
) -> HitCheck:
    """Queue a check of one identifier at ``peer_node_id``. Needs ``RUN_EXCHANGE``. Raises
    `PolicyError` (unknown kind, rate limit reached). Audits ``exchange.hitcheck.ask``."""
    require(actor, Action.RUN_EXCHANGE)
    if kind not in KINDS:
        raise PolicyError(f"hit checks take {', '.join(KINDS)}; names are too easy to guess")
    if _count(session, peer_node_id, Direction.SENT, now) >= node.config.hit_checks_per_day:
        raise PolicyError("the daily number of hit checks to this peer is reached")
    box = _box(node)
    stored = session.get(HitKey, peer_node_id, with_for_update=True)
    proposed: str | None = None
    if stored is None:
        key = secrets.token_bytes(KEY_BYTES)
        stored = HitKey(
            peer_node_id=peer_node_id,
            key=_seal_key(box, peer_node_id, key),
            proposed_by=node.node_id,
        )
        session.add(stored)
    else:
        key = _open_key(box, stored)
    if stored.proposed_by == node.node_id:
        proposed = base64.b64encode(key).decode()  # repeated until the peer answers
    check = HitCheck(
        id=uuid.uuid4(),
        direction=Direction.SENT,
        peer_node_id=peer_node_id,
        kind=kind,
        digest=digest(key, kind, value, country),
        asked_by=actor.username[:64],
        asked_at=now,
    )
    session.add(check)
    queue_message(
        session,
        actor,
        node,
        recipients=[peer_node_id],
        kind="hit-check",
        body={"check_id": str(check.id), "kind": kind, "digest": check.digest, "key": proposed},
        legal_basis=legal_basis,
        purpose="hit/no-hit check",
        now=now,
    )
    session.flush()
    record_event(
        session, actor, "exchange.hitcheck.ask", record_type="hit_check", record_id=check.id,
        details={"peer": peer_node_id, "kind": kind, "digest": check.digest},
    )  # fmt: skip
    return check


def _agree_key(
    session: Session, node: NodeContext, sender: Peer, proposed: str | None
) -> bytes | None:
    box = _box(node)
    stored = session.get(HitKey, sender.node_id, with_for_update=True)
    current = _open_key(box, stored) if stored is not None else None
    if proposed is None:
        return current
    key = base64.b64decode(proposed)
    if len(key) != KEY_BYTES:
        return None
    if stored is None:
        session.add(
            HitKey(
                peer_node_id=sender.node_id,
                key=_seal_key(box, sender.node_id, key),
                proposed_by=sender.node_id,
            )
        )
    elif current != key and sender.node_id < node.node_id:
        stored.key, stored.proposed_by = _seal_key(box, sender.node_id, key), sender.node_id
    elif current != key:
        return key  # ours wins for the future; this request was made with theirs
    session.flush()
    return key


def _holds(session: Session, key: bytes, kind: str, wanted: str) -> bool:
    candidates: list[tuple[str, str | None]]
    if kind == "document":
        values = session.execute(
            select(IdentityDocument.number, IdentityDocument.issuing_country)
            .join(Person, Person.id == IdentityDocument.person_id)
            .where(Person.origin_node.is_(None), Person.deleted_at.is_(None))
        ).all()
        candidates = [(number, None) for number, _ in values]
    else:
        rows = session.execute(
            select(ConveyanceIdentifier.value, ConveyanceIdentifier.country)
            .join(Conveyance, Conveyance.id == ConveyanceIdentifier.conveyance_id)
            .where(
                ConveyanceIdentifier.kind == _CONVEYANCE_KIND[kind],
                Conveyance.origin_node.is_(None),
                Conveyance.deleted_at.is_(None),
            )
        ).all()
        candidates = [(value, country) for value, country in rows]
    for value, country in candidates:
        try:
            if hmac.compare_digest(digest(key, kind, value, country), wanted):
                return True
        except PolicyError:
            continue
    return False


def receive_hit_check(
    session: Session,
    node: NodeContext,
    sender: Peer,
    opened: OpenedBundle,
    message: dict[str, Any],
    *,
    now: datetime,
) -> None:
    """Answer a check from ``sender`` (inside the import transaction) and queue the reply.

    ``now`` is the receiver's clock when the bundle arrived: the daily limit counts checks by
    arrival, because the bundle's ``created`` is the sender's to choose and may lie up to the
    maximum lifetime (90 days) in the past, which would give a peer 90 days' worth of checks a
    day. The check is recorded as asked and answered at ``now``.
    """
    body = message["body"]
    check_id = uuid.UUID(body["check_id"])
    key = _agree_key(session, node, sender, body["key"])
    if (
        _count(session, sender.node_id, Direction.RECEIVED, now) >= node.config.hit_checks_per_day
        or key is None
    ):
        answer = HitResult.REFUSED
    else:
        answer = (
            HitResult.HIT
            if _holds(session, key, body["kind"], body["digest"])
            else HitResult.NO_HIT
        )
    actor = Actor.system("exchange-inbox")
    session.add(
        HitCheck(
            id=check_id,
            direction=Direction.RECEIVED,
            peer_node_id=sender.node_id,
            kind=body["kind"],
            digest=body["digest"],
            result=answer,
            asked_by=sender.node_id,
            asked_at=now,
            answered_at=now,
        )
    )
    queue_message(
        session,
        actor,
        node,
        recipients=[sender.node_id],
        kind="hit-reply",
        body={"check_id": str(check_id), "answer": answer.value},
        legal_basis=message["legal_basis"],
        purpose="hit/no-hit answer",
        now=now,
    )
    record_event(
        session, actor, "exchange.hitcheck.answer", record_type="hit_check", record_id=check_id,
        details={"peer": sender.node_id, "kind": body["kind"], "answer": answer.value},
    )  # fmt: skip


def receive_hit_reply(
    session: Session, node: NodeContext, sender: Peer, opened: OpenedBundle, message: dict[str, Any]
) -> None:
    """Record the answer to a check this node asked of ``sender``."""
    body = message["body"]
    check = session.get(HitCheck, uuid.UUID(body["check_id"]), with_for_update=True)
    if (
        check is None
        or check.direction is not Direction.SENT
        or check.peer_node_id != sender.node_id
    ):
        raise PolicyError("an answer to a check this node did not ask of this peer")
    check.result, check.answered_at = HitResult(body["answer"]), opened.header.created
    session.flush()
    record_event(
        session, Actor.system("exchange-inbox"), "exchange.hitcheck.result",
        record_type="hit_check", record_id=check.id,
        details={"peer": sender.node_id, "result": check.result.value},
    )  # fmt: skip
