"""Exchange officer pages: peers and keys, outbox and ledger, inbox, sending with a preview.

Views are thin: they read the form, call `exchange` services inside ``with db.begin():``, and
render. Sending is two steps on one page: "Preview" shows who will receive what (and every
policy refusal) and the exact record sets that will be sealed, with their SHA-256, and asks,
for each recipient of H3 records, the officer's confirmation that the written restrictions
allow that recipient; "Send" seals and queues (the service refuses any unconfirmed recipient),
and leads to the bundle's page, where the receipts appear as the worker delivers.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.crypto.bundle import inspect_bundle
from exchange.crypto.canonical import canonical_json
from exchange.crypto.keydir import NodeKeys
from exchange.crypto.keysets import parse_keyset
from exchange.errors import ExchangeError
from exchange.models import ReceivedBundle, ReceivedRecordSet, SentBundle
from exchange.netmodels import (
    Delivery,
    DistributionLevel,
    ExchangeTerms,
    InboxEntry,
    Tombstone,
)
from exchange.network.delivery import requeue_now
from exchange.network.ledger import FAILED, deliveries_statement, inbox_statement, peer_ledger
from exchange.network.outbox import Preview, preview_records, queue_records, set_distribution
from exchange.services.retractions import changed_since_shared
from exchange.services.trust import describe_key_ids, fingerprint_lines, get_peer, list_peers
from ncen.errors import NcenError
from ncen.policy import Action
from ncen.reading import note_read
from ncen.seizures.models import Seizure
from web.db import get_session
from web.exchange import bp
from web.exchange.context import bundle_file, node_context, now, settings
from web.fielderrors import error_message
from web.pagination import page_number, paginate_select
from web.security import current_web_user, requires

PER_PAGE = 25


def _references(raw: str) -> list[str]:
    return [r for r in (part.strip() for part in raw.replace(",", "\n").splitlines()) if r]


@bp.get("/")
@requires(Action.RUN_EXCHANGE)
def overview() -> str:
    """Peers with their ledger summary."""
    db = get_session()
    with db.begin():
        peers = list_peers(db)
        ledgers = {peer.node_id: peer_ledger(db, peer.node_id) for peer in peers}
        return render_template("exchange/overview.html", peers=peers, ledgers=ledgers)


@bp.get("/peers/<node_id>")
@requires(Action.RUN_EXCHANGE)
def peer(node_id: str) -> str:
    """One peer: agreement, pinned keys with fingerprints, ledger and reconciliation."""
    db = get_session()
    with db.begin():
        try:
            found = get_peer(db, node_id)
        except ExchangeError:
            abort(404)
        ledger = peer_ledger(db, node_id)
        sent = paginate_select(db, deliveries_statement(node_id), page_number(), PER_PAGE)
        received = db.execute(inbox_statement(node_id).limit(PER_PAGE)).scalars().all()
        return render_template(
            "exchange/peer.html",
            peer=found,
            keys=describe_key_ids(found.keys),
            ledger=ledger,
            sent=sent,
            received=received,
        )


@bp.get("/keys")
@requires(Action.RUN_EXCHANGE)
def keys() -> str:
    """This node's public keys and fingerprints (to read to a peer out of band)."""
    folder = NodeKeys.of_instance(settings().instance_path, passphrase=None)
    try:
        statements = folder.keyset_statements()
    except ExchangeError as error:
        return render_template("exchange/keys.html", keyset=None, problem=str(error))
    current = parse_keyset(statements[-1])
    return render_template(
        "exchange/keys.html",
        keyset=current,
        lines=fingerprint_lines(current),
        previous=len(statements) - 1,
    )


@bp.get("/outbox")
@requires(Action.RUN_EXCHANGE)
def outbox() -> str:
    """Every delivery (the sent ledger), filterable by peer and state."""
    peer_id = request.args.get("peer") or None
    state = request.args.get("state") or None
    db = get_session()
    with db.begin():
        stmt = deliveries_statement(peer_id, state if state in _STATES else None)
        page = paginate_select(db, stmt, page_number(), PER_PAGE)
        return render_template(
            "exchange/outbox.html", page=page, peer_id=peer_id, state=state, states=_STATES
        )


_STATES = ("queued", "accepted", "rejected", "expired", FAILED)


@bp.post("/outbox/retry")
@requires(Action.RUN_EXCHANGE)
def retry() -> ResponseReturnValue:
    """Make every queued delivery due now."""
    db = get_session()
    with db.begin():
        count = requeue_now(db)
    flash(
        ngettext(
            "%(count)s delivery will be tried again now.",
            "%(count)s deliveries will be tried again now.",
            count,
            count=format_decimal(count),
        ),
        "info",
    )
    return redirect(url_for("exchange.outbox"))


@bp.get("/bundles/<uuid:bundle_id>")
@requires(Action.RUN_EXCHANGE)
def bundle(bundle_id: uuid.UUID) -> str:
    """A sent bundle: terms, header manifest, and each recipient's delivery and receipt."""
    db = get_session()
    with db.begin():
        sent = db.get(SentBundle, bundle_id)
        if sent is None:
            abort(404)
        deliveries = (
            db.execute(
                select(Delivery)
                .where(Delivery.bundle_id == bundle_id)
                .order_by(Delivery.peer_node_id)
            )
            .scalars()
            .all()
        )
        terms = db.get(ExchangeTerms, bundle_id)
        header = None
        path = bundle_file(bundle_id)
        if path.is_file():
            with path.open("rb") as handle:
                header = inspect_bundle(handle).header
        return render_template(
            "exchange/bundle.html", sent=sent, deliveries=deliveries, terms=terms, header=header
        )


@bp.get("/inbox")
@requires(Action.RUN_EXCHANGE)
def inbox() -> str:
    """Every incoming bundle, accepted or rejected, with provenance."""
    db = get_session()
    with db.begin():
        page = paginate_select(db, inbox_statement(), page_number(), PER_PAGE)
        tombstones = (
            db.execute(select(Tombstone).order_by(Tombstone.retracted_at.desc()).limit(20))
            .scalars()
            .all()
        )
        return render_template("exchange/inbox.html", page=page, tombstones=tombstones)


@bp.get("/inbox/<uuid:bundle_id>")
@requires(Action.RUN_EXCHANGE)
def received(bundle_id: uuid.UUID) -> str:
    """A received bundle: sender, terms, the records it brought (links to their pages)."""
    db = get_session()
    with db.begin():
        accepted = db.get(ReceivedBundle, bundle_id)
        entries = (
            db.execute(select(InboxEntry).where(InboxEntry.bundle_id == bundle_id)).scalars().all()
        )
        if accepted is None and not entries:
            abort(404)
        terms = db.get(ExchangeTerms, bundle_id)
        sets = (
            db.execute(select(ReceivedRecordSet).where(ReceivedRecordSet.bundle_id == bundle_id))
            .scalars()
            .all()
        )
        seizures = (
            db.execute(select(Seizure).where(Seizure.received_bundle_id == bundle_id).limit(200))
            .scalars()
            .all()
        )
        return render_template(
            "exchange/received.html",
            accepted=accepted,
            entries=entries,
            terms=terms,
            sets=sets,
            seizures=seizures,
        )


def _send_form() -> dict[str, Any]:
    source = request.form if request.method == "POST" else request.args
    return {
        "references": source.get("references", ""),
        "recipients": source.getlist("to"),
        "legal_basis": source.get("legal_basis", ""),
        "purpose": source.get("purpose", ""),
        "h3_confirmed": source.getlist("confirm_h3"),
    }


def _send_errors(form: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if not _references(form["references"]):
        errors["references"] = _("Enter at least one seizure reference.")
    if not form["recipients"]:
        errors["to"] = _("Choose at least one recipient.")
    if not form["legal_basis"].strip():
        errors["legal_basis"] = _("State the legal basis of this exchange.")
    if not form["purpose"].strip():
        errors["purpose"] = _("State the purpose of this exchange.")
    return errors


@bp.route("/send", methods=["GET", "POST"])
@requires(Action.RUN_EXCHANGE)
def send() -> ResponseReturnValue:
    """Select seizures and recipients, preview who receives what, then seal and queue."""
    form = _send_form()
    errors: dict[str, str] = {}
    preview = None
    record_sets: list[tuple[str, str, str]] = []
    db = get_session()
    if request.method == "POST":
        errors = _send_errors(form)
        if not errors:
            node = node_context()
            references = _references(form["references"])
            if request.form.get("action") == "send":
                try:
                    with db.begin():
                        queued = queue_records(
                            db,
                            current_web_user().actor,
                            node,
                            recipients=form["recipients"],
                            references=references,
                            legal_basis=form["legal_basis"],
                            purpose=form["purpose"],
                            now=now(),
                            h3_confirmed=form["h3_confirmed"],
                        )
                    flash(_("Bundle sealed and queued for delivery."), "success")
                    return redirect(url_for("exchange.bundle", bundle_id=queued.bundle_id))
                except (ExchangeError, NcenError) as error:
                    # Refused: show the preview again, with the reason and the confirmations.
                    errors["send"] = str(error)
            try:
                with db.begin():
                    preview = preview_records(db, node, form["recipients"], references)
                    _audit_preview(db, references, form["recipients"], preview)
                    record_sets = [
                        (rs.name, rs.data.decode(), _sha256(rs.data))
                        for rs in preview.exported.record_sets
                    ]
            except (ExchangeError, NcenError) as error:
                errors["references"] = str(error)
    with db.begin():
        peers = list_peers(db)
    status = 400 if errors else 200
    html = render_template(
        "exchange/send.html",
        form=form,
        errors=errors,
        peers=peers,
        preview=preview,
        record_sets=record_sets,
    )
    return html, status


# Record-set names of the exchange format, as the record types of the audit trail.
_AUDIT_TYPES = {
    "seizures": "seizure",
    "persons": "person",
    "companies": "company",
    "conveyances": "conveyance",
}


def _audit_preview(
    db: Session, references: list[str], recipients: list[str], preview: Preview
) -> None:
    """Audit the preview as a read: it shows the records in full, persons included.

    ``shown`` lists the ids of the records previewed by type (for records received from
    another node, the originator's id, which is how the exchange names them).
    """
    shown: dict[str, list[str]] = {}
    for record in preview.exported.records:
        kind = _AUDIT_TYPES.get(record.record_type, record.record_type)
        shown.setdefault(kind, []).append(record.origin_id)
    note_read(
        db,
        current_web_user().actor,
        "seizure",
        details={
            "view": "exchange_preview",
            "references": references,
            "recipients": list(dict.fromkeys(recipients)),
            "shown": shown,
        },
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@bp.get("/updates")
@requires(Action.RUN_EXCHANGE)
def updates() -> str:
    """Shared seizures changed since they were sent: offer them for re-sending."""
    db = get_session()
    with db.begin():
        changed = changed_since_shared(db)
        return render_template("exchange/updates.html", changed=changed)


@bp.post("/distribution")
@requires(Action.RUN_EXCHANGE)
def distribution() -> ResponseReturnValue:
    """Set the distribution level of a national seizure."""
    reference = request.form.get("reference", "").strip()
    level = request.form.get("level", "")
    peers = [p.strip() for p in request.form.get("peers", "").split(",") if p.strip()]
    db = get_session()
    try:
        with db.begin():
            set_distribution(
                db, current_web_user().actor, reference, DistributionLevel(level), peers
            )
        flash(_("Distribution of %(ref)s set.", ref=reference), "success")
    except (ExchangeError, NcenError, ValueError) as error:
        flash(error_message(error), "danger")
    return redirect(url_for("exchange.updates"))


def canonical(value: Any) -> str:
    """Canonical JSON text (for templates)."""
    return canonical_json(value).decode()
