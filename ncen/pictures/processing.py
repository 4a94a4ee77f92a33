"""Checking an uploaded picture by its content and making its safe derivatives (pure, Pillow).

`inspect_upload` is the only door for picture bytes. It never trusts the file name: the type is
read from the magic bytes and Pillow may decode only that one format (JPEG, PNG, WebP, GIF or
TIFF). The pixel count is checked from the header, before any pixel is decoded, so a
decompression bomb costs nothing; the whole image is then decoded once, so truncated or corrupt
files are refused. It returns a `ProbedImage`: the original bytes with their sha256 (kept
unchanged, as evidence), a display derivative (at most 1600 px) and a thumbnail (at most
320 px), both with the EXIF orientation applied, colour converted to sRGB, every byte of
metadata dropped (EXIF with GPS, XMP, comments, ICC), and re-encoded as JPEG; plus the 64-bit
difference and DCT hashes for near-duplicates. A GIF gives its first frame (an animation is
kept in the original only) and a TIFF its first page: X-ray and document scanners write both.

**Bounded memory.** Only the derivatives are needed, never the full-size pixels, so a JPEG is
decoded at 1/2, 1/4 or 1/8 scale when that still covers the display size (libjpeg's draft
mode), and any other format is reduced by a whole factor right after decoding; orientation,
colour conversion, hashing and encoding then work on about twice the display size. Each decode
first reserves its estimated memory from a per-process `DecodeBudget`, which also caps the
number of decodes running at once: a decode waits for room, and is refused with a message
(`PictureBusyError`) if it cannot get it in time, or at once if it alone exceeds the budget.

Errors are typed: every refusal is a `PictureRejectedError` whose message says what to fix. The
service layer collects them per file into one `ValidationError` (``files.2: ...``), so a form
shows each message next to its file; callers outside a form may catch the typed errors.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO, Final

from PIL import Image, ImageCms, ImageFile

from ncen.errors import NcenError
from ncen.pictures.hashing import dct_hash

logger = logging.getLogger(__name__)

DISPLAY_MAX: Final = 1600
THUMBNAIL_MAX: Final = 320
DERIVATIVE_MIME: Final = "image/jpeg"
_JPEG_QUALITY: Final = 85
_THUMB_QUALITY: Final = 80
_WHITE: Final = (255, 255, 255)
_ORIENTATION_TAG: Final = 0x0112
# EXIF orientation -> the transposition that shows the picture the right way up (the table of
# `PIL.ImageOps.exif_transpose`, applied here to the reduced image).
_TRANSPOSE: Final = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# Modes `Image.reduce` averages correctly; others are converted (at full size) first.
_REDUCIBLE: Final = frozenset({"L", "LA", "RGB", "RGBA", "CMYK", "YCbCr", "I", "F"})
# Output rows per strip of `_reduce`: small copies, few Python iterations.
_STRIP_BLOCKS: Final = 64

# The decoding budget of one process. Two decodes of the largest accepted picture (40 MP RGBA,
# 160 MB of pixels) fit; more concurrent decodes would only compete for the same cores.
DECODE_BUDGET_BYTES: Final = 512 * 2**20
MAX_CONCURRENT_DECODES: Final = 2
DECODE_WAIT_SECONDS: Final = 30.0


# Sniffed type -> (the one Pillow decoder allowed to open it, the formats it may report, MIME).
# MPO is how Pillow reports a JPEG with extra embedded pictures (stereo, depth maps, previews),
# which many phone cameras write; the JPEG decoder produces it and its first frame is an
# ordinary JPEG, so it is accepted.
@dataclass(frozen=True)
class _Allowed:
    decoder: str
    reported: frozenset[str]
    mime_type: str


_ALLOWED: Final[dict[str, _Allowed]] = {
    "JPEG": _Allowed("JPEG", frozenset({"JPEG", "MPO"}), "image/jpeg"),
    "PNG": _Allowed("PNG", frozenset({"PNG"}), "image/png"),
    "WEBP": _Allowed("WEBP", frozenset({"WEBP"}), "image/webp"),
    "GIF": _Allowed("GIF", frozenset({"GIF"}), "image/gif"),
    "TIFF": _Allowed("TIFF", frozenset({"TIFF"}), "image/tiff"),
}
ACCEPTED_MIME_TYPES: Final = frozenset(a.mime_type for a in _ALLOWED.values())
_ONLY: Final = "only JPEG, PNG, WebP, GIF or TIFF pictures are accepted"


class PictureError(NcenError):
    """Base class of every picture error (upload refusals and store problems)."""


class PictureRejectedError(PictureError):
    """An uploaded file was refused; the message tells the user what to do instead."""


class UnsupportedPictureError(PictureRejectedError):
    """The content is not a JPEG, PNG, WebP, GIF or TIFF picture (whatever the name says)."""


class PictureTooLargeError(PictureRejectedError):
    """Too many bytes, or too many pixels (a decompression bomb)."""


class CorruptPictureError(PictureRejectedError):
    """The file claims an allowed format but cannot be decoded completely."""


class AnimatedPictureError(PictureRejectedError):
    """An animated PNG or WebP: refused, see `_refuse_animation`."""


class PictureBusyError(PictureRejectedError):
    """The process's decoding budget stayed full while the upload waited: try again later."""


class DecodeBudget:
    """Bounds the memory and the number of picture decodes running at once in one process.

    Web servers run requests in threads: `reserve` blocks (thread-safe) until the decode's
    estimated cost fits in ``max_bytes`` beside the decodes already running and fewer than
    ``max_concurrent`` are running, then holds that room until the block ends. It raises
    `PictureTooLargeError` at once for a cost above ``max_bytes``, and `PictureBusyError`
    after ``wait_seconds`` without room. ``reserved``, ``active`` and ``max_active_seen`` are
    for monitoring and tests.
    """

    def __init__(
        self,
        max_bytes: int = DECODE_BUDGET_BYTES,
        max_concurrent: int = MAX_CONCURRENT_DECODES,
        wait_seconds: float = DECODE_WAIT_SECONDS,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_concurrent = max_concurrent
        self.wait_seconds = wait_seconds
        self.reserved = 0
        self.active = 0
        self.max_active_seen = 0
        self._changed = threading.Condition()

    @contextmanager
    def reserve(self, cost: int) -> Iterator[None]:
        """Hold ``cost`` bytes of the budget and one decoding slot for the ``with`` block."""
        if cost > self.max_bytes:
            raise PictureTooLargeError(
                f"picture too large to decode: it needs about {megabytes(cost)} of memory, at "
                f"most {megabytes(self.max_bytes)} are allowed; resize it first"
            )
        deadline = time.monotonic() + self.wait_seconds
        with self._changed:
            while self.active >= self.max_concurrent or self.reserved + cost > self.max_bytes:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PictureBusyError(
                        "the server is busy checking other pictures: try again in a minute"
                    )
                self._changed.wait(remaining)
            self.active += 1
            self.reserved += cost
            self.max_active_seen = max(self.max_active_seen, self.active)
        try:
            yield
        finally:
            with self._changed:
                self.active -= 1
                self.reserved -= cost
                self._changed.notify_all()


_default_budget: DecodeBudget | None = None
_default_budget_lock = threading.Lock()


def default_budget() -> DecodeBudget:
    """The budget every decode of this process shares unless given another (made on first use).

    Memory is a property of the process, so this is one object per process by design.
    """
    global _default_budget  # noqa: PLW0603 - see the docstring: one budget per process
    with _default_budget_lock:
        if _default_budget is None:
            _default_budget = DecodeBudget()
        return _default_budget


@dataclass(frozen=True)
class Rendition:
    """One derivative: JPEG bytes and their pixel size."""

    data: bytes = field(repr=False)
    width: int
    height: int
    mime_type: str = DERIVATIVE_MIME


@dataclass(frozen=True)
class ProbedImage:
    """An accepted upload. ``width``/``height`` are as displayed (after EXIF orientation)."""

    original: bytes = field(repr=False)
    sha256: str
    size_bytes: int
    mime_type: str
    width: int
    height: int
    phash: str  # the dHash (the column's historical name)
    dct_hash: str  # the pHash (`ncen.pictures.hashing.dct_hash`)
    display: Rendition
    thumbnail: Rendition


def megabytes(size: int) -> str:
    """``size`` bytes for messages: ``48 MB``, ``2.5 MB``, ``700 KB`` (binary units, rounded)."""
    if size < 2**20:
        return f"{max(1, round(size / 2**10))} KB"
    mb = size / 2**20
    return f"{round(mb)} MB" if mb >= 10 else f"{round(mb, 1):g} MB"


def _too_large(size: str, max_bytes: int) -> PictureTooLargeError:
    limit = megabytes(max_bytes)
    if size == limit:  # rounding hid the difference
        size = f"just over {limit}"
    return PictureTooLargeError(f"picture too large: {size}, at most {limit}")


def _read_limited(data: bytes | BinaryIO, max_bytes: int) -> bytes:
    """All of ``data``, refusing more than ``max_bytes`` without reading an unbounded stream."""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        if len(raw) > max_bytes:
            raise _too_large(megabytes(len(raw)), max_bytes)
    else:
        raw = data.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise _too_large(_stream_size(data, len(raw)), max_bytes)
    if not raw:
        raise CorruptPictureError(
            "the file is empty: choose a JPEG, PNG, WebP, GIF or TIFF picture"
        )
    return raw


def _stream_size(stream: BinaryIO, read: int) -> str:
    # A seekable upload (a spooled temporary file) tells its size without being read further.
    try:
        if stream.seekable():
            return megabytes(stream.seek(0, io.SEEK_END))
    except OSError:
        pass  # not seekable after all: fall through to the lower bound we know
    return f"more than {megabytes(read - 1)}"  # read - 1 == max_bytes


def _sniff(raw: bytes) -> str:
    """The allowed format named by the magic bytes, or `UnsupportedPictureError` naming the type."""
    if raw.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return "WEBP"
    if raw.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if raw.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    raise UnsupportedPictureError(f"{_ONLY} (this file is {_describe(raw)})")


# (test, description) pairs for the refusal message, most specific first.
_KNOWN_OTHERS: Final[tuple[tuple[Callable[[bytes, bytes], bool], str], ...]] = (
    (lambda raw, _: raw.startswith(b"BM"), "a BMP image"),
    (lambda raw, _: raw.startswith((b"II+\x00", b"MM\x00+")), "a BigTIFF image"),
    (
        lambda raw, _: raw[4:8] == b"ftyp" and raw[8:12] in {b"heic", b"heix", b"mif1", b"hevc"},
        "a HEIC photo: export it as JPEG first",
    ),
    (lambda raw, _: raw[4:8] == b"ftyp" and raw[8:12] in {b"avif", b"avis"}, "an AVIF image"),
    (lambda raw, _: raw.startswith(b"%PDF"), "a PDF document"),
    (lambda _, head: b"<svg" in head, "an SVG drawing"),
    (
        lambda _, head: head.startswith((b"<!doctype html", b"<html")) or b"<script" in head,
        "an HTML page",
    ),
    (lambda _, head: head.startswith(b"<"), "an XML or HTML document"),
)


def _describe(raw: bytes) -> str:
    """A short, user-facing guess of what a refused file is, to make the message useful."""
    head = raw[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for test, description in _KNOWN_OTHERS:
        if test(raw, head):
            return description
    return "not a picture"


# _UNTRUSTED: the parsers run on hostile bytes. Pillow documents OSError, SyntaxError and
# ValueError, but fuzzed files have also raised KeyError, IndexError, struct.error, EOFError and
# others from its plugins. Whatever a parser raises on an upload means "this file cannot be
# read", which is a refusal with a message, never a crash: the cause is chained for the log.


def _open(raw: bytes, allowed: _Allowed, max_pixels: int) -> ImageFile.ImageFile:
    """Open the header only, with decoding restricted to one format; check the pixel count.

    ``Image.MAX_IMAGE_PIXELS`` is process-global, so it is never changed here (threads of the
    web server would race). Our own limit is checked right after the lazy header parse and
    before any decoding; Pillow's global check stays as a backstop. Its warning (raised as an
    exception where warnings are errors, as in our tests) and its error are refusals too. Where
    warnings are not errors, a picture between Pillow's limit and twice it makes Pillow emit its
    warning and is then refused by our limit (lower: 40 MP by default). A configured limit above
    twice Pillow's is capped by Pillow's error, which is also a refusal.
    """
    try:
        im = Image.open(io.BytesIO(raw), formats=[allowed.decoder])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PictureTooLargeError(
            "picture declares far too many pixels (a possible decompression bomb): "
            f"at most {max_pixels / 1e6:g} megapixels are accepted"
        ) from exc
    except Exception as exc:  # re-raised as a refusal: see _UNTRUSTED
        raise CorruptPictureError(
            "the picture is damaged or incomplete and cannot be read: upload it again"
        ) from exc
    width, height = im.size
    if width < 1 or height < 1:
        raise CorruptPictureError("the picture has no pixels")
    if width * height > max_pixels:
        raise PictureTooLargeError(
            f"picture has too many pixels: {width} × {height} = "
            f"{width * height / 1e6:.1f} megapixels, at most {max_pixels / 1e6:g} megapixels; "
            "resize it first"
        )
    if im.format not in allowed.reported:
        raise UnsupportedPictureError(_ONLY)
    return im


def _refuse_animation(im: Image.Image) -> None:
    """Refuse animated PNG (APNG) and animated WebP.

    Evidence pictures are stills. The derivatives could only show the first frame, so viewers
    would see something different from the sealed original, and every frame would have to be
    decoded and checked (a multi-frame file is a cheap way around the pixel limit). MPO extra
    frames are camera previews or depth maps, not animation, and are not looked at. GIF and
    TIFF are different by request of the people who receive them from X-ray and document
    scanners: only the first frame or page is decoded and shown, the sealed original keeps the
    rest, and the other frames are never decoded (so they cost nothing).
    """
    if im.format in {"PNG", "WEBP"} and getattr(im, "n_frames", 1) > 1:
        raise AnimatedPictureError(
            "animated pictures are not accepted: upload a still photo (a single frame)"
        )


def _fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    """``size`` shrunk to fit a ``box`` × ``box`` square, aspect kept; never enlarged."""
    width, height = size
    if width <= box and height <= box:
        return size
    scale = box / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _bytes_per_pixel(mode: str) -> int:
    # Pillow stores 1, L and P in one byte a pixel, 16-bit grey in two, everything else
    # (RGB included) in four.
    if mode in {"1", "L", "P"}:
        return 1
    return 2 if mode.startswith("I;16") else 4


def _decode_cost(mode: str, size: tuple[int, int], transparent: bool) -> int:
    """Estimated peak bytes of decoding an image of ``mode`` and ``size`` into derivatives.

    The decoded pixels, a full-size conversion where `_reducible` needs one (palette, 1-bit,
    16-bit grey, colour-keyed transparency), and a few working copies at the reduced size.
    """
    width, height = size
    pixels = width * height
    cost = pixels * _bytes_per_pixel(mode)
    if mode not in _REDUCIBLE or (transparent and mode in {"L", "RGB"}):
        cost += pixels * 4
    working = _fit(size, 2 * DISPLAY_MAX)
    return cost + 4 * (working[0] * working[1] * 4)


def _reducible(im: Image.Image) -> Image.Image:
    """``im`` in a mode `Image.reduce` averages correctly (converted at full size if needed)."""
    transparent = "transparency" in im.info
    if im.mode == "1":
        return im.convert("L")
    if im.mode.startswith("I;16") or im.mode in {"I;32", "I;32B", "I;32L"}:
        return im.convert("I")
    if im.mode in {"P", "PA"} or (transparent and im.mode in {"L", "RGB"}):
        # A colour-keyed transparent pixel must become alpha before pixels are averaged.
        return im.convert("RGBA" if transparent or im.mode == "PA" else "RGB")
    if im.mode not in _REDUCIBLE:
        return im.convert("RGB")
    return im


def _reduce(im: Image.Image) -> Image.Image:
    """``im`` reduced by the largest whole factor that keeps it at least the display size.

    Done in horizontal strips: `Image.reduce` and `Image.resize` premultiply alpha through a
    full-size copy first, which would double the peak memory of a large transparent picture.
    Strips a whole number of blocks high give exactly the pixels of one `Image.reduce`.
    """
    factor = max(im.size) // DISPLAY_MAX
    if factor <= 1:
        return im
    width, height = im.size
    out = Image.new(im.mode, (-(-width // factor), -(-height // factor)))
    step = factor * _STRIP_BLOCKS
    for top in range(0, height, step):
        strip = im.crop((0, top, width, min(height, top + step)))
        out.paste(strip.reduce(factor), (0, top // factor))
    out.info = dict(im.info)
    return out


def _orientation(im: Image.Image) -> int | None:
    """The EXIF orientation (2-8) of the opened image, read from the header; else None."""
    try:
        value = im.getexif().get(_ORIENTATION_TAG)
    except (OSError, SyntaxError, ValueError, struct.error, KeyError, TypeError) as exc:
        # A damaged EXIF block must not cost the investigator the evidence: the original is
        # kept as is, and only the preview may then be shown unrotated.
        logger.warning("picture EXIF orientation unreadable, left as is: %s", exc)
        return None
    return value if isinstance(value, int) and value in _TRANSPOSE else None


def _decode(
    raw: bytes, allowed: _Allowed, max_pixels: int, budget: DecodeBudget
) -> tuple[Image.Image, tuple[int, int]]:
    """Verify and decode every pixel once (refusing truncated or corrupt data), within budget.

    Returns the working image, flattened to sRGB without metadata, oriented, and reduced to
    about the display size (at most twice it), with the displayed full size (after orientation).
    """
    try:
        probe = _open(raw, allowed, max_pixels)
        _refuse_animation(probe)
        probe.verify()  # PNG: every chunk CRC and the end marker; cheap, decodes nothing
        im = _open(raw, allowed, max_pixels)  # verify() leaves the image unusable
        width, height = im.size
        orientation = _orientation(im)
        icc = im.info.get("icc_profile")
        if im.format in {"JPEG", "MPO"}:
            # libjpeg decodes at 1/2, 1/4 or 1/8 scale when that still covers the display
            # size: a 40 MP photo then costs a sixteenth of the memory. Every byte is read.
            im.draft(None, _fit(im.size, DISPLAY_MAX))
        with budget.reserve(_decode_cost(im.mode, im.size, "transparency" in im.info)):
            im.load()
            working = _reduce(_reducible(im))
            if working is not im:
                # Free the full-size pixels now (close() drops them at once, whatever else
                # still refers to the image object): only the reduced image is used from here.
                im.close()
            if orientation is not None:
                working = working.transpose(_TRANSPOSE[orientation])
            visible = _flatten(working, icc)
    except PictureRejectedError:
        raise
    except Exception as exc:  # re-raised as a refusal: see _UNTRUSTED
        raise CorruptPictureError(
            "the picture is damaged or incomplete (perhaps cut short while copying): "
            "upload the complete file again"
        ) from exc
    if orientation in {5, 6, 7, 8}:  # turned by 90°: what is displayed is height × width
        width, height = height, width
    return visible, (width, height)


def _to_eight_bit(im: Image.Image) -> Image.Image:
    # 16-bit and 32-bit grey (PNG, TIFF) would be clipped by a plain convert("L"): scale instead.
    if im.mode in {"I;16", "I;16B", "I;16L", "I;16N"}:
        im = im.convert("I")
    if im.mode == "I":
        return im.point(lambda v: v * (1 / 256)).convert("L")
    if im.mode == "F":
        return im.convert("L")
    return im


def _flatten(im: Image.Image, icc: bytes | None) -> Image.Image:
    """Make an RGB or L image in sRGB with no alpha (transparent parts become white) and no
    metadata at all (``info`` emptied: Pillow would carry a comment or dpi into a save)."""
    im = _to_eight_bit(im)
    has_alpha = im.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in im.info
    if has_alpha:
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, _WHITE)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        im = flat
    elif im.mode not in {"RGB", "L", "CMYK"}:
        im = im.convert("RGB")
    if icc and im.mode in {"RGB", "CMYK"}:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            dst = ImageCms.createProfile("sRGB")
            converted = ImageCms.profileToProfile(im, src, dst, outputMode="RGB")
            if converted is not None:
                im = converted
        except ImageCms.PyCMSError as exc:
            # A broken profile only costs colour accuracy of the preview, never the evidence.
            logger.warning("picture ICC profile unusable, colours left as they are: %s", exc)
    if im.mode == "CMYK":
        im = im.convert("RGB")
    im = im.copy() if im.readonly else im
    im.info = {}
    return im


def _render(im: Image.Image, box: int, quality: int) -> Rendition:
    """Shrink ``im`` to fit ``box`` and encode it as a JPEG that carries no metadata at all.

    ``im`` comes from `_flatten`, whose ``info`` is empty, and no exif/icc/xmp is passed, so
    nothing of the original's metadata reaches the derivative.
    """
    size = _fit(im.size, box)
    out = im if size == im.size else im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out.info = {}
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return Rendition(data=buffer.getvalue(), width=out.width, height=out.height)


def difference_hash(im: Image.Image) -> str:
    """The 64-bit dHash of ``im`` as 16 hex digits.

    The picture is shrunk to 9×8 grey pixels; each bit says whether a pixel is darker than its
    right-hand neighbour. Resized, recompressed or slightly retouched copies differ by a few bits
    (compare with `hamming_distance`).
    """
    small = im.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()
    bits = 0
    for y in range(8):
        row = pixels[y * 9 : y * 9 + 9]
        for x in range(8):
            bits = (bits << 1) | (row[x] < row[x + 1])
    return f"{bits:016x}"


def hamming_distance(a: str, b: str) -> int:
    """How many of the 64 bits differ between two hashes from `difference_hash`."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def inspect_upload(
    data: bytes | BinaryIO,
    *,
    max_bytes: int,
    max_pixels: int,
    budget: DecodeBudget | None = None,
) -> ProbedImage:
    """Check an upload by content and produce its derivatives and hashes.

    ``data`` is the whole file, or a binary stream read from its current position (at most
    ``max_bytes + 1`` bytes are read). The decode reserves its memory from ``budget``
    (`default_budget()`, shared by the process, when None) and may wait for room. Pure
    otherwise: no file or database is touched.

    Raises `PictureTooLargeError` (bytes, pixels, or more memory than the whole budget),
    `UnsupportedPictureError` (not JPEG, PNG, WebP, GIF or TIFF by content),
    `CorruptPictureError` (empty, truncated, undecodable), `AnimatedPictureError` (animated PNG
    or WebP) or `PictureBusyError` (no room in the budget in time); all are
    `PictureRejectedError`.
    """
    raw = _read_limited(data, max_bytes)
    sniffed = _sniff(raw)
    allowed = _ALLOWED[sniffed]
    visible, (width, height) = _decode(raw, allowed, max_pixels, budget or default_budget())
    display = _render(visible, DISPLAY_MAX, _JPEG_QUALITY)
    thumbnail = _render(visible, THUMBNAIL_MAX, _THUMB_QUALITY)
    return ProbedImage(
        original=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        size_bytes=len(raw),
        mime_type=allowed.mime_type,
        width=width,
        height=height,
        phash=difference_hash(visible),
        dct_hash=dct_hash(visible),
        display=display,
        thumbnail=thumbnail,
    )
