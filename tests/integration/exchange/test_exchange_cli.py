"""Offline exchange between nodes set up from the command line, with a bundle file on a "USB
stick": what arrives, what is refused, and that a refused or repeated bundle imports nothing."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from exchange_nodes import CliNode
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.crypto.bundle import Recipient, RecordSet, seal_bundle
from exchange.crypto.canonical import DOMAIN_KEYSET, b64encode, canonical_json, parse_canonical
from exchange.crypto.keydir import NodeKeys, write_public_file
from exchange.crypto.signing import sign_statement
from exchange.models import ReceivedBundle
from exchange.records.export import export_seizures
from exchange.records.recordschema import RECORDS_SCHEMA
from ncen.audit import AuditEvent
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.history import ChangeKind, RecordVersion
from ncen.persons.models import Person
from ncen.pictures.models import Picture, PictureLink
from ncen.pictures.store import Kind, PictureStore
from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson
from web.cli import cli

RECORD_MODELS = (Seizure, Person, Company, Conveyance)


def foreign_counts(node: CliNode) -> list[int]:
    return [node.count(model, foreign=True) for model in RECORD_MODELS]


def bundle_id_of(node: CliNode, path: Path) -> uuid.UUID:
    out = node.ok("exchange", "inspect", path)
    return uuid.UUID(out.split()[1])


def test_two_nodes_exchange_a_case_and_a_third_node_cannot_read_it(trio, usb):
    fr, de, it = trio.fr, trio.de, trio.it
    reference = fr.record_case()
    bundle = usb / "case.ncb"
    out = fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", bundle)
    assert "1 seizures, 1 persons, 1 companies, 1 conveyances; 1 pictures" in out

    header = de.ok("exchange", "inspect", bundle)
    assert "NOT verified" in header
    assert "recipient  de-ncen (sequence 1" in header
    assert "signature verified" in de.ok("exchange", "inspect", "--verify", bundle)

    preview = de.ok("exchange", "open", "--dry-run", bundle)
    assert "would import: 1 seizures, 1 persons, 1 companies, 1 conveyances, 1 pictures" in preview
    assert foreign_counts(de) == [0, 0, 0, 0]

    imported = de.ok("exchange", "open", bundle)
    assert "imported: 1 seizures, 1 persons, 1 companies, 1 conveyances, 1 pictures" in imported
    assert foreign_counts(de) == [1, 1, 1, 1]
    assert [de.count(model, foreign=False) for model in RECORD_MODELS] == [0, 0, 0, 0]

    # The third node pins the sender but is not a recipient: it cannot read the bundle.
    refused = it.run("exchange", "open", bundle)
    assert refused.exit_code == 1
    assert "[not-a-recipient]" in refused.output
    assert foreign_counts(it) == [0, 0, 0, 0]

    # The same file again changes nothing.
    again = de.ok("exchange", "open", bundle)
    assert "nothing imported" in again
    assert foreign_counts(de) == [1, 1, 1, 1]
    assert "audit trail verified" in de.ok("audit", "verify")


def test_import_creates_foreign_records_with_provenance_links_pictures_and_history(trio, usb):
    fr, de = trio.fr, trio.de
    reference = fr.record_case()
    bundle = usb / "case.ncb"
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", bundle)
    bundle_id = bundle_id_of(de, bundle)
    de.ok("exchange", "open", bundle)

    with Session(de.engine) as session:
        seizure = session.execute(select(Seizure)).scalar_one()
        assert seizure.reference == f"fr-ncen/{reference}"
        assert (seizure.origin_node, seizure.origin_id) == ("fr-ncen", str(fr.created["seizure"]))
        assert seizure.received_bundle_id == bundle_id
        assert seizure.items[0].hs_code == "240220"
        assert [t.country for t in seizure.transit_countries] == ["KZ"]
        for model, kind in ((Person, "person"), (Company, "company"), (Conveyance, "conveyance")):
            record = session.execute(select(model)).scalar_one()
            assert (record.origin_node, record.origin_id) == ("fr-ncen", str(fr.created[kind]))
            assert record.received_bundle_id == bundle_id
        person = session.execute(select(Person)).scalar_one()
        assert person.display_name == "Алиев Мухаммад Ибрагимович"
        assert person.documents[0].number_norm == "N12345678"
        roles = {
            link.role
            for model in (SeizurePerson, SeizureCompany, SeizureConveyance)
            for link in session.execute(select(model)).scalars()
        }
        assert roles == {"courier", "importer", "container"}
        picture = session.execute(select(Picture)).scalar_one()
        link = session.execute(select(PictureLink)).scalar_one()
        assert link.seizure_id == seizure.id
        assert picture.caption == "Cigarettes behind the tiles"
        store = PictureStore(de.instance / "pictures")
        store.verify_original(picture.sha256)
        assert store.exists(Kind.THUMBNAIL, picture.sha256)

        kinds = list(
            session.execute(
                select(RecordVersion.kind)
                .where(RecordVersion.record_id == seizure.id)
                .order_by(RecordVersion.id)
            ).scalars()
        )
        assert kinds == [ChangeKind.CREATE, ChangeKind.LINK]  # the record, then its picture
        snapshot = session.execute(
            select(RecordVersion.snapshot).where(RecordVersion.record_id == person.id)
        ).scalar_one()
        assert snapshot["origin_node"] == "fr-ncen"
        created = session.execute(
            select(AuditEvent).where(AuditEvent.action == "seizure.create")
        ).scalar_one()
        assert created.details["received_bundle_id"] == str(bundle_id)
        received = session.get(ReceivedBundle, bundle_id)
        assert received is not None
        assert received.sender_node_id == "fr-ncen"
        assert received.summary["new"]["seizures"] == 1
        actions = set(session.execute(select(AuditEvent.action)).scalars())
        assert {"exchange.peer.add", "exchange.import", "picture.upload"} <= actions


def test_tampered_file_imports_nothing_and_the_intact_copy_still_opens(trio, usb):
    fr, de = trio.fr, trio.de
    reference = fr.record_case()
    bundle = usb / "case.ncb"
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", bundle)
    data = bytearray(bundle.read_bytes())
    for offset, name in ((len(data) - 100, "picture"), (len(data) // 2, "middle")):
        tampered = usb / f"tampered-{name}.ncb"
        copy = bytearray(data)
        copy[offset] ^= 0x01
        tampered.write_bytes(bytes(copy))
        result = de.run("exchange", "open", tampered)
        assert result.exit_code == 1, result.output
        assert "error [" in result.output
        assert foreign_counts(de) == [0, 0, 0, 0]
    truncated = usb / "truncated.ncb"
    truncated.write_bytes(bytes(data[:-10]))
    result = de.run("exchange", "open", truncated)
    assert (result.exit_code, "[truncated]" in result.output) == (1, True)
    with Session(de.engine) as session:
        assert session.execute(select(func.count()).select_from(ReceivedBundle)).scalar() == 0
        assert session.execute(select(func.count()).select_from(Picture)).scalar() == 0
    assert list((de.instance / "exchange").iterdir()) == []  # no decrypted leftovers
    de.ok("exchange", "open", bundle)
    assert foreign_counts(de) == [1, 1, 1, 1]


def test_unknown_sender_and_suspended_peer_are_refused(trio, usb):
    fr, de, it = trio.fr, trio.de, trio.it
    it.add_peer(de, usb)  # it knows de, but de never registered it
    reference = fr.record_case()
    it_case = usb / "from-it.ncb"
    it_reference = it.record_case(seed=2)
    it.ok("exchange", "seal", "--to", "de-ncen", "--seizure", it_reference, "-o", it_case)
    unknown = de.run("exchange", "open", it_case)
    assert (unknown.exit_code, "[unknown-sender]" in unknown.output) == (1, True)

    bundle = usb / "case.ncb"
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", bundle)
    assert "suspended" in de.ok("peers", "suspend", "fr-ncen")
    suspended = de.run("exchange", "open", bundle)
    assert (suspended.exit_code, "[unknown-sender]" in suspended.output) == (1, True)
    assert foreign_counts(de) == [0, 0, 0, 0]
    de.ok("peers", "resume", "fr-ncen")
    de.ok("exchange", "open", bundle)
    assert foreign_counts(de) == [1, 1, 1, 1]

    # Nothing is sealed to a suspended peer either.
    fr.ok("peers", "suspend", "de-ncen")
    refused = fr.run("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", usb / "x")
    assert (refused.exit_code, "peer is suspended" in refused.output) == (1, True)
    assert not (usb / "x").exists()


def test_agreement_without_nominal_data_refuses_persons(trio, usb):
    fr = trio.fr
    reference = fr.record_case()
    fr.ok("peers", "agreement", "de-ncen", "--no-nominal", "--handling", "H0,H1")
    result = fr.run("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", usb / "x")
    assert result.exit_code == 1
    assert "[policy]" in result.output
    assert "nominal data" in result.output
    assert "last sent 0" in fr.ok("peers", "show", "de-ncen")  # no sequence number used up


def test_rotation_key_updates_and_revocation(trio, usb):
    fr, de, it = trio.fr, trio.de, trio.it
    reference = fr.record_case()
    before = usb / "before-rotation.ncb"
    held_back = usb / "held-back.ncb"
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", before)
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", held_back)

    stale = de.run("peers", "update-keys", "fr-ncen", fr.export_keys(usb))  # pinned key, serial 1
    assert (stale.exit_code, "not newer" in stale.output) == (1, True)

    de.ok("keys", "rotate")  # de's old decryption key is archived, not lost
    rotated = fr.ok("keys", "rotate")
    assert "key set 2 written" in rotated
    keyset_2 = fr.instance / "keys" / "keyset-0002.json"

    # A key set signed by any key but the pinned one is refused: here fr's new self-signed
    # export, and a key set of another node.
    wrong = de.run("peers", "update-keys", "fr-ncen", fr.export_keys(usb))
    assert (wrong.exit_code, "[signature]" in wrong.output) == (1, True)
    other = de.run("peers", "update-keys", "fr-ncen", it.export_keys(usb))
    assert other.exit_code == 1
    assert "key set 1" not in de.ok("peers", "show", "fr-ncen")
    assert "serial 1" in de.ok("peers", "show", "fr-ncen")

    accepted = de.ok("peers", "update-keys", "fr-ncen", keyset_2)
    assert "keyset accepted" in accepted
    assert "serial 2" in de.ok("peers", "show", "fr-ncen")
    again = de.run("peers", "update-keys", "fr-ncen", keyset_2)  # its signer is pinned no more
    assert (again.exit_code, "[signature]" in again.output) == (1, True)

    # A bundle sealed before both rotations still opens.
    de.ok("exchange", "open", before)
    assert foreign_counts(de) == [1, 1, 1, 1]

    # New bundles: to de's old key (fr has not seen de's rotation), then to its new key.
    second = fr.record_case(seed=3)
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", second, "-o", usb / "after.ncb")
    de.ok("exchange", "open", usb / "after.ncb")
    fr.ok("peers", "update-keys", "de-ncen", de.instance / "keys" / "keyset-0002.json")
    third = fr.record_case(seed=4)
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", third, "-o", usb / "new-key.ncb")
    assert "sequence 4" in de.ok("exchange", "inspect", usb / "new-key.ncb")
    de.ok("exchange", "open", usb / "new-key.ncb")
    assert foreign_counts(de)[0] == 3

    # fr revokes its previous signing key: what it signed becomes worthless.
    old_key = fr.ok("keys", "show").split("previous signing key (key set 1):")[1]
    old_key_id = "".join(old_key.split()[:16]).lower()
    current = fr.run("keys", "revoke", "--reason", "superseded", old_key_id)
    assert current.exit_code == 0, current.output
    revocation = fr.instance / "keys" / f"revocation-{old_key_id}.json"
    assert "revocation accepted" in de.ok("peers", "update-keys", "fr-ncen", revocation)
    revoked = de.run("exchange", "open", held_back)
    assert (revoked.exit_code, "[revoked-key]" in revoked.output) == (1, True)


def test_received_h2_record_goes_back_to_its_originator_only(trio, usb):
    fr, de, it = trio.fr, trio.de, trio.it
    de.add_peer(it, usb)
    it.add_peer(de, usb)
    h2 = fr.record_case(handling="H2")
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", h2, "-o", usb / "h2.ncb")
    de.ok("exchange", "open", usb / "h2.ncb")
    received = f"fr-ncen/{h2}"

    onward = de.run("exchange", "seal", "--to", "it-ncen", "--seizure", received, "-o", usb / "x")
    assert onward.exit_code == 1
    assert "[policy]" in onward.output
    assert "H2 record received from fr-ncen" in onward.output
    assert not (usb / "x").exists()
    both = de.run(
        "exchange", "seal", "--to", "fr-ncen", "--to", "it-ncen",
        "--seizure", received, "-o", usb / "x",
    )  # fmt: skip
    assert (both.exit_code, "to it-ncen" in both.output) == (1, True)

    # Back to the originator is allowed; it recognises its own records and imports nothing.
    de.ok("exchange", "seal", "--to", "fr-ncen", "--seizure", received, "-o", usb / "back.ncb")
    back = fr.ok("exchange", "open", usb / "back.ncb")
    assert "records produced by this node" in back
    assert foreign_counts(fr) == [0, 0, 0, 0]


def test_forwarded_records_keep_their_originator(trio, usb):
    fr, de, it = trio.fr, trio.de, trio.it
    de.add_peer(it, usb)
    it.add_peer(de, usb)
    reference = fr.record_case(handling="H1")
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", usb / "a.ncb")
    de.ok("exchange", "open", usb / "a.ncb")
    de.ok(
        "exchange", "seal", "--to", "it-ncen", "--seizure", f"fr-ncen/{reference}",
        "-o", usb / "forwarded.ncb",
    )  # fmt: skip
    assert "produced by fr-ncen" in it.ok("exchange", "inspect", usb / "forwarded.ncb")
    it.ok("exchange", "open", usb / "forwarded.ncb")
    with Session(it.engine) as session:
        seizure = session.execute(select(Seizure)).scalar_one()
        # Provenance names the node that produced the record, not the one that forwarded it.
        assert (seizure.origin_node, seizure.origin_id) == ("fr-ncen", str(fr.created["seizure"]))
        assert seizure.reference == f"fr-ncen/{reference}"
    assert foreign_counts(it) == [1, 1, 1, 1]


def test_a_record_refused_by_the_domain_rules_imports_nothing(trio, usb):
    fr, de = trio.fr, trio.de
    reference = fr.record_case()
    identity = NodeKeys(fr.instance / "keys", passphrase=fr.passphrase.encode()).load()
    de_key = NodeKeys(de.instance / "keys", passphrase=None).load().current_encryption_key
    with Session(fr.engine) as session:
        exported = export_seizures(
            session, PictureStore(fr.instance / "pictures"), [reference], own_node_id="fr-ncen"
        )
    value = parse_canonical(exported.record_sets[0].data)
    value["seizures"][0]["items"][0]["commodity_group"] = "unicorns"  # valid shape, no such code
    sink = io.BytesIO()
    now = datetime.now(UTC).replace(microsecond=0)
    seal_bundle(
        sink,
        sender=identity,
        recipients=[Recipient("de-ncen", de_key.public, 7)],
        record_sets=[RecordSet("records", canonical_json(value))],
        attachments=exported.attachments,
        handling_codes=["H1"],
        records_schema=RECORDS_SCHEMA,
        created=now,
        expires=now + timedelta(days=1),
    )
    bad = usb / "bad.ncb"
    bad.write_bytes(sink.getvalue())
    result = de.run("exchange", "open", bad)
    assert result.exit_code == 1
    assert "[import]" in result.output
    assert "items.0.commodity_group" in result.output
    assert foreign_counts(de) == [0, 0, 0, 0]  # persons came first, and were rolled back too
    with Session(de.engine) as session:
        assert session.execute(select(func.count()).select_from(ReceivedBundle)).scalar() == 0
        assert session.execute(select(func.count()).select_from(RecordVersion)).scalar() == 0


def test_weak_or_foreign_key_sets_are_refused_at_registration(make_node, usb):
    fr = make_node("fr-ncen", "FR")
    de = make_node("de-ncen", "DE")
    exported = fr.export_keys(usb)
    statement = parse_canonical(exported.read_bytes())["statement"]
    weak = dict(statement)
    weak["encryption_keys"] = [
        {**statement["encryption_keys"][0], "public_key": b64encode(bytes(32))}
    ]
    signer = NodeKeys(fr.instance / "keys", passphrase=None).load().signing
    write_public_file(usb / "weak.json", sign_statement(signer, DOMAIN_KEYSET, weak))
    result = de.run(
        "peers", "add", "--node-id", "fr-ncen", "--country", "FR",
        "--keyset", usb / "weak.json", "--yes",
    )  # fmt: skip
    assert (result.exit_code, "[invalid-public-key]" in result.output) == (1, True)
    mismatch = de.run(
        "peers", "add", "--node-id", "es-ncen", "--country", "ES", "--keyset", exported, "--yes"
    )
    assert (mismatch.exit_code, "belongs to node 'fr-ncen'" in mismatch.output) == (1, True)
    declined = de.run(
        "peers", "add", "--node-id", "fr-ncen", "--country", "FR", "--keyset", exported,
        input="n\n",
    )  # fmt: skip
    assert declined.exit_code == 1
    assert "Aborted" in declined.output
    assert "no peers registered" in de.ok("peers", "list")


def test_keys_at_rest(make_node, usb, tmp_path):
    fr = make_node("fr-ncen", "FR", encrypted=True)
    identity_file = fr.instance / "keys" / "identity.json"
    assert "ncen-keystore-v1" in identity_file.read_text()
    assert (identity_file.stat().st_mode & 0o777) == 0o600
    shown = fr.ok("keys", "show")
    assert "node fr-ncen, key set 1" in shown
    identity = NodeKeys(fr.instance / "keys", passphrase=fr.passphrase.encode()).load()
    secrets = [b64encode(identity.signing.seed), identity.signing.seed.hex()]
    for output in (shown, fr.ok("keys", "export-public", "-o", tmp_path / "pub.json")):
        assert not any(secret in output for secret in secrets)
    assert not any(secret in (tmp_path / "pub.json").read_text() for secret in secrets)

    fr.passphrase = "wrong"
    wrong = fr.run("keys", "rotate")
    assert (wrong.exit_code, "wrong passphrase" in wrong.output) == (1, True)
    fr.passphrase = None
    missing = fr.run("keys", "rotate")
    assert (missing.exit_code, "passphrase is required" in missing.output) == (1, True)

    de = make_node("de-ncen", "DE")
    (de.instance / "keys" / "identity.json").chmod(0o644)
    loose = de.run("keys", "export-public", "-o", tmp_path / "x.json")
    assert (loose.exit_code, "chmod 600" in loose.output) == (1, True)
    (de.instance / "keys" / "identity.json").chmod(0o600)
    (de.instance / "keys").chmod(0o755)
    loose = de.run("keys", "export-public", "-o", tmp_path / "x.json")
    assert (loose.exit_code, "chmod 700" in loose.output) == (1, True)
    (de.instance / "keys").chmod(0o700)
    again = de.run("keys", "init", "--unencrypted")
    assert (again.exit_code, "already exist" in again.output) == (1, True)


def test_keys_init_needs_a_passphrase_or_explicit_consent(make_node, tmp_path):
    node = make_node("fr-ncen", "FR")
    fresh = CliNode("es-ncen", "ES", node.url, tmp_path / "es-ncen", node.engine)
    refused = fresh.run("keys", "init")
    assert (refused.exit_code, "NCEN_KEY_PASSPHRASE" in refused.output) == (1, True)
    assert not (tmp_path / "es-ncen" / "keys" / "identity.json").exists()
    passphrase_file = tmp_path / "passphrase"
    passphrase_file.write_text("from a file\n")
    passphrase_file.chmod(0o644)
    env = {**fresh.env, "NCEN_KEY_PASSPHRASE_FILE": str(passphrase_file)}
    loose = CliRunner().invoke(cli, ["keys", "init"], env=env)
    assert (loose.exit_code, "passphrase file" in loose.output) == (1, True)
    passphrase_file.chmod(0o600)
    created = CliRunner().invoke(cli, ["keys", "init"], env=env)
    assert created.exit_code == 0, created.output
    assert "encrypted with the passphrase" in created.output
    shown = CliRunner().invoke(cli, ["keys", "export-public", "-o", str(tmp_path / "p")], env=env)
    assert shown.exit_code == 0, shown.output


def test_updates_from_the_originator_reach_the_receiver_once(trio, usb):
    from ncen.accounts.actor import Actor as _Actor
    from ncen.persons.services import update_person
    from ncen.seizures.services import update_seizure
    from tests.factories import person_data

    fr, de = trio.fr, trio.de
    reference = fr.record_case()
    first = usb / "first.ncb"
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", first)
    de.ok("exchange", "open", first)

    # The originator corrects the person and the seizure, then shares the case again.
    actor = _Actor.system("test")
    with fr.session() as session, session.begin():
        person = session.get(Person, fr.created["person"])
        update_person(session, actor, person.id, person.version, person_data(birth_year=1981))
        seizure = session.get(Seizure, fr.created["seizure"])
        data = seizure_update_data(session, seizure)
        update_seizure(session, actor, seizure.id, seizure.version, data)
    second = usb / "second.ncb"
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", second)
    preview = de.ok("exchange", "open", "--dry-run", second)
    assert "would update: 1 seizures, 1 persons, 0 companies, 0 conveyances" in preview
    out = de.ok("exchange", "open", second)
    assert "imported: 0 seizures, 0 persons" in out
    assert "updated: 1 seizures, 1 persons, 0 companies, 0 conveyances" in out
    assert foreign_counts(de) == [1, 1, 1, 1]
    with de.session() as session:
        person = session.execute(select(Person).where(Person.origin_node == "fr-ncen")).scalar_one()
        seizure = session.execute(
            select(Seizure).where(Seizure.origin_node == "fr-ncen")
        ).scalar_one()
        assert (person.birth_year, person.version) == (1981, 2)
        assert seizure.place == "Altynkol"
        # The links survived the update: the seizure still names the person, company, conveyance.
        assert (
            session.execute(
                select(func.count())
                .select_from(SeizurePerson)
                .where(SeizurePerson.seizure_id == seizure.id)
            ).scalar_one()
            == 1
        )

    # The same version again (a third bundle) changes nothing.
    third = usb / "third.ncb"
    fr.ok("exchange", "seal", "--to", "de-ncen", "--seizure", reference, "-o", third)
    out = de.ok("exchange", "open", third)
    assert "updated:" not in out
    assert "audit trail verified" in de.ok("audit", "verify")


def seizure_update_data(session: Session, seizure: Seizure) -> dict:
    """The seizure's current input with a corrected place (items and route unchanged)."""
    from ncen.seizures.snapshots import snapshot

    data = snapshot(session, seizure)
    data["place"] = "Altynkol"
    return data
