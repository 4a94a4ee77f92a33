"""Proof that a change to the person search changes no result: dump what it returns, as JSON.

Runs `ncen.search.persons.search_persons` (audited, limit 100, as the search page asks) over a
fixed set of queries built from the demo data (full names, family names, given names first,
typos, qualifiers, filters, switches off, patronymics and parents' names) and writes, for each
query, the ranked ids, scores, explanations, the hits' shown facts, the number of forms
examined and the audit event written; then requests a few search pages through the Flask test
client and writes their HTML (CSRF tokens blanked) and the audit event of each.

Run it with the code of two trees on the same kept database and compare the files::

    python benchmarks/search_equivalence.py --data-dir /tmp/eq-data --out /tmp/new.json
    PYTHONPATH=/path/to/main:/path/to/main/benchmarks \\
        python /path/to/main/benchmarks/search_equivalence.py --data-dir /tmp/eq-data \\
        --out /tmp/main.json
    cmp /tmp/main.json /tmp/new.json

Usage: python benchmarks/search_equivalence.py [--persons 5000] [--seizures 10000]
       [--data-dir DIR] [--queries 200] --out FILE
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from scale import add_scale_arguments, demo_database
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role, User
from ncen.accounts.services import create_user
from ncen.audit import flush_events
from ncen.db import make_engine
from ncen.persons.models import Gender
from ncen.search.persons import search_persons
from ncen.search.query import MAX_LIMIT, PersonQuery, SearchOptions
from ncen.settings import Settings
from web import create_app

USERNAME = "equivalence.supervisor"
PASSWORD = "equivalence passphrase 2026"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_LANG_CSRF = re.compile(r'name="lang-csrf_token" type="hidden" value="([^"]+)"')
_TOKEN = re.compile(r'(csrf_token"[^>]*? value=")[^"]+(")')  # every form's token
# Names that take the matcher's rarer paths: patronymics, parents, compounds, Han, Arabic.
FIXED = (
    "Ivanov Ivan Petrovich",
    "Иванов Иван Петрович",
    "Kamil oğlu Aliyev",
    "Imran s/o Hassan Baig",
    "Muthu a/l Raman",
    "Siti Aminah binti Ahmad",
    "Nour Eddine",
    "Gholamreza",
    "Sami Ullah",
    "王小明",
    "Wang Xiaoming",
    "Chan Tai Man",
    "محمد علي",
    "Mukhamad Aliyev",
    "Alexander",
    "Sasha Petrov",
    "Ahmed bin Abdullah",
)


def _typo(name: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(name) if c.isalpha()]
    if len(spots) < 3:
        return name
    i = rng.choice(spots[1:])
    edit = rng.choice(("drop", "double", "swap"))
    if edit == "drop":
        return name[:i] + name[i + 1 :]
    if edit == "double":
        return name[:i] + name[i] + name[i:]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


def build_queries(engine: Engine, count: int) -> list[PersonQuery]:
    """A fixed, varied set of about ``count`` queries drawn from the database (same data: same
    queries)."""
    rng = random.Random(20261208)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT n.full_name, n.family_name, n.given_names, p.birth_year, p.gender, "
                "(SELECT min(country) FROM person_nationalities c WHERE c.person_id = p.id), "
                "(SELECT min(number) FROM identity_documents d WHERE d.person_id = p.id) "
                "FROM person_names n JOIN persons p ON p.id = n.person_id "
                "WHERE p.deleted_at IS NULL ORDER BY md5(n.full_name || p.id::text) LIMIT :n"
            ),
            {"n": count},
        ).all()
    queries: list[PersonQuery] = [PersonQuery(name) for name in FIXED]
    for k, (full, family, given, year, gender, country, number) in enumerate(rows):
        kind = k % 10
        if kind == 0 and family:
            queries.append(PersonQuery(family, options=SearchOptions(limit=MAX_LIMIT)))
        elif kind == 1 and family and given:
            queries.append(PersonQuery(f"{given} {family}", options=SearchOptions(limit=MAX_LIMIT)))
        elif kind == 2:
            queries.append(PersonQuery(_typo(full, rng), options=SearchOptions(limit=MAX_LIMIT)))
        elif kind == 3:
            queries.append(
                PersonQuery(
                    full,
                    birth_year=year,
                    nationality=country,
                    gender=Gender(gender) if gender else None,
                    document_numbers=(number,) if number else (),
                    options=SearchOptions(limit=MAX_LIMIT),
                )
            )
        elif kind == 4 and year:
            queries.append(
                PersonQuery(
                    family or full,
                    birth_year_from=year - 2,
                    birth_year_to=year + 2,
                    include_unknown=k % 20 == 4,
                    options=SearchOptions(limit=MAX_LIMIT),
                )
            )
        elif kind == 5 and country:
            queries.append(
                PersonQuery(full, only_nationality=country, options=SearchOptions(limit=MAX_LIMIT))
            )
        elif kind == 6:
            queries.append(
                PersonQuery(full, options=SearchOptions(phonetic=False, limit=MAX_LIMIT))
            )
        elif kind == 7:
            queries.append(
                PersonQuery(full, options=SearchOptions(transliteration=False, limit=MAX_LIMIT))
            )
        elif kind == 8:
            queries.append(PersonQuery(full, options=SearchOptions(limit=10, min_score=0.3)))
        else:
            queries.append(PersonQuery(full, options=SearchOptions(limit=MAX_LIMIT)))
    return queries


def _explanation(expl: Any) -> Any:
    return json.loads(json.dumps(expl.as_dict(), default=str))


def dump_searches(engine: Engine, queries: list[PersonQuery]) -> list[dict[str, Any]]:
    """Each query's results and audit event (each search in its own rolled-back transaction)."""
    out = []
    actor = Actor.system("equivalence")
    for query in queries:
        with Session(engine) as session, session.begin():
            try:
                results = search_persons(session, actor, query)
            except Exception as exc:  # noqa: BLE001 - a refused query is a result too
                out.append({"query": repr(query), "error": f"{type(exc).__name__}: {exc}"})
                session.rollback()
                continue
            flush_events(session)
            action, details = session.execute(
                text("SELECT action, details FROM audit_events ORDER BY id DESC LIMIT 1")
            ).one()
            out.append(
                {
                    "query": repr(query),
                    "examined": results.examined,
                    "hits": [
                        {
                            "id": str(h.person_id),
                            "name": h.display_name,
                            "score": h.score,
                            "gender": str(h.gender),
                            "birth_year": h.birth_year,
                            "nationalities": list(h.nationalities),
                            "explanation": _explanation(h.explanation),
                            "summary": h.explanation.summary(),
                        }
                        for h in results.hits
                    ],
                    "audit": {"action": action, "details": details},
                }
            )
            session.rollback()
    return out


def _ensure_user(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        if session.scalar(select(User.id).where(User.username == USERNAME)) is None:
            create_user(
                session,
                Actor.system("equivalence"),
                username=USERNAME,
                display_name="Equivalence supervisor",
                password=PASSWORD,
                roles=[Role.SUPERVISOR],
                must_change_password=False,
            )


def dump_pages(db: Any, engine: Engine, queries: list[PersonQuery]) -> list[dict[str, Any]]:
    """The HTML and audit event of the search page of a few queries (pages 1 and 2, filters)."""
    _ensure_user(engine)
    settings = Settings(
        instance_path=db.directory / "instance",
        database_url=db.urls.app,
        secret_key="equivalence-secret-key-" + "x" * 32,
        secure_cookies=False,
    )
    app = create_app(settings)
    client = app.test_client()
    token = _CSRF.search(client.get("/auth/sign-in").text).group(1)  # type: ignore[union-attr]
    client.post(
        "/auth/sign-in", data={"csrf_token": token, "username": USERNAME, "password": PASSWORD}
    )
    params: list[dict[str, str]] = []
    for query in queries[len(FIXED) :][:40:4]:
        params.append({"q": query.name})
    params += [
        {"q": queries[len(FIXED)].name, "page": "2"},
        {"q": queries[len(FIXED)].name, "birth_year": "1980", "nationality": "KZ"},
        {"q": queries[len(FIXED)].name, "only_gender": "female", "no_phonetic": "y"},
        {"q": "Ivanov Ivan Petrovich", "no_transliteration": "y"},
        {"q": "x"},
    ]
    # The explanations in the other languages too (the first pages again).
    languages = [("en", p) for p in params] + [
        (lang, p) for lang in ("fr", "ru") for p in params[:3]
    ]
    out = []
    current = "en"
    for language, p in languages:
        if language != current:
            page = client.get("/search/persons").text
            token = _LANG_CSRF.search(page).group(1)  # type: ignore[union-attr]
            client.post(
                "/auth/language",
                data={"lang-csrf_token": token, "lang-locale": language, "lang-next": "/"},
            )
            current = language
        response = client.get("/search/persons?" + urlencode(p))
        with engine.connect() as conn:
            action, details = conn.execute(
                text("SELECT action, details FROM audit_events ORDER BY id DESC LIMIT 1")
            ).one()
        out.append(
            {
                "params": p,
                "language": language,
                "status": response.status_code,
                "html": _TOKEN.sub(r"\1-\2", response.text),
                "audit": {"action": action, "details": details},
            }
        )
    client.post(
        "/auth/language",
        data={
            "lang-csrf_token": _LANG_CSRF.search(client.get("/search/persons").text).group(1),  # type: ignore[union-attr]
            "lang-locale": "en",
            "lang-next": "/",
        },
    )
    app.extensions["ncen.engine"].dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scale_arguments(parser, 5_000, 10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    with demo_database(args.persons, args.seizures, args.data_dir) as db:
        engine = make_engine(db.urls.app)
        try:
            queries = build_queries(engine, args.queries)
            searches = dump_searches(engine, queries)
            pages = dump_pages(db, engine, queries)
        finally:
            engine.dispose()
    args.out.write_text(
        json.dumps({"searches": searches, "pages": pages}, ensure_ascii=False, indent=1)
    )
    hits = sum(len(s.get("hits", ())) for s in searches)
    print(f"{len(searches)} searches ({hits} hits), {len(pages)} pages -> {args.out}")


if __name__ == "__main__":
    main()
