"""Profile schema v1 (``ncen-profile/1``) and the ``profile`` / ``profile-feedback`` messages:
exact members, closed vocabularies, bounds; everything else is refused with its path."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from exchange.errors import SchemaError
from exchange.network.protocol import new_message, validate_content
from exchange.records.profileschema import PROFILE_SCHEMA, PROFILE_SET, check_profile_set
from exchange.records.recordschema import RECORDS_SCHEMA_V1


def _set(**changes: Any) -> dict[str, Any]:
    profile = {
        "id": str(uuid.uuid4()), "version": 2, "name": "Tramadol by post", "purpose": "",
        "expression": 'commodity_group == "medicines"', "lane": "medium", "score": 60,
        "starts_on": "2026-01-01", "ends_on": None, "handling_code": "H0",
    }  # fmt: skip
    profile.update(changes)
    return {"schema": PROFILE_SCHEMA, "profile": profile}


def test_a_valid_profile_set_passes_through_the_online_validator() -> None:
    check_profile_set(_set())
    validate_content(RECORDS_SCHEMA_V1, PROFILE_SET, _set())


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({**_set(), "extra": 1}, "unknown members ['extra']"),
        ({"schema": "ncen-profile/2", "profile": _set()["profile"]}, "schema: must be"),
        (_set(id="not-a-uuid"), "profile.id"),
        (_set(version=0), "profile.version"),
        (_set(version=True), "profile.version"),
        (_set(name=""), "profile.name"),
        (_set(name="x" * 201), "profile.name"),
        (_set(expression="a\x00b"), "NUL"),
        (_set(lane="urgent"), "profile.lane"),
        (_set(score=101), "profile.score"),
        (_set(score=50.5), "profile.score"),
        (_set(starts_on="01/02/2026"), "profile.starts_on"),
        (_set(handling_code="H4"), "profile.handling_code"),
        ([], "must be an object"),
    ],
)
def test_bad_profile_sets_are_refused_with_their_path(value: Any, path: str) -> None:
    with pytest.raises(SchemaError, match=path.replace("[", r"\[").replace("]", r"\]")):
        check_profile_set(value)


def test_a_profile_set_is_not_a_records_set_offline() -> None:
    from exchange.records.recordschema import validate_records

    with pytest.raises(SchemaError):
        validate_records(RECORDS_SCHEMA_V1, PROFILE_SET, _set())


def test_profile_messages() -> None:
    new_message(
        "profile", legal_basis="Naples II", purpose="warning",
        body={"profile_id": str(uuid.uuid4()), "version": 1},
    )  # fmt: skip
    feedback = {"profile_id": str(uuid.uuid4()), "version": 1, "hits": 5, "confirmed": 2,
                "dismissed": 3}  # fmt: skip
    new_message("profile-feedback", legal_basis="Naples II", purpose="feedback", body=feedback)
    for bad in (
        {**feedback, "confirmed": 4},  # more decided than hits
        {**feedback, "hits": -1},
        {**feedback, "reference": "SZ-1"},  # nothing nominal or extra travels
        {**feedback, "version": 0},
    ):
        with pytest.raises(SchemaError):
            new_message("profile-feedback", legal_basis="N", purpose="f", body=bad)
