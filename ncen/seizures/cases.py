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
from ncen.pictures.services import UploadFile, UploadLimits, add_pictures, check_uploads
from ncen.pictures.store import PictureStore
from ncen.policy import Action, require
from ncen.seizures.models import Seizure
from ncen.seizures.services import check_role, link_entity, record_seizure

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
                joined = ".".join(part for part in (prefix, path) if part)
                self.found.setdefault(joined or "seizure", message)
        except NotFoundError as exc:
            self.found[prefix or "record"] = (
                f"{exc.record_type} not found (it may have been deleted)"
            )
        return None


def add_participant(
    session: Session,
    actor: Actor,
    seizure_id: uuid.UUID,
    expected_version: int,
    *,
    kind: str,
    participant: Participant,
) -> Any:
    """Create the participant if it is new, then link it to the seizure in its role.

    Returns the link. Raises `ValidationError` with paths relative to the participant:
    ``new.<field>`` (the new record), ``role``/``note`` (the link), or ``""`` (no record chosen,
    or the chosen one no longer exists); `ConflictError` or `PermissionDeniedError` as the
    services do. The caller's transaction makes creation and link one unit.
    """
    target_id = participant.existing_id
    if participant.new is not None:
        try:
            target_id = _CREATORS[kind](session, actor, participant.new).id
        except ValidationError as exc:
            raise ValidationError({f"new.{k}": v for k, v in exc.errors.items()}) from exc
    if target_id is None:
        raise ValidationError({"": "choose an existing record or enter a new one"})
    try:
        return link_entity(
            session,
            actor,
            seizure_id,
            expected_version,
            kind=kind,
            target_id=target_id,
            role=participant.role,
            note=participant.note,
        )
    except NotFoundError as exc:
        if exc.record_type == "seizure":
            raise
        raise ValidationError({"": f"{kind} not found (it may have been deleted)"}) from exc


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
    its history and audit events. Roles and pictures are checked even when the seizure itself
    is invalid, so one round of corrections is enough.
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
            if seizure is not None:
                add = partial(
                    add_participant,
                    session,
                    actor,
                    seizure.id,
                    seizure.version,
                    kind=kind,
                    participant=participant,
                )
                errors.attempt(prefix, add)
                continue
            # No seizure to link to: still check what can be checked on its own.
            if participant.new is not None:
                errors.attempt(
                    f"{prefix}.new", partial(_CREATORS[kind], session, actor, participant.new)
                )
            elif participant.existing_id is None:
                errors.found[prefix] = "choose an existing record or enter a new one"
            errors.attempt(prefix, partial(check_role, session, kind, participant.role))
    if case.pictures:
        if store is None or limits is None:
            raise ValueError("pictures need a picture store and upload limits")
        if seizure is not None:
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
        else:
            errors.attempt("pictures", partial(check_uploads, case.pictures, limits))
    if errors.found or seizure is None:
        raise ValidationError(errors.found)
    return seizure
