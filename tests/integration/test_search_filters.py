"""Person search filters (birth year ±N, nationality; unknowns) and deterministic ranking of
ties, on real PostgreSQL."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ncen import migrate
from ncen.accounts.actor import Actor
from ncen.db import make_engine
from ncen.dbroles import APP_ROLE
from ncen.persons.services import create_person
from ncen.search.persons import search_persons
from ncen.search.query import person_query
from tests.factories import person_data


def add(session, actor, *names, **fields):
    fields.setdefault("documents", [])
    fields.setdefault("contacts", [])
    fields.setdefault("nationalities", [])
    fields.setdefault("birth_month", None)
    data = person_data(names=[{"full_name": n} for n in names], **fields)
    with session.begin():
        return create_person(session, actor, data)


def found(session, actor, **fields):
    return [h.person_id for h in search_persons(session, actor, person_query(**fields)).hits]


def test_birth_year_filter_keeps_the_tolerance_and_unknowns_only_when_asked(
    session, analyst, system
):
    born = {
        year: add(session, system, "Мухаммад Алиев", birth_year=year)
        for year in (1981, 1982, 1986, 1987)
    }
    unknown = add(session, system, "Мухаммад Алиев", birth_year=None)
    asked = {"name": "Mukhammad Aliev", "birth_year": 1984, "birth_year_mode": "filter"}
    kept = set(found(session, analyst, **asked))
    assert kept == {born[1982].id, born[1986].id}
    assert set(found(session, analyst, **asked, birth_year_tolerance=3)) == {
        born[1981].id,
        born[1982].id,
        born[1986].id,
        born[1987].id,
    }
    with_unknown = set(found(session, analyst, **asked, include_unknown=True))
    assert with_unknown == {born[1982].id, born[1986].id, unknown.id}
    # As a qualifier, the year keeps everyone and ranks the closest first.
    ranked = found(session, analyst, name="Mukhammad Aliev", birth_year=1982)
    assert ranked[0] == born[1982].id
    assert len(ranked) == 5


def test_nationality_filter_and_qualifier(session, analyst, system):
    kz = add(session, system, "Мухаммад Алиев", nationalities=["KZ", "UZ"])
    uz = add(session, system, "Мухаммад Алиев", nationalities=["UZ"])
    none = add(session, system, "Мухаммад Алиев", nationalities=[])
    asked = {"name": "Mukhammad Aliev", "nationality": "KZ", "nationality_mode": "filter"}
    assert found(session, analyst, **asked) == [kz.id]
    assert set(found(session, analyst, **asked, include_unknown=True)) == {kz.id, none.id}
    ranked = found(session, analyst, name="Mukhammad Aliev", nationality="UZ")
    assert set(ranked[:2]) == {kz.id, uz.id}
    assert ranked[2] == none.id


def test_filters_apply_before_the_top_hits_are_cut(session, analyst, system):
    for _ in range(12):
        add(session, system, "Mukhammad Aliev", birth_year=1950)
    target = add(session, system, "Мухамед Алиев", birth_year=1984)
    unfiltered = found(session, analyst, name="Mukhammad Aliev", limit=5)
    assert target.id not in unfiltered  # the namesakes spelt exactly fill the top five
    filtered = found(
        session,
        analyst,
        name="Mukhammad Aliev",
        birth_year=1985,
        birth_year_mode="filter",
        limit=5,
    )
    assert filtered == [target.id]


PHONE = [{"kind": "phone", "value": "+7 701 555 12 34"}]
PEOPLE = [
    # (names, fields): four persons whose names score alike against the query
    (("Мухаммад Алиев",), {"birth_year": 1980, "contacts": PHONE}),
    (("Мухаммад Алиев",), {"birth_year": 1970}),
    (("Мухаммад Алиев",), {"birth_year": 1975}),
    (("Мухаммад Алиев", "Muhammad Aliev"), {"birth_year": 1990, "nationalities": ["KZ"]}),
]


def _ranking(engine, order):
    system = Actor.system("test")
    with Session(engine) as session:
        for index in order:
            names, fields = PEOPLE[index]
            add(session, system, *names, **fields)
        with session.begin():
            hits = search_persons(session, system, person_query(name="Mukhammad Aliev")).hits
            return [(h.display_name, h.birth_year, h.score) for h in hits]


def test_ties_rank_alike_on_two_databases_filled_in_other_orders(empty_database):
    rankings = []
    for name, order in (("ncen_ties_a", [0, 1, 2, 3]), ("ncen_ties_b", [3, 2, 1, 0])):
        db = empty_database(name)
        owner = make_engine(db.owner)
        try:
            migrate.upgrade(owner, app_role=APP_ROLE)
        finally:
            owner.dispose()
        engine = make_engine(db.app)
        try:
            rankings.append(_ranking(engine, order))
        finally:
            engine.dispose()
    assert rankings[0] == rankings[1]
    # Equal scores: the most complete record first (two names and a nationality; then a
    # contact), then by reference (same display name: the earlier date of birth first).
    assert [year for _, year, _ in rankings[0]] == [1990, 1980, 1970, 1975]
    assert len({score for _, _, score in rankings[0]}) == 1
