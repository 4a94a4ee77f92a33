"""The bulk path's evaluation of a batch (`ncen.bulk.checks.batch_triggers` and
`ncen.targeting.evaluation.evaluate_batch`): the seizures and trigger types it takes from the
batch's own steps give the very hits that the evaluation from the stored links
(`evaluate_written`, a query per record type) gives, on seizures, persons, companies and
conveyances created and linked in varied orders; each seizure evaluated once, in the batch's
transaction. And the collector pause around an evaluation restores what it found."""

from __future__ import annotations

import gc
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.bulk import Create, build_record, build_seizure, write_batch
from ncen.bulk.checks import batch_triggers
from ncen.bulk.steps import Link, Step
from ncen.collector import collector_paused
from ncen.companies.services import COMPANY
from ncen.conveyances.services import CONVEYANCE
from ncen.persons.services import PERSON, create_person
from ncen.targeting.evaluation import EVALUATED_TYPES, evaluate_batch, evaluate_written
from ncen.targeting.models import Hit
from ncen.targeting.profiles import create_profile, set_status
from tests.factories import company_data, conveyance_data, person_data, seizure_data

PROFILES = (
    'commodity_group == "tobacco" && departure_country == "CN"',
    'person.nationality == "UZ" && route_country == "KZ"',
    'company.country == "KZ"',
    'conveyance.kind == "container" && !(transit_country == "TR")',
    'person.age < 30 || conveyance.container.startsWith("CSQU")',
    'commodity_group == "drugs" && (hour >= 0 || company.aeo == "aeo_f")',
)


def _activate_profiles(session: Session, analyst: Actor) -> None:
    for index, expression in enumerate(PROFILES):
        profile = create_profile(
            session,
            analyst,
            {"name": f"batch-{index}", "expression": expression, "score": str(50 + index)},
        )
        set_status(
            session, analyst, profile.id, "active", expected_version=profile.version, confirm=True
        )


def _drugs(**overrides: Any) -> dict[str, Any]:
    item = {
        "commodity_group": "drugs",
        "hs_code": "2939.11",
        "description": "Heroin",
        "quantity": "2",
        "unit": "kg",
    }
    return seizure_data(items=[item], departure_country="AF", **overrides)


def _steps(session: Session, actor: Actor, stored_person: uuid.UUID) -> list[Step]:
    """A batch mixing the orders an import makes: records before and after the seizures
    that link them, links given at creation and by later `Link` steps, a record linked to
    two seizures, a seizure matching nothing, a link to a record stored before the batch."""
    young = build_record(session, actor, PERSON, person_data(birth_year=2006, nationalities=["RU"]))
    courier = build_record(session, actor, PERSON, person_data())
    company = build_record(session, actor, COMPANY, company_data())
    foreign_company = build_record(session, actor, COMPANY, company_data(country="CN"))
    tobacco = build_seizure(session, actor, seizure_data())
    drugs = build_seizure(session, actor, _drugs(transit_countries=["TR"]))
    quiet = build_seizure(
        session, actor, seizure_data(departure_country="TR", transit_countries=[])
    )
    other = build_seizure(session, actor, _drugs())
    lone = build_seizure(session, actor, seizure_data())
    container = build_record(session, actor, CONVEYANCE, conveyance_data())
    truck = build_record(
        session,
        actor,
        CONVEYANCE,
        {"kind": "vehicle", "identifiers": [{"kind": "plate", "value": "777 ABC 02"}]},
    )
    return [
        Create("person", courier),
        Create("company", company),
        Create("seizure", tobacco, links=[("person", courier.id, "courier", None)]),
        Create("seizure", drugs),
        Link(drugs, [("company", company.id, "importer", None)]),
        Create("company", foreign_company),
        Create("seizure", quiet, links=[("company", foreign_company.id, "exporter", None)]),
        Create("conveyance", container),
        Create("conveyance", truck),
        Create(
            "seizure",
            other,
            links=[
                ("conveyance", container.id, "container", None),
                ("person", courier.id, "driver", None),
                ("person", stored_person, "owner", None),
            ],
        ),
        Create("person", young),
        Create("seizure", lone),
        Link(quiet, [("person", young.id, "passenger", None)]),
        Link(quiet, [("conveyance", truck.id, "means_of_transport", None)]),
    ]


def _written_by_type(steps: list[Step]) -> dict[str, list[uuid.UUID]]:
    """What the after-write checks gave `evaluate_written` before: each evaluated type (in
    the order first written) -> its records' ids, once each."""
    by_type: dict[str, list[uuid.UUID]] = {}
    for step in steps:
        record_type, record_id = (
            (step.record_type, step.record.id) if isinstance(step, Create) else
            ("seizure", step.seizure.id)
        )  # fmt: skip
        if record_type in EVALUATED_TYPES and record_id not in by_type.get(record_type, []):
            by_type.setdefault(record_type, []).append(record_id)
    return by_type


def _hits(session: Session, seizure_ids: list[uuid.UUID]) -> set[tuple[Any, ...]]:
    hits = session.execute(select(Hit).where(Hit.seizure_id.in_(seizure_ids))).scalars()
    return {
        (
            h.profile_version_id, h.seizure_id, h.seizure_version, h.trigger_type, h.event,
            h.score, h.lane, h.status, h.reason, json.dumps(h.explanation, sort_keys=True),
        )
        for h in hits
    }  # fmt: skip


def test_a_batch_raises_the_hits_an_evaluation_from_the_stored_links_raises(
    session: Session, analyst: Actor, supervisor: Actor
) -> None:
    _activate_profiles(session, analyst)
    stored = create_person(session, supervisor, person_data(birth_year=2007))
    steps = _steps(session, supervisor, stored.id)
    seizure_ids = list(_written_by_type(steps)["seizure"])
    write_batch(session, supervisor, steps)
    session.expire_all()
    batch = _hits(session, seizure_ids)

    # Every seizure once per profile version, the seizure matching nothing with none. Each
    # seizure the batch wrote is its own trigger, with the event of its write, as on the
    # per-record path (ncen.bulk.checks: seizures first), even "quiet", which matches only
    # through the links the batch gave it.
    pairs = [(hit[0], hit[1]) for hit in batch]
    assert len(pairs) == len(set(pairs))
    assert {(hit[3], hit[4]) for hit in batch} == {("seizure", "create")}
    assert {hit[1] for hit in batch} == set(seizure_ids)  # "quiet" matches through its links
    assert len(batch) >= 8

    with session.begin_nested() as nested:
        session.execute(delete(Hit).where(Hit.seizure_id.in_(seizure_ids)))
        written = _written_by_type(steps)
        seizures_first = {"seizure": written.pop("seizure"), **written}
        evaluate_written(session, seizures_first, event="create")
        session.expire_all()
        assert _hits(session, seizure_ids) == batch
        nested.rollback()

    # Evaluated once: the same batch's seizures again raise nothing new.
    triggers = dict.fromkeys(seizure_ids, "seizure")
    assert evaluate_batch(session, triggers) == 0


def test_batch_triggers_name_the_first_type_that_led_to_each_seizure(
    session: Session, supervisor: Actor
) -> None:
    stored = create_person(session, supervisor, person_data())
    steps = _steps(session, supervisor, stored.id)
    written = []
    links: dict[uuid.UUID, list[Any]] = {}
    for step in steps:
        if isinstance(step, Create):
            written.append((step.record_type, step.record, "create"))
            if step.record_type == "seizure":
                links.setdefault(step.record.id, []).extend(step.links)
        else:
            written.append(("seizure", step.seizure, "link"))
            links.setdefault(step.seizure.id, []).extend(step.links)
    triggers = batch_triggers(written, links)
    creates = [s for s in steps if isinstance(s, Create) and s.record_type == "seizure"]
    tobacco, drugs, quiet, other, lone = (s.record.id for s in creates)
    assert triggers == {
        tobacco: "person",  # its courier, written first of all
        other: "person",  # the courier again, before its conveyance and stored person
        quiet: "person",  # a person linked by a later step: persons were written first
        drugs: "company",  # linked by a later step to a company written before it
        lone: "seizure",  # no link: the seizure itself
    }
    assert list(triggers) == [tobacco, other, quiet, drugs, lone]  # types in written order


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_pause_restores_what_it_found(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
