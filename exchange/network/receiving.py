"""Receiving a bundle file: verify everything (`open_bundle`), then import it atomically.

`receive_bundle` opens the bundle against the peer registry (`DatabaseTrust`) and the replay guard
(`DatabaseReplayGuard`), with this node's records schema validator, then applies the receiver's
sharing policy (`exchange.services.policy.incoming_violations`: H2 forwarded, agreements, and each
seizure's distribution as its originator signed it), exactly as the online inbox does; only a bundle
that passed every check reaches the import. In the caller's transaction it then marks the bundle as
accepted (locking the sender's row, so the same bundle cannot be imported twice concurrently),
imports its record sets as foreign records (`exchange.records.foreign`), writes an
``exchange.import`` audit event and an `InboxEntry` of channel ``file``, so that a bundle opened
from removable media shows in the ledger and the web inbox like one that came over the network. Any
failure raises and the caller rolls back: nothing is imported and the bundle is not marked as seen,
so a good copy of it can still be opened. Decrypted attachments live in a temporary folder that is
always removed.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from exchange.crypto.container import DEFAULT_LIMITS, Limits
from exchange.crypto.keys import NodeIdentity
from exchange.crypto.opening import OpenedBundle, open_bundle
from exchange.errors import PolicyError
from exchange.models import Peer
from exchange.netmodels import Direction, ExchangeTerms, InboxEntry, InboxOutcome
from exchange.network.protocol import MESSAGE_SET, validate_content
from exchange.network.store import DatabaseReplayGuard, record_received
from exchange.records.foreign import ImportPlan, import_records, plan_import
from exchange.services.policy import incoming_violations
from exchange.services.trust import DatabaseTrust
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.pictures.services import UploadLimits
from ncen.pictures.store import PictureStore
from ncen.policy import Action, require


def receive_bundle(
    session: Session,
    actor: Actor,
    source: BinaryIO,
    *,
    identity: NodeIdentity,
    store: PictureStore,
    upload_limits: UploadLimits,
    work_dir: Path,
    now: datetime,
    dry_run: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    file_digest: tuple[str, int] = ("", 0),
    bulk: bool = True,
) -> ImportPlan:
    """Verify the bundle read from ``source``; import it unless ``dry_run``; return the plan.

    Needs ``RUN_EXCHANGE``. Raises the `ExchangeError` of the first failed check (see
    `open_bundle`; `ReplayError` for a bundle already imported), `PolicyError` (the receiver's
    sharing policy, also on a dry run), `RecordImportError`, or an
    `NcenError` of the services. With ``dry_run`` nothing is written. ``work_dir`` (which must
    exist) holds the decrypted attachments while the import runs. ``file_digest`` is the
    SHA-256 (hex) and size of the bundle file, kept on its inbox entry. ``bulk``: see
    `import_records` (False: the per-record path).
    """
    require(actor, Action.RUN_EXCHANGE)
    with tempfile.TemporaryDirectory(dir=work_dir, prefix="incoming-") as folder:
        opened = open_bundle(
            source,
            my_identity=identity,
            trust=DatabaseTrust(session),
            replay_guard=DatabaseReplayGuard(session),
            now=now,
            attachment_dir=Path(folder),
            validate_records=validate_content,
            limits=limits,
        )
        records, message = _split_file_message(opened)
        check_incoming(session, records, identity.node_id)
        if dry_run:
            return plan_import(session, records, own_node_id=identity.node_id)
        received = record_received(session, actor, records, {})
        plan = import_records(
            session,
            actor,
            records,
            store=store,
            limits=upload_limits,
            own_node_id=identity.node_id,
            bulk=bulk,
        )
        received.summary = plan.summary()
        if message is not None:
            _apply_retraction(session, store, opened, message)
            received.summary["kind"] = message["type"]
        sha256, size = file_digest
        session.add(
            InboxEntry(
                bundle_id=opened.header.bundle_id,
                sender_node_id=opened.header.sender_node_id,
                sequence=opened.recipient.sequence,
                channel="file",
                outcome=InboxOutcome.ACCEPTED,
                size=size,
                sha256=sha256,
                received_at=now,
            )
        )
        session.flush()
        record_event(
            session,
            actor,
            "exchange.import",
            record_type="bundle",
            record_id=opened.header.bundle_id,
            details={
                "sender": opened.header.sender_node_id,
                "sequence": opened.recipient.sequence,
                "handling_codes": list(opened.header.handling_codes),
                "channel": "file",
                **({"kind": message["type"]} if message is not None else {}),
                **plan.summary(),
            },
        )
    return plan


def _split_file_message(opened: OpenedBundle) -> tuple[OpenedBundle, dict[str, Any] | None]:
    """The records of a bundle file, and its message if it carries one. A file carries records,
    or a retraction signed by its sender (`exchange.services.retractions.seal_retraction_file`):
    a request or a hit check needs an answer, which only the online exchange can give."""
    messages = [rs for rs in opened.record_sets if rs.name == MESSAGE_SET]
    if not messages:
        return opened, None
    if len(messages) > 1:
        raise PolicyError("a bundle carries at most one message")
    if messages[0].originator.originator_node_id != opened.header.sender_node_id:
        raise PolicyError("the message of a bundle must come from its sender")
    message = dict(messages[0].records)
    if message["type"] != "retraction":
        raise PolicyError(f"a {message['type']} message travels online only, not as a file")
    records = tuple(rs for rs in opened.record_sets if rs.name != MESSAGE_SET)
    return replace(opened, record_sets=records), message


def _apply_retraction(
    session: Session, store: PictureStore, opened: OpenedBundle, message: dict[str, Any]
) -> None:
    # Imported here: the retraction service imports the outbox, which imports this package.
    from exchange.services.retractions import apply_retraction

    header = opened.header
    session.add(
        ExchangeTerms(
            bundle_id=header.bundle_id,
            direction=Direction.RECEIVED,
            peer_node_id=header.sender_node_id,
            kind=message["type"],
            legal_basis=message["legal_basis"],
            purpose=message["purpose"],
            message=message,
        )
    )
    apply_retraction(session, store, header.sender_node_id, header.bundle_id, message)


def check_incoming(session: Session, opened: OpenedBundle, own_node_id: str) -> None:
    """Raise `PolicyError` with every reason the receiver's sharing policy refuses ``opened``
    (an offline bundle carries no message, so only the records' own statements count)."""
    sender = session.get(Peer, opened.header.sender_node_id)
    if sender is None:  # open_bundle verified it against the registry; a concurrent removal
        raise PolicyError("the sender is no longer registered")
    problems = incoming_violations(
        [(rs.originator.originator_node_id, rs.records) for rs in opened.record_sets],
        sender,
        {},
        own_node_id,
    )
    if problems:
        raise PolicyError("the receiver's sharing policy refuses: " + "; ".join(problems))
