"""How each naming tradition of the traditions set is recorded and asked for.

A tradition draws the parts of a person (rows of `traditions_names` / `traditions_slavic`),
says who that is (concept ids, so that the set can prove which records are true matches),
writes the name forms a record holds, the queries an analyst would type for it (each with its
``kind``), and its near neighbours (same family name and another given name, same given name
and another family or father, the other-gender form). Renderings follow the standards cited in
`traditions_names`; Cyrillic is romanised by the first set's tables (`search_evalset`:
ICAO 9303, BGN/PCGN, French and German press) and Ukrainian by the 2010 national system here.
Nothing here imports `ncen.search`.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import traditions_names as tn
from search_evalset import transliterate

Row = tuple[str, ...]
Rendered = tuple[str, str, bool]  # kind, text, whether the text names the parent


@dataclass(frozen=True)
class Parts:
    """What a person is made of: table rows, gender and the variety (style) of record."""

    given: Row
    family: Row | None
    parent: Row | None
    gender: str
    style: str = ""


_FOLDS = str.maketrans(
    {"ə": "e", "Ə": "E", "ı": "i", "ʻ": "'", "ł": "l", "ß": "ss", "ʼ": "'", "’": "'"}
)


def fold(text: str) -> str:
    """``text`` without diacritics, as typed on a plain keyboard (ə → e, ı → i, ʻ → ')."""
    text = text.translate(_FOLDS)
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def latin(words: str, system: str) -> str:
    """Cyrillic ``words`` romanised word by word in ``system`` (first set's tables)."""
    return " ".join(transliterate(w, system) for w in words.split())


_KMU = dict(
    zip(
        "абвгґдезиклмнопрстуфхцчшщь'",
        [*"a b v h g d e z y k l m n o p r s t u f kh ts ch sh shch".split(), "", ""],  # noqa: SIM905
        strict=True,
    )
)
_KMU_START = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_KMU_INSIDE = {"є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia", "ж": "zh", "і": "i"}


def ukrainian(word: str) -> str:
    """``word`` in the Ukrainian national romanisation (resolution 55 of 2010)."""
    out, lower = [], word.lower()
    for i, c in enumerate(lower):
        if c == "г" and i > 0 and lower[i - 1] == "з":
            out.append("gh")  # зг is written zgh so as not to read zh
        elif i == 0 and c in _KMU_START:
            out.append(_KMU_START[c])
        elif c in _KMU_INSIDE:
            out.append(_KMU_INSIDE[c])
        else:
            out.append(_KMU.get(c, c))
    return "".join(out).capitalize()


def spellings(row: Row, index: int) -> list[str]:
    """The ``|``-separated spellings in field ``index`` of ``row``."""
    return row[index].split("|")


class Tradition:
    """Base: one naming tradition. Subclasses fill the tables and renderings."""

    name = ""
    nationalities: tuple[str, ...] = ()
    has_parent = False  # whether the father's name is part of identity
    space = ""  # namespace of the concept ids; the tradition's name unless set

    def ns(self) -> str:
        return self.space or self.name

    def draw(self, rng: random.Random) -> Parts:
        raise NotImplementedError

    def identity(self, p: Parts) -> tuple[str, str | None, str | None]:
        """(given, family, parent) concept ids, namespaced by tradition."""
        ns = self.ns()
        return (
            f"{ns}:{p.given[0]}",
            f"{ns}:{p.family[0]}" if p.family else None,
            f"{ns}:{p.parent[0]}" if p.parent else None,
        )

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        """The record's name forms, and the family word of the first one (or None)."""
        raise NotImplementedError

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        raise NotImplementedError

    def others(self, p: Parts, rng: random.Random) -> list[Parts]:
        """Near neighbours: another given name, another family name or father."""
        out = []
        given = rng.choice(self.givens(p.gender))
        if given != p.given:
            out.append(replace(p, given=given))
        if p.family is not None:
            family = rng.choice(self.families())
            if family != p.family:
                out.append(replace(p, family=family))
        if p.parent is not None:
            parent = rng.choice(self.parents())
            if parent != p.parent:
                out.append(replace(p, parent=parent))
        return out

    def givens(self, gender: str) -> list[Row]:
        raise NotImplementedError

    def families(self) -> list[Row]:
        return []

    def parents(self) -> list[Row]:
        return []

    def flip(self, p: Parts) -> Parts | None:
        """The other-gender form (Ivanov → Ivanova), or None where names do not inflect."""
        return None

    def negative_text(self, p: Parts, rng: random.Random) -> tuple[str, bool]:
        """A query text for parts that belong to nobody (for negative queries)."""
        _kind, text, named = rng.choice(self.queries(p, rng))
        return text, named


class Turkic(Tradition):
    """Azerbaijani, Turkmen, Uzbek, Kazakh: national Latin vs Russian Cyrillic vs English."""

    def __init__(self, country: str) -> None:
        self.name = country.lower()
        self.nationalities = (country,)
        self.given_rows, self.family_rows = tn.TURKIC[country]

    def givens(self, gender: str) -> list[Row]:
        return [g for g in self.given_rows if g[3] == gender]

    def families(self) -> list[Row]:
        return list(self.family_rows)

    def draw(self, rng: random.Random) -> Parts:
        gender = "M" if rng.random() < 0.7 else "F"
        style = rng.choice(("nat", "nat", "ru"))
        return Parts(
            rng.choice(self.givens(gender)), rng.choice(self.family_rows), None, gender, style
        )

    def forms(self, p: Parts) -> dict[str, tuple[str, str]]:
        """(family, given) per writing: nat, ru, en, icao, french."""
        assert p.family is not None
        fem = p.gender == "F"
        fam = [f + ("a" if fem else "") for f in p.family]
        fam[1] = p.family[1] + ("а" if fem else "")
        return {
            "nat": (fam[0], p.given[0]),
            "ru": (fam[1], p.given[1]),
            "en": (fam[2], p.given[2]),
            "icao": (latin(fam[1], "icao"), latin(p.given[1], "icao")),
            "bgn": (latin(fam[1], "bgn"), latin(p.given[1], "bgn")),
            "french": (latin(fam[1], "french"), latin(p.given[1], "french")),
            "folded": (fold(fam[0]), fold(p.given[0])),
        }

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        family, given = self.forms(p)[p.style]
        return [f"{family} {given}"], family

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        f = self.forms(p)
        asked = rng.choice(("ru", "icao", "bgn", "en")) if p.style == "nat" else None
        asked = asked or rng.choice(("nat", "folded", "en"))
        family, given = f[asked]
        if self.name == "uz" and asked == "nat" and rng.random() < 0.5:
            family, given = family.replace("ʻ", "'"), given.replace("ʻ", "`")
        text = f"{given} {family}" if rng.random() < 0.5 else f"{family.upper()} {given}"
        out: list[Rendered] = [("turkic_latin", text, False)]
        if rng.random() < 0.35:  # the French press spelling of the Russian form
            family_fr, given_fr = f["french"]
            out.append(("french_translit", f"{given_fr} {family_fr}", False))
        return out

    def flip(self, p: Parts) -> Parts | None:
        counterpart = {"Kamil": "Kamilə", "Kamilə": "Kamil", "Zərif": "Zərifə", "Zərifə": "Zərif"}
        counterpart |= {"Nodir": "Nodira", "Nodira": "Nodir", "Kamol": "Kamola", "Kamola": "Kamol"}
        other = counterpart.get(p.given[0])
        if other is None:
            return None
        given = next(g for g in self.given_rows if g[0] == other)
        return replace(p, given=given, gender="F" if p.gender == "M" else "M")


class Chinese(Tradition):
    """Han names: characters (simplified / traditional) against pinyin, Wade–Giles,
    Palladius Cyrillic, hyphenated pinyin and Hong Kong Cantonese."""

    name = "zh"
    nationalities = ("CN", "TW", "HK")

    def givens(self, gender: str) -> list[Row]:
        return [g for g in tn.HAN_GIVEN if g[4] == gender]

    def families(self) -> list[Row]:
        return list(tn.HAN_FAMILY)

    def draw(self, rng: random.Random) -> Parts:
        gender = "M" if rng.random() < 0.75 else "F"
        style = rng.choice(("CN", "CN", "TW", "HK"))
        return Parts(
            rng.choice(self.givens(gender)), rng.choice(tn.HAN_FAMILY), None, gender, style
        )

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        assert p.family is not None
        if p.style == "CN":
            forms = [p.family[0] + p.given[0]]
            if rng.random() < 0.4:
                forms.append(f"{p.family[2].upper()} {self.pinyin(p.given)}")
            return forms, None
        if p.style == "TW":
            return [p.family[1] + p.given[1], f"{self.wg(p)[0].upper()} {self.wg(p)[1]}"], None
        return [p.family[1] + p.given[1]], None

    @staticmethod
    def pinyin(given: Row, sep: str = "") -> str:
        return sep.join(given[2].split()).capitalize()

    @staticmethod
    def wg(p: Parts) -> tuple[str, str]:
        assert p.family is not None
        family = tn.SYLLABLES[p.family[2]][0].capitalize()
        return family, "-".join(tn.SYLLABLES[s][0] for s in p.given[2].split()).capitalize()

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        assert p.family is not None
        wg_family, wg_given = self.wg(p)
        if rng.random() < 0.5:  # apostrophes and umlauts dropped, as most databases hold them
            wg_family, wg_given = fold(wg_family).replace("'", ""), fold(wg_given).replace("'", "")
        wade = rng.choice((f"{wg_family} {wg_given}", f"{wg_given} {wg_family}"))
        pall_family = tn.SYLLABLES[p.family[2]][1].capitalize()
        pall_given = "".join(tn.SYLLABLES[s][1] for s in p.given[2].split()).capitalize()
        palladius = f"{pall_family} {pall_given}"
        py_family = p.family[2].capitalize()
        out: list[Rendered] = [("wade_giles", wade, False), ("palladius", palladius, False)]
        if " " in p.given[2]:
            hyphen = self.pinyin(p.given, "-")
            if rng.random() < 0.5:
                hyphen = "-".join(s.capitalize() for s in p.given[2].split())
            out.append(
                (
                    "chinese_punct",
                    rng.choice((f"{py_family} {hyphen}", f"{hyphen} {py_family.upper()}")),
                    False,
                )
            )
        if p.style == "TW":
            out.append(("cross_script", f"{py_family} {self.pinyin(p.given)}", False))
        elif p.style == "CN":
            out.append(
                (
                    "cross_script",
                    rng.choice(
                        (
                            f"{py_family.upper()} {self.pinyin(p.given)}",
                            f"{self.pinyin(p.given)} {py_family}",
                        )
                    ),
                    False,
                )
            )
        if p.style == "HK":
            canto = p.given[3].split()
            out.append(("cantonese", f"{p.family[3].upper()} {' '.join(canto)}", False))
            out.append(("cantonese", f"{'-'.join(canto).capitalize()} {p.family[3]}", False))
        return out

    def negative_text(self, p: Parts, rng: random.Random) -> tuple[str, bool]:
        assert p.family is not None
        return rng.choice(
            (f"{p.family[2].capitalize()} {self.pinyin(p.given)}", p.family[0] + p.given[0])
        ), False


class Uyghur(Tradition):
    """Uyghur names (given name and father's name): Arabic script, Latin, Chinese with the
    middle dot, and the pinyin of the Chinese as printed in passports."""

    name = "ug"
    nationalities = ("CN",)
    has_parent = True

    def givens(self, gender: str) -> list[Row]:
        return [g for g in tn.UYGHUR if g[4] == gender]

    def parents(self) -> list[Row]:
        return self.givens("M")

    def draw(self, rng: random.Random) -> Parts:
        gender = "M" if rng.random() < 0.7 else "F"
        given = rng.choice(self.givens(gender))
        father = rng.choice([f for f in self.parents() if f != given])
        return Parts(given, None, father, gender, rng.choice(("uey", "uey", "zh", "pinyin")))

    @staticmethod
    def forms(p: Parts) -> dict[str, str]:
        g, f = p.given, p.parent
        assert f is not None
        return {
            "uey": f"{g[1]} {f[1]}",
            "zh": f"{g[2]}·{f[2]}",
            "pinyin": f"{g[3].upper()} {f[3].upper()}",
            "uly": f"{g[0]} {f[0]}",
            "folded": fold(f"{g[0]} {f[0]}"),
        }

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        return [self.forms(p)[p.style]], None

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        f = self.forms(p)
        asked = [s for s in ("uey", "zh", "pinyin", "uly", "folded") if s != p.style]
        out: list[Rendered] = [("uyghur", f[s], True) for s in rng.sample(asked, 2)]
        if p.style == "zh":
            assert p.parent is not None
            joined = rng.choice(("", " ", "•", "・"))
            out.append(("chinese_punct", f"{p.given[2]}{joined}{p.parent[2]}", True))
        return out


class Mongolian(Tradition):
    """Mongolian names: father's name in the genitive before the given name."""

    name = "mn"
    nationalities = ("MN",)
    has_parent = True

    def givens(self, gender: str) -> list[Row]:
        return [g for g in tn.MONGOL_GIVEN if g[3] == gender]

    def parents(self) -> list[Row]:
        return list(tn.MONGOL_FATHER)

    def draw(self, rng: random.Random) -> Parts:
        gender = "M" if rng.random() < 0.6 else "F"
        style = rng.choice(("cyr", "cyr", "passport", "mns"))
        return Parts(
            rng.choice(self.givens(gender)), None, rng.choice(tn.MONGOL_FATHER), gender, style
        )

    @staticmethod
    def forms(p: Parts) -> dict[str, str]:
        g, f = p.given, p.parent
        assert f is not None
        return {
            "cyr": f"{f[1]} {g[0]}",
            "passport": f"{f[4].upper()} {g[2]}",
            "mns": f"{f[3]} {g[1]}",
            "given_first": f"{g[2]} {f[4]}",
            "cyr_nominative": f"{g[0]} {f[0]}",
            "mns_nominative": f"{f[2]} {g[1]}",
        }

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        return [self.forms(p)[p.style]], None

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        f = self.forms(p)
        asked = [
            s for s in f if s != p.style and not (p.style == "passport" and s == "given_first")
        ]
        return [("mongolian", f[s], True) for s in rng.sample(asked, 2)]


class Parentage(Tradition):
    """Names with a parentage marker: Pakistani, Afghan, Gulf Arabic, Malay, Tamil."""

    has_parent = True
    TABLES: ClassVar[dict[str, tuple[Any, ...]]] = {
        "pk": (tn.PK_OWN, tn.PK_PARENT, None, "PK"),
        "af": (tn.AF_OWN, tn.AF_PARENT, None, "AF"),
        "gulf": (tn.GULF_OWN, tn.GULF_PARENT, tn.GULF_FAMILY, "AE"),
        "my": (tn.MALAY_OWN, tn.MALAY_PARENT, None, "MY"),
        "ta": (tn.TAMIL_OWN, tn.TAMIL_PARENT, None, "SG"),
    }

    def __init__(self, variety: str) -> None:
        self.name = variety
        self.own, self.parent_rows, self.family_rows, country = self.TABLES[variety]
        self.nationalities = (country,)

    def givens(self, gender: str) -> list[Row]:
        return [g for g in self.own if g[2] == gender]

    def families(self) -> list[Row]:
        return list(self.family_rows or ())

    def parents(self) -> list[Row]:
        return list(self.parent_rows)

    def draw(self, rng: random.Random) -> Parts:
        gender = "M" if rng.random() < 0.65 else "F"
        family = rng.choice(self.family_rows) if self.family_rows else None
        relation = "wife" if self.name == "pk" and gender == "F" and rng.random() < 0.3 else ""
        style = (
            rng.choice(("script", "script", "latin")) + relation
            if self.name in ("pk", "af")
            else ""
        )
        return Parts(
            rng.choice(self.givens(gender)), family, rng.choice(self.parent_rows), gender, style
        )

    def identity(self, p: Parts) -> tuple[str, str | None, str | None]:
        given, family, parent = super().identity(p)
        return given, family, ("wife of " if "wife" in p.style else "") + str(parent)

    def relation(self, p: Parts) -> str:
        return "wife" if "wife" in p.style else ("son" if p.gender == "M" else "daughter")

    def text(self, p: Parts, script: bool, marker: str | None, spelling: int = 0) -> str:
        """Own name, marker, parent (and family); ``marker`` None drops the parent too."""
        assert p.parent is not None
        if script:
            own, parent = p.given[0], p.parent[0]
        else:
            own = spellings(p.given, 1)[min(spelling, len(spellings(p.given, 1)) - 1)]
            parent = spellings(p.parent, 1)[min(spelling, len(spellings(p.parent, 1)) - 1)]
        parts = [own] if marker is None else [own, marker, parent] if marker else [own, parent]
        if p.family is not None:
            parts.append(
                p.family[0]
                if script
                else spellings(p.family, 1)[min(spelling, len(spellings(p.family, 1)) - 1)]
            )
        return " ".join(parts)

    def markers(self, p: Parts, script: bool) -> tuple[str, ...]:
        rel = self.relation(p)
        if self.name == "my":
            return tn.MALAY_MARKERS[rel]
        if self.name == "ta":
            return tn.TAMIL_MARKERS[rel]
        if self.name == "gulf":
            return tn.MARKERS[rel]["Arab-ar"] if script else tn.ARABIC_MARKERS[rel]
        return tn.MARKERS[rel]["Arab" if script else "Latn"]

    def record(self, p: Parts, rng: random.Random) -> tuple[list[str], str | None]:
        script = p.style.startswith("script") or self.name == "gulf"
        text = self.text(p, script, self.markers(p, script)[0])
        return [text.upper() if not script and self.name == "pk" else text], None

    def queries(self, p: Parts, rng: random.Random) -> list[Rendered]:
        latin_record = self.name in ("my", "ta") or p.style.startswith("latin")
        spelling = rng.randrange(3)
        out: list[Rendered] = [
            ("parentage", self.text(p, False, rng.choice(self.markers(p, False)), spelling), True)
        ]
        if latin_record and self.name in ("pk", "af"):
            out.append(("parentage", self.text(p, True, self.markers(p, True)[0]), True))
        elif "wife" not in p.style:
            out.append(("parentage", self.text(p, False, "", spelling), True))
        out.append(("parentage", self.text(p, False, None, spelling), False))
        return [out[0], rng.choice(out[1:])]

    def negative_text(self, p: Parts, rng: random.Random) -> tuple[str, bool]:
        return self.text(p, False, rng.choice(self.markers(p, False)), rng.randrange(3)), True
