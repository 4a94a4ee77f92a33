"""The second, harder labelled evaluation set of person name search: naming traditions.

Built from published transliteration standards and naming conventions (cited in
`traditions_names` and `traditions_slavic`), by the renderings of `traditions_render` and
`traditions_render2`, without `ncen.search`. Every person has an identity of concept ids
(given name, family name, parent, gender, full birth date), so the set can prove its labels:
a positive query is compatible with its target and with no other person; a negative query is
compatible with nobody (`check`).

Kinds of positive query: ``parentage`` (s/o, d/o, w/o, bin/binti, ibn/bint, a/l, a/p and the
script forms ولد, دختر, بن, بنت, زوجہ; marker swapped, dropped, or parent left out),
``wade_giles``, ``palladius``, ``chinese_punct`` (hyphenated pinyin, the middle dot of Chinese
transcriptions of Uyghur names and its variants), ``cantonese``, ``uyghur`` (Arabic script ↔
Chinese ↔ Latin), ``turkic_latin`` (Azerbaijani, Turkmen, Uzbek, Kazakh Latin vs Russian
Cyrillic), ``french_translit`` (ou, dj, ch: Maghreb Arabic and Turkic names), ``mongolian``
(genitive patronymic), ``nickname`` (Lev ~ Leo, Iosif ~ Joseph, Миша), ``cross_script``
(Ukrainian, Persian, Chinese characters and Latin), ``patronymic`` (Russian -ович/-овна,
Azerbaijani oğlu/qızı ~ оглы/кызы).
Negative kinds (nobody in the database is the person asked for): ``neg_recombined`` (the
given name of one record with the family name or father of another), ``neg_namesake`` (a
record's name with birth data that conflict: year 9-15 years off, or another full date),
``neg_gender`` (the other-gender form, Golubeva Valentina against Golubev Valentin, gender
given), ``neg_parentage`` (a record's own name with another father or patronymic).

With the default seed: 478 targets, 1,073 queries (843 positive, at least 30 of each positive
kind and 36 Cantonese; 230 negative: 60 recombined, 60 namesakes, 55 other-gender, 55
conflicting parentage). `MINIMUM` is the promise the unit test holds the set to.

Distractors: each target gets near neighbours (same family name and another given name, same
given name and another family name or father, a one-consonant-off family name, the
other-gender form, namesakes born years apart); `neighbours` makes as many more as a scale
asks for, never one that is a true match for any query.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field, replace

from traditions_render import Chinese, Mongolian, Parentage, Parts, Tradition, Turkic, Uyghur
from traditions_render2 import (
    AzerbaijaniPatronymic,
    Maghreb,
    Nicknames,
    Persian,
    Russian,
    Ukrainian,
)

POSITIVE_KINDS = (
    "parentage",
    "wade_giles",
    "palladius",
    "chinese_punct",
    "cantonese",
    "uyghur",
    "turkic_latin",
    "french_translit",
    "mongolian",
    "nickname",
    "cross_script",
    "patronymic",
)
NEGATIVE_KINDS = ("neg_recombined", "neg_namesake", "neg_gender", "neg_parentage")
# Promised minimum number of queries per kind (the unit test holds the set to it).
MINIMUM = dict.fromkeys(POSITIVE_KINDS, 30) | {"cantonese": 20} | dict.fromkeys(NEGATIVE_KINDS, 50)
NEGATIVES = {"neg_recombined": 60, "neg_namesake": 60, "neg_gender": 55, "neg_parentage": 55}


@dataclass(frozen=True)
class Who:
    """Who a record is, or who a query asks for (None: not said)."""

    given: str
    family: str | None
    parent: str | None
    gender: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None


def compatible(query: Who, person: Who) -> bool:
    """Whether ``person`` could be the one ``query`` asks for (a true match).

    Names of a given name and a father's name only (Uyghur) may be read in either order.
    """
    if (
        query.family is None
        and person.family is None
        and (query.given, query.parent) == (person.parent, person.given)
    ):
        person = replace(person, given=query.given, parent=query.parent)
    return (
        query.given == person.given
        and query.family == person.family
        and (query.parent is None or person.parent is None or query.parent == person.parent)
        and all(
            q is None or q == p
            for q, p in (
                (query.gender, person.gender),
                (query.year, person.year),
                (query.month, person.month),
                (query.day, person.day),
            )
        )
    )


@dataclass
class Person:
    """A person the benchmark creates through the services."""

    key: str
    names: list[str]
    who: Who
    nationality: str
    tradition: str
    parts: Parts = field(repr=False, compare=False)

    @property
    def gender(self) -> str:
        return self.who.gender or "U"


@dataclass(frozen=True)
class Query:
    """One labelled query; ``target`` is None for a negative query."""

    kind: str
    text: str
    target: str | None
    who: Who

    @property
    def birth_year(self) -> int | None:
        return self.who.year


@dataclass
class TraditionsSet:
    """Targets, distractors and labelled queries, with an index of who is who."""

    targets: list[Person] = field(default_factory=list)
    distractors: list[Person] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)
    index: dict[tuple[str, str | None], list[Person]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @property
    def persons(self) -> list[Person]:
        return self.targets + self.distractors

    def add(self, person: Person, target: bool) -> None:
        (self.targets if target else self.distractors).append(person)
        self.index[(person.who.given, person.who.family)].append(person)

    def matches(self, who: Who) -> list[Person]:
        """Every person compatible with ``who`` (the true matches of a query for ``who``)."""
        candidates = list(self.index.get((who.given, who.family), ()))
        if who.family is None and who.parent is not None:
            candidates += self.index.get((who.parent, None), ())
        return [p for p in candidates if compatible(who, p.who)]


# Targets per tradition.
PLAN: tuple[tuple[Tradition, int], ...] = (
    *((Turkic(c), 22) for c in ("AZ", "TM", "UZ", "KZ")),
    (Chinese(), 56),
    (Uyghur(), 40),
    (Mongolian(), 40),
    *((Parentage(v), n) for v, n in (("pk", 14), ("af", 10), ("gulf", 14), ("my", 14), ("ta", 12))),
    (Russian(), 50),
    (AzerbaijaniPatronymic(), 16),
    (Ukrainian(), 24),
    (Persian(), 26),
    (Maghreb(), 34),
    (Nicknames(), 40),
)
TRADITIONS = {t.name: t for t, _ in PLAN}

# Consonant swaps to a letter that sounds different (never a voiced/voiceless pair or a
# usual spelling variant), per script: a one-letter-off name is another name.
_SWAPS = {
    **dict(zip("bdgklmnprstvz", "lrmlktsbmnrkl", strict=True)),
    **dict(zip("бвгдзклмнпрстфхчш", "лрмрклктслбмннллн", strict=True)),
    **dict(zip("رلمنسبدتقفجش", "لننربسکملحلک", strict=True)),
}


def mutate(word: str, rng: random.Random) -> str | None:
    """``word`` with one consonant (not the first letter) swapped for one that sounds
    different (Голубев → Голулев), or None when it has no such consonant."""
    spots = [i for i, c in enumerate(word) if i > 0 and c.lower() in _SWAPS]
    if not spots:
        return None
    i = rng.choice(spots)
    swap = _SWAPS[word[i].lower()]
    return word[:i] + (swap.upper() if word[i].isupper() else swap) + word[i + 1 :]


def _birth(rng: random.Random, avoid: int | None = None) -> tuple[int, int, int]:
    """A full birth date, at least 5 years from ``avoid``."""
    while True:
        year = rng.randint(1955, 2004)
        if avoid is None or abs(year - avoid) >= 5:
            return year, rng.randint(1, 12), rng.randint(1, 28)


def _bare(who: Who) -> Who:
    return Who(who.given, who.family, who.parent)


class _Builder:
    """Builds a `TraditionsSet` from one seeded random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ev = TraditionsSet()

    def who(self, t: Tradition, p: Parts, birth: tuple[int, int, int] | None = None) -> Who:
        given, family, parent = t.identity(p)
        return Who(given, family, parent, p.gender, *(birth or (None, None, None)))

    def add(
        self, t: Tradition, p: Parts, who: Who, target: bool, names: list[str] | None = None
    ) -> Person:
        names = names or t.record(p, self.rng)[0]
        nationality = p.style if p.style in t.nationalities else self.rng.choice(t.nationalities)
        count = len(self.ev.targets if target else self.ev.distractors)
        person = Person(f"{'t' if target else 'd'}{count}", names, who, nationality, t.name, p)
        self.ev.add(person, target)
        return person

    def targets(self) -> None:
        for t, count in PLAN:
            made = 0
            while made < count:
                p = t.draw(self.rng)
                who = self.who(t, p, _birth(self.rng))
                if self.ev.matches(_bare(who)):
                    continue  # a target's name (with its father) is new in the set
                self.add(t, p, who, target=True)
                made += 1

    def near(self, person: Person) -> None:
        """The near neighbours of one target."""
        t, p = TRADITIONS[person.tradition], person.parts
        rng, year = self.rng, person.who.year
        candidates = t.others(p, rng)
        flipped = t.flip(p)
        if flipped is not None and rng.random() < 0.3:
            candidates.append(flipped)
        for other in candidates:
            who = self.who(t, other, _birth(rng, year))
            if not any(m.key.startswith("t") for m in self.ev.matches(_bare(who))):
                self.add(t, other, who, target=False)
        if rng.random() < 0.15:  # a namesake born years apart
            self.add(
                t,
                p,
                replace(
                    person.who,
                    **dict(zip(("year", "month", "day"), _birth(rng, year), strict=True)),
                ),
                target=False,
                names=person.names[:1],
            )
        names, family = t.record(p, rng)
        changed = mutate(family, rng) if family else None
        if changed is not None and rng.random() < 0.6:
            who = replace(
                self.who(t, p, _birth(rng, year)), family=f"{person.who.family}~{changed}"
            )
            self.add(t, p, who, target=False, names=[names[0].replace(family, changed)])

    def positives(self) -> None:
        rng = self.rng
        for person in self.ev.targets:
            t, p = TRADITIONS[person.tradition], person.parts
            recorded = {n.casefold() for n in person.names}
            for kind, text, named in t.queries(p, rng):
                if text.casefold() in recorded:
                    continue  # the record's own spelling asks nothing of the matcher
                recorded.add(text.casefold())  # nor does the same question twice
                who = Who(person.who.given, person.who.family, person.who.parent if named else None)
                if rng.random() < 0.2:
                    who = replace(who, gender=person.who.gender)
                for extra in (
                    {},
                    {"year": person.who.year},
                    {"month": person.who.month, "day": person.who.day},
                ):
                    who = replace(who, **extra)
                    if [m.key for m in self.ev.matches(who)] == [person.key]:
                        self.ev.queries.append(Query(kind, text, person.key, who))
                        break

    def asked_for(self, kind: str, person: Person) -> tuple[Parts | None, dict[str, int]]:
        """The parts (and birth data) a negative query of ``kind`` built on ``person`` asks for."""
        t, p, rng = TRADITIONS[person.tradition], person.parts, self.rng
        if kind == "neg_recombined":
            other = rng.choice([q for q in self.ev.targets if q.tradition == t.name]).parts
            if p.family is not None and other.family is not None:
                return replace(p, family=other.family), {}
            return replace(p, parent=other.parent), {}  # given name and father only
        if kind == "neg_gender":
            return t.flip(p), {}
        if kind == "neg_parentage":
            return (replace(p, parent=rng.choice(t.parents())) if t.has_parent else None), {}
        year, month = person.who.year or 0, person.who.month or 1
        if rng.random() < 0.5:  # born 9 to 15 years apart
            return p, {"year": year + rng.choice((-1, 1)) * rng.randint(9, 15)}
        return p, {  # another full date, the year no more than 2 apart
            "year": year + rng.randint(-2, 2),
            "month": (month + rng.randint(2, 9)) % 12 + 1,
            "day": rng.randint(1, 28),
        }

    def negative(self, kind: str, person: Person) -> Query | None:
        """A negative query of ``kind`` built on ``person``, or None when none can be."""
        t = TRADITIONS[person.tradition]
        p, birth = self.asked_for(kind, person)
        if p is None:
            return None
        text, named = t.negative_text(p, self.rng)
        if kind == "neg_parentage" and not named:
            return None
        who = replace(self.who(t, p), **birth)
        if not named:
            who = replace(who, parent=None)
        if kind != "neg_gender":
            who = replace(who, gender=None)
        if self.ev.matches(who):
            return None
        return Query(kind, text, None, who)

    def negatives(self) -> None:
        for kind, count in NEGATIVES.items():
            made, tries = 0, 0
            pool = self.ev.targets
            if kind == "neg_gender":
                pool = [p for p in pool if TRADITIONS[p.tradition].flip(p.parts) is not None]
            elif kind == "neg_parentage":
                pool = [p for p in pool if TRADITIONS[p.tradition].has_parent]
            while made < count and tries < 50 * count:
                tries += 1
                query = self.negative(kind, self.rng.choice(pool))
                if query is not None and query.text not in {q.text for q in self.ev.queries}:
                    self.ev.queries.append(query)
                    made += 1


def build(seed: int = 14) -> TraditionsSet:
    """The whole set, the same for the same ``seed``."""
    builder = _Builder(seed)
    builder.targets()
    for person in list(builder.ev.targets):
        builder.near(person)
    builder.positives()
    builder.negatives()
    return builder.ev


def check(ev: TraditionsSet) -> list[str]:
    """What is wrong with the labels (empty when every label is right): a positive query must
    be compatible with its target and no other person, a negative query with nobody."""
    problems = []
    for q in ev.queries:
        found = [p.key for p in ev.matches(q.who)]
        expected = [q.target] if q.target else []
        if found != expected:
            problems.append(f"{q.kind} {q.text!r}: true matches {found}, labelled {expected}")
    return problems


def neighbours(ev: TraditionsSet, count: int, seed: int) -> list[Person]:
    """``count`` more near neighbours of the targets (for a haystack at scale), none of which
    is a true match for any query of ``ev``. Deterministic for ``(ev, count, seed)``."""
    builder = _Builder(seed)
    builder.ev = TraditionsSet()
    asked = defaultdict(list)
    for q in ev.queries:
        asked[(q.who.given, q.who.family)].append(q.who)
    made: list[Person] = []
    seen: set[tuple[str, ...]] = set()
    while len(made) < count:
        target = builder.rng.choice(ev.targets)
        t, p = TRADITIONS[target.tradition], target.parts
        for other in t.others(p, builder.rng):
            who = builder.who(t, other, _birth(builder.rng, target.who.year))
            near = list(asked.get((who.given, who.family), ()))
            if who.family is None:
                near += asked.get((who.parent, None), ())
            if any(compatible(q, who) for q in near):
                continue
            names, family = t.record(other, builder.rng)
            if builder.rng.random() < 0.5 or tuple(names) in seen:
                # One consonant off, in the family name where the record has one, else in
                # another word: a name nobody in the set has (its identity is marked new).
                words = [w for w in names[0].split() if len(w) >= 4]
                word = family or (builder.rng.choice(words) if words else None)
                changed = mutate(word, builder.rng) if word else None
                if changed:
                    field = "family" if family else "given"
                    who = replace(who, **{field: f"{getattr(who, field)}~{changed}"})
                    names = [names[0].replace(word, changed, 1)]
            seen.add(tuple(names))
            key = f"x{len(made)}"
            nationality = builder.rng.choice(t.nationalities)
            made.append(Person(key, names, who, nationality, t.name, other))
            if len(made) == count:
                break
    return made
