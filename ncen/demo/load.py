"""The ``ncen demo`` use case: an administrator with a one-time password, plus synthetic data.

`load_demo_into` streams generated persons, companies, conveyances and seizures into
PostgreSQL with COPY (see `ncen.demo.bulk`) in the caller's transaction, reporting progress
through a callback, and records one audit event for the whole load; `load_demo` runs it in one
transaction of its own. The same transaction first plants the fixed networks of
`ncen.demo.cast` (once per database) and, when given a picture store, attaches their
concealment pictures through the picture services (`ncen.demo.gallery`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.accounts.passwords import generate_password
from ncen.accounts.services import create_user
from ncen.audit import record_event
from ncen.demo.bulk import copy_rows, empty_rows
from ncen.demo.duplicates import plant_duplicates
from ncen.demo.gallery import PICTURES, attach_demo_pictures
from ncen.demo.investigations import plant_investigations
from ncen.demo.records import (
    company_rows,
    conveyance_rows,
    person_rows,
    seizure_rows,
    utc_now,
)
from ncen.demo.rings import HUB_COMPANY_ID, PLANTED_COLUMNS, is_planted, plant_rows
from ncen.pictures.services import UploadLimits
from ncen.pictures.store import PictureStore
from ncen.reference.models import CustomsOffice
from ncen.targeting.demo import plant_profiles
from ncen.targeting.evaluation import scan_bulk_load as scan_profiles
from ncen.watch.matching import scan_bulk_load

BATCH = 20_000
Progress = Callable[[str, int], None]

DEMO_OFFICES = (
    ("KHORGOS", "Khorgos border post", "KZ", "KZKHG"),
    ("DOSTYK", "Dostyk rail border station", "KZ", None),
    ("ALTYNKOL", "Altynkol rail border station", "KZ", None),
    ("ALA-AIR", "Almaty international airport", "KZ", "KZALA"),
    ("AKTAU-PORT", "Aktau seaport", "KZ", "KZSCO"),
    ("POST-ALA", "Almaty international postal centre", "KZ", None),
    ("KORDAI", "Kordai border post", "KZ", None),
    ("ZHIBEK-ZHOLY", "Zhibek Zholy border post", "KZ", None),
)


@dataclass(frozen=True)
class DefaultLimits:
    """The upload limits of a node with default settings (`ncen.settings.Settings`)."""

    max_upload_mb: int = 20
    max_picture_pixels: int = 40_000_000


@dataclass(frozen=True)
class DemoPlan:
    """How much to generate. Companies and conveyances scale with seizures when not given."""

    persons: int = 5_000
    seizures: int = 10_000
    companies: int | None = None
    conveyances: int | None = None
    seed: int = 2026

    @property
    def company_count(self) -> int:
        """Companies to generate."""
        return self.companies if self.companies is not None else max(1, self.seizures // 5)

    @property
    def conveyance_count(self) -> int:
        """Conveyances to generate."""
        return self.conveyances if self.conveyances is not None else max(1, self.seizures // 2)


def ensure_admin(session: Session, username: str = "admin") -> tuple[str, str | None]:
    """Create the administrator ``username`` with a one-time password, unless it exists.

    Returns (username, password), the password None when the account existed (it keeps its
    password: a second ``ncen demo`` or ``serve --demo`` must not invalidate the one printed
    first). The password must be changed at first sign-in.
    """
    return ensure_demo_user(session, username, "Demo administrator", Role.ADMINISTRATOR)


def ensure_demo_user(
    session: Session, username: str, display_name: str, role: Role
) -> tuple[str, str | None]:
    """Create the demo account ``username`` holding ``role``, with a one-time password to change
    at first sign-in, unless it exists. Returns (username, password); the password is None for
    an existing account, which keeps its own (reset it with ``ncen user reset-password``).

    Besides the administrator, the demo makes an analyst: the administrator reads no nominal
    data, so without a second account a newcomer could open no chart, timeline or picture.
    """
    existing = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if existing is not None:
        return username, None
    password = generate_password()
    create_user(
        session,
        Actor.system("demo"),
        username=username,
        display_name=display_name,
        password=password,
        roles=[role],
    )
    return username, password


def ensure_offices(session: Session) -> tuple[str, ...]:
    """Create the demo customs offices if missing; return their codes."""
    for code, label, country, locode in DEMO_OFFICES:
        if session.get(CustomsOffice, code) is None:
            session.add(CustomsOffice(code=code, label=label, country=country, locode=locode))
    session.flush()
    return tuple(code for code, *_ in DEMO_OFFICES)


def load_demo(
    engine: Engine,
    plan: DemoPlan,
    progress: Progress | None = None,
    *,
    pictures: PictureStore | None = None,
    limits: UploadLimits | None = None,
) -> dict[str, int]:
    """`load_demo_into` a new session of ``engine``, in one transaction that commits at the end.

    Any error rolls the whole load back: no row of it is left (see `load_demo_into`).
    """
    with Session(engine) as session, session.begin():
        return load_demo_into(session, plan, progress, pictures=pictures, limits=limits)


def load_demo_into(
    session: Session,
    plan: DemoPlan,
    progress: Progress | None = None,
    *,
    pictures: PictureStore | None = None,
    limits: UploadLimits | None = None,
) -> dict[str, int]:
    """Generate and COPY ``plan``'s records in the session's transaction; return rows per kind.

    Calls ``progress(kind, n)`` after each batch of ``n`` records (kinds: ``planted``,
    ``persons``, ``companies``, ``conveyances``, ``seizures``, ``pictures``). Side effects:
    writes the planted networks unless the database has them (``counts["planted"]`` is then
    0), every generated record with its first history version, the planted pictures when
    ``pictures`` (a store) is given and the networks are new (files in the store, rows, audit
    and a version per picture, checked against ``limits``), the alerts of the watches the new
    records match, and one ``demo.load`` audit event. The caller owns the transaction: nothing
    is committed here. Files written before a rollback stay in the store unreferenced (see
    `ncen.pictures.services`).
    """
    rng = random.Random(plan.seed)  # noqa: S311 - synthetic data, not security
    prefix = random.SystemRandom().getrandbits(56)  # unique ids per load
    now = utc_now()
    report = progress or (lambda _kind, _n: None)
    offices = ensure_offices(session)
    raw = session.connection().connection.driver_connection
    assert raw is not None
    counts: dict[str, int] = {"planted": 0}
    total_rows = 0
    plant = not is_planted(session)
    if plant:
        planted = empty_rows(PLANTED_COLUMNS)
        counts["planted"] = plant_rows(now, planted)
        counts["duplicates"] = plant_duplicates(now, planted)  # true duplicates to find
        total_rows += copy_rows(raw, planted, PLANTED_COLUMNS)
        report("planted", counts["planted"])
    kinds: tuple[tuple[str, int, Callable[..., None], dict[str, Any]], ...] = (
        ("persons", plan.persons, person_rows, {}),
        ("companies", plan.company_count, company_rows, {"persons": plan.persons}),
        ("conveyances", plan.conveyance_count, conveyance_rows, {}),
        (
            "seizures",
            plan.seizures,
            seizure_rows,
            {
                "persons": plan.persons,
                "companies": plan.company_count,
                "conveyances": plan.conveyance_count,
                "offices": offices,
                "hub": HUB_COMPANY_ID,
                "first_number": next_demo_number(session),
            },
        ),
    )
    for kind, count, generate, extra in kinds:
        rows = empty_rows()
        for start in range(0, count, BATCH):
            stop = min(count, start + BATCH)
            for index in range(start, stop):
                generate(rng, prefix, index, now, rows, **extra)
            total_rows += copy_rows(raw, rows)
            report(kind, stop - start)
        counts[kind] = count
    counts["rows"] = total_rows
    counts["pictures"] = 0
    if plant and pictures is not None:
        counts["pictures"] = attach_demo_pictures(session, pictures, limits or DefaultLimits())
        report("pictures", counts["pictures"])
    # The demo case files open over the planted networks, through the services.
    counts["investigations"] = plant_investigations(session) if plant else 0
    # COPY bypasses the services and their watch-list hook: one set-based check instead.
    counts["alerts"] = scan_bulk_load(session, now)
    # ...and against the risk profiles (a few demo ones planted on the first load).
    counts["profiles"] = plant_profiles(session) if plant else 0
    counts["hits"] = scan_profiles(session, now)
    record_event(session, Actor.system("demo"), "demo.load", details=counts)
    return counts


def next_demo_number(session: Session) -> int:
    """The number after the highest generated reference (``DEMO-<year>-<7 digits>``), or 1.

    So that ``ncen demo --force`` adds seizures instead of clashing on their references.
    """
    highest = session.execute(
        text(
            "SELECT max(substring(reference FROM '^DEMO-[0-9]{4}-([0-9]{7})$')::int) "
            "FROM seizures WHERE reference LIKE 'DEMO-%'"
        )
    ).scalar_one()
    return int(highest or 0) + 1


def picture_count() -> int:
    """How many pictures a first demo load attaches (for progress bars)."""
    return len(PICTURES)
