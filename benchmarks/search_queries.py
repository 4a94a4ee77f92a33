"""Builds the benchmark's persons and labelled queries from `search_names` and
`search_evalset` (no `ncen.search` code involved).

Kinds of query: ``transliteration`` (a Cyrillic record asked for in ICAO, BGN/PCGN, French or
German spelling), ``cross_script`` (Arabic-script and Chinese records asked for in Latin, Latin
records asked for in Russian Cyrillic), ``word_order`` (given name first where the record has
the family name first, and the reverse), ``typo`` (one random edit), ``diacritics`` (accented
Latin names typed without accents), ``patronymic`` (a patronymic in the query the record does
not have, or the full three-part name), and ``negative`` (nobody in the database).
Every target gets a similar-but-different distractor: same family name with another given
name, or a family name one consonant away; some share the target's full name and differ only
in birth year (their queries then give the year).
"""

from __future__ import annotations

import random

import search_names as names
from search_evalset import SYSTEMS, EvalSet, Person, Query, fold_diacritics, transliterate, typo

# Swaps to a consonant that sounds different (never б/п, д/т, в/ф: those are spelling variants).
_CONSONANT_SWAPS = dict(zip("бдвкмнрлт", "днмтнмлрк", strict=True))


def _female(family: str) -> str:
    return family[:-2] + "ая" if family.endswith("ий") else family + "а"


def _near(family: str, rng: random.Random) -> str:
    """A different family name one consonant away (Назарбеков → Назарпеков)."""
    spots = [i for i, c in enumerate(family) if c in _CONSONANT_SWAPS and i > 0]
    i = rng.choice(spots)
    return family[:i] + _CONSONANT_SWAPS[family[i]] + family[i + 1 :]


def _add_distractor(ev: EvalSet, target: Person, names_: list[str], rng: random.Random) -> bool:
    """Add a distractor; True when it has the target's very name (queries then give the year)."""
    same_name = rng.random() < 0.15
    year = target.birth_year + rng.choice((-11, -7, 6, 9)) if same_name else rng.randint(1950, 2005)
    ev.distractors.append(
        Person(f"d{len(ev.distractors)}", names_, target.gender, year, target.nationality)
    )
    return same_name


def _cyrillic(ev: EvalSet, rng: random.Random, count: int) -> None:
    for n in range(count):
        male = rng.random() < 0.75
        while True:
            given = rng.choice(names.CYRILLIC_MALE if male else names.CYRILLIC_FEMALE)
            family_male = rng.choice(names.CYRILLIC_FAMILY)
            if (given, family_male) not in ev.used:
                break
        ev.used.add((given, family_male))
        family = family_male if male else _female(family_male)
        pair = rng.choice(names.PATRONYMICS)
        patronymic = pair[0 if male else 1] if rng.random() < 0.6 else None
        record = [" ".join(p for p in (family, given, patronymic) if p)]
        systems = list(SYSTEMS)
        if rng.random() < 0.4:  # a passport transliteration on file as well
            record.append(f"{transliterate(family, 'icao').upper()} {transliterate(given, 'icao')}")
            systems.remove("icao")
        target = Person(f"c{n}", record, "M" if male else "F", rng.randint(1950, 2005), "KZ")
        ev.targets.append(target)
        pool = names.CYRILLIC_MALE if male else names.CYRILLIC_FEMALE
        other = rng.choice([g for g in pool if (g, family_male) not in ev.used])
        near = rng.random() < 0.5
        if not near:
            ev.used.add((other, family_male))
        same_name = _add_distractor(
            ev,
            target,
            [f"{_near(family, rng)} {given}" if near else f"{family} {other}"],
            rng,
        )
        year = target.birth_year if same_name else None
        if same_name:
            ev.distractors[-1].names = [record[0]]
        s1, s2, s3 = rng.sample(systems, 3)
        spell = transliterate
        ev.queries += [
            Query("transliteration", f"{spell(family, s1)} {spell(given, s1)}", target.key, year),
            Query("word_order", f"{spell(given, s2)} {spell(family, s2)}", target.key, year),
            Query("typo", typo(f"{spell(given, s3)} {spell(family, s3)}", rng), target.key, year),
        ]
        extra = patronymic or rng.choice(names.PATRONYMICS)[0 if male else 1]
        ev.queries.append(
            Query(
                "patronymic",
                f"{spell(given, s1)} {spell(extra, s1)} {spell(family, s1)}",
                target.key,
                year,
            )
        )


def _arabic(ev: EvalSet, rng: random.Random, count: int) -> None:
    for n in range(count):
        given, spellings, gender = rng.choice(names.ARABIC_GIVEN)
        family, family_spellings = rng.choice(names.ARABIC_FAMILY)
        if (given, family) in ev.used:
            continue
        ev.used.add((given, family))
        target = Person(f"a{n}", [f"{given} {family}"], gender, rng.randint(1950, 2005), "AF")
        ev.targets.append(target)
        others = [g for g, _, s in names.ARABIC_GIVEN if s == gender and (g, family) not in ev.used]
        other = rng.choice(others)
        ev.used.add((other, family))
        _add_distractor(ev, target, [f"{other} {family}"], rng)
        ev.distractors[-1].birth_year = rng.randint(1950, 2005)
        first, last = spellings.split(), family_spellings.split()
        ev.queries += [
            Query("cross_script", f"{rng.choice(first)} {rng.choice(last)}", target.key),
            Query("word_order", f"{rng.choice(last)} {rng.choice(first)}", target.key),
            Query("typo", typo(f"{rng.choice(first)} {rng.choice(last)}", rng), target.key),
        ]


def _han(ev: EvalSet, rng: random.Random, count: int) -> None:
    for n in range(count):
        (family, family_latin), (given, given_latin) = (
            rng.choice(names.HAN_FAMILY),
            rng.choice(names.HAN_GIVEN),
        )
        if (given, family) in ev.used:
            continue
        ev.used.add((given, family))
        target = Person(f"h{n}", [family + given], "M", rng.randint(1950, 2005), "CN")
        ev.targets.append(target)
        other = rng.choice([g for g, _ in names.HAN_GIVEN if (g, family) not in ev.used])
        ev.used.add((other, family))
        _add_distractor(ev, target, [family + other], rng)
        ev.distractors[-1].birth_year = rng.randint(1950, 2005)
        ev.queries += [
            Query("cross_script", f"{family_latin.upper()} {given_latin}", target.key),
            Query("word_order", f"{given_latin} {family_latin}", target.key),
            Query("typo", typo(f"{family_latin} {given_latin}", rng), target.key),
        ]


def _latin(ev: EvalSet, rng: random.Random, count: int) -> None:
    for n in range(count):
        (given, given_ru), (family, family_ru) = (
            rng.choice(names.LATIN_GIVEN),
            rng.choice(names.LATIN_FAMILY),
        )
        if (given, family) in ev.used:
            continue
        ev.used.add((given, family))
        target = Person(f"l{n}", [f"{given} {family}"], "M", rng.randint(1950, 2005), "TR")
        ev.targets.append(target)
        other = rng.choice([g for g, _ in names.LATIN_GIVEN if (g, family) not in ev.used])
        ev.used.add((other, family))
        _add_distractor(ev, target, [f"{other} {family}"], rng)
        ev.distractors[-1].birth_year = rng.randint(1950, 2005)
        ev.queries += [
            Query("diacritics", fold_diacritics(f"{given} {family}", rng), target.key),
            Query("cross_script", f"{given_ru} {family_ru}", target.key),
            Query("word_order", fold_diacritics(f"{family} {given}", rng), target.key),
        ]


def _negatives(ev: EvalSet, rng: random.Random, count: int) -> None:
    ev.queries += [Query("negative", stranger, None) for stranger in names.STRANGERS]
    while sum(q.kind == "negative" for q in ev.queries) < count:
        given = rng.choice(names.CYRILLIC_MALE)
        family = rng.choice(names.CYRILLIC_FAMILY)
        if (given, family) in ev.used:
            continue
        ev.used.add((given, family))  # never created later either
        system = rng.choice(SYSTEMS)
        text = f"{transliterate(given, system)} {transliterate(family, system)}"
        ev.queries.append(Query("negative", text, None))


def build(seed: int = 11) -> EvalSet:
    """The whole evaluation set, the same for the same ``seed``."""
    rng = random.Random(seed)
    ev = EvalSet()
    _cyrillic(ev, rng, 120)
    _arabic(ev, rng, 60)
    _han(ev, rng, 60)
    _latin(ev, rng, 60)
    _negatives(ev, rng, 60)
    return ev
