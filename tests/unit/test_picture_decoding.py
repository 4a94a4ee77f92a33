"""Bounded picture decoding and the formats of scanners (issue 12, item 18).

- Peak memory of checking one upload, measured by the kernel in a fresh process: a 12 MP JPEG
  used to cost about 165 MB and a 12 MP PNG with transparency about 200 MB, because every step
  worked on the full-size pixels. JPEGs are now decoded at reduced scale and other formats are
  reduced right after decoding, so every later step works on about the display size.
- A per-process decoding budget and a limit on concurrent decodes: a decode waits for room,
  and is refused with a clear message if it cannot get it.
- GIF (first frame; the animation is dropped from the derivatives) and TIFF (first page), as
  X-ray and document scanners produce them.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from ncen.pictures.processing import (
    DecodeBudget,
    PictureBusyError,
    PictureRejectedError,
    PictureTooLargeError,
    inspect_upload,
)
from tests.unit.test_picture_processing import LIMITS, encode, near, scene

MB = 2**20
ROOT = Path(__file__).resolve().parents[2]

PEAK = r"""
import json, sys
from ncen.pictures.processing import inspect_upload
data = open(sys.argv[1], "rb").read()
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # the peak (VmHWM) starts again from the current resident size
before = status("VmRSS:")
inspect_upload(data, max_bytes=20 * 2**20, max_pixels=40_000_000)
print(json.dumps(status("VmHWM:") - before))
"""


def _peak_bytes(path: Path) -> int:
    result = subprocess.run(
        [sys.executable, "-c", PEAK, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return int(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("fmt", "mode", "limit_mb"),
    # Full size in Pillow is 4 bytes a pixel: 46 MB for 12 MP. JPEG never decodes at full size
    # now; PNG must, once, but nothing else does.
    [("JPEG", "RGB", 60), ("PNG", "RGBA", 90)],
)
def test_peak_memory_of_a_12_megapixel_upload_is_bounded(
    tmp_path: Path, fmt: str, mode: str, limit_mb: int
) -> None:
    path = tmp_path / f"big.{fmt.lower()}"
    path.write_bytes(encode(scene(4000, 3000, mode=mode), fmt))
    peak = _peak_bytes(path)
    assert peak < limit_mb * MB, f"{fmt} 12 MP: peak {peak / MB:.0f} MB, limit {limit_mb} MB"


def test_a_big_png_is_reduced_before_its_derivatives_are_made() -> None:
    probed = inspect_upload(encode(scene(4000, 3000, mode="RGBA"), "PNG"), **LIMITS)
    assert (probed.width, probed.height) == (4000, 3000)  # as declared, not as reduced
    assert (probed.display.width, probed.display.height) == (1600, 1200)


# --- the budget -------------------------------------------------------------------------------


def test_a_decode_larger_than_the_whole_budget_is_refused_at_once() -> None:
    budget = DecodeBudget(max_bytes=8 * MB, max_concurrent=2, wait_seconds=5)
    started = time.monotonic()
    with pytest.raises(PictureTooLargeError, match="too large to decode"):
        inspect_upload(encode(scene(3000, 2000), "PNG"), **LIMITS, budget=budget)
    assert time.monotonic() - started < 4
    assert budget.reserved == 0


def test_decodes_wait_for_the_budget_and_give_up_with_a_message() -> None:
    budget = DecodeBudget(max_bytes=64 * MB, max_concurrent=1, wait_seconds=0.3)
    data = encode(scene(), "PNG")
    # Another upload is being decoded, and holds the only slot.
    with budget.reserve(1), pytest.raises(PictureBusyError, match="try again"):
        inspect_upload(data, **LIMITS, budget=budget)
    assert budget.reserved == 0
    assert inspect_upload(data, **LIMITS, budget=budget).width == 640
    assert issubclass(PictureBusyError, PictureRejectedError)


def test_concurrent_decodes_never_exceed_the_limit() -> None:
    budget = DecodeBudget(max_bytes=512 * MB, max_concurrent=2, wait_seconds=30)
    release = threading.Event()
    entered: list[float] = []

    def hold() -> None:
        with budget.reserve(MB):
            entered.append(time.monotonic())
            release.wait(10)

    holders = [threading.Thread(target=hold) for _ in range(2)]
    for thread in holders:
        thread.start()
    while budget.active < 2:
        time.sleep(0.01)
    third = threading.Thread(target=hold)
    third.start()
    time.sleep(0.3)
    assert len(entered) == 2  # the third decode waits for a slot
    released = time.monotonic()
    release.set()
    for thread in [*holders, third]:
        thread.join()
    assert entered[2] >= released
    assert budget.max_active_seen == 2
    assert (budget.reserved, budget.active) == (0, 0)


# --- GIF and TIFF ---------------------------------------------------------------------------


def test_a_gif_is_accepted_and_an_animation_keeps_only_its_first_frame() -> None:
    red = Image.new("RGB", (120, 80), (220, 20, 20)).convert("P")
    blue = Image.new("RGB", (120, 80), (20, 20, 220)).convert("P")
    data = encode(red, "GIF", save_all=True, append_images=[blue], duration=100, loop=0)
    probed = inspect_upload(data, **LIMITS)
    assert probed.mime_type == "image/gif"
    assert probed.original == data  # the animation stays in the sealed original
    assert (probed.width, probed.height) == (120, 80)
    display = Image.open(io.BytesIO(probed.display.data))
    assert display.format == "JPEG"
    assert near(display.getpixel((60, 40)), (220, 20, 20))


def test_a_transparent_gif_becomes_white_where_transparent() -> None:
    im = Image.new("P", (40, 40), 0)
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    data = encode(im, "GIF", transparency=0)
    display = Image.open(io.BytesIO(inspect_upload(data, **LIMITS).display.data))
    assert near(display.getpixel((20, 20)), (255, 255, 255), 3)


@pytest.mark.parametrize("compression", ["raw", "tiff_lzw", "tiff_adobe_deflate", "packbits"])
def test_a_tiff_is_accepted_with_its_first_page(compression: str) -> None:
    first = Image.new("RGB", (300, 200), (20, 200, 20))
    second = Image.new("RGB", (300, 200), (200, 20, 200))
    data = encode(first, "TIFF", save_all=True, append_images=[second], compression=compression)
    probed = inspect_upload(data, **LIMITS)
    assert probed.mime_type == "image/tiff"
    assert (probed.width, probed.height) == (300, 200)
    assert near(Image.open(io.BytesIO(probed.display.data)).getpixel((150, 100)), (20, 200, 20))


def test_scanner_tiffs_sixteen_bit_grey_and_bilevel_fax() -> None:
    grey = Image.new("I;16", (64, 48), 0x8000)
    probed = inspect_upload(encode(grey, "TIFF"), **LIMITS)
    pixel = Image.open(io.BytesIO(probed.display.data)).convert("L").getpixel((5, 5))
    assert 120 <= pixel <= 136
    bilevel = Image.new("1", (640, 480), 1)
    probed = inspect_upload(encode(bilevel, "TIFF", compression="group4"), **LIMITS)
    assert probed.mime_type == "image/tiff"
    assert Image.open(io.BytesIO(probed.display.data)).convert("L").getpixel((5, 5)) > 240


def test_a_big_tiff_decoded_within_the_pixel_limit_only() -> None:
    with pytest.raises(PictureTooLargeError, match="too many pixels"):
        inspect_upload(
            encode(Image.new("L", (3000, 3000)), "TIFF"), max_bytes=20 * MB, max_pixels=10**6
        )
