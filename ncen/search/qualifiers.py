"""Qualifiers: facts beyond the name that move a candidate's score up or down.

The deltas are added to the name score and the sum is clamped to [0, 1]. They are sized so
that evidence beyond the name reorders candidates of similar names but cannot turn a wrong
name into a strong match, while a conflict takes a namesake below `STRONG_MATCH`
(`ncen.search.results`): a shared identity document is the strongest agreement (+0.25); a
birth year more than a year apart, or a full date of birth known on both sides that differs,
is a conflict of -0.20 (a perfect name then scores 0.80), a month that differs -0.10, a year
apart -0.02. A gender recorded on both sides that differs costs -0.15. Facts missing on either
side move nothing. The evidence read from the names themselves (other-gender forms, another
patronymic, a single word in common, surnames that only sound alike) is in
`ncen.search.evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ncen.persons.models import Gender
from ncen.search.explain import QualifierEffect
from ncen.search.query import CompanyQuery, PersonQuery

BIRTH_YEAR_AGREES = 0.04
BIRTH_DATE_AGREES = 0.07
BIRTH_YEAR_CLOSE = -0.02
BIRTH_CONFLICT = -0.20
BIRTH_MONTH_CONFLICT = -0.10
NATIONALITY_AGREES = 0.03
NATIONALITY_CONFLICT = -0.05
GENDER_CONFLICT = -0.15
SHARED_IDENTIFIER = 0.25
COUNTRY_AGREES = 0.03
COUNTRY_CONFLICT = -0.05


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What the qualifiers need to know about a candidate person."""

    gender: Gender
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    nationalities: frozenset[str]
    shares_document: bool


def _date(year: int, month: int | None, day: int | None) -> str:
    return "-".join(f"{v:02d}" for v in (year, month, day) if v is not None)


def _birth(query: PersonQuery, facts: PersonFacts) -> QualifierEffect | None:
    if query.birth_year is None or facts.birth_year is None:
        return None
    asked = _date(query.birth_year, query.birth_month, query.birth_day)
    recorded = _date(facts.birth_year, facts.birth_month, facts.birth_day)
    full = None not in (query.birth_month, query.birth_day, facts.birth_month, facts.birth_day)
    gap = abs(query.birth_year - facts.birth_year)
    if gap > 1 or (full and asked != recorded):
        # Two full dates that differ are two people, even a year or a day apart.
        return QualifierEffect(
            "birth_date", "conflicts", BIRTH_CONFLICT, f"born {recorded}, not {asked}"
        )
    if gap == 1:
        return QualifierEffect(
            "birth_date", "close", BIRTH_YEAR_CLOSE, f"born {facts.birth_year}, a year apart"
        )
    parts = ((query.birth_month, facts.birth_month), (query.birth_day, facts.birth_day))
    if any(q is not None and r is not None and q != r for q, r in parts):
        return QualifierEffect(
            "birth_date",
            "conflicts",
            BIRTH_MONTH_CONFLICT,
            f"born {recorded}, not {asked}: same year, another date",
        )
    if full:
        return QualifierEffect("birth_date", "agrees", BIRTH_DATE_AGREES, "same date of birth")
    return QualifierEffect("birth_date", "agrees", BIRTH_YEAR_AGREES, "same birth year")


def person_effects(query: PersonQuery, facts: PersonFacts) -> tuple[QualifierEffect, ...]:
    """The qualifier effects of ``query`` on one candidate person."""
    effects = []
    birth = _birth(query, facts)
    if birth:
        effects.append(birth)
    if query.nationality and facts.nationalities:
        if query.nationality in facts.nationalities:
            effects.append(
                QualifierEffect("nationality", "agrees", NATIONALITY_AGREES, "same nationality")
            )
        else:
            effects.append(
                QualifierEffect(
                    "nationality", "conflicts", NATIONALITY_CONFLICT, "another nationality"
                )
            )
    known = {Gender.FEMALE, Gender.MALE}
    if query.gender in known and facts.gender in known and query.gender != facts.gender:
        effects.append(QualifierEffect("gender", "conflicts", GENDER_CONFLICT, "another gender"))
    if facts.shares_document:
        effects.append(
            QualifierEffect(
                "identifier", "agrees", SHARED_IDENTIFIER, "shares an identity document number"
            )
        )
    return tuple(effects)


def company_effects(
    query: CompanyQuery, country: str | None, shares_registration: bool
) -> tuple[QualifierEffect, ...]:
    """The qualifier effects of ``query`` on one candidate company."""
    effects = []
    if query.country and country:
        if query.country == country:
            effects.append(QualifierEffect("country", "agrees", COUNTRY_AGREES, "same country"))
        else:
            effects.append(
                QualifierEffect("country", "conflicts", COUNTRY_CONFLICT, "another country")
            )
    if shares_registration:
        effects.append(
            QualifierEffect(
                "identifier", "agrees", SHARED_IDENTIFIER, "same registration or tax number"
            )
        )
    return tuple(effects)


def apply(name_score: float, effects: tuple[QualifierEffect, ...]) -> float:
    """The final score: name score plus the deltas, clamped to [0, 1]."""
    return round(max(0.0, min(1.0, name_score + sum(e.delta for e in effects))), 4)
