"""Recording a whole case in one go: the seizure, new and existing linked entities, pictures.

`record_case` is what the "record a seizure" form submits. It runs every part through its own
service (so validation, history and audit are the services' own) and collects the
`ValidationError` of every part under its path (``persons.1.new.names``,
``companies.0.role``, ``pictures.files.2``...), so the user sees every problem at once. It
raises before returning if any part failed: the caller's transaction then rolls back whatever
the valid parts wrote, so a case is recorded whole or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.services import create_company
from ncen.conveyances.services import create_conveyance
from ncen.errors import NotFoundError, ValidationError
from ncen.persons.services import create_person
from ncen.pictures.services import UploadFile, UploadLimits, add_pictures
from ncen.pictures.store import PictureStore
from ncen.policy import Action, require
from ncen.seizures.models import Seizure
from ncen.seizures.services import link_entity, record_seizure

T = TypeVar("T")

_CREATORS: dict[str, Callable[[Session, Actor, Mapping[str, Any]], Any]] = {
    "person": create_person,
    "company": create_company,
    "conveyance": create_conveyance,
}
_LIST_KEYS = {"person": "persons", "company": "companies", "conveyance": "conveyances"}


@dataclass(frozen=True)
class Participant:
    """One entity to link: an existing record (``existing_id``) or a new one (``new``)."""

    role: str
    existing_id: uuid.UUID | None = None
    new: Mapping[str, Any] | None = None
    note: str | None = None


@dataclass(frozen=True)
class CaseInput:
    """Everything the recording form sends."""

    seizure: Mapping[str, Any]
    persons: Sequence[Participant] = ()
    companies: Sequence[Participant] = ()
    conveyances: Sequence[Participant] = ()
    pictures: Sequence[UploadFile] = ()
    picture_caption: str | None = None
    picture_concealment: str | None = None


@dataclass
class _Errors:
    found: dict[str, str] = field(default_factory=dict)

    def attempt(self, prefix: str, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except ValidationError as exc:
            for path, message in exc.errors.items():
                self.found[f"{prefix}.{path}" if prefix else path] = message
        except NotFoundError as exc:
            self.found[prefix or "record"] = (
                f"{exc.record_type} not found (it may have been deleted)"
            )
        return None


def record_case(
    session: Session,
    actor: Actor,
    case: CaseInput,
    *,
    store: PictureStore | None = None,
    limits: UploadLimits | None = None,
) -> Seizure:
    """Record the seizure of ``case`` with its participants and pictures; return the seizure.

    Raises `PermissionDeniedError`, or `ValidationError` naming every bad field of every part
    (after which the caller must roll back). Writes through the services, so every record gets
    its history and audit events.
    """
    require(actor, Action.CREATE_RECORDS)
    errors = _Errors()
    seizure = errors.attempt("", partial(record_seizure, session, actor, case.seizure))
    for kind, participants in (
        ("person", case.persons),
        ("company", case.companies),
        ("conveyance", case.conveyances),
    ):
        for index, participant in enumerate(participants):
            prefix = f"{_LIST_KEYS[kind]}.{index}"
            target_id = participant.existing_id
            if participant.new is not None:
                created = errors.attempt(
                    f"{prefix}.new", partial(_CREATORS[kind], session, actor, participant.new)
                )
                target_id = created.id if created is not None else None
            elif target_id is None:
                errors.found[prefix] = "choose an existing record or enter a new one"
            if seizure is not None and target_id is not None:
                link = partial(
                    link_entity,
                    session,
                    actor,
                    seizure.id,
                    seizure.version,
                    kind=kind,
                    target_id=target_id,
                    role=participant.role,
                    note=participant.note,
                )
                errors.attempt(prefix, link)
    if case.pictures and seizure is not None:
        if store is None or limits is None:
            raise ValueError("pictures need a picture store and upload limits")
        upload = partial(
            add_pictures,
            session,
            actor,
            store,
            limits,
            case.pictures,
            caption=case.picture_caption,
            concealment_method=case.picture_concealment,
            seizure_id=seizure.id,
        )
        errors.attempt("pictures", upload)
    if errors.found or seizure is None:
        raise ValidationError(errors.found)
    return seizure
