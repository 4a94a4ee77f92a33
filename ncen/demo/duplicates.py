"""Planted true duplicates of the demo data: one person recorded twice, in known ways.

Real registers hold the same person twice: typed once from a Cyrillic passport and once from
a Latin visa, misspelt, with the birth date half remembered. The demo plants
`PAIRS_PER_KIND` such pairs of each `KINDS` (with fixed ids, like the networks of
`ncen.demo.rings`, and written in the same COPY batch), so that the duplicates page has true
duplicates to find and its precision and recall can be measured
(``benchmarks/bench_duplicates.py``):

- ``script``: the first record in its native script only (Cyrillic, Arabic or Chinese), the
  second in Latin only, same date of birth;
- ``typo``: the second record's family name with two letters swapped, same date of birth;
- ``document``: the second without its patronymic, family name first, birth year only, the
  same passport;
- ``contact``: the second in capitals, family name first, birth year and month only, the same
  phone;
- ``address``: the second without its patronymic and birth day, the same address;
- ``sparse``: the second with unknown gender and no nationality, same date of birth.

Every pair is drawn from the demo name pools with a fixed seed: the same in every database.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ncen.demo.cast import PERSONS as CAST
from ncen.demo.names import ARABIC, CHINESE, CYRILLIC, LATIN, NamePool
from ncen.demo.rings import planted_id
from ncen.persons.models import ContactKind
from ncen.persons.services import _normalise_contact as normalise_contact
from ncen.search.keys import person_name_keys

Rows = dict[str, list[tuple[Any, ...]]]
KINDS = ("script", "typo", "document", "contact", "address", "sparse")
PAIRS_PER_KIND = 6
_SEED = 150_2026
_NATIVE_POOLS = (CYRILLIC, CYRILLIC, ARABIC, CHINESE)
Name = tuple[str, str, str | None, str]  # full name, family, patronymic, script


@dataclass(frozen=True)
class Record:
    """One record of a planted pair, as the rows need it."""

    names: tuple[Name, ...]
    gender: str
    born: tuple[int, int | None, int | None]
    nationality: str | None
    passport: str | None = None
    phone: str | None = None
    address: tuple[str, str, str] | None = None


def duplicate_id(number: int, side: str) -> uuid.UUID:
    """The fixed id of side ``"a"`` or ``"b"`` of planted pair ``number``."""
    return planted_id(f"duplicate:{number}:{side}")


def known_duplicate_pairs() -> list[tuple[str, uuid.UUID, uuid.UUID]]:
    """(kind, first id, second id) of every true duplicate pair the demo plants: the pairs of
    this module and the ring organiser recorded twice (`ncen.demo.cast`)."""
    pairs = [
        (kind, duplicate_id(n, "a"), duplicate_id(n, "b"))
        for n, kind in enumerate(k for k in KINDS for _ in range(PAIRS_PER_KIND))
    ]
    organiser = [p.key for p in CAST if p.key in ("A1", "A8")]
    pairs.append(
        ("cast", planted_id(f"person:{organiser[0]}"), planted_id(f"person:{organiser[1]}"))
    )
    return pairs


def _swap(word: str, rng: random.Random) -> str:
    """Two different neighbouring inner letters swapped: the commonest typing slip."""
    places = [i for i in range(1, len(word) - 2) if word[i] != word[i + 1]]
    if not places:
        return word + word[-1]  # too short to swap: a doubled last letter instead
    i = rng.choice(places)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _pair(number: int, kind: str, rng: random.Random) -> tuple[Record, Record]:
    pool: NamePool = rng.choice(_NATIVE_POOLS if kind == "script" else (*_NATIVE_POOLS, LATIN))
    male = rng.random() < 0.75
    given = rng.choice(pool.male if male else pool.female)
    family = rng.choice(pool.family_male if male else pool.family_female)
    patronymics = pool.patronymic_male if male else pool.patronymic_female
    patronymic = rng.choice(patronymics) if patronymics else None
    born = (rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    nationality = rng.choice(pool.nationalities)
    gender = "M" if male else "F"

    def native(with_patronymic: bool = True) -> Name:
        p = patronymic[0] if patronymic and with_patronymic else None
        if pool.family_first:
            full = pool.joiner.join([family[0], given[0], *([p] if p else [])])
        else:
            full = " ".join([given[0], *([p] if p else []), family[0]])
        return (full, family[0], p, pool.script)

    latin: Name = (f"{given[1]} {family[1]}", family[1], None, "Latn")
    first = Record((native(), latin) if pool.script != "Latn" else (native(),), gender, born,
                   nationality)  # fmt: skip
    year, month, _ = born
    if kind == "script":
        first = Record((native(),), gender, born, nationality)
        return first, Record((latin,), gender, born, nationality)
    if kind == "typo":
        # The slip goes into the longer word: in a two-letter word it would be another name.
        if len(family[1]) >= len(given[1]):
            typed = (f"{given[1]} {_swap(family[1], rng)}", _swap(family[1], rng))
        else:
            typed = (f"{_swap(given[1], rng)} {family[1]}", family[1])
        return first, Record(((*typed, None, "Latn"),), gender, born, nationality)
    if kind == "document":
        passport = f"DP{4_100_000 + number * 37}"
        second = (f"{family[1]} {given[1]}", family[1], None, "Latn")
        return (
            Record(first.names, gender, born, nationality, passport=passport),
            Record((second,), gender, (year, None, None), nationality, passport=passport),
        )
    if kind == "contact":
        phone = f"+7 701 555 {number:02d} {number + 17:02d}"
        second = (f"{family[1].upper()} {given[1]}", family[1].upper(), None, "Latn")
        return (
            Record(first.names, gender, born, nationality, phone=phone),
            Record((second,), gender, (year, month, None), nationality, phone=phone),
        )
    if kind == "address":
        address = (f"ул. Абая {10 + number}, кв. {number * 3 + 1}", "Almaty", "KZ")
        return (
            Record(first.names, gender, born, nationality, address=address),
            Record((native(False),), gender, (year, month, None), nationality, address=address),
        )
    return first, Record((native(False),), "U", born, None)


def _rows(pid: uuid.UUID, record: Record, now: datetime, rows: Rows) -> None:
    year, month, day = record.born
    rows["persons"].append(
        (pid, 1, record.gender, year, month, day, record.nationality, None, None, None, None,
         None, now, now)
    )  # fmt: skip
    for position, (full, family, patronymic, script) in enumerate(record.names):
        keys = person_name_keys(full, patronymic)
        kind = "primary" if position == 0 else "transliteration"
        rows["person_names"].append(
            (planted_id(f"{pid}:name:{position}"), pid, position, kind, full, None, family,
             patronymic, script, keys.text, list(keys.terms), list(keys.codes))
        )  # fmt: skip
    if record.nationality:
        rows["person_nationalities"].append((pid, record.nationality))
    if record.passport:
        rows["identity_documents"].append(
            (planted_id(f"{pid}:passport"), pid, "passport", record.passport, record.passport,
             record.nationality, None)
        )  # fmt: skip
    if record.address:
        line, city, country = record.address
        rows["person_addresses"].append((planted_id(f"{pid}:address"), pid, line, city, country))
    if record.phone:
        norm = normalise_contact(ContactKind.PHONE, record.phone)
        rows["person_contacts"].append(
            (planted_id(f"{pid}:phone"), pid, "phone", record.phone, norm)
        )
    snapshot = {
        "gender": record.gender,
        "birth_year": year,
        "birth_month": month,
        "birth_day": day,
        "names": [{"full_name": n[0], "script": n[3]} for n in record.names],
        "nationalities": [record.nationality] if record.nationality else [],
        "documents": [{"doc_type": "passport", "number": record.passport}]
        if record.passport
        else [],
        "handling_code": "H0",
    }
    rows["record_versions"].append(
        ("person", pid, 1, "create", now, "[demo]", "{}", json.dumps(snapshot))
    )


def plant_duplicates(now: datetime, rows: Rows) -> int:
    """Append both records of every planted pair to ``rows`` (a batch of
    `ncen.demo.rings.PLANTED_COLUMNS`); return how many records."""
    rng = random.Random(_SEED)  # noqa: S311 - synthetic data, not security
    count = 0
    for number, kind in enumerate(k for k in KINDS for _ in range(PAIRS_PER_KIND)):
        for side, record in zip("ab", _pair(number, kind, rng), strict=True):
            _rows(duplicate_id(number, side), record, now, rows)
            count += 1
    return count
