"""Exchange events of records for their timelines: when each was sent to a peer or received.

`ncen` may not read the exchange tables (layering), so the web layer gathers these and hands
them to `ncen.analysis.timeline.build_timeline` as extra events. Sent: each row of
``exchange_shared_records`` (peer, version). Received: the bundle a foreign record came in.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.models import ReceivedBundle
from exchange.netmodels import SharedRecord
from ncen.analysis.chartdiff import MODELS
from ncen.analysis.graph import NodeKey
from ncen.analysis.timeline import TimelineEvent
from ncen.errors import Message


def exchange_events(session: Session, keys: Sequence[NodeKey]) -> list[TimelineEvent]:
    """Sent and received events of the records ``keys`` (visibility is checked by the caller)."""
    events: list[TimelineEvent] = []
    by_id = {key.id: key for key in keys}
    if not by_id:
        return events
    sent = select(
        SharedRecord.record_type, SharedRecord.record_id, SharedRecord.peer_node_id,
        SharedRecord.version, SharedRecord.shared_at,
    ).where(SharedRecord.record_id.in_(list(by_id)))  # fmt: skip
    for record_type, record_id, peer, version, shared_at in session.execute(sent):
        key = by_id.get(record_id)
        if key is not None and key.kind == record_type:
            label = Message(
                "sent to %(node)s (version %(version)s)", node=peer, version=str(version)
            )
            events.append(TimelineEvent(str(key), "sent", label, shared_at))
    for kind, model in MODELS.items():
        ids = [key.id for key in keys if key.kind == kind]
        if not ids:
            continue
        received = (
            select(model.id, ReceivedBundle.sender_node_id, ReceivedBundle.received_at)
            .join(ReceivedBundle, ReceivedBundle.bundle_id == model.received_bundle_id)
            .where(model.id.in_(ids))
        )
        for record_id, sender, received_at in session.execute(received):
            label = Message("received from %(node)s", node=sender)
            events.append(TimelineEvent(f"{kind}:{record_id}", "received", label, received_at))
    return events
