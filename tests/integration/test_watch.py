"""Watch-lists and alerts on real PostgreSQL.

Covers: name watches scored by the search matcher with thresholds, identifier and record
watches, alerts on create, update, JSON Lines import, exchange (foreign) import and bulk loads,
alerts only for the watch's owner, unread counts, permissions, and saved-search alerts.
"""

from __future__ import annotations

import json
import uuid

import pytest

from ncen.accounts.models import Role
from ncen.conveyances.services import create_conveyance
from ncen.db import utcnow
from ncen.errors import NotFoundError, PermissionDeniedError, ValidationError
from ncen.imports import import_persons
from ncen.persons.services import create_person, import_foreign_person, update_person
from ncen.records import Provenance
from ncen.search.saved import save_search
from ncen.watch.matching import scan_bulk_load
from ncen.watch.models import WatchKind
from ncen.watch.saved import check_saved_searches
from ncen.watch.services import (
    add_watch,
    list_alerts,
    list_watches,
    mark_read,
    remove_watch,
    unread_count,
)
from tests.conftest import make_actor
from tests.factories import conveyance_data, person_data


def named(name, **fields):
    return person_data(names=[{"full_name": name}], documents=[], **fields)


def alerts_of(session, actor):
    rows, _total = list_alerts(session, actor)
    return [row.alert for row in rows]


def test_name_watch_alerts_on_a_matching_create(session, analyst, investigator):
    add_watch(session, analyst, WatchKind.NAME, value="Mohammed Aliyev", threshold=0.8)
    person = create_person(session, investigator, named("Мухаммад Алиев"))
    [alert] = alerts_of(session, analyst)
    assert alert.record_id == person.id
    assert alert.event == "create"
    assert alert.score >= 0.8
    assert alert.explanation["matched_form"] == "Мухаммад Алиев"
    assert "transliteration" in alert.explanation["transformations"]
    assert unread_count(session, analyst.user_id) == 1


def test_names_below_the_threshold_do_not_alert(session, analyst, investigator):
    add_watch(session, analyst, WatchKind.NAME, value="Mohammed Aliyev", threshold=1.0)
    create_person(session, investigator, named("Мухаммад Алиев"))
    create_person(session, investigator, named("Hans Müller"))
    assert alerts_of(session, analyst) == []


def test_alerts_go_only_to_the_watcher(session, analyst, investigator):
    other = make_actor(session, Role.ANALYST)
    add_watch(session, analyst, WatchKind.NAME, value="Hans Mueller")
    add_watch(session, other, WatchKind.NAME, value="Wang Xiaoming")
    create_person(session, investigator, named("Hans Müller"))
    assert len(alerts_of(session, analyst)) == 1
    assert alerts_of(session, other) == []
    assert unread_count(session, other.user_id) == 0


def test_record_watch_alerts_on_update(session, analyst, investigator):
    person = create_person(session, investigator, person_data())
    add_watch(session, analyst, WatchKind.RECORD, record_type="person", record_id=person.id)
    update_person(
        session, investigator, person.id, expected_version=1, data=person_data(birth_year=1985)
    )
    [alert] = alerts_of(session, analyst)
    assert (alert.event, alert.record_id) == ("update", person.id)


def test_identifier_watch_alerts_for_documents_and_conveyances(session, analyst, investigator):
    add_watch(session, analyst, WatchKind.IDENTIFIER, value="n12345678")
    add_watch(session, analyst, WatchKind.IDENTIFIER, value="CSQU 305438-3")
    person = create_person(session, investigator, person_data())
    conveyance = create_conveyance(session, investigator, conveyance_data())
    assert {a.record_id for a in alerts_of(session, analyst)} == {person.id, conveyance.id}


def test_exchange_and_jsonl_imports_alert(session, analyst, system):
    add_watch(session, analyst, WatchKind.NAME, value="Hans Mueller")
    provenance = Provenance("XX-NODE", "p-1", uuid.uuid4())
    import_foreign_person(session, system, named("Hans Müller"), provenance)
    line = json.dumps(named("Hans Muller")).encode()
    import_persons(session, system, [line])
    events = sorted(a.event for a in alerts_of(session, analyst))
    assert events == ["create", "import"]


def test_bulk_load_check_is_set_based(session, analyst, investigator):
    since = utcnow()
    add_watch(session, analyst, WatchKind.NAME, value="Hans Mueller")
    add_watch(session, analyst, WatchKind.IDENTIFIER, value="N 1234-5678")
    mark_read(session, analyst)
    person = create_person(session, investigator, person_data(names=[{"full_name": "Hans Müller"}]))
    assert scan_bulk_load(session, since) == 2
    unread, _ = list_alerts(session, analyst, unread_only=True)
    bulk = [row.alert for row in unread if row.alert.event == "bulk_import"]
    assert [a.record_id for a in bulk] == [person.id, person.id]
    assert {a.explanation["summary"][:8] for a in bulk} == {"carries ", "“hans mu"}


def test_mark_read_and_remove(session, analyst, investigator):
    watch = add_watch(session, analyst, WatchKind.NAME, value="Hans Mueller")
    create_person(session, investigator, named("Hans Müller"))
    [alert] = alerts_of(session, analyst)
    assert mark_read(session, analyst, alert.id) == 1
    assert unread_count(session, analyst.user_id) == 0
    other = make_actor(session, Role.ANALYST)
    with pytest.raises(NotFoundError):
        remove_watch(session, other, watch.id)
    remove_watch(session, analyst, watch.id)
    assert list_watches(session, analyst) == []


@pytest.mark.parametrize("role", [Role.INVESTIGATOR, Role.EXCHANGE_OFFICER, Role.ADMINISTRATOR])
def test_only_analysts_and_supervisors_watch(session, role):
    actor = make_actor(session, role)
    with pytest.raises(PermissionDeniedError):
        add_watch(session, actor, WatchKind.NAME, value="Hans Mueller")


def test_bad_watches_are_refused(session, analyst):
    with pytest.raises(ValidationError):
        add_watch(session, analyst, WatchKind.NAME, value=" ")
    with pytest.raises(ValidationError):
        add_watch(session, analyst, WatchKind.NAME, value="Hans Mueller", threshold="2")
    with pytest.raises(ValidationError):
        add_watch(session, analyst, WatchKind.IDENTIFIER, value="1")


def test_saved_search_alerts_on_new_results(session, analyst, investigator):
    create_person(session, investigator, named("Hans Müller"))
    save_search(
        session, analyst, name="Müller", kind="persons", params={"q": "Hans Mueller"}, alert=True
    )
    assert check_saved_searches(session, analyst.user_id) == 0  # baseline
    newcomer = create_person(session, investigator, named("Hans Müller", birth_year=1990))
    assert check_saved_searches(session, analyst.user_id) == 1
    [alert] = [a for a in alerts_of(session, analyst) if a.event == "saved_search"]
    assert alert.record_id == newcomer.id
