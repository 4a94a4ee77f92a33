"""The name index: keys written with every change, backfilled, bulk-loaded, and used by plans."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

from sqlalchemy import select, text

from ncen.accounts.models import Role
from ncen.companies.services import create_company
from ncen.demo import records
from ncen.demo.bulk import copy_rows, empty_rows
from ncen.persons.models import PersonName
from ncen.persons.services import create_person, update_person
from ncen.search.candidates import bitmap_scans_only
from ncen.search.index import backfill_name_keys
from ncen.search.keys import analyse
from ncen.search.models import NameTerm
from ncen.search.persons import retrieval_statements, search_persons
from ncen.search.query import person_query
from tests.conftest import make_actor
from tests.factories import company_data, person_data


def terms(session) -> set[str]:
    return set(session.execute(select(NameTerm.term)).scalars())


def test_keys_are_written_and_rewritten_with_the_names(session, investigator):
    with session.begin():
        person = create_person(session, investigator, person_data())
    stored = session.execute(
        select(PersonName.search_text, PersonName.search_terms, PersonName.phonetic_codes)
        .where(PersonName.person_id == person.id)
        .order_by(PersonName.position)
    ).all()
    assert stored[0].search_text == "aliev mukhammad ibragimovich"
    assert "MKMT" in stored[0].phonetic_codes
    assert stored[1].search_terms == ["mukhammad", "aliev"]
    assert {"aliev", "mukhammad", "ibragimovich"} <= terms(session)
    session.commit()
    with session.begin():
        update_person(
            session,
            investigator,
            person.id,
            person.version,
            person_data(names=[{"full_name": "Hans Müller"}]),
        )
    keys = session.execute(
        select(PersonName.search_terms).where(PersonName.person_id == person.id)
    ).scalar_one()
    assert keys == ["hans", "muller", "mueller"]
    assert "mueller" in terms(session)


def test_company_keys_drop_the_legal_form(session, investigator):
    with session.begin():
        company = create_company(session, investigator, company_data())
    texts = [n.search_text for n in company.names]
    assert texts == ["shelkovyy put logistik", "silk road logistics"]


def test_backfill_recomputes_every_key(session, investigator):
    with session.begin():
        person = create_person(session, investigator, person_data())
    session.execute(text("UPDATE person_names SET search_text = '', search_terms = '{}'"))
    written = backfill_name_keys(session.connection(), batch=1)
    assert written >= 2
    session.expire_all()
    assert person.names[0].search_text == "aliev mukhammad ibragimovich"


def bulk_load(session, persons: int) -> None:
    """Generate ``persons`` demo persons into the test's transaction with the demo loader."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    raw = session.connection().connection.driver_connection
    rows = empty_rows()
    for index in range(persons):
        records.person_rows(rng, 4242, index, now, rows)
    copy_rows(raw, rows)


def plan(session, statement) -> str:
    compiled = statement.compile(dialect=session.get_bind().dialect)
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + str(compiled), compiled.params)
        return json.dumps(cursor.fetchone()[0])


def test_bulk_loaded_names_are_searchable_through_the_indexes(owner_session):
    # As the owner: the test plays autovacuum (GIN clean-up, ANALYZE) after the bulk load.
    session = owner_session
    analyst = make_actor(session, Role.ANALYST)
    investigator = make_actor(session, Role.INVESTIGATOR)
    bulk_load(session, 20_000)
    session.commit()  # releases the savepoint only: the test's transaction still rolls back
    with session.begin():
        target = create_person(
            session, investigator, person_data(names=[{"full_name": "Жандарбеков Ильяс"}])
        )
    # What autovacuum does after a bulk load: merge the GIN pending lists, refresh statistics.
    for index in ("search_terms", "phonetic_codes"):
        session.execute(text(f"SELECT gin_clean_pending_list('ix_person_names_{index}')"))
    session.execute(text("ANALYZE person_names"))
    session.execute(text("ANALYZE persons"))
    demo_name = session.execute(
        select(PersonName.search_text).where(PersonName.script == "Cyrl").limit(1)
    ).scalar_one()
    assert demo_name
    assert demo_name.split()[0] in terms(session)

    query = person_query(name="Ilyas Zhandarbekov")
    statements = retrieval_statements(session, query, analyse(query.name))
    assert len(statements) == 5  # exact, anchored, strict, loose, any word
    with bitmap_scans_only(session):  # as `search_persons` runs them
        plans = [json.loads(plan(session, statement)) for statement in statements]
    gin = {"ix_person_names_search_terms", "ix_person_names_phonetic_codes"}
    for explained in plans:
        scans = _scans(explained)
        assert ("person_names", None) not in scans  # never a sequential scan
        names = {index for _, index in scans if index and "person_names" in index}
        assert names & gin, scans
        # never a walk along another index; a query without filters chooses its forms among
        # the names alone (the deleted persons read from their partial index), then fetches the
        # chosen by primary key, one bitmap lookup each
        assert names <= gin | {"pk_person_names"}, scans
        assert "ix_persons_deleted" in {index for _, index in scans}, scans
        assert '"Node Type": "Index Scan"' not in json.dumps(explained), scans

    results = search_persons(session, analyst, query)
    assert results.hits[0].person_id == target.id
    assert results.examined < 50


def _scans(plan_json) -> list[tuple[str, str | None]]:
    """(relation, index) of every scan node of a plan; index is None for a sequential scan."""
    found = []
    stack = [plan_json[0]["Plan"]]
    while stack:
        node = stack.pop()
        if node["Node Type"] == "Seq Scan":
            found.append((node["Relation Name"], None))
        elif "Index Name" in node:
            found.append((node.get("Relation Name", ""), node["Index Name"]))
        stack.extend(node.get("Plans", []))
    return found
