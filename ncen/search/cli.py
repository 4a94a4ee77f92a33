"""``ncen search``: name and identifier search from the command line, for scripting and
evaluation.

``ncen search persons|companies QUERY`` runs the scored name search and
``ncen search conveyances QUERY`` the exact identifier search restricted to conveyances
(plates, VINs, IMO/MMSI, container, AWB and B/L numbers). Each prints the ranked hits with
their ids, scores and explanations, as text or, with ``--json``, as one JSON document; a hit
at or above the strong-match threshold (`ncen.search.results.STRONG_MATCH`) is marked
``strong``. ``--birth-year`` and ``--nationality`` qualify by default (they move the score);
``--birth-year-filter`` / ``--nationality-filter`` make them filters (born within
``--tolerance`` years, default 2; holding the nationality), which leave out persons whose
birth year or nationality is unknown unless ``--include-unknown``. The searches run as
``Actor.system("cli")`` and are audited like any other search.
"""

from __future__ import annotations

import json
from typing import Any

import click
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.clitools import database, fail_on_ncen_errors
from ncen.search.companies import search_companies
from ncen.search.identifiers import search_identifiers
from ncen.search.persons import search_persons
from ncen.search.query import (
    DEFAULT_LIMIT,
    DEFAULT_TOLERANCE,
    MAX_LIMIT,
    MAX_TOLERANCE,
    company_query,
    person_query,
)
from ncen.search.results import STRONG_MATCH, is_strong

_LIMIT = click.IntRange(1, MAX_LIMIT)


def _switches(transliteration: bool, phonetic: bool) -> dict[str, Any]:
    return {"transliteration": transliteration, "phonetic": phonetic}


def _emit(kind: str, query: str, hits: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        document = {"type": kind, "query": query, "count": len(hits), "results": hits}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("no results")
    for rank, hit in enumerate(hits, 1):
        mark = "strong" if hit.get("strong") else "      "
        click.echo(f"{rank:>3}. {hit['score']:.3f} {mark}  {hit['id']}  {hit['name']}")
        click.echo(f"     {hit['explanation']['summary']}")


@click.group("search")
def search_group() -> None:
    """Search persons and companies by name, conveyances by identifier."""


def _common(func_: Any) -> Any:
    options = (
        click.option("--json", "as_json", is_flag=True, help="Print one JSON document."),
        click.option(
            "--limit", default=DEFAULT_LIMIT, show_default=True, type=_LIMIT, help="Hits to print."
        ),
    )
    for option in reversed(options):
        func_ = option(func_)
    return func_


def _name_switches(func_: Any) -> Any:
    options = (
        click.option(
            "--transliteration/--no-transliteration",
            default=True,
            help="Match names written in other scripts (default on).",
        ),
        click.option("--phonetic/--no-phonetic", default=True, help="Match by sound (default on)."),
    )
    for option in reversed(options):
        func_ = option(func_)
    return func_


@search_group.command("persons", epilog=f"Strong match: a score of {STRONG_MATCH} or more.")
@click.argument("query")
@click.option("--birth-year", type=int, default=None, help="Year of birth (a qualifier).")
@click.option(
    "--birth-year-filter",
    is_flag=True,
    help="Keep only persons born within --tolerance years of --birth-year.",
)
@click.option(
    "--tolerance",
    type=int,
    default=None,
    help=f"Years either side for --birth-year-filter (0-{MAX_TOLERANCE}, "
    f"default {DEFAULT_TOLERANCE}).",
)
@click.option("--nationality", default=None, help="ISO country code, e.g. KZ (a qualifier).")
@click.option("--nationality-filter", is_flag=True, help="Keep only persons holding --nationality.")
@click.option(
    "--include-unknown",
    is_flag=True,
    help="Filters keep persons whose birth year or nationality is unknown.",
)
@_name_switches
@_common
@click.pass_context
@fail_on_ncen_errors
def search_persons_command(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    query: str,
    birth_year: int | None,
    birth_year_filter: bool,
    tolerance: int | None,
    nationality: str | None,
    nationality_filter: bool,
    include_unknown: bool,
    transliteration: bool,
    phonetic: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Persons whose names match QUERY, in any script, best first, with explanations."""
    checked = person_query(
        name=query,
        birth_year=birth_year,
        birth_year_mode="filter" if birth_year_filter else "qualifier",
        birth_year_tolerance=tolerance,
        nationality=nationality,
        nationality_mode="filter" if nationality_filter else "qualifier",
        include_unknown=include_unknown,
        limit=limit,
        **_switches(transliteration, phonetic),
    )
    with database(ctx) as engine, Session(engine) as session, session.begin():
        results = search_persons(session, Actor.system("cli"), checked)
        hits = [
            {
                "id": str(hit.person_id),
                "type": "person",
                "name": hit.display_name,
                "score": round(hit.score, 3),
                "strong": is_strong(hit.score),
                "gender": hit.gender.value,
                "birth_year": hit.birth_year,
                "nationalities": list(hit.nationalities),
                "explanation": hit.explanation.as_dict(),
            }
            for hit in results.hits
        ]
    _emit("persons", query, hits, as_json)


@search_group.command("companies")
@click.argument("query")
@click.option("--country", default=None, help="Qualifier: ISO country code, e.g. KZ.")
@_name_switches
@_common
@click.pass_context
@fail_on_ncen_errors
def search_companies_command(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context,
    query: str,
    country: str | None,
    transliteration: bool,
    phonetic: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Companies whose names match QUERY, legal forms ignored, best first, with explanations."""
    checked = company_query(
        name=query, country=country, limit=limit, **_switches(transliteration, phonetic)
    )
    with database(ctx) as engine, Session(engine) as session, session.begin():
        results = search_companies(session, Actor.system("cli"), checked)
        hits = [
            {
                "id": str(hit.company_id),
                "type": "company",
                "name": hit.display_name,
                "score": round(hit.score, 3),
                "strong": is_strong(hit.score),
                "country": hit.country,
                "explanation": hit.explanation.as_dict(),
            }
            for hit in results.hits
        ]
    _emit("companies", query, hits, as_json)


@search_group.command("conveyances")
@click.argument("query")
@_common
@click.pass_context
@fail_on_ncen_errors
def search_conveyances_command(ctx: click.Context, query: str, limit: int, as_json: bool) -> None:
    """Conveyances carrying the identifier QUERY (plate, VIN, IMO, MMSI, container, AWB, B/L),
    matched exactly after normalisation (separators and case ignored)."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        results = search_identifiers(session, Actor.system("cli"), query, limit=limit)
        hits = [
            {
                "id": str(hit.record_id),
                "type": "conveyance",
                "name": hit.label,
                "score": 1.0,
                "identifier_kind": hit.identifier_kind,
                "identifier": hit.value,
                "explanation": {
                    "match": "exact",
                    "identifier_kind": hit.identifier_kind,
                    "summary": f"exact {hit.identifier_kind} match on “{hit.value}”",
                },
            }
            for hit in results.hits
            if hit.record_type == "conveyance"
        ]
    _emit("conveyances", query, hits[:limit], as_json)
