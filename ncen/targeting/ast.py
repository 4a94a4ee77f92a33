"""The restricted syntax tree of a profile: criteria joined by and, or, not.

`ncen.targeting.language` builds it from the parse tree of the CEL text, type-checked against
the field catalogue; the matcher, the SQL compiler and the explanations all work on it, never on
the text. Nothing here can run code: a tree holds field names, operators and literal values.
"""

from __future__ import annotations

from dataclasses import dataclass

# Operators of a criterion. ``ne`` is written ``!=`` and kept as a criterion so that its
# explanation quotes the text; it means ``!(field == value)`` (see `ncen.targeting.fields`).
OPERATORS = frozenset({"eq", "ne", "lt", "le", "gt", "ge", "in", "lookup", "starts", "matches"})

Value = str | float | tuple[str, ...] | tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Criterion:
    """``field op value`` at ``line``/``column`` of the text; ``text`` is its source."""

    field: str
    op: str
    value: Value
    line: int
    column: int
    text: str


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every part holds (``&&``)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one part holds (``||``)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Negation:
    """The part does not hold (``!``)."""

    part: Node


@dataclass(frozen=True, slots=True)
class Constant:
    """``true`` or ``false`` (a profile of ``true`` alone matches everything: refused)."""

    value: bool


Node = Criterion | AllOf | AnyOf | Negation | Constant


def criteria(node: Node) -> list[Criterion]:
    """Every criterion of the tree, in text order."""
    if isinstance(node, Criterion):
        return [node]
    if isinstance(node, AllOf | AnyOf):
        return [c for part in node.parts for c in criteria(part)]
    if isinstance(node, Negation):
        return criteria(node.part)
    return []


def depth(node: Node) -> int:
    """How deeply the tree nests (a criterion alone: 1)."""
    if isinstance(node, AllOf | AnyOf):
        return 1 + max((depth(part) for part in node.parts), default=0)
    if isinstance(node, Negation):
        return 1 + depth(node.part)
    return 1
