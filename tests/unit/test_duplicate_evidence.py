"""The duplicate evidence of `ncen.merging.evidence`, on hand-made facts (no database)."""

from __future__ import annotations

import ast
import uuid
from pathlib import Path

from ncen.merging import evidence
from ncen.merging.evidence import (
    STRONG_DUPLICATE,
    UNCORROBORATED_CAP,
    PersonFacts,
    judge,
)
from ncen.persons.models import Gender
from ncen.search.evidence import CAP
from ncen.search.keys import analyse
from ncen.search.results import STRONG_MATCH


def facts(
    name: str,
    *,
    patronymic: str | None = None,
    gender: Gender = Gender.MALE,
    born: tuple[int | None, int | None, int | None] = (1984, 3, 2),
    nationalities: tuple[str, ...] = ("KZ",),
    documents: tuple[str, ...] = (),
    contacts: tuple[str, ...] = (),
    addresses: tuple[str, ...] = (),
    seizures: tuple[uuid.UUID, ...] = (),
) -> PersonFacts:
    tokens = analyse(name, patronymic=patronymic)
    return PersonFacts(
        gender=gender,
        birth=born,
        nationalities=frozenset(nationalities),
        patronymics=tuple(t for t in tokens if t.optional),
        words=frozenset(t.text for t in tokens),
        documents=frozenset(documents),
        contacts=frozenset(contacts),
        addresses=frozenset(addresses),
        seizures=frozenset(seizures),
    )


def codes(judgement) -> set[str]:
    return {e.code for e in judgement.evidence}


def test_another_patronymic_and_nationality_drop_the_issue_example_below_strong() -> None:
    """Issue 14, item 4: "Ахметов Рустам Сергеевич ~ Ахметов Рустам Ибрагимович" was 0.99."""
    a = facts("Ахметов Рустам Сергеевич", patronymic="Сергеевич", nationalities=("KZ",))
    b = facts("Ахметов Рустам Ибрагимович", patronymic="Ибрагимович", nationalities=("UZ",))
    judgement = judge(0.99, a, b)
    assert judgement.score < STRONG_DUPLICATE
    assert {"other_patronymic", "other_nationality"} <= codes(judgement)
    assert all(e.direction == "against" for e in judgement.against)


def test_the_same_patronymic_across_scripts_is_no_conflict() -> None:
    a = facts("Ахметов Рустам Сергеевич", patronymic="Сергеевич", documents=("N123",))
    b = facts("Akhmetov Rustam Sergeevich", patronymic="Sergeevich", documents=("N123",))
    judgement = judge(1.0, a, b)
    assert "other_patronymic" not in codes(judgement)
    assert judgement.score >= STRONG_DUPLICATE


def test_namesakes_born_a_year_apart_are_not_strong() -> None:
    """Issue 14, item 4: namesakes born a year apart scored 1.00."""
    a = facts("Ivan Petrov", born=(1984, 3, 2))
    b = facts("Ivan Petrov", born=(1985, 3, 2))
    judgement = judge(1.0, a, b)
    assert judgement.score < STRONG_DUPLICATE
    assert "other_birth_date" in codes(judgement)
    partial = judge(1.0, facts("Ivan Petrov", born=(1984, None, None)), b)
    assert partial.score < STRONG_DUPLICATE
    assert "birth_year_close" in codes(partial)


def test_birth_years_beyond_the_tolerance_conflict_more_than_a_year_apart() -> None:
    a = facts("Ivan Petrov", born=(1984, None, None), documents=("X1",))
    close = judge(0.9, a, facts("Ivan Petrov", born=(1985, None, None), documents=("X1",)))
    far = judge(0.9, a, facts("Ivan Petrov", born=(1990, None, None), documents=("X1",)))
    assert "birth_years_apart" in codes(far)
    assert far.score < close.score


def test_a_name_alone_is_capped_below_strong() -> None:
    a = facts("Ivan Petrov", born=(1984, None, None))
    b = facts("Ivan Petrov", born=(1984, 3, 2))
    judgement = judge(1.0, a, b)
    assert judgement.score == UNCORROBORATED_CAP
    assert "name_only" in codes(judgement)


def test_same_full_birth_date_or_shared_identifiers_corroborate() -> None:
    a = facts("Ivan Petrov")
    assert judge(0.9, a, facts("Ivan Petrov")).score >= STRONG_DUPLICATE
    for shared in ({"documents": ("N1",)}, {"contacts": ("+77015550001",)}, {"addresses": ("k",)}):
        first = facts("Ivan Petrov", born=(1984, None, None), **shared)  # type: ignore[arg-type]
        second = facts("Ivan Petrov", born=(1984, None, None), **shared)  # type: ignore[arg-type]
        judgement = judge(0.9, first, second)
        assert judgement.score >= STRONG_DUPLICATE, shared
        assert judgement.for_


def test_a_shared_seizure_alone_does_not_corroborate() -> None:
    seizure = uuid.uuid4()
    a = facts("Ivan Petrov", born=(1984, None, None), seizures=(seizure,))
    b = facts("Ivan Petrov", born=(1984, None, None), seizures=(seizure,))
    judgement = judge(1.0, a, b)
    assert "same_seizure" in codes(judgement)
    assert judgement.score == UNCORROBORATED_CAP


def test_gendered_surname_endings_conflict_unless_the_genders_agree() -> None:
    a = facts("Ivanov Dana", gender=Gender.UNKNOWN, documents=("N1",))
    b = facts("Ivanova Dana", gender=Gender.FEMALE, documents=("N1",))
    assert "other_gender_form" in codes(judge(0.95, a, b))
    turkic = judge(0.95, facts("Aliyev Leyla", gender=Gender.UNKNOWN), facts("Aliyeva Leyla"))
    assert "other_gender_form" in codes(turkic)
    # Both recorded as women: the ending is a slip, not another person.
    same = facts("Ivanov Dana", gender=Gender.FEMALE, documents=("N1",))
    assert "other_gender_form" not in codes(judge(0.95, same, b))


def test_patronymic_endings_conflict_too() -> None:
    a = facts("Petrov Sasha Sergeevich", patronymic="Sergeevich", gender=Gender.UNKNOWN)
    b = facts("Petrova Sasha Sergeevna", patronymic="Sergeevna", gender=Gender.UNKNOWN)
    assert "other_gender_form" in codes(judge(0.95, a, b))


def test_another_known_gender_is_strong_evidence_against() -> None:
    # Same name, same date of birth: strong, until the genders differ.
    a = facts("Sasha Petrov", gender=Gender.MALE)
    assert judge(1.0, a, facts("Sasha Petrov", gender=Gender.MALE)).score >= STRONG_DUPLICATE
    judgement = judge(1.0, a, facts("Sasha Petrov", gender=Gender.FEMALE))
    assert "other_gender" in codes(judgement)
    assert judgement.score < STRONG_DUPLICATE


def test_evidence_is_sorted_strongest_first_and_serialisable() -> None:
    a = facts("Ivan Petrov", documents=("N1",), nationalities=("KZ",))
    b = facts("Ivan Petrov", documents=("N1",), nationalities=("KZ",))
    judgement = judge(0.9, a, b)
    deltas = [abs(e.delta) for e in judgement.evidence]
    assert deltas == sorted(deltas, reverse=True)
    assert judgement.evidence[0].as_dict() == {
        "code": "same_document",
        "delta": 0.3,
        "detail": "N1",
    }
    assert "same identity document (N1)" in judgement.evidence[0].note


def test_one_strong_threshold_for_search_and_duplicates() -> None:
    """docs/search.md: one strong-match threshold, never a literal. The duplicate threshold
    and its cap are the search's (`STRONG_MATCH`, `CAP`), not numbers of their own that could
    drift apart from them."""
    assert (STRONG_DUPLICATE, UNCORROBORATED_CAP) == (STRONG_MATCH, CAP)
    tree = ast.parse(Path(evidence.__file__).read_text(encoding="utf-8"))
    assigned = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for name in ("STRONG_DUPLICATE", "UNCORROBORATED_CAP"):
        assert not isinstance(assigned[name], ast.Constant), f"{name} is a literal"
