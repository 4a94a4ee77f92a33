"""The idempotent inbox: verify an incoming bundle, apply the receiver's policy, import it once,
and answer with a signed receipt.

`accept_bundle` is called by the HTTP endpoint (push), by the pull loop and by nothing else. It
first verifies the bundle's signed prefix (`exchange.crypto.opening.verify_prefix`: an active peer,
a pinned unrevoked key, a valid signature over the header). Input that fails this is
*unverifiable*: it raises `UnverifiedBundleError` and leaves nothing behind (no inbox row, no
audit event, no receipt), so that anonymous junk costs no writes and no claimed bundle id is
ever signed back; the caller counts and logs it. Everything after that is about a bundle whose
sender and id are authentic. In one transaction it opens the bundle (every check of
`open_bundle`, with the message set allowed by `validate_content`), refuses what the
receiver's sharing policy refuses (`exchange.services.policy.incoming_violations`), marks the bundle
as accepted (the replay guard, under the sender's row lock), imports the records as foreign
records, applies the message (terms, retraction, RFI, hit check and replies) and stores the
signed ``accepted`` receipt in an `InboxEntry`. Either all of that commits or none of it does.

At-least-once delivery becomes exactly-once import here: a bundle that arrives again after its
import committed (the sender never saw the answer) fails the replay check, and the receipt
stored with the first import is answered again, byte for byte. Any other failure is answered
with a signed ``rejected`` receipt carrying only the error's generic reason; the detail goes to
the local log and the inbox row. Only an unexpected error (database down) answers no receipt,
so the sender tries again later. Every receipt names the verified bundle id and the SHA-256 and
size of the exact bytes received, which the sender checks against what it sent.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.crypto.opening import OpenedBundle, VerifiedPrefix, open_bundle, verify_prefix
from exchange.crypto.signing import SignedStatement
from exchange.errors import ExchangeError, PolicyError, ReplayError
from exchange.models import Peer
from exchange.netmodels import Direction, ExchangeTerms, InboxEntry, InboxOutcome
from exchange.network.node import NodeContext
from exchange.network.protocol import (
    ACCEPTED,
    MESSAGE_SET,
    REJECTED,
    make_receipt,
    validate_content,
)
from exchange.network.store import DatabaseReplayGuard, record_received
from exchange.records.foreign import import_records
from exchange.services.policy import incoming_violations
from exchange.services.trust import DatabaseTrust
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.errors import NcenError

log = logging.getLogger(__name__)
ACTOR = Actor.system("exchange-inbox")
MessageHandler = Callable[[Session, NodeContext, Peer, OpenedBundle, dict[str, Any]], None]


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def verified_prefix(
    session_factory: Callable[[], Session], node: NodeContext, path: Path
) -> VerifiedPrefix:
    """Verify the signed prefix of the bundle in ``path`` against the peer registry (reads only
    the prefix, and nothing past the preamble for an unknown sender or key). Raises
    `UnverifiedBundleError`; writes nothing."""
    with session_factory() as session, path.open("rb") as handle:
        return verify_prefix(handle, DatabaseTrust(session), node.config.limits)


def _handlers(now: datetime) -> dict[str, MessageHandler]:
    from exchange.services.hitcheck import receive_hit_check, receive_hit_reply
    from exchange.services.retractions import receive_retraction
    from exchange.services.rfi import receive_rfi, receive_rfi_reply

    return {
        "retraction": receive_retraction,
        "rfi": receive_rfi,
        "rfi-reply": receive_rfi_reply,
        # The hit-check rate limit counts on the receiver's clock (the time the bundle
        # arrived), never on the sender-chosen `created`, which may be backdated by 90 days.
        "hit-check": partial(receive_hit_check, now=now),
        "hit-reply": receive_hit_reply,
    }


def _split(opened: OpenedBundle) -> tuple[OpenedBundle, dict[str, Any]]:
    messages = [rs for rs in opened.record_sets if rs.name == MESSAGE_SET]
    if len(messages) != 1:
        raise PolicyError("an online bundle carries exactly one message stating its terms")
    if messages[0].originator.originator_node_id != opened.header.sender_node_id:
        raise PolicyError("the message of a bundle must come from its sender")
    records = tuple(rs for rs in opened.record_sets if rs.name != MESSAGE_SET)
    return replace(opened, record_sets=records), dict(messages[0].records)


def _import(
    session: Session, node: NodeContext, path: Path, channel: str, now: datetime
) -> tuple[InboxEntry, Any]:
    with tempfile.TemporaryDirectory(dir=node.work_dir, prefix="open-") as folder:
        with path.open("rb") as source:
            opened = open_bundle(
                source,
                my_identity=node.identity,
                trust=DatabaseTrust(session),
                replay_guard=DatabaseReplayGuard(session),
                now=now,
                attachment_dir=Path(folder),
                validate_records=validate_content,
                limits=node.config.limits,
            )
        header = opened.header
        records, message = _split(opened)
        sender = session.get(Peer, header.sender_node_id)
        if sender is None:  # open_bundle checked it; a concurrent removal
            raise PolicyError("sender is no longer registered")
        problems = incoming_violations(
            [(rs.originator.originator_node_id, rs.records) for rs in records.record_sets],
            sender,
            message["body"].get("distribution", {}) if message["type"] == "records" else {},
            node.node_id,
        )
        if problems:
            raise PolicyError("the receiver's sharing policy refuses: " + "; ".join(problems))
        received = record_received(session, ACTOR, records, {})
        summary: dict[str, Any] = {"kind": message["type"]}
        if records.record_sets:
            plan = import_records(
                session,
                ACTOR,
                records,
                store=node.store,
                limits=node.upload_limits,
                own_node_id=node.node_id,
            )
            summary.update(plan.summary())
        received.summary = summary
        session.add(
            ExchangeTerms(
                bundle_id=header.bundle_id,
                direction=Direction.RECEIVED,
                peer_node_id=sender.node_id,
                kind=message["type"],
                legal_basis=message["legal_basis"],
                purpose=message["purpose"],
                message=message,
            )
        )
        handler = _handlers(now).get(message["type"])
        if handler is not None:
            handler(session, node, sender, opened, message)
        session.flush()
        record_event(
            session,
            ACTOR,
            "exchange.import",
            record_type="bundle",
            record_id=header.bundle_id,
            details={
                "sender": header.sender_node_id,
                "sequence": opened.recipient.sequence,
                "channel": channel,
                "legal_basis": message["legal_basis"],
                "purpose": message["purpose"],
                **summary,
            },
        )
        entry = InboxEntry(
            bundle_id=header.bundle_id,
            sender_node_id=header.sender_node_id,
            sequence=opened.recipient.sequence,
            channel=channel,
            outcome=InboxOutcome.ACCEPTED,
        )
        return entry, summary


def accept_bundle(
    session_factory: Callable[[], Session],
    node: NodeContext,
    path: Path,
    *,
    channel: str,
    now: datetime,
) -> SignedStatement:
    """Verify, check and import the bundle in ``path``; return the signed receipt.

    ``now`` is the receiver's clock when the bundle arrived. Raises `UnverifiedBundleError`,
    writing nothing and signing nothing, when the bundle's signed prefix does not verify.
    Otherwise the receipt names the verified bundle id and the SHA-256 and size of the file.
    Side effects: one committed transaction (import and inbox row) or, on refusal, an inbox row
    with the rejected receipt and an ``exchange.reject`` audit event. Raises only unexpected
    errors besides (database unavailable…), for which no receipt is given.
    """
    header = verified_prefix(session_factory, node, path).header
    bundle_id, sender = header.bundle_id, header.sender_node_id
    sha256, size = file_digest(path)

    def receipt(outcome: str, reason: str) -> SignedStatement:
        return make_receipt(
            node.identity.signing,
            receiver_node_id=node.node_id,
            bundle_id=bundle_id,
            received_sha256=sha256,
            received_size=size,
            outcome=outcome,
            reason=reason,
            now=now,
        )

    def entry(outcome: str, signed: SignedStatement) -> InboxEntry:
        return InboxEntry(
            bundle_id=bundle_id,
            sender_node_id=sender,
            channel=channel,
            outcome=InboxOutcome(outcome),
            size=size,
            sha256=sha256,
            receipt=signed.to_json(),
            received_at=now,
        )

    failure: ExchangeError | NcenError
    try:
        with session_factory() as session, session.begin():
            imported, _summary = _import(session, node, path, channel, now)
            signed = receipt(ACCEPTED, "imported")
            imported.size, imported.sha256, imported.receipt = size, sha256, signed.to_json()
            imported.received_at = now
            session.add(imported)
    except ReplayError:
        with session_factory() as session, session.begin():
            stored = session.execute(
                select(InboxEntry).where(
                    InboxEntry.bundle_id == bundle_id,
                    InboxEntry.outcome == InboxOutcome.ACCEPTED,
                )
            ).scalar_one_or_none()
            if stored is not None and stored.receipt is not None:
                return SignedStatement.from_json(stored.receipt)
            signed = receipt(ACCEPTED, "already imported")
            session.add(entry(ACCEPTED, signed))
            return signed
    except (ExchangeError, NcenError) as error:
        failure = error
    else:
        return signed
    code = getattr(failure, "code", "ncen")
    reason = failure.generic_reason if isinstance(failure, ExchangeError) else "rejected"
    if isinstance(failure, PolicyError):
        reason = "refused by the receiver's sharing policy"
    log.warning("bundle %s from %s rejected: [%s] %s", bundle_id, sender, code, failure)
    signed = receipt(REJECTED, reason)
    with session_factory() as session, session.begin():
        rejected = entry(REJECTED, signed)
        rejected.code, rejected.detail = str(code)[:32], str(failure)[:2000]
        session.add(rejected)
        session.flush()
        record_event(
            session,
            ACTOR,
            "exchange.reject",
            record_type="bundle",
            record_id=bundle_id,
            details={"sender": sender, "code": code, "channel": channel},
        )
    return signed
