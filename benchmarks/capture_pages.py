"""Capture: the HTML and audit events of a fixed set of record pages, to compare two versions.

Loads (or reuses, with ``--data-dir``) a demo database, makes a few of its records deleted,
received (foreign) or handled H2/H3 so that every branch of the pages shows, signs a supervisor
in, then requests a fixed list of pages (person and seizure pages, the two lists with filters,
sorts and pages) and writes, per page, ``<n>-<name>.html`` (the body, CSRF tokens and CSP
nonces blanked) and ``<n>-<name>.audit.json`` (the audit events the request queued, times
left out) into ``--out``. Run it once against each version (``PYTHONPATH=<export of main>`` for
the other) with the same ``--data-dir`` and diff the two folders::

    python benchmarks/capture_pages.py --data-dir /tmp/cap-db --out /tmp/cap-new
    PYTHONPATH=/tmp/main python benchmarks/capture_pages.py --data-dir /tmp/cap-db \
        --out /tmp/cap-old
    diff -r /tmp/cap-old /tmp/cap-new

Usage: python benchmarks/capture_pages.py --out DIR [--persons 2000] [--seizures 4000]
       [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from scale import add_scale_arguments, demo_database
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.accounts.services import create_user
from ncen.db import make_engine
from ncen.settings import Settings
from web import create_app

PASSWORD = "capture passphrase 2026"
USERNAME = "capture.supervisor"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_TOKEN = re.compile(r'csrf[-_]token"[^>]*(?:value|content)="([^"]+)"')
_NONCE = re.compile(r'nonce="[^"]*"')


def prepare(owner: Engine) -> None:
    """Delete, receive and restrict a few records (idempotent: the same rows every run)."""
    with owner.begin() as conn:
        # Persons and seizures linked to the busiest records: their pages must leave them out.
        conn.execute(
            text(
                "UPDATE persons SET deleted_at = '2026-01-01' WHERE id IN (SELECT person_id "
                "FROM seizure_persons ORDER BY seizure_id, person_id LIMIT 3)"
            )
        )
        conn.execute(
            text(
                "UPDATE seizures SET deleted_at = '2026-01-01' WHERE id IN (SELECT seizure_id "
                "FROM seizure_persons ORDER BY person_id DESC, seizure_id LIMIT 3)"
            )
        )
        # The busiest person gets addresses and contacts (the demo gives none), the second
        # busiest a first name that is not its primary one (its label is a later name).
        busiest = (
            "(SELECT person_id FROM seizure_persons GROUP BY person_id "
            "ORDER BY count(*) DESC, person_id LIMIT 1 OFFSET {})"
        )
        conn.execute(
            text(
                "INSERT INTO person_addresses (id, person_id, line, city, postcode, country) "
                "SELECT md5(p::text || n)::uuid, p, 'Line ' || n || ' <&> \"q\"', "
                "CASE WHEN n = 1 THEN 'Almaty' END, CASE WHEN n = 1 THEN '050000' END, "
                f"CASE WHEN n < 3 THEN 'KZ' END FROM {busiest.format(0)} AS b(p), "
                "generate_series(1, 3) AS n ON CONFLICT DO NOTHING"
            )
        )
        conn.execute(
            text(
                "INSERT INTO person_contacts (id, person_id, kind, value, value_norm) "
                "SELECT md5(p::text || 'c' || n)::uuid, p, "
                "CASE WHEN n = 1 THEN 'phone' ELSE 'email' END, 'contact-' || n, 'contact-' || n "
                f"FROM {busiest.format(0)} AS b(p), generate_series(1, 2) AS n "
                "ON CONFLICT DO NOTHING"
            )
        )
        conn.execute(
            text(
                "UPDATE person_names SET kind = 'alias' WHERE position = 0 "
                f"AND person_id = {busiest.format(1)}"
            )
        )
        # The busiest person is linked to three companies, the last of them deleted.
        conn.execute(
            text(
                "INSERT INTO person_companies (id, person_id, company_id, role) "
                "SELECT md5(p::text || c.id::text)::uuid, p, c.id, "
                "(SELECT code FROM person_company_roles ORDER BY code LIMIT 1) "
                f"FROM {busiest.format(0)} AS b(p), "
                "(SELECT id FROM companies ORDER BY id LIMIT 3) AS c ON CONFLICT DO NOTHING"
            )
        )
        conn.execute(
            text(
                "UPDATE companies SET deleted_at = '2026-01-01' WHERE id = "
                "(SELECT id FROM companies ORDER BY id LIMIT 1 OFFSET 2)"
            )
        )
        # The busiest seizure gets more transit countries (written out of route order) and
        # concealment methods than the demo gives.
        seizure = (
            "(SELECT seizure_id FROM seizure_persons GROUP BY seizure_id "
            "ORDER BY count(*) DESC, seizure_id LIMIT 1)"
        )
        for position, country in ((10, "CN"), (5, "TR")):
            conn.execute(
                text(
                    "INSERT INTO seizure_transit_countries (seizure_id, position, country) "
                    f"SELECT {seizure}, :position, :country ON CONFLICT DO NOTHING"
                ),
                {"position": position, "country": country},
            )
        conn.execute(
            text(
                "INSERT INTO seizure_concealments (seizure_id, method) "
                f"SELECT {seizure}, code FROM (SELECT code FROM concealment_methods "
                "ORDER BY code DESC LIMIT 3) AS c ON CONFLICT DO NOTHING"
            )
        )
        for table in ("persons", "seizures"):
            conn.execute(
                text(
                    f"UPDATE {table} SET origin_node = 'NODE-KZ', origin_id = id "
                    f"WHERE id IN (SELECT id FROM {table} ORDER BY id DESC LIMIT 40) "
                    "AND origin_node IS NULL"
                )
            )
            conn.execute(
                text(
                    f"UPDATE {table} SET handling_code = 'H2' "
                    f"WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT 30)"
                )
            )
            conn.execute(
                text(
                    f"UPDATE {table} SET handling_code = 'H3', "
                    "handling_restrictions = 'No onward sharing.' "
                    f"WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT 5)"
                )
            )


def targets(engine: Engine) -> list[tuple[str, str]]:
    """The pages captured: (name, URL)."""

    def ids(sql: str) -> list[str]:
        with engine.connect() as conn:
            return [str(row[0]) for row in conn.execute(text(sql))]

    busiest_persons = ids(
        "SELECT person_id FROM seizure_persons GROUP BY person_id "
        "ORDER BY count(*) DESC, person_id LIMIT 3"
    )
    busiest_seizures = ids(
        "SELECT seizure_id FROM seizure_persons GROUP BY seizure_id "
        "ORDER BY count(*) DESC, seizure_id LIMIT 3"
    )
    foreign_persons = ids(
        "SELECT id FROM persons WHERE origin_node IS NOT NULL AND deleted_at IS NULL "
        "ORDER BY id LIMIT 2"
    )
    foreign_seizures = ids(
        "SELECT id FROM seizures WHERE origin_node IS NOT NULL AND deleted_at IS NULL "
        "ORDER BY id LIMIT 2"
    )
    restricted = ids("SELECT id FROM persons WHERE handling_code = 'H3' ORDER BY id LIMIT 1")
    restricted += ids("SELECT id FROM seizures WHERE handling_code = 'H3' ORDER BY id LIMIT 1")
    deleted = ids("SELECT id FROM persons WHERE deleted_at IS NOT NULL ORDER BY id LIMIT 1")
    deleted += ids("SELECT id FROM seizures WHERE deleted_at IS NOT NULL ORDER BY id LIMIT 1")
    family = ids(
        "SELECT family_name FROM person_names WHERE family_name IS NOT NULL "
        "GROUP BY family_name ORDER BY count(*) DESC, family_name LIMIT 1"
    )[0]
    pages = [(f"person-{i}", f"/persons/{pid}") for i, pid in enumerate(busiest_persons)]
    pages += [(f"seizure-{i}", f"/seizures/{sid}") for i, sid in enumerate(busiest_seizures)]
    pages += [(f"person-foreign-{i}", f"/persons/{pid}") for i, pid in enumerate(foreign_persons)]
    pages += [
        (f"seizure-foreign-{i}", f"/seizures/{sid}") for i, sid in enumerate(foreign_seizures)
    ]
    pages += [
        ("person-h3", f"/persons/{restricted[0]}"),
        ("seizure-h3", f"/seizures/{restricted[1]}"),
    ]
    pages += [
        ("person-deleted", f"/persons/{deleted[0]}"),
        ("seizure-deleted", f"/seizures/{deleted[1]}"),
    ]
    pages += [(f"person-{busiest_persons[0][:4]}-p2", f"/persons/{busiest_persons[0]}?page=2")]
    pages += [
        ("seizures", "/seizures"),
        ("seizures-p2", "/seizures?page=2"),
        ("seizures-last", "/seizures?page=1000"),
        ("seizures-foreign", "/seizures?origin=foreign"),
        ("seizures-national-ref", "/seizures?origin=national&sort=reference&dir=asc"),
        ("seizures-tobacco", "/seizures?commodity_group=tobacco&page=3"),
        ("seizures-status", "/seizures?status=draft&sort=status"),
        ("seizures-kz-road", "/seizures?country=KZ&transport_mode=road&sort=updated_at&dir=asc"),
        ("seizures-facet", "/seizures?facet=transit:KZ"),
        ("seizures-text", "/seizures?text=20"),
        ("seizures-none", "/seizures?text=zzzznothing"),
        ("seizures-bad", "/seizures?date_from=notadate"),
        ("seizures-p4", "/seizures?page=4"),
        ("persons", "/persons"),
        ("persons-p2", "/persons?page=2"),
        ("persons-last", "/persons?page=1000"),
        ("persons-foreign", "/persons?origin=foreign"),
        ("persons-name", f"/persons?name={family}"),
        ("persons-born", "/persons?sort=birth_year&dir=asc&page=2"),
        ("persons-kz", "/persons?nationality=KZ&gender=female"),
        ("persons-none", "/persons?name=zzzznothing"),
        ("persons-bad", "/persons?birth_year=abc"),
    ]
    return pages


def ensure_user(engine: Engine) -> None:
    """Create the capturing supervisor unless the kept database already has it."""
    with Session(engine) as session, session.begin():
        if session.scalar(select(User.id).where(User.username == USERNAME)) is None:
            create_user(
                session,
                Actor.system("capture"),
                username=USERNAME,
                display_name="Capturing supervisor",
                password=PASSWORD,
                roles=[Role.SUPERVISOR],
                must_change_password=False,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser, 2_000, 4_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with demo_database(args.persons, args.seizures, args.data_dir) as db:
        owner = make_engine(db.urls.owner)
        prepare(owner)
        engine = make_engine(db.urls.app)
        ensure_user(engine)
        settings = Settings(
            instance_path=db.directory / "instance",
            database_url=db.urls.app,
            secret_key="capture-secret-key-" + "x" * 32,
            secure_cookies=False,
        )
        app = create_app(settings, deferred_audit=True)
        client = app.test_client()
        token = _CSRF.search(client.get("/auth/sign-in").text).group(1)  # type: ignore[union-attr]
        response = client.post(
            "/auth/sign-in",
            data={"csrf_token": token, "username": USERNAME, "password": PASSWORD},
        )
        assert response.status_code == 302, response.text
        with owner.connect() as conn:
            last = conn.execute(text("SELECT coalesce(max(id), 0) FROM audit_queue")).scalar_one()
        for number, (name, url) in enumerate(targets(engine)):
            response = client.get(url)
            body = response.text
            for token in set(_TOKEN.findall(body)):
                body = body.replace(token, "-")
            body = _NONCE.sub('nonce="-"', body)
            stem = args.out / f"{number:02d}-{name}"
            stem.with_suffix(".html").write_text(f"<!-- {response.status_code} {url} -->\n{body}")
            with owner.connect() as conn:
                rows = conn.execute(
                    text(
                        "SELECT id, actor_name, action, record_type, record_id, details "
                        "FROM audit_queue WHERE id > :last ORDER BY id"
                    ),
                    {"last": last},
                ).all()
            last = max([last, *(row.id for row in rows)])
            events = [
                [row.actor_name, row.action, row.record_type, row.record_id, row.details]
                for row in rows
            ]
            stem.with_suffix(".audit.json").write_text(json.dumps(events, indent=1) + "\n")
            print(f"{response.status_code} {len(events)} {url}")
        app.extensions["ncen.engine"].dispose()
        engine.dispose()
        owner.dispose()


if __name__ == "__main__":
    main()
