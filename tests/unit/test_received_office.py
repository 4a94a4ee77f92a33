"""A received seizure's customs office: kept as a code-only mark in its place text, named by
the pages in the reader's language (issue 15)."""

from __future__ import annotations

from exchange.records.received import seizure_input as _seizure_input
from ncen.seizures.foreign import PLACE_LENGTH, place_with_office, split_office


def _received(place: str | None, office: str | None) -> dict[str, object]:
    return {
        "place": place,
        "office_code": office,
        "persons": [],
        "companies": [],
        "conveyances": [],
    }


def test_the_office_is_stored_as_a_code_without_words() -> None:
    local: dict[str, dict[str, object]] = {"persons": {}, "companies": {}, "conveyances": {}}
    data = _seizure_input(_received("Khorgos", "KZ-55501"), local)  # type: ignore[arg-type]
    assert data["office_code"] is None
    place = str(data["place"])
    assert "customs office" not in place
    assert split_office(place) == ("Khorgos", "KZ-55501")
    assert _seizure_input(_received("Khorgos", None), local)["place"] == "Khorgos"  # type: ignore[arg-type]


def test_a_long_place_keeps_the_whole_mark() -> None:
    place = place_with_office("x" * 500, "KZ-55501")
    assert len(place) <= PLACE_LENGTH
    assert split_office(place) == (
        "x" * (len(place) - len(", [customs_office: KZ-55501]")),
        "KZ-55501",
    )
    assert split_office(place_with_office(None, "A1")) == (None, "A1")


def test_places_written_before_are_understood() -> None:
    assert split_office("Altynkol, customs office 55501") == ("Altynkol", "55501")
    assert split_office("Altynkol") == ("Altynkol", None)
    assert split_office(None) == (None, None)
