"""Requests for information (RFI) between nodes, with their replies linked.

An RFI asks a peer about a record or an entity (``subject``: a seizure reference, a hit check,
a free description) under a legal basis; it travels as an ``rfi`` message inside a bundle and
is kept on both nodes under the same id. The reply travels back as an ``rfi-reply`` message
naming that id, and closes the request on both sides. Everything is audited.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from exchange.crypto.opening import OpenedBundle
from exchange.errors import PolicyError
from exchange.models import Peer
from exchange.netmodels import Direction, InformationRequest, RequestState
from exchange.network.node import NodeContext
from exchange.network.outbox import queue_message
from ncen.accounts.actor import Actor
from ncen.audit import record_event
from ncen.policy import Action, require


def rfis_statement(state: RequestState | None = None) -> Select[InformationRequest]:
    """Requests for information, sent and received, newest first; optionally in one state
    (``OPEN``: waiting for a reply, ours or the peer's)."""
    stmt = select(InformationRequest).order_by(
        InformationRequest.created_at.desc(), InformationRequest.id
    )
    if state is not None:
        stmt = stmt.where(InformationRequest.state == state)
    return stmt


def send_rfi(
    session: Session,
    actor: Actor,
    node: NodeContext,
    *,
    peer_node_id: str,
    subject: str,
    question: str,
    legal_basis: str,
    now: datetime,
) -> InformationRequest:
    """Queue an RFI to ``peer_node_id``. Needs ``RUN_EXCHANGE``; audits ``exchange.rfi.send``."""
    require(actor, Action.RUN_EXCHANGE)
    rfi_id = uuid.uuid4()
    queued = queue_message(
        session,
        actor,
        node,
        recipients=[peer_node_id],
        kind="rfi",
        body={"rfi_id": str(rfi_id), "subject": subject.strip(), "question": question.strip()},
        legal_basis=legal_basis.strip(),
        purpose="request for information",
        now=now,
    )
    request = InformationRequest(
        id=rfi_id,
        direction=Direction.SENT,
        peer_node_id=peer_node_id,
        subject=subject.strip()[:200],
        question=question.strip(),
        legal_basis=legal_basis.strip()[:300],
        request_bundle_id=queued.bundle_id,
        created_by=actor.username[:64],
    )
    session.add(request)
    session.flush()
    record_event(
        session,
        actor,
        "exchange.rfi.send",
        record_type="rfi",
        record_id=rfi_id,
        details={"peer": peer_node_id, "subject": request.subject},
    )
    return request


def reply_rfi(
    session: Session,
    actor: Actor,
    node: NodeContext,
    *,
    rfi_id: uuid.UUID,
    reply: str,
    now: datetime,
) -> InformationRequest:
    """Answer a received RFI (once). Needs ``RUN_EXCHANGE``; audits ``exchange.rfi.reply``."""
    require(actor, Action.RUN_EXCHANGE)
    request = session.get(InformationRequest, rfi_id, with_for_update=True)
    if request is None or request.direction is not Direction.RECEIVED:
        raise PolicyError("no such received request for information")
    if request.state is RequestState.ANSWERED:
        raise PolicyError("this request was already answered")
    queued = queue_message(
        session,
        actor,
        node,
        recipients=[request.peer_node_id],
        kind="rfi-reply",
        body={"rfi_id": str(rfi_id), "reply": reply.strip()},
        legal_basis=request.legal_basis,
        purpose="reply to a request for information",
        now=now,
    )
    request.reply, request.state = reply.strip(), RequestState.ANSWERED
    request.answered_at, request.reply_bundle_id = now, queued.bundle_id
    session.flush()
    record_event(
        session, actor, "exchange.rfi.reply", record_type="rfi", record_id=rfi_id,
        details={"peer": request.peer_node_id},
    )  # fmt: skip
    return request


def receive_rfi(
    session: Session, node: NodeContext, sender: Peer, opened: OpenedBundle, message: dict[str, Any]
) -> None:
    """Keep a received RFI (inside the import transaction)."""
    body = message["body"]
    rfi_id = uuid.UUID(body["rfi_id"])
    if session.get(InformationRequest, rfi_id) is not None:
        raise PolicyError("a request for information with this id exists")
    session.add(
        InformationRequest(
            id=rfi_id,
            direction=Direction.RECEIVED,
            peer_node_id=sender.node_id,
            subject=body["subject"][:200],
            question=body["question"],
            legal_basis=message["legal_basis"][:300],
            request_bundle_id=opened.header.bundle_id,
            created_by=sender.node_id,
        )
    )
    session.flush()
    record_event(
        session, Actor.system("exchange-inbox"), "exchange.rfi.receive", record_type="rfi",
        record_id=rfi_id, details={"peer": sender.node_id},
    )  # fmt: skip


def receive_rfi_reply(
    session: Session, node: NodeContext, sender: Peer, opened: OpenedBundle, message: dict[str, Any]
) -> None:
    """Link a reply to the RFI this node sent to ``sender``."""
    body = message["body"]
    request = session.execute(
        select(InformationRequest)
        .where(
            InformationRequest.id == uuid.UUID(body["rfi_id"]),
            InformationRequest.direction == Direction.SENT,
            InformationRequest.peer_node_id == sender.node_id,
        )
        .with_for_update()
    ).scalar_one_or_none()
    if request is None:
        raise PolicyError("a reply to a request this node did not send to this peer")
    request.reply, request.state = body["reply"], RequestState.ANSWERED
    request.answered_at, request.reply_bundle_id = opened.header.created, opened.header.bundle_id
    session.flush()
    record_event(
        session, Actor.system("exchange-inbox"), "exchange.rfi.answered", record_type="rfi",
        record_id=request.id, details={"peer": sender.node_id},
    )  # fmt: skip
