"""The traditions evaluation set of the search benchmark (benchmarks/search_evalset_traditions):
seeded, as large per kind as promised, and labelled right (a negative query has no true record
in the haystack, even with the near neighbours added at scale)."""

from __future__ import annotations

import ast
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import search_evalset_traditions as traditions
import search_names

from ncen.demo import names as demo_names

ISSUE_NEGATIVES = ("neg_recombined", "neg_namesake", "neg_gender")


@pytest.fixture(scope="module")
def evalset() -> traditions.TraditionsSet:
    return traditions.build()


def _summary(ev: traditions.TraditionsSet) -> list[tuple[object, ...]]:
    return [(q.kind, q.text, q.target, q.who) for q in ev.queries] + [
        (p.key, tuple(p.names), p.who, p.nationality) for p in ev.persons
    ]


def test_the_same_seed_gives_the_same_set_and_another_seed_another(evalset):
    assert _summary(traditions.build()) == _summary(evalset)
    assert _summary(traditions.build(seed=15)) != _summary(evalset)


def test_each_kind_holds_the_promised_number_of_queries(evalset):
    counts = Counter(q.kind for q in evalset.queries)
    assert set(counts) == set(traditions.POSITIVE_KINDS) | set(traditions.NEGATIVE_KINDS)
    short = {k: counts[k] for k, least in traditions.MINIMUM.items() if counts[k] < least}
    assert not short
    assert sum(counts[k] for k in ISSUE_NEGATIVES) >= 150
    assert all(q.target is None for q in evalset.queries if q.kind.startswith("neg_"))
    assert all(q.target for q in evalset.queries if not q.kind.startswith("neg_"))


def test_every_label_is_right_and_negatives_have_no_true_record(evalset):
    assert traditions.check(evalset) == []
    negatives = [q for q in evalset.queries if q.target is None]
    assert negatives
    assert all(evalset.matches(q.who) == [] for q in negatives)


def test_near_neighbours_at_scale_are_no_true_record_and_are_seeded(evalset):
    extra = traditions.neighbours(evalset, 3000, seed=15)
    assert len(extra) == 3000
    assert [p.names for p in extra] == [p.names for p in traditions.neighbours(evalset, 3000, 15)]
    haystack = traditions.TraditionsSet(queries=evalset.queries)
    for person in evalset.persons + extra:
        haystack.add(person, target=person.key.startswith("t"))
    assert traditions.check(haystack) == []


def test_a_namesake_query_conflicts_with_every_record_of_that_name(evalset):
    """The check itself can fail: a namesake query without its birth data matches someone."""
    namesake = next(q for q in evalset.queries if q.kind == "neg_namesake")
    bare = traditions.Who(namesake.who.given, namesake.who.family, namesake.who.parent)
    assert evalset.matches(bare)


def _tokens(text: str) -> set[str]:
    folded = "".join(
        c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c)
    )
    return {t for t in re.split(r"[\s\-·•・'`ʻ|]+", folded) if t}


def test_no_query_names_only_parts_of_the_demo_data_or_the_first_set(evalset):
    """So a demo person or a person of the first set is never the true record of a query."""
    foreign: set[str] = set()
    for pool, _share in demo_names.POOLS:
        for pairs in (pool.male, pool.female, pool.family_male, pool.family_female):
            for pair in pairs:
                foreign |= _tokens(" ".join(pair))
    for value in vars(search_names).values():
        if isinstance(value, tuple):
            foreign |= _tokens(" ".join(" ".join(map(str, v)) for v in value))
    assert "Ivanov".casefold() in foreign
    offending = [q.text for q in evalset.queries if _tokens(q.text) <= foreign]
    assert offending == []


def test_a_mutated_family_name_is_another_name():
    import random

    rng = random.Random(1)
    for word in ("Голубев", "Cavadov", "بهرامی"):
        changed = traditions.mutate(word, rng)
        assert changed is not None
        assert changed != word
        assert changed[0] == word[0]
        assert len(changed) == len(word)


def test_records_written_alike_are_the_same_person_but_for_birth(evalset):
    """A near neighbour never repeats another person's name under another identity."""
    extra = traditions.neighbours(evalset, 3000, seed=15)
    identity: dict[tuple[str, ...], set[tuple[object, ...]]] = {}
    for person in evalset.persons + extra:
        who = (person.who.given, person.who.family, person.who.parent)
        identity.setdefault(tuple(person.names[:1]), set()).add(who)
    assert {names: whos for names, whos in identity.items() if len(whos) > 1} == {}


BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _imports(source: str) -> set[str]:
    """Every module ``source`` imports (``from a import b`` names ``a`` and ``a.b``), at any
    depth of the file (imports inside functions count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _set_modules() -> dict[str, set[str]]:
    """The evaluation set's modules (search_evalset_traditions, traditions_*) and every module
    of benchmarks/ they import, directly or not: module name -> what it imports."""
    todo = ["search_evalset_traditions", *(p.stem for p in BENCHMARKS.glob("traditions_*.py"))]
    seen: dict[str, set[str]] = {}
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen[name] = _imports((BENCHMARKS / f"{name}.py").read_text(encoding="utf-8"))
        todo += [m for m in seen[name] if (BENCHMARKS / f"{m}.py").is_file()]
    return seen


def _from_the_matcher(imports: set[str]) -> set[str]:
    return {m for m in imports if m == "ncen.search" or m.startswith("ncen.search.")}


def test_the_set_imports_nothing_of_the_matcher():
    """The set is written from published standards, not from the matcher's code: none of its
    modules (nor the benchmark modules they use) imports ncen.search, so a rule of the matcher
    cannot label its own test queries."""
    modules = _set_modules()
    assert {"search_evalset_traditions", "traditions_render", "search_evalset"} <= set(modules)
    assert {name: _from_the_matcher(found) for name, found in modules.items()} == {
        name: set() for name in modules
    }
    # The check sees the forms an import of the matcher can take.
    for line in (
        "import ncen.search.keys",
        "from ncen.search.chinese import pinyin",
        "from ncen import search",
        "def f():\n    from ncen.search import keys",
    ):
        assert _from_the_matcher(_imports(line)), line
