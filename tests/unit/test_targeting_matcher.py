"""The indexed, compiled matcher agrees with the tree-walking interpreter on random profiles
and records, and the language refuses what it must without a database."""

from __future__ import annotations

import random
import threading
import uuid
from datetime import date

import pytest

from ncen.targeting.facts import Facts
from ncen.targeting.language import ExpressionError, parse_profile
from ncen.targeting.matcher import CompiledProfile, LookupValues, Matcher, explain, match_naively

GROUPS = ("drugs", "tobacco", "medicines", "ipr")
COUNTRIES = ("AF", "CN", "KZ", "RU", "TR")
LISTS = {
    "plates": LookupValues(frozenset({"AB123CD", "777KZ01"})),
    "lines": LookupValues(frozenset({"MAEU", "MSCU"}), prefix=True),
}


def _expression(rng: random.Random) -> str:
    pool = [
        f'commodity_group == "{rng.choice(GROUPS)}"',
        f'departure_country in ["{rng.choice(COUNTRIES)}", "{rng.choice(COUNTRIES)}"]',
        f'route_country == "{rng.choice(COUNTRIES)}"',
        f"quantity >= {rng.choice((1, 50, 500))}",
        f'!(transit_country == "{rng.choice(COUNTRIES)}")',
        f'transport_mode != "{rng.choice(("road", "air"))}"',
        'conveyance.plate in lookup("plates")',
        'conveyance.bill_of_lading in lookup("lines")',
        f'(hour >= 22 || person.nationality == "{rng.choice(COUNTRIES)}")',
    ]
    return " && ".join(rng.sample(pool, rng.randint(1, 4)))


def _facts(rng: random.Random) -> Facts:
    facts = Facts(uuid.uuid4(), 1)
    for _ in range(rng.randint(1, 2)):
        facts.add("commodity_group", rng.choice(GROUPS))
        facts.add("quantity", float(rng.choice((1, 20, 100, 1000))))
    facts.add("departure_country", rng.choice(COUNTRIES))
    for country in rng.sample(COUNTRIES, 2):
        facts.add("route_country", country)
        facts.add("transit_country", country)
    if rng.random() < 0.7:
        facts.add("transport_mode", rng.choice(("road", "air", "rail")))
    facts.add("hour", float(rng.randint(0, 23)))
    facts.add("conveyance.plate", rng.choice(("AB123CD", "XX999")))
    facts.add("conveyance.bill_of_lading", rng.choice(("MSCU123", "ZIMU9")))
    facts.add("person.nationality", rng.choice(COUNTRIES))
    return facts


def test_the_index_never_loses_a_match() -> None:
    rng = random.Random(42)
    profiles = [
        CompiledProfile(
            uuid.uuid4(), uuid.uuid4(), f"p{n}", 50, "medium", None, None,
            parse_profile(_expression(rng)), LISTS,
        )
        for n in range(400)
    ]  # fmt: skip
    matcher = Matcher(profiles)
    today = date(2026, 12, 7)
    matched = 0
    for _ in range(300):
        facts = _facts(rng)
        fast = {p.version_id for p in matcher.match(facts, today)}
        slow = {p.version_id for p in match_naively(profiles, facts, today)}
        assert fast == slow
        matched += len(fast)
        # The index narrows the candidates: a record is not tried against every profile.
        assert len(matcher.candidates(facts)) < len(profiles)
    assert matched > 0


def test_dates_bound_matching_and_explanations_quote_the_text() -> None:
    tree = parse_profile('commodity_group == "drugs" && transport_mode != "air"')
    profile = CompiledProfile(
        uuid.uuid4(), uuid.uuid4(), "p", 50, "high", date(2026, 1, 1), date(2026, 6, 30), tree, {}
    )
    facts = Facts(uuid.uuid4(), 1)
    facts.add("commodity_group", "drugs")
    facts.add("transport_mode", "road")
    matcher = Matcher([profile])
    assert matcher.match(facts, date(2026, 3, 1)) == [profile]
    assert matcher.match(facts, date(2026, 7, 1)) == []
    assert matcher.match(facts, date(2025, 12, 31)) == []
    assert explain(tree, facts, {}) == [
        {"criterion": 'commodity_group == "drugs"', "field": "commodity_group",
         "values": ["drugs"], "line": 1, "column": 1},
        {"criterion": 'transport_mode != "air"', "field": "transport_mode", "values": ["road"],
         "line": 1, "column": 31, "negated": True},
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "commodity_group",
        "a ? b : c",
        'commodity_group == "drugs" && system("rm -rf /")',
        '__import__("os") == 1',
        "commodity_group.size() > 1",
        'commodity_group == "dr\\x00ugs"',
        "quantity > 0x" + "F" * 40,
        "((((((((((quantity > 1))))))))))" + " && quantity > 1" * 45,
    ],
)
def test_no_expression_can_run_code_or_slip_through(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse_profile(text)


def test_own_values_rule_a_seizure_out_only_when_no_profile_can_match() -> None:
    rng = random.Random(5)
    profiles = [
        CompiledProfile(
            uuid.uuid4(), uuid.uuid4(), f"p{n}", 50, "medium", None, None,
            parse_profile(_expression(rng)), LISTS,
        )
        for n in range(12)
    ]  # fmt: skip
    matcher = Matcher([p for p in profiles if matcher_keyed(p)])
    today = date(2026, 12, 7)
    ruled_out = 0
    for _ in range(500):
        facts = _facts(rng)
        own = Facts(facts.seizure_id, 1)
        for name, values in facts.values.items():
            for value in values if "." not in name else ():
                own.add(name, value)
        if not matcher.could_match_own(own):
            ruled_out += 1
            assert matcher.match(facts, today) == []
    # And on known profiles: a linked field of a key matches anything, its own fields do not.
    known = Matcher(
        [
            CompiledProfile(
                uuid.uuid4(), uuid.uuid4(), "k", 50, "low", None, None, parse_profile(text), {}
            )
            for text in (
                'commodity_group == "drugs" && departure_country == "AF"',
                'commodity_group == "tobacco" && person.nationality == "RU"',
            )
        ]
    )
    own = Facts(uuid.uuid4(), 1)
    own.add("commodity_group", "ipr")
    own.add("departure_country", "AF")
    assert not known.could_match_own(own)
    own.add("commodity_group", "tobacco")
    assert known.could_match_own(own)


def matcher_keyed(profile: CompiledProfile) -> bool:
    """Profiles with an index key (one always tried would rule nothing out)."""
    return bool(Matcher([profile]).index)


def test_a_pattern_that_backtracks_cannot_stall_a_write() -> None:
    """``(A+)+B`` on 64 A's and a C takes Python's re longer than the age of the universe;
    evaluation runs patterns with RE2, in time linear in the text. The check runs in a thread
    so that a regression fails here instead of hanging the suite."""
    tree = parse_profile('company.registration.matches("(A+)+B")')
    profile = CompiledProfile(uuid.uuid4(), uuid.uuid4(), "p", 50, "high", None, None, tree, {})
    matcher = Matcher([profile])
    results: list[object] = []

    def evaluate(value: str) -> None:
        facts = Facts(uuid.uuid4(), 1)
        facts.add("company.registration", value)
        results.append(matcher.match(facts, date(2026, 3, 1)))

    worker = threading.Thread(target=evaluate, args=("A" * 64 + "C",), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "a profile pattern backtracked"
    evaluate("XAAAB")
    assert results == [[], [profile]]


def test_patterns_outside_re2_are_refused_where_written() -> None:
    with pytest.raises(ExpressionError, match="back-references"):
        parse_profile('conveyance.plate.matches("(a)\\\\1")')
    with pytest.raises(ExpressionError, match="linear time"):
        parse_profile('conveyance.plate.matches("a{2000}")')  # beyond RE2's repeat bound
