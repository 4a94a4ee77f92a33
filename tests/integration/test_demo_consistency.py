"""The demo data tells a consistent story, because a newcomer reads it first:

- the customs office and the place agree: each office serves its own location types (a rail
  border station is no seaport), and the location type is the transport mode's;
- the route agrees with the direction: an import ends in the node's country, an export starts
  there, a transit crosses it (the node seizes only what passes through its country);
- quantities fit the commodity: each item is counted in the unit of its goods (cigarettes in
  sticks, by whole cartons; drugs in kilograms; pills in tablets) and within a plausible range.

Checked over a load of generated seizures plus every planted one (rings A and B, the hub)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.demo import profiles
from ncen.demo.load import DEMO_OFFICES, DemoPlan, load_demo_into
from ncen.demo.records import GOODS
from ncen.seizures.models import Seizure, SeizureItem

PLAN = DemoPlan(persons=60, seizures=400, seed=11)


@pytest.fixture
def demo(session: Session) -> list[Seizure]:
    load_demo_into(session, PLAN)
    seizures = list(session.execute(select(Seizure)).scalars())
    assert len(seizures) >= PLAN.seizures
    return seizures


def test_office_and_place_agree(demo: list[Seizure]) -> None:
    offices = {code for code, *_ in DEMO_OFFICES}
    checked = 0
    for seizure in demo:
        if seizure.origin_node is not None:
            continue  # a foreign record: seized at the other node's own post
        assert seizure.office_code in offices, seizure.reference
        assert seizure.location_type == profiles.LOCATIONS[seizure.transport_mode], (
            seizure.reference,
            seizure.transport_mode,
            seizure.location_type,
        )
        served = profiles.OFFICE_LOCATIONS[seizure.office_code]
        assert seizure.location_type in served, (
            seizure.reference,
            seizure.office_code,
            seizure.location_type,
        )
        place = profiles.PLACES[(seizure.office_code, seizure.location_type)]
        assert seizure.place == place, (seizure.reference, seizure.place, place)
        checked += 1
    assert checked >= PLAN.seizures


def test_route_agrees_with_direction(demo: list[Seizure]) -> None:
    home = profiles.HOME
    directions = set()
    for seizure in demo:
        if seizure.origin_node is not None:
            continue
        transit = [t.country for t in seizure.transit_countries]
        route = (seizure.departure_country, transit, seizure.destination_country)
        direction = seizure.direction.value
        directions.add(direction)
        if direction == "import":
            assert seizure.destination_country == home, (seizure.reference, route)
            assert seizure.departure_country != home, (seizure.reference, route)
        elif direction == "export":
            assert seizure.departure_country == home, (seizure.reference, route)
            assert seizure.destination_country != home, (seizure.reference, route)
        else:
            assert direction == "transit", seizure.reference
            assert home in transit, (seizure.reference, route)
            assert home not in (seizure.departure_country, seizure.destination_country)
    assert directions == {"import", "export", "transit"}


def test_quantities_fit_the_commodity(demo: list[Seizure]) -> None:
    goods = {g.description: (group, g) for group, entries in GOODS.items() for g in entries}
    items: list[SeizureItem] = [item for seizure in demo for item in seizure.items]
    assert len(items) > PLAN.seizures
    for item in items:
        assert item.description in goods, item.description
        group, expected = goods[item.description]
        what = (item.description, item.quantity, item.unit)
        assert item.commodity_group == group, what
        assert item.unit == expected.unit, what
        assert item.quantity is not None, what
        assert Decimal(str(expected.low)) <= item.quantity <= Decimal(str(expected.high)), what
        if item.unit in profiles.WHOLE_UNITS:
            assert item.quantity == item.quantity.to_integral_value(), what
        if item.unit == "sticks":
            assert item.quantity % profiles.STICKS_PER_CARTON == 0, what
    # The rules above are not vacuous: drugs are weighed, cigarettes counted by the thousand.
    by_unit = {(i.commodity_group, i.unit) for i in items}
    assert ("drugs", "kg") in by_unit
    assert ("tobacco", "sticks") in by_unit
    assert not any(i.commodity_group == "drugs" and i.unit == "tablets" for i in items)


def test_narratives_name_the_goods_recorded(demo: list[Seizure]) -> None:
    for seizure in demo:
        if seizure.origin_node is None and seizure.narrative:
            first = min(seizure.items, key=lambda i: i.position)
            assert first.description is not None
            said = seizure.narrative.lower()
            # Planted narratives may abbreviate ("heroin" for "Heroin"), never name other goods.
            assert first.description.lower().split()[0] in said, (seizure.reference, said)
