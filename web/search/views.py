"""Search pages: the one box (every record type, grouped) and advanced search per type.

Each page reads its form from the query string, asks the domain (`ncen.search`), and on
`ValidationError` shows the message next to the field with status 400, keeping what was typed.
The domain checks ``Action.SEARCH``; each page writes one audit event (`record_search`) with the
query as typed and the ids of the records on the page shown, instead of one per domain search.
Results of records received from other nodes carry a "Received from" badge.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.companies.models import Company
from ncen.conveyances.models import Conveyance
from ncen.errors import ValidationError
from ncen.persons.models import Person
from ncen.policy import Action
from ncen.search.auditing import record_search
from ncen.search.companies import search_companies
from ncen.search.fulltext import search_fulltext
from ncen.search.identifiers import IdentifierHit, search_identifiers
from ncen.search.persons import search_persons
from ncen.search.query import MAX_LIMIT, company_query, person_query, person_search_params
from ncen.search.results import IDS, among, read
from ncen.search.seizures import matching_ids, search_seizures, seizure_search
from ncen.seizures.models import Seizure
from web.codes import offer
from web.db import get_session
from web.forms import apply_errors
from web.pagination import Page, page_number, paginate_list
from web.search import bp
from web.search.forms import (
    CompanySearchForm,
    EverythingForm,
    PersonSearchForm,
    SaveSearchForm,
    SeizureSearchForm,
)
from web.security import current_web_user, requires

PER_PAGE = 20
_PLURAL = {"person": "persons", "company": "companies"}
BOX_HITS = 5  # hits per group in the one box; "all results" opens the advanced search
_MODELS: dict[str, Any] = {
    "person": Person,
    "company": Company,
    "conveyance": Conveyance,
    "seizure": Seizure,
}


@dataclass(frozen=True)
class Group:
    """One group of the one box: a record type, its first hits, how many in all, and where
    to see them all (None: the group has no advanced page)."""

    key: str
    hits: list[Any]
    total: int
    more_url: str | None = None


def origins(db: Session, record_type: str, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The sending node of each received record among ``ids`` (national ones are absent)."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    statement = _ORIGINS.get(record_type)
    if statement is None:
        model = _MODELS[record_type]
        statement = _ORIGINS[record_type] = select(model.id, model.origin_node).where(
            among(model.id, IDS), model.origin_node.is_not(None)
        )
    rows = read(db, statement, {IDS.key: wanted})
    return {row[0]: row[1] for row in rows}


# By record type: built once, the ids a parameter (`ncen.search.results.IDS`).
_ORIGINS: dict[str, Any] = {}


def _switches() -> dict[str, bool]:
    return {
        "transliteration": "no_transliteration" not in request.args,
        "phonetic": "no_phonetic" not in request.args,
    }


def _attempt(search: Callable[[], Any]) -> tuple[Any, ValidationError | None]:
    raw = request.args.get("q") or ""
    if "\ufffd" in raw or "\x00" in raw:
        # The browser sent bytes that are not UTF-8 (decoded as U+FFFD) or NUL characters.
        return None, ValidationError({"q": "the text contains characters that are not valid"})
    try:
        return search(), None
    except ValidationError as exc:
        return None, exc


def _asked() -> dict[str, str]:
    """The query of the page as typed (the page number apart), for the audit event."""
    return {k: v for k, v in request.args.items() if k != "page"}


def _save_form(kind: str) -> SaveSearchForm:
    params = {k: v for k, v in request.args.items() if k != "page"}
    form = SaveSearchForm(formdata=None, kind=kind)
    form.params.data = urlencode(params)
    return form


@bp.get("")
@requires(Action.SEARCH)
def index() -> ResponseReturnValue:
    """The one box: persons and companies by name, identifiers exactly, seizures by text."""
    form = EverythingForm(formdata=request.args)
    raw = request.args.get("q")
    if raw is None:
        return render_template("search/index.html", form=form, groups=None, origins={})
    actor = current_web_user().actor
    db = get_session()
    with db.begin():
        groups, errors = _everything(db, actor, raw)
        if errors and not any(g.hits for g in groups):
            # Nothing could be searched: say why (the first message is the most general).
            form.q.errors = [errors[0]]
        shown = _ids_by_type(groups)
        record_search(
            db,
            actor,
            "search.box",
            query=_asked(),
            shown=shown,
            details={"results": {g.key: g.total for g in groups}},
        )
        received = {kind: origins(db, kind, ids) for kind, ids in shown.items()}
        html = render_template("search/index.html", form=form, groups=groups, origins=received)
    return html, 400 if form.q.errors else 200


def _everything(db: Session, actor: Actor, raw: str) -> tuple[list[Group], list[str]]:
    errors: list[str] = []
    groups: list[Group] = []
    people, error = _attempt(
        lambda: search_persons(db, actor, person_query(name=raw, limit=MAX_LIMIT), audit=False)
    )
    if error:
        errors.extend(error.errors.values())
    else:
        groups.append(
            Group(
                "persons",
                list(people.hits[:BOX_HITS]),
                len(people.hits),
                url_for("search.persons", q=raw),
            )
        )
    firms, error = _attempt(
        lambda: search_companies(db, actor, company_query(name=raw, limit=MAX_LIMIT), audit=False)
    )
    if not error:
        groups.append(
            Group(
                "companies",
                list(firms.hits[:BOX_HITS]),
                len(firms.hits),
                url_for("search.companies", q=raw),
            )
        )
    found, error = _attempt(lambda: search_identifiers(db, actor, raw, audit=False))
    if not error:
        groups.append(Group("identifiers", list(found.hits), len(found.hits)))
    texts, error = _attempt(lambda: search_fulltext(db, actor, raw, limit=BOX_HITS, audit=False))
    if error:
        errors.extend(error.errors.values())
    else:
        groups.append(
            Group("seizures", list(texts.hits), texts.examined, url_for("search.seizures", q=raw))
        )
    return groups, errors


def _ids_by_type(groups: list[Group]) -> dict[str, list[uuid.UUID]]:
    ids: dict[str, list[uuid.UUID]] = {t: [] for t in _MODELS}
    for group in groups:
        for hit in group.hits:
            if isinstance(hit, IdentifierHit):
                ids[hit.record_type].append(hit.record_id)
            elif group.key == "persons":
                ids["person"].append(hit.person_id)
            elif group.key == "companies":
                ids["company"].append(hit.company_id)
            else:
                ids["seizure"].append(hit.seizure_id)
    return ids


def _name_search(
    form: Any, template: str, kind: str, run: Callable[[Session, Actor], Any]
) -> ResponseReturnValue:
    page: Page[Any] | None = None
    received: dict[uuid.UUID, str] = {}
    if request.args.get("q") is not None:
        actor = current_web_user().actor
        db = get_session()
        with db.begin():
            results, error = _attempt(lambda: run(db, actor))
            if error:
                apply_errors(form, _rename(error))
            else:
                page = paginate_list(list(results.hits), page_number(), PER_PAGE)
                ids = [getattr(h, f"{kind}_id") for h in page.items]
                record_search(
                    db,
                    actor,
                    f"search.{_PLURAL[kind]}",
                    query=_asked(),
                    shown={kind: ids},
                    details={"page": page.number, "total": page.total},
                )
                received = origins(db, kind, ids)
            return _render(template, form, page, received, kind)
    return _render(template, form, page, received, kind)


def _render(
    template: str, form: Any, page: Any, received: dict[uuid.UUID, str], kind: str
) -> ResponseReturnValue:
    html = render_template(
        template,
        form=form,
        page=page,
        origins=received,
        save_form=_save_form(f"{kind}s") if page is not None else None,
    )
    return html, 400 if form.errors else 200


def _rename(error: ValidationError) -> ValidationError:
    """The domain calls the query ``name``; the pages call it ``q``."""
    return ValidationError({("q" if k == "name" else k): v for k, v in error.errors.items()})


@bp.get("/persons")
@requires(Action.SEARCH)
def persons() -> ResponseReturnValue:
    """Advanced person search: name in any script, birth years, nationality, gender, switches."""
    form = PersonSearchForm(formdata=request.args)
    offer(form.nationality, "countries")
    return _name_search(form, "search/persons.html", "person", run_person_search)


def run_person_search(db: Session, actor: Actor) -> Any:
    """The person search of the query string (unaudited: the caller audits what it shows or
    exports). Raises `ValidationError` for a refused query."""
    query = person_search_params(request.args.to_dict(), limit=MAX_LIMIT)
    return search_persons(db, actor, query, audit=False)


def asked() -> dict[str, str]:
    """The query as asked (for the audit trail of an export of its results)."""
    return _asked()


@bp.get("/companies")
@requires(Action.SEARCH)
def companies() -> ResponseReturnValue:
    """Advanced company search: name (legal forms ignored), country, switches."""
    form = CompanySearchForm(formdata=request.args)
    offer(form.only_country, "countries")
    return _name_search(form, "search/companies.html", "company", run_company_search)


def run_company_search(db: Session, actor: Actor) -> Any:
    """The company search of the query string (unaudited, like `run_person_search`)."""
    query = company_query(
        name=request.args.get("q"),
        only_country=request.args.get("only_country"),
        limit=MAX_LIMIT,
        **_switches(),
    )
    return search_companies(db, actor, query, audit=False)


@bp.get("/seizures")
@requires(Action.SEARCH)
def seizures() -> ResponseReturnValue:
    """Advanced seizure search: words in the texts (highlighted) and every filter."""
    form = SeizureSearchForm(formdata=request.args)
    for name, codes in (
        ("country", "countries"),
        ("departure_country", "countries"),
        ("transit_country", "countries"),
        ("destination_country", "countries"),
        ("commodity_group", "commodity_groups"),
        ("detection_method", "detection_methods"),
        ("transport_mode", "transport_modes"),
        ("office_code", "customs_offices"),
        ("person_role", "person_roles"),
        ("company_role", "company_roles"),
    ):
        offer(form[name], codes)
    page: Page[Any] | None = None
    if request.args:
        actor = current_web_user().actor
        db = get_session()
        with db.begin():
            search, error = _attempt(lambda: seizure_search(**request.args.to_dict()))
            if error:
                apply_errors(form, error)
            else:
                number = page_number()
                hits, total = search_seizures(
                    db, actor, search, page=number, per_page=PER_PAGE, audit=False
                )
                page = Page(items=hits, number=number, per_page=PER_PAGE, total=total)
                record_search(
                    db,
                    actor,
                    "search.seizures",
                    query=_asked(),
                    shown={"seizure": [h.seizure.id for h in hits]},
                    details={"page": number, "total": total},
                )
            return _render_seizures(form, page)
    return _render_seizures(form, page)


def _render_seizures(form: SeizureSearchForm, page: Page[Any] | None) -> ResponseReturnValue:
    html = render_template(
        "search/seizures.html",
        form=form,
        page=page,
        save_form=_save_form("seizures") if page is not None else None,
    )
    return html, 400 if form.errors else 200


def seizure_search_ids(db: Session, actor: Actor, limit: int) -> list[uuid.UUID]:
    """The ids of every seizure the seizure search of the query string finds, in its order, at
    most ``limit`` (unaudited: the caller audits what it exports). Raises `ValidationError`."""
    search = seizure_search(**request.args.to_dict())
    return matching_ids(db, actor, search, limit=limit)


def box_ids(db: Session, actor: Actor, limit: int) -> dict[str, list[uuid.UUID]]:
    """The ids of everything the one box finds for ``q`` of the query string, per record type:
    every person and company hit (as on their advanced pages), every record an identifier names,
    and every seizure whose texts hold the words (at most ``limit``, the seizure search's own
    order). A group whose search refuses the text is empty, as on the page; raises
    `ValidationError` when no group could be searched. Unaudited: the caller audits."""
    raw = request.args.get("q") or ""
    ids: dict[str, list[uuid.UUID]] = {t: [] for t in _MODELS}
    refused: list[ValidationError] = []
    searches: list[tuple[str, Callable[[], Any]]] = [
        ("person", lambda: search_persons(db, actor, person_query(name=raw, limit=MAX_LIMIT),
                                          audit=False)),
        ("company", lambda: search_companies(db, actor, company_query(name=raw, limit=MAX_LIMIT),
                                             audit=False)),
        ("identifier", lambda: search_identifiers(db, actor, raw, audit=False)),
        ("seizure", lambda: matching_ids(db, actor, seizure_search(q=raw), limit=limit)),
    ]  # fmt: skip
    for kind, search in searches:
        found, error = _attempt(search)
        if error:
            refused.append(error)
        elif kind == "seizure":
            ids["seizure"].extend(found)
        elif kind == "identifier":
            for hit in found.hits:
                ids[hit.record_type].append(hit.record_id)
        else:
            ids[kind].extend(getattr(h, f"{kind}_id") for h in found.hits)
    if len(refused) == len(searches):
        raise refused[0]
    return ids
