"""The link chart, saved charts and timeline: pages and every JSON endpoint, with bad input.

Runs against the planted ring of `tests.graph_support` (couriers sharing a company, a truck and
phone numbers; a deleted and a received person). Reads are GETs; writes are POSTs whose JSON
carries the CSRF token in ``X-CSRFToken``; errors are JSON with a 4xx status, never a 500.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from exchange.models import Peer, ReceivedBundle, SentBundle
from exchange.netmodels import SharedRecord
from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.analysis.centrality_store import compute_and_store_centrality
from ncen.analysis.centralitymodels import CentralityRun
from ncen.audit.events import AuditEvent
from ncen.persons.models import Person
from ncen.persons.services import create_person
from tests.factories import person_data
from tests.functional.conftest import sign_in
from tests.graph_support import Ring, plant_ring
from tests.web_support import csrf_token, make_user, tx

API = "/analysis/api"


@pytest.fixture
def ring(db: Session) -> Ring:
    author = make_user(db, Role.SUPERVISOR)
    with tx(db):
        return plant_ring(db, Actor.of(author), hub_seizures=4)


@pytest.fixture
def analyst(signed_in: Callable[..., User]) -> User:
    return signed_in(Role.ANALYST)


def post_json(client: FlaskClient, url: str, body: Any, *, token: bool = True) -> TestResponse:
    headers = {}
    if token:
        headers["X-CSRFToken"] = csrf_token(client.get("/analysis/network").text)
    return client.post(url, json=body, headers=headers)


def bad(response: TestResponse, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.is_json
    body: dict[str, Any] = response.get_json()
    assert body["error"]
    return body


def test_pages_render_and_refuse_bad_start(client: FlaskClient, analyst: User, ring: Ring) -> None:
    page = client.get(f"/analysis/network?node={ring.a}")
    assert page.status_code == 200
    assert str(ring.a) in page.text
    assert "cytoscape.min.js" in page.text
    assert "network.js" in page.text
    assert client.get("/analysis/network?node=planet:1").status_code == 400
    assert client.get("/analysis/network?chart=nope").status_code == 400
    assert client.get("/analysis/network/charts").status_code == 200
    timeline = client.get(f"/analysis/timeline?node={ring.a}&node={ring.s1}")
    assert timeline.status_code == 200
    assert "vis-timeline-graph2d.min.js" in timeline.text
    assert f"/analysis/network?node={ring.a}&amp;node={ring.s1}" in timeline.text
    assert client.get("/analysis/timeline").status_code == 400


def test_record_pages_link_to_chart_and_timeline(
    client: FlaskClient, db: Session, ring: Ring
) -> None:
    officer = make_user(db, Role.EXCHANGE_OFFICER)
    assert sign_in(client, officer).status_code == 302
    assert "chart-button" not in client.get(f"/persons/{ring.a.id}").text
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client.get("/home").text)})
    analyst = make_user(db, Role.ANALYST)
    assert sign_in(client, analyst).status_code == 302
    for key, page in ((ring.a, "persons"), (ring.company, "companies"),
                      (ring.truck, "conveyances"), (ring.s1, "seizures")):  # fmt: skip
        html = client.get(f"/{page}/{key.id}").text
        assert f"/analysis/network?node={key.kind}:{key.id}" in html.replace("%3A", ":")
        assert "timeline-button" in html


def test_search_resolve_and_nodes(client: FlaskClient, analyst: User, ring: Ring) -> None:
    found = client.get(f"{API}/search", query_string={"q": ring.references["s1"]}).get_json()
    assert [n["id"] for n in found["nodes"]] == [str(ring.s1)]
    by_name = client.get(f"{API}/search", query_string={"q": "Bolat Nurlanov"}).get_json()
    assert str(ring.b) in [n["id"] for n in by_name["nodes"]]
    assert client.get(f"{API}/search").get_json() == {"nodes": []}
    bad(client.get(f"{API}/search", query_string={"q": "x\u202ey"}))
    resolved = client.get(f"{API}/resolve", query_string={"ref": str(ring.company)}).get_json()
    assert resolved["node"]["kind"] == "company"
    assert resolved["node"]["url"] == f"/companies/{ring.company.id}"
    bad(client.get(f"{API}/resolve", query_string={"ref": f"person:{uuid.uuid4()}"}), 404)
    bad(client.get(f"{API}/resolve", query_string={"ref": str(ring.deleted)}), 404)
    bad(client.get(f"{API}/resolve"))
    nodes = client.get(
        f"{API}/nodes", query_string={"nodes": f"{ring.a},{ring.deleted},{ring.foreign}"}
    )
    shown = {n["id"]: n for n in nodes.get_json()["nodes"]}
    assert set(shown) == {str(ring.a), str(ring.foreign)}  # the deleted person is left out
    assert shown[str(ring.foreign)]["origin"] == "KZ-NODE-2"
    assert shown[str(ring.a)]["origin"] is None
    bad(client.get(f"{API}/nodes", query_string={"nodes": "person:nope"}))
    bad(client.get(f"{API}/nodes", query_string={"nodes": "planet:" + str(uuid.uuid4())}))
    many = ",".join(f"person:{uuid.uuid4()}" for _ in range(201))
    assert (
        "at most"
        in bad(client.get(f"{API}/nodes", query_string={"nodes": many}))["fields"]["nodes"]
    )


def test_expand_with_cap_and_bad_input(client: FlaskClient, analyst: User, ring: Ring) -> None:
    assert ring.hub is not None
    capped = client.get(f"{API}/expand", query_string={"node": str(ring.hub), "limit": 2,
                                                       "kinds": "participation"})  # fmt: skip
    data = capped.get_json()
    assert capped.status_code == 200
    assert len([n for n in data["nodes"] if n["id"] != str(ring.hub)]) == 2
    assert data["more"] == {"participation": 2}
    everything = client.get(f"{API}/expand", query_string={"node": str(ring.a)}).get_json()
    kinds = {edge["kind"] for edge in everything["edges"]}
    assert {"participation", "employment", "phone"} <= kinds
    assert all(edge["evidence"] for edge in everything["edges"])
    assert str(ring.deleted) not in {n["id"] for n in everything["nodes"]}
    bad(client.get(f"{API}/expand", query_string={"node": str(ring.a), "kinds": "friendship"}))
    bad(client.get(f"{API}/expand", query_string={"node": str(ring.a), "limit": 10000}))
    bad(client.get(f"{API}/expand", query_string={"node": str(ring.a), "limit": "9" * 40}))
    bad(client.get(f"{API}/expand", query_string={"node": "person:" + "0" * 5}))
    bad(client.get(f"{API}/expand", query_string={"node": f"seizure:{uuid.uuid4()}"}), 404)
    bad(client.get(f"{API}/expand"))


def test_paths_with_evidence(client: FlaskClient, analyst: User, ring: Ring) -> None:
    found = client.get(f"{API}/paths", query_string={"a": str(ring.d), "b": str(ring.company)})
    paths = found.get_json()["paths"]
    assert found.status_code == 200
    assert paths
    assert paths[0]["nodes"][0]["id"] == str(ring.d)
    assert paths[0]["nodes"][-1]["id"] == str(ring.company)
    assert all(edge["evidence"] for edge in paths[0]["edges"])
    none = client.get(
        f"{API}/paths", query_string={"a": str(ring.isolated), "b": str(ring.company)}
    )
    assert none.get_json()["paths"] == []
    assert none.get_json()["complete"] is True  # it looked everywhere: there is none
    bad(client.get(f"{API}/paths", query_string={"a": str(ring.a), "b": str(ring.a)}))
    bad(
        client.get(f"{API}/paths", query_string={"a": str(ring.a), "b": str(ring.b), "max_hops": 7})
    )
    bad(client.get(f"{API}/paths", query_string={"a": str(ring.a)}))


def test_measures_and_most_connected(client: FlaskClient, analyst: User, ring: Ring) -> None:
    keys = [str(k) for k in (ring.a, ring.b, ring.company, ring.s1, ring.s2, ring.isolated)]
    response = post_json(client, f"{API}/measures", {"nodes": keys})
    assert response.status_code == 200, response.text
    rows = {row["id"]: row for row in response.get_json()["measures"]}
    assert set(rows) == set(keys)
    assert rows[str(ring.company)]["degree"] >= 3
    assert rows[str(ring.isolated)]["degree"] == 0
    assert rows[str(ring.isolated)]["component"] != rows[str(ring.a)]["component"]
    bad(post_json(client, f"{API}/measures", {"nodes": keys}, token=False))
    bad(post_json(client, f"{API}/measures", {"nodes": "nope"}))
    bad(post_json(client, f"{API}/measures", [1, 2]))
    token = {"X-CSRFToken": csrf_token(client.get("/analysis/network").text)}
    for body in ("[" * 200_000, "{not json", "x" * 300_000):
        bad(
            client.post(
                f"{API}/measures", data=body, headers=token, content_type="application/json"
            )
        )
    bad(post_json(client, f"{API}/measures", {"nodes": [f"person:{uuid.uuid4()}"] * 201}))
    bad(client.get(f"{API}/central", query_string={"top": 0}))
    bad(client.get(f"{API}/central", query_string={"from": "2024-13-01"}))


def test_most_connected_reads_the_stored_run_and_never_computes(
    client: FlaskClient, db: Session, analyst: User, ring: Ring
) -> None:
    def runs() -> int:
        with tx(db):
            return db.execute(select(func.count()).select_from(CentralityRun)).scalar_one()

    none = client.get(f"{API}/central", query_string={"top": 3})
    assert none.status_code == 200, none.text
    document = none.get_json()
    assert document["run"] is None
    assert document["ranked"] == []
    assert "ncen analyse centrality --store" in document["message"]
    assert runs() == 0  # the request did not compute (and store) the whole graph
    dated = client.get(f"{API}/central", query_string={"from": "2024-01-01"}).get_json()
    assert "--seizures-from 2024-01-01" in dated["message"]
    with tx(db):
        run = compute_and_store_centrality(db, Actor.system("test"))
        assert run is not None
    document = client.get(f"{API}/central", query_string={"top": 3}).get_json()
    assert document["message"] is None
    assert document["run"]["id"] == str(run.id)
    assert document["run"]["nodes"] == run.node_count
    assert f"{run.node_count} nodes" in document["run"]["summary"]
    central = document["ranked"]
    assert 0 < len(central) <= 3
    assert central[0]["node"]["id"] == str(ring.company)
    assert central[0]["degree"] >= central[-1]["degree"]
    assert runs() == 1
    with tx(db):
        shown = db.execute(
            select(AuditEvent.details)
            .where(AuditEvent.action == "analysis.centrality")
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).scalar_one()
    assert shown["shown"] == [row["node"]["id"] for row in central]


def test_saved_chart_round_trip(
    client: FlaskClient, db: Session, analyst: User, ring: Ring
) -> None:
    keys = [str(ring.a), str(ring.s1), str(ring.company)]
    layout = {str(ring.a): {"x": 1.5, "y": 2, "pinned": True}}
    saved = post_json(
        client, f"{API}/charts", {"name": "Khorgos ring", "nodes": keys, "layout": layout}
    )
    assert saved.status_code == 201, saved.text
    chart = saved.get_json()["chart"]
    assert chart["version"] == 1
    listed = client.get(f"{API}/charts").get_json()["charts"]
    assert [c["name"] for c in listed] == ["Khorgos ring"]
    assert "Khorgos ring" in client.get("/analysis/network/charts").text
    opened = client.get(f"{API}/charts/{chart['id']}").get_json()
    assert {n["id"] for n in opened["nodes"]} == set(keys)
    assert opened["layout"][str(ring.a)] == {"x": 1.5, "y": 2.0, "pinned": True}
    assert opened["changes"]["any"] is False
    assert len(opened["edges"]) >= 3  # a and the company in s1, a director of the company
    more = {"version": 1, "name": "Khorgos ring", "nodes": [*keys, str(ring.b)]}
    updated = post_json(client, f"{API}/charts/{chart['id']}", more)
    assert updated.get_json()["chart"]["version"] == 2
    stale = post_json(
        client, f"{API}/charts/{chart['id']}", {"version": 1, "name": "x", "nodes": keys}
    )
    assert "saved meanwhile" in bad(stale, 409)["error"]
    dup = post_json(client, f"{API}/charts", {"name": "Khorgos ring", "nodes": keys})
    assert "name" in bad(dup)["fields"]
    bad(post_json(client, f"{API}/charts", {"name": "\x00", "nodes": keys}))
    bad(post_json(client, f"{API}/charts", {"name": "ok", "nodes": [str(ring.deleted)]}))
    bad(post_json(client, f"{API}/charts", {"name": "ok", "nodes": keys}, token=False))
    # Another analyst neither sees nor changes it.
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client.get("/home").text)})
    assert sign_in(client, make_user(db, Role.ANALYST)).status_code == 302
    assert client.get(f"{API}/charts").get_json() == {"charts": []}
    bad(client.get(f"{API}/charts/{chart['id']}"), 404)
    bad(post_json(client, f"{API}/charts/{chart['id']}/delete", {}), 404)
    bad(client.get(f"{API}/timeline", query_string={"chart": chart["id"]}), 404)
    assert client.get(f"/analysis/network/charts/{chart['id']}/delete").status_code == 405


def test_delete_chart_by_form_and_api(client: FlaskClient, analyst: User, ring: Ring) -> None:
    first = post_json(client, f"{API}/charts", {"name": "one", "nodes": [str(ring.a)]}).get_json()
    second = post_json(client, f"{API}/charts", {"name": "two", "nodes": [str(ring.b)]}).get_json()
    page = client.get("/analysis/network/charts").text
    response = client.post(f"/analysis/network/charts/{first['chart']['id']}/delete",
                           data={"csrf_token": csrf_token(page)})  # fmt: skip
    assert response.status_code == 302
    deleted = post_json(client, f"{API}/charts/{second['chart']['id']}/delete", {})
    assert deleted.status_code == 200
    assert client.get(f"{API}/charts").get_json() == {"charts": []}
    bad(post_json(client, f"{API}/charts/{uuid.uuid4()}/delete", {}), 404)
    assert client.get(f"{API}/charts/{uuid.uuid4()}/delete").status_code == 405


def test_timeline_json(client: FlaskClient, db: Session, analyst: User, ring: Ring) -> None:
    response = client.get(f"{API}/timeline", query_string={"nodes": f"{ring.a},{ring.company}"})
    assert response.status_code == 200
    data = response.get_json()
    assert [g["id"] for g in data["groups"]] == [str(ring.a), str(ring.company)]
    starts = [event["start"] for event in data["events"]]
    assert starts == sorted(starts)
    assert {"seizure", "change"} <= {event["kind"] for event in data["events"]}
    saved = post_json(client, f"{API}/charts", {"name": "t", "nodes": [str(ring.b)]}).get_json()
    by_chart = client.get(
        f"{API}/timeline", query_string={"chart": saved["chart"]["id"]}
    ).get_json()
    assert [g["id"] for g in by_chart["groups"]] == [str(ring.b)]
    bad(client.get(f"{API}/timeline"))
    bad(client.get(f"{API}/timeline", query_string={"nodes": "person:x"}))
    bad(client.get(f"{API}/timeline", query_string={"chart": "not-a-chart"}), 404)
    with tx(db):
        actions = (
            db.execute(select(AuditEvent.action).where(AuditEvent.actor_id == analyst.id))
            .scalars()
            .all()
        )
    assert "timeline.list" in actions


def test_partial_birth_year_is_a_year_range(
    client: FlaskClient, db: Session, analyst: User
) -> None:
    author = make_user(db, Role.INVESTIGATOR)
    with tx(db):
        person = create_person(db, Actor.of(author), person_data(birth_year=2019, birth_month=None,
                                                                 documents=[]))  # fmt: skip
    data = client.get(f"{API}/timeline", query_string={"nodes": f"person:{person.id}"}).get_json()
    birth = next(event for event in data["events"] if event["kind"] == "birth")
    assert birth["date"] == "2019"
    assert birth["precision"] == "year"
    assert birth["start"].startswith("2019-01-01")
    assert birth["end"].startswith("2020-01-01")


def test_roles_without_link_analysis_get_json_403(
    client: FlaskClient, db: Session, ring: Ring
) -> None:
    assert sign_in(client, make_user(db, Role.EXCHANGE_OFFICER)).status_code == 302
    response = client.get(f"{API}/expand", query_string={"node": str(ring.a)})
    assert response.status_code == 403
    assert response.is_json


def test_timeline_shows_exchange_events(
    client: FlaskClient, db: Session, analyst: User, ring: Ring
) -> None:
    now = datetime.now(UTC)
    with tx(db):
        db.add(Peer(node_id="KZ-NODE-2", country="KZ", keyset_serial=1))
        db.flush()
        received = ReceivedBundle(
            bundle_id=uuid.uuid4(), sender_node_id="KZ-NODE-2", sequence=1, header_sha256="0" * 64,
            created=now - timedelta(days=3), received_at=now - timedelta(days=2), received_by="x",
        )  # fmt: skip
        sent = SentBundle(
            bundle_id=uuid.uuid4(), created=now - timedelta(days=1),
            expires=now + timedelta(days=9), recipients=[], handling_codes=["H0"],
            header_sha256="1" * 64, sealed_by="x",
        )  # fmt: skip
        db.add_all([received, sent])
        db.flush()
        person = db.get(Person, ring.foreign.id)
        assert person is not None
        person.received_bundle_id = received.bundle_id
        db.add(SharedRecord(record_type="seizure", record_id=ring.s3.id, peer_node_id="KZ-NODE-2",
                            bundle_id=sent.bundle_id, version=2))  # fmt: skip
    data = client.get(
        f"{API}/timeline", query_string={"nodes": f"{ring.foreign},{ring.s3}"}
    ).get_json()
    exchange = [
        (e["group"], e["kind"], e["label"])
        for e in data["events"]
        if e["kind"] in {"sent", "received"}
    ]
    assert exchange == [
        (str(ring.foreign), "received", "received from KZ-NODE-2"),
        (str(ring.s3), "sent", "sent to KZ-NODE-2 (version 2)"),
    ]
