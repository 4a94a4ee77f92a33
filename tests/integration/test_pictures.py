"""Picture services and queries on real PostgreSQL, with the content store in a temporary folder.

Covers: attaching several uploads at once, all-or-nothing refusals (nothing in the database and
nothing in the store), one row per content with several links, version/history/audit of the
record, permissions (who may add, read, download originals), integrity of sealed originals.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from ncen.accounts.models import Role
from ncen.analysis.picture_search import similar_to_picture
from ncen.audit import AuditEvent, verify_chain
from ncen.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ncen.history import ChangeKind, RecordVersion, list_versions
from ncen.persons.services import create_person
from ncen.pictures.models import Picture, PictureLink
from ncen.pictures.queries import (
    get_picture,
    links_of,
    open_display,
    open_original,
    open_thumbnail,
    pictures_for,
    similar_pictures,
)
from ncen.pictures.services import add_pictures, unlink_picture, update_picture
from ncen.pictures.store import Kind, PictureIntegrityError, PictureStore
from ncen.seizures.services import delete_seizure, record_seizure
from ncen.settings import Settings
from tests.conftest import make_actor
from tests.factories import person_data, seizure_data

GPS = 0x8825


def scene(width: int = 640, height: int = 480, seed: int = 1) -> Image.Image:
    rng = random.Random(seed)
    im = Image.new("RGB", (width, height), (30, 90, rng.randrange(256)))
    draw = ImageDraw.Draw(im)
    for _ in range(20):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        box = (x0, y0, x0 + rng.randrange(20, width // 2), y0 + rng.randrange(20, height // 2))
        draw.rectangle(box, fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    return im


def encode(im: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def jpeg(seed: int = 1, **params: object) -> bytes:
    return encode(scene(seed=seed), "JPEG", **params)


def png_declaring(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class Limits:
    """Small limits so that refusals need small files (`Settings` is checked separately)."""

    max_upload_mb: int = 1
    max_picture_pixels: int = 4_000_000


LIMITS = Limits()


@pytest.fixture
def store(tmp_path) -> PictureStore:
    return PictureStore(tmp_path / "pictures")


@pytest.fixture
def seizure(session, investigator):
    with session.begin():
        return record_seizure(session, investigator, seizure_data())


def count(session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def stored_files(store: PictureStore) -> list[str]:
    return (
        sorted(p.name for p in store.root.rglob("*") if p.is_file()) if store.root.exists() else []
    )


def events(session, action: str) -> list[AuditEvent]:
    return list(
        session.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).scalars()
    )


# --- adding ------------------------------------------------------------------------------------


def test_add_several_pictures_to_a_seizure(session, investigator, store, seizure):
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[GPS] = {1: "N", 2: (43.0, 15.0, 30.5), 3: "E", 4: (76.0, 57.0, 0.0)}
    photo = jpeg(exif=exif.tobytes())
    files = [
        ("IMG_0001.JPG", photo),
        ("scan.png", io.BytesIO(encode(scene(seed=2), "PNG"))),
        ("phone.webp", encode(scene(seed=3), "WEBP")),
    ]
    with session.begin():
        pictures = add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            files,
            caption="Cigarettes behind the tiles",
            concealment_method="within_cargo",
            seizure_id=seizure.id,
        )

    assert [p.mime_type for p in pictures] == ["image/jpeg", "image/png", "image/webp"]
    first = pictures[0]
    assert first.sha256 == hashlib.sha256(photo).hexdigest()
    assert (first.width, first.height) == (480, 640)  # orientation 6 applied
    assert first.size_bytes == len(photo)
    assert first.caption == "Cigarettes behind the tiles"
    assert first.concealment_method == "within_cargo"
    assert first.uploaded_by_id == investigator.user_id
    assert len(first.phash) == 16

    # The sealed original is byte for byte the upload; the derivatives carry no GPS.
    assert store.read_original(first.sha256) == photo
    for kind in (Kind.DISPLAY, Kind.THUMBNAIL):
        derivative = Image.open(io.BytesIO(store.read_derivative(kind, first.sha256)))
        assert not derivative.getexif().get_ifd(GPS)
        assert derivative.height > derivative.width

    attached = pictures_for(session, seizure_id=seizure.id)
    assert {a.picture.id for a in attached} == {p.id for p in pictures}

    # One change of the case: version moved once, one history row showing the pictures.
    assert seizure.version == 2
    versions = list_versions(session, "seizure", seizure.id)
    assert [v.kind for v in versions] == [ChangeKind.CREATE, ChangeKind.LINK]
    assert sorted(versions[-1].changes["pictures"][1]) == sorted(p.sha256 for p in pictures)
    assert versions[-1].changes["pictures"][0] == []
    uploads = events(session, "picture.upload")
    assert [e.details["filename"] for e in uploads] == ["IMG_0001.JPG", "scan.png", "phone.webp"]
    link_event = events(session, "seizure.link")[-1]
    assert {p["sha256"] for p in link_event.details["pictures"]} == {p.sha256 for p in pictures}
    verify_chain(session)


def test_settings_limits_are_used(session, investigator, store, seizure):
    two_mb_png = encode(Image.effect_noise((1024, 1024), 120).convert("RGB"), "PNG")
    assert len(two_mb_png) > 2**20
    with session.begin():
        add_pictures(
            session,
            investigator,
            store,
            Settings(max_upload_mb=20),
            [("noise.png", two_mb_png)],
            seizure_id=seizure.id,
        )
    with pytest.raises(ValidationError, match="picture too large"), session.begin():
        add_pictures(
            session,
            investigator,
            store,
            Settings(max_upload_mb=1),
            [("noise2.png", two_mb_png + b"")],
            seizure_id=seizure.id,
        )


# --- refusals: all or nothing ------------------------------------------------------------------


REFUSED = {
    "bmp": (
        encode(scene(), "BMP"),
        "photo.bmp",
        "only JPEG, PNG, WebP, GIF or TIFF pictures are accepted (this file is a BMP image)",
    ),
    "svg_named_jpg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "innocent.jpg",
        "an SVG drawing",
    ),
    "html_named_jpg": (b"<html><script>alert(1)</script></html>", "x.jpg", "an HTML page"),
    "text_named_png": (b"hello, I am text\n", "notes.png", "not a picture"),
    "truncated_jpeg": (jpeg()[:3000], "cut.jpg", "damaged or incomplete"),
    "bomb": (png_declaring(30_000, 30_000), "bomb.png", "decompression bomb"),
    "too_many_pixels": (png_declaring(3000, 3000), "big.png", "too many pixels"),
    "oversized": (b"\xff\xd8\xff" + bytes(3 * 2**20), "huge.jpg", "picture too large: 3 MB"),
    "animated": (
        encode(scene(), "PNG", save_all=True, append_images=[scene(seed=5)]),
        "anim.png",
        "animated pictures are not accepted",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_upload_writes_nothing(session, investigator, store, seizure, case):
    data, name, message = REFUSED[case]
    counts = {m: count(session, m) for m in (Picture, PictureLink, AuditEvent, RecordVersion)}
    session.commit()
    with pytest.raises(ValidationError) as caught, session.begin():
        add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [("good.jpg", jpeg()), (name, data)],
            seizure_id=seizure.id,
        )
    assert list(caught.value.errors) == ["files.1"]
    assert caught.value.errors["files.1"].startswith(f"{name}: ")
    assert message in caught.value.errors["files.1"]
    assert {m: count(session, m) for m in counts} == counts
    assert stored_files(store) == []  # not even the good file: nothing is stored before all pass
    session.refresh(seizure)
    assert seizure.version == 1


def test_every_problem_reported_at_once(session, investigator, store, seizure):
    with pytest.raises(ValidationError) as caught, session.begin():
        add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [("a.bmp", REFUSED["bmp"][0]), ("ok.jpg", jpeg()), ("b.txt", b"text")],
            caption="bad\x07caption",
            concealment_method="under_the_moon",
            seizure_id=seizure.id,
        )
    assert set(caught.value.errors) == {"files.0", "files.2", "caption", "concealment_method"}
    assert "unknown code" in caught.value.errors["concealment_method"]


def test_no_files_and_too_many_files(session, investigator, store, seizure):
    with pytest.raises(ValidationError) as caught, session.begin():
        add_pictures(session, investigator, store, LIMITS, [], seizure_id=seizure.id)
    assert caught.value.errors == {"files": "choose at least one picture"}
    with pytest.raises(ValidationError) as caught, session.begin():
        add_pictures(
            session, investigator, store, LIMITS, [("x.jpg", b"")] * 21, seizure_id=seizure.id
        )
    assert "at most 20" in caught.value.errors["files"]


def test_exactly_one_record_and_it_must_be_live(session, investigator, supervisor, store, seizure):
    with session.begin():
        person = create_person(session, investigator, person_data())
    with pytest.raises(ValidationError) as caught, session.begin():
        add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [("a.jpg", jpeg())],
            seizure_id=seizure.id,
            person_id=person.id,
        )
    assert "record" in caught.value.errors
    with pytest.raises(NotFoundError), session.begin():
        add_pictures(
            session, investigator, store, LIMITS, [("a.jpg", jpeg())], person_id=seizure.id
        )
    with session.begin():
        delete_seizure(session, supervisor, seizure.id, seizure.version)
    with pytest.raises(NotFoundError), session.begin():
        add_pictures(
            session, investigator, store, LIMITS, [("a.jpg", jpeg())], seizure_id=seizure.id
        )
    assert stored_files(store) == []


def test_stale_expected_version_is_a_conflict(session, investigator, store, seizure):
    with pytest.raises(ConflictError), session.begin():
        add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [("a.jpg", jpeg())],
            seizure_id=seizure.id,
            expected_version=seizure.version + 1,
        )
    assert stored_files(store) == []
    with session.begin():
        add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [("a.jpg", jpeg())],
            seizure_id=seizure.id,
            expected_version=seizure.version,
        )
    assert seizure.version == 2


# --- one row per content -----------------------------------------------------------------------


def test_same_file_twice_is_one_picture_with_two_links(session, investigator, store, seizure):
    photo = jpeg(seed=11)
    with session.begin():
        person = create_person(session, investigator, person_data())
        [on_seizure] = add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [("a.jpg", photo)],
            caption="first caption",
            seizure_id=seizure.id,
        )
        [on_person] = add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [("copy of a.jpg", photo)],
            caption="another caption",
            person_id=person.id,
        )
    assert on_person.id == on_seizure.id
    assert on_person.caption == "first caption"  # an existing caption is not overwritten
    assert (
        session.execute(
            select(func.count()).select_from(Picture).where(Picture.sha256 == on_seizure.sha256)
        ).scalar_one()
        == 1
    )
    assert len(links_of(session, on_seizure.id)) == 2
    assert person.version == 2
    assert len(events(session, "picture.upload")) == 1
    session.commit()  # ends the read-only transaction the checks began

    # Again on the same record, and twice in one call: nothing new to attach, nothing changes.
    with session.begin():
        again = add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [("a.jpg", photo), ("b.jpg", photo)],
            seizure_id=seizure.id,
        )
    assert [p.id for p in again] == [on_seizure.id, on_seizure.id]
    assert len(links_of(session, on_seizure.id)) == 2
    assert seizure.version == 2


def test_reused_picture_fills_blank_caption(session, investigator, store, seizure):
    photo = jpeg(seed=12)
    with session.begin():
        add_pictures(
            session, investigator, store, LIMITS, [("a.jpg", photo)], seizure_id=seizure.id
        )
        person = create_person(session, investigator, person_data())
        [picture] = add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [("a.jpg", photo)],
            caption="now described",
            concealment_method="in_luggage",
            person_id=person.id,
        )
    assert (picture.caption, picture.concealment_method) == ("now described", "in_luggage")


# --- permissions -------------------------------------------------------------------------------


def test_analyst_cannot_add(session, analyst, store, seizure):
    with pytest.raises(PermissionDeniedError), session.begin():
        add_pictures(session, analyst, store, LIMITS, [("a.jpg", jpeg())], seizure_id=seizure.id)
    assert stored_files(store) == []


def test_foreign_record_needs_a_supervisor(session, investigator, supervisor, store, seizure):
    with session.begin():
        seizure.origin_node = "fr-ncen"
    with pytest.raises(PermissionDeniedError), session.begin():
        add_pictures(
            session, investigator, store, LIMITS, [("a.jpg", jpeg())], seizure_id=seizure.id
        )
    with session.begin():
        add_pictures(session, supervisor, store, LIMITS, [("a.jpg", jpeg())], seizure_id=seizure.id)


def test_who_may_open_which_file(session, investigator, analyst, store, seizure):
    administrator = make_actor(session, Role.ADMINISTRATOR)
    exchange_officer = make_actor(session, Role.EXCHANGE_OFFICER)
    photo = jpeg(seed=21)
    with session.begin():
        [picture] = add_pictures(
            session, investigator, store, LIMITS, [("a.jpg", photo)], seizure_id=seizure.id
        )

    with pytest.raises(PermissionDeniedError), session.begin():
        open_original(session, administrator, store, picture.id)
    with pytest.raises(PermissionDeniedError), session.begin():
        open_original(session, analyst, store, picture.id)
    with pytest.raises(PermissionDeniedError), session.begin():
        open_display(session, administrator, store, picture.id)
    assert events(session, "picture.download_original") == []
    session.commit()

    with session.begin():
        original = open_original(session, investigator, store, picture.id)
    assert original.data == photo
    assert original.mime_type == "image/jpeg"
    assert original.download_name == f"picture-{picture.sha256[:16]}.jpg"
    [download] = events(session, "picture.download_original")
    assert download.actor_id == investigator.user_id
    assert download.record_id == str(picture.id)
    assert download.details["sha256"] == picture.sha256
    session.commit()

    for reader in (analyst, exchange_officer, investigator):
        with session.begin():
            display = open_display(session, reader, store, picture.id)
            thumb = open_thumbnail(session, reader, store, picture.id)
        assert display.mime_type == thumb.mime_type == "image/jpeg"
        assert Image.open(io.BytesIO(thumb.data)).size == (320, 240)
    assert len(events(session, "picture.download_original")) == 1  # derivatives not audited


def test_altered_original_is_detected(session, investigator, store, seizure):
    with session.begin():
        [picture] = add_pictures(
            session, investigator, store, LIMITS, [("a.jpg", jpeg(seed=31))], seizure_id=seizure.id
        )
    path = store.path(Kind.ORIGINAL, picture.sha256)
    path.chmod(0o640)
    tampered = bytearray(path.read_bytes())
    tampered[-10] ^= 0x01
    path.write_bytes(bytes(tampered))
    with pytest.raises(PictureIntegrityError, match="altered"), session.begin():
        open_original(session, investigator, store, picture.id)
    assert events(session, "picture.download_original") == []


def test_missing_derivative_is_rebuilt_from_the_original(
    session, investigator, analyst, store, seizure
):
    with session.begin():
        [picture] = add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [("a.png", encode(scene(seed=41), "PNG"))],
            seizure_id=seizure.id,
        )
    before = store.read_derivative(Kind.DISPLAY, picture.sha256)
    store.path(Kind.DISPLAY, picture.sha256).unlink()
    with session.begin():
        rebuilt = open_display(session, analyst, store, picture.id)
    assert rebuilt.data == before
    assert store.exists(Kind.DISPLAY, picture.sha256)


# --- editing and detaching ---------------------------------------------------------------------


def test_update_caption_by_uploader_or_supervisor(
    session, investigator, supervisor, store, seizure
):
    colleague = make_actor(session, Role.INVESTIGATOR)
    with session.begin():
        [picture] = add_pictures(
            session, investigator, store, LIMITS, [("a.jpg", jpeg())], seizure_id=seizure.id
        )
    with session.begin():
        update_picture(session, investigator, picture.id, "  Tyre, rear left ", "tyres")
    assert (picture.caption, picture.concealment_method) == ("Tyre, rear left", "tyres")
    [change] = events(session, "picture.update")
    assert change.details["changes"]["caption"] == [None, "Tyre, rear left"]
    session.commit()

    with pytest.raises(PermissionDeniedError), session.begin():
        update_picture(session, colleague, picture.id, "mine now", None)
    with pytest.raises(ValidationError) as caught, session.begin():
        update_picture(session, supervisor, picture.id, "ok", "nonsense")
    assert "concealment_method" in caught.value.errors
    with session.begin():
        update_picture(session, supervisor, picture.id, None, None)
    assert (picture.caption, picture.concealment_method) == (None, None)
    assert seizure.version == 2  # a caption is not part of the seizure
    session.commit()
    with pytest.raises(NotFoundError), session.begin():
        update_picture(session, supervisor, seizure.id, None, None)


def test_unlink_keeps_the_evidence(session, investigator, analyst, store, seizure):
    with session.begin():
        [picture] = add_pictures(
            session, investigator, store, LIMITS, [("a.jpg", jpeg())], seizure_id=seizure.id
        )
    [attached] = pictures_for(session, seizure_id=seizure.id)
    session.commit()
    with pytest.raises(PermissionDeniedError), session.begin():
        unlink_picture(session, analyst, attached.link_id)
    with pytest.raises(ConflictError), session.begin():
        unlink_picture(session, investigator, attached.link_id, expected_version=1)
    with session.begin():
        unlink_picture(session, investigator, attached.link_id, expected_version=2)
    assert pictures_for(session, seizure_id=seizure.id) == []
    assert seizure.version == 3
    latest = list_versions(session, "seizure", seizure.id)[-1]
    assert latest.kind is ChangeKind.UNLINK
    assert latest.changes["pictures"] == [[picture.sha256], []]
    assert get_picture(session, picture.id).sha256 == picture.sha256
    assert store.read_original(picture.sha256)
    session.commit()
    with pytest.raises(NotFoundError), session.begin():
        unlink_picture(session, investigator, attached.link_id)


# --- near-duplicates ---------------------------------------------------------------------------


def test_similar_pictures_finds_a_resized_copy(session, investigator, analyst, store, seizure):
    big = scene(1200, 900, seed=51)
    with session.begin():
        first, copy, other = add_pictures(
            session,
            investigator,
            store,
            LIMITS,
            [
                ("a.jpg", encode(big, "JPEG")),
                ("a-small.png", encode(big.resize((600, 450)), "PNG")),
                ("b.jpg", encode(scene(1200, 900, seed=52), "JPEG")),
            ],
            seizure_id=seizure.id,
        )
    with session.begin():
        _, found = similar_to_picture(session, analyst, first.id, max_distance=12)
    found_ids = [hit.picture.id for hit in found]
    assert found_ids[0] == copy.id  # the picture itself is the query, not a result
    assert found[0].distance <= 4
    assert other.id not in found_ids
    with pytest.raises(ValidationError), session.begin():
        similar_to_picture(session, analyst, first.id, max_distance=1000)
    # The dHash-only lookup (on the dHash chunk indexes) still answers for a stored hash.
    with session.begin():
        by_dhash = similar_pictures(session, analyst, first.phash, max_distance=6)
        ids = [p.id for p, _ in by_dhash]
        assert ids[0] == first.id  # nearest first, then oldest
        assert by_dhash[0][1] == 0
        assert copy.id in ids
        assert other.id not in ids
    with pytest.raises(ValidationError), session.begin():
        similar_pictures(session, analyst, "not-a-hash")


def test_attach_and_detach_need_the_right_to_edit_the_record(
    session, investigator, supervisor, store, seizure
):
    """Issue 12 item 13: another investigator may not add pictures to (or remove them from) a
    validated seizure that they may not edit; its owner may not either once it left draft."""
    from ncen.seizures.services import submit_seizure, update_seizure, validate_seizure

    with session.begin():
        attached = add_pictures(
            session, investigator, store, LIMITS, [("a.jpg", jpeg(seed=41))], seizure_id=seizure.id
        )[0]
        submit_seizure(session, investigator, seizure.id, seizure.version)
        validate_seizure(session, supervisor, seizure.id, seizure.version)
    other = make_actor(session, Role.INVESTIGATOR)
    with pytest.raises(PermissionDeniedError), session.begin():
        update_seizure(session, other, seizure.id, seizure.version, seizure_data())
    with session.begin():
        link = pictures_for(session, seizure_id=seizure.id)[0]
    for actor in (other, investigator):
        with pytest.raises(PermissionDeniedError), session.begin():
            add_pictures(
                session, actor, store, LIMITS, [("b.jpg", jpeg(seed=42))], seizure_id=seizure.id
            )
        with pytest.raises(PermissionDeniedError), session.begin():
            unlink_picture(session, actor, link.link_id)
    with session.begin():
        shown = pictures_for(session, seizure_id=seizure.id)
    assert [p.picture.id for p in shown] == [attached.id]
    with session.begin():  # a supervisor may edit it, so may attach
        add_pictures(
            session, supervisor, store, LIMITS, [("b.jpg", jpeg(seed=42))], seizure_id=seizure.id
        )
