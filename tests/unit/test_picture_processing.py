"""Unit tests of picture checking, derivatives, dHash, and the content-addressed store.

Every picture is generated here with Pillow (deterministic shapes from a seeded generator), so
the tests depend on no binary asset. Hostile files are built byte by byte: a PNG header that
declares 30000 × 30000 pixels over a few bytes of data, truncated files, other formats.
"""

from __future__ import annotations

import hashlib
import io
import random
import stat
import struct
import zlib

import pytest
from PIL import Image, ImageCms, ImageDraw

from ncen.pictures.processing import (
    DISPLAY_MAX,
    THUMBNAIL_MAX,
    AnimatedPictureError,
    CorruptPictureError,
    PictureRejectedError,
    PictureTooLargeError,
    UnsupportedPictureError,
    difference_hash,
    hamming_distance,
    inspect_upload,
    megabytes,
)
from ncen.pictures.store import (
    FILE_MODE,
    Kind,
    PictureIntegrityError,
    PictureMissingError,
    PictureStore,
)

MB = 2**20
LIMITS = {"max_bytes": 20 * MB, "max_pixels": 40_000_000}
ONLY = "only JPEG, PNG, WebP, GIF or TIFF pictures are accepted"
GPS = 0x8825
ORIENTATION = 0x0112


def scene(width: int = 640, height: int = 480, seed: int = 7, mode: str = "RGB") -> Image.Image:
    """A picture with enough structure for a perceptual hash: random boxes and discs."""
    rng = random.Random(seed)
    im = Image.new("RGB", (width, height), (rng.randrange(256), 90, 140))
    draw = ImageDraw.Draw(im)
    for _ in range(25):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(20, width // 2), y0 + rng.randrange(20, height // 2)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        shape = draw.rectangle if rng.random() < 0.5 else draw.ellipse
        shape((x0, y0, x1, y1), fill=colour)
    return im.convert(mode)


def encode(im: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny, valid-looking PNG whose header claims ``width`` × ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def half_red_half_blue(width: int = 400, height: int = 200) -> Image.Image:
    im = Image.new("RGB", (width, height), (0, 0, 255))
    im.paste((255, 0, 0), (0, 0, width // 2, height))
    return im


def jpeg_with_metadata() -> bytes:
    """Landscape JPEG, red on the left: EXIF orientation 6, GPS, XMP, comment, ICC profile."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010E] = "SECRET-EXIF-DESCRIPTION"
    exif[GPS] = {1: "N", 2: (43.0, 15.0, 30.5), 3: "E", 4: (76.0, 57.0, 0.0)}
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRET-XMP</x:xmpmeta>'
    return encode(
        half_red_half_blue(),
        "JPEG",
        exif=exif.tobytes(),
        xmp=xmp,
        comment=b"SECRET-COMMENT",
        icc_profile=srgb,
        quality=95,
    )


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


# --- accepted pictures -------------------------------------------------------------------------


def test_jpeg_metadata_stripped_orientation_applied_original_untouched():
    original = jpeg_with_metadata()
    source = Image.open(io.BytesIO(original))
    assert source.getexif().get_ifd(GPS), "the test picture must really carry GPS"
    assert source.getexif()[ORIENTATION] == 6

    probed = inspect_upload(original, **LIMITS)

    assert probed.original == original
    assert probed.sha256 == hashlib.sha256(original).hexdigest()
    assert probed.size_bytes == len(original)
    assert probed.mime_type == "image/jpeg"
    # Orientation 6: turned a quarter clockwise, the stored left (red) edge becomes the top.
    assert (probed.width, probed.height) == (200, 400)
    for rendition in (probed.display, probed.thumbnail):
        assert rendition.mime_type == "image/jpeg"
        assert b"SECRET" not in rendition.data
        assert b"Exif" not in rendition.data
        assert b"http://ns.adobe.com/xap" not in rendition.data
        im = Image.open(io.BytesIO(rendition.data))
        assert im.format == "JPEG"
        assert not im.getexif()
        assert not im.getexif().get_ifd(GPS)
        assert "exif" not in im.info
        assert "xmp" not in im.info
        assert "icc_profile" not in im.info
        assert "comment" not in im.info
        assert im.height > im.width
        assert near(im.getpixel((im.width // 2, 2)), (255, 0, 0))
        assert near(im.getpixel((im.width // 2, im.height - 3)), (0, 0, 255))
    assert (probed.display.width, probed.display.height) == (200, 400)


@pytest.mark.parametrize(
    ("fmt", "mode", "mime"),
    [
        ("PNG", "RGB", "image/png"),
        ("PNG", "RGBA", "image/png"),
        ("PNG", "P", "image/png"),
        ("PNG", "L", "image/png"),
        ("WEBP", "RGB", "image/webp"),
        ("WEBP", "RGBA", "image/webp"),
        ("JPEG", "CMYK", "image/jpeg"),
        ("JPEG", "L", "image/jpeg"),
    ],
)
def test_png_webp_and_other_jpeg_modes_are_accepted(fmt, mode, mime):
    data = encode(scene(mode=mode), fmt)
    probed = inspect_upload(data, **LIMITS)
    assert probed.mime_type == mime
    assert (probed.width, probed.height) == (640, 480)
    assert Image.open(io.BytesIO(probed.display.data)).format == "JPEG"
    assert len(probed.phash) == 16
    int(probed.phash, 16)


def test_sixteen_bit_png_is_scaled_not_clipped():
    grey = Image.new("I;16", (64, 48), 0x8000)
    probed = inspect_upload(encode(grey, "PNG"), **LIMITS)
    pixel = Image.open(io.BytesIO(probed.display.data)).convert("L").getpixel((5, 5))
    assert 120 <= pixel <= 136


def test_transparent_areas_become_white():
    im = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    probed = inspect_upload(encode(im, "PNG"), **LIMITS)
    assert near(Image.open(io.BytesIO(probed.display.data)).getpixel((10, 10)), (255, 255, 255), 3)


def test_jpeg_with_extra_camera_frames_mpo_is_a_jpeg():
    data = encode(scene(), "MPO", save_all=True, append_images=[scene(seed=8)])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    assert inspect_upload(data, **LIMITS).mime_type == "image/jpeg"


def test_large_photo_gets_bounded_display_and_thumbnail():
    data = encode(scene(3000, 2000), "JPEG", quality=80)
    probed = inspect_upload(data, **LIMITS)
    # The header size, although the JPEG was decoded at reduced scale.
    assert (probed.width, probed.height) == (3000, 2000)
    assert (probed.display.width, probed.display.height) == (DISPLAY_MAX, 1067)
    assert (probed.thumbnail.width, probed.thumbnail.height) == (THUMBNAIL_MAX, 213)
    assert Image.open(io.BytesIO(probed.display.data)).size == (DISPLAY_MAX, 1067)


def test_stream_input_is_read_like_bytes():
    data = encode(scene(), "PNG")
    assert inspect_upload(io.BytesIO(data), **LIMITS).sha256 == hashlib.sha256(data).hexdigest()


# --- refused files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (encode(scene(), "BMP"), "a BMP image"),
        (b"II+\x00\x08\x00\x00\x00" + bytes(16), "a BigTIFF image"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "an SVG"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "an HTML page"),
        (b"just some text pretending to be photo.png\n", "not a picture"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "HEIC"),
    ],
    ids=["bmp", "bigtiff", "svg", "html", "text", "pdf", "heic"],
)
def test_other_types_are_refused_by_content(data, what):
    with pytest.raises(UnsupportedPictureError) as caught:
        inspect_upload(data, **LIMITS)
    assert str(caught.value).startswith(ONLY)
    assert what in str(caught.value)


def test_truncated_and_corrupt_files_are_refused():
    jpeg = encode(scene(), "JPEG")
    png = encode(scene(), "PNG")
    bad_crc = bytearray(png)
    bad_crc[40] ^= 0xFF  # inside the first IDAT chunk: its CRC no longer matches
    webp = encode(scene(), "WEBP")
    for data in (
        jpeg[: len(jpeg) // 2],
        png[: len(png) // 2],
        png[:60],
        bytes(bad_crc),
        webp[: len(webp) // 2],
        b"\xff\xd8\xff" + b"\x00" * 200,
        b"\x89PNG\r\n\x1a\n" + b"garbage" * 10,
    ):
        with pytest.raises(CorruptPictureError, match="damaged or incomplete"):
            inspect_upload(data, **LIMITS)


def test_empty_file_is_refused():
    with pytest.raises(CorruptPictureError, match="empty"):
        inspect_upload(b"", **LIMITS)


@pytest.mark.parametrize("side", [30_000, 10_000])
def test_decompression_bomb_is_refused_before_decoding(side):
    bomb = png_declaring(side, side)
    assert len(bomb) < 200
    with pytest.raises(PictureTooLargeError, match="decompression bomb") as caught:
        inspect_upload(bomb, **LIMITS)
    assert isinstance(caught.value.__cause__, Image.DecompressionBombError | Warning)


def test_too_many_pixels_below_pillows_limit_refused_by_ours():
    with pytest.raises(PictureTooLargeError) as caught:
        inspect_upload(png_declaring(7000, 7000), **LIMITS)
    assert str(caught.value) == (
        "picture has too many pixels: 7000 × 7000 = 49.0 megapixels, at most 40 megapixels; "
        "resize it first"
    )


def test_oversized_bytes_refused_with_sizes():
    data = b"\xff\xd8\xff" + bytes(48 * MB - 3)
    with pytest.raises(PictureTooLargeError) as caught:
        inspect_upload(data, **LIMITS)
    assert str(caught.value) == "picture too large: 48 MB, at most 20 MB"
    with pytest.raises(PictureTooLargeError) as caught:
        inspect_upload(bytes(20 * MB + 1), **LIMITS)
    assert str(caught.value) == "picture too large: just over 20 MB, at most 20 MB"


def test_oversized_stream_read_no_further_than_the_limit():
    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.served = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # an endless stream
            buffer[:] = bytes(len(buffer))
            self.served += len(buffer)
            return len(buffer)

    stream = Unseekable()
    with pytest.raises(
        PictureTooLargeError, match=r"^picture too large: more than 1 MB, at most 1 MB$"
    ):
        inspect_upload(stream, max_bytes=MB, max_pixels=10**6)
    assert stream.served <= MB + 1
    with pytest.raises(PictureTooLargeError, match=r"^picture too large: 3 MB, at most 1 MB$"):
        inspect_upload(io.BytesIO(bytes(3 * MB)), max_bytes=MB, max_pixels=10**6)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_pictures_are_refused(fmt):
    data = encode(scene(), fmt, save_all=True, append_images=[scene(seed=9)])
    with pytest.raises(AnimatedPictureError, match="still photo"):
        inspect_upload(data, **LIMITS)


def test_every_refusal_is_a_picture_rejected_error():
    for error in (UnsupportedPictureError, CorruptPictureError, PictureTooLargeError):
        assert issubclass(error, PictureRejectedError)


def test_megabytes_for_messages():
    assert megabytes(48 * MB) == "48 MB"
    assert megabytes(int(2.41 * MB)) == "2.4 MB"
    assert megabytes(int(10.6 * MB)) == "11 MB"
    assert megabytes(700 * 1024) == "700 KB"


# --- perceptual hash ---------------------------------------------------------------------------


def test_dhash_of_resized_and_recompressed_copy_is_within_a_few_bits():
    original = scene(1200, 900)
    copy = Image.open(io.BytesIO(encode(original.resize((1000, 750)), "JPEG", quality=70)))
    a, b = difference_hash(original), difference_hash(copy)
    assert hamming_distance(a, b) <= 4
    other = difference_hash(scene(1200, 900, seed=99))
    assert hamming_distance(a, other) > 12


def test_dhash_through_inspect_upload_matches_across_sizes():
    big = inspect_upload(encode(scene(2400, 1800), "JPEG"), **LIMITS)
    small = inspect_upload(encode(scene(2400, 1800).resize((600, 450)), "PNG"), **LIMITS)
    assert big.sha256 != small.sha256
    assert hamming_distance(big.phash, small.phash) <= 4


def test_hamming_distance():
    assert hamming_distance("0000000000000000", "ffffffffffffffff") == 64
    assert hamming_distance("00000000000000ff", "0000000000000f0f") == 8


# --- content-addressed store -------------------------------------------------------------------


def test_store_layout_mode_and_idempotent_put(tmp_path):
    store = PictureStore(tmp_path)
    probed = inspect_upload(encode(scene(), "JPEG"), **LIMITS)
    store.save(probed)
    sha = probed.sha256
    original = tmp_path / "originals" / sha[:2] / sha[2:4] / sha
    assert original.read_bytes() == probed.original
    assert stat.S_IMODE(original.stat().st_mode) == FILE_MODE
    assert (tmp_path / "display" / sha[:2] / sha[2:4] / sha).read_bytes() == probed.display.data
    assert (tmp_path / "thumbs" / sha[:2] / sha[2:4] / sha).read_bytes() == probed.thumbnail.data
    inode = original.stat().st_ino
    store.save(probed)  # same content again: nothing is rewritten
    assert original.stat().st_ino == inode
    assert not list(tmp_path.rglob(".incoming-*"))
    assert store.read_original(sha) == probed.original
    assert store.read_derivative(Kind.THUMBNAIL, sha) == probed.thumbnail.data


def test_store_detects_an_altered_original(tmp_path):
    store = PictureStore(tmp_path)
    sha = store.put_original(b"evidence bytes")
    path = store.path(Kind.ORIGINAL, sha)
    path.chmod(0o640)
    path.write_bytes(b"evidence bytez")
    with pytest.raises(PictureIntegrityError, match="altered"):
        store.read_original(sha)
    with pytest.raises(PictureIntegrityError):
        store.put_original(b"evidence bytes")  # never silently "repaired" over the evidence


def test_store_missing_files(tmp_path):
    store = PictureStore(tmp_path)
    sha = hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(PictureMissingError):
        store.read_original(sha)
    with pytest.raises(PictureMissingError):
        store.read_derivative(Kind.DISPLAY, sha)


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "A" * 64,
        "g" * 64,
        "ab" * 31,
        "ab" * 33,
        "/" + "a" * 63,
        "",
        "a" * 63 + "\n",
    ],
)
def test_store_accepts_only_hex_names(tmp_path, name):
    store = PictureStore(tmp_path)
    with pytest.raises(ValueError, match="64 lowercase hex"):
        store.path(Kind.ORIGINAL, name)
    with pytest.raises(ValueError, match="64 lowercase hex"):
        store.read_original(name)


def test_store_refuses_to_name_an_original_itself(tmp_path):
    store = PictureStore(tmp_path)
    with pytest.raises(ValueError, match="put_original"):
        store.put_derivative(Kind.ORIGINAL, "a" * 64, b"x")
