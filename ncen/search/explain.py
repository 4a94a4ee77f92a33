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
    # (`ncen.search.evidence`): gendered_form, patronymic, name_words, sound_only
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
        how = ", ".join(t.value.replace("_", " ") for t in self.transformations) or "no"
        text = (
            f"“{self.query_form}” matched the {self.matched_kind} name “{self.matched_form}” "
            f"({script}) by {how} matching: name score {self.name_score:.2f}"
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
