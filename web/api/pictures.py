"""``/api/v1/pictures``: list and search pictures, picture metadata, the pictures of a record,
and the image files.

The list (``GET /pictures``) filters by the record a picture belongs to (``record_type`` +
``record_id``) and by ``sha256``, keyset-paged like the record lists; with ``similar_to`` it
answers the near-duplicates of a picture, nearest first, with their distance
(`ncen.pictures.listing`). Each call is audited as ``picture.list`` with its filters and the
ids answered, plus a read of the record when one is named.

The access rules are the picture pages': derivatives (display, thumbnail: metadata stripped)
need ``records.read``; the sealed original needs ``pictures.original`` and its download is
audited by `open_original`. Listing a record's pictures requires the record to be live and is
audited as a read of that record (``view: pictures``); reading one picture's metadata is
audited as ``picture.read``. Links to deleted records are not shown.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response, current_app
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.persons.models import Person
from ncen.pictures.listing import PictureFilters, list_statement, similar_to
from ncen.pictures.models import Picture
from ncen.pictures.queries import (
    LINK_COLUMNS,
    PictureFile,
    get_picture,
    links_of,
    open_display,
    open_original,
    open_thumbnail,
    pictures_for,
)
from ncen.pictures.store import PictureStore
from ncen.policy import Action
from ncen.reading import note_read
from ncen.recordkeeping import get_live
from ncen.records import RecordMixin
from ncen.seizures.models import Seizure
from ncen.settings import Settings
from web.api.paging import keyset_page, ranked_page
from web.api.problems import ApiProblemError
from web.api.records import json_response, query_int, query_text
from web.api.routing import Operation, api_actor, api_view
from web.db import get_session

MODELS: dict[str, type[RecordMixin]] = {
    "seizure": Seizure,
    "person": Person,
    "company": Company,
    "conveyance": Conveyance,
}
PLURALS = {
    "seizures": "seizure",
    "persons": "person",
    "companies": "company",
    "conveyances": "conveyance",
}
KINDS = "any(seizures, persons, companies, conveyances)"


PICTURE_FILTERS = (
    ("record_type", "string", "seizure, person, company or conveyance (with record_id)"),
    ("record_id", "string", "the record whose pictures to list (with record_type)"),
    ("sha256", "string", "the SHA-256 of the original, 64 hexadecimal digits"),
    ("similar_to", "string", "a picture id: its near-duplicates, nearest first (dHash)"),
    ("max_distance", "integer", "with similar_to: the most differing bits, 0-15 (default 8)"),
)


def _query_uuid(name: str) -> uuid.UUID | None:
    """A query-string id; 422 when it is not a UUID."""
    value = query_text(name)
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise ApiProblemError(
            422,
            "A filter is refused; see errors.",
            kind="validation",
            errors={name: "must be a UUID"},
        ) from exc


def _store() -> PictureStore:
    settings: Settings = current_app.extensions["ncen.settings"]
    return PictureStore(settings.picture_path)


def picture_body(picture: Picture) -> dict[str, Any]:
    """A picture's metadata (never its file)."""
    return {
        "id": str(picture.id),
        "sha256": picture.sha256,
        "mime_type": picture.mime_type,
        "width": picture.width,
        "height": picture.height,
        "size_bytes": picture.size_bytes,
        "phash": picture.phash,
        "caption": picture.caption,
        "concealment_method": picture.concealment_method,
        "created_at": picture.created_at.isoformat(),
    }


def _live_links(session: Session, picture_id: uuid.UUID) -> list[dict[str, str]]:
    links = []
    for link in links_of(session, picture_id):
        for record_type, column in LINK_COLUMNS.items():
            record_id = getattr(link, column)
            if record_id is None:
                continue
            record = session.get(MODELS[record_type], record_id)
            if record is not None and record.deleted_at is None:
                links.append({"record_type": record_type, "record_id": str(record_id)})
    return links


def _send(file: PictureFile, *, original: bool = False) -> Response:
    """The file; an original goes as an opaque attachment, never rendered (as in the UI)."""
    response = Response(
        file.data, mimetype="application/octet-stream" if original else file.mime_type
    )
    disposition = "attachment" if original else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{file.download_name}"'
    response.headers["ETag"] = f'"{file.sha256}"'
    return response


def register(bp: Blueprint) -> None:
    """Add the picture routes to ``bp``."""

    @api_view(
        bp,
        f"/<{KINDS}:records>/<uuid:record_id>/pictures",
        Operation(
            "GET",
            "The pictures attached to one record (audited)",
            "pictures",
            Action.READ_RECORDS,
            write=False,
            response="PictureList",
        ),
    )
    def record_pictures(records: str, record_id: uuid.UUID) -> ResponseReturnValue:
        record_type = PLURALS[records]
        db = get_session()
        with db.begin():
            get_live(db, MODELS[record_type], record_id, record_type)
            note_read(
                db, api_actor(), record_type, record_id=record_id, details={"view": "pictures"}
            )
            attached = pictures_for(db, **{f"{record_type}_id": record_id})
            return json_response({"items": [picture_body(a.picture) for a in attached]})

    @api_view(
        bp,
        "/pictures",
        Operation(
            "GET",
            "List or search pictures: of one record, by sha256, or like another (audited)",
            "pictures",
            Action.READ_RECORDS,
            write=False,
            response="PicturePage",
            query=PICTURE_FILTERS,
            paged=True,
        ),
    )
    def list_pictures() -> ResponseReturnValue:
        filters = PictureFilters(
            record_type=query_text("record_type"),
            record_id=_query_uuid("record_id"),
            sha256=query_text("sha256"),
        )
        like = _query_uuid("similar_to")
        distance = query_int("max_distance", minimum=0, maximum=15)
        db = get_session()
        actor = api_actor()
        with db.begin():
            if like is None:
                page = keyset_page(
                    db, list_statement(db, filters), resource="pictures",
                    updated_at=Picture.updated_at, id_column=Picture.id,
                )  # fmt: skip
                items = [picture_body(p) for p in page.rows]
            else:
                near = similar_to(db, actor, like, filters, max_distance=8 if distance is None
                                  else distance)  # fmt: skip
                page, _offset = ranked_page(near, resource="pictures.similar")
                items = [{**picture_body(p), "distance": d} for p, d in page.rows]
            described = {**filters.describe(), "via": "api"}
            if like is not None:
                described["similar_to"] = str(like)
            if filters.record_type is not None:
                # Who looked at whose pictures: a read of the record, as its picture list is.
                note_read(db, actor, filters.record_type, record_id=filters.record_id,
                          details={"view": "pictures", "via": "api"})  # fmt: skip
            note_read(db, actor, "picture", details={**described, "ids": [i["id"] for i in items]})
            return json_response({"items": items, "next_cursor": page.next_cursor})

    @api_view(
        bp,
        "/pictures/<uuid:picture_id>",
        Operation(
            "GET",
            "One picture's metadata and the records it belongs to (audited)",
            "pictures",
            Action.READ_RECORDS,
            write=False,
            response="Picture",
        ),
    )
    def get_picture_metadata(picture_id: uuid.UUID) -> ResponseReturnValue:
        db = get_session()
        with db.begin():
            note_read(db, api_actor(), "picture", record_id=picture_id)
            picture = get_picture(db, picture_id)
            return json_response({**picture_body(picture), "links": _live_links(db, picture_id)})

    @api_view(
        bp,
        "/pictures/<uuid:picture_id>/display",
        Operation(
            "GET",
            "The display JPEG (metadata stripped, orientation applied)",
            "pictures",
            Action.READ_RECORDS,
            write=False,
            response=None,
            media_type="image/jpeg",
        ),
    )
    def picture_display(picture_id: uuid.UUID) -> ResponseReturnValue:
        db = get_session()
        with db.begin():
            file = open_display(db, api_actor(), _store(), picture_id)
        return _send(file)

    @api_view(
        bp,
        "/pictures/<uuid:picture_id>/thumbnail",
        Operation(
            "GET",
            "The thumbnail JPEG",
            "pictures",
            Action.READ_RECORDS,
            write=False,
            response=None,
            media_type="image/jpeg",
        ),
    )
    def picture_thumbnail(picture_id: uuid.UUID) -> ResponseReturnValue:
        db = get_session()
        with db.begin():
            file = open_thumbnail(db, api_actor(), _store(), picture_id)
        return _send(file)

    @api_view(
        bp,
        "/pictures/<uuid:picture_id>/original",
        Operation(
            "GET",
            "The sealed original, verified (audited)",
            "pictures",
            Action.DOWNLOAD_ORIGINAL_PICTURE,
            write=False,
            response=None,
            media_type="application/octet-stream",
        ),
    )
    def picture_original(picture_id: uuid.UUID) -> ResponseReturnValue:
        db = get_session()
        with db.begin():
            file = open_original(db, api_actor(), _store(), picture_id)
        return _send(file, original=True)
