"""The demo data's planted networks and concealment pictures (`ncen.demo.cast`, `.gallery`).

A small demo load must contain the rings as documented (shared company, conveyance, phones,
address, e-mail, passports, over 18 months on one route, a foreign record), the hub, and the
pictures with their files and near-duplicates; and a load that fails half-way leaves no row.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ncen import migrate
from ncen.accounts.actor import Actor
from ncen.audit import flush_events
from ncen.companies.models import PersonCompany
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.demo.cast import (
    COMPANIES,
    FOREIGN_NODE,
    HUB_EVERY,
    PASSPORT_TURSUNOV,
    PHONE_BURNER,
    SEIZURES,
)
from ncen.demo.gallery import PICTURES, DemoPicture, render
from ncen.demo.load import DemoPlan, load_demo, load_demo_into
from ncen.demo.rings import HUB_COMPANY_ID, planted_count, planted_id
from ncen.persons.models import IdentityDocument, Person, PersonAddress, PersonContact
from ncen.pictures.models import Picture, PictureLink
from ncen.pictures.processing import hamming_distance, inspect_upload
from ncen.pictures.queries import similar_pictures
from ncen.pictures.store import Kind, PictureStore
from ncen.seizures.models import (
    Seizure,
    SeizureCompany,
    SeizureConveyance,
    SeizurePerson,
    SeizureTransitCountry,
)

SMALL = DemoPlan(persons=40, seizures=60, seed=3)


def _seizures_of(session: Session, table: type, column: str, record_id: object) -> set[str]:
    return set(
        session.execute(
            select(Seizure.reference)
            .join(table, table.seizure_id == Seizure.id)
            .where(getattr(table, column) == record_id)
        ).scalars()
    )


def test_small_load_contains_the_planted_rings_and_the_hub(session: Session) -> None:
    counts = load_demo_into(session, SMALL)
    assert counts["planted"] == planted_count()
    assert counts["pictures"] == 0  # no store given
    ring_a = {s.reference for s in SEIZURES if s.reference.startswith("DEMO-A-")}
    assert len(ring_a) == 10

    # The courier ring's company: officers, and carrier or consignee on most of its seizures.
    pamir = planted_id("company:PAMIR")
    officers = session.execute(
        select(PersonCompany.person_id).where(PersonCompany.company_id == pamir)
    ).scalars()
    assert len(set(officers)) >= 5
    assert len(_seizures_of(session, SeizureCompany, "company_id", pamir) & ring_a) >= 6

    # The same truck in five seizures, the same container in four (and its foreign sighting).
    truck = _seizures_of(
        session, SeizureConveyance, "conveyance_id", planted_id("conveyance:TRUCK_A")
    )
    assert len(truck) == 5
    box = _seizures_of(session, SeizureConveyance, "conveyance_id", planted_id("conveyance:BOX_B"))
    assert len(box) == 4

    # A burner phone shared by three persons who are in at least four different seizures.
    burner = session.execute(
        select(PersonContact.person_id).where(PersonContact.value_norm == "+992935551842")
    ).scalars()
    holders = set(burner)
    assert len(holders) == 3
    assert PHONE_BURNER.replace(" ", "") == "+992935551842"
    their_seizures = set()
    for person_id in holders:
        their_seizures |= _seizures_of(session, SeizurePerson, "person_id", person_id)
    assert len(their_seizures) >= 4
    # A safe-house address and an e-mail address, each shared.
    addresses = session.execute(
        select(PersonAddress.line, func.count())
        .group_by(PersonAddress.line)
        .having(func.count() > 2)
    ).all()
    assert [line for line, _ in addresses] == ["ул. Толе би 286, кв. 14"]
    mails = session.execute(
        select(func.count()).where(PersonContact.value_norm == "pamir.cargo.2025@example.com")
    ).scalar_one()
    assert mails == 2

    # Over 18 months, on one route: Afghanistan -> Tajikistan -> ... -> Russia.
    dates = (
        session.execute(select(Seizure.occurred_at).where(Seizure.reference.in_(ring_a)))
        .scalars()
        .all()
    )
    assert max(dates) - min(dates) >= timedelta(days=500)
    afghan = (
        session.execute(
            select(Seizure.id).where(
                Seizure.reference.in_(ring_a),
                Seizure.departure_country == "AF",
                Seizure.destination_country == "RU",
            )
        )
        .scalars()
        .all()
    )
    transit = (
        session.execute(
            select(SeizureTransitCountry.country).where(
                SeizureTransitCountry.seizure_id.in_(afghan)
            )
        )
        .scalars()
        .all()
    )
    assert len(afghan) >= 4
    assert transit.count("TJ") == len(afghan)

    # Ring B's foreign record: received, and sharing a passport with a national person.
    foreign = session.execute(
        select(Seizure).where(Seizure.reference == f"{FOREIGN_NODE}/UZ-TAS-2026-00187")
    ).scalar_one()
    assert (foreign.origin_node, foreign.origin_id) == (FOREIGN_NODE, "UZ-TAS-2026-00187")
    holders_of_passport = (
        session.execute(
            select(Person.origin_node)
            .join(IdentityDocument, IdentityDocument.person_id == Person.id)
            .where(IdentityDocument.number_norm == PASSPORT_TURSUNOV)
        )
        .scalars()
        .all()
    )
    assert sorted(holders_of_passport, key=str) == sorted([None, FOREIGN_NODE], key=str)

    # The hub: its planted seizures plus one generated seizure in HUB_EVERY.
    hub = _seizures_of(session, SeizureCompany, "company_id", HUB_COMPANY_ID)
    planted_hub = {s.reference for s in SEIZURES if any(k == "HUB" for k, _ in s.companies)}
    assert planted_hub <= hub
    assert len(hub - planted_hub) == len(range(0, SMALL.seizures, HUB_EVERY))

    # Generated companies: every other one has a director among the generated persons.
    directors = session.execute(
        select(func.count()).where(PersonCompany.role == "director")
    ).scalar_one()
    planted_directors = sum(r == "director" for c in COMPANIES for _, r in c.officers)
    assert directors - planted_directors == (SMALL.company_count + 1) // 2

    # Every planted record has its first history version; a second load plants nothing.
    versions = session.execute(
        text("SELECT count(*) FROM record_versions WHERE record_id = ANY(:ids)"),
        {"ids": [planted_id(f"seizure:{s.reference}") for s in SEIZURES]},
    ).scalar_one()
    assert versions == len(SEIZURES)
    # A second load (ncen demo --force), even with the same seed, adds generated records only,
    # numbered after the first load's references instead of clashing with them.
    again = load_demo_into(session, DemoPlan(persons=5, seizures=10, seed=SMALL.seed))
    assert (again["planted"], again["seizures"]) == (0, 10)
    generated = session.execute(
        select(func.count()).where(Seizure.reference.like("DEMO-____-_______"))
    ).scalar_one()
    assert generated == SMALL.seizures + 10


def test_pictures_are_stored_like_uploads_with_near_duplicates(session: Session, tmp_path) -> None:
    store = PictureStore(tmp_path / "pictures")
    counts = load_demo_into(
        session, DemoPlan(persons=0, seizures=0, companies=0, conveyances=0), pictures=store
    )
    assert counts["pictures"] == len(PICTURES) >= 25
    pictures = session.execute(
        select(Picture, Seizure.reference, Seizure.origin_node)
        .join(PictureLink, PictureLink.picture_id == Picture.id)
        .join(Seizure, Seizure.id == PictureLink.seizure_id)
    ).all()
    assert len(pictures) == len(PICTURES)
    for picture, _, _ in pictures:
        for kind in Kind:
            assert store.exists(kind, picture.sha256), (kind, picture.sha256)
        assert picture.concealment_method is not None
        assert picture.caption
    assert any(origin == FOREIGN_NODE for _, _, origin in pictures)

    # Near-duplicates (same scene and layout) are close; every other pair is far apart.
    key_of = {}
    for demo in PICTURES:
        for picture, reference, _ in pictures:
            if reference == demo.seizure and picture.caption == demo.caption:
                key_of[picture.id] = demo.key
    assert len(key_of) == len(PICTURES)
    near, far = [], []
    for (a, _, _), (b, _, _) in itertools.combinations(pictures, 2):
        distance = hamming_distance(a.phash, b.phash)
        (near if key_of[a.id] == key_of[b.id] else far).append(distance)
    assert len(near) >= 8
    assert max(near) <= 6
    assert min(far) >= 10

    # "Find similar" from the national container scan finds its foreign near-duplicate.
    groups = defaultdict(list)
    for picture, reference, origin in pictures:
        groups[key_of[picture.id]].append((picture, reference, origin))
    original = next(p for p, ref, _ in groups["container:1"] if ref == "DEMO-B-01")
    found = similar_pictures(session, Actor.system("test"), original.phash)
    assert {p.id for p, _ in found} == {p.id for p, _, _ in groups["container:1"]}
    assert FOREIGN_NODE in {o for _, _, o in groups["container:1"]}
    # An upload that is not stored (the suitcase scan shifted and brightened) finds its two.
    query = DemoPicture("suitcase", 1, "-", "-", "shifted+brightened", "JPEG")
    probed = inspect_upload(render(query), max_bytes=2**24, max_pixels=10**7)
    found = similar_pictures(session, Actor.system("test"), probed.phash)
    assert {p.id for p, _ in found} == {p.id for p, _, _ in groups["suitcase:1"]}

    # Each attachment went through the service: a new version, history and audit.
    flush_events(session)
    uploads = session.execute(
        text("SELECT count(*) FROM audit_events WHERE action = 'picture.upload'")
    ).scalar_one()
    assert uploads == len(PICTURES)
    a02 = session.get(Seizure, planted_id("seizure:DEMO-A-02"))
    assert a02 is not None
    assert a02.version == 1 + sum(p.seizure == "DEMO-A-02" for p in PICTURES)


@pytest.fixture
def node(empty_database, monkeypatch):
    db = empty_database("ncen_demo_networks")
    owner = make_engine(db.owner)
    migrate.upgrade(owner, app_role=APP_ROLE)
    owner.dispose()
    engine = make_engine(db.app)
    yield engine
    engine.dispose()


def test_a_load_that_fails_half_way_leaves_no_row(node, tmp_path) -> None:
    store = PictureStore(tmp_path / "pictures")

    def fail_after_pictures(kind: str, _n: int) -> None:
        if kind == "pictures":  # everything is written by now, pictures included
            raise RuntimeError("interrupted")

    plan = DemoPlan(persons=20, seizures=20, seed=5)
    with pytest.raises(RuntimeError, match="interrupted"):
        load_demo(node, plan, fail_after_pictures, pictures=store)
    tables = (
        "persons", "companies", "conveyances", "seizures", "pictures", "picture_links",
        "person_contacts", "person_companies", "record_versions", "audit_events",
    )  # fmt: skip
    with node.connect() as conn:
        for table in tables:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table
    # The files written before the failure are harmless and reused by the next load.
    counts = load_demo(node, plan, pictures=store)
    assert counts["planted"] == planted_count()
    assert counts["pictures"] == len(PICTURES)
