"""``/api/v1/seizures``: list and search, read, create and update seizures.

The same services as the seizure pages: `list_statement` with `SeizureFilters`, `read_seizure`
(audited as ``seizure.read``; it names the persons involved), `record_seizure` and
`update_seizure` (version-checked; an investigator changes only their own drafts).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue

from ncen.policy import Action
from ncen.reading import note_read
from ncen.seizures import services
from ncen.seizures.models import Seizure, SeizureStatus
from ncen.seizures.queries import (
    WITHOUT_COLLECTIONS,
    LinkedRecord,
    SeizureFilters,
    list_statement,
    read_seizure,
)
from ncen.seizures.snapshots import snapshot
from web.api.bodies import json_body
from web.api.paging import keyset_page
from web.api.problems import ApiProblemError
from web.api.records import (
    ensure_may_update,
    page_response,
    query_bool,
    query_choice,
    query_text,
    record_response,
)
from web.api.routing import Operation, api_actor, api_view
from web.api.versions import expected_version
from web.db import get_session

FILTERS = (
    ("text", "string", "words in the reference, place, narrative or item descriptions"),
    ("status", "string", "draft, submitted or validated"),
    ("commodity_group", "string", "commodity group code"),
    ("country", "string", "any country of the route (ISO 3166-1 alpha-2)"),
    ("transport_mode", "string", "transport mode code"),
    ("office_code", "string", "customs office code"),
    ("date_from", "string", "first day (YYYY-MM-DD)"),
    ("date_to", "string", "last day (YYYY-MM-DD)"),
    ("foreign", "boolean", "true: received from other nodes only; false: national only"),
)


def _day(name: str) -> date | None:
    value = query_text(name)
    if value is None:
        return None
    problem = ApiProblemError(
        422,
        "A filter is refused; see errors.",
        kind="validation",
        errors={name: "must be a date as YYYY-MM-DD"},
    )
    if len(value) != 10:  # fromisoformat also takes 20241231 and week dates
        raise problem
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise problem from exc


def seizure_item(seizure: Seizure) -> dict[str, Any]:
    """A seizure in a list."""
    return {
        "id": str(seizure.id),
        "version": seizure.version,
        "reference": seizure.reference,
        "occurred_at": seizure.occurred_at.isoformat(),
        "status": seizure.status.value,
        "office_code": seizure.office_code,
        "transport_mode": seizure.transport_mode,
        "handling_code": seizure.handling_code.value,
        "handling_restrictions": seizure.handling_restrictions,
        "origin_node": seizure.origin_node,
        "updated_at": seizure.updated_at.isoformat(),
    }


def _links(links: list[LinkedRecord]) -> list[dict[str, Any]]:
    return [
        {"id": str(link.record_id), "label": link.label, "role": link.role, "note": link.note}
        for link in links
    ]


def register(bp: Blueprint) -> None:
    """Add the seizure routes to ``bp``."""

    @api_view(
        bp,
        "/seizures",
        Operation(
            "GET",
            "List or search seizures (audited)",
            "seizures",
            Action.READ_RECORDS,
            write=False,
            response="SeizurePage",
            query=FILTERS,
            paged=True,
        ),
    )
    def list_seizures() -> ResponseReturnValue:
        filters = SeizureFilters(
            text=query_text("text"),
            status=query_choice("status", SeizureStatus),
            commodity_group=query_text("commodity_group"),
            country=query_text("country"),
            transport_mode=query_text("transport_mode"),
            office_code=query_text("office_code"),
            date_from=_day("date_from"),
            date_to=_day("date_to"),
            foreign=query_bool("foreign"),
        )
        db = get_session()
        with db.begin():
            note_read(db, api_actor(), "seizure", details={**filters.describe(), "via": "api"})
            page = keyset_page(
                db,
                list_statement(filters).options(*WITHOUT_COLLECTIONS),
                resource="seizures",
                updated_at=Seizure.updated_at,
                id_column=Seizure.id,
            )
            return page_response(page, seizure_item)

    @api_view(
        bp,
        "/seizures/<uuid:seizure_id>",
        Operation(
            "GET",
            "Read one seizure with its items and links (audited)",
            "seizures",
            Action.READ_RECORDS,
            write=False,
            response="Seizure",
            versioned=True,
        ),
    )
    def get_seizure(seizure_id: uuid.UUID) -> ResponseReturnValue:
        db = get_session()
        with db.begin():
            detail = read_seizure(db, api_actor(), seizure_id)
            body = snapshot(db, detail.seizure)
            # The live links with their labels replace the snapshot's bare ids.
            body.update(
                persons=_links(detail.persons),
                companies=_links(detail.companies),
                conveyances=_links(detail.conveyances),
            )
            return record_response(detail.seizure, body)

    @api_view(
        bp,
        "/seizures",
        Operation(
            "POST",
            "Record a seizure (a draft)",
            "seizures",
            Action.CREATE_RECORDS,
            write=True,
            response="Seizure",
            body="SeizureInput",
            statuses=(201,),
        ),
    )
    def create_seizure() -> ResponseReturnValue:
        data = json_body()
        db = get_session()
        with db.begin():
            seizure = services.record_seizure(db, api_actor(), data)
            response = record_response(seizure, snapshot(db, seizure), status=201)
            response.headers["Location"] = f"/api/v1/seizures/{seizure.id}"
        return response

    @api_view(
        bp,
        "/seizures/<uuid:seizure_id>",
        Operation(
            "PUT",
            "Replace a seizure's fields and items (If-Match required)",
            "seizures",
            Action.UPDATE_RECORD,
            write=True,
            response="Seizure",
            body="SeizureInput",
            versioned=True,
        ),
    )
    def update_seizure(seizure_id: uuid.UUID) -> ResponseReturnValue:
        ensure_may_update(Seizure, "seizure", seizure_id)
        version = expected_version()
        data = json_body()
        db = get_session()
        with db.begin():
            seizure = services.update_seizure(db, api_actor(), seizure_id, version, data)
            return record_response(seizure, snapshot(db, seizure))
