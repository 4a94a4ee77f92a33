"""Traditions of the traditions set, second part: Russian names with patronymics (and the
Azerbaijani ``oğlu``/``qızı``), Ukrainian and Persian names across scripts, Maghreb Arabic
names in French spelling, and given-name equivalents across languages. See
`traditions_render` for the contract of a `Tradition`.
"""

from __future__ import annotations

import random
from dataclasses import replace

import traditions_names as tn
import traditions_slavic as ts
from search_evalset import SYSTEMS
from traditions_render import Parts, Rendered, Row, Tradition, Turkic, fold, latin, spellings
from traditions_render import ukrainian as kmu


class Russian(Tradition):
    """Russian names: family, given name and patronymic, gendered."""

    name = "ru"
    nationalities = ("RU",)
    has_parent = True

    def givens(self, gender: str) -> list[Row]:
        return [g for g in ts.RU_GIVEN if g[1] == gender]

    def families(self) -> list[Row]:
        return list(ts.RU_FAMILY)

    def parents(self) -> list[Row]:
        return list(ts.RU_PATRONYMIC)

    def draw(self, rng: random.Random) -> Parts:
        gender = "M" if rng.random() < 0.6 else "F"
        style = rng.choice(("full", "full", "bare"))
        return Parts(
            rng.choice(self.givens(gender)),
            rng.choice(ts.RU_FAMILY),
            rng.choice(ts.RU_PATRONYMIC),
            gender,
            style,
        )

    def identity(self, p: Parts) -> tuple[str, str | None, str | None]:
        """A record without its patronymic says nothing of the father: parent unknown."""
        given, family, parent = super().identity(p)
        return given, family, parent if p.style == "full" else None

    @staticmethod
    def words(p: Parts) -> tuple[str, str, str]:
        assert p.family is not None
        assert p.parent is not None
        index = 0 if p.gender == "M" else 1
        return p.family[index], p.given[0], p.parent[index]

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        family, given, patronymic = self.words(p)
        forms = [f"{family} {given} {patronymic}" if p.style == "full" else f"{family} {given}"]
        if rng.random() < 0.3:  # a passport's ICAO form on file as well
            forms.append(f"{latin(family, 'icao').upper()} {latin(given, 'icao')}")
        return forms, family

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        family, given, patronymic = self.words(p)
        system = rng.choice(SYSTEMS)
        full = rng.choice((f"{given} {patronymic} {family}", f"{family} {given} {patronymic}"))
        out: list[Rendered] = [("patronymic", latin(full, system), True)]
        if p.style == "full":
            out.append(("patronymic", latin(f"{given} {family}", rng.choice(SYSTEMS)), False))
        return out

    def flip(self, p: Parts) -> Parts | None:
        if not p.given[2]:
            return None
        given = next(g for g in ts.RU_GIVEN if g[0] == p.given[2])
        return replace(p, given=given, gender="F" if p.gender == "M" else "M")


class AzerbaijaniPatronymic(Turkic):
    """Azerbaijani names with the father's name and oğlu / qızı (Russian оглы / кызы)."""

    has_parent = True

    def __init__(self) -> None:
        super().__init__("AZ")
        self.name, self.space = "azp", "az"

    def parents(self) -> list[Row]:
        return self.givens("M")

    def draw(self, rng: random.Random) -> Parts:
        p = super().draw(rng)
        return replace(p, parent=rng.choice(self.parents()), style=rng.choice(("nat", "ru")))

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        assert p.parent is not None
        family, given = self.forms(p)[p.style]
        father = p.parent[0] if p.style == "nat" else p.parent[1]
        marker = ts.AZ_PATRONYMIC[p.gender][0 if p.style == "nat" else 1]
        return [f"{family} {given} {father} {marker}"], family

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        assert p.parent is not None
        asked = "ru" if p.style == "nat" else rng.choice(("nat", "en"))
        family, given = self.forms(p)[asked]
        marker = ts.AZ_PATRONYMIC[p.gender]
        if asked == "ru":
            father, mark = p.parent[1], marker[1]
            if rng.random() < 0.5:
                family, given, father, mark = (
                    latin(w, "icao") for w in (family, given, father, mark)
                )
        else:
            father, mark = (p.parent[0], marker[0]) if asked == "nat" else (p.parent[2], marker[2])
        return [("patronymic", f"{family} {given} {father} {mark}", True)]

    def flip(self, p: Parts) -> Parts | None:
        return None


class Ukrainian(Tradition):
    """Ukrainian names: Cyrillic against the 2010 national romanisation."""

    name = "ua"
    nationalities = ("UA",)

    def givens(self, gender: str) -> list[Row]:
        return [g for g in ts.UA_GIVEN if g[1] == gender]

    def families(self) -> list[Row]:
        return list(ts.UA_FAMILY)

    def draw(self, rng: random.Random) -> Parts:
        gender = "M" if rng.random() < 0.6 else "F"
        return Parts(
            rng.choice(self.givens(gender)),
            rng.choice(ts.UA_FAMILY),
            None,
            gender,
            rng.choice(("cyr", "cyr", "lat")),
        )

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        assert p.family is not None
        if p.style == "cyr":
            return [f"{p.family[0]} {p.given[0]}"], p.family[0]
        family = kmu(p.family[0])
        return [f"{family.upper()} {kmu(p.given[0])}"], family.upper()

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        assert p.family is not None
        if p.style == "cyr":
            return [("cross_script", f"{kmu(p.given[0])} {kmu(p.family[0])}", False)]
        return [("cross_script", f"{p.given[0]} {p.family[0]}", False)]


class Persian(Tradition):
    """Persian names in the Arabic script against their Latin spellings."""

    name = "fa"
    nationalities = ("IR",)

    def givens(self, gender: str) -> list[Row]:
        return [g for g in ts.PERSIAN_GIVEN if g[2] == gender]

    def families(self) -> list[Row]:
        return list(ts.PERSIAN_FAMILY)

    def draw(self, rng: random.Random) -> Parts:
        gender = "M" if rng.random() < 0.65 else "F"
        return Parts(
            rng.choice(self.givens(gender)),
            rng.choice(ts.PERSIAN_FAMILY),
            None,
            gender,
            rng.choice(("script", "script", "lat")),
        )

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        assert p.family is not None
        if p.style == "script":
            return [f"{p.given[0]} {p.family[0]}"], p.family[0]
        family = spellings(p.family, 1)[0]
        return [f"{spellings(p.given, 1)[0]} {family}"], family

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        assert p.family is not None
        if p.style == "lat":
            return [("cross_script", f"{p.given[0]} {p.family[0]}", False)]
        given, family = rng.choice(spellings(p.given, 1)), rng.choice(spellings(p.family, 1))
        return [
            ("cross_script", rng.choice((f"{given} {family}", f"{family.upper()} {given}")), False)
        ]


class Maghreb(Tradition):
    """Maghreb Arabic names: Arabic script, French spelling, English spelling."""

    name = "dz"
    nationalities = ("DZ", "MA", "TN")

    def givens(self, gender: str) -> list[Row]:
        return [g for g in tn.MAGHREB_GIVEN if g[3] == gender]

    def families(self) -> list[Row]:
        return list(tn.MAGHREB_FAMILY)

    def draw(self, rng: random.Random) -> Parts:
        gender = "M" if rng.random() < 0.7 else "F"
        return Parts(
            rng.choice(self.givens(gender)),
            rng.choice(tn.MAGHREB_FAMILY),
            None,
            gender,
            rng.choice(("script", "fr", "en")),
        )

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        assert p.family is not None
        index = {"script": None, "fr": 1, "en": 2}[p.style]
        if index is None:
            return [f"{p.given[0]} {p.family[0]}"], p.family[0]
        family = spellings(p.family, index)[0]
        return [f"{family.upper()} {spellings(p.given, index)[0]}"], family.upper()

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        assert p.family is not None
        index = 2 if p.style == "fr" else 1  # the other Latin tradition
        given, family = (
            rng.choice(spellings(p.given, index)),
            rng.choice(spellings(p.family, index)),
        )
        return [("french_translit", rng.choice((f"{given} {family}", f"{family} {given}")), False)]


class Nicknames(Tradition):
    """Given-name equivalents across languages and Russian diminutives."""

    name = "nick"
    nationalities = ("AM", "GE", "IL", "RU")

    def givens(self, gender: str) -> list[Row]:
        return [g for g in ts.NICKNAMES if g[1] == gender]

    def families(self) -> list[Row]:
        return list(ts.NICK_FAMILY)

    def draw(self, rng: random.Random) -> Parts:
        gender = "M" if rng.random() < 0.7 else "F"
        return Parts(
            rng.choice(self.givens(gender)),
            rng.choice(ts.NICK_FAMILY),
            None,
            gender,
            rng.choice(("ru", "en")),
        )

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        assert p.family is not None
        if p.style == "ru":
            return [f"{p.family[0]} {p.given[2]}"], p.family[0]
        return [f"{spellings(p.given, 3)[0]} {p.family[1]}"], p.family[1]

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        assert p.family is not None
        forms = spellings(p.given, 3)
        if p.style == "ru":  # asked for in another language's form of the name
            other = rng.choice([f for f in forms if fold(f) != fold(latin(p.given[2], "bgn"))])
            out: list[Rendered] = [("nickname", f"{other} {p.family[1]}", False)]
            if p.given[4] != p.given[2] and rng.random() < 0.6:
                out.append(("nickname", f"{p.given[4]} {p.family[0]}", False))
            return out
        other = rng.choice([p.given[2], p.given[4], *forms[1:]])
        family = (
            p.family[0] if other[0].lower() in "абвгдеёжзийклмнопрстуфхцчшщэюя" else p.family[1]
        )
        return [("nickname", f"{other} {family}", False)]


TRADITIONS_WEST = (Russian, AzerbaijaniPatronymic, Ukrainian, Persian, Maghreb, Nicknames)
