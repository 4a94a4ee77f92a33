"""Perceptual hashes of a picture and their integer forms for the similarity index (pure).

Two 64-bit hashes describe what a picture looks like, each robust to different edits:

- the **difference hash** (dHash, `ncen.pictures.processing.difference_hash`): 9×8 grey
  pixels, one bit per horizontal gradient. Stable under resizing, recompression and uniform
  brightness changes; sensitive to crops that shift the grid.
- the **DCT hash** (pHash, `dct_hash`): 32×32 grey pixels, 2-D DCT-II, the 8×8 lowest
  frequencies compared with their median. Stable under resizing, recompression, brightness and
  contrast changes and small crops, because it keeps only the coarse structure.

Both are stored as signed 64-bit integers (PostgreSQL ``bigint``) and split into four 16-bit
chunks for multi-index hashing (`chunks`, and `ncen.analysis.picture_index`). The DCT is a
matrix product with numpy (a fixed 32×32 cosine basis), so no signal-processing library is
needed.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from PIL import Image

HASH_BITS: Final = 64
CHUNKS: Final = 4
CHUNK_BITS: Final = HASH_BITS // CHUNKS
_CHUNK_MASK: Final = (1 << CHUNK_BITS) - 1
_SIDE: Final = 32
_LOW: Final = 8
# The orthogonal DCT-II basis: row k holds cos(pi * (2n + 1) * k / 2N). Built once; 8 KB.
_BASIS: Final = np.cos(np.pi * np.outer(np.arange(_SIDE), 2 * np.arange(_SIDE) + 1) / (2 * _SIDE))


def dct_hash(im: Image.Image) -> str:
    """The 64-bit pHash of ``im`` as 16 hex digits (most significant bit first).

    The picture is shrunk to 32×32 grey pixels; its 2-D DCT's 8×8 lowest-frequency
    coefficients each give one bit: above their median or not (the convention of the widely
    used pHash/imagehash definition, so hashes are comparable with those tools' in spirit).
    """
    small = im.convert("L").resize((_SIDE, _SIDE), Image.Resampling.LANCZOS)
    pixels = np.asarray(small, dtype=np.float64)
    coefficients = _BASIS @ pixels @ _BASIS.T
    low = coefficients[:_LOW, :_LOW].ravel()
    bits = 0
    for bit in low > np.median(low):
        bits = (bits << 1) | int(bit)
    return f"{bits:016x}"


def to_signed(hex_hash: str) -> int:
    """16 hex digits as a signed 64-bit integer (two's complement), as PostgreSQL stores it."""
    value = int(hex_hash, 16)
    if not 0 <= value < 1 << HASH_BITS:
        raise ValueError(f"not a 64-bit hash: {hex_hash!r}")
    return value - (1 << HASH_BITS) if value >= 1 << (HASH_BITS - 1) else value


def to_hex(signed: int) -> str:
    """The inverse of `to_signed`."""
    return f"{signed & ((1 << HASH_BITS) - 1):016x}"


def chunks(signed: int) -> tuple[int, int, int, int]:
    """The four 16-bit chunks of a hash, most significant first, each in 0..65535."""
    unsigned = signed & ((1 << HASH_BITS) - 1)
    a, b, c, d = (
        (unsigned >> (CHUNK_BITS * (CHUNKS - 1 - i))) & _CHUNK_MASK for i in range(CHUNKS)
    )
    return a, b, c, d


def distance(a: int, b: int) -> int:
    """Hamming distance between two 64-bit hashes (signed or not)."""
    return ((a ^ b) & ((1 << HASH_BITS) - 1)).bit_count()


def hash_row(picture_id: object, dct_hex: str, difference_hex: str) -> dict[str, object]:
    """The column values of a ``picture_hashes`` row for the two hashes given as hex."""
    phash, dhash = to_signed(dct_hex), to_signed(difference_hex)
    row: dict[str, object] = {"picture_id": picture_id, "phash": phash, "dhash": dhash}
    for kind, value in (("p", phash), ("d", dhash)):
        for i, chunk in enumerate(chunks(value)):
            row[f"{kind}{i}"] = chunk
    return row
