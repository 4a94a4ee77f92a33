"""The in-memory matcher: profiles compiled to closures and indexed by their most selective
equality, so that one record is tried against the few profiles that can match it.

`compile_profile` turns a checked tree (`ncen.targeting.ast`) into a predicate over `Facts`;
`Matcher` indexes compiled profiles by up to two criteria of their top-level conjunction
(equalities, lists of codes, or lookup lists, on the fields of highest catalogue ``rank``): a
record is only tried against the profiles whose index keys it carries, plus the few that have
no indexable criterion. `interpret` is the straightforward interpreter (every profile, walking
its tree) that the benchmark compares against, and the reference the tests check the compiled
form with.
`explain` says which criteria held, with the record's values.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import product

from ncen.targeting.ast import AllOf, AnyOf, Criterion, Negation, Node, criteria
from ncen.targeting.facts import Facts
from ncen.targeting.fields import FIELDS
from ncen.targeting.patterns import compile_pattern

Predicate = Callable[[Facts], bool]
ValueTest = Callable[[object], bool]


@dataclass(frozen=True, slots=True)
class LookupValues:
    """The normalised entries of one lookup list; ``prefix`` lists match by prefix."""

    values: frozenset[str]
    prefix: bool = False


Lists = Mapping[str, LookupValues]


def value_test(criterion: Criterion, lists: Lists) -> ValueTest:  # noqa: PLR0911 - per operator
    """The test one value of the criterion's field must pass (``ne`` tests equality; the
    caller negates)."""
    op, value = criterion.op, criterion.value
    if op in ("eq", "ne"):
        return lambda v: v == value
    if op == "in":
        members = frozenset(value)  # type: ignore[arg-type]
        return lambda v: v in members
    if op == "lt":
        return lambda v: v < value  # type: ignore[operator]
    if op == "le":
        return lambda v: v <= value  # type: ignore[operator]
    if op == "gt":
        return lambda v: v > value  # type: ignore[operator]
    if op == "ge":
        return lambda v: v >= value  # type: ignore[operator]
    if op == "starts":
        prefix = str(value)
        return lambda v: str(v).startswith(prefix)
    if op == "matches":
        found = compile_pattern(str(value))  # RE2: linear time, see ncen.targeting.patterns
        return lambda v: found(str(v))
    entries = lists.get(str(value), LookupValues(frozenset()))
    if entries.prefix:
        prefixes = tuple(entries.values)
        return lambda v: str(v).startswith(prefixes)
    return lambda v: v in entries.values


def compile_node(node: Node, lists: Lists) -> Predicate:
    """A predicate over facts equivalent to `interpret` of ``node``."""
    if isinstance(node, Criterion):
        test = value_test(node, lists)
        name = node.field
        if node.op == "ne":
            return lambda facts: not any(test(v) for v in facts.get(name))
        return lambda facts: any(test(v) for v in facts.get(name))
    if isinstance(node, AllOf):
        parts = tuple(compile_node(part, lists) for part in node.parts)
        return lambda facts: all(part(facts) for part in parts)
    if isinstance(node, AnyOf):
        parts = tuple(compile_node(part, lists) for part in node.parts)
        return lambda facts: any(part(facts) for part in parts)
    if isinstance(node, Negation):
        inner = compile_node(node.part, lists)
        return lambda facts: not inner(facts)
    constant = node.value
    return lambda _facts: constant


def interpret(node: Node, facts: Facts, lists: Lists) -> bool:
    """Evaluate ``node`` on ``facts`` by walking the tree (the straightforward interpreter)."""
    if isinstance(node, Criterion):
        test = value_test(node, lists)
        held = any(test(v) for v in facts.get(node.field))
        return not held if node.op == "ne" else held
    if isinstance(node, AllOf):
        return all(interpret(part, facts, lists) for part in node.parts)
    if isinstance(node, AnyOf):
        return any(interpret(part, facts, lists) for part in node.parts)
    if isinstance(node, Negation):
        return not interpret(node.part, facts, lists)
    return node.value


def _shown(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def explain(node: Node, facts: Facts, lists: Lists) -> list[dict[str, object]]:
    """The criteria that held for a matching record: the text, the field, and its values that
    satisfied it (for a negated or ``!=`` criterion: the values the record has)."""
    return _explain(node, facts, lambda c: value_test(c, lists))


def _holds(node: Node, facts: Facts, test_of: Callable[[Criterion], ValueTest]) -> bool:
    # `interpret`, with the value tests given by ``test_of`` (built once per profile).
    if isinstance(node, Criterion):
        test = test_of(node)
        held = any(test(v) for v in facts.get(node.field))
        return not held if node.op == "ne" else held
    if isinstance(node, AllOf):
        return all(_holds(part, facts, test_of) for part in node.parts)
    if isinstance(node, AnyOf):
        return any(_holds(part, facts, test_of) for part in node.parts)
    if isinstance(node, Negation):
        return not _holds(node.part, facts, test_of)
    return node.value


def _explain(  # noqa: PLR0911 - one return per kind of node
    node: Node, facts: Facts, test_of: Callable[[Criterion], ValueTest]
) -> list[dict[str, object]]:
    if isinstance(node, Criterion):
        test = test_of(node)
        values = facts.get(node.field)
        if node.op == "ne":
            if any(test(v) for v in values):
                return []
            return [_entry(node, values, negated=True)]
        matched = [v for v in values if test(v)]
        return [_entry(node, matched)] if matched else []
    if isinstance(node, AllOf):
        return [entry for part in node.parts for entry in _explain(part, facts, test_of)]
    if isinstance(node, AnyOf):
        return [
            entry
            for part in node.parts
            if _holds(part, facts, test_of)
            for entry in _explain(part, facts, test_of)
        ]
    if isinstance(node, Negation):
        return [_entry(c, facts.get(c.field), negated=True) for c in criteria(node.part)]
    return [{"criterion": "true" if node.value else "false", "field": "", "values": []}]


def _entry(c: Criterion, values: Iterable[object], *, negated: bool = False) -> dict[str, object]:
    entry: dict[str, object] = {
        "criterion": c.text,
        "field": c.field,
        "values": [_shown(v) for v in values][:10],
        "line": c.line,
        "column": c.column,
    }
    if negated:
        entry["negated"] = True
    return entry


@dataclass(slots=True)
class CompiledProfile:
    """An active profile version ready to match: its tree, predicate and what a hit carries."""

    profile_id: uuid.UUID
    version_id: uuid.UUID
    name: str
    score: int
    lane: str
    starts_on: date | None
    ends_on: date | None
    tree: Node
    lists: Lists
    test: Predicate = field(init=False)
    # The value test of each criterion (by identity: the tree lives as long as the profile),
    # built once: an explanation then costs no closure, set or pattern per hit.
    tests: dict[int, ValueTest] = field(init=False)

    def __post_init__(self) -> None:
        self.test = compile_node(self.tree, self.lists)
        self.tests = {id(c): value_test(c, self.lists) for c in criteria(self.tree)}

    def explain(self, facts: Facts) -> list[dict[str, object]]:
        """`explain` of this profile's tree on ``facts``, with the value tests built once."""
        tests = self.tests
        return _explain(self.tree, facts, lambda c: tests[id(c)])

    def in_force(self, today: date) -> bool:
        """Whether the profile's dates include ``today``: an ended profile stops matching on its
        own, whether or not a job has marked it expired yet."""
        if self.starts_on is not None and today < self.starts_on:
            return False
        return self.ends_on is None or today <= self.ends_on


def index_keys(tree: Node, lists: Lists) -> list[tuple[str, frozenset[object]]]:
    """The fields and values a record must carry for ``tree`` to match: the (at most two) most
    selective equalities of its top-level conjunction, most selective first; empty when it has
    none (the profile is then always tried)."""
    parts = tree.parts if isinstance(tree, AllOf) else (tree,)
    found: list[tuple[int, int, str, frozenset[object]]] = []
    for part in parts:
        if not isinstance(part, Criterion):
            continue
        keys: frozenset[object]
        if part.op == "eq":
            keys = frozenset((part.value,))
        elif part.op == "in":
            keys = frozenset(part.value)  # type: ignore[arg-type]
        elif part.op == "lookup":
            entries = lists.get(str(part.value), LookupValues(frozenset()))
            if entries.prefix:
                continue
            keys = frozenset(entries.values)
        else:
            continue
        if any(f[2] == part.field for f in found):
            continue  # one key per field: two criteria on one field do not multiply
        found.append((FIELDS[part.field].rank, -len(keys), part.field, keys))
    # At equal rank a seizure's own field wins over a linked record's: a new seizure is then
    # rejected from its own values, without reading its links (`Matcher.candidates_of_own`).
    found.sort(key=lambda item: (item[0], "." not in item[2], item[1], item[2]), reverse=True)
    return [(name, keys) for _, _, name, keys in found[:2]]


class Matcher:
    """Compiled profiles, indexed; `match` gives the profiles a record's facts satisfy.

    The index is keyed by a *signature* (one or two field names, in order) and then by the
    tuple of values: a profile ``commodity_group == "drugs" && departure_country in ["AF",
    "PK"]`` sits under (departure_country, commodity_group) at ("AF", "drugs") and ("PK",
    "drugs"). A record looks up, for each signature, every combination of its own values of
    those fields: a few dictionary probes, whatever the number of profiles.
    """

    def __init__(self, profiles: Iterable[CompiledProfile]) -> None:
        self.profiles = list(profiles)
        # The fields the profiles refer to: the only ones evaluation reads (`load_facts`).
        self.fields = frozenset(c.field for p in self.profiles for c in criteria(p.tree))
        self.index: dict[tuple[str, ...], dict[tuple[object, ...], list[CompiledProfile]]] = {}
        self.always: list[CompiledProfile] = []
        for profile in self.profiles:
            keys = index_keys(profile.tree, profile.lists)
            if not keys:
                self.always.append(profile)
                continue
            signature = tuple(name for name, _ in keys)
            table = self.index.setdefault(signature, {})
            for combination in product(*(sorted(values, key=str) for _, values in keys)):
                table.setdefault(combination, []).append(profile)
        # Each signature's keys projected on its seizure's own fields (those without a dot):
        # what a seizure's own values must meet before its linked records are worth reading.
        self.own_keys: dict[tuple[str, ...], tuple[tuple[int, ...], set[tuple[object, ...]]]] = {}
        for signature, table in self.index.items():
            positions = tuple(i for i, name in enumerate(signature) if "." not in name)
            projected = {tuple(key[i] for i in positions) for key in table}
            self.own_keys[signature] = (positions, projected)

    def candidates(self, facts: Facts) -> list[CompiledProfile]:
        """The profiles worth trying on ``facts`` (each once)."""
        found: dict[int, CompiledProfile] = {id(p): p for p in self.always}
        for signature, table in self.index.items():
            for combination in product(*(facts.get(name) for name in signature)):
                for profile in table.get(combination, ()):
                    found[id(profile)] = profile
        return list(found.values())

    def could_match_own(self, own: Facts) -> bool:
        """Whether any profile could match a seizure whose *own* values (its linked records
        not read) are ``own``; a linked field of an index key matches anything here. False
        lets a new seizure skip reading its facts at all."""
        if self.always:
            return True
        for signature, (positions, projected) in self.own_keys.items():
            if not positions:
                return True
            values = (own.get(signature[i]) for i in positions)
            if any(combination in projected for combination in product(*values)):
                return True
        return False

    def match(self, facts: Facts, today: date) -> list[CompiledProfile]:
        """The profiles in force on ``today`` whose criteria ``facts`` satisfy."""
        return [p for p in self.candidates(facts) if p.in_force(today) and p.test(facts)]


def match_naively(
    profiles: Iterable[CompiledProfile], facts: Facts, today: date
) -> list[CompiledProfile]:
    """The baseline: every profile, one by one, through `interpret`."""
    return [p for p in profiles if p.in_force(today) and interpret(p.tree, facts, p.lists)]
