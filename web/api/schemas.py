"""The JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the API's bodies: `COMPONENTS`.

They describe what the services accept and the snapshots answer; the services remain the one
validation (a body that passes these schemas may still be refused with a 422 naming the field,
for example an unknown code). Kept next to the views that use them by name (`Operation`).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from ncen.imports.jobs import STATES
from ncen.persons.models import Gender, NameKind
from ncen.records import HandlingCode
from ncen.seizures.models import Direction, SeizureStatus, SourceReliability

Schema = dict[str, Any]


def _text(description: str = "", max_length: int | None = None) -> Schema:
    schema: Schema = {"type": ["string", "null"]}
    if description:
        schema["description"] = description
    if max_length:
        schema["maxLength"] = max_length
    return schema


def _enum(enum_type: type[Enum], *, nullable: bool = False) -> Schema:
    values: list[Any] = [m.value for m in enum_type]
    if nullable:
        return {"type": ["string", "null"], "enum": [*values, None]}
    return {"type": "string", "enum": values}


def _list(items: Schema, description: str = "") -> Schema:
    schema: Schema = {"type": "array", "items": items}
    if description:
        schema["description"] = description
    return schema


_CODE = _text("a code of the node's reference data")
_COUNTRY = _text("ISO 3166-1 alpha-2 country code", 2)
_HANDLING = {
    "handling_code": _enum(HandlingCode),
    "handling_restrictions": _text("required for H3", 2000),
}
_META = {
    "id": {"type": "string", "format": "uuid"},
    "version": {"type": "integer", "minimum": 1, "description": "also the ETag"},
    "created_at": {"type": "string", "format": "date-time"},
    "updated_at": {"type": "string", "format": "date-time"},
    "origin_node": _text("the node it was received from; null for a national record"),
    "origin_id": _text(),
}
_SEIZURE_REF = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "reference": {"type": "string"},
        "role": {"type": "string"},
    },
}
_LINK = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "label": {"type": "string"},
        "role": {"type": "string"},
        "note": _text(),
    },
}

PERSON_FIELDS: Schema = {
    "names": _list(
        {
            "type": "object",
            "properties": {
                "kind": _enum(NameKind),
                "full_name": _text("made from the parts when absent", 300),
                "given_names": _text(),
                "family_name": _text(),
                "patronymic": _text(),
                "script": _text("ISO 15924 code; detected when absent"),
            },
        },
        "at least one",
    ),
    "gender": _enum(Gender),
    "birth_year": {"type": ["integer", "null"]},
    "birth_month": {"type": ["integer", "null"], "minimum": 1, "maximum": 12},
    "birth_day": {"type": ["integer", "null"], "minimum": 1, "maximum": 31},
    "birth_place": _text(),
    "birth_country": _COUNTRY,
    "description": _text(max_length=10_000),
    "nationalities": _list({"type": "string"}),
    "documents": _list(
        {
            "type": "object",
            "properties": {
                "doc_type": {"type": "string"},
                "number": {"type": "string"},
                "issuing_country": _COUNTRY,
                "expires_on": {"type": ["string", "null"], "format": "date"},
            },
            "required": ["number"],
        }
    ),
    "addresses": _list(
        {
            "type": "object",
            "properties": {
                "line": {"type": "string"},
                "city": _text(),
                "postcode": _text(),
                "country": _COUNTRY,
            },
            "required": ["line"],
        }
    ),
    "contacts": _list(
        {
            "type": "object",
            "properties": {"kind": {"type": "string"}, "value": {"type": "string"}},
            "required": ["kind", "value"],
        }
    ),
    **_HANDLING,
}

SEIZURE_FIELDS: Schema = {
    "reference": _text("allocated when absent", 64),
    "occurred_at": {"type": "string", "format": "date-time"},
    "office_code": _CODE,
    "place": _text(),
    "locode": _text("UN/LOCODE"),
    "location_type": _CODE,
    "direction": _enum(Direction, nullable=True),
    "transport_mode": _CODE,
    "detection_method": _CODE,
    "detection_technique": _CODE,
    "concealment_methods": _list({"type": "string"}),
    "concealment_description": _text(max_length=10_000),
    "departure_country": _COUNTRY,
    "transit_countries": _list({"type": "string"}),
    "destination_country": _COUNTRY,
    "narrative": _text(max_length=100_000),
    "source_reliability": _enum(SourceReliability, nullable=True),
    "information_grade": {"type": ["integer", "null"], "minimum": 1, "maximum": 4},
    "items": _list(
        {
            "type": "object",
            "properties": {
                "commodity_group": {"type": "string"},
                "hs_code": _text("6-digit HS subheading"),
                "description": _text(max_length=2000),
                "brand": _text(),
                "quantity": {"type": ["string", "number", "null"]},
                "unit": _CODE,
                "estimated_value": {"type": ["string", "number", "null"]},
                "currency": _text("ISO 4217"),
            },
            "required": ["commodity_group"],
        },
        "at least one",
    ),
    **_HANDLING,
}


def _page(item: Schema) -> Schema:
    return {
        "type": "object",
        "properties": {
            "items": _list(item),
            "next_cursor": _text("pass as ?cursor= for the next page; null at the end"),
        },
        "required": ["items", "next_cursor"],
    }


_LIST_ITEM: Schema = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "version": {"type": "integer"},
        "display_name": {"type": "string"},
        "handling_code": {"type": "string"},
        "origin_node": _text(),
        "updated_at": {"type": "string", "format": "date-time"},
    },
    "additionalProperties": True,
}
_PICTURE: Schema = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "sha256": {"type": "string"},
        "mime_type": {"type": "string"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
        "size_bytes": {"type": "integer"},
        "phash": {"type": "string"},
        "caption": _text(),
        "concealment_method": _text(),
        "created_at": {"type": "string", "format": "date-time"},
        "links": _list(
            {
                "type": "object",
                "properties": {
                    "record_type": {"type": "string"},
                    "record_id": {"type": "string", "format": "uuid"},
                },
            }
        ),
    },
}

_RUN_OPTIONS: Schema = {
    "mode": {
        "type": "string",
        "enum": ["all-or-nothing", "good-rows"],
        "default": "all-or-nothing",
        "description": "all-or-nothing: any refused row writes nothing; good-rows: write the rest",
    },
    "dry_run": {
        "type": ["boolean", "string"],
        "default": False,
        "description": "true: check and report, write nothing",
    },
    "background": {
        "type": ["boolean", "string"],
        "default": False,
        "description": "true: queue the run for the node's import runner and answer 202 at once "
        "(for big files); read the job until its state is no longer queued",
    },
    "mapping_id": {"type": "string", "format": "uuid", "description": "a saved mapping of yours"},
    "mapping": {"type": "string", "description": "a mapping document (YAML or JSON)"},
}
_COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
_IMPORT_RESULT: Schema = {
    "type": ["object", "null"],
    "description": "the last run's report (null before the first run)",
    "properties": {
        "record_type": {"type": "string"},
        "mode": {"type": "string"},
        "dry_run": {"type": "boolean"},
        "committed": {"type": "boolean"},
        "rows": {"type": "integer"},
        "rows_stored": {"type": "integer"},
        "refused_rows": {"type": "integer"},
        "created": _COUNTS,
        "updated": _COUNTS,
        "unchanged": _COUNTS,
        "links": {"type": "integer"},
        "notes": _list({"type": "string"}),
        "problems_total": {"type": "integer"},
        "problems": _list(
            {
                "type": "object",
                "properties": {
                    "row": {"type": "integer"},
                    "column": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
            "the first 1,000 problems (all of them: report.csv)",
        ),
        "preview": _list(
            {
                "type": "object",
                "properties": {
                    "row": {"type": "integer"},
                    "records": {
                        "type": "array",
                        "description": "[kind, role or null, the record's data] per record",
                        "items": {"type": "array"},
                    },
                },
            },
            "the first rows as they are (or would be) stored",
        ),
    },
}

COMPONENTS: dict[str, Schema] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "field path → message (422)",
            },
        },
        "required": ["type", "title", "status"],
    },
    "PersonInput": {
        "type": "object",
        "properties": PERSON_FIELDS,
        "required": ["names"],
    },
    "Person": {
        "type": "object",
        "properties": {
            **_META,
            **PERSON_FIELDS,
            "seizures": _list(_SEIZURE_REF),
            "companies": _list(_SEIZURE_REF),
        },
    },
    "SeizureInput": {
        "type": "object",
        "properties": SEIZURE_FIELDS,
        "required": ["occurred_at", "items"],
    },
    "Seizure": {
        "type": "object",
        "properties": {
            **_META,
            **SEIZURE_FIELDS,
            "status": _enum(SeizureStatus),
            "persons": _list(_LINK),
            "companies": _list(_LINK),
            "conveyances": _list(_LINK),
        },
    },
    "Company": {
        "type": "object",
        "properties": {**_META, **_HANDLING, "seizures": _list(_SEIZURE_REF)},
        "additionalProperties": True,
    },
    "Conveyance": {
        "type": "object",
        "properties": {**_META, **_HANDLING, "seizures": _list(_SEIZURE_REF)},
        "additionalProperties": True,
    },
    "PersonPage": _page(
        {
            **_LIST_ITEM,
            "properties": {
                **_LIST_ITEM["properties"],
                "birth_year": {"type": ["integer", "null"]},
                "gender": {"type": "string"},
                "nationalities": _list({"type": "string"}),
                "score": {"type": "number", "description": "with name: 0-1, best first"},
                "strong": {"type": "boolean", "description": "with name: a strong match"},
                "explanation": {
                    "type": "object",
                    "description": "with name: which name form matched, how, and what moved "
                    "the score (summary: the same in one sentence)",
                    "additionalProperties": True,
                },
            },
        }
    ),
    "SeizurePage": _page(
        {
            "type": "object",
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "version": {"type": "integer"},
                "reference": {"type": "string"},
                "occurred_at": {"type": "string", "format": "date-time"},
                "status": {"type": "string"},
                "updated_at": {"type": "string", "format": "date-time"},
            },
            "additionalProperties": True,
        }
    ),
    "RecordPage": _page(_LIST_ITEM),
    "Picture": _PICTURE,
    "PictureList": {"type": "object", "properties": {"items": _list(_PICTURE)}},
    "PicturePage": _page(
        {
            **_PICTURE,
            "properties": {
                **_PICTURE["properties"],
                "distance": {
                    "type": "integer",
                    "description": "with similar_to: differing bits of the dHash",
                },
            },
        }
    ),
    "ImportUpload": {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "CSV, TSV or XLSX"},
            **_RUN_OPTIONS,
        },
        "required": ["file"],
    },
    "ImportRun": {"type": "object", "properties": _RUN_OPTIONS},
    "ImportJob": {
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "filename": {"type": "string"},
            "record_type": {
                "type": "string",
                "enum": ["seizure", "person", "company", "conveyance"],
            },
            "state": {"type": "string", "enum": list(STATES)},
            "created_at": {"type": "string", "format": "date-time"},
            "imported_at": {"type": ["string", "null"], "format": "date-time"},
            "mapping": _text("the mapping document of the last run"),
            "failure": {
                "type": ["string", "null"],
                "description": "why the last queued run (from the wizard) stopped without a result",
            },
            "result": _IMPORT_RESULT,
        },
    },
}
