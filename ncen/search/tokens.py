"""The token: one word of a name read into Latin, as keys, retrieval and matching see it.

Its own module so that the readers of particular traditions (`ncen.search.chinese`,
`ncen.search.uyghur`...) can build tokens without importing `ncen.search.keys`, which calls them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a name, read into Latin.

    ``parent`` marks a word of the parent's name (after "s/o", before "oglu", a Mongolian
    genitive), which is optional; ``marker`` is the parentage marker that introduced it (shown
    in explanations, never indexed). ``via`` names the convention the reading undid (a
    `Transformation` value such as "wade_giles"), empty for the ordinary reading. ``parts`` are
    the syllables of a word written as one (Xiaoping): stored as terms so that a query that
    splits the word finds it, but never matched alone as if they were the whole word.
    """

    text: str
    script: str
    codes: tuple[str, ...]
    optional: bool = False
    extra: tuple[str, ...] = ()
    parent: bool = False
    marker: str = ""
    via: str = ""
    parts: tuple[str, ...] = ()
