"""Concealment-picture similarity on real PostgreSQL: hashes, the indexed search, the gallery,
received/national near-duplicates and the rehash step.

Near-duplicates are real edits of a generated concealment scene (re-encoded JPEG, resized,
slightly cropped, brightened); the index test loads enough synthetic hash rows for the planner
to prefer the chunk indexes and reads the plan.
"""

from __future__ import annotations

import io
import random
import uuid

import pytest
from PIL import Image, ImageEnhance
from sqlalchemy import insert, select, text

from ncen.analysis.picture_gallery import cross_duplicates, duplicate_flags, gallery_page
from ncen.analysis.picture_index import Hashes, scan_statement, search_statement
from ncen.analysis.picture_search import similar_to_picture, similar_to_upload
from ncen.audit import AuditEvent, flush_events
from ncen.errors import NotFoundError, PermissionDeniedError, ValidationError
from ncen.pictures.hashing import chunks, dct_hash, hash_row, to_hex, to_signed
from ncen.pictures.models import Picture, PictureHash, PictureLink
from ncen.pictures.rehash import RehashReport, rehash_some
from ncen.pictures.services import add_pictures
from ncen.pictures.store import PictureStore
from ncen.seizures.queries import SeizureFilters
from ncen.seizures.services import delete_seizure, record_seizure
from tests.conftest import make_actor
from tests.factories import seizure_data
from tests.integration.test_pictures import LIMITS, count, encode, scene, stored_files


@pytest.fixture
def store(tmp_path) -> PictureStore:
    return PictureStore(tmp_path / "pictures")


def jpeg_of(im: Image.Image, quality: int = 85) -> bytes:
    return encode(im, "JPEG", quality=quality)


def attach(session, actor, store, data: bytes, *, foreign: str | None = None, **seizure) -> Picture:
    """A new seizure (received from ``foreign`` when given) showing one picture."""
    with session.begin():
        record = record_seizure(session, actor, seizure_data(**seizure))
        (picture,) = add_pictures(
            session, actor, store, LIMITS, [("p.jpg", data)], seizure_id=record.id
        )
        if foreign:
            record.origin_node = foreign
    return picture


BASE = scene(1200, 900, seed=71)
EDITS = {
    "re-encoded": lambda im: Image.open(io.BytesIO(jpeg_of(im, 35))).convert("RGB"),
    "resized": lambda im: im.resize((480, 360)),
    "cropped": lambda im: im.crop((30, 20, 1170, 880)),
    "brightened": lambda im: ImageEnhance.Brightness(im).enhance(1.15),
}


def test_hash_forms_round_trip():
    for value in ("0000000000000000", "ffffffffffffffff", "8000000000000001", "0123456789abcdef"):
        signed = to_signed(value)
        assert -(2**63) <= signed < 2**63
        assert to_hex(signed) == value
    assert chunks(to_signed("0123456789abcdef")) == (0x0123, 0x4567, 0x89AB, 0xCDEF)
    assert len(dct_hash(BASE)) == 16


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_near_duplicate_is_found_first_and_an_unrelated_picture_is_not(
    session, investigator, analyst, store, edit
):
    original = attach(session, investigator, store, jpeg_of(BASE))
    unrelated = attach(session, investigator, store, jpeg_of(scene(1200, 900, seed=72)))
    copy = jpeg_of(EDITS[edit](BASE))
    with session.begin():
        query, hits = similar_to_upload(session, analyst, copy, LIMITS)
    assert hits, f"the {edit} copy found nothing"
    assert hits[0].picture.id == original.id
    assert hits[0].distance == hits[0].phash_distance + hits[0].dhash_distance <= 22
    assert hits[0].seizures
    assert hits[0].seizures[0].reference
    assert unrelated.id not in [h.picture.id for h in hits]
    assert query.picture_id is None


def test_results_are_ordered_and_the_source_is_excluded(session, investigator, analyst, store):
    source = attach(session, investigator, store, jpeg_of(BASE))
    near = attach(session, investigator, store, jpeg_of(BASE.resize((600, 450)), 60))
    farther = attach(session, investigator, store, jpeg_of(EDITS["cropped"](BASE)))
    with session.begin():
        query, hits = similar_to_picture(session, analyst, source.id)
    assert query.picture_id == source.id
    ids = [h.picture.id for h in hits]
    assert source.id not in ids
    assert ids[:2] == [near.id, farther.id]
    assert [h.distance for h in hits] == sorted(h.distance for h in hits)
    flush_events(session)
    event = session.execute(
        select(AuditEvent).where(AuditEvent.action == "picture.list").order_by(AuditEvent.id.desc())
    ).scalar()
    assert event is not None
    assert event.details["similar_to"] == str(source.id)
    assert str(near.id) in event.details["pictures"]


def test_an_upload_is_never_stored(session, investigator, analyst, store):
    attach(session, investigator, store, jpeg_of(BASE))
    files_before = stored_files(store)
    with session.begin():
        rows_before = count(session, Picture), count(session, PictureHash)
    probe = jpeg_of(EDITS["brightened"](BASE))
    with session.begin():
        query, hits = similar_to_upload(session, analyst, io.BytesIO(probe), LIMITS)
    assert hits
    assert stored_files(store) == files_before
    with session.begin():
        assert (count(session, Picture), count(session, PictureHash)) == rows_before
        stored = session.execute(select(Picture).where(Picture.sha256 == query.sha256)).scalar()
    assert stored is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 this is not a picture", "only JPEG, PNG"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "damaged"),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused(session, analyst, data, message):
    with pytest.raises(ValidationError, match=message) as caught, session.begin():
        similar_to_upload(session, analyst, data, LIMITS)
    assert set(caught.value.errors) == {"file"}


def test_a_huge_picture_is_refused_before_decoding(session, analyst):
    from tests.integration.test_pictures import png_declaring

    with pytest.raises(ValidationError, match="megapixels"), session.begin():
        similar_to_upload(session, analyst, png_declaring(50_000, 50_000), LIMITS)


def test_bad_threshold_and_limit_are_refused(session, analyst):
    with pytest.raises(ValidationError) as caught, session.begin():
        similar_to_upload(session, analyst, jpeg_of(BASE), LIMITS, max_distance=-1, limit=0)
    assert set(caught.value.errors) == {"max_distance", "limit"}


def test_deleted_seizures_hide_their_pictures(session, investigator, supervisor, analyst, store):
    shown = attach(session, investigator, store, jpeg_of(BASE))
    hidden = attach(session, investigator, store, jpeg_of(BASE.resize((700, 525))))
    with session.begin():
        seizure_id = session.execute(
            select(PictureLink.seizure_id).where(PictureLink.picture_id == hidden.id)
        ).scalar_one()
        from ncen.seizures.models import Seizure

        seizure = session.get(Seizure, seizure_id)
        delete_seizure(session, supervisor, seizure_id, seizure.version)
    with session.begin():
        _, hits = similar_to_upload(session, analyst, jpeg_of(BASE), LIMITS)
    assert [h.picture.id for h in hits] == [shown.id]
    with pytest.raises(NotFoundError), session.begin():
        similar_to_picture(session, analyst, hidden.id)
    with session.begin():
        page = gallery_page(session, analyst, SeizureFilters())
    assert hidden.id not in {i.picture.id for i in page.items}
    assert page.total == len(page.items) == 1


def test_search_needs_the_right_to_read_records(session, analyst, store):
    from ncen.accounts.models import Role

    admin = make_actor(session, Role.ADMINISTRATOR)
    with pytest.raises(PermissionDeniedError), session.begin():
        similar_to_upload(session, admin, jpeg_of(BASE), LIMITS)
    with pytest.raises(PermissionDeniedError), session.begin():
        gallery_page(session, admin, SeizureFilters())


def test_gallery_filters(session, investigator, analyst, store):
    air = attach(
        session,
        investigator,
        store,
        jpeg_of(scene(seed=81)),
        transport_mode="air",
        departure_country="TR",
        concealment_methods=["body_internal"],
    )
    road = attach(session, investigator, store, jpeg_of(scene(seed=82)))
    with session.begin():
        every = gallery_page(session, analyst, SeizureFilters())
        by_mode = gallery_page(session, analyst, SeizureFilters(transport_mode="air"))
        by_country = gallery_page(session, analyst, SeizureFilters(country="TR"))
        by_method = gallery_page(
            session, analyst, SeizureFilters(), concealment_method="body_internal"
        )
        by_group = gallery_page(session, analyst, SeizureFilters(commodity_group="drugs"))
    assert {i.picture.id for i in every.items} == {air.id, road.id}
    assert [i.picture.id for i in by_mode.items] == [air.id]
    assert [i.picture.id for i in by_country.items] == [air.id]
    assert [i.picture.id for i in by_method.items] == [air.id]
    assert by_group.items == []
    flush_events(session)
    events = session.execute(
        select(AuditEvent).where(AuditEvent.action == "seizure.list").order_by(AuditEvent.id)
    ).scalars()
    details = [e.details for e in events if e.details.get("view") == "picture gallery"]
    assert details[1]["transport_mode"] == "air"
    assert len(details[1]["seizures"]) == 1


def test_received_and_national_near_duplicates_are_flagged(session, investigator, analyst, store):
    national = attach(session, investigator, store, jpeg_of(BASE))
    received = attach(session, investigator, store, jpeg_of(BASE.resize((800, 600))), foreign="KZ1")
    lonely = attach(session, investigator, store, jpeg_of(scene(1200, 900, seed=90)), foreign="KZ1")
    other_national = attach(session, investigator, store, jpeg_of(scene(1200, 900, seed=91)))
    with session.begin():
        flags = duplicate_flags(session, [national.id, received.id, lonely.id, other_national.id])
        listed = cross_duplicates(session, analyst)
    assert set(flags) == {national.id, received.id}
    assert flags[national.id][0][0] == received.id
    assert flags[received.id][0][0] == national.id
    assert [(p.received.id, p.national.id) for p in listed.pairs] == [(received.id, national.id)]
    pair = listed.pairs[0]
    assert pair.received_seizures[0].origin_node == "KZ1"
    assert pair.national_seizures[0].origin_node is None
    assert listed.checked == 2
    assert not listed.capped
    with session.begin():
        page = gallery_page(session, analyst, SeizureFilters())
    assert set(page.duplicates) == {national.id, received.id}


def _synthetic(n: int, seed: int) -> tuple[list[dict], list[dict]]:
    """``n`` picture rows with random hashes (no files needed) and their hash rows."""
    rng = random.Random(seed)
    pictures, hashes = [], []
    for _ in range(n):
        pid = uuid.uuid4()
        p, d = (f"{rng.getrandbits(64):016x}" for _ in range(2))
        pictures.append(
            {
                "id": pid,
                "sha256": f"{rng.getrandbits(256):064x}",
                "mime_type": "image/jpeg",
                "width": 10,
                "height": 10,
                "size_bytes": 100,
                "phash": d,
            }
        )
        hashes.append(hash_row(pid, p, d))
    return pictures, hashes


@pytest.fixture
def many_hashes(engine, owner_engine):
    """20,000 committed picture and hash rows, analysed as the owner (the app role may not
    ANALYZE) as autovacuum would. Requested before ``session`` so that it is removed after the
    test transaction (which links them to a seizure) has rolled back."""
    from sqlalchemy.orm import Session

    pictures, hashes = _synthetic(20_000, seed=5)
    with Session(engine) as setup, setup.begin():
        setup.execute(insert(Picture), pictures)
        setup.execute(insert(PictureHash), hashes)
    with owner_engine.connect() as owner:
        owner.execute(text("ANALYZE picture_hashes"))
        owner.commit()
    yield pictures, hashes
    with Session(engine) as cleanup, cleanup.begin():
        cleanup.execute(
            Picture.__table__.delete().where(Picture.id.in_([p["id"] for p in pictures]))
        )


def test_the_search_uses_the_chunk_indexes_and_agrees_with_a_scan(
    many_hashes, session, investigator, store
):
    pictures, hashes = many_hashes
    attach(session, investigator, store, jpeg_of(BASE))
    with session.begin():
        seizure_id = session.execute(select(PictureLink.seizure_id).limit(1)).scalar_one()
        session.execute(
            insert(PictureLink),
            [
                {"id": uuid.uuid4(), "picture_id": p["id"], "seizure_id": seizure_id}
                for p in pictures
            ],
        )
        row = hashes[123]
        # a near copy of one synthetic picture: 3 + 4 bits flipped
        near = Hashes(row["phash"] ^ 0b10101, row["dhash"] ^ (0b1111 << 20))
        stmt = search_statement(near, limit=10)
        compiled = stmt.compile(dialect=session.get_bind().dialect)
        plan = "\n".join(
            r[0]
            for r in session.connection().exec_driver_sql(
                "EXPLAIN " + compiled.string, compiled.params
            )
        )
        found = session.execute(stmt).all()
        scanned = session.execute(scan_statement(near, limit=10)).all()
    for index in ("p0", "p3", "d0", "d3"):
        assert f"Bitmap Index Scan on ix_picture_hashes_{index}" in plan, plan
    assert "Seq Scan on picture_hashes" not in plan
    assert found == scanned
    assert found[0].picture_id == row["picture_id"]
    assert found[0].dp + found[0].dd == 7


def test_rehash_fills_missing_hashes(session, investigator, store):
    """Pictures stored before the index get their hashes from the store; a lost file is named."""
    picture = attach(session, investigator, store, jpeg_of(BASE))
    lost = attach(session, investigator, store, jpeg_of(scene(seed=95)))
    with session.begin():
        expected = session.get(PictureHash, picture.id)
        expected_row = (expected.phash, expected.dhash)
        session.execute(PictureHash.__table__.delete())
    for path in store.root.rglob(f"{lost.sha256}*"):
        path.unlink()
    report = RehashReport()
    with session.begin():
        tried = rehash_some(session, store, report)
    assert set(tried) >= {picture.id, lost.id}
    assert report.hashed == len(tried) - 1
    assert list(report.failed) == [lost.sha256]
    with session.begin():
        row = session.get(PictureHash, picture.id)
        assert (row.phash, row.dhash) == expected_row
        assert session.get(PictureHash, lost.id) is None


def test_the_same_file_in_a_received_and_a_national_seizure_is_flagged(
    session, investigator, analyst, store
):
    data = jpeg_of(BASE)
    national = attach(session, investigator, store, data)
    received = attach(session, investigator, store, data, foreign="KZ1")
    assert national.id == received.id  # one row per content
    with session.begin():
        flags = duplicate_flags(session, [national.id])
        listed = cross_duplicates(session, analyst)
    assert flags == {national.id: [(national.id, 0)]}
    assert [(p.received.id, p.national.id, p.distance) for p in listed.pairs] == [
        (national.id, national.id, 0)
    ]
