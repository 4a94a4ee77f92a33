"""Synthetic X-ray scans of concealments, drawn with Pillow (no file comes from outside).

Each scene is a greyscale transmission image, as a cargo or baggage scanner shows it: the
background is white, every object darkens what lies behind it by its density (layers are
multiplied, so overlaps are darker), and the scanner's grain and blur are added last. A scene
function draws one kind of concealment (a suitcase with a false bottom, a truck with a
compartment behind the cab, a spare wheel, a container wall...) with the hidden goods as dense,
regular shapes among the light, irregular legitimate load; its ``layout`` number moves, scales
and mirrors the parts, so two layouts of a scene are different pictures while the same layout
is always the same picture. Pure: returns images, writes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial
from typing import Final

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

WIDTH: Final = 960
HEIGHT: Final = 640
Box = tuple[float, float, float, float]
_ZOOM: Final = (0, HEIGHT // 6, WIDTH * 3 // 4, HEIGHT * 11 // 12)


class _Film:
    """A transmission image under construction: layers multiply into ``image``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        # A faint vertical gradient: scanners are never perfectly flat.
        top = 250 - rng.randint(0, 6)
        self.image = (
            Image.linear_gradient("L").resize((WIDTH, HEIGHT)).point(lambda v: top - v * 12 // 255)
        )

    def layer(self, draw: Callable[[ImageDraw.ImageDraw], None]) -> None:
        """Draw one object (in grey levels: its transmission) and multiply it in."""
        layer = Image.new("L", (WIDTH, HEIGHT), 255)
        draw(ImageDraw.Draw(layer))
        self.image = ImageChops.multiply(self.image, layer)

    def packages(self, box: Box, cols: int, rows: int, tone: int) -> None:
        """A neat grid of dense, taped packages filling ``box``: what the officer looks for."""
        x0, y0, x1, y1 = box
        w, h = (x1 - x0) / cols, (y1 - y0) / rows

        def draw(d: ImageDraw.ImageDraw) -> None:
            for c in range(cols):
                for r in range(rows):
                    bx, by = x0 + c * w, y0 + r * h
                    d.rounded_rectangle(
                        (bx + 3, by + 3, bx + w - 3, by + h - 3), radius=6, fill=tone
                    )
                    d.line((bx + 6, by + h / 2, bx + w - 6, by + h / 2), fill=tone - 30, width=3)

        self.layer(draw)

    def clutter(self, box: Box, count: int, light: tuple[int, int] = (200, 235)) -> None:
        """Light, irregular legitimate load (clothes, fruit, kitchenware) scattered in ``box``."""
        x0, y0, x1, y1 = box
        rng = self.rng

        def draw(d: ImageDraw.ImageDraw) -> None:
            for _ in range(count):
                cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
                rx, ry = rng.uniform(10, (x1 - x0) / 5), rng.uniform(8, (y1 - y0) / 4)
                shape = (max(x0, cx - rx), max(y0, cy - ry), min(x1, cx + rx), min(y1, cy + ry))
                if shape[2] - shape[0] < 4 or shape[3] - shape[1] < 4:
                    continue
                tone = rng.randint(*light)
                if rng.random() < 0.5:
                    d.ellipse(shape, fill=tone)
                else:
                    d.rectangle(shape, fill=tone)

        self.layer(draw)

    def develop(self, layout: int) -> Image.Image:
        """Add grain and blur, mirror odd layouts; return the greyscale scan."""
        # Grain from the scene's own generator (not Pillow's noise), so a layout is the same
        # picture, byte for byte, in every run.
        half = (WIDTH // 2, HEIGHT // 2)
        grain = Image.frombytes("L", half, self.rng.randbytes(half[0] * half[1]))
        grain = grain.resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
        grain = grain.point(lambda v: 255 - v * 40 // 255)
        grained = ImageChops.multiply(self.image, grain).filter(ImageFilter.GaussianBlur(1.1))
        if layout >= 3:
            # The operator zoomed in on the suspect part: a different framing of the scene.
            grained = grained.crop(_ZOOM).resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
        if layout % 2:
            grained = ImageOps.mirror(grained)
        return grained


def _wheel(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=110)
    d.ellipse((cx - r * 0.55, cy - r * 0.55, cx + r * 0.55, cy + r * 0.55), fill=170)
    d.ellipse((cx - r * 0.2, cy - r * 0.2, cx + r * 0.2, cy + r * 0.2), fill=90)


def suitcase(layout: int) -> Image.Image:
    """A suitcase, packed with clothes, with packages hidden under a false bottom."""
    rng = random.Random(f"suitcase:{layout}")  # noqa: S311 - drawing, not security
    film = _Film(rng)
    upright = layout % 3 == 1
    if upright:
        x0, y0, x1, y1 = 300 + rng.randint(-30, 30), 70, 660 + rng.randint(-30, 30), 590
    else:
        x0, y0, x1, y1 = 90 + rng.randint(0, 60), 130 + rng.randint(0, 50), 870, 520
    film.layer(lambda d: d.rounded_rectangle((x0, y0, x1, y1), radius=40, outline=150, width=14))
    film.layer(lambda d: d.line((x0 + 30, y0 - 40, x0 + 30, y0), fill=120, width=10))
    film.layer(lambda d: d.line((x1 - 30, y0 - 40, x1 - 30, y0), fill=120, width=10))
    film.clutter((x0 + 20, y0 + 20, x1 - 20, y1 - 90), 40 + layout * 3)
    bottom = (x0 + 24, y1 - 85, x1 - 24, y1 - 18)
    film.layer(lambda d: d.line((bottom[0], bottom[1] - 4, bottom[2], bottom[1] - 4), fill=140,
                                width=5))  # fmt: skip
    film.packages(bottom, 3 + layout % 3, 1, 85 + rng.randint(0, 20))
    return film.develop(layout)


def _truck(film: _Film, layout: int) -> tuple[float, float]:
    """Cab, chassis and wheels of a truck; returns the x range behind the cab."""
    rng = film.rng
    cab = 40 + rng.randint(0, 40)
    film.layer(lambda d: d.rounded_rectangle((cab, 200, cab + 190, 470), radius=30, fill=185))
    film.layer(lambda d: d.rectangle((cab + 20, 480, 930, 505), fill=120))
    film.layer(lambda d: d.rectangle((cab + 215, 150, 930, 470), outline=150, width=8))
    for x in (cab + 95, cab + 430 + layout * 13, cab + 560 + layout * 13, 860):
        film.layer(partial(_wheel, cx=x, cy=540, r=58))
    return cab + 225, 930


def truck_compartment(layout: int) -> Image.Image:
    """A truck with a welded compartment behind the cab, packed with dense bricks."""
    rng = random.Random(f"truck:{layout}")  # noqa: S311
    film = _Film(rng)
    start, end = _truck(film, layout)
    depth = 90 + 20 * (layout % 3)
    film.clutter((start + depth + 20, 165, end - 15, 460), 35, (190, 230))
    film.layer(lambda d: d.rectangle((start, 160, start + depth, 465), outline=110, width=6))
    film.packages((start + 8, 170, start + depth - 8, 455), 2, 5 + layout % 3, 80)
    return film.develop(layout)


def fuel_tank(layout: int) -> Image.Image:
    """The chassis of a truck with packages inside a partitioned fuel tank."""
    rng = random.Random(f"tank:{layout}")  # noqa: S311
    film = _Film(rng)
    film.layer(lambda d: d.rectangle((0, 150, WIDTH, 190), fill=115))
    x = 150 + rng.randint(0, 200)
    film.layer(lambda d: d.rounded_rectangle((x, 240, x + 520, 470), radius=90, fill=205,
                                             outline=140, width=10))  # fmt: skip
    film.packages((x + 70, 270, x + 330 + layout * 10, 440), 3 + layout % 2, 2, 95)
    film.layer(lambda d: _wheel(d, 80, 470, 95))
    film.clutter((0, 0, WIDTH, 140), 12, (215, 240))
    return film.develop(layout)


def spare_wheel(layout: int) -> Image.Image:
    """A spare wheel with bricks laid around the rim inside the tyre."""
    import math

    rng = random.Random(f"tyre:{layout}")  # noqa: S311
    film = _Film(rng)
    cx, cy, r = 480 + rng.randint(-120, 120), 320, 250 - layout * 12
    film.layer(lambda d: d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=150))
    film.layer(lambda d: d.ellipse((cx - r * 0.6, cy - r * 0.6, cx + r * 0.6, cy + r * 0.6),
                                   fill=255))  # fmt: skip
    film.layer(lambda d: d.ellipse((cx - r * 0.5, cy - r * 0.5, cx + r * 0.5, cy + r * 0.5),
                                   outline=110, width=12))  # fmt: skip
    n = 8 + layout % 4

    def bricks(d: ImageDraw.ImageDraw) -> None:
        for i in range(n):
            a = 2 * math.pi * i / n
            px, py = cx + math.cos(a) * r * 0.8, cy + math.sin(a) * r * 0.8
            d.ellipse((px - 24, py - 24, px + 24, py + 24), fill=80)

    film.layer(bricks)
    return film.develop(layout)


def parcel(layout: int) -> Image.Image:
    """A postal parcel of 'herbal tea' with blister packs of tablets under the tea bags."""
    rng = random.Random(f"parcel:{layout}")  # noqa: S311
    film = _Film(rng)
    x0, y0 = 120 + rng.randint(0, 120), 90 + rng.randint(0, 60)
    x1, y1 = x0 + 560 + layout * 20, y0 + 400
    film.layer(lambda d: d.rectangle((x0, y0, x1, y1), outline=175, width=10))
    film.clutter((x0 + 15, y0 + 15, x1 - 15, y0 + 150), 30, (205, 235))
    packs = 4 + layout % 3

    def blisters(d: ImageDraw.ImageDraw) -> None:
        w = (x1 - x0 - 40) / packs
        for p in range(packs):
            bx = x0 + 20 + p * w
            d.rectangle((bx + 6, y0 + 180, bx + w - 6, y1 - 20), fill=190)
            for i in range(2):
                for j in range(5):
                    tx, ty = bx + 18 + i * (w - 36) / 1.5, y0 + 200 + j * 36
                    d.ellipse((tx, ty, tx + 22, ty + 22), fill=95)

    film.layer(blisters)
    return film.develop(layout)


def container(layout: int) -> Image.Image:
    """A container with cartons of kitchenware and dense slabs behind a false front wall."""
    rng = random.Random(f"container:{layout}")  # noqa: S311
    film = _Film(rng)
    top, bottom = 120 + rng.randint(0, 40), 540

    def walls(d: ImageDraw.ImageDraw) -> None:
        d.rectangle((20, top, 940, bottom), outline=120, width=10)
        for x in range(40, 940, 26):
            d.line((x, top, x, bottom), fill=215, width=3)

    film.layer(walls)
    wall = 60 + 25 * (layout % 3)
    film.clutter((40 + wall + 30, top + 15, 925, bottom - 15), 45, (195, 235))
    film.layer(lambda d: d.line((40 + wall + 12, top, 40 + wall + 12, bottom), fill=120, width=8))
    film.packages((32, top + 12, 40 + wall, bottom - 12), 1, 6 + layout % 3, 75)
    return film.develop(layout)


def cartons(layout: int) -> Image.Image:
    """Cartons of legitimate goods, some of them full of cigarette cartons (dense stripes)."""
    rng = random.Random(f"cartons:{layout}")  # noqa: S311
    film = _Film(rng)
    cols, rows = 5 + layout % 2, 3
    w, h = 880 / cols, 500 / rows
    hidden = set(rng.sample(range(cols * rows), 3 + layout % 3))

    def draw(d: ImageDraw.ImageDraw) -> None:
        for k in range(cols * rows):
            c, r = k % cols, k // cols
            x, y = 40 + c * w, 70 + r * h
            d.rectangle((x + 5, y + 5, x + w - 5, y + h - 5), outline=165, width=5)
            if k in hidden:
                for s in range(8):
                    sx = x + 14 + s * (w - 28) / 8
                    d.rectangle((sx, y + 16, sx + (w - 28) / 8 - 4, y + h - 16), fill=105)

    film.layer(draw)
    film.clutter((40, 70, 920, 570), 30, (215, 240))
    return film.develop(layout)


def shoe_boxes(layout: int) -> Image.Image:
    """Shoe boxes with pairs of counterfeit sports shoes (soles dense, uppers light)."""
    rng = random.Random(f"shoes:{layout}")  # noqa: S311
    film = _Film(rng)
    cols, rows = 3 + layout % 2, 3

    def draw(d: ImageDraw.ImageDraw) -> None:
        w, h = 880 / cols, 520 / rows
        for c in range(cols):
            for r in range(rows):
                x, y = 40 + c * w, 60 + r * h
                d.rectangle((x + 6, y + 6, x + w - 6, y + h - 6), outline=170, width=4)
                for s in range(2):
                    sy = y + 20 + s * (h - 40) / 2
                    d.ellipse((x + 20, sy, x + w - 20, sy + (h - 50) / 2), fill=200)
                    d.rectangle((x + 24, sy + (h - 50) / 2 - 14, x + w - 24,
                                 sy + (h - 50) / 2 - 2), fill=120)  # fmt: skip

    film.layer(draw)
    film.clutter((40, 60, 920, 580), 10 + rng.randint(0, 5), (225, 245))
    return film.develop(layout)


def backpack(layout: int) -> Image.Image:
    """A backpack with clothes, a laptop and a brick of powder in the back panel."""
    rng = random.Random(f"backpack:{layout}")  # noqa: S311
    film = _Film(rng)
    x0 = 260 + rng.randint(-60, 60)
    film.layer(lambda d: d.rounded_rectangle((x0, 60, x0 + 420, 600), radius=90, outline=160,
                                             width=12))  # fmt: skip
    film.layer(lambda d: d.arc((x0 + 60, 10, x0 + 360, 160), 180, 360, fill=150, width=10))
    film.layer(lambda d: d.rectangle((x0 + 40, 120, x0 + 380, 170), fill=140))
    film.clutter((x0 + 30, 190, x0 + 390, 580), 30, (195, 235))
    film.packages((x0 + 90, 300 + layout * 20, x0 + 330, 470 + layout * 20), 1, 1, 70)
    return film.develop(layout)


# Scene name -> drawing function, and the concealment method (reference code) it shows.
SCENES: Final[dict[str, tuple[Callable[[int], Image.Image], str]]] = {
    "suitcase": (suitcase, "false_bottom_luggage"),
    "truck": (truck_compartment, "built_in_compartment"),
    "fuel_tank": (fuel_tank, "fuel_tank"),
    "spare_wheel": (spare_wheel, "tyres"),
    "parcel": (parcel, "postal_parcel"),
    "container": (container, "container_structure"),
    "cartons": (cartons, "within_cargo"),
    "shoe_boxes": (shoe_boxes, "misdeclared"),
    "backpack": (backpack, "in_luggage"),
}
