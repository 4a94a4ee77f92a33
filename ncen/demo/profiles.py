"""How the generated seizures are distributed, so that statistics look like a real node's.

A Kazakh node sees smuggling in patterns, not uniform noise: heroin comes from Afghanistan
and goes to Russia, counterfeits come from China, cigarettes from the Gulf and China; most
cases are on the road, a mail centre sees parcels and an airport sees suitcases; seizures peak
in late summer and grow year on year. Each function below draws one such choice from a
seeded `random.Random`, so charts by month, route country, transport mode, office,
concealment and quantity have shape, while staying reproducible from the seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final, NamedTuple

Weighted = Mapping[str, int]

# Transport mode -> weight; each mode's location type and offices. An office serves the
# location types in `OFFICE_LOCATIONS` only (a rail border station is no seaport): each mode's
# offices below serve its location type, and `mode_and_office` never picks another.
MODE_WEIGHTS: Final[Weighted] = {
    "road": 40, "air": 18, "rail": 13, "postal": 13, "express_courier": 10, "maritime": 6,
}  # fmt: skip
LOCATIONS: Final[Mapping[str, str]] = {
    "road": "land_border", "rail": "rail_border", "air": "airport", "maritime": "seaport",
    "postal": "postal_centre", "express_courier": "express_centre",
}  # fmt: skip
OFFICES: Final[Mapping[str, Weighted]] = {
    "road": {"KHORGOS": 5, "KORDAI": 3, "ZHIBEK-ZHOLY": 3},
    "rail": {"DOSTYK": 3, "ALTYNKOL": 2},
    "air": {"ALA-AIR": 1},
    "maritime": {"AKTAU-PORT": 1},
    "postal": {"POST-ALA": 1},
    "express_courier": {"ALA-AIR": 1},
}
OFFICE_LOCATIONS: Final[Mapping[str, frozenset[str]]] = {
    "KHORGOS": frozenset({"land_border"}),
    "KORDAI": frozenset({"land_border"}),
    "ZHIBEK-ZHOLY": frozenset({"land_border"}),
    "DOSTYK": frozenset({"rail_border"}),
    "ALTYNKOL": frozenset({"rail_border"}),
    "ALA-AIR": frozenset({"airport", "express_centre"}),
    "AKTAU-PORT": frozenset({"seaport"}),
    "POST-ALA": frozenset({"postal_centre"}),
}
# (office, location type) -> the place written on the seizure.
PLACES: Final[Mapping[tuple[str, str], str]] = {
    ("KHORGOS", "land_border"): "Khorgos", ("KORDAI", "land_border"): "Kordai",
    ("ZHIBEK-ZHOLY", "land_border"): "Zhibek Zholy", ("DOSTYK", "rail_border"): "Dostyk",
    ("ALTYNKOL", "rail_border"): "Altynkol", ("ALA-AIR", "airport"): "Almaty airport",
    ("ALA-AIR", "express_centre"): "Almaty airport express terminal",
    ("AKTAU-PORT", "seaport"): "Aktau seaport",
    ("POST-ALA", "postal_centre"): "Almaty postal centre",
}  # fmt: skip
CONCEALMENTS: Final[Mapping[str, Weighted]] = {
    "road": {"built_in_compartment": 5, "within_cargo": 5, "natural_vehicle_cavity": 4,
             "fuel_tank": 2, "tyres": 2, "misdeclared": 3, "in_luggage": 1},
    "rail": {"within_cargo": 5, "container_structure": 3, "misdeclared": 4, "inside_goods": 2},
    "air": {"in_luggage": 5, "false_bottom_luggage": 3, "body_internal": 2,
            "strapped_to_body": 2, "in_clothing": 2, "swallowed": 1},
    "maritime": {"container_structure": 3, "within_cargo": 4, "misdeclared": 3,
                 "rip_on_rip_off": 1},
    "postal": {"postal_parcel": 6, "inside_goods": 3, "misdeclared": 2},
    "express_courier": {"postal_parcel": 5, "inside_goods": 3, "misdeclared": 3},
}  # fmt: skip
DETECTIONS: Final[Weighted] = {
    "risk_profiling": 25, "xray_scanner": 20, "routine_control": 15, "sniffer_dog": 10,
    "intelligence": 9, "documentary_check": 8, "random_check": 7, "tip_off": 4,
    "advance_information": 2,
}  # fmt: skip

# Commodity group -> (departure weights, destination weights). Groups not listed: anywhere.
ROUTES: Final[Mapping[str, tuple[Weighted, Weighted]]] = {
    "drugs": ({"AF": 40, "PK": 12, "IR": 12, "TJ": 12, "KG": 6, "TR": 4},
              {"RU": 45, "KZ": 20, "DE": 8, "TR": 8, "PL": 5, "BY": 4}),
    "precursors": ({"CN": 50, "DE": 10, "TR": 10, "RU": 10}, {"AF": 40, "TJ": 20, "PK": 15}),
    "medicines": ({"PK": 25, "TJ": 20, "CN": 20, "TR": 10, "IR": 10},
                  {"RU": 45, "KZ": 30, "UZ": 15}),
    "tobacco": ({"AE": 30, "CN": 25, "KG": 20, "BY": 10, "TR": 8},
                {"RU": 35, "KZ": 25, "PL": 20, "DE": 10, "UZ": 5}),
    "ipr": ({"CN": 60, "TR": 20, "AE": 10, "UZ": 5}, {"KZ": 40, "RU": 40, "KG": 10, "PL": 5}),
    "alcohol": ({"GE": 25, "RU": 20, "DE": 15, "TR": 15, "AE": 10},
                {"KZ": 50, "UZ": 20, "KG": 10, "TJ": 5}),
    "cites": ({"KZ": 30, "RU": 20, "AF": 10, "TJ": 10}, {"CN": 55, "AE": 20, "TR": 10}),
    "currency": ({"RU": 30, "KZ": 30, "UZ": 15, "CN": 10}, {"AE": 40, "TR": 30, "CN": 15}),
    "weapons_ammunition": ({"RU": 30, "TR": 20, "AF": 15, "UA": 10},
                           {"KZ": 30, "UZ": 20, "AF": 15, "KG": 10}),
    "commercial_fraud": ({"CN": 50, "TR": 20, "UZ": 10}, {"KZ": 60, "RU": 30}),
}  # fmt: skip
ANY_COUNTRY: Final[Weighted] = {
    "CN": 12, "RU": 12, "KG": 8, "UZ": 8, "TJ": 6, "AF": 4, "TR": 8, "AE": 6, "DE": 5,
    "PL": 4, "IR": 3, "AZ": 3, "GE": 3, "PK": 3,
}  # fmt: skip
# Countries a shipment crosses on its way through Central Asia, and how often.
CORRIDOR: Final[Weighted] = {"UZ": 5, "KG": 5, "TJ": 4, "RU": 4, "TM": 1, "AZ": 2, "GE": 1}
HOME: Final = "KZ"  # the demo node is Kazakh: every case touches Kazakhstan

# Relative seizure counts by calendar month: a late-summer peak, a winter low.
SEASON: Final = (0.7, 0.7, 0.85, 0.95, 1.05, 1.15, 1.25, 1.3, 1.2, 1.05, 0.95, 1.1)
TREND: Final = 0.45  # the oldest month has 45 % fewer seizures than the latest
SPAN_MINUTES: Final = 60 * 24 * 365 * 3


class Goods(NamedTuple):
    """Goods a demo seizure holds: HS subheading, description, the unit they are counted in,
    a value per unit in USD, and the smallest and largest plausible seizure of them."""

    hs_code: str
    description: str
    unit: str
    price: float
    low: float
    high: float


# Units counted in whole numbers; cigarettes are seized by the carton (200 sticks).
WHOLE_UNITS: Final = frozenset({"sticks", "pairs", "pieces", "tablets"})
STICKS_PER_CARTON: Final = 200


def pick(rng: random.Random, weights: Weighted) -> str:
    """One key of ``weights``, drawn in proportion to its weight."""
    return rng.choices(list(weights), list(weights.values()))[0]


def occurred_at(rng: random.Random, now: datetime) -> datetime:
    """A seizure time in the three years before ``now``, with seasons and a rising trend."""
    peak = max(SEASON)
    while True:
        minutes = rng.randint(60, SPAN_MINUTES)
        moment = now - timedelta(minutes=minutes)
        weight = SEASON[moment.month - 1] / peak * (1 - TREND * minutes / SPAN_MINUTES)
        if rng.random() < weight:
            return moment


def route(rng: random.Random, group: str) -> tuple[str, list[str], str]:
    """Departure, transit countries and destination for a seizure of ``group``.

    Kazakhstan is on every route (departure, destination or, otherwise, transit).
    """
    departures, destinations = ROUTES.get(group, (ANY_COUNTRY, ANY_COUNTRY))
    departure = pick(rng, departures)
    destination = pick(rng, destinations)
    while destination == departure:
        destination = pick(rng, ANY_COUNTRY)
    transit: list[str] = []
    for _ in range(rng.choice((0, 1, 1, 2))):
        country = pick(rng, CORRIDOR)
        if country not in (departure, destination, *transit):
            transit.append(country)
    if HOME not in (departure, destination, *transit):
        transit.insert(rng.randint(0, len(transit)), HOME)
    return departure, transit, destination


def mode_and_office(rng: random.Random, offices: Sequence[str]) -> tuple[str, str, str, str]:
    """Transport mode, location type, office (one of ``offices`` serving that location type,
    when there is one) and place of a seizure."""
    mode = pick(rng, MODE_WEIGHTS)
    location = LOCATIONS[mode]
    choices = {code: w for code, w in OFFICES[mode].items() if code in offices}
    if choices:
        office = pick(rng, choices)
    else:  # a node without this mode's offices: any of its own that serves the location
        serving = [code for code in offices if location in OFFICE_LOCATIONS.get(code, ())]
        office = rng.choice(serving or list(offices))
    return mode, location, office, PLACES.get((office, location), office)


def quantity(rng: random.Random, goods: Goods) -> Decimal:
    """A seized quantity of ``goods``: log-uniform between its bounds (most seizures small, a
    few huge); whole for countable units, whole cartons of cigarettes."""
    value = math.exp(rng.uniform(math.log(goods.low), math.log(goods.high)))
    if goods.unit not in WHOLE_UNITS:
        return Decimal(f"{value:.3f}")
    if goods.unit == "sticks":
        cartons = max(1, round(value / STICKS_PER_CARTON))
        return Decimal(cartons * STICKS_PER_CARTON)
    return Decimal(max(1, round(value)))


def spoken_quantity(amount: Decimal, unit: str) -> str:
    """``amount`` of ``unit`` as an English narrative writes it: "12,400 sticks", "3.25 kg"."""
    number = f"{amount:,.3f}".rstrip("0").rstrip(".") if amount % 1 else f"{amount:,.0f}"
    return f"{number} {'litres' if unit == 'l' else unit}"
