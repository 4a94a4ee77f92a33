"""Use cases for seizures: record, update, submit, validate, soft-delete, link entities, and
import a foreign seizure received from another node.

A seizure is written whole (header, route, concealment methods, items) from one mapping, so a
form or an import either lands completely or not at all. Links to persons, companies and
conveyances carry a role. Every function checks the policy, validates all input at once, and
writes history and audit; the caller owns the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Sequence as Seq
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Sequence, func, select
from sqlalchemy.orm import Session

from ncen import identifiers
from ncen.accounts.actor import Actor
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.db import Base, utcnow
from ncen.errors import (
    InvalidIdentifierError,
    Message,
    NotFoundError,
    ValidationError,
    message_of,
)
from ncen.history import ChangeKind
from ncen.persons.models import Person
from ncen.policy import Action, require
from ncen.recordkeeping import (
    commit_change,
    get_live,
    load_for_update,
    read_handling,
    replace_children,
    set_deleted,
)
from ncen.reference.models import (
    HS_CHAPTERS_LOADED,
    CommodityGroup,
    CompanyRole,
    ConcealmentMethod,
    ConveyanceRole,
    Country,
    Currency,
    CustomsOffice,
    DetectionMethod,
    DetectionTechnique,
    HsSubheading,
    LocationType,
    PersonRole,
    QuantityUnit,
    TransportMode,
)
from ncen.seizures.models import (
    Direction,
    Seizure,
    SeizureCompany,
    SeizureConcealment,
    SeizureConveyance,
    SeizureItem,
    SeizurePerson,
    SeizureStatus,
    SeizureTransitCountry,
    SourceReliability,
)
from ncen.seizures.snapshots import snapshot
from ncen.validation import Checker

RECORD_TYPE = "seizure"

# Reference numbers are allocated from a database sequence so that two investigators saving
# at the same moment never get the same number.
REFERENCE_SEQUENCE = Sequence("seizure_reference_seq", metadata=Base.metadata)


def _check_hs_code(session: Session, c: Checker, key: str) -> str | None:
    code = c.identifier(key, lambda raw: identifiers.check_hs_code(raw, digits=6))
    if code is None:
        return None
    chapter = identifiers.hs_chapter(code)
    # Where the administration loaded the full nomenclature, the subheading must exist in it.
    # Which chapters are loaded is read once per session (imports check thousands of items);
    # `ncen.reference.load` forgets it after loading a file.
    loaded = session.info.get(HS_CHAPTERS_LOADED)
    if loaded is None:
        loaded = set(session.execute(select(HsSubheading.chapter).distinct()).scalars())
        session.info[HS_CHAPTERS_LOADED] = loaded
    if chapter in loaded and session.get(HsSubheading, code) is None:
        c.fail(
            key,
            Message(
                "%(code)s is not an HS subheading of chapter %(chapter)s",
                code=code,
                chapter=chapter,
            ),
        )
        return None
    return code


def _read_items(session: Session, c: Checker) -> list[SeizureItem]:
    items: list[SeizureItem] = []
    for i, raw in enumerate(c.items("items", max_items=500)):
        ic = c.nested(raw, f"items.{i}")
        item = SeizureItem(
            position=i,
            commodity_group=ic.code("commodity_group", CommodityGroup, required=True),
            hs_code=_check_hs_code(session, ic, "hs_code"),
            description=ic.text("description", max_len=2000),
            brand=ic.text("brand"),
            quantity=ic.decimal("quantity"),
            unit=ic.code("unit", QuantityUnit),
            estimated_value=ic.decimal("estimated_value", places=2),
            currency=ic.code("currency", Currency),
        )
        if item.quantity is not None and item.unit is None:
            ic.fail("unit", "is required with a quantity")
        if item.estimated_value is not None and item.currency is None:
            ic.fail("currency", "is required with a value")
        items.append(item)
    if not items and "items" not in c.errors:
        c.fail("items", "a seizure needs at least one item")
    return items


def apply_seizure(
    session: Session, seizure: Seizure, data: Mapping[str, Any], c: Checker | None = None
) -> None:
    """Validate every field of ``data`` and write them onto ``seizure`` (children replaced).

    ``c`` is a checker that already holds the caller's own errors, so that they are reported
    together with these.
    """
    c = c or Checker(session, data)
    occurred_at = c.timestamp("occurred_at", required=True)
    if occurred_at is not None:
        try:
            occurred_at = identifiers.check_seizure_datetime(occurred_at)
        except InvalidIdentifierError as exc:
            c.fail("occurred_at", message_of(exc))
    fields: dict[str, Any] = {
        "occurred_at": occurred_at,
        "office_code": c.code("office_code", CustomsOffice),
        "place": c.text("place"),
        "locode": c.identifier("locode", identifiers.check_locode),
        "location_type": c.code("location_type", LocationType),
        "direction": c.choice("direction", Direction),
        "transport_mode": c.code("transport_mode", TransportMode),
        "detection_method": c.code("detection_method", DetectionMethod),
        "detection_technique": c.code("detection_technique", DetectionTechnique),
        "concealment_description": c.text("concealment_description", max_len=10_000),
        "departure_country": c.code("departure_country", Country),
        "destination_country": c.code("destination_country", Country),
        "narrative": c.text("narrative", max_len=100_000),
        "source_reliability": c.choice("source_reliability", SourceReliability)
        or SourceReliability.X,
        "information_grade": c.integer("information_grade", minimum=1, maximum=4) or 4,
    }
    handling, restrictions = read_handling(c)
    transit = c.codes("transit_countries", Country)
    concealments = c.codes("concealment_methods", ConcealmentMethod)
    items = _read_items(session, c)
    reference = c.text("reference", max_len=64)
    if (
        reference
        and reference != seizure.reference
        and _reference_taken(session, reference, seizure.id)
    ):
        c.fail(
            "reference",
            Message("%(reference)s is already used by another seizure", reference=reference),
        )
    c.raise_if_errors()

    # Children first: their flush must not carry the parent's UPDATE (one version bump).
    replace_children(
        session,
        seizure,
        transit_countries=[
            SeizureTransitCountry(position=i, country=cc) for i, cc in enumerate(transit)
        ],
        concealment_methods=[SeizureConcealment(method=m) for m in concealments],
        items=items,
    )
    for name, value in fields.items():
        setattr(seizure, name, value)
    if reference:
        seizure.reference = reference
    seizure.handling_code = handling
    seizure.handling_restrictions = restrictions


# session.info key: references checked in one query by `references_checked` (a bulk write).
_CHECKED_REFERENCES = "ncen.seizures.checked_references"


@contextmanager
def references_checked(session: Session, references: Iterable[str]) -> Iterator[None]:
    """Inside the block, `apply_seizure` knows without a query whether each of ``references``
    is free: one query checks them all first (bulk writers build thousands of seizures before
    writing any, `ncen.bulk`). Each free one goes to the first seizure that gives it; a second
    seizure giving it is refused as if the first were stored already. For all-or-nothing
    writers only: a reference stays given even if its seizure is then refused for another
    field."""
    wanted = sorted(set(references))
    taken: set[str] = set()
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        taken.update(
            session.execute(select(Seizure.reference).where(Seizure.reference.in_(chunk))).scalars()
        )
    previous = session.info.get(_CHECKED_REFERENCES)
    session.info[_CHECKED_REFERENCES] = {r: r in taken for r in wanted}
    try:
        yield
    finally:
        if previous is None:
            del session.info[_CHECKED_REFERENCES]
        else:
            session.info[_CHECKED_REFERENCES] = previous


def _reference_taken(session: Session, reference: str, seizure_id: uuid.UUID) -> bool:
    checked: dict[str, bool] | None = session.info.get(_CHECKED_REFERENCES)
    if checked is not None and reference in checked:
        taken = checked[reference]
        checked[reference] = True  # given to this seizure now
        return taken
    found = session.execute(
        select(Seizure.id).where(Seizure.reference == reference, Seizure.id != seizure_id)
    ).first()
    return found is not None


def _new_reference(session: Session, seizure: Seizure) -> str:
    number = session.execute(REFERENCE_SEQUENCE.next_value()).scalar_one()
    return reference_of(seizure, number)


def reference_of(seizure: Seizure, number: int) -> str:
    """The reference a new national seizure gets from the sequence's ``number``."""
    return f"SZ-{seizure.occurred_at:%Y}-{number:06d}"


def allocate_references(session: Session, count: int) -> list[int]:
    """``count`` numbers drawn from the reference sequence in one statement (bulk writers)."""
    if count <= 0:
        return []
    numbers = session.execute(
        select(REFERENCE_SEQUENCE.next_value()).select_from(func.generate_series(1, count))
    ).scalars()
    return list(numbers)


def record_seizure(session: Session, actor: Actor, data: Mapping[str, Any]) -> Seizure:
    """Record a new seizure (status draft) with its items; returns it flushed at version 1.

    A reference number is allocated when ``data`` gives none. Raises `PermissionDeniedError`
    or `ValidationError` (every bad field, e.g. ``items.0.hs_code``).
    """
    require(actor, Action.CREATE_RECORDS)
    seizure = Seizure(id=uuid.uuid4(), created_by_id=actor.user_id, status=SeizureStatus.DRAFT)
    apply_seizure(session, seizure, data)
    if not seizure.reference:
        seizure.reference = _new_reference(session, seizure)
    session.add(seizure)
    _commit(session, actor, seizure, ChangeKind.CREATE, before=None)
    return seizure


def update_seizure(
    session: Session,
    actor: Actor,
    seizure_id: uuid.UUID,
    expected_version: int,
    data: Mapping[str, Any],
) -> Seizure:
    """Replace the seizure's fields and items if ``expected_version`` is current.

    Raises `NotFoundError`, `ConflictError` (stale version), `PermissionDeniedError` (e.g. an
    investigator editing a submitted case) or `ValidationError`.
    """
    seizure = load_for_update(session, Seizure, seizure_id, expected_version, RECORD_TYPE)
    require(actor, Action.UPDATE_RECORD, seizure)
    before = snapshot(session, seizure)
    apply_seizure(session, seizure, data)
    _commit(session, actor, seizure, ChangeKind.UPDATE, before=before)
    return seizure


def _commit(
    session: Session,
    actor: Actor,
    seizure: Seizure,
    kind: ChangeKind,
    *,
    before: dict[str, Any] | None,
    details: Mapping[str, Any] | None = None,
) -> None:
    session.flush()
    commit_change(
        session,
        actor,
        seizure,
        record_type=RECORD_TYPE,
        kind=kind,
        before=before,
        after=snapshot(session, seizure),
        details=details,
    )


def _transition(
    session: Session,
    actor: Actor,
    seizure_id: uuid.UUID,
    expected_version: int,
    *,
    action: Action,
    allowed_from: set[SeizureStatus],
    to: SeizureStatus,
) -> Seizure:
    seizure = load_for_update(session, Seizure, seizure_id, expected_version, RECORD_TYPE)
    require(actor, action, seizure)
    if seizure.status not in allowed_from:
        raise ValidationError(
            {"status": f"a {seizure.status.value} seizure cannot become {to.value}"}
        )
    before = snapshot(session, seizure)
    seizure.status = to
    if to is SeizureStatus.VALIDATED:
        seizure.validated_by_id = actor.user_id
        seizure.validated_at = utcnow()
    _commit(session, actor, seizure, ChangeKind.STATUS, before=before, details={"status": to.value})
    return seizure


def submit_seizure(
    session: Session, actor: Actor, seizure_id: uuid.UUID, expected_version: int
) -> Seizure:
    """Draft → submitted: the investigator hands the case to a supervisor."""
    return _transition(
        session,
        actor,
        seizure_id,
        expected_version,
        action=Action.SUBMIT_SEIZURE,
        allowed_from={SeizureStatus.DRAFT},
        to=SeizureStatus.SUBMITTED,
    )


def validate_seizure(
    session: Session, actor: Actor, seizure_id: uuid.UUID, expected_version: int
) -> Seizure:
    """Submitted → validated, by a supervisor."""
    return _transition(
        session,
        actor,
        seizure_id,
        expected_version,
        action=Action.VALIDATE_SEIZURE,
        allowed_from={SeizureStatus.SUBMITTED},
        to=SeizureStatus.VALIDATED,
    )


def return_seizure(
    session: Session, actor: Actor, seizure_id: uuid.UUID, expected_version: int
) -> Seizure:
    """Submitted → draft: a supervisor sends the case back for corrections."""
    return _transition(
        session,
        actor,
        seizure_id,
        expected_version,
        action=Action.VALIDATE_SEIZURE,
        allowed_from={SeizureStatus.SUBMITTED},
        to=SeizureStatus.DRAFT,
    )


def delete_seizure(
    session: Session, actor: Actor, seizure_id: uuid.UUID, expected_version: int
) -> Seizure:
    """Soft-delete a seizure (see `set_deleted`)."""
    return set_deleted(
        session,
        actor,
        Seizure,
        seizure_id,
        expected_version,
        record_type=RECORD_TYPE,
        snapshot=lambda s: snapshot(session, s),
        deleted=True,
    )


_LINKS: dict[str, tuple[type[Any], type[Any], Any, str]] = {
    # kind: (link model, target model, role code table, target column)
    "person": (SeizurePerson, Person, PersonRole, "person_id"),
    "company": (SeizureCompany, Company, CompanyRole, "company_id"),
    "conveyance": (SeizureConveyance, Conveyance, ConveyanceRole, "conveyance_id"),
}


def check_role(session: Session, kind: str, role: str) -> str:
    """The role code if it is an active role for ``kind`` links; else `ValidationError`."""
    if kind not in _LINKS:
        raise ValidationError({"kind": "must be person, company or conveyance"})
    c = Checker(session, {"role": role})
    checked = c.code("role", _LINKS[kind][2], required=True)
    c.raise_if_errors()
    assert checked is not None
    return checked


def link_entity(
    session: Session,
    actor: Actor,
    seizure_id: uuid.UUID,
    expected_version: int,
    *,
    kind: str,
    target_id: uuid.UUID,
    role: str,
    note: str | None = None,
) -> Any:
    """Link a person, company or conveyance (``kind``) to a seizure in ``role``.

    Bumps the seizure's version (a link changes the case). Raises `NotFoundError` for a missing
    seizure or target, `ValidationError` for an unknown role or a duplicate link,
    `ConflictError` or `PermissionDeniedError`.
    """
    if kind not in _LINKS:
        raise ValidationError({"kind": "must be person, company or conveyance"})
    link_model, target_model, role_model, column = _LINKS[kind]
    seizure = load_for_update(session, Seizure, seizure_id, expected_version, RECORD_TYPE)
    require(actor, Action.UPDATE_RECORD, seizure)
    c = Checker(session, {"role": role, "note": note})
    checked_role = c.code("role", role_model, required=True)
    checked_note = c.text("note", max_len=2000)
    c.raise_if_errors()
    get_live(session, target_model, target_id, kind)
    duplicate = session.execute(
        select(link_model.id).where(
            link_model.seizure_id == seizure_id,
            getattr(link_model, column) == target_id,
            link_model.role == checked_role,
        )
    ).first()
    if duplicate:
        raise ValidationError({"role": f"this {kind} is already linked in this role"})
    before = snapshot(session, seizure)
    link = link_model(seizure_id=seizure_id, role=checked_role, note=checked_note)
    setattr(link, column, target_id)
    session.add(link)
    _commit(
        session,
        actor,
        seizure,
        ChangeKind.LINK,
        before=before,
        details={"kind": kind, "target_id": str(target_id), "role": checked_role},
    )
    return link


def link_entities(
    session: Session,
    actor: Actor,
    seizure_id: uuid.UUID,
    expected_version: int,
    links: Seq[tuple[str, uuid.UUID, str]],
) -> list[Any]:
    """Link several persons, companies and conveyances, ``(kind, target_id, role)`` each, to
    a seizure in one change: one version, one history entry, one audit event (what a bulk
    import does for each row). Links the seizure already has are skipped.

    Raises what `link_entity` raises, for the first bad link; nothing is linked then.
    """
    seizure = load_for_update(session, Seizure, seizure_id, expected_version, RECORD_TYPE)
    require(actor, Action.UPDATE_RECORD, seizure)
    wanted: list[tuple[str, uuid.UUID, str]] = []
    for kind, target_id, role in links:
        if kind not in _LINKS:
            raise ValidationError({"kind": "must be person, company or conveyance"})
        checked = check_role(session, kind, role)
        get_live(session, _LINKS[kind][1], target_id, kind)
        if (kind, target_id, checked) not in wanted:
            wanted.append((kind, target_id, checked))
    made: list[Any] = []
    before = snapshot(session, seizure)
    for kind, target_id, role in wanted:
        link_model, _target, _roles, column = _LINKS[kind]
        there = session.execute(
            select(link_model.id).where(
                link_model.seizure_id == seizure_id,
                getattr(link_model, column) == target_id,
                link_model.role == role,
            )
        ).first()
        if there:
            continue
        link = link_model(seizure_id=seizure_id, role=role)
        setattr(link, column, target_id)
        session.add(link)
        made.append(link)
    if made:
        details = {"links": [{"kind": k, "target_id": str(t), "role": r} for k, t, r in wanted]}
        _commit(session, actor, seizure, ChangeKind.LINK, before=before, details=details)
    return made


def unlink_entity(
    session: Session,
    actor: Actor,
    seizure_id: uuid.UUID,
    expected_version: int,
    *,
    kind: str,
    link_id: uuid.UUID,
) -> None:
    """Remove one link from a seizure. Raises `NotFoundError`, `ConflictError`, ..."""
    if kind not in _LINKS:
        raise ValidationError({"kind": "must be person, company or conveyance"})
    link_model = _LINKS[kind][0]
    seizure = load_for_update(session, Seizure, seizure_id, expected_version, RECORD_TYPE)
    require(actor, Action.UPDATE_RECORD, seizure)
    link = session.get(link_model, link_id)
    if link is None or link.seizure_id != seizure_id:
        raise NotFoundError(f"{kind} link", link_id)
    before = snapshot(session, seizure)
    session.delete(link)
    _commit(session, actor, seizure, ChangeKind.UNLINK, before=before, details={"kind": kind})
