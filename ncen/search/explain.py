"""Why a search result matched: the explanation that travels with every scored hit.

An `Explanation` says which of the record's name forms matched the query, how each query word
met a word of that form (exactly, through transliteration, the nickname dictionary, phonetic
codes, a typo), what happened at name level (words in another order, a patronymic left out),
and which qualifiers (birth date, nationality, gender, shared identifiers, and the evidence the
names themselves give: an other-gender form, another patronymic, a single word in common,
surnames that only sound alike) moved the score and by how much. `summary` renders it as one
sentence; `as_dict` as JSON for the CLI and the UI.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

SCRIPT_NAMES = {
    "Latn": "Latin",
    "Cyrl": "Cyrillic",
    "Arab": "Arabic script",
    "Hani": "Chinese",
    "Zyyy": "other script",
}


class Transformation(enum.StrEnum):
    """How a query word (or the whole name) was brought to meet the record's name form."""

    EXACT = "exact"
    TRANSLITERATION = "transliteration"
    NICKNAME = "nickname"
    PHONETIC = "phonetic"
    TYPO = "typo"
    SPACING = "spacing"  # "Abdul Rahman" = "Abdulrahman", "Xiao Ming" = "Xiaoming"
    ORDER_SWAP = "order_swap"
    PATRONYMIC_OMITTED = "patronymic_omitted"
    # Naming traditions (see the modules named): each says which convention was undone.
    PARENTAGE_MARKER = "parentage_marker"  # s/o, bin, ولد, oglu... (ncen.search.parentage)
    MONGOLIAN_GENITIVE = "mongolian_genitive"  # Batyn Bold: the father's name in the genitive
    WADE_GILES = "wade_giles"  # Hsin Chiu → Xin Qiu (ncen.search.chinese)
    PALLADIUS = "palladius"  # Цзинь Пин → Jin Ping (ncen.search.chinese)
    UYGHUR = "uyghur"  # Uyghur Arabic script or Chinese transcription (ncen.search.uyghur)
    TURKIC_LATIN = "turkic_latin"  # Cəfərov → Dzhafarov (ncen.search.turkic)
    FRENCH = "french"  # Djamel → Jamal, Mouhamed → Muhammad (ncen.search.french)
    CANTONESE = "cantonese"  # Chan Tai Man → 陳大文 → Chen Dawen (ncen.search.cantonese)


# How a transformation reads in a sentence (the value with spaces, unless listed here).
LABELS = {
    Transformation.PARENTAGE_MARKER: "parentage marker ignored",
    Transformation.MONGOLIAN_GENITIVE: "Mongolian genitive (father's name) stripped",
    Transformation.WADE_GILES: "Wade–Giles → pinyin",
    Transformation.PALLADIUS: "Palladius → pinyin",
    Transformation.UYGHUR: "Uyghur → Latin",
    Transformation.TURKIC_LATIN: "Turkic Latin alphabet → Russian spelling",
    Transformation.FRENCH: "French transliteration",
    Transformation.CANTONESE: (
        "Cantonese romanisation (Hong Kong government, Jyutping) ↔ Chinese characters ↔ pinyin"
    ),
}


def describe(transformation: Transformation, words: tuple[WordMatch, ...] = ()) -> str:
    """``transformation`` as words; a parentage marker names the markers met
    ("parentage marker s/o ignored")."""
    if transformation is Transformation.PARENTAGE_MARKER:
        markers = [w.query or w.matched or "" for w in words if w.via is transformation]
        named = " ".join(dict.fromkeys(m for m in markers if m))
        if named:
            return f"parentage marker {named} ignored"
    return LABELS.get(transformation, transformation.value.replace("_", " "))


@dataclass(frozen=True, slots=True)
class WordMatch:
    """One query word and the record word it met (``matched`` is None when none did)."""

    query: str
    matched: str | None
    via: Transformation | None
    score: float


@dataclass(frozen=True, slots=True)
class QualifierEffect:
    """A qualifier that moved the score: ``delta`` is added to the name score."""

    # birth_date, nationality, gender, identifier, country; from the names themselves
    # (`ncen.search.evidence`): gendered_form, patronymic, name_words, sound_only, syllable,
    # parent_name
    qualifier: str
    outcome: str  # agrees, conflicts, close; too_few, too_weak (caps under the strong threshold)
    delta: float
    detail: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """Everything that produced one hit's score."""

    query_form: str
    matched_form: str
    matched_reading: str
    matched_kind: str
    matched_script: str
    words: tuple[WordMatch, ...]
    transformations: tuple[Transformation, ...]
    name_score: float
    qualifiers: tuple[QualifierEffect, ...]
    score: float

    def summary(self) -> str:
        """One sentence for a person: what matched, how, and what moved the score."""
        script = SCRIPT_NAMES.get(self.matched_script, self.matched_script)
        how = ", ".join(describe(t, self.words) for t in self.transformations) or "no"
        text = (
            f"“{self.query_form}” matched the {self.matched_kind} name “{self.matched_form}” "
            f"({script}) by {how}: name score {self.name_score:.2f}"
        )
        for effect in self.qualifiers:
            text += f"; {effect.detail} ({effect.delta:+.2f})"
        return text + f"; score {self.score:.2f}."

    def as_dict(self) -> dict[str, Any]:
        """The explanation as plain JSON."""
        return {
            "query_form": self.query_form,
            "matched_form": self.matched_form,
            "matched_reading": self.matched_reading,
            "matched_kind": self.matched_kind,
            "matched_script": self.matched_script,
            "words": [
                {
                    "query": w.query,
                    "matched": w.matched,
                    "via": w.via.value if w.via else None,
                    "score": round(w.score, 3),
                }
                for w in self.words
            ],
            "transformations": [t.value for t in self.transformations],
            "name_score": round(self.name_score, 3),
            "qualifiers": [
                {
                    "qualifier": q.qualifier,
                    "outcome": q.outcome,
                    "delta": round(q.delta, 3),
                    "detail": q.detail,
                }
                for q in self.qualifiers
            ],
            "score": round(self.score, 3),
            "summary": self.summary(),
        }
