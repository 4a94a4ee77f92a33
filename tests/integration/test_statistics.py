"""Statistics on PostgreSQL: every number equals the seizure list it links to, as records change.

The lists are built by `ncen.seizures.queries.list_statement` on the base tables; the numbers
come from the trigger-maintained facts and rollup. Both paths of `tabulate` (rollup, facts) and
cross-tabulations are compared, with foreign, deleted and multi-valued records in the data.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select, text

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.analysis.dimensions import DIMENSIONS
from ncen.analysis.filters import StatsFilters, parse_by, parse_filters
from ncen.analysis.models import StatDirty
from ncen.analysis.rollups import rebuild_statistics, refresh_statistics, statistics_freshness
from ncen.analysis.statistics import StatTable, tabulate, tabulate_panels
from ncen.dbroles import check_least_privilege
from ncen.errors import PermissionDeniedError, ValidationError
from ncen.persons.services import create_person, delete_person, update_person
from ncen.records import Provenance
from ncen.seizures.foreign import import_foreign_seizure
from ncen.seizures.models import Seizure
from ncen.seizures.queries import SeizureFilters, list_statement
from ncen.seizures.services import delete_seizure, link_entity, record_seizure, update_seizure
from tests.factories import person_data, seizure_data

DAY = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)


def _count(session, filters: SeizureFilters) -> int:
    return session.scalar(select(func.count()).select_from(list_statement(filters).subquery()))


def _check(session, table: StatTable) -> None:
    """Every row and the total equal the list they link to."""
    for row in table.rows:
        assert row.drill is not None
        assert _count(session, row.drill) == row.seizures, (table.by, row.values, table.source)
    base = SeizureFilters(
        date_from=table.filters.date_from,
        date_to=table.filters.date_to,
        facets=table.filters.facets,
    )
    assert _count(session, base) == table.total


@pytest.fixture
def cases(session, investigator, system):
    """Two national seizures, one deleted, one received; persons with nationalities."""
    kz_uz = create_person(session, investigator, person_data())
    fr = create_person(session, investigator, person_data(nationalities=["FR"], documents=[]))
    s1 = record_seizure(
        session,
        investigator,
        seizure_data(
            occurred_at=DAY.isoformat(),
            transit_countries=["KZ", "UZ", "KZ"],
            concealment_methods=["built_in_compartment", "fuel_tank"],
        ),
    )
    s2 = record_seizure(
        session,
        investigator,
        seizure_data(
            occurred_at=(DAY + timedelta(days=40)).isoformat(),
            transport_mode="air",
            departure_country="DE",
            transit_countries=[],
            destination_country="NL",
            concealment_methods=["built_in_compartment"],
            items=[
                {"commodity_group": "drugs", "hs_code": "2939.72", "quantity": "5", "unit": "kg"},
                {"commodity_group": "drugs", "quantity": "500", "unit": "g"},
                {"commodity_group": "tobacco", "quantity": "3", "unit": "cartons"},
            ],
        ),
    )
    gone = record_seizure(session, investigator, seizure_data(occurred_at=DAY.isoformat()))
    delete_seizure(session, system, gone.id, gone.version)
    received = import_foreign_seizure(
        session,
        system,
        seizure_data(
            reference="FR-1",
            status="validated",
            occurred_at=(DAY - timedelta(days=400)).isoformat(),
            persons=[{"id": str(kz_uz.id), "role": "courier", "note": None}],
        ),
        Provenance("fr-ncen", "s-1", uuid.uuid4()),
    )
    link_entity(
        session, investigator, s1.id, s1.version, kind="person", target_id=kz_uz.id, role="driver"
    )
    link_entity(
        session, investigator, s2.id, s2.version, kind="person", target_id=fr.id, role="courier"
    )
    session.flush()
    return {"s1": s1, "s2": s2, "received": received, "kz_uz": kz_uz, "fr": fr}


FILTERS = [
    StatsFilters(),
    StatsFilters(facets=(("provenance", "received"),)),
    StatsFilters(facets=(("provenance", "national"),)),
    StatsFilters(date_from=DAY.date(), date_to=(DAY + timedelta(days=40)).date()),
    # Whole months: the rollup path (March and April 2026; the received one is in 2025).
    StatsFilters(date_from=date(2026, 3, 1), date_to=date(2026, 4, 30)),
    StatsFilters(date_from=date(2025, 2, 1), facets=(("provenance", "received"),)),
    StatsFilters(facets=(("commodity", "tobacco"),)),
    StatsFilters(facets=(("route", "KZ"), ("concealment", "built_in_compartment"))),
    StatsFilters(facets=(("transit", "KZ"),)),
]


def _check_everything(session, actor) -> None:
    for filters in FILTERS:
        for name in DIMENSIONS:
            _check(session, tabulate(session, actor, filters, (name,)))
        # The page's panels share one selection of seizures: same numbers.
        panels = [(name,) for name in DIMENSIONS] + [("departure", "destination")]
        for table in tabulate_panels(session, actor, filters, panels):
            alone = tabulate(session, actor, filters, table.by)
            assert [(r.values, r.seizures, r.quantities) for r in table.rows] == [
                (r.values, r.seizures, r.quantities) for r in alone.rows
            ]
            assert table.total == alone.total
    for by in (("commodity", "month"), ("departure", "destination"), ("transit", "nationality")):
        _check(session, tabulate(session, actor, StatsFilters(), by))
        _check(session, tabulate(session, actor, FILTERS[5], by))


def test_numbers_equal_their_lists_as_records_change(session, analyst, investigator, system, cases):
    refresh_statistics(session)
    _check_everything(session, analyst)
    by_transit = {
        r.values: r.seizures for r in tabulate(session, analyst, StatsFilters(), ("transit",)).rows
    }
    assert by_transit == {("KZ",): 2, ("UZ",): 1}  # once per value, the repeated KZ once
    nationality = tabulate(session, analyst, StatsFilters(), ("nationality",))
    assert {r.values: r.seizures for r in nationality.rows} == {
        ("KZ",): 2,
        ("UZ",): 2,
        ("FR",): 1,
    }
    assert tabulate(session, analyst, StatsFilters(), ("month",)).total == 3  # deleted: never

    # Changes: a route edited, a person deleted, a nationality changed, a seizure deleted.
    s1 = session.get(Seizure, cases["s1"].id)
    update_seizure(
        session,
        investigator,
        s1.id,
        s1.version,
        seizure_data(occurred_at=DAY.isoformat(), transit_countries=["TR"]),
    )
    delete_person(session, system, cases["fr"].id, cases["fr"].version)
    kz_uz = cases["kz_uz"]
    update_person(session, investigator, kz_uz.id, kz_uz.version, person_data(nationalities=["TJ"]))
    s2 = session.get(Seizure, cases["s2"].id)
    delete_seizure(session, system, s2.id, s2.version)
    session.flush()
    assert session.scalar(select(func.count()).select_from(StatDirty)) >= 3
    refresh_statistics(session)
    assert statistics_freshness(session).pending == 0
    _check_everything(session, analyst)
    nationality = tabulate(session, analyst, StatsFilters(), ("nationality",))
    assert {r.values: r.seizures for r in nationality.rows} == {("TJ",): 2}
    assert tabulate(session, analyst, StatsFilters(), ("month",)).total == 2


def _tables(session):
    facts = session.execute(text("SELECT * FROM stat_facts ORDER BY 1, 2, 3, 4")).all()
    rollup = session.execute(
        text("SELECT * FROM stat_rollup WHERE amount <> 0 ORDER BY 1, 2, 3, 4, 5")
    ).all()
    cross = session.execute(
        text("SELECT * FROM stat_cross WHERE amount <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7")
    ).all()
    return facts, rollup, cross


def test_a_rebuild_equals_the_incremental_refresh(session, system, cases):
    refresh_statistics(session)
    s2 = session.get(Seizure, cases["s2"].id)
    delete_seizure(session, system, s2.id, s2.version)
    session.flush()
    refresh_statistics(session)
    incremental = _tables(session)
    assert incremental[0]
    assert incremental[1]
    assert incremental[2]
    assert rebuild_statistics(session) == 2
    assert _tables(session) == incremental


def test_rollup_and_facts_agree_and_quantities_convert(session, analyst, cases):
    refresh_statistics(session)
    national = StatsFilters(facets=(("provenance", "national"),))
    fast = tabulate(session, analyst, national, ("commodity",))
    # A filter-bar facet that every national seizure has: the per-filter rollup.
    road = StatsFilters(facets=(*national.facets, ("transport", "road")))
    by_road = tabulate(session, analyst, road, ("commodity",))
    # Two facets: the selected seizures, read from their facts or (here, where one seizure is
    # a large share of three) from the base tables.
    slow = tabulate(
        session, analyst, StatsFilters(facets=(*road.facets, ("route", "CN"))), ("commodity",)
    )
    assert fast.source == "rollup"
    assert by_road.source == "filter rollup"
    assert slow.source in {"facts", "base tables"}
    months = StatsFilters(date_from=date(2026, 3, 1), date_to=date(2026, 4, 30))
    assert tabulate(session, analyst, months, ("commodity",)).source == "rollup"
    inside = StatsFilters(date_from=date(2026, 3, 2), date_to=date(2026, 4, 30))
    # Whole April from the rollup, 2-31 March from the selected seizures.
    assert tabulate(session, analyst, inside, ("commodity",)).source.startswith("rollup + ")
    drugs = next(r for r in fast.rows if r.values == ("drugs",))
    assert drugs.quantities == {"kg": Decimal("5.5")}  # 5 kg + 500 g
    tobacco = next(r for r in fast.rows if r.values == ("tobacco",))
    assert tobacco.quantities == {"pieces": Decimal(12000), "sticks": Decimal(600)}
    by_mode = tabulate(session, analyst, national, ("transport",))
    air = next(r for r in by_mode.rows if r.values == ("air",))
    assert air.quantities == {"kg": Decimal("5.5"), "sticks": Decimal(600)}
    for name in DIMENSIONS:
        rollup = tabulate(session, analyst, StatsFilters(), (name,))
        facts = tabulate(session, analyst, StatsFilters(facets=(("route", "CN"),)), (name,))
        assert rollup.source == "rollup"
        assert facts.source in {"filter rollup", "facts", "base tables"}
        # Seizures with CN on the route: s1 and the received one (not s2, DE -> NL).
        for row in facts.rows:
            assert row.seizures <= next(r.seizures for r in rollup.rows if r.values == row.values)


def test_statistics_need_the_right_and_refuse_bad_input(session, analyst, cases):
    auditor = Actor(user_id=uuid.uuid4(), username="auditor", roles=frozenset({Role.AUDITOR}))
    with pytest.raises(PermissionDeniedError):
        tabulate(session, auditor, StatsFilters(), ("month",))
    for bad in ("", "nope", "month,month", "a,b,c", "commodity\x00"):
        with pytest.raises(ValidationError):
            parse_by(bad)
    for args in (
        ("2026-13-01", None, []),
        ("99999999-01-01", None, []),
        ("2026-02-01", "2026-01-01", []),
        (None, None, ["colour:red"]),
        (None, None, ["route:K\x00Z"]),
        (None, None, ["route:" + "X" * 500]),
        (None, None, ["hs_chapter:9999"]),
    ):
        with pytest.raises(ValidationError):
            parse_filters(*args)
    assert parse_by("commodity,month") == ("commodity", "month")


def test_a_seizure_removed_for_good_leaves_no_count(session, analyst, cases):
    refresh_statistics(session)
    session.execute(delete(Seizure).where(Seizure.id == cases["received"].id))
    session.flush()
    refresh_statistics(session)
    _check_everything(session, analyst)
    assert tabulate(session, analyst, StatsFilters(), ("provenance",)).total == 2
    assert not tabulate(session, analyst, FILTERS[1], ("provenance",)).rows


def test_a_page_does_not_wait_behind_another_refresher(session, engine, cases):
    from sqlalchemy.orm import Session

    session.flush()
    with Session(engine) as other, other.begin():
        other.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": rollups_lock_key()})
        assert refresh_statistics(session, limit=10, wait=False) == 0
    pending = statistics_freshness(session).pending
    assert pending == 4  # the three live seizures and the deleted one
    assert refresh_statistics(session, limit=10, wait=False) == pending


def rollups_lock_key() -> int:
    from ncen.analysis import rollups

    return rollups._LOCK_KEY  # the test holds the refreshers' lock on purpose


def test_the_application_role_keeps_least_privilege(session):
    """The statistics need no ownership: the app role refreshes with plain DML."""
    check_least_privilege(session.connection())
    owners = session.execute(
        text(
            "SELECT DISTINCT pg_get_userbyid(relowner) = current_user FROM pg_class"
            " WHERE relname IN ('stat_facts', 'stat_rollup', 'stat_cross', 'stat_dirty')"
        )
    ).scalars()
    assert list(owners) == [False]
