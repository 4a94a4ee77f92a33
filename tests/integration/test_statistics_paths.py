"""Every path of the statistics planner gives the naive GROUP BY's numbers, with filters.

On a small data set with national, received, deleted and multi-valued records, each panel of
the page is computed through every path that can answer it (monthly rollup, per-filter rollup,
the selected seizures' facts, the base tables), forced by building the plan by hand, and
compared with GROUP BY queries on the base tables over the seizures of the list
(`ncen.seizures.queries.list_statement`, the rules the drill-down shows). Then a seizure is
edited, deleted and restored, and the page's numbers follow after each refresh.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from ncen.analysis.filters import StatsFilters
from ncen.analysis.planner import Plan, month_aligned, plan_statistics, select_seizures
from ncen.analysis.rollups import rebuild_statistics, refresh_statistics
from ncen.analysis.statistics import tabulate, tabulate_panels
from ncen.recordkeeping import set_deleted
from ncen.records import Provenance
from ncen.seizures.foreign import import_foreign_seizure
from ncen.seizures.models import Seizure
from ncen.seizures.queries import SeizureFilters, list_statement
from ncen.seizures.services import RECORD_TYPE, delete_seizure, record_seizure, update_seizure
from ncen.seizures.snapshots import snapshot
from tests.factories import seizure_data

DAY = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
PANELS = [
    ("commodity",),
    ("month",),
    ("departure", "destination"),
    ("route",),
    ("transport",),
    ("concealment",),
]
# The same panels as naive GROUP BYs over the listed seizures (ids in :ids).
_NAIVE = {
    ("commodity",): "SELECT commodity_group, count(DISTINCT seizure_id) FROM seizure_items"
    " WHERE seizure_id = ANY(:ids) GROUP BY 1",
    ("month",): "SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM'), count(*)"
    " FROM seizures WHERE id = ANY(:ids) GROUP BY 1",
    ("departure", "destination"): "SELECT departure_country, destination_country, count(*)"
    " FROM seizures WHERE id = ANY(:ids) AND departure_country IS NOT NULL"
    " AND destination_country IS NOT NULL GROUP BY 1, 2",
    ("route",): "SELECT c, count(*) FROM (SELECT id, departure_country c FROM seizures"
    " WHERE id = ANY(:ids) UNION SELECT id, destination_country FROM seizures"
    " WHERE id = ANY(:ids) UNION SELECT seizure_id, country FROM seizure_transit_countries"
    " WHERE seizure_id = ANY(:ids)) r WHERE c IS NOT NULL GROUP BY 1",
    ("transport",): "SELECT transport_mode, count(*) FROM seizures WHERE id = ANY(:ids)"
    " AND transport_mode IS NOT NULL GROUP BY 1",
    ("concealment",): "SELECT method, count(DISTINCT seizure_id) FROM seizure_concealments"
    " WHERE seizure_id = ANY(:ids) GROUP BY 1",
}
FILTERS = [
    StatsFilters(),
    StatsFilters(date_from=date(2026, 3, 1), date_to=date(2026, 4, 30)),
    StatsFilters(date_from=date(2026, 3, 2), date_to=date(2026, 4, 20)),
    StatsFilters(facets=(("commodity", "tobacco"),)),
    StatsFilters(facets=(("route", "KZ"),)),
    StatsFilters(facets=(("route", "KZ"), ("provenance", "received"))),
    StatsFilters(facets=(("transport", "road"),), date_from=date(2026, 3, 1)),
    StatsFilters(facets=(("office", "XX-NONE"),)),
    StatsFilters(facets=(("commodity", "tobacco"), ("route", "KZ"))),
    StatsFilters(facets=(("concealment", "fuel_tank"),)),
    StatsFilters(facets=(("commodity", "drugs"), ("transit", "KZ")), date_to=date(2026, 4, 20)),
    # Whole April from a rollup, 10-31 March and 1-5 May from the selected seizures.
    StatsFilters(date_from=date(2026, 3, 10), date_to=date(2026, 5, 5)),
    StatsFilters(date_from=date(2026, 3, 10), facets=(("commodity", "tobacco"),)),
]


def _naive(session, filters: StatsFilters) -> dict[tuple[str, ...], dict[tuple[str, ...], int]]:
    listed = SeizureFilters(
        date_from=filters.date_from, date_to=filters.date_to, facets=filters.facets
    )
    ids = list(session.scalars(select(list_statement(listed).subquery().c.id)))
    out = {}
    for by, sql in _NAIVE.items():
        rows = session.execute(text(sql), {"ids": ids}).all()
        out[by] = {tuple(str(v) for v in r[:-1]): r[-1] for r in rows}
    out[("total",)] = {(): len(ids)}
    return out


def _plans(session, filters: StatsFilters) -> dict[str, Plan]:
    """Every plan that can answer ``filters``, built by hand (the planner picks one)."""
    provenance = [v for d, v in filters.facets if d == "provenance"]
    is_foreign = (provenance[0] == "received") if provenance else None
    others = [f for f in filters.facets if f[0] != "provenance"]
    plans = {}
    if month_aligned(filters) and len(provenance) <= 1:
        if not others:
            plans["rollup"] = Plan(filters, is_foreign, rollup=True, cross=None)
        elif len(others) == 1 and others[0][0] in {"commodity", "route", "office", "transport"}:
            plans["filter rollup"] = Plan(filters, is_foreign, rollup=False, cross=others[0])
    if filters.facets:
        ids = select_seizures(session, filters)
        plans["facts"] = Plan(filters, is_foreign, False, None, ids, live=10**9)
        plans["base tables"] = Plan(filters, is_foreign, False, None, ids, live=0)
    else:
        plans["facts"] = Plan(filters, is_foreign, rollup=False, cross=None)
    return plans


def _shown(table) -> dict[tuple[str, ...], Any]:
    return {r.values: (r.seizures, r.quantities) for r in table.rows}


def _check_paths(session, actor) -> None:
    for filters in FILTERS:
        want = _naive(session, filters)
        results = {}
        for name, plan in _plans(session, filters).items():
            for by in PANELS:
                if plan.path(by) != name and not (name == "base tables" and not plan.selection):
                    continue
                table = tabulate(session, actor, filters, by, plan=plan)
                counts = {r.values: r.seizures for r in table.rows}
                assert counts == want[by], (filters, by, name)
                assert table.total == want[("total",)][()], (filters, by, name)
                results.setdefault(by, []).append((name, _shown(table)))
        for by, shown in results.items():  # quantities too: every path agrees
            assert all(s == shown[0][1] for _n, s in shown), (filters, by, shown)
        picked = tabulate_panels(session, actor, filters, PANELS)
        assert [{r.values: r.seizures for r in t.rows} for t in picked] == [
            want[by] for by in PANELS
        ]


@pytest.fixture
def data(session, investigator, system):
    made = []
    for n in range(12):
        made.append(
            record_seizure(
                session,
                investigator,
                seizure_data(
                    occurred_at=(DAY + timedelta(days=4 * n)).isoformat(),
                    transport_mode=("road", "air", "rail")[n % 3],
                    departure_country=("CN", "DE", "PK")[n % 3],
                    destination_country=("NL", "NL", "FR", None)[n % 4],
                    transit_countries=[["KZ"], ["KZ", "UZ"], []][n % 3],
                    concealment_methods=[["fuel_tank"], [], ["built_in_compartment"]][n % 3],
                    items=[
                        {"commodity_group": "tobacco", "quantity": str(n + 1), "unit": "cartons"},
                        {"commodity_group": ("drugs", "alcohol")[n % 2], "quantity": "2",
                         "unit": "kg", "hs_code": "2939.72"},
                    ][: 1 + n % 2],
                ),
            )
        )  # fmt: skip
    gone = made.pop()
    delete_seizure(session, system, gone.id, gone.version)
    import_foreign_seizure(
        session,
        system,
        seizure_data(reference="FR-9", status="validated", occurred_at=DAY.isoformat()),
        Provenance("fr-ncen", "s-9", uuid.uuid4()),
    )
    session.flush()
    return made


def test_every_path_equals_the_naive_group_by(session, analyst, data):
    refresh_statistics(session)
    _check_paths(session, analyst)
    assert rebuild_statistics(session) == 12  # eleven live national and one received
    _check_paths(session, analyst)


def test_the_planner_picks_the_cheapest_path(session, analyst, data):
    refresh_statistics(session)
    sources = {
        filters: [t.source for t in tabulate_panels(session, analyst, filters, PANELS)]
        for filters in FILTERS[:5] + FILTERS[8:]
    }
    assert sources[FILTERS[0]] == ["rollup"] * 6  # the route flow too: a pair dimension
    assert sources[FILTERS[1]] == ["rollup"] * 6
    # Not a whole month inside: the seizures of the range (a large share of 12 here).
    assert set(sources[FILTERS[2]]) <= {"facts", "base tables"}
    # Whole months from a rollup, each partial month by its own selection.
    assert all(s.startswith("rollup + ") for s in sources[FILTERS[11]])
    assert all(s.startswith("filter rollup + ") for s in sources[FILTERS[12]])
    assert sources[FILTERS[3]] == ["filter rollup"] * 6
    assert sources[FILTERS[4]] == ["filter rollup"] * 6
    # Two facets select their seizures; 12 live seizures make any selection "large".
    assert set(sources[FILTERS[8]]) <= {"facts", "base tables"}
    plan = plan_statistics(session, FILTERS[8], PANELS)
    assert plan.selection is not None
    assert plan.path(PANELS[0]) == ("base tables" if plan.selection else "facts")


def test_the_page_follows_an_edit_a_deletion_and_a_restore(session, analyst, system, data):
    tobacco = StatsFilters(facets=(("commodity", "tobacco"),))

    def numbers() -> list[dict[tuple[str, ...], int]]:
        refresh_statistics(session)
        return [
            {r.values: r.seizures for r in t.rows}
            for t in tabulate_panels(session, analyst, tobacco, PANELS)
        ]

    before = numbers()
    first = session.get(Seizure, data[0].id)
    assert first.transport_mode == "road"
    changed = seizure_data(
        occurred_at=DAY.isoformat(),
        transport_mode="postal",
        departure_country="CN",
        destination_country="NL",
        transit_countries=["KZ"],
        concealment_methods=["fuel_tank"],
        items=[{"commodity_group": "tobacco", "quantity": "1", "unit": "cartons"}],
    )
    update_seizure(session, system, first.id, first.version, changed)
    session.flush()
    edited = numbers()
    assert edited[4][("postal",)] == 1
    assert edited[4][("road",)] == before[4][("road",)] - 1
    delete_seizure(session, system, first.id, first.version)
    session.flush()
    deleted = numbers()
    assert deleted[4].get(("postal",), 0) == 0
    assert sum(deleted[1].values()) == sum(before[1].values()) - 1
    # A restore (no seizure service offers one yet: the record-keeping rule the persons use).
    set_deleted(
        session,
        system,
        Seizure,
        first.id,
        first.version,
        record_type=RECORD_TYPE,
        snapshot=lambda s: snapshot(session, s),
        deleted=False,
    )
    session.flush()
    assert numbers() == edited
    _check_paths(session, analyst)
