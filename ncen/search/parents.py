"""The parent's name as a qualifier: "Ali s/o Karim" is not "Ali s/o Hassan".

A parentage marker (`ncen.search.parentage`), a Turkic ``oglu``/``qizi`` or a Mongolian
genitive (`ncen.search.mongolian`) names a parent. The parent's words are optional in the name
score: a record without them, or a query that leaves them out, still matches. When both the
query and the record name a parent, the names are compared with the same word matcher as the
person's own name: the same parent (in any script or spelling) is a little evidence for, a
different parent is evidence of a different person, as strong as a conflicting birth year, and
so is a query that only meets the parent's name. So is another relation to the person named
(the daughter of Abdul Qayoom is not the wife of Abdul Qayoom), and a query word, written
without a marker (a Mongolian or Uyghur father's name in the nominative, Гомбо), that meets
the record's parent's name only as another name (Төмөбийн: Tömöbii, not Gombo).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ncen.search.explain import QualifierEffect, WordMatch
from ncen.search.matching import Matcher
from ncen.search.tokens import Token

# Markers of a spouse (wife of, husband of): the relative they name is no parent.
SPOUSE_MARKERS = frozenset({"w/o", "h/o", "زوجہ", "زوجه", "زوجة"})
PARENT_AGREES = 0.03
PARENT_CONFLICT = -0.15
SAME_PARENT_MIN = 0.8
OWN_NAME_MIN = 0.5


def parent_words(tokens: Sequence[Token]) -> tuple[Token, ...]:
    """The tokens of the parent's name in an analysed name (empty when none is named)."""
    return tuple(t for t in tokens if t.parent)


def names_agree(
    asked: Sequence[Token], recorded: Sequence[Token], alike: Callable[[Token, Token], bool]
) -> bool:
    """True when two parents' names (or patronymics) name the same person, word for word.

    Each word of ``asked`` is paired with the first unpaired word of ``recorded`` it is
    ``alike``. The names agree when a word met and at most one side has words left over: one
    name may be written shorter (Ghulam Nabi, Nabi), but a word present on both sides and
    different is another parent (Ghulam Nabi is not Ghulam Sarwar; bin Zaid Al-Muhairi is not
    bin Saif Al-Muhairi).
    """
    free = list(recorded)
    left = 0
    for q in asked:
        found = next((r for r in free if alike(q, r)), None)
        if found is None:
            left += 1
        else:
            free.remove(found)
    met = len(asked) - left
    return met > 0 and (left == 0 or not free)


def parent_effects(
    query: Sequence[Token],
    record: Sequence[Token],
    other_forms: Sequence[Sequence[Token]] = (),
) -> tuple[QualifierEffect, ...]:
    """The effect of the parents named by ``query`` and ``record`` (analysed person names).

    ``other_forms`` are the parents' names the person's other name forms give (each a
    `parent_words` tuple): a record form without the parent is compared with those, so that
    "Ali Khan s/o Hassan" does not meet the "Ali Khan" form of Ali Khan s/o Karim unopposed.
    Nothing when neither names a parent, or only the query does (a parent nobody recorded is
    no evidence either way); ``agrees`` when the parents' names match word for word
    (`names_agree`, each pair of words scoring at least `SAME_PARENT_MIN` as the name matcher
    scores them) on some form, ``conflicts`` otherwise. When only the record names a parent
    and the query matches less than `OWN_NAME_MIN` of the person's own name, the query met the
    parent's name (a search for Karim finds "Ali s/o Karim"): that ``conflicts`` too.
    """
    asked, recorded = parent_words(query), parent_words(record)
    relation = _other_relation(asked, recorded)
    if relation is not None:
        return (relation,)
    if asked and not recorded and other_forms:
        return _compare_parents(asked, [tuple(f) for f in other_forms])
    if recorded and not asked:
        # "Karim" against "Ali s/o Karim": the query names the father, not this person.
        own = [t for t in record if not t.parent]
        if Matcher(query).compare(own).score < OWN_NAME_MIN:
            shown = " ".join(t.text for t in recorded)
            return (
                QualifierEffect(
                    "parentage", "conflicts", PARENT_CONFLICT, f"only the parent's name ({shown})"
                ),
            )
        return ()
    if not asked or not recorded:
        return ()
    return _compare_parents(asked, [recorded])


def _relation(tokens: Sequence[Token]) -> str | None:
    markers = {t.marker for t in tokens if t.marker}
    if not markers:
        return None
    return "spouse" if markers & SPOUSE_MARKERS else "parent"


def _other_relation(asked: Sequence[Token], recorded: Sequence[Token]) -> QualifierEffect | None:
    """A conflict when the query and the record name a relative each, one a parent (s/o, d/o,
    bin) and the other a spouse (w/o, زوجہ): two relations, two people."""
    mine, theirs = _relation(asked), _relation(recorded)
    if mine is None or theirs is None or mine == theirs:
        return None
    shown = next(t.marker for t in recorded if t.marker)
    wanted = next(t.marker for t in asked if t.marker)
    return QualifierEffect(
        "parentage", "conflicts", PARENT_CONFLICT, f"recorded as “{shown}”, not “{wanted}”"
    )


def unmarked_parent_effects(
    query: Sequence[Token],
    record: Sequence[Token],
    words: Sequence[WordMatch],
    word_score: Callable[[Token, Token], float],
) -> tuple[QualifierEffect, ...]:
    """A conflict when a word of the query written without a marker met a word of the
    record's parent's name only as another name (its score under `SAME_PARENT_MIN`, or
    `ncen.search.evidence.other_names`): the query names another father in the order its
    tradition writes him unmarked (Түвшинжаргал Гомбо against Төмөбийн Түвшинжаргал)."""
    from ncen.search.evidence import other_names

    asked = {t.text: t for t in query if not t.parent and not t.optional}
    fathers = {t.text: t for t in record if t.parent}
    for word in words:
        q, r = asked.get(word.query), fathers.get(word.matched or "")
        if q is None or r is None:
            continue
        if word_score(q, r) < SAME_PARENT_MIN or other_names(q, r):
            return (
                QualifierEffect(
                    "parentage", "conflicts", PARENT_CONFLICT, f"parent {r.text}, not {q.text}"
                ),
            )
    return ()


def _compare_parents(
    asked: Sequence[Token], forms: Sequence[Sequence[Token]]
) -> tuple[QualifierEffect, ...]:
    """``agrees`` when the parent ``asked`` for is the one some form names, else
    ``conflicts``."""
    # Every word of a parent's name counts here (in the name score they are optional).
    # Imported here: `ncen.search.evidence` reads `names_agree` from this module.
    from ncen.search.evidence import other_names

    plain = [replace(t, optional=False) for t in asked]
    matcher = Matcher(plain)

    def same(q: Token, r: Token) -> bool:
        return matcher.word(q, r)[0] >= SAME_PARENT_MIN and not other_names(q, r)

    for recorded in forms:
        if names_agree(plain, recorded, same):
            shown = " ".join(t.text for t in recorded)
            return (
                QualifierEffect("parentage", "agrees", PARENT_AGREES, f"same parent ({shown})"),
            )
    shown = " ".join(t.text for t in forms[0])
    wanted = " ".join(t.text for t in asked)
    return (
        QualifierEffect("parentage", "conflicts", PARENT_CONFLICT, f"parent {shown}, not {wanted}"),
    )
