"""Receiving a bundle file: verify everything (`open_bundle`), then import it atomically.

`receive_bundle` opens the bundle against the peer registry (`DatabaseTrust`) and the replay
guard (`DatabaseReplayGuard`), with this node's records schema validator, then applies the
receiver's sharing policy (`exchange.services.policy.incoming_violations`: H2 forwarded, agreements,
and each seizure's distribution as its originator signed it), exactly as the online inbox does; only
a bundle that passed every check reaches the import. In the caller's transaction it then marks
the bundle as accepted (locking the sender's row, so the same bundle cannot be imported twice
concurrently), imports its record sets as foreign records (`exchange.records.foreign`) and writes an
``exchange.import`` audit event. Any failure raises and the caller rolls back: nothing is
imported and the bundle is not marked as seen, so a good copy of it can still be opened.
Decrypted attachments live in a temporary folder that is always removed.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from exchange.crypto.container import DEFAULT_LIMITS, Limits
from exchange.crypto.keys import NodeIdentity
from exchange.crypto.opening import OpenedBundle, open_bundle
from exchange.errors import PolicyError
from exchange.models import Peer
from exchange.network.store import DatabaseReplayGuard, record_received
from exchange.records.foreign import ImportPlan, import_records, plan_import
from exchange.records.recordschema import validate_records
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
    bulk: bool = True,
) -> ImportPlan:
    """Verify the bundle read from ``source``; import it unless ``dry_run``; return the plan.

    Needs ``RUN_EXCHANGE``. Raises the `ExchangeError` of the first failed check (see
    `open_bundle`; `ReplayError` for a bundle already imported), `PolicyError` (the receiver's
    sharing policy, also on a dry run), `RecordImportError`, or an
    `NcenError` of the services. With ``dry_run`` nothing is written. ``work_dir`` (which must
    exist) holds the decrypted attachments while the import runs. ``bulk``: see
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
            validate_records=validate_records,
            limits=limits,
        )
        check_incoming(session, opened, identity.node_id)
        if dry_run:
            return plan_import(session, opened, own_node_id=identity.node_id)
        received = record_received(session, actor, opened, {})
        plan = import_records(
            session,
            actor,
            opened,
            store=store,
            limits=upload_limits,
            own_node_id=identity.node_id,
            bulk=bulk,
        )
        received.summary = plan.summary()
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
                **plan.summary(),
            },
        )
    return plan


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
