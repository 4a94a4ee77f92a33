"""The domain side of importing: foreign-record services, their permissions and invariants,
and the sharing policy's rules one by one."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from exchange.models import Peer, PeerStatus
from exchange.records.export import OutgoingRecord
from exchange.services.policy import DistributionRule, h3_unconfirmed, violations
from ncen.accounts.models import Role
from ncen.errors import PermissionDeniedError, ValidationError
from ncen.history import ChangeKind, list_versions
from ncen.persons.services import import_foreign_person
from ncen.records import Provenance
from ncen.seizures.foreign import import_foreign_seizure
from tests.conftest import make_actor
from tests.factories import person_data, seizure_data

BUNDLE = uuid.uuid4()


def provenance(origin_id: str = "p-1") -> Provenance:
    return Provenance("fr-ncen", origin_id, BUNDLE)


def test_only_exchange_officers_import_foreign_records(session, investigator):
    with pytest.raises(PermissionDeniedError):
        import_foreign_person(session, investigator, person_data(), provenance())
    officer = make_actor(session, Role.EXCHANGE_OFFICER)
    person = import_foreign_person(session, officer, person_data(), provenance())
    assert (person.origin_node, person.origin_id, person.received_bundle_id) == (
        "fr-ncen",
        "p-1",
        BUNDLE,
    )
    assert person.is_foreign
    [version] = list_versions(session, "person", person.id)
    assert version.kind is ChangeKind.CREATE
    assert version.snapshot["origin_node"] == "fr-ncen"


def test_a_record_is_received_once_per_originator(session, system):
    import_foreign_person(session, system, person_data(), provenance("same"))
    import_foreign_person(session, system, person_data(), Provenance("de-ncen", "same", BUNDLE))
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        import_foreign_person(session, system, person_data(), provenance("same"))


def test_foreign_seizure_validates_links_and_reference_with_the_rest(session, system):
    person = import_foreign_person(session, system, person_data(), provenance())
    data = seizure_data(
        reference="SZ-2026-000042",
        status="validated",
        persons=[{"id": str(person.id), "role": "courier", "note": None}],
    )
    seizure = import_foreign_seizure(session, system, data, provenance("s-1"))
    assert seizure.reference == "fr-ncen/SZ-2026-000042"
    assert seizure.status.value == "validated"
    assert [v.kind for v in list_versions(session, "seizure", seizure.id)] == [ChangeKind.CREATE]

    bad = seizure_data(
        reference="R" * 60,
        persons=[{"id": str(uuid.uuid4()), "role": "courier"}, {"id": "nope", "role": "courier"}],
        companies=[{"id": str(person.id), "role": "no-such-role"}],
        items=[],
    )
    with pytest.raises(ValidationError) as refused:
        import_foreign_seizure(session, system, bad, provenance("s-2"))
    assert {"reference", "persons.0.id", "persons.1.id", "companies.0.role", "items"} <= set(
        refused.value.errors
    )


def peer(node_id: str, *, nominal: bool = True, codes: str = "H0,H1,H2,H3") -> Peer:
    return Peer(
        node_id=node_id,
        country="DE",
        status=PeerStatus.ACTIVE,
        may_receive_nominal=nominal,
        allowed_handling_codes=codes.split(","),
        keyset_serial=1,
        last_sequence_out=0,
    )


ALL_PEERS = DistributionRule("all_peers")


def record(
    kind: str,
    code: str,
    originator: str | None = None,
    *,
    status: str = "validated",
    distribution: DistributionRule | None = ALL_PEERS,
) -> OutgoingRecord:
    seizure = kind == "seizures"
    return OutgoingRecord(
        kind,
        str(uuid.uuid4()),
        f"{kind} x",
        originator,
        code,
        status=status if seizure else None,
        distribution=distribution if seizure else None,
    )


def test_policy_rules():
    national_h2 = record("seizures", "H2")
    received_h2 = record("seizures", "H2", originator="fr-ncen")
    received_h1 = record("seizures", "H1", originator="fr-ncen")
    person = record("persons", "H0")
    assert violations([national_h2, received_h1, person], [peer("it-ncen")]) == []
    assert violations([received_h2], [peer("fr-ncen")]) == []
    [h2] = violations([received_h2, received_h2], [peer("it-ncen")])
    assert h2.startswith("to it-ncen: H2 record received from fr-ncen")
    assert "and 1 more" in h2
    [code] = violations([national_h2], [peer("it-ncen", codes="H0,H1")])
    assert "handling code H2" in code
    [nominal] = violations([person], [peer("it-ncen", nominal=False)])
    assert "nominal data" in nominal
    suspended = peer("it-ncen")
    suspended.status = PeerStatus.SUSPENDED
    assert violations([received_h1], [suspended]) == ["to it-ncen: peer is suspended"]


def test_policy_rules_of_dissemination():
    """Distribution and status fail closed; a record may always go back to its originator."""
    [draft] = violations([record("seizures", "H1", status="draft")], [peer("it-ncen")])
    assert "not validated" in draft
    unmarked = record("seizures", "H1", distribution=DistributionRule())
    [national] = violations([unmarked], [peer("it-ncen")])
    assert "distribution (national_only) does not include this peer" in national
    named = DistributionRule("named_peers", frozenset({"de-ncen"}))
    forwarded = record("seizures", "H1", originator="fr-ncen", distribution=named)
    assert violations([forwarded], [peer("de-ncen")]) == []
    [elsewhere] = violations([forwarded], [peer("it-ncen")])
    assert "distribution (named_peers) does not include this peer" in elsewhere
    assert violations([forwarded], [peer("fr-ncen")]) == []  # back to the originator
    v1 = record("seizures", "H1", originator="fr-ncen", distribution=None)
    [stated] = violations([v1], [peer("it-ncen")])
    assert "stated no distribution" in stated
    h3 = record("seizures", "H3")
    assert violations([h3], [peer("it-ncen")]) == []  # not a refusal: a confirmation to give
    [ask] = h3_unconfirmed([h3], [peer("it-ncen"), peer("de-ncen")], {"de-ncen"})
    assert ask.startswith("to it-ncen: H3 records")
