"""Negative queries for the strong-match threshold: similar names with no true record.

Built from the benchmark's own persons (`search_queries.build`), without `ncen.search` code,
in the three kinds of issue 14 (item 5):

- ``neg_recombined``: the given name of one target with the family name of another, a pair
  nobody in the set holds, spelt in one of the benchmark's transliteration systems;
- ``neg_namesake``: a target's very name asked for with a birth year 4 to 15 years from the
  target's (and from every namesake distractor's): the same name, another person;
- ``neg_gender``: a Cyrillic target's family name in the other gender's form (Назарбеков →
  Nazarbekova, Воробьёва → Vorobyov), the given name as recorded, no gender given: the sister
  or brother of the person on file, not the person.

Each query is labelled with its kind; the benchmark reports the false-positive rate (a top
hit at or above the threshold) per kind and overall.
"""

from __future__ import annotations

import random

from search_evalset import SYSTEMS, EvalSet, Query, transliterate
from search_queries import _female


def _male(family: str) -> str:
    """The masculine form of a feminine Russian-style family name."""
    if family.endswith("ая"):
        return family[:-2] + "ий"
    return family[:-1] if family.endswith("а") else family


def _cyrillic_parts(ev: EvalSet) -> list[tuple[str, str, str, int]]:
    """(family, given, gender, birth year) of every Cyrillic target (records are "Family
    Given [Patronymic]")."""
    parts = []
    for person in ev.targets:
        if person.key.startswith("c"):
            words = person.names[0].split()
            parts.append((words[0], words[1], person.gender, person.birth_year))
    return parts


def add_negatives(ev: EvalSet, seed: int, per_kind: int = 60) -> None:
    """Append ``per_kind`` queries of each negative kind to ``ev.queries``."""
    rng = random.Random(seed * 7919 + 1)
    parts = _cyrillic_parts(ev)
    held = {(family, given) for family, given, _, _ in parts}
    for p in ev.targets + ev.distractors:
        words = p.names[0].split()
        if len(words) >= 2:
            held.add((words[0], words[1]))
    added = 0
    while added < per_kind:
        (family, _, gender, _), (_, given, other_gender, _) = rng.sample(parts, 2)
        if gender != other_gender or (family, given) in held:
            continue
        held.add((family, given))
        system = rng.choice(SYSTEMS)
        text = f"{transliterate(given, system)} {transliterate(family, system)}"
        ev.queries.append(Query("neg_recombined", text, None))
        added += 1
    years: dict[str, set[int]] = {}
    for p in ev.targets + ev.distractors:
        years.setdefault(p.names[0], set()).add(p.birth_year)
    candidates = [p for p in ev.targets if p.key[0] in "cal"]
    for person in rng.sample(candidates, min(per_kind, len(candidates))):
        taken = years[person.names[0]]
        year = next(
            y
            for y in (person.birth_year + d for d in rng.sample(range(-15, 16), 31))
            if all(abs(y - t) >= 4 for t in taken) and 1930 <= y <= 2010
        )
        words = person.names[0].split()
        if person.key.startswith("c"):
            system = rng.choice(SYSTEMS)
            text = " ".join(transliterate(w, system) for w in words[:2])
        else:
            text = person.names[0]
        ev.queries.append(Query("neg_namesake", text, None, year))
    for family, given, gender, _ in rng.sample(parts, min(per_kind, len(parts))):
        other = _female(family) if gender == "M" else _male(family)
        system = rng.choice(SYSTEMS)
        text = f"{transliterate(other, system)} {transliterate(given, system)}"
        ev.queries.append(Query("neg_gender", text, None))
