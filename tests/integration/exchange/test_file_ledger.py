"""Bundles that travel on files are exchanged like online ones: the receiver's inbox and both
ledgers list them, `ncen exchange reconcile` compares the two sides, and a retraction reaches a
peer that got the seizure only on a file (a sealed retraction file, opened like any bundle).
Also the ledger's reasons (the ``[code]`` of a refused bundle) and the online form of
``ncen exchange retract`` (queued for every peer that received the seizure)."""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import UTC, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from exchange.netmodels import Delivery, DeliveryState, InboxEntry, InboxOutcome, Tombstone
from exchange.network.inbox import accept_bundle
from exchange.network.node import load_node
from exchange.network.protocol import parse_receipt
from ncen.persons.models import Person
from ncen.seizures.models import Seizure
from ncen.settings import Settings

RETRACT = ("--reason", "recorded in error", "--legal-basis", "Naples II, art. 9")
LEGAL = ("--legal-basis", "Naples II, art. 9", "--purpose", "joint investigation")


def _bundle_id(output: str) -> str:
    return next(w for w in output.split() if len(w) == 36 and w.count("-") == 4)


def test_a_bundle_opened_from_a_file_is_in_the_inbox_and_both_ledgers(trio, usb):
    fr, de = trio.fr, trio.de
    reference = fr.record_case()
    bundle = usb / "case.ncb"
    sealed = fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", bundle)
    bundle_id = _bundle_id(sealed)
    de.ok("exchange", "open", bundle)

    with Session(de.engine) as session:
        entry = session.execute(select(InboxEntry)).scalar_one()
    assert (str(entry.bundle_id), entry.channel, entry.sender_node_id) == (
        bundle_id,
        "file",
        "fr-ncen",
    )
    assert entry.outcome is InboxOutcome.ACCEPTED
    assert entry.size == bundle.stat().st_size
    assert len(entry.sha256) == 64

    theirs = de.ok("exchange", "ledger")
    assert "received 1 accepted" in theirs
    assert f"<- {bundle_id}  file   accepted" in theirs
    ours = fr.ok("exchange", "ledger", "--peer", "de-ncen")
    assert f"-> {bundle_id}  file   sealed" in ours

    # Reconciled against the receiver's ledger: the opened file counts as acknowledged.
    their_ledger = usb / "de-ledger.json"
    their_ledger.write_text(de.ok("exchange", "ledger", "--peer", "fr-ncen", "--json"))
    assert json.loads(their_ledger.read_text())["peers"]["fr-ncen"]["imported"] == [bundle_id]
    assert "the ledgers agree" in fr.ok(
        "exchange", "reconcile", "de-ncen", "--theirs", their_ledger
    )

    # A second file that de has not opened yet is on its way, not a disagreement; a ledger that
    # claims an import we never sent is.
    second = usb / "second.ncb"
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", fr.record_case(seed=2), "-o", second)
    out = fr.ok("exchange", "reconcile", "de-ncen", "--theirs", their_ledger)
    assert "sealed to a file, not yet opened by de-ncen" in out
    forged = json.loads(their_ledger.read_text())
    forged["peers"]["fr-ncen"]["imported"].append(str(uuid.uuid4()))
    their_ledger.write_text(json.dumps(forged))
    result = fr.run("exchange", "reconcile", "de-ncen", "--theirs", their_ledger)
    assert result.exit_code == 1
    assert "imported by de-ncen without our record of a receipt" in result.output


def test_a_retraction_reaches_a_peer_that_got_the_seizure_on_a_file(trio, usb):
    fr, de, it = trio.fr, trio.de, trio.it
    reference = fr.record_case()
    bundle = usb / "case.ncb"
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", bundle)
    de.ok("exchange", "open", bundle)
    assert de.count(Seizure, foreign=True) == 1

    # it never got it: a file for it is refused; the retraction file names de only.
    refused = fr.run("exchange", "retract", "--seizure", reference, *RETRACT, "-o",
                     usb / "x.ncb", "--to", "it-ncen")  # fmt: skip
    assert refused.exit_code == 1
    assert "it-ncen never received these seizures" in refused.output
    retraction = usb / "retraction.ncb"
    out = fr.ok("exchange", "retract", "--seizure", reference, *RETRACT, "-o", retraction)
    assert "for de-ncen (sequence 2)" in out
    assert "it-ncen" not in out
    assert "signature verified" in de.ok("exchange", "inspect", "--verify", retraction)
    not_for_it = it.run("exchange", "open", retraction)
    assert not_for_it.exit_code == 1
    assert not_for_it.output.startswith("error [")

    opened = de.ok("exchange", "open", retraction)
    assert "retracted by fr-ncen: 1 companies, 1 conveyances, 1 persons, 1 seizures" in opened
    with Session(de.engine) as session:
        seizure = session.execute(
            select(Seizure).where(Seizure.origin_node == "fr-ncen")
        ).scalar_one()
        person = session.execute(select(Person).where(Person.origin_node == "fr-ncen")).scalar_one()
        tombstones = session.execute(select(Tombstone)).scalars().all()
        channels = sorted(e.channel for e in session.execute(select(InboxEntry)).scalars())
    assert seizure.deleted_at is not None
    assert seizure.narrative is None
    assert person.deleted_at is not None
    assert person.names == []
    assert {t.record_type for t in tombstones} == {
        "seizures",
        "persons",
        "companies",
        "conveyances",
    }
    assert {t.reason for t in tombstones} == {"recorded in error"}
    assert channels == ["file", "file"]
    # Opening it again changes nothing.
    assert "nothing imported" in de.ok("exchange", "open", retraction)
    assert "audit trail verified" in de.ok("audit", "verify")


def test_the_ledger_shows_the_code_of_a_refused_bundle(trio, usb):
    fr, de = trio.fr, trio.de
    fr.ok("exchange", "send", "--to", "de-ncen", "--seizure", fr.record_case(), *LEGAL)
    with fr.session() as session:
        delivery = session.execute(select(Delivery)).scalar_one()
        bundle_id, expires = str(delivery.bundle_id), delivery.expires
    path = usb / f"{bundle_id}.ncb"
    shutil.copy(fr.instance / "exchange" / "outbox" / f"{bundle_id}.ncb", path)
    # It reaches de after it expired: refused with a signed receipt, and a row in de's inbox.
    settings = Settings(instance_path=de.instance, node_id="de-ncen", node_country="DE")
    signed = accept_bundle(
        sessionmaker(bind=de.engine),
        load_node(settings, {}),
        path,
        channel="online",
        now=expires.astimezone(UTC) + timedelta(days=1),
    )
    assert parse_receipt(signed).outcome == "rejected"
    assert de.count(Seizure, foreign=True) == 0

    ledger = de.ok("exchange", "ledger", "--peer", "fr-ncen")
    assert "received 1 rejected" in ledger
    [line] = [line for line in ledger.splitlines() if bundle_id in line]
    assert line.split()[:4] == ["<-", bundle_id, "online", "rejected"]
    assert "[expired] " in line  # the code, then the detail
    [entry] = json.loads(de.ok("exchange", "ledger", "--peer", "fr-ncen", "--json"))["peers"][
        "fr-ncen"
    ]["entries"]
    assert entry["reason"].startswith("[expired] ")


def test_an_online_retraction_is_queued_once_for_every_peer_that_received_the_seizure(trio):
    fr = trio.fr
    reference = fr.record_case()
    fr.ok("exchange", "send", "--to", "de-ncen", "--to", "it-ncen", "--seizure", reference, *LEGAL)

    # --to narrows a retraction file only: online, every recipient is told.
    narrowed = fr.run("exchange", "retract", "--seizure", reference, *RETRACT, "--to", "de-ncen")
    assert narrowed.exit_code == 2
    assert "--to goes with -o" in narrowed.output
    with fr.session() as session:
        assert len(session.execute(select(Delivery)).scalars().all()) == 2  # the send only

    out = fr.ok("exchange", "retract", "--seizure", reference, *RETRACT)
    first, *recipients = out.splitlines()
    assert first.startswith("queued retraction ")
    retraction = first.split()[-1]
    assert sorted(recipients) == ["  for de-ncen (sequence 2)", "  for it-ncen (sequence 2)"]
    with fr.session() as session:
        deliveries = (
            session.execute(select(Delivery).where(Delivery.bundle_id == uuid.UUID(retraction)))
            .scalars()
            .all()
        )
    assert sorted((d.peer_node_id, d.sequence, d.state) for d in deliveries) == [
        ("de-ncen", 2, DeliveryState.QUEUED),
        ("it-ncen", 2, DeliveryState.QUEUED),
    ]
    assert (fr.instance / "exchange" / "outbox" / f"{retraction}.ncb").is_file()
