"""The built-in code lists: unique stable codes, parents that exist, and the HS 2022 structure."""

from __future__ import annotations

import dataclasses
import re

import pytest

from ncen.reference.codes import (
    ALL_LISTS,
    COMMODITY_GROUPS,
    ENFORCEMENT_AREAS,
    HS_CHAPTERS,
    HS_SECTIONS,
    REC19_TRANSPORT_MODES,
    TRANSPORT_MODES,
    Code,
)

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
HS_LISTS = {"hs_sections", "hs_chapters"}
# Parent list of each list whose entries have parents.
PARENTS = {"commodity_groups": "enforcement_areas", "hs_chapters": "hs_sections"}

SECTION_RANGES = {
    "I": (1, 5),
    "II": (6, 14),
    "III": (15, 15),
    "IV": (16, 24),
    "V": (25, 27),
    "VI": (28, 38),
    "VII": (39, 40),
    "VIII": (41, 43),
    "IX": (44, 46),
    "X": (47, 49),
    "XI": (50, 63),
    "XII": (64, 67),
    "XIII": (68, 70),
    "XIV": (71, 71),
    "XV": (72, 83),
    "XVI": (84, 85),
    "XVII": (86, 89),
    "XVIII": (90, 92),
    "XIX": (93, 93),
    "XX": (94, 96),
    "XXI": (97, 97),
}


def test_all_lists_names_every_seeded_table() -> None:
    assert set(ALL_LISTS) == {
        "commodity_groups",
        "enforcement_areas",
        "detection_methods",
        "detection_techniques",
        "concealment_methods",
        "transport_modes",
        "location_types",
        "person_roles",
        "company_roles",
        "conveyance_roles",
        "person_company_roles",
        "quantity_units",
        "hs_sections",
        "hs_chapters",
    }


def test_all_lists_is_read_only() -> None:
    with pytest.raises(TypeError):
        ALL_LISTS["extra"] = ()  # type: ignore[index]


def test_code_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ENFORCEMENT_AREAS[0].code = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("name", sorted(ALL_LISTS))
def test_list_is_a_non_empty_tuple_of_codes(name: str) -> None:
    entries = ALL_LISTS[name]
    assert isinstance(entries, tuple)
    assert entries
    assert all(isinstance(entry, Code) for entry in entries)


@pytest.mark.parametrize("name", sorted(ALL_LISTS))
def test_codes_are_unique_within_a_list(name: str) -> None:
    codes = [entry.code for entry in ALL_LISTS[name]]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("name", sorted(ALL_LISTS))
def test_labels_are_unique_and_trimmed(name: str) -> None:
    labels = [entry.label for entry in ALL_LISTS[name]]
    assert len(labels) == len(set(labels))
    assert all(label and label == label.strip() and "  " not in label for label in labels)


@pytest.mark.parametrize("name", sorted(set(ALL_LISTS) - HS_LISTS))
def test_cen_codes_are_short_lower_snake_case(name: str) -> None:
    for entry in ALL_LISTS[name]:
        assert SNAKE.match(entry.code), entry.code
        assert len(entry.code) <= 32, entry.code  # the width of the code column


@pytest.mark.parametrize("name", sorted(ALL_LISTS))
def test_parents_exist_exactly_where_expected(name: str) -> None:
    parent_list = PARENTS.get(name)
    if parent_list is None:
        assert all(entry.parent is None for entry in ALL_LISTS[name])
        return
    parent_codes = {entry.code for entry in ALL_LISTS[parent_list]}
    for entry in ALL_LISTS[name]:
        assert entry.parent in parent_codes, entry


def test_parent_lists_come_before_their_children() -> None:
    order = list(ALL_LISTS)
    for child, parent in PARENTS.items():
        assert order.index(parent) < order.index(child)


def test_thirteen_commodity_groups_cover_every_enforcement_area() -> None:
    assert len(COMMODITY_GROUPS) == 13
    assert {group.parent for group in COMMODITY_GROUPS} == {a.code for a in ENFORCEMENT_AREAS}


def test_commodity_groups_keep_their_published_codes() -> None:
    # Codes are foreign keys and exchanged between nodes: this pins them.
    assert [group.code for group in COMMODITY_GROUPS] == [
        "drugs",
        "precursors",
        "tobacco",
        "alcohol",
        "commercial_fraud",
        "ipr",
        "medicines",
        "cites",
        "hazardous_waste_ods",
        "weapons_ammunition",
        "currency",
        "cultural_heritage",
        "other_security",
    ]


def test_hs_has_21_sections_numbered_in_roman() -> None:
    assert [section.code for section in HS_SECTIONS] == list(SECTION_RANGES)


def test_hs_has_97_chapters_in_order() -> None:
    assert [chapter.code for chapter in HS_CHAPTERS] == [f"{n:02d}" for n in range(1, 98)]


@pytest.mark.parametrize(("section", "bounds"), SECTION_RANGES.items())
def test_chapters_sit_in_their_official_section(section: str, bounds: tuple[int, int]) -> None:
    first, last = bounds
    chapters = [int(chapter.code) for chapter in HS_CHAPTERS if chapter.parent == section]
    assert chapters == list(range(first, last + 1))


def test_chapter_77_is_reserved() -> None:
    chapter = next(chapter for chapter in HS_CHAPTERS if chapter.code == "77")
    assert chapter.label == "(Reserved for possible future use)"
    assert chapter.parent == "XV"


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("01", "Live animals"),
        ("09", "Coffee, tea, maté and spices"),
        ("30", "Pharmaceutical products"),
        ("93", "Arms and ammunition; parts and accessories thereof"),
        ("97", "Works of art, collectors' pieces and antiques"),
    ],
)
def test_chapter_titles_are_the_official_texts(code: str, label: str) -> None:
    assert next(chapter for chapter in HS_CHAPTERS if chapter.code == code).label == label


def test_hs_2022_titles_are_used() -> None:
    # HS 2022 added microbial fats, insects and novel nicotine products to these titles.
    labels = {chapter.code: chapter.label for chapter in HS_CHAPTERS}
    assert labels["15"].startswith("Animal, vegetable or microbial fats")
    assert labels["16"].endswith("or of insects")
    assert "inhalation without combustion" in labels["24"]


def test_rec19_mapping_names_only_known_transport_modes() -> None:
    modes = {mode.code for mode in TRANSPORT_MODES}
    assert set(REC19_TRANSPORT_MODES) <= modes
    assert sorted(REC19_TRANSPORT_MODES.values()) == [str(n) for n in range(9)]
    assert {"pedestrian", "express_courier"} <= modes - set(REC19_TRANSPORT_MODES)
