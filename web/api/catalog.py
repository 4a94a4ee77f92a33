"""``/api/v1/companies`` and ``/api/v1/conveyances``: list and search, and read (no writes).

The same queries as their pages: `list_statement` with the area's filters (the call audited
as ``<type>.list``) and `read_company`/`read_conveyance` (audited as ``<type>.read``).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue

from ncen.companies.models import Company
from ncen.companies.queries import CompanyFilters, read_company
from ncen.companies.queries import list_statement as company_statement
from ncen.companies.services import snapshot as company_snapshot
from ncen.conveyances.models import Conveyance, ConveyanceKind
from ncen.conveyances.queries import ConveyanceFilters, read_conveyance
from ncen.conveyances.queries import list_statement as conveyance_statement
from ncen.conveyances.services import snapshot as conveyance_snapshot
from ncen.policy import Action
from ncen.reading import note_read
from web.api.paging import keyset_page
from web.api.records import page_response, query_bool, query_choice, query_text, record_response
from web.api.routing import Operation, api_actor, api_view
from web.db import get_session

COMPANY_FILTERS = (
    ("name", "string", "part of any name (case-insensitive)"),
    ("number", "string", "registration or tax number"),
    ("country", "string", "ISO 3166-1 alpha-2 code"),
    ("foreign", "boolean", "true: received only; false: national only"),
)
CONVEYANCE_FILTERS = (
    ("identifier", "string", "any identifier (plate, VIN, IMO, container number…), exact"),
    ("kind", "string", "vehicle, trailer, vessel, aircraft, container…"),
    ("flag", "string", "ISO 3166-1 alpha-2 code"),
    ("foreign", "boolean", "true: received only; false: national only"),
)


def _item(record: Company | Conveyance) -> dict[str, Any]:
    return {
        "id": str(record.id),
        "version": record.version,
        "display_name": record.display_name,
        "handling_code": record.handling_code.value,
        "handling_restrictions": record.handling_restrictions,
        "origin_node": record.origin_node,
        "updated_at": record.updated_at.isoformat(),
    }


def _seizures(rows: list[tuple[Any, str]]) -> list[dict[str, Any]]:
    return [{"id": str(s.id), "reference": s.reference, "role": role} for s, role in rows]


def register(bp: Blueprint) -> None:
    """Add the company and conveyance routes to ``bp``."""

    @api_view(
        bp,
        "/companies",
        Operation(
            "GET",
            "List or search companies (audited)",
            "companies",
            Action.READ_RECORDS,
            write=False,
            response="RecordPage",
            query=COMPANY_FILTERS,
            paged=True,
        ),
    )
    def list_companies() -> ResponseReturnValue:
        filters = CompanyFilters(
            name=query_text("name"),
            number=query_text("number"),
            country=query_text("country"),
            foreign=query_bool("foreign"),
        )
        db = get_session()
        with db.begin():
            note_read(db, api_actor(), "company", details={**filters.describe(), "via": "api"})
            page = keyset_page(
                db,
                company_statement(filters),
                resource="companies",
                updated_at=Company.updated_at,
                id_column=Company.id,
            )
            return page_response(page, _item)

    @api_view(
        bp,
        "/companies/<uuid:company_id>",
        Operation(
            "GET",
            "Read one company with its seizures and persons (audited)",
            "companies",
            Action.READ_RECORDS,
            write=False,
            response="Company",
            versioned=True,
        ),
    )
    def get_company(company_id: uuid.UUID) -> ResponseReturnValue:
        db = get_session()
        with db.begin():
            detail = read_company(db, api_actor(), company_id)
            return record_response(
                detail.company,
                company_snapshot(detail.company),
                seizures=_seizures(detail.seizures),
                persons=[
                    {"id": str(p.id), "name": p.display_name, "role": role}
                    for _link, p, role in detail.persons
                ],
            )

    @api_view(
        bp,
        "/conveyances",
        Operation(
            "GET",
            "List or search conveyances (audited)",
            "conveyances",
            Action.READ_RECORDS,
            write=False,
            response="RecordPage",
            query=CONVEYANCE_FILTERS,
            paged=True,
        ),
    )
    def list_conveyances() -> ResponseReturnValue:
        filters = ConveyanceFilters(
            identifier=query_text("identifier"),
            kind=query_choice("kind", ConveyanceKind),
            flag=query_text("flag"),
            foreign=query_bool("foreign"),
        )
        db = get_session()
        with db.begin():
            note_read(db, api_actor(), "conveyance", details={**filters.describe(), "via": "api"})
            page = keyset_page(
                db,
                conveyance_statement(filters),
                resource="conveyances",
                updated_at=Conveyance.updated_at,
                id_column=Conveyance.id,
            )
            return page_response(page, _item)

    @api_view(
        bp,
        "/conveyances/<uuid:conveyance_id>",
        Operation(
            "GET",
            "Read one conveyance with its seizures (audited)",
            "conveyances",
            Action.READ_RECORDS,
            write=False,
            response="Conveyance",
            versioned=True,
        ),
    )
    def get_conveyance(conveyance_id: uuid.UUID) -> ResponseReturnValue:
        db = get_session()
        with db.begin():
            detail = read_conveyance(db, api_actor(), conveyance_id)
            return record_response(
                detail.conveyance,
                conveyance_snapshot(detail.conveyance),
                seizures=_seizures(detail.seizures),
            )
