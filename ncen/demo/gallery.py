"""The demo's concealment pictures: drawn scans attached to the planted seizures.

`PICTURES` says which scene (`ncen.demo.xray`) goes on which planted seizure, and which
pictures are near-duplicates of another: the same scan re-encoded, resized, shifted by a few
pixels or brightened, attached to a different seizure (one of them the seizure received from
the Uzbek node), as happens when the same suitcase model or the same container is scanned
again. "Find similar" on one of them then shows the other at a small distance.

`attach_demo_pictures` stores them through the picture services, exactly as uploads are stored
(``add_pictures`` for national seizures, ``attach_received_pictures`` for the foreign one): the
content is checked, the original sealed in the store with its display file and thumbnail, the
perceptual hash computed, and the seizure gets a new version with history and audit.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from PIL import Image, ImageEnhance
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.demo.cast import FOREIGN_NODE, SEIZURES
from ncen.demo.rings import FOREIGN_BUNDLE_ID, planted_id
from ncen.demo.xray import SCENES
from ncen.pictures.services import (
    ReceivedPicture,
    UploadLimits,
    add_pictures,
    attach_received_pictures,
)
from ncen.pictures.store import PictureStore


@dataclass(frozen=True)
class DemoPicture:
    """One picture: a scene layout, how it is altered and encoded, and where it is attached.

    ``variant`` is ``""`` for an original scan, else the alteration of a near-duplicate:
    ``reencoded``, ``resized``, ``shifted`` or ``brightened`` (combined with ``+``).
    """

    scene: str
    layout: int
    seizure: str
    caption: str
    variant: str = ""
    encoding: str = "PNG"

    @property
    def key(self) -> str:
        """The scene and layout: pictures with the same key are near-duplicates."""
        return f"{self.scene}:{self.layout}"


_P = DemoPicture
_UZ = f"{FOREIGN_NODE}/UZ-TAS-2026-00187"
PICTURES: Final[tuple[DemoPicture, ...]] = (
    _P("truck", 1, "DEMO-A-01", "Cargo scan: compartment behind the cab, dense bricks"),
    _P("truck", 1, "DEMO-A-05", "Cargo scan of the same truck (rebuilt compartment)",
       "shifted+brightened", "JPEG"),
    _P("truck", 1, "DEMO-A-10", "Archive copy of the first scan of the truck", "reencoded",
       "JPEG"),
    _P("truck", 2, "DEMO-A-10", "Cargo scan: compartment behind the cab, 31 kg"),
    _P("truck", 3, "DEMO-A-05", "Cargo scan, second pass"),
    _P("suitcase", 1, "DEMO-A-02", "Baggage scan: packages under the false bottom", "", "JPEG"),
    _P("suitcase", 1, "DEMO-A-06", "Baggage scan: same suitcase model, false bottom",
       "resized+reencoded", "JPEG"),
    _P("suitcase", 2, "DEMO-A-02", "Baggage scan, upright"),
    _P("suitcase", 3, "DEMO-A-06", "Baggage scan, second suitcase"),
    _P("spare_wheel", 1, "DEMO-A-03", "Spare wheel: bricks of tablets around the rim"),
    _P("spare_wheel", 2, "DEMO-A-03", "Spare wheel, other side"),
    _P("parcel", 1, "DEMO-A-04", "Parcel scan: blister packs under tea bags", "", "JPEG"),
    _P("parcel", 1, "DEMO-A-09", "Parcel scan: same sender's packing", "reencoded", "JPEG"),
    _P("parcel", 2, "DEMO-A-09", "Parcel scan, second parcel"),
    _P("parcel", 3, "DEMO-A-04", "Parcel scan, third parcel"),
    _P("backpack", 1, "DEMO-A-07", "Bag scan: brick in the back panel"),
    _P("fuel_tank", 1, "DEMO-A-08", "Chassis scan: packages in the fuel tank"),
    _P("fuel_tank", 2, "DEMO-A-08", "Chassis scan, other tank"),
    _P("container", 1, "DEMO-B-01", "Container scan: slabs behind a false front wall"),
    _P("container", 1, _UZ, "Container scan (received from the Uzbek node)",
       "resized+brightened", "JPEG"),
    _P("container", 1, "DEMO-B-04", "Container scan, archive copy", "reencoded", "JPEG"),
    _P("container", 2, "DEMO-B-04", "Container scan: slabs in the floor"),
    _P("container", 3, _UZ, "Container scan, second container (Uzbek node)"),
    _P("cartons", 1, "DEMO-B-02", "Cargo scan: cigarette cartons among kitchenware"),
    _P("cartons", 1, "DEMO-B-05", "Cargo scan of the same load pattern", "shifted", "JPEG"),
    _P("cartons", 2, "DEMO-B-05", "Cargo scan: cigarette cartons, second wagon"),
    _P("shoe_boxes", 1, "DEMO-B-03", "Shoe boxes: counterfeit sports shoes"),
    _P("shoe_boxes", 1, "DEMO-B-02", "Shoe boxes in the mixed load", "brightened", "JPEG"),
    _P("shoe_boxes", 2, "DEMO-B-03", "Shoe boxes, second pallet"),
)  # fmt: skip


def render(picture: DemoPicture) -> bytes:
    """The file of ``picture``: its scene drawn, altered as its variant says, and encoded."""
    drawing, _ = SCENES[picture.scene]
    image = drawing(picture.layout)
    for step in filter(None, picture.variant.split("+")):
        if step == "resized":
            image = image.resize(
                (image.width * 2 // 3, image.height * 2 // 3), Image.Resampling.LANCZOS
            )
        elif step == "shifted":
            image = image.crop((14, 9, image.width, image.height))
        elif step == "brightened":
            image = ImageEnhance.Brightness(image).enhance(1.08)
        elif step != "reencoded":
            raise ValueError(f"unknown picture variant {step!r}")
    buffer = io.BytesIO()
    if picture.encoding == "JPEG":
        quality = 70 if "reencoded" in picture.variant else 88
        image.save(buffer, "JPEG", quality=quality)
    else:
        image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def attach_demo_pictures(
    session: Session,
    store: PictureStore,
    limits: UploadLimits,
    pictures: Sequence[DemoPicture] = PICTURES,
) -> int:
    """Draw ``pictures`` and attach them to their planted seizures; return how many.

    Runs in the caller's transaction, as the system actor ``[demo]``. National seizures get
    theirs through `add_pictures`, the foreign one through `attach_received_pictures` with its
    provenance, one service call per seizure. Files are written to ``store`` before the rows
    (see `ncen.pictures.services`): a rolled-back load leaves only unreferenced files.
    """
    actor = Actor.system("demo")
    foreign = {s.reference for s in SEIZURES if s.foreign}
    by_seizure: dict[str, list[DemoPicture]] = {}
    for picture in pictures:
        by_seizure.setdefault(picture.seizure, []).append(picture)
    for reference, group in by_seizure.items():
        seizure_id = planted_id(f"seizure:{reference}")
        files = [(f"{p.scene}-{p.layout}.{p.encoding.lower()}", render(p)) for p in group]
        if reference in foreign:
            attach_received_pictures(
                session,
                actor,
                store,
                limits,
                [
                    ReceivedPicture(data, _sha256(data), p.caption, SCENES[p.scene][1])
                    for (_, data), p in zip(files, group, strict=True)
                ],
                record_type="seizure",
                record_id=seizure_id,
                details={"origin_node": FOREIGN_NODE, "received_bundle_id": str(FOREIGN_BUNDLE_ID)},
            )
            continue
        # One call per caption: add_pictures gives all of its files the same caption.
        for (name, data), p in zip(files, group, strict=True):
            add_pictures(
                session,
                actor,
                store,
                limits,
                [(name, data)],
                caption=p.caption,
                concealment_method=SCENES[p.scene][1],
                seizure_id=seizure_id,
            )
    return len(pictures)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
