"""The picture gallery of a record page: thumbnails, what the user may do, the upload form.

`gallery` is called by the seizure, person, company and conveyance pages inside their own
(audited) read of the record; the template macro ``gallery`` in ``records/_macros.html`` draws
it. Buttons appear only when the policy allows them; a picture that has a near-duplicate across
received and national pictures is badged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.picture_gallery import duplicate_flags
from ncen.pictures.queries import AttachedPicture, pictures_for
from ncen.policy import Action, is_allowed
from ncen.records import RecordMixin
from web.pictures.forms import UploadForm, fill_choices

PAGES = {
    "seizure": ("seizures.show", "seizure_id"),
    "person": ("persons.show", "person_id"),
    "company": ("companies.show", "company_id"),
    "conveyance": ("conveyances.show", "conveyance_id"),
}


@dataclass(frozen=True)
class Uploader:
    """A picture as the policy sees it: a record owned by whoever uploaded it."""

    created_by_id: uuid.UUID | None
    origin_node: str | None = None


@dataclass(frozen=True)
class Shown:
    """One picture of the gallery and what the user may do with it."""

    attached: AttachedPicture
    may_edit: bool
    duplicate: bool = False  # a near-duplicate across received and national pictures


@dataclass(frozen=True)
class Gallery:
    """Everything the gallery macro draws."""

    record_type: str
    record_id: uuid.UUID
    pictures: list[Shown]
    may_add: bool
    may_detach: bool
    may_download: bool
    record_version: int
    upload_form: UploadForm


def record_page(record_type: str, record_id: uuid.UUID) -> str:
    """The address of a record's page."""
    endpoint, argument = PAGES[record_type]
    # Any: the type of url_for's **values (mypy would otherwise match them against its typed
    # _external, _anchor... options; no key here starts with _).
    values: dict[str, Any] = {argument: record_id}
    return url_for(endpoint, **values)


def gallery(session: Session, actor: Actor, record_type: str, record: RecordMixin) -> Gallery:
    """The gallery of ``record`` (a seizure, person, company or conveyance) for ``actor``."""
    attached = pictures_for(session, **{f"{record_type}_id": record.id})
    flagged = duplicate_flags(session, [item.picture.id for item in attached])
    # The same rule as `ncen.pictures.services.add_pictures`: the right to edit the record.
    may_add = is_allowed(actor, Action.CREATE_RECORDS) and is_allowed(
        actor, Action.UPDATE_RECORD, record
    )
    upload = UploadForm(formdata=None, version=str(record.version))
    fill_choices(upload)
    return Gallery(
        record_type=record_type,
        record_id=record.id,
        pictures=[
            Shown(
                item,
                is_allowed(actor, Action.UPDATE_RECORD, Uploader(item.picture.uploaded_by_id)),
                duplicate=item.picture.id in flagged,
            )
            for item in attached
        ],
        may_add=may_add,
        may_detach=is_allowed(actor, Action.UPDATE_RECORD, record),
        may_download=is_allowed(actor, Action.DOWNLOAD_ORIGINAL_PICTURE),
        record_version=record.version,
        upload_form=upload,
    )
