"""Benchmark: peak memory of checking one uploaded picture, before and after bounding decodes.

Issue 12, item 18: a 40-megapixel PNG within the limits cost about 700 MB per upload, and a
12-megapixel JPEG about 165 MB. This script measures, in the same run and on the same files:

- **before**: `inspect_upload` of the code as it was before the change, loaded from git
  (``--before-commit``, default ``a032db4``, the last commit without the change), and
- **after**: `inspect_upload` of the working tree.

Each measurement runs in a fresh Python process (``python -c``) that reads the file, resets the
kernel's peak-RSS counter (``/proc/self/clear_refs``), calls `inspect_upload` once and reports
the growth of the peak resident set (VmHWM - VmRSS before the call) and the wall time. Pillow
allocates pixels outside Python's allocator, so tracemalloc would not see them; the kernel
does. Linux only. The files are generated once per run with a seeded generator: shapes over
the whole frame, so they compress like photographs of objects rather than like noise, and stay
within the default 20 MB upload limit.

Usage: python benchmarks/bench_picture_memory.py [--before-commit a032db4] [--runs 1]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 20 * 2**20
MAX_PIXELS = 40_000_000

# (name, size, mode, format, save options)
CASES: list[tuple[str, tuple[int, int], str, str, dict[str, object]]] = [
    ("jpeg-12mp", (4000, 3000), "RGB", "JPEG", {"quality": 90}),
    ("jpeg-40mp", (7300, 5470), "RGB", "JPEG", {"quality": 85}),
    ("png-40mp-rgba", (7300, 5470), "RGBA", "PNG", {"compress_level": 6}),
    ("png-40mp-rgb", (7300, 5470), "RGB", "PNG", {"compress_level": 6}),
    ("png-12mp-rgb", (4000, 3000), "RGB", "PNG", {"compress_level": 6}),
    ("gif-12mp", (4000, 3000), "P", "GIF", {}),
    ("tiff-12mp-lzw", (4000, 3000), "RGB", "TIFF", {"compression": "tiff_lzw"}),
]

CHILD = r"""
import importlib.util, json, sys, time
path, module_file = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("processing_under_test", module_file)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module
spec.loader.exec_module(module)
data = open(path, "rb").read()

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
    raise KeyError(key)

with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # reset VmHWM to the current RSS
before = status("VmRSS:")
start = time.perf_counter()
try:
    probed = module.inspect_upload(data, max_bytes=%(max_bytes)d, max_pixels=%(max_pixels)d)
    outcome = f"{probed.mime_type} {probed.width}x{probed.height}"
except Exception as exc:
    outcome = f"refused: {type(exc).__name__}: {str(exc)[:60]}"
elapsed = time.perf_counter() - start
print(json.dumps({"peak": status("VmHWM:") - before, "seconds": elapsed, "outcome": outcome}))
"""


def scene(size: tuple[int, int], mode: str, seed: int = 7) -> Image.Image:
    """Boxes and discs over the whole frame (compresses like a photo of objects)."""
    width, height = size
    rng = random.Random(seed)
    im = Image.new("RGB", size, (rng.randrange(256), 90, 140))
    draw = ImageDraw.Draw(im)
    for _ in range(400):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(20, width // 4), y0 + rng.randrange(20, height // 4)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)((x0, y0, x1, y1), fill=colour)
    if mode == "RGBA":
        im = im.convert("RGBA")
        im.putalpha(Image.linear_gradient("L").resize(size))
        return im
    if mode == "P":
        return im.quantize(64)
    return im.convert(mode)


def make_files(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for name, size, mode, fmt, options in CASES:
        buffer = io.BytesIO()
        scene(size, mode).save(buffer, fmt, **options)
        path = folder / f"{name}.{fmt.lower()}"
        path.write_bytes(buffer.getvalue())
        files[name] = path
    return files


def before_module(folder: Path, commit: str) -> Path:
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{commit}:ncen/pictures/processing.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = folder / "processing_before.py"
    path.write_text(source, encoding="utf-8")
    return path


def measure(path: Path, module_file: Path) -> dict[str, object]:
    code = CHILD % {"max_bytes": MAX_BYTES, "max_pixels": MAX_PIXELS}
    result = subprocess.run(
        [sys.executable, "-c", code, str(path), str(module_file)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before-commit", default="a032db4")
    parser.add_argument("--runs", type=int, default=1, help="runs per case; the max is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_files(folder)
        variants = {
            f"before ({args.before_commit})": before_module(folder, args.before_commit),
            "after (working tree)": ROOT / "ncen" / "pictures" / "processing.py",
        }
        print(f"{'file':<16} {'bytes':>9}  {'variant':<22} {'peak MB':>8} {'s':>6}  outcome")
        for name, path in files.items():
            for label, module_file in variants.items():
                runs = [measure(path, module_file) for _ in range(args.runs)]
                peak = max(float(str(r["peak"])) for r in runs) / 2**20
                seconds = max(float(str(r["seconds"])) for r in runs)
                print(
                    f"{name:<16} {path.stat().st_size:>9}  {label:<22} {peak:>8.1f} "
                    f"{seconds:>6.2f}  {runs[0]['outcome']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
