"""Mapping files are validated with errors naming the place (`ncen.imports.mapping`), and a
mapping is proposed from a header (`ncen.imports.proposal`)."""

from __future__ import annotations

import pytest

from ncen.imports.mapping import MappingError, check_columns, dump_mapping, load_mapping
from ncen.imports.proposal import propose_mapping
from tests.import_support import HEADER, MAPPING


def test_the_test_mapping_is_valid() -> None:
    mapping = load_mapping(MAPPING)
    assert mapping.record == "seizure"
    assert [e.role for e in mapping.linked] == ["offender", "importer", "means_of_transport"]
    assert mapping.main.items[0]["commodity_group"].codes == {
        "heroin": "drugs",
        "cigarettes": "tobacco",
    }


def test_json_is_accepted() -> None:
    text = '{"record": "person", "person": {"fields": {"full_name": "Name"}}}'
    assert load_mapping(text).main.fields["full_name"].columns == ("Name",)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("record: boat", "record"),
        ("record: person\nperson: {fields: {shoe_size: A}}", "person.fields.shoe_size"),
        (
            "record: person\nperson: {fields: {full_name: {column: A, value: B}}}",
            "person.fields.full_name",
        ),
        ("record: person\nperson: {fields: {full_name: A}}\npersons: []", "persons"),
        (
            "record: seizure\nseizure: {fields: {place: A}}\npersons: [{fields: {full_name: B}}]",
            "persons.0.role",
        ),
        (
            "record: person\nperson: {fields: {full_name: A}}\nnumbers: {decimal: x}",
            "numbers.decimal",
        ),
        (
            "record: person\nperson: {fields: {full_name: A}}\ndates: {formats: [dmy]}",
            "dates.formats",
        ),
        ("record: [unclosed", "line 1"),
        ("- just a list", "mapping"),
    ],
)
def test_errors_point_at_the_place(text: str, place: str) -> None:
    with pytest.raises(MappingError) as caught:
        load_mapping(text)
    assert place in caught.value.errors, caught.value.errors


def test_missing_columns_are_named() -> None:
    mapping = load_mapping(MAPPING)
    with pytest.raises(MappingError) as caught:
        check_columns(mapping, tuple(h for h in HEADER if h not in ("Qty", "Born")))
    assert set(caught.value.errors) == {"column Qty", "column Born"}


def test_proposal_places_the_usual_columns() -> None:
    proposal = propose_mapping(tuple(HEADER), "seizure", "legacy")
    document = proposal.mapping
    assert document["seizure"]["id"] == "Case No"
    assert document["seizure"]["fields"]["occurred_at"] == "Date"
    assert document["seizure"]["items"] == [{"commodity_group": "Goods", "quantity": "Qty"}]
    assert document["persons"][0]["fields"]["document_number"] == "Passport"
    assert document["conveyances"][0]["fields"]["plate"] == "Truck plate"
    # The proposal is itself a valid mapping that fits the file.
    check_columns(load_mapping(dump_mapping(document)), tuple(HEADER))


def test_proposal_for_a_person_sheet_in_russian() -> None:
    proposal = propose_mapping(("ФИО", "Дата рождения", "Гражданство", "Рост"), "person", "reg")
    assert proposal.mapping["person"]["fields"] == {
        "full_name": "ФИО",
        "birth_date": "Дата рождения",
        "nationalities": "Гражданство",
    }
    assert proposal.unmatched == ["Рост"]
