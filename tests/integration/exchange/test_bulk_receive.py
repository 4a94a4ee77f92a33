"""Received records through the bulk path (`exchange.records.bulk`) and the per-record path on
real PostgreSQL: the same bundle imported both ways into two receiving databases leaves the same
records, history, audit events, watch-list alerts and risk-profile hits, record for record; the
bulk path is all or
nothing per bundle, idempotent, applies newer versions as new versions with history, keeps the
audit chain verifiable and the names searchable."""

from __future__ import annotations

import dataclasses
import io
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, update
from sqlalchemy.orm import Session

from exchange.crypto.bundle import Recipient, seal_bundle
from exchange.crypto.keys import NodeIdentity, generate_identity
from exchange.crypto.keysets import publish_keyset
from exchange.crypto.opening import OpenedBundle, open_bundle
from exchange.errors import RecordImportError
from exchange.network.store import DatabaseReplayGuard
from exchange.records.export import export_seizures
from exchange.records.foreign import import_records
from exchange.records.recordschema import RECORDS_SCHEMA, validate_records
from exchange.services.trust import Agreement, DatabaseTrust, add_peer
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.audit import verify_chain
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.demo.load import DemoPlan, load_demo
from ncen.history import RecordVersion
from ncen.migrate import upgrade
from ncen.persons.models import Person, PersonName
from ncen.persons.services import snapshot as person_snapshot
from ncen.persons.services import update_person
from ncen.pictures.store import PictureStore
from ncen.search.persons import search_persons
from ncen.search.query import PersonQuery
from ncen.seizures.models import Seizure
from ncen.settings import Settings
from ncen.targeting.models import Hit, RiskProfile
from ncen.targeting.profiles import create_profile, set_status
from ncen.watch.models import WatchKind
from ncen.watch.services import add_watch
from tests.bulk_support import normalised_run
from tests.factories import create_user

NOW = datetime.now(UTC).replace(microsecond=0)
OFFICER = Actor.system("exchange")


def _identity(node_id: str) -> NodeIdentity:
    return generate_identity(
        node_id, not_before=NOW - timedelta(days=1), not_after=NOW + timedelta(days=30)
    )


def _register(engine: Engine, own: NodeIdentity, peer: NodeIdentity, country: str) -> None:
    keyset = publish_keyset(peer, signer=peer.signing, serial=1, issued=NOW)
    with Session(engine) as session, session.begin():
        add_peer(
            session,
            OFFICER,
            node_id=peer.node_id,
            country=country,
            endpoint=None,
            keyset=keyset,
            agreement=Agreement(True, frozenset({"H0", "H1", "H2", "H3"})),
            own_node_id=own.node_id,
        )


@pytest.fixture
def nodes(empty_database: Callable[[str], Any], tmp_path: Path) -> Iterator[SimpleNamespace]:
    """A sender "fr" with demo data and two receivers "de" (same identity, two databases),
    each with an analyst watching a name the bundle carries and an active risk profile that
    the bundle's tobacco seizures match."""
    fr, de = _identity("fr"), _identity("de")
    engines = {}
    for name in ("fr", "bulk", "single"):
        urls = empty_database(f"receive_{name}_{uuid.uuid4().hex[:6]}")
        owner = make_engine(urls.owner)
        upgrade(owner, app_role=APP_ROLE)
        owner.dispose()
        engines[name] = make_engine(urls.app)
    _register(engines["fr"], fr, de, "DE")
    load_demo(engines["fr"], DemoPlan(persons=40, seizures=30, seed=11))
    with Session(engines["fr"]) as session:
        watched = session.execute(
            select(PersonName.full_name).order_by(PersonName.full_name).limit(1)
        ).scalar_one()
    analysts = {}
    for name in ("bulk", "single"):
        _register(engines[name], de, fr, "FR")
        with Session(engines[name]) as session, session.begin():
            analyst = Actor.of(create_user(session, Role.ANALYST))
            add_watch(session, analyst, WatchKind.NAME, value=watched, threshold=0.9)
            profile = create_profile(
                session,
                analyst,
                {
                    "name": "received tobacco",
                    "expression": 'commodity_group == "tobacco"',
                    "score": "60",
                },
            )
            set_status(
                session,
                analyst,
                profile.id,
                "active",
                expected_version=profile.version,
                confirm=True,
            )
            analysts[name] = analyst
    yield SimpleNamespace(
        fr=fr, de=de, engines=engines, watched=watched, analysts=analysts, tmp=tmp_path
    )
    for engine in engines.values():
        engine.dispose()


def _national_references(nodes: SimpleNamespace) -> list[str]:
    with Session(nodes.engines["fr"]) as session:
        return list(
            session.execute(
                select(Seizure.reference)
                .where(Seizure.origin_node.is_(None))
                .order_by(Seizure.reference)
            ).scalars()
        )


def _bundle(nodes: SimpleNamespace, references: list[str] | None = None) -> bytes:
    references = _national_references(nodes) if references is None else references
    with Session(nodes.engines["fr"]) as session:
        exported = export_seizures(
            session, PictureStore(nodes.tmp / "fr-pictures"), references, own_node_id="fr"
        )
    sink = io.BytesIO()
    seal_bundle(
        sink,
        sender=nodes.fr,
        recipients=[Recipient("de", nodes.de.current_encryption_key.public, 1)],
        record_sets=exported.record_sets,
        handling_codes=exported.handling_codes,
        records_schema=RECORDS_SCHEMA,
        created=NOW,
        expires=NOW + timedelta(days=7),
    )
    return sink.getvalue()


def _open(session: Session, nodes: SimpleNamespace, bundle: bytes) -> OpenedBundle:
    folder = nodes.tmp / f"open-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    return open_bundle(
        io.BytesIO(bundle),
        my_identity=nodes.de,
        trust=DatabaseTrust(session),
        replay_guard=DatabaseReplayGuard(session),
        now=NOW + timedelta(minutes=1),
        attachment_dir=folder,
        validate_records=validate_records,
    )


def _import(nodes: SimpleNamespace, name: str, opened_or_bundle: Any, *, bulk: bool) -> Any:
    with Session(nodes.engines[name]) as session, session.begin():
        opened = (
            _open(session, nodes, opened_or_bundle)
            if isinstance(opened_or_bundle, bytes)
            else opened_or_bundle
        )
        return import_records(
            session,
            OFFICER,
            opened,
            store=PictureStore(nodes.tmp / f"{name}-pictures"),
            limits=Settings(),
            own_node_id="de",
            bulk=bulk,
        )


def _from_fr(record: Any) -> str | None:
    return record.origin_id if record.origin_node == "fr" else None


def _hits(session: Session) -> list[tuple[Any, ...]]:
    """The risk-profile hits on received seizures, named by origin id instead of row ids."""
    rows = session.execute(
        select(Hit, Seizure.origin_id, RiskProfile.name)
        .join(Seizure, Seizure.id == Hit.seizure_id)
        .join(RiskProfile, RiskProfile.id == Hit.profile_id)
        .where(Seizure.origin_node == "fr")
    ).all()
    return sorted(
        (
            origin_id,
            profile,
            hit.seizure_version,
            hit.trigger_type,
            hit.event,
            hit.score,
            hit.lane.value,
            hit.status.value,
            repr(hit.explanation),
        )
        for hit, origin_id, profile in rows
    )


def test_both_paths_leave_the_same_records_history_audit_and_alerts(nodes):
    bundle = _bundle(nodes)
    bulk_plan = _import(nodes, "bulk", bundle, bulk=True)
    single_plan = _import(nodes, "single", bundle, bulk=False)
    assert bulk_plan.summary() == single_plan.summary()
    assert bulk_plan.totals()["seizures"] >= 30  # the demo plants its networks on top
    runs = {}
    for name in ("bulk", "single"):
        with Session(nodes.engines[name]) as session:
            runs[name] = normalised_run(session, _from_fr)
            assert verify_chain(session) > 0
    bulk, single = runs["bulk"], runs["single"]
    assert len(bulk["stored"]) == sum(bulk_plan.totals().values())
    assert bulk["stored"] == single["stored"]
    assert bulk["history"] == single["history"]
    assert bulk["events"] == single["events"]
    assert bulk["alerts"] == single["alerts"]
    assert bulk["alerts"], "the watched name is in the bundle"
    assert {alert[1] for alert in bulk["alerts"]} == {"import"}
    hits = {}
    for name in ("bulk", "single"):
        with Session(nodes.engines[name]) as session:
            hits[name] = _hits(session)
            tobacco = session.execute(
                select(func.count(func.distinct(Seizure.id))).where(
                    Seizure.origin_node == "fr",
                    Seizure.items.any(commodity_group="tobacco"),
                )
            ).scalar_one()
        assert tobacco, "the demo bundle carries tobacco seizures"
        assert len(hits[name]) == tobacco  # each matching seizure once, no other
    assert hits["bulk"] == hits["single"]


def test_bulk_import_is_searchable_idempotent_and_applies_newer_versions(nodes):
    _import(nodes, "bulk", _bundle(nodes), bulk=True)
    engine = nodes.engines["bulk"]
    with Session(engine) as session:
        hits = search_persons(session, nodes.analysts["bulk"], PersonQuery(nodes.watched)).hits
        assert hits
        assert session.get(Person, hits[0].person_id).origin_node == "fr"
        counts = (
            session.execute(select(func.count()).select_from(Person)).scalar_one(),
            session.execute(select(func.count()).select_from(RecordVersion)).scalar_one(),
        )
    again = _import(nodes, "bulk", _bundle(nodes), bulk=True)  # a new bundle, the same records
    assert sum(again.totals().values()) == 0
    assert not any(again.summary()["updated"].values())
    with Session(engine) as session:
        assert counts == (
            session.execute(select(func.count()).select_from(Person)).scalar_one(),
            session.execute(select(func.count()).select_from(RecordVersion)).scalar_one(),
        )
    with Session(nodes.engines["fr"]) as session, session.begin():  # the originator edits
        person = session.execute(select(Person).order_by(Person.id).limit(1)).scalar_one()
        data = person_snapshot(person) | {
            "birth_year": 1971,
            "birth_month": None,
            "birth_day": None,
        }
        update_person(session, OFFICER, person.id, person.version, data)
        changed = str(person.id)
    newer = _import(nodes, "bulk", _bundle(nodes), bulk=True)
    assert newer.summary()["updated"]["persons"] == 1
    with Session(engine) as session:
        received = session.execute(
            select(Person).where(Person.origin_node == "fr", Person.origin_id == changed)
        ).scalar_one()
        assert (received.version, received.birth_year) == (2, 1971)
        history = (
            session.execute(
                select(RecordVersion)
                .where(RecordVersion.record_id == received.id)
                .order_by(RecordVersion.id)
            )
            .scalars()
            .all()
        )
        assert [h.kind.value for h in history] == ["create", "update"]
        assert history[-1].changes["birth_year"][1] == 1971
        assert verify_chain(session) > 0


def test_a_refused_record_imports_nothing_of_the_bundle(nodes, monkeypatch):
    # Small batches: records before the refused one are written, and must go with the rest.
    monkeypatch.setattr("exchange.records.bulk.BATCH_RECORDS", 5)
    bundle = _bundle(nodes)
    engine = nodes.engines["bulk"]
    with Session(engine) as session:
        opened = _open(session, nodes, bundle)
    [record_set] = opened.record_sets
    records = dict(record_set.records)
    seizures = [dict(s) for s in records["seizures"]]
    last = seizures[-1]
    last["items"] = [dict(last["items"][0], commodity_group="no-such-group")]
    records["seizures"] = seizures
    tampered = dataclasses.replace(
        opened, record_sets=(dataclasses.replace(record_set, records=records),)
    )
    with pytest.raises(RecordImportError, match="commodity_group"):
        _import(nodes, "bulk", tampered, bulk=True)
    with Session(engine) as session:
        for model in (Seizure, Person):
            assert session.execute(select(func.count()).select_from(model)).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(RecordVersion)).scalar_one() == 0


def _halves(nodes: SimpleNamespace) -> tuple[bytes, bytes, set[str]]:
    """Two bundles of half the seizures each, and the origin ids of the persons both carry."""
    references = _national_references(nodes)
    middle = len(references) // 2
    first, second = _bundle(nodes, references[:middle]), _bundle(nodes, references[middle:])
    with Session(nodes.engines["bulk"]) as session:
        carried = [
            {p["id"] for p in _open(session, nodes, bundle).record_sets[0].records["persons"]}
            for bundle in (first, second)
        ]
    shared = carried[0] & carried[1]
    assert shared, "the demo's networks link persons to seizures of both halves"
    return first, second, shared


def test_a_later_bundle_links_records_received_before_without_a_query_per_seizure(nodes):
    first, second, _shared = _halves(nodes)
    for name, bulk in (("bulk", True), ("single", False)):
        _import(nodes, name, first, bulk=bulk)
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = nodes.engines["bulk"]
    event.listen(engine, "before_cursor_execute", note)
    try:
        _import(nodes, "bulk", second, bulk=True)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    _import(nodes, "single", second, bulk=False)
    # The link targets of the persons, companies and conveyances received with the first bundle
    # were known live from the plan: no existence query per seizure.
    existence = [
        s
        for s in statements
        if any(
            s.startswith(f"SELECT {table}.id \nFROM {table} \nWHERE {table}.id IN")
            for table in ("persons", "companies", "conveyances")
        )
    ]
    assert existence == []
    runs = {}
    for name in ("bulk", "single"):
        with Session(nodes.engines[name]) as session:
            runs[name] = normalised_run(session, _from_fr)
    assert runs["bulk"]["stored"] == runs["single"]["stored"]
    assert runs["bulk"]["history"] == runs["single"]["history"]
    assert runs["bulk"]["events"] == runs["single"]["events"]


@pytest.mark.parametrize("bulk", [True, False])
def test_a_later_bundle_linking_a_retracted_record_is_refused_on_both_paths(nodes, bulk):
    first, second, shared = _halves(nodes)
    name = "bulk" if bulk else "single"
    _import(nodes, name, first, bulk=bulk)
    retracted = sorted(shared)[0]
    engine = nodes.engines[name]
    with Session(engine) as session, session.begin():
        session.execute(
            update(Person)
            .where(Person.origin_node == "fr", Person.origin_id == retracted)
            .values(deleted_at=NOW)
        )
        before = session.execute(select(func.count()).select_from(Seizure)).scalar_one()
    with pytest.raises(RecordImportError, match="no person"):
        _import(nodes, name, second, bulk=bulk)
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Seizure)).scalar_one() == before
