"""Migration 0003 backfills the keys of names that existed before it, and downgrades cleanly."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import inspect, text

from ncen import migrate
from ncen.db import make_engine


def test_0003_backfills_existing_names_and_downgrades(empty_database: Callable[[str], str]):
    engine = make_engine(empty_database("ncen_search_backfill").owner)
    try:
        migrate.upgrade(engine, "0002")
        person, company = uuid.uuid4(), uuid.uuid4()
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO persons (id, version, gender, created_at, updated_at) "
                    "VALUES (:id, 1, 'M', now(), now())"
                ),
                {"id": person},
            )
            for position, name, script in ((0, "Алиев Мухаммад", "Cyrl"), (1, "王小明", "Hani")):
                conn.execute(
                    text(
                        "INSERT INTO person_names (id, person_id, position, kind, full_name, "
                        "script) VALUES (:id, :person, :position, 'primary', :name, :script)"
                    ),
                    {
                        "id": uuid.uuid4(),
                        "person": person,
                        "position": position,
                        "name": name,
                        "script": script,
                    },
                )
            conn.execute(
                text(
                    "INSERT INTO companies (id, version, aeo_status, created_at, updated_at) "
                    "VALUES (:id, 1, 'none', now(), now())"
                ),
                {"id": company},
            )
            conn.execute(
                text(
                    "INSERT INTO company_names (id, company_id, position, kind, name, script) "
                    "VALUES (:id, :company, 0, 'primary', 'ТОО «Алтын Жол»', 'Cyrl')"
                ),
                {"id": uuid.uuid4(), "company": company},
            )

        migrate.upgrade(engine, "0003")
        with engine.connect() as conn:
            names = conn.execute(
                text("SELECT search_text, phonetic_codes FROM person_names ORDER BY position")
            ).all()
            company_text = conn.execute(text("SELECT search_text FROM company_names")).scalar()
            vocabulary = set(conn.execute(text("SELECT term FROM name_terms")).scalars())
        assert [n.search_text for n in names] == ["aliev mukhammad", "wang xiaoming"]
        assert "MKMT" in names[0].phonetic_codes
        assert company_text == "altyn zhol"
        assert {"aliev", "mukhammad", "wang", "xiaoming", "xiao", "altyn", "zhol"} <= vocabulary

        migrate.downgrade(engine, "0002")
        inspector = inspect(engine)
        columns = {c["name"] for c in inspector.get_columns("person_names")}
        assert not columns & {"search_text", "search_terms", "phonetic_codes"}
        assert "search_vector" not in {c["name"] for c in inspector.get_columns("seizures")}
        assert "name_terms" not in inspector.get_table_names()
        with engine.connect() as conn:
            configs = conn.execute(
                text("SELECT count(*) FROM pg_ts_config WHERE cfgname = 'ncen_search'")
            ).scalar()
        assert configs == 0
    finally:
        engine.dispose()


def test_0027_recomputes_keys_written_by_the_earlier_algorithm(
    empty_database: Callable[[str], str],
):
    engine = make_engine(empty_database("ncen_search_reindex").owner)
    try:
        migrate.upgrade(engine, "0022")
        person = uuid.uuid4()
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO persons (id, version, gender, created_at, updated_at) "
                    "VALUES (:id, 1, 'M', now(), now())"
                ),
                {"id": person},
            )
            # Keys as the earlier algorithm wrote them: the marker cut into words, no pinyin.
            for position, name, terms in (
                (0, "Ali s/o Karim", ["ali", "s", "o", "karim"]),
                (1, "Hsin Chiu", ["hsin", "chiu"]),
            ):
                conn.execute(
                    text(
                        "INSERT INTO person_names (id, person_id, position, kind, full_name, "
                        "script, search_text, search_terms, phonetic_codes) VALUES (:id, "
                        ":person, :position, 'primary', :name, 'Latn', :text, :terms, '{}')"
                    ),
                    {
                        "id": uuid.uuid4(),
                        "person": person,
                        "position": position,
                        "name": name,
                        "text": " ".join(terms),
                        "terms": terms,
                    },
                )
        migrate.upgrade(engine, "0027")
        with engine.connect() as conn:
            terms = conn.execute(
                text("SELECT search_terms FROM person_names ORDER BY position")
            ).scalars()
            marker, wade_giles = list(terms)
            vocabulary = set(conn.execute(text("SELECT term FROM name_terms")).scalars())
        assert marker == ["ali", "karim"]
        assert {"xin", "qiu"} <= set(wade_giles)
        assert {"xin", "qiu"} <= vocabulary
        migrate.downgrade(engine, "0022")
        migrate.upgrade(engine, "0027")
    finally:
        engine.dispose()


def test_0034_stores_the_cantonese_readings_of_names_written_before(
    empty_database: Callable[[str], str],
):
    engine = make_engine(empty_database("ncen_search_cantonese").owner)
    try:
        migrate.upgrade(engine, "0029")
        person = uuid.uuid4()
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO persons (id, version, gender, created_at, updated_at) "
                    "VALUES (:id, 1, 'M', now(), now())"
                ),
                {"id": person},
            )
            # Keys as session 4 wrote them: pinyin only, the romanisation word by word.
            for position, name, script, terms in (
                (0, "陳大文", "Hani", ["chen", "dawen", "da", "wen"]),
                (1, "CHAN Tai Man", "Latn", ["chan", "tai", "man"]),
            ):
                conn.execute(
                    text(
                        "INSERT INTO person_names (id, person_id, position, kind, full_name, "
                        "script, search_text, search_terms, phonetic_codes) VALUES (:id, "
                        ":person, :position, 'primary', :name, :script, :text, :terms, '{}')"
                    ),
                    {
                        "id": uuid.uuid4(),
                        "person": person,
                        "position": position,
                        "name": name,
                        "script": script,
                        "text": " ".join(terms),
                        "terms": terms,
                    },
                )
        migrate.upgrade(engine, "0034")
        with engine.connect() as conn:
            han, romanised = [
                set(terms)
                for terms in conn.execute(
                    text("SELECT search_terms FROM person_names ORDER BY position")
                ).scalars()
            ]
            vocabulary = set(conn.execute(text("SELECT term FROM name_terms")).scalars())
        assert {"chan", "can", "taiman", "daaiman"} <= han
        assert {"taiman", "chen", "dawen"} <= romanised
        assert {"taiman", "daaiman", "dawen"} <= vocabulary
        migrate.downgrade(engine, "0029")
        migrate.upgrade(engine, "0034")
    finally:
        engine.dispose()


def test_0038_stores_the_government_spellings_of_names_written_before(
    empty_database: Callable[[str], str],
):
    engine = make_engine(empty_database("ncen_search_hong_kong").owner)
    try:
        migrate.upgrade(engine, "0036")
        person = uuid.uuid4()
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO persons (id, version, gender, created_at, updated_at) "
                    "VALUES (:id, 1, 'M', now(), now())"
                ),
                {"id": person},
            )
            # Keys as session 5 wrote them: the table's spellings (丁 ding), no Ting.
            terms = ["ding", "junhai", "jun", "hai", "ding", "jeunhoi", "zeonhoi"]
            conn.execute(
                text(
                    "INSERT INTO person_names (id, person_id, position, kind, full_name, "
                    "script, search_text, search_terms, phonetic_codes) VALUES (:id, "
                    ":person, 0, 'primary', '丁俊海', 'Hani', 'ding junhai', :terms, '{}')"
                ),
                {"id": uuid.uuid4(), "person": person, "terms": terms},
            )
        migrate.upgrade(engine, "0038")
        with engine.connect() as conn:
            stored = set(conn.execute(text("SELECT search_terms FROM person_names")).scalar_one())
            vocabulary = set(conn.execute(text("SELECT term FROM name_terms")).scalars())
        assert {"ting", "chunhoi"} <= stored
        assert {"ting", "chunhoi"} <= vocabulary
        migrate.downgrade(engine, "0036")
        migrate.upgrade(engine, "0038")
    finally:
        engine.dispose()


def test_0042_stores_the_uyghur_readings_of_transcriptions_written_before(
    empty_database: Callable[[str], str],
):
    engine = make_engine(empty_database("ncen_search_uyghur_readings").owner)
    try:
        migrate.upgrade(engine, "0038")
        person = uuid.uuid4()
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO persons (id, version, gender, created_at, updated_at) "
                    "VALUES (:id, 1, 'M', now(), now())"
                ),
                {"id": person},
            )
            # Keys as session 6 wrote them: the pinyin only, no Uyghur reading.
            conn.execute(
                text(
                    "INSERT INTO person_names (id, person_id, position, kind, full_name, "
                    "script, search_text, search_terms, phonetic_codes) VALUES (:id, "
                    ":person, 0, 'primary', 'KELIMU TUERDI', 'Latn', 'kelimu tuerdi', "
                    ":terms, '{}')"
                ),
                {"id": uuid.uuid4(), "person": person, "terms": ["kelimu", "tuerdi"]},
            )
        migrate.upgrade(engine, "0042")
        with engine.connect() as conn:
            stored = set(conn.execute(text("SELECT search_terms FROM person_names")).scalar_one())
            vocabulary = set(conn.execute(text("SELECT term FROM name_terms")).scalars())
        assert {"kerim", "turdi"} <= stored
        assert {"kerim", "turdi"} <= vocabulary
        migrate.downgrade(engine, "0038")
        migrate.upgrade(engine, "0042")
    finally:
        engine.dispose()
