"""Risk profiles on a real database: validation with positions, evaluation in the write's
transaction with explanations, no duplicate hits, expiry by date, review flags, back-tests that
agree with the matcher, triage and what a hit may reveal."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.companies.services import create_company, update_company
from ncen.conveyances.services import create_conveyance, update_conveyance
from ncen.db import utcnow
from ncen.errors import NotFoundError, PermissionDeniedError, ValidationError
from ncen.persons.services import create_person, update_person
from ncen.seizures.models import Seizure
from ncen.seizures.services import link_entity, record_seizure, update_seizure
from ncen.targeting import hits as hit_services
from ncen.targeting import lookup
from ncen.targeting.backtest import run_backtest
from ncen.targeting.evaluation import evaluate_records
from ncen.targeting.facts import load_facts
from ncen.targeting.language import ExpressionError
from ncen.targeting.lookup import load_lists
from ncen.targeting.matcher import interpret
from ncen.targeting.models import Hit, HitStatus, ProfileStatus, RiskProfile
from ncen.targeting.profiles import (
    create_profile,
    effective_status,
    reviews_due,
    set_status,
    update_profile,
)
from ncen.targeting.sql import to_sql
from ncen.targeting.validation import validate_expression
from tests.conftest import make_actor
from tests.factories import company_data, conveyance_data, person_data, seizure_data

TOBACCO_CN = 'commodity_group == "tobacco" && departure_country == "CN"'


def _profile(session: Session, actor: Actor, expression: str, **extra: Any) -> RiskProfile:
    data = {"name": f"p-{uuid.uuid4().hex[:8]}", "expression": expression, "score": "70"}
    data.update(extra)
    return create_profile(session, actor, data)


def _activate(session: Session, actor: Actor, profile: RiskProfile) -> None:
    set_status(session, actor, profile.id, "active", expected_version=profile.version, confirm=True)


def _hits(session: Session, seizure_id: uuid.UUID) -> list[Hit]:
    return list(session.execute(select(Hit).where(Hit.seizure_id == seizure_id)).scalars())


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('commodity_group == "tobacco" &&', 1, 30, "syntax error"),
        ('commodity_group == "tobacco" &&\n  persn.age < 3', 2, 3, "unknown field"),
        ('quantity == "many"', 1, 13, "takes a number"),
        ("office < 3", 1, 1, "cannot be compared"),
        ('commodity_group == "marmalade"', 1, 1, "unknown code"),
        ('conveyance.plate in lookup("nowhere")', 1, 1, "no lookup list"),
        ("quantity > 99999999999999999999999", 1, 12, "number too large"),
        ("quantity > 1e999", 1, 12, "number too large"),
        ('office == "KHORGOS"\u202e', 1, 20, "not allowed"),
        ('office == "KH\x00"', 1, 14, "not allowed"),
        ('hs_heading == "24"', 1, 15, "has 4 digits"),
        ('conveyance.plate.matches("(a)\\\\1")', 1, 26, "pattern"),
        ("quantity + 1 > 2", 1, 1, "compare a field"),
        ('direction == "sideways"', 1, 14, "unknown code"),
    ],
)
def test_bad_expressions_are_refused_at_their_place(
    session: Session, text: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        validate_expression(session, text)
    assert caught.value.line == line, caught.value.errors
    assert caught.value.column == column, caught.value.errors
    assert words in caught.value.message


def test_too_complex_and_too_long_expressions_are_refused(session: Session) -> None:
    many = " || ".join(f"quantity == {n}" for n in range(41))
    with pytest.raises(ExpressionError, match="too complex"):
        validate_expression(session, many)
    with pytest.raises(ExpressionError, match="longer than"):
        validate_expression(session, "quantity > 1 && " * 400 + "quantity > 1")


def test_a_matching_seizure_raises_one_explained_hit_in_the_same_transaction(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    profile = _profile(session, analyst, TOBACCO_CN + " && quantity >= 10000")
    _activate(session, analyst, profile)
    seizure = record_seizure(session, investigator, seizure_data())
    [hit] = _hits(session, seizure.id)
    assert hit.profile_version_id == profile.current_version_id
    assert hit.event == "create"
    explained = {entry["field"]: entry["values"] for entry in hit.explanation}
    assert explained == {
        "commodity_group": ["tobacco"],
        "departure_country": ["CN"],
        "quantity": [12000],
    }
    # An update of the same seizure, and a bulk re-evaluation, raise no second hit.
    data = seizure_data(narrative="Updated narrative.")
    update_seizure(session, investigator, seizure.id, expected_version=seizure.version, data=data)
    assert evaluate_records(session, "seizure", [seizure.id]) == 0
    assert len(_hits(session, seizure.id)) == 1


def test_a_seizure_that_does_not_match_raises_nothing(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    _activate(session, analyst, _profile(session, analyst, TOBACCO_CN))
    seizure = record_seizure(session, investigator, seizure_data(departure_country="TR"))
    assert _hits(session, seizure.id) == []


def test_a_person_linked_later_is_evaluated_through_the_seizure(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    profile = _profile(session, analyst, 'person.nationality == "UZ" && person.age >= 30')
    _activate(session, analyst, profile)
    seizure = record_seizure(session, investigator, seizure_data())
    assert _hits(session, seizure.id) == []
    person = create_person(session, investigator, person_data(nationalities=["KZ"]))
    link_entity(
        session, investigator, seizure.id, seizure.version,
        kind="person", target_id=person.id, role="courier",
    )  # fmt: skip
    assert _hits(session, seizure.id) == []
    update_person(
        session, investigator, person.id, expected_version=person.version,
        data=person_data(nationalities=["UZ"]),
    )  # fmt: skip
    [hit] = _hits(session, seizure.id)
    assert hit.trigger_type == "person"
    assert {e["field"] for e in hit.explanation} == {"person.nationality", "person.age"}


def test_linked_companies_and_conveyances_are_evaluated_when_they_change(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    """Every write path of the four record types reaches the profiles: a company's and a
    conveyance's update raise a hit on the seizures they are linked to."""
    by_country = _profile(session, analyst, 'company.country == "TR"')
    by_container = _profile(session, analyst, 'conveyance.container.startsWith("MSCU")')
    _activate(session, analyst, by_country)
    _activate(session, analyst, by_container)
    seizure = record_seizure(session, investigator, seizure_data())
    company = create_company(session, investigator, company_data())
    conveyance = create_conveyance(session, investigator, conveyance_data())
    link_entity(session, investigator, seizure.id, seizure.version, kind="company",
                target_id=company.id, role="importer")  # fmt: skip
    link_entity(session, investigator, seizure.id, seizure.version, kind="conveyance",
                target_id=conveyance.id, role="container")  # fmt: skip
    assert _hits(session, seizure.id) == []
    update_company(session, investigator, company.id, company.version, company_data(country="TR"))
    [hit] = _hits(session, seizure.id)
    assert (hit.profile_id, hit.trigger_type) == (by_country.id, "company")
    update_conveyance(
        session, investigator, conveyance.id, conveyance.version,
        conveyance_data(identifiers=[{"kind": "container", "value": "MSCU1234566"}]),
    )  # fmt: skip
    found = {(h.profile_id, h.trigger_type) for h in _hits(session, seizure.id)}
    assert found == {(by_country.id, "company"), (by_container.id, "conveyance")}


def test_an_expired_profile_stops_matching_by_its_date(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    profile = _profile(session, analyst, TOBACCO_CN)
    _activate(session, analyst, profile)
    # Its end date passes: no job has run, yet it is expired and matches nothing.
    profile.ends_on = utcnow().date() - timedelta(days=1)
    profile.updated_at = utcnow()
    session.flush()
    assert effective_status(profile) is ProfileStatus.EXPIRED
    assert profile.status is ProfileStatus.ACTIVE
    seizure = record_seizure(session, investigator, seizure_data())
    assert _hits(session, seizure.id) == []


def test_a_profile_past_its_review_date_is_flagged_to_its_owner(
    session: Session, analyst: Actor
) -> None:
    today = utcnow().date()
    due = _profile(session, analyst, TOBACCO_CN, review_on=(today - timedelta(days=1)).isoformat())
    _profile(session, analyst, TOBACCO_CN, review_on=(today + timedelta(days=9)).isoformat())
    assert analyst.user_id is not None
    assert [p.id for p in reviews_due(session, analyst.user_id)] == [due.id]


def test_a_new_expression_is_a_new_version_and_keeps_the_old(
    session: Session, analyst: Actor
) -> None:
    profile = _profile(session, analyst, TOBACCO_CN)
    first = profile.current_version_id
    data = {"name": profile.name, "expression": TOBACCO_CN + ' && transport_mode == "road"'}
    update_profile(session, analyst, profile.id, expected_version=profile.version, data=data)
    assert [v.number for v in profile.versions] == [1, 2]
    assert profile.current_version_id != first
    # Saving the same expression again adds no version.
    update_profile(session, analyst, profile.id, expected_version=profile.version, data=data)
    assert len(profile.versions) == 2


def test_activation_refuses_a_profile_that_matches_everything(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    record_seizure(session, investigator, seizure_data())
    profile = _profile(session, analyst, "quantity >= 0")
    with pytest.raises(ValidationError) as caught:
        set_status(session, analyst, profile.id, "active", expected_version=profile.version)
    assert "every seizure" in caught.value.errors["expression"]


def test_backtest_agrees_with_the_matcher_and_explains_its_sample(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    kept = [
        record_seizure(session, investigator, seizure_data()),
        record_seizure(session, investigator, seizure_data(departure_country="TR")),
        record_seizure(session, investigator, seizure_data(transit_countries=[])),
    ]
    conveyance_id = None
    from ncen.conveyances.services import create_conveyance

    conveyance = create_conveyance(session, investigator, conveyance_data())
    conveyance_id = conveyance.id
    link_entity(
        session, investigator, kept[1].id, kept[1].version,
        kind="conveyance", target_id=conveyance_id, role="container",
    )  # fmt: skip
    lookup.create_list(session, analyst, name="boxes", kind="container")
    [boxes] = [lst for lst, _ in lookup.list_lists(session, analyst) if lst.name == "boxes"]
    lookup.add_entries(session, analyst, boxes.id, "csqu 305438-3\nMSCU1234565")
    expressions = [
        TOBACCO_CN,
        'route_country == "KZ" && !(departure_country in ["TR"])',
        'transit_country != "KZ" || conveyance.container in lookup("boxes")',
        'hs_heading == "2402" && hour >= 0 && season in ["winter", "spring", "summer", "autumn"]',
        'conveyance.container.startsWith("CSQU") && quantity > 100',
    ]
    ids = [s.id for s in kept]
    facts = load_facts(session, ids)
    lists = load_lists(session)
    for expression in expressions:
        tree = validate_expression(session, expression)
        in_memory = {sid for sid in ids if interpret(tree, facts[sid], lists)}
        in_sql = set(
            session.execute(
                select(Seizure.id).where(Seizure.id.in_(ids), to_sql(tree, lists))
            ).scalars()
        )
        assert in_memory == in_sql, expression
    result = run_backtest(session, analyst, TOBACCO_CN)
    assert result.hits >= 2
    assert result.total >= 3
    assert result.sample
    assert result.sample[0]["explanation"]
    assert ("CN", result.traits["departure_country"][0][1]) == result.traits["departure_country"][0]


def test_triage_and_statistics(session: Session, analyst: Actor, investigator: Actor) -> None:
    profile = _profile(session, analyst, TOBACCO_CN)
    _activate(session, analyst, profile)
    first = record_seizure(session, investigator, seizure_data())
    second = record_seizure(session, investigator, seizure_data())
    [hit_one], [hit_two] = _hits(session, first.id), _hits(session, second.id)
    with pytest.raises(ValidationError):
        hit_services.decide_hit(session, analyst, hit_one.id, "dismissed", "")
    hit_services.decide_hit(session, analyst, hit_one.id, "dismissed", "Known trader")
    hit_services.decide_hit(session, analyst, hit_two.id, "confirmed")
    stats = hit_services.profile_statistics(session, profile.id)
    assert (stats["hits"], stats["confirmed"], stats["dismissed"]) == (2, 1, 1)
    assert stats["precision"] == 0.5
    assert stats["months"][0]["hits"] == 2


def test_investigators_see_only_hits_assigned_to_them(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    _activate(session, analyst, _profile(session, analyst, TOBACCO_CN))
    seizure = record_seizure(session, investigator, seizure_data())
    [hit] = _hits(session, seizure.id)
    assert hit_services.list_hits(session, investigator)[1] == 0
    with pytest.raises(NotFoundError):
        hit_services.get_hit(session, investigator, hit.id)
    with pytest.raises(PermissionDeniedError):
        hit_services.assign_hit(session, investigator, hit.id, investigator.user_id)
    hit_services.assign_hit(session, analyst, hit.id, investigator.user_id)
    rows, total = hit_services.list_hits(session, investigator)
    assert total == 1
    assert rows[0].hit.id == hit.id
    hit_services.decide_hit(session, investigator, hit.id, "confirmed")
    assert hit.status is HitStatus.CONFIRMED


def test_the_team_queue_shows_the_hits_of_the_team_members_only(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    from ncen.accounts.services import set_team

    admin = make_actor(session, Role.ADMINISTRATOR)
    colleague = make_actor(session, Role.ANALYST)
    other = make_actor(session, Role.ANALYST)
    supervisor = make_actor(session, Role.SUPERVISOR)
    for actor, team in ((analyst, "Khorgos"), (colleague, " Khorgos "), (other, "Dostyk")):
        set_team(session, admin, actor.user_id, team)  # type: ignore[arg-type]
    ours = _profile(session, colleague, TOBACCO_CN)
    theirs = _profile(session, other, 'commodity_group == "tobacco" && transport_mode == "road"')
    _activate(session, colleague, ours)
    _activate(session, other, theirs)
    seizure = record_seizure(session, investigator, seizure_data())
    by_profile = {hit.profile_id: hit for hit in _hits(session, seizure.id)}
    assert set(by_profile) == {ours.id, theirs.id}

    def queue(actor: Actor, scope: str = "team") -> set[uuid.UUID]:
        return {row.hit.id for row in hit_services.list_hits(session, actor, scope=scope)[0]}

    # The analyst owns neither profile: the team queue holds the colleague's hit only.
    assert queue(analyst) == {by_profile[ours.id].id}
    assert queue(analyst, "mine") == set()
    assert queue(other) == {by_profile[theirs.id].id}
    # A hit of the other team assigned to a member joins the team's queue.
    hit_services.assign_hit(session, other, by_profile[theirs.id].id, colleague.user_id)
    assert queue(analyst) == {by_profile[ours.id].id, by_profile[theirs.id].id}
    # Someone in no team (a node without teams) sees every hit.
    assert {hit.id for hit in by_profile.values()} <= queue(supervisor)
    with pytest.raises(ValidationError):
        set_team(session, admin, analyst.user_id, "x" * 65)  # type: ignore[arg-type]
    with pytest.raises(PermissionDeniedError):
        set_team(session, analyst, colleague.user_id, "Dostyk")  # type: ignore[arg-type]


def test_a_hit_on_a_deleted_seizure_is_not_revealed(
    session: Session, analyst: Actor, investigator: Actor, supervisor: Actor
) -> None:
    _activate(session, analyst, _profile(session, analyst, TOBACCO_CN))
    seizure = record_seizure(session, investigator, seizure_data())
    [hit] = _hits(session, seizure.id)
    from ncen.seizures.services import delete_seizure

    delete_seizure(session, supervisor, seizure.id, expected_version=seizure.version)
    rows, _total = hit_services.list_hits(session, analyst)
    assert hit.id not in {row.hit.id for row in rows}
    with pytest.raises(NotFoundError):
        hit_services.get_hit(session, analyst, hit.id)


def test_reading_hits_is_audited_and_administrators_may_not(
    session: Session, analyst: Actor
) -> None:
    from ncen.audit import flush_events
    from ncen.audit.events import AuditEvent

    hit_services.list_hits(session, analyst)
    flush_events(session)
    count = session.execute(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "targeting_hit.list")
    ).scalar_one()
    assert count == 1
    admin = make_actor(session, Role.ADMINISTRATOR)
    with pytest.raises(PermissionDeniedError):
        hit_services.list_hits(session, admin)
    with pytest.raises(PermissionDeniedError):
        create_profile(session, admin, {"name": "x", "expression": TOBACCO_CN})


def test_the_batched_entry_point_counts_new_hits_once(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    seizures = [record_seizure(session, investigator, seizure_data()) for _ in range(3)]
    seizures.append(record_seizure(session, investigator, seizure_data(departure_country="TR")))
    person = create_person(session, investigator, person_data())
    link_entity(
        session, investigator, seizures[0].id, seizures[0].version,
        kind="person", target_id=person.id, role="courier",
    )  # fmt: skip
    # Activated after the records were written (as after a bulk load that bypassed services).
    _activate(session, analyst, _profile(session, analyst, TOBACCO_CN))
    ids = [s.id for s in seizures]
    assert evaluate_records(session, "person", [person.id]) == 1
    assert evaluate_records(session, "seizure", ids) == 2
    assert evaluate_records(session, "seizure", ids) == 0
    with pytest.raises(ValueError, match="cannot evaluate"):
        evaluate_records(session, "picture", ids)


def test_compiled_profiles_are_reused_and_a_bulk_batch_is_evaluated_once(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    from ncen.targeting.evaluation import current_matcher, evaluate_written

    first = _profile(session, analyst, TOBACCO_CN)
    _activate(session, analyst, first)
    matcher = current_matcher(session)
    assert current_matcher(session) is matcher
    with session.begin_nested() as nested:  # a change rolled back finds its matcher again
        _activate(session, analyst, _profile(session, analyst, 'route_country == "KZ"'))
        other = current_matcher(session)
        assert other is not matcher
        assert len(other.profiles) == len(matcher.profiles) + 1
        # The version seen before is not parsed again: the very same tree.
        [kept] = [p for p in other.profiles if p.profile_id == first.id]
        [before] = [p for p in matcher.profiles if p.profile_id == first.id]
        assert kept.tree is before.tree
        nested.rollback()
    assert current_matcher(session) is matcher
    assert matcher.fields == {"commodity_group", "departure_country"}
    # A batch's seizure and the person linked to it lead to one evaluation of the seizure,
    # whose hit names the first type written.
    seizure = record_seizure(session, investigator, seizure_data())
    person = create_person(session, investigator, person_data())
    link_entity(
        session, investigator, seizure.id, seizure.version,
        kind="person", target_id=person.id, role="courier",
    )  # fmt: skip
    session.execute(delete(Hit).where(Hit.seizure_id == seizure.id))
    raised = evaluate_written(session, {"person": [person.id], "seizure": [seizure.id]})
    assert raised == 1
    [hit] = _hits(session, seizure.id)
    assert hit.trigger_type == "person"
    with pytest.raises(ValueError, match="cannot evaluate"):
        evaluate_written(session, {"seizure": [seizure.id], "picture": [seizure.id]})


def test_a_seizure_in_memory_has_the_facts_sql_reads(session: Session, investigator: Actor) -> None:
    from ncen.targeting.facts import own_facts

    seizure = record_seizure(
        session,
        investigator,
        seizure_data(concealment_methods=["within_cargo"], occurred_at="2026-01-15T23:30:00+05:00"),
    )
    in_memory = own_facts(seizure)
    read = load_facts(session, [seizure.id])[seizure.id]
    assert dict(in_memory.values) == dict(read.values)
    assert in_memory.version == read.version
    assert read.get("hour") == [18.0]
    assert read.get("season") == ["winter"]


# Shapes that `to_sql` orders by cost (seizure columns, hashed EXISTS, per-seizure EXISTS) in
# AND, OR and NOT, with lookups and with fields that have no value on some seizures.
SHAPES = [
    'person.nationality in ["TJ", "AF"] && departure_country == "TJ" && person.age < 30',
    'route_country == "TJ" && person.nationality in ["TJ", "AF"] && person.age < 30',
    'person.age < 30 || (departure_country == "CN" && company.country == "KZ")',
    '!(person.age_band == "18_25" && quantity > 100) && transport_mode == "road"',
    'company.known_days < 5 && person.gender == "M" && hour >= 0',
    'departure_country != "CN" && !(person.nationality == "UZ") && commodity_group != "drugs"',
    'destination_country == "RU" || (transit_country == "KZ" && person.age >= 30)',
    '(person.age < 30 || company.aeo == "none") && (departure_country in ["TJ", "CN"])',
    'conveyance.container in lookup("boxes") && person.age >= 30 && departure_country == "CN"',
    'person.document in lookup("papers") && !(person.age < 18) && status == "draft"',
    'person.nationality != "KZ" && person.age_band != "over_50" && hour < 24',
    'departure_country == "TJ" && commodity_group == "drugs" && person.birth_country == "TJ"'
    " && quantity >= 200000 && person.age < 30",
]


def test_backtest_sql_shapes_agree_with_the_matcher(
    session: Session, analyst: Actor, investigator: Actor
) -> None:
    from ncen.companies.services import create_company
    from ncen.conveyances.services import create_conveyance
    from tests.factories import company_data

    young = utcnow().year - 21
    drugs = {
        "commodity_group": "drugs", "hs_code": "1211.90", "description": "Opium poppy straw",
        "quantity": "250000", "unit": "kg", "estimated_value": "9000.00", "currency": "USD",
    }  # fmt: skip
    seizures = [
        record_seizure(session, investigator, seizure_data()),
        # No departure, destination, transit or concealment: missing values on the route.
        record_seizure(
            session,
            investigator,
            seizure_data(departure_country=None, destination_country=None, transit_countries=[]),
        ),
        record_seizure(
            session,
            investigator,
            seizure_data(departure_country="TJ", transit_countries=["UZ"], items=[drugs]),
        ),
        record_seizure(session, investigator, seizure_data(departure_country="TJ")),
        record_seizure(session, investigator, seizure_data(transport_mode="rail")),
    ]
    people = [
        person_data(),  # KZ/UZ, born 1984
        person_data(nationalities=["TJ"], birth_year=young, birth_country="TJ",
                    documents=[{"doc_type": "passport", "number": "TJ-555 001",
                                "issuing_country": "TJ"}]),
        person_data(nationalities=["AF"], birth_year=None, birth_month=None, gender="F"),
        person_data(nationalities=[], birth_year=young + 5, documents=[]),
    ]  # fmt: skip
    links = {0: [0], 2: [1, 2], 3: [2, 3], 4: [0, 1]}
    created = [create_person(session, investigator, data) for data in people]
    for index, persons in links.items():
        for person in persons:
            seizure = seizures[index]
            link_entity(
                session, investigator, seizure.id, seizure.version,
                kind="person", target_id=created[person].id, role="courier",
            )  # fmt: skip
    company = create_company(session, investigator, company_data())
    for seizure in (seizures[0], seizures[3]):
        link_entity(
            session, investigator, seizure.id, seizure.version,
            kind="company", target_id=company.id, role="importer",
        )  # fmt: skip
    conveyance = create_conveyance(session, investigator, conveyance_data())
    link_entity(
        session, investigator, seizures[0].id, seizures[0].version,
        kind="conveyance", target_id=conveyance.id, role="container",
    )  # fmt: skip
    for name, kind, entries in (("boxes", "container", "CSQU3054383"),
                                ("papers", "document", "tj555001")):  # fmt: skip
        lookup.create_list(session, analyst, name=name, kind=kind)
        [made] = [lst for lst, _ in lookup.list_lists(session, analyst) if lst.name == name]
        lookup.add_entries(session, analyst, made.id, entries)
    live = list(session.execute(select(Seizure.id).where(Seizure.deleted_at.is_(None))).scalars())
    facts = load_facts(session, live)
    lists = load_lists(session)
    work_mem = session.execute(select(func.current_setting("work_mem"))).scalar_one()
    matched_somewhere: set[uuid.UUID] = set()
    for expression in SHAPES:
        tree = validate_expression(session, expression)
        in_memory = {sid for sid in live if interpret(tree, facts[sid], lists)}
        in_sql = set(session.execute(select(Seizure.id).where(to_sql(tree, lists))).scalars())
        assert in_memory == in_sql, expression
        assert run_backtest(session, analyst, tree, sample=0).hits == len(in_memory), expression
        matched_somewhere |= in_memory
        # The back-test's larger work_mem is its own: the transaction gets its setting back.
        assert session.execute(select(func.current_setting("work_mem"))).scalar_one() == work_mem
    # The shapes tell the seizures apart: neither all nor none of them always match.
    assert {s.id for s in seizures} <= matched_somewhere
    assert any(
        not {s.id for s in seizures} <= {sid for sid in live if interpret(
            validate_expression(session, e), facts[sid], lists)}
        for e in SHAPES
    )  # fmt: skip


def test_backtest_sql_tests_the_seizure_columns_first_and_per_seizure_exists_last(
    session: Session,
) -> None:
    from sqlalchemy.dialects import postgresql

    tree = validate_expression(
        session,
        'person.age < 30 && person.nationality == "TJ" && departure_country == "TJ"',
    )
    sql = str(to_sql(tree, {}).compile(dialect=postgresql.dialect()))
    # The seizure's column is a plain conjunct (the planner estimates what passes it); CASE
    # fixes the order of the EXISTS: the planner would rank the hashed nationality set as dear
    # as a per-seizure EXISTS and might run the age EXISTS over every seizure first.
    assert sql.startswith("coalesce(seizures.departure_country")
    assert " AND CASE WHEN (EXISTS" in sql
    column = sql.index("seizures.departure_country")
    nationality = sql.index("person_nationalities.country")
    age = sql.index("persons.birth_year")
    assert column < nationality < age
    assert "coalesce(EXISTS" not in sql
