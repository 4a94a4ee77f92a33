"""Dissemination fails closed (issue 12, items 6 and 7), tried as an attacker would.

Item 6: a seizure nobody marked reaches no peer and not the CEN export; a received seizure keeps
its originator's distribution at the next hop (the forwarder refuses, and so does a receiver
whose forwarder skipped its own check); H3 leaves only with the exchange officer's confirmation
for each recipient; a draft is not sent. Item 7: a retraction leaves no row, history, kept
record set, picture or file of the retracted content behind, only the tombstone.

The online path runs in process: the sender queues a bundle (`queue_records`), and the
receiver's inbox (`accept_bundle`) opens the file the sender wrote, as the endpoint would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from exchange_nodes import CliNode
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from exchange.crypto.bundle import seal_bundle
from exchange.crypto.keydir import NodeKeys
from exchange.errors import PolicyError
from exchange.netmodels import DistributionLevel, Tombstone
from exchange.network.inbox import accept_bundle
from exchange.network.node import ExchangeConfig, NodeContext
from exchange.network.outbox import queue_records, set_distribution
from exchange.network.protocol import parse_receipt
from exchange.records.export import export_seizures
from exchange.records.recordschema import RECORDS_SCHEMA
from exchange.services.retractions import queue_retraction
from exchange.services.trust import encryption_key_for, get_peer
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import AuditEvent
from ncen.pictures.models import Picture
from ncen.pictures.store import Kind, PictureStore
from ncen.seizures.models import Seizure
from ncen.seizures.services import update_seizure
from ncen.settings import Settings
from tests.factories import seizure_data
from tests.functional.conftest import sign_in
from tests.web_support import make_user, node_settings
from web import create_app

ACTOR = Actor.system("test")
LEGAL = "Naples II, art. 9"


def now() -> datetime:
    """A few minutes after the nodes' keys were made (set per call, never at import)."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


def context(node: CliNode) -> NodeContext:
    """The exchange context of a test node, as the web app and the worker build it."""
    settings = Settings(instance_path=node.instance, node_id=node.node_id, node_country="FR")
    passphrase = node.passphrase.encode() if node.passphrase else None
    identity = NodeKeys.of_instance(node.instance, passphrase=passphrase).load(node.node_id)
    return NodeContext(identity, settings, ExchangeConfig())


def queue(node: CliNode, recipients: list[str], references: list[str], **kwargs: Any) -> Any:
    with node.session() as session, session.begin():
        return queue_records(
            session,
            ACTOR,
            context(node),
            recipients=recipients,
            references=references,
            legal_basis=LEGAL,
            purpose="joint investigation",
            now=now(),
            **kwargs,
        )


def deliver(sender: CliNode, receiver: CliNode, bundle_id: object) -> str:
    """The receiver's inbox takes the bundle the sender queued; returns the receipt outcome."""
    path = context(sender).bundle_path(bundle_id)
    signed = accept_bundle(
        lambda: Session(receiver.engine), context(receiver), path, channel="push", now=now()
    )
    return parse_receipt(signed).outcome


# --------------------------------------------------------------------------- item 6


def test_an_unmarked_seizure_reaches_no_peer_and_not_the_cen_export(trio, usb, tmp_path):
    fr = trio.fr
    reference = fr.record_case(distribution=None)  # validated, but nobody set a distribution

    with pytest.raises(PolicyError, match="distribution"):
        queue(fr, ["de-ncen"], [reference])
    offline = fr.run("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", usb / "x")
    assert offline.exit_code == 1
    assert "distribution" in offline.output
    assert not (usb / "x").exists()

    def cen_export_count() -> str:
        path = tmp_path / "cen.json"
        path.unlink(missing_ok=True)
        return fr.ok("exchange", "cen-export", "--format", "json", "-o", path)

    assert "0 seizures written" in cen_export_count()
    with fr.session() as session, session.begin():
        set_distribution(session, ACTOR, reference, DistributionLevel.ALL_PEERS)
    assert "0 seizures written" in cen_export_count()  # all peers, but not the global CEN
    with fr.session() as session, session.begin():
        set_distribution(session, ACTOR, reference, DistributionLevel.GLOBAL_CEN)
    assert "1 seizures written" in cen_export_count()


def test_a_received_named_peer_seizure_cannot_be_forwarded_to_another_peer(trio, usb):
    fr, de, it = trio.fr, trio.de, trio.it
    de.add_peer(it, usb)
    it.add_peer(de, usb)
    reference = fr.record_case(distribution="named_peers", peers=("de-ncen",))
    wider = fr.record_case(seed=2, distribution="named_peers", peers=("de-ncen", "it-ncen"))
    for name, case in (("a.ncb", reference), ("b.ncb", wider)):
        fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", case, "-o", usb / name)
        de.ok("exchange", "open", usb / name)
    received = f"fr-ncen/{reference}"

    # The forwarder's own check, offline and online.
    onward = de.run("exchange", "seal", "--to", "it-ncen", "--seizure", received, "-o", usb / "x")
    assert onward.exit_code == 1
    assert "distribution" in onward.output
    with pytest.raises(PolicyError, match="distribution"):
        queue(de, ["it-ncen"], [received])

    # A forwarder that skips its own check: the receiver reads the originator's signed
    # distribution inside the record set and refuses.
    identity = context(de).identity
    with de.session() as session:
        store = PictureStore(Settings(instance_path=de.instance).picture_path)
        exported = export_seizures(session, store, [received], own_node_id="de-ncen")
        key = encryption_key_for(get_peer(session, "it-ncen"), now())
    from exchange.crypto.bundle import Recipient

    forged = usb / "forged.ncb"
    with forged.open("wb") as sink:
        seal_bundle(
            sink,
            sender=identity,
            recipients=[Recipient("it-ncen", key, 900)],
            record_sets=exported.record_sets,
            attachments=exported.attachments,
            handling_codes=exported.handling_codes,
            records_schema=RECORDS_SCHEMA,
            created=now(),
            expires=now() + timedelta(days=1),
        )
    refused = it.run("exchange", "open", forged)
    assert refused.exit_code == 1
    assert "[policy]" in refused.output
    assert "distribution" in refused.output
    assert it.count(Seizure, foreign=True) == 0

    # The restriction is the originator's, not a blanket refusal: a seizure whose originator
    # named both peers goes on.
    de.ok("exchange", "seal", "--to", "it-ncen", "--seizure", f"fr-ncen/{wider}", "-o", usb / "w")
    it.ok("exchange", "open", usb / "w")
    assert it.count(Seizure, foreign=True) == 1


def test_h3_leaves_only_with_a_confirmation_for_each_recipient(trio, usb):
    fr = trio.fr
    reference = fr.record_case(handling="H3")

    with pytest.raises(PolicyError, match="H3"):
        queue(fr, ["de-ncen", "it-ncen"], [reference])
    with pytest.raises(PolicyError, match="it-ncen"):
        queue(fr, ["de-ncen", "it-ncen"], [reference], h3_confirmed=["de-ncen"])
    queued = queue(fr, ["de-ncen", "it-ncen"], [reference], h3_confirmed=["de-ncen", "it-ncen"])
    with fr.session() as session:
        events = (
            session.execute(
                select(AuditEvent).where(AuditEvent.action == "exchange.h3_confirmation")
            )
            .scalars()
            .all()
        )
    assert sorted(event.details["peer"] for event in events) == ["de-ncen", "it-ncen"]
    for event in events:
        assert event.record_id == str(queued.bundle_id)
        assert event.details["legal_basis"] == LEGAL
        assert "joint investigation team ALPHA" in str(event.details["restrictions"])

    # The command line asks the same, per recipient.
    bundle = usb / "h3.ncb"
    refused = fr.run("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", bundle)
    assert refused.exit_code == 1
    assert "H3" in refused.output
    assert not bundle.exists()
    fr.ok(
        "exchange", "seal", "--to", "de-ncen", "--confirm-h3", "de-ncen",
        "--legal-basis", LEGAL, "--seizure", reference, "-o", bundle,
    )  # fmt: skip
    assert bundle.exists()


def test_a_draft_seizure_is_not_sent(trio, usb):
    fr = trio.fr
    reference = fr.record_case(validated=False)
    with pytest.raises(PolicyError, match="validated"):
        queue(fr, ["de-ncen"], [reference])
    offline = fr.run("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", usb / "x")
    assert offline.exit_code == 1
    assert "validated" in offline.output


# --------------------------------------------------------------------------- item 7

RETRACTED = (
    "RETRACTME-ONE",  # the narrative of the first version received
    "RETRACTME-TWO",  # the narrative of the update
    "Алиев",
    "Mukhammad",
    "1234-5678",
    "12345678",
    "+7 701 555",
    "Cigarettes behind the tiles",  # the picture caption
    "Silk Road",
    "120 540 012 345",
    "CSQU3054383",
)


def _tables(session: Session) -> list[str]:
    return list(
        session.execute(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                "AND table_name <> 'alembic_version' ORDER BY 1"
            )
        ).scalars()
    )


def _holding(node: CliNode, needles: tuple[str, ...]) -> dict[str, list[str]]:
    """Which tables of ``node`` hold which of ``needles`` anywhere in a row (as JSON text)."""
    found: dict[str, list[str]] = {}
    with node.session() as session:
        for table in _tables(session):
            rows = session.execute(text(f'SELECT * FROM "{table}"')).all()
            # Binary columns (the kept signed record sets) are searched as UTF-8 text.
            blob = "\n".join(
                value.decode("utf-8", "ignore") if isinstance(value, bytes) else str(value)
                for row in rows
                for value in row
            )
            hits = [n for n in needles if n in blob or n.lower() in blob.lower()]
            if hits:
                found[table] = hits
    return found


@pytest.fixture
def de_web(trio) -> Any:
    """A test client of de's web application, signed in as an investigator of de."""
    de = trio.de
    factory = sessionmaker(bind=de.engine, expire_on_commit=False)
    settings = node_settings(de.instance, node_id="de-ncen", database_url=de.url)
    app = create_app(settings, session_factory=factory)
    app.config["TESTING"] = True
    client = app.test_client()
    with factory() as session:
        user = make_user(session, Role.INVESTIGATOR)
    assert sign_in(client, user).status_code == 302
    return client


def test_a_retraction_leaves_only_the_tombstone(trio, de_web):
    fr, de = trio.fr, trio.de
    reference = fr.record_case(narrative="Hidden in crates, RETRACTME-ONE")
    assert deliver(fr, de, queue(fr, ["de-ncen"], [reference]).bundle_id) == "accepted"
    with fr.session() as session, session.begin():
        seizure = session.get(Seizure, fr.created["seizure"])
        assert seizure is not None
        update_seizure(
            session,
            ACTOR,
            seizure.id,
            seizure.version,
            seizure_data(handling_code="H1", office_code=None, narrative="Now RETRACTME-TWO"),
        )
    assert deliver(fr, de, queue(fr, ["de-ncen"], [reference]).bundle_id) == "accepted"

    with de.session() as session:
        picture = session.execute(select(Picture)).scalar_one()
        sha256, picture_id = picture.sha256, picture.id
    store = PictureStore(de.instance / "pictures")
    urls = [f"/pictures/{picture_id}/{kind}" for kind in ("thumbnail", "display", "original")]
    assert [de_web.get(url).status_code for url in urls] == [200, 200, 200]
    before = _holding(de, RETRACTED)
    # The strings really are there before: the search below can find them.
    assert set(RETRACTED) <= {hit for hits in before.values() for hit in hits}
    assert "exchange_received_record_sets" in before  # the earlier received version, too

    with fr.session() as session, session.begin():
        retraction = queue_retraction(
            session,
            ACTOR,
            context(fr),
            references=[reference],
            reason="recorded in error",
            legal_basis=LEGAL,
            now=now(),
        )
    assert deliver(fr, de, retraction.bundle_id) == "accepted"

    # The audit trail is append-only and names records by id; it is checked apart below.
    left = _holding(de, RETRACTED)
    audit = left.pop("audit_events", [])
    assert left == {}, f"retracted content left behind: {left}"
    assert audit == [], f"retracted content in the audit trail: {audit}"
    with de.session() as session:
        assert session.execute(select(Picture)).scalars().all() == []
        tombstones = session.execute(select(Tombstone)).scalars().all()
    assert sorted(t.record_type for t in tombstones) == [
        "companies",
        "conveyances",
        "persons",
        "seizures",
    ]
    assert {t.reason for t in tombstones} == {"recorded in error"}
    for kind in Kind:
        assert not store.path(kind, sha256).exists(), f"{kind.value} file still on disk"
    assert [de_web.get(url).status_code for url in urls] == [404, 404, 404]
    assert "audit trail verified" in de.ok("audit", "verify")


def test_a_retraction_keeps_a_picture_file_another_record_still_uses(trio, usb):
    fr, de = trio.fr, trio.de
    first = fr.record_case(seed=7)
    second = fr.record_case(seed=7)  # the same picture content: one row, two links at de
    assert deliver(fr, de, queue(fr, ["de-ncen"], [first, second]).bundle_id) == "accepted"
    with de.session() as session:
        sha256 = session.execute(select(Picture.sha256)).scalar_one()
    with fr.session() as session, session.begin():
        retraction = queue_retraction(
            session,
            ACTOR,
            context(fr),
            references=[first],
            reason="recorded in error",
            legal_basis=LEGAL,
            now=now(),
        )
    assert deliver(fr, de, retraction.bundle_id) == "accepted"
    store = PictureStore(de.instance / "pictures")
    with de.session() as session:
        assert session.execute(select(Picture.sha256)).scalars().all() == [sha256]
    store.verify_original(sha256)
    assert Path(store.path(Kind.THUMBNAIL, sha256)).exists()
