"""From ncen records to record sets: what a bundle carries for a selection of seizures.

`export_seizures` turns a selection of seizures into record sets of schema ``ncen-records/2``
(`exchange.records.recordschema`) plus the picture originals as attachments:

- the selected **national** seizures, with their items, the national persons, companies and
  conveyances linked to them (with roles) and every picture attached to any of these, form one
  record set that this node signs as originator. Each seizure states its distribution as marked
  here (unmarked: national only). A link from a national seizure to a *foreign* record is left
  out (that record is not ours to share) and reported as a notice;
- a selected **foreign** seizure is forwarded inside the record set it arrived in, byte for
  byte with its originator's signed statement, so the next node can verify who produced it and
  reads the originator's own distribution. A received record set is forwarded whole: every
  seizure in it must be selected. A set received under schema v1 states no distribution and is
  never forwarded.

It reads only; sealing, the sharing policy and what is recorded about the bundle are the
caller's (`exchange.network.sending`). The `OutgoingRecord` list says what leaves, for the policy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.crypto.bundle import Attachment, RecordSet
from exchange.crypto.canonical import canonical_json, format_time, parse_canonical
from exchange.crypto.signing import SignedStatement
from exchange.errors import PolicyError
from exchange.models import ReceivedRecordSet
from exchange.records.recordschema import RECORD_TYPES, RECORDS_SCHEMA, stated_distribution
from exchange.services.distribution import DistributionRule, national_rules
from ncen.collector import frozen_heap
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.errors import NotFoundError
from ncen.persons.models import Person
from ncen.pictures.models import Picture, PictureLink
from ncen.pictures.store import Kind, PictureMissingError, PictureStore
from ncen.records import RecordMixin
from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson

NATIONAL_RECORD_SET = "records"
_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/tiff": ".tif",
}
_LINK_MODELS: tuple[tuple[str, Any, str, type[RecordMixin]], ...] = (
    ("persons", SeizurePerson, "person_id", Person),
    ("companies", SeizureCompany, "company_id", Company),
    ("conveyances", SeizureConveyance, "conveyance_id", Conveyance),
)
_SINGULAR = {"persons": "person", "companies": "company", "conveyances": "conveyance"}
_PICTURE_COLUMNS = {
    "seizures": "seizure_id",
    "persons": "person_id",
    "companies": "company_id",
    "conveyances": "conveyance_id",
}


@dataclass(frozen=True)
class OutgoingRecord:
    """One record leaving in a bundle, as the sharing policy sees it.

    ``status``, ``distribution`` and ``restrictions`` are read from the record set that leaves
    (so the policy judges exactly what is sealed): for a seizure, its status and the
    distribution it states (None: a forwarded schema v1 record, which states none);
    ``restrictions`` is the handling-restrictions text (H3).
    """

    record_type: str  # seizures, persons, companies, conveyances
    origin_id: str
    label: str
    originator: str | None  # None: a national record of this node
    handling_code: str
    version: int = 0
    status: str | None = None
    distribution: DistributionRule | None = None
    restrictions: str | None = None

    @property
    def nominal(self) -> bool:
        """Persons are nominal data."""
        return self.record_type == "persons"


@dataclass
class ExportedRecords:
    """Record sets and attachments for one bundle, with what the policy and the log need."""

    record_sets: list[RecordSet] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    records: list[OutgoingRecord] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    picture_hashes: list[str] = field(default_factory=list)

    @property
    def handling_codes(self) -> list[str]:
        return sorted({record.handling_code for record in self.records})

    def summary(self) -> dict[str, Any]:
        """Counts per record type and the seizure labels, for the sent-bundle log and audit."""
        counts: dict[str, int] = defaultdict(int)
        for record in self.records:
            counts[record.record_type] += 1
        return {
            "counts": dict(counts),
            "seizures": [r.label for r in self.records if r.record_type == "seizures"][:1000],
            "pictures": len(self.picture_hashes),
            "record_sets": [rs.name for rs in self.record_sets],
        }


def _text(value: str | None) -> str | None:
    return value or None


def _decimal(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f")


def _common(record: RecordMixin, pictures: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": str(record.id),
        "version": record.version,
        "handling_code": record.handling_code.value,
        "handling_restrictions": _text(record.handling_restrictions),
        "pictures": pictures,
    }


def seizure_json(
    seizure: Seizure,
    links: dict[str, list[dict[str, Any]]],
    pictures: list[dict[str, Any]],
    *,
    distribution: DistributionRule,
) -> dict[str, Any]:
    """A seizure in schema v2 (links already reduced to records of the same set), stating its
    ``distribution`` so the restriction travels with it."""
    return {
        **_common(seizure, pictures),
        "distribution": distribution.to_json(),
        "reference": seizure.reference,
        "occurred_at": format_time(seizure.occurred_at),
        "status": seizure.status.value,
        "office_code": seizure.office_code,
        "place": _text(seizure.place),
        "locode": seizure.locode,
        "location_type": seizure.location_type,
        "direction": seizure.direction.value if seizure.direction else None,
        "transport_mode": seizure.transport_mode,
        "detection_method": seizure.detection_method,
        "detection_technique": seizure.detection_technique,
        "concealment_methods": sorted(m.method for m in seizure.concealment_methods),
        "concealment_description": _text(seizure.concealment_description),
        "departure_country": seizure.departure_country,
        "transit_countries": [t.country for t in seizure.transit_countries],
        "destination_country": seizure.destination_country,
        "narrative": _text(seizure.narrative),
        "source_reliability": seizure.source_reliability.value,
        "information_grade": seizure.information_grade,
        "items": [
            {
                "commodity_group": item.commodity_group,
                "hs_code": item.hs_code,
                "description": _text(item.description),
                "brand": _text(item.brand),
                "quantity": _decimal(item.quantity),
                "unit": item.unit,
                "estimated_value": _decimal(item.estimated_value),
                "currency": item.currency,
            }
            for item in seizure.items
        ],
        "persons": links.get("persons", []),
        "companies": links.get("companies", []),
        "conveyances": links.get("conveyances", []),
    }


def person_json(person: Person, pictures: list[dict[str, Any]]) -> dict[str, Any]:
    """A person (the same in schemas v1 and v2)."""
    return {
        **_common(person, pictures),
        "gender": person.gender.value,
        "birth_year": person.birth_year,
        "birth_month": person.birth_month,
        "birth_day": person.birth_day,
        "birth_place": _text(person.birth_place),
        "birth_country": person.birth_country,
        "description": _text(person.description),
        "names": [
            {
                "kind": name.kind.value,
                "full_name": name.full_name,
                "given_names": _text(name.given_names),
                "family_name": _text(name.family_name),
                "patronymic": _text(name.patronymic),
                "script": name.script,
            }
            for name in person.names
        ],
        "nationalities": sorted(n.country for n in person.nationalities),
        "documents": [
            {
                "doc_type": document.doc_type.value,
                "number": document.number,
                "issuing_country": document.issuing_country,
                "expires_on": document.expires_on.isoformat() if document.expires_on else None,
            }
            for document in person.documents
        ],
        "addresses": [
            {
                "line": address.line,
                "city": _text(address.city),
                "postcode": _text(address.postcode),
                "country": address.country,
            }
            for address in person.addresses
        ],
        "contacts": [
            {"kind": contact.kind.value, "value": contact.value} for contact in person.contacts
        ],
    }


def company_json(company: Company, pictures: list[dict[str, Any]]) -> dict[str, Any]:
    """A company (the same in schemas v1 and v2)."""
    return {
        **_common(company, pictures),
        "names": [
            {"kind": name.kind.value, "name": name.name, "script": name.script}
            for name in company.names
        ],
        "country": company.country,
        "registration_number": _text(company.registration_number),
        "tax_number": _text(company.tax_number),
        "aeo_status": company.aeo_status.value,
        "address_line": _text(company.address_line),
        "address_city": _text(company.address_city),
        "address_country": company.address_country,
        "description": _text(company.description),
    }


def conveyance_json(conveyance: Conveyance, pictures: list[dict[str, Any]]) -> dict[str, Any]:
    """A conveyance (the same in schemas v1 and v2)."""
    return {
        **_common(conveyance, pictures),
        "kind": conveyance.kind.value,
        "name": _text(conveyance.name),
        "flag": conveyance.flag,
        "description": _text(conveyance.description),
        "identifiers": sorted(
            (
                {"kind": i.kind.value, "value": i.value, "country": i.country}
                for i in conveyance.identifiers
            ),
            key=lambda i: (i["kind"], i["value"]),
        ),
    }


def _load_seizures(session: Session, references: Sequence[str]) -> list[Seizure]:
    wanted = list(dict.fromkeys(references))
    found: dict[str, Seizure] = {}
    for start in range(0, len(wanted), 5000):
        batch = wanted[start : start + 5000]
        rows = session.execute(
            select(Seizure).where(Seizure.reference.in_(batch), Seizure.deleted_at.is_(None))
        ).scalars()
        found.update((seizure.reference, seizure) for seizure in rows)
    missing = [reference for reference in wanted if reference not in found]
    if missing:
        raise NotFoundError("seizure", ", ".join(missing[:5]))
    return [found[reference] for reference in wanted]


def _in_batches(column: Any, ids: Sequence[Any]) -> Iterable[Any]:
    for start in range(0, len(ids), 5000):
        yield column.in_(ids[start : start + 5000])


def _pictures_of(
    session: Session, ids_by_type: dict[str, list[Any]]
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    result: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record_type, ids in ids_by_type.items():
        if not ids:
            continue
        column = getattr(PictureLink, _PICTURE_COLUMNS[record_type])
        for condition in _in_batches(column, ids):
            rows = session.execute(
                select(column, Picture)
                .join(Picture, Picture.id == PictureLink.picture_id)
                .where(condition)
            ).all()
            for record_id, picture in rows:
                result[(record_type, str(record_id))].append(
                    {
                        "sha256": picture.sha256,
                        "media_type": picture.mime_type,
                        "caption": _text(picture.caption),
                        "concealment_method": picture.concealment_method,
                    }
                )
    for pictures in result.values():
        pictures.sort(key=lambda p: p["sha256"])
    return result


def _national_record_set(
    session: Session, seizures: list[Seizure], own_node_id: str, exported: ExportedRecords
) -> dict[str, Any]:
    seizure_ids = [s.id for s in seizures]
    links: dict[Any, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    targets: dict[str, dict[Any, RecordMixin]] = {}
    for key, link_model, column, target_model in _LINK_MODELS:
        rows: list[Any] = []
        for condition in _in_batches(link_model.seizure_id, seizure_ids):
            rows += session.execute(select(link_model).where(condition)).scalars().all()
        target_ids = sorted({getattr(row, column) for row in rows})
        loaded: dict[Any, RecordMixin] = {}
        for condition in _in_batches(target_model.id, target_ids):
            loaded.update(
                (record.id, record)
                for record in session.execute(select(target_model).where(condition)).scalars()
            )
        kept: dict[Any, RecordMixin] = {}
        labels = {s.id: s.reference for s in seizures}
        for row in rows:
            target = loaded.get(getattr(row, column))
            if target is None or target.deleted_at is not None:
                continue
            if target.origin_node is not None:
                exported.notices.append(
                    f"seizure {labels[row.seizure_id]}: link to {_SINGULAR[key]} {target.id} "
                    f"left out (a record received from {target.origin_node} is not ours to share)"
                )
                continue
            kept[target.id] = target
            links[row.seizure_id][key].append(
                {"id": str(target.id), "role": row.role, "note": _text(row.note)}
            )
        targets[key] = kept
    for per_seizure in links.values():
        for entries in per_seizure.values():
            entries.sort(key=lambda link: (link["id"], link["role"]))
    pictures = _pictures_of(
        session,
        {
            "seizures": seizure_ids,
            **{key: sorted(records) for key, records in targets.items()},
        },
    )

    def pics(record_type: str, record_id: Any) -> list[dict[str, Any]]:
        return pictures.get((record_type, str(record_id)), [])

    builders: dict[str, Callable[[Any, list[dict[str, Any]]], dict[str, Any]]] = {
        "persons": person_json,
        "companies": company_json,
        "conveyances": conveyance_json,
    }
    rules = national_rules(session, seizure_ids)
    value: dict[str, Any] = {
        "schema": RECORDS_SCHEMA,
        "origin_node": own_node_id,
        "seizures": [
            seizure_json(s, links.get(s.id, {}), pics("seizures", s.id), distribution=rules[s.id])
            for s in seizures
        ],
    }
    for key, builder in builders.items():
        records = sorted(targets[key].values(), key=lambda r: str(r.id))
        value[key] = [builder(r, pics(key, r.id)) for r in records]
    return value


def _outgoing(value: dict[str, Any], originator: str | None) -> list[OutgoingRecord]:
    result = []
    for record_type in RECORD_TYPES:
        for record in value[record_type]:
            label = record.get("reference") or f"{record_type[:-1]} {record['id']}"
            stated = stated_distribution(record) if record_type == "seizures" else None
            result.append(
                OutgoingRecord(
                    record_type,
                    record["id"],
                    label,
                    originator,
                    record["handling_code"],
                    record["version"],
                    status=record.get("status"),
                    distribution=DistributionRule.from_json(stated) if stated else None,
                    restrictions=record["handling_restrictions"],
                )
            )
    return result


def _forwarded_record_sets(
    session: Session, seizures: list[Seizure]
) -> list[tuple[ReceivedRecordSet, dict[str, Any]]]:
    """The received record sets that carry the selected foreign seizures, each exactly once."""
    chosen: dict[Any, tuple[ReceivedRecordSet, dict[str, Any]]] = {}
    selected = {(s.origin_node, s.origin_id) for s in seizures}
    for seizure in seizures:
        candidates = session.execute(
            select(ReceivedRecordSet).where(
                ReceivedRecordSet.originator_node_id == seizure.origin_node,
                ReceivedRecordSet.bundle_id == seizure.received_bundle_id,
            )
        ).scalars()
        found = next(
            (rs for rs in candidates if seizure.origin_id in rs.contents.get("seizures", [])),
            None,
        )
        if found is None:
            raise PolicyError(
                f"seizure {seizure.reference} was received, but the signed record set it came in "
                "is not kept here, so it cannot be forwarded with its originator's signature"
            )
        if found.id in chosen:
            continue
        others = [
            origin_id
            for origin_id in found.contents.get("seizures", [])
            if (found.originator_node_id, origin_id) not in selected
        ]
        if others:
            raise PolicyError(
                f"seizure {seizure.reference} arrived in one signed record set with "
                f"{len(others)} other seizure(s) of {found.originator_node_id}; a received record "
                "set is forwarded whole, so select all of its seizures"
            )
        value = parse_canonical(found.data)
        if value.get("schema") != RECORDS_SCHEMA:
            # A v1 set states no distribution of its originator's: nothing can show that the
            # originator allows a further hop, so it stays here (fail closed).
            raise PolicyError(
                f"seizure {seizure.reference} was received under records schema "
                f"{value.get('schema')}, which states no distribution of its originator; it "
                "cannot be forwarded"
            )
        chosen[found.id] = (found, value)
    return list(chosen.values())


def export_seizures(
    session: Session, store: PictureStore, references: Sequence[str], *, own_node_id: str
) -> ExportedRecords:
    """The record sets and attachments that carry the seizures with these ``references``.

    Raises `NotFoundError` (a reference that is not a live seizure), `PolicyError` (a foreign
    seizure that cannot be forwarded whole) or `PictureMissingError`. Reads only.
    """
    # Thousands of seizures read and turned into JSON: spare the collector's full passes the
    # objects held meanwhile (`ncen.collector`).
    with frozen_heap():
        return _export_seizures(session, store, references, own_node_id=own_node_id)


def _export_seizures(
    session: Session, store: PictureStore, references: Sequence[str], *, own_node_id: str
) -> ExportedRecords:
    seizures = _load_seizures(session, references)
    exported = ExportedRecords()
    national = [s for s in seizures if s.origin_node is None]
    media: dict[str, str] = {}
    values: list[dict[str, Any]] = []
    if national:
        value = _national_record_set(session, national, own_node_id, exported)
        exported.record_sets.append(RecordSet(NATIONAL_RECORD_SET, canonical_json(value)))
        exported.records += _outgoing(value, None)
        values.append(value)
    foreign = [s for s in seizures if s.origin_node is not None]
    for index, (received, value) in enumerate(_forwarded_record_sets(session, foreign), 1):
        statement = SignedStatement.from_json(received.originator_statement)
        name = f"forwarded-{index}-{received.originator_node_id}"
        exported.record_sets.append(RecordSet(name, received.data, statement))
        exported.records += _outgoing(value, received.originator_node_id)
        values.append(value)
    for value in values:
        for record_type in RECORD_TYPES:
            for record in value[record_type]:
                for picture in record["pictures"]:
                    media.setdefault(picture["sha256"], picture["media_type"])
    for sha256, media_type in sorted(media.items()):
        path = store.path(Kind.ORIGINAL, sha256)
        if not path.is_file():
            raise PictureMissingError(f"original picture {sha256} is missing from the store")
        name = f"{sha256}{_EXTENSIONS.get(media_type, '.bin')}"
        exported.attachments.append(Attachment(name, media_type, path))
        exported.picture_hashes.append(sha256)
    if not exported.records:
        raise NotFoundError("seizure", "(no selection)")
    return exported
