"""Row generators for synthetic records. Pure functions of a seeded `random.Random`.

Each generator returns plain tuples in the column order of `ncen.demo.bulk.COLUMNS`, plus the
snapshot that goes into the record's first history version, so a bulk load looks exactly like
records created one by one through the services (minus one audit event per record: the load is
audited as one event).
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ncen import identifiers
from ncen.demo import profiles
from ncen.demo.cast import HUB_EVERY
from ncen.demo.names import COMPANY_STEMS, LEGAL_FORMS, POOLS, NamePool
from ncen.demo.profiles import Goods
from ncen.errors import InvalidIdentifierError
from ncen.search.keys import company_name_keys, person_name_keys

Rows = dict[str, list[tuple[Any, ...]]]

KIND_PERSON, KIND_COMPANY, KIND_CONVEYANCE, KIND_SEIZURE = 1, 2, 3, 4

# commodity group -> the goods a demo seizure of it holds. Each is counted in the unit officers
# count it in (cigarettes in sticks, drugs in kilograms, pills in tablets), and its quantity is
# drawn between the bounds of a plausible seizure of it: never 40,000 tablets of cocaine nor
# 50,000 antique manuscripts (tests/integration/test_demo_consistency.py holds the demo to it).
GOODS: dict[str, tuple[Goods, ...]] = {
    "tobacco": (
        Goods("240220", "Cigarettes", "sticks", 0.3, 2_000, 2_000_000),
        Goods("240311", "Water-pipe tobacco", "kg", 40, 1, 2_000),
    ),
    "drugs": (
        Goods("293911", "Heroin", "kg", 30000, 0.1, 50),
        Goods("121190", "Cannabis herb", "kg", 2000, 0.5, 1_500),
        Goods("293991", "Cocaine", "kg", 45000, 0.1, 100),
    ),
    "alcohol": (
        Goods("220830", "Whisky", "l", 20, 5, 10_000),
        Goods("220860", "Vodka", "l", 8, 5, 20_000),
    ),
    "ipr": (
        Goods("640399", "Counterfeit sports shoes", "pairs", 25, 20, 20_000),
        Goods("851713", "Fake phones", "pieces", 60, 5, 5_000),
    ),
    "cites": (
        Goods("050790", "Ivory pieces", "kg", 1500, 0.5, 200),
        Goods("030289", "Sturgeon caviar", "kg", 900, 0.5, 300),
    ),
    "weapons_ammunition": (
        Goods("930120", "Rocket launchers parts", "pieces", 800, 1, 20),
        Goods("930630", "Cartridges", "pieces", 1, 50, 50_000),
    ),
    "currency": (Goods("490700", "Undeclared banknotes", "pieces", 100, 100, 50_000),),
    "precursors": (Goods("291462", "Acetic anhydride", "l", 15, 20, 20_000),),
    "medicines": (Goods("300490", "Tramadol tablets", "tablets", 0.5, 500, 200_000),),
    "cultural_heritage": (Goods("970600", "Antique manuscripts", "pieces", 5000, 1, 30),),
    "hazardous_waste_ods": (Goods("382478", "Ozone-depleting refrigerant", "kg", 30, 10, 5_000),),
    "commercial_fraud": (Goods("610910", "Undervalued T-shirts", "pieces", 4, 500, 100_000),),
    "other_security": (Goods("360200", "Explosive charges", "kg", 200, 0.5, 50),),
}
GROUP_WEIGHTS = {
    "tobacco": 30,
    "drugs": 25,
    "ipr": 12,
    "alcohol": 8,
    "cites": 4,
    "currency": 5,
    "weapons_ammunition": 3,
    "precursors": 2,
    "medicines": 5,
    "cultural_heritage": 1,
    "hazardous_waste_ods": 1,
    "commercial_fraud": 3,
    "other_security": 1,
}
COUNTRIES = (
    "CN",
    "KZ",
    "KG",
    "UZ",
    "TJ",
    "AF",
    "PK",
    "IR",
    "RU",
    "TR",
    "AZ",
    "GE",
    "DE",
    "PL",
    "AE",
)
TECHNIQUES = (
    "xray_scanner",
    "detector_dog",
    "physical_examination",
    "document_analysis",
    "trace_detection",
    "fibrescope",
)
PERSON_ROLES = ("offender", "courier", "driver", "passenger", "owner", "consignee", "organiser")
COMPANY_ROLES = ("importer", "exporter", "carrier", "consignee", "forwarder", "customs_broker")


def demo_id(prefix: int, kind: int, index: int) -> uuid.UUID:
    """A record id derived from the run prefix, so links need no id table in memory."""
    return uuid.UUID(int=(prefix << 64) | (kind << 56) | index)


def _pick_pool(rng: random.Random) -> NamePool:
    pool: NamePool = rng.choices([p for p, _ in POOLS], [w for _, w in POOLS])[0]
    return pool


def _with_check_digit(body: str, check: Callable[[str], str]) -> str:
    for digit in "0123456789":
        try:
            return check(body + digit)
        except InvalidIdentifierError:
            continue
    raise AssertionError(f"no check digit makes {body} valid")


def person_rows(rng: random.Random, prefix: int, index: int, now: datetime, rows: Rows) -> None:
    """Append one person with names, nationality, passport and first version to ``rows``."""
    pid = demo_id(prefix, KIND_PERSON, index)
    pool = _pick_pool(rng)
    male = rng.random() < 0.8
    given = rng.choice(pool.male if male else pool.female)
    family = rng.choice(pool.family_male if male else pool.family_female)
    patronymics = pool.patronymic_male if male else pool.patronymic_female
    patronymic = rng.choice(patronymics) if patronymics and rng.random() < 0.7 else None
    names = []
    for script_index, script in ((0, pool.script), (1, "Latn")):
        g, f = given[script_index], family[script_index]
        p = patronymic[script_index] if patronymic else None
        if pool.family_first:
            parts = [f, g] + ([p] if p else [])
            full = pool.joiner.join(parts) if script_index == 0 else " ".join([f.upper(), g])
        else:
            full = " ".join([g] + ([p] if p else []) + [f])
        kind = "primary" if script_index == 0 else "transliteration"
        if script_index == 1 and pool.script == "Latn":
            if given[0] == given[1] and family[0] == family[1]:
                continue
            kind = "alias"
        names.append((kind, full, g, f, p, script))
    year = rng.randint(1955, 2004)
    month = rng.randint(1, 12) if rng.random() < 0.9 else None
    day = rng.randint(1, 28) if month and rng.random() < 0.85 else None
    nationality = rng.choice(pool.nationalities)
    gender = "M" if male else "F"
    rows["persons"].append((pid, 1, gender, year, month, day, nationality, now, now))
    for position, (kind, full, g, f, p, script) in enumerate(names):
        keys = person_name_keys(full, p)
        rows["person_names"].append(
            (
                demo_id(prefix, 9, index * 4 + position),
                pid,
                position,
                kind,
                full,
                g,
                f,
                p,
                script,
                keys.text,
                list(keys.terms),
                list(keys.codes),
            )
        )
    rows["person_nationalities"].append((pid, nationality))
    documents = []
    if rng.random() < 0.75:
        number = f"{rng.choice('NPAK')}{rng.randint(1000000, 99999999)}"
        expires = date(now.year + rng.randint(-2, 9), rng.randint(1, 12), 1)
        rows["identity_documents"].append(
            (demo_id(prefix, 10, index), pid, "passport", number, number, nationality, expires)
        )
        documents.append(
            {
                "doc_type": "passport",
                "number": number,
                "issuing_country": nationality,
                "expires_on": expires.isoformat(),
            }
        )
    snapshot = {
        "gender": gender,
        "birth_year": year,
        "birth_month": month,
        "birth_day": day,
        "names": [{"kind": n[0], "full_name": n[1], "script": n[5]} for n in names],
        "nationalities": [nationality],
        "documents": documents,
        "handling_code": "H0",
    }
    rows["record_versions"].append(
        ("person", pid, 1, "create", now, "[demo]", "{}", json.dumps(snapshot))
    )


def company_rows(
    rng: random.Random, prefix: int, index: int, now: datetime, rows: Rows, *, persons: int = 0
) -> None:
    """Append one company with a native and a Latin name.

    Every other company gets a director among the ``persons`` generated before it (picked
    from the index, not from ``rng``: one per company, so no link is drawn twice).
    """
    cid = demo_id(prefix, KIND_COMPANY, index)
    if persons and index % 2 == 0:
        director = demo_id(prefix, KIND_PERSON, (index * 7919 + 13) % persons)
        rows["person_companies"].append((demo_id(prefix, 18, index), director, cid, "director"))
    stem = rng.choice(COMPANY_STEMS)
    form = rng.choice(LEGAL_FORMS)
    suffix = f" {index % 97 + 1}" if rng.random() < 0.5 else ""
    country = rng.choice(COUNTRIES)
    registration = f"{rng.randint(100000000000, 999999999999)}"
    rows["companies"].append((cid, 1, country, registration, registration, "none", now, now))
    names = [
        (
            f"{form[0]} «{stem[0]}{suffix}»"
            if form[0] in ("ТОО", "ООО", "АО")
            else f"{stem[0]}{suffix} {form[0]}"
        ),
        f"{stem[1]}{suffix} {form[1]}",
    ]
    for position, name in enumerate(dict.fromkeys(names)):
        kind = "primary" if position == 0 else "alias"
        script = (
            "Latn"
            if name.isascii()
            else (
                "Hani"
                if "公司" in name
                else "Cyrl"
                if any("а" <= c <= "я" or "А" <= c <= "Я" for c in name)
                else "Arab"
            )
        )
        keys = company_name_keys(name)
        rows["company_names"].append(
            (
                demo_id(prefix, 11, index * 2 + position),
                cid,
                position,
                kind,
                name,
                script,
                keys.text,
                list(keys.terms),
                list(keys.codes),
            )
        )
    snapshot = {"names": names, "country": country, "registration_number": registration}
    rows["record_versions"].append(
        ("company", cid, 1, "create", now, "[demo]", "{}", json.dumps(snapshot))
    )


def conveyance_rows(rng: random.Random, prefix: int, index: int, now: datetime, rows: Rows) -> None:
    """Append one vehicle (plate + VIN) or container with valid check digits."""
    vid = demo_id(prefix, KIND_CONVEYANCE, index)
    idents: list[tuple[str, str, str | None]] = []
    if rng.random() < 0.6:
        kind, name = (
            "vehicle",
            rng.choice(("MAN TGX truck", "Volvo FH truck", "Toyota Camry", "Kamaz 5490")),
        )
        country = rng.choice(("KZ", "KG", "UZ", "RU", "TR"))
        letters = "".join(rng.choices("ABCEHKMOPTX", k=3))
        plate = f"{rng.randint(100, 999)}{letters}{rng.randint(1, 20):02d}"
        idents.append(("plate", identifiers.check_plate(plate), country))
        body = "1M8GDM9A" if rng.random() < 0.5 else "1FTFW1ET"
        serial = f"{rng.choice('ABCDEFGHJ')}{rng.choice('PRSTVW')}{rng.randint(100000, 999999)}"
        for digit in "0123456789X":
            try:
                idents.append(("vin", identifiers.check_vin(body + digit + serial), None))
                break
            except InvalidIdentifierError:
                continue
    else:
        kind, name, country = "container", None, None
        owner = rng.choice(("CSQU", "MSCU", "TGHU", "MAEU", "CMAU"))
        number = _with_check_digit(
            f"{owner}{rng.randint(0, 999999):06d}", identifiers.check_container
        )
        idents.append(("container", number, None))
    rows["conveyances"].append((vid, 1, kind, name, country, now, now))
    for position, (ident_kind, value, ident_country) in enumerate(idents):
        rows["conveyance_identifiers"].append(
            (demo_id(prefix, 12, index * 2 + position), vid, ident_kind, value, ident_country)
        )
    snapshot = {
        "kind": kind,
        "name": name,
        "identifiers": [{"kind": k, "value": v} for k, v, _ in idents],
    }
    rows["record_versions"].append(
        ("conveyance", vid, 1, "create", now, "[demo]", "{}", json.dumps(snapshot))
    )


def seizure_rows(
    rng: random.Random,
    prefix: int,
    index: int,
    now: datetime,
    rows: Rows,
    *,
    persons: int,
    companies: int,
    conveyances: int,
    offices: tuple[str, ...],
    hub: uuid.UUID | None = None,
    first_number: int = 1,
) -> None:
    """Append one seizure with items, route, concealment and links to existing records.

    Times, routes, modes, offices, concealments and quantities follow `ncen.demo.profiles`.
    One seizure in `HUB_EVERY` also names ``hub`` (a planted company) as its carrier. The
    reference is ``DEMO-<year>-<first_number + index>``.
    """
    sid = demo_id(prefix, KIND_SEIZURE, index)
    occurred = profiles.occurred_at(rng, now)
    if index % OLD_CASE_EVERY == OLD_CASE_EVERY - 1:
        # A node has years of history: a few old cases are past their retention review date,
        # so the supervisor's review queue has work in the demo. (No extra draw from ``rng``:
        # the rest of the demo data stays what it was.)
        occurred -= timedelta(days=365 * 4)
    mode, location, office, place = profiles.mode_and_office(rng, offices)
    status = rng.choices(("validated", "submitted", "draft"), (70, 20, 10))[0]
    groups = rng.choices(list(GROUP_WEIGHTS), list(GROUP_WEIGHTS.values()), k=rng.randint(1, 3))
    departure, transit, destination = profiles.route(rng, groups[0])
    concealment = profiles.pick(rng, profiles.CONCEALMENTS[mode])
    items = []
    for position, group in enumerate(dict.fromkeys(groups)):
        goods = rng.choice(GOODS[group])
        hs, description, unit = goods.hs_code, goods.description, goods.unit
        quantity = profiles.quantity(rng, goods)
        value = (quantity * Decimal(str(goods.price))).quantize(Decimal("0.01"))
        rows["seizure_items"].append(
            (
                demo_id(prefix, 13, index * 4 + position),
                sid,
                position,
                group,
                hs,
                description,
                quantity,
                unit,
                value,
                "USD",
            )
        )
        items.append(
            {
                "commodity_group": group,
                "hs_code": hs,
                "description": description,
                "quantity": str(quantity),
                "unit": unit,
            }
        )
    # The narrative names the first item as recorded (not another of its group's goods).
    first = items[0]
    amount = profiles.spoken_quantity(Decimal(first["quantity"]), first["unit"])
    named = first["description"].lower()
    # "6,000 tramadol tablets", "12,400 sticks of cigarettes", "3.25 kg of heroin".
    what = (
        f"{amount.split()[0]} {named}" if named.endswith(first["unit"]) else f"{amount} of {named}"
    )
    narrative = (
        f"{what.capitalize()} found at {place} "
        f"({concealment.replace('_', ' ')}) on a {mode.replace('_', ' ')} shipment from "
        f"{departure} to {destination}."
    )
    reference = f"DEMO-{occurred:%Y}-{first_number + index:07d}"
    rows["seizures"].append(
        (
            sid,
            1,
            reference,
            occurred,
            office,
            place,
            location,
            "import"
            if destination == profiles.HOME
            else "export"
            if departure == profiles.HOME
            else "transit",
            mode,
            profiles.pick(rng, profiles.DETECTIONS),
            rng.choice(TECHNIQUES),
            departure,
            destination,
            narrative,
            status,
            rng.choice("ABCX"),
            rng.randint(1, 4),
            now,
            now,
        )
    )
    for position, country in enumerate(transit):
        rows["seizure_transit_countries"].append((sid, position, country))
    rows["seizure_concealments"].append((sid, concealment))
    links: dict[str, list[dict[str, str]]] = {"persons": [], "companies": [], "conveyances": []}
    for n, person in enumerate(
        {rng.randrange(persons) for _ in range(rng.randint(1, 3))} if persons else ()
    ):
        pid = demo_id(prefix, KIND_PERSON, person)
        role = PERSON_ROLES[0] if n == 0 else rng.choice(PERSON_ROLES)
        rows["seizure_persons"].append((demo_id(prefix, 14, index * 4 + n), sid, pid, role))
        links["persons"].append({"id": str(pid), "role": role})
    if companies and rng.random() < 0.5:
        cid = demo_id(prefix, KIND_COMPANY, rng.randrange(companies))
        role = rng.choice(COMPANY_ROLES)
        rows["seizure_companies"].append((demo_id(prefix, 15, index), sid, cid, role))
        links["companies"].append({"id": str(cid), "role": role})
    if hub is not None and index % HUB_EVERY == 0:
        # No draw from ``rng``: adding the hub leaves the rest of the data as it was.
        rows["seizure_companies"].append((demo_id(prefix, 17, index), sid, hub, "carrier"))
        links["companies"].append({"id": str(hub), "role": "carrier"})
    if conveyances and rng.random() < 0.6:
        vid = demo_id(prefix, KIND_CONVEYANCE, rng.randrange(conveyances))
        rows["seizure_conveyances"].append(
            (demo_id(prefix, 16, index), sid, vid, "means_of_transport")
        )
        links["conveyances"].append({"id": str(vid), "role": "means_of_transport"})
    snapshot = {
        "reference": reference,
        "occurred_at": occurred.isoformat(),
        "status": status,
        "items": items,
        "narrative": narrative,
        **links,
    }
    rows["record_versions"].append(
        ("seizure", sid, 1, "create", now, "[demo]", "{}", json.dumps(snapshot))
    )


# One seizure in this many is four more years old (see `seizure_rows`).
OLD_CASE_EVERY = 40


def utc_now() -> datetime:
    """The load's timestamp, one for all rows."""
    return datetime.now(UTC)
