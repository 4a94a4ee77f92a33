"""Every route of the application under every role, against an explicit table of expectations.

The table must list exactly the routes of ``app.url_map``: a new route without an entry (or an
entry for a route that no longer exists) fails `test_table_covers_every_route`. Outcomes:

- ALLOW: the request is served (a page, or a redirect within the flow; never 403);
- DENY: 403, the role lacks the permission;
- LOGIN: a redirect to the sign-in page that remembers where to come back (``?next=``).

Record routes run against real records (a seizure with a linked person and a picture, a
person, a company, a conveyance) created by another investigator, so the record-level rule
shows: an investigator may not change someone else's draft (``OTHERS_RECORD``); their own
drafts are covered by the area tests. Requests carry no form data, so no POST changes anything
(a missing version is always stale).

CSRF protection is switched off here because it is checked before authorisation and would
answer 400 to every POST; `test_csrf.py` proves it on every state-changing route.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from ncen.accounts.actor import Actor
from ncen.accounts.models import AccountAlert, Role, User
from ncen.apitokens.models import ApiToken
from ncen.apitokens.services import digest
from ncen.investigations.services import open_case
from ncen.pictures.models import PictureLink
from ncen.pictures.services import add_pictures
from ncen.pictures.store import PictureStore
from ncen.seizures.services import link_entity
from tests.api_support import make_token
from tests.functional.conftest import sign_in
from tests.web_support import jpeg, make_record, make_user, tx

ALLOW, DENY, LOGIN = "allow", "deny", "login"
ROLES = ("investigator", "analyst", "supervisor", "exchange_officer", "administrator", "auditor")
ANONYMOUS = "anonymous"

PUBLIC = dict.fromkeys((*ROLES, ANONYMOUS), ALLOW)
SIGNED_IN = {**dict.fromkeys(ROLES, ALLOW), ANONYMOUS: LOGIN}
ADMINISTRATOR = {**dict.fromkeys(ROLES, DENY), "administrator": ALLOW, ANONYMOUS: LOGIN}
# The audit trail: administrators (nominal details hidden) and auditors (everything).
AUDIT_READERS = {**ADMINISTRATOR, "auditor": ALLOW}
# Alerts about accounts given access to nominal data: auditors only.
AUDITOR = {**dict.fromkeys(ROLES, DENY), "auditor": ALLOW, ANONYMOUS: LOGIN}
# Nominal data: every role but the oversight roles (administrator, auditor) reads records.
READ = {**dict.fromkeys(ROLES, ALLOW), "administrator": DENY, "auditor": DENY, ANONYMOUS: LOGIN}
# Recording new records (and downloading sealed originals): investigators and supervisors.
RECORDERS = {
    **dict.fromkeys(ROLES, DENY),
    "investigator": ALLOW,
    "supervisor": ALLOW,
    ANONYMOUS: LOGIN,
}
SUPERVISOR = {**dict.fromkeys(ROLES, DENY), "supervisor": ALLOW, ANONYMOUS: LOGIN}
# Changing a record another investigator created: a supervisor only.
OTHERS_RECORD = SUPERVISOR
# Watch-lists and alerts: analysts and supervisors.
WATCHERS = {
    **dict.fromkeys(ROLES, DENY),
    "analyst": ALLOW,
    "supervisor": ALLOW,
    ANONYMOUS: LOGIN,
}
# The exchange: exchange officers only; the peer endpoint is public (signatures authenticate).
EXCHANGE = {**dict.fromkeys(ROLES, DENY), "exchange_officer": ALLOW, ANONYMOUS: LOGIN}
# Statistics: every reader of records except the oversight roles (Action.READ_STATISTICS).
STATISTICS = {**READ}
# Linking a received record to a national one: analysts and supervisors.
LINKERS = {**dict.fromkeys(ROLES, DENY), "analyst": ALLOW, "supervisor": ALLOW, ANONYMOUS: LOGIN}
# Link charts and timelines (Action.ANALYSE_NETWORK): investigators, analysts, supervisors.
NETWORK = {
    **dict.fromkeys(ROLES, DENY),
    "investigator": ALLOW,
    "analyst": ALLOW,
    "supervisor": ALLOW,
    ANONYMOUS: LOGIN,
}
CHART = "/analysis/api/charts/<uuid:chart_id>"
# Investigations: investigators, analysts and supervisors (not the exchange officer, nor the
# oversight roles). The case of the table is led by another investigator and not restricted:
# everyone of those roles sees it; only a supervisor (or its lead and team) changes it.
CASES = NETWORK
CASE = "/investigations/<uuid:case_id>"
OTHERS_CASE = SUPERVISOR
# Exports (Action.EXPORT_RECORDS): investigators, analysts and supervisors; not the exchange
# officer (whose channel is the exchange) nor the oversight roles.
EXPORTERS = NETWORK
# Risk profiles and lookup lists (Action.MANAGE_PROFILES): analysts and supervisors.
PROFILERS = WATCHERS
# The hits queue (Action.READ_HITS, TRIAGE_HITS): investigators (their assigned hits),
# analysts and supervisors; assigning is the analysts' and supervisors'.
HIT_READERS = NETWORK
TARGETING = "/targeting/<uuid:profile_id>"


def _record_area(prefix: str, key: str) -> dict[tuple[str, str], dict[str, str]]:
    record = f"{prefix}/<uuid:{key}>"
    return {
        ("GET", prefix): READ,
        ("GET", f"{prefix}/new"): RECORDERS,
        ("POST", f"{prefix}/new"): RECORDERS,
        ("GET", record): READ,
        ("GET", f"{record}/history"): READ,
        ("GET", f"{record}/edit"): OTHERS_RECORD,
        ("POST", f"{record}/edit"): OTHERS_RECORD,
        ("POST", f"{record}/delete"): SUPERVISOR,
    }


SEIZURE = "/seizures/<uuid:seizure_id>"
PICTURE = "/pictures/<uuid:picture_id>"
ATTACH = "/pictures/attach/<any(seizure, person, company, conveyance):record_type>"
RETAINED = (
    "/retention/review/<any(seizure, person, company, conveyance):record_type>/<uuid:record_id>"
)

API_RECORDS = "any(seizures, persons, companies, conveyances)"

EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/static/<path:filename>"): PUBLIC,
    ("GET", "/vendor/<path:filename>"): PUBLIC,
    ("GET", "/"): PUBLIC,
    ("GET", "/home"): SIGNED_IN,
    ("GET", "/auth/sign-in"): PUBLIC,
    ("POST", "/auth/sign-in"): PUBLIC,
    ("GET", "/auth/two-factor"): PUBLIC,
    ("POST", "/auth/two-factor"): PUBLIC,
    ("GET", "/auth/two-factor/enrol"): PUBLIC,
    ("POST", "/auth/two-factor/enrol"): PUBLIC,
    ("POST", "/auth/language"): PUBLIC,
    ("GET", "/auth/account"): SIGNED_IN,
    ("GET", "/auth/password/first"): PUBLIC,
    ("POST", "/auth/password/first"): PUBLIC,
    ("GET", "/auth/password"): SIGNED_IN,
    ("POST", "/auth/password"): SIGNED_IN,
    ("POST", "/auth/sign-out"): SIGNED_IN,
    ("POST", "/exchange/v1/bundles"): PUBLIC,
    ("POST", "/exchange/v1/pull"): PUBLIC,
    ("POST", "/exchange/v1/pull/bundle"): PUBLIC,
    ("POST", "/exchange/v1/receipts"): PUBLIC,
    ("GET", "/exchange/"): EXCHANGE,
    ("GET", "/exchange/peers/<node_id>"): EXCHANGE,
    ("GET", "/exchange/keys"): EXCHANGE,
    ("GET", "/exchange/outbox"): EXCHANGE,
    ("POST", "/exchange/outbox/retry"): EXCHANGE,
    ("GET", "/exchange/bundles/<uuid:bundle_id>"): EXCHANGE,
    ("GET", "/exchange/inbox"): EXCHANGE,
    ("GET", "/exchange/inbox/<uuid:bundle_id>"): EXCHANGE,
    ("GET", "/exchange/send"): EXCHANGE,
    ("POST", "/exchange/send"): EXCHANGE,
    ("GET", "/exchange/updates"): EXCHANGE,
    ("POST", "/exchange/distribution"): EXCHANGE,
    ("POST", "/exchange/retract"): EXCHANGE,
    ("GET", "/exchange/rfis"): EXCHANGE,
    ("POST", "/exchange/rfis"): EXCHANGE,
    ("POST", "/exchange/rfis/<uuid:rfi_id>/reply"): EXCHANGE,
    ("GET", "/exchange/hit-checks"): EXCHANGE,
    ("POST", "/exchange/hit-checks"): EXCHANGE,
    ("GET", "/exchange/cen-export"): EXCHANGE,
    ("POST", "/exchange/cen-export/download"): EXCHANGE,
    ("GET", "/exchange/links"): LINKERS,
    ("POST", "/exchange/links"): LINKERS,
    ("GET", "/admin/users"): ADMINISTRATOR,
    ("GET", "/admin/users/new"): ADMINISTRATOR,
    ("POST", "/admin/users/new"): ADMINISTRATOR,
    ("GET", "/admin/users/<uuid:user_id>"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/roles"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/team"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/disable"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/enable"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/reset-password"): ADMINISTRATOR,
    ("POST", "/admin/users/<uuid:user_id>/reset-two-factor"): ADMINISTRATOR,
    ("GET", "/admin/audit"): AUDIT_READERS,
    ("GET", "/admin/account-alerts"): AUDITOR,
    ("POST", "/admin/account-alerts/<uuid:alert_id>/acknowledge"): AUDITOR,
    ("GET", "/admin/reference"): ADMINISTRATOR,
    ("GET", "/admin/reference/<list_name>"): ADMINISTRATOR,
    ("POST", "/admin/reference/<list_name>/new"): ADMINISTRATOR,
    ("POST", "/admin/reference/<list_name>/<code>/deactivate"): ADMINISTRATOR,
    ("POST", "/admin/reference/<list_name>/<code>/activate"): ADMINISTRATOR,
    ("GET", "/admin/reference/<list_name>/<code>/labels"): ADMINISTRATOR,
    ("POST", "/admin/reference/<list_name>/<code>/labels"): ADMINISTRATOR,
    **_record_area("/seizures", "seizure_id"),
    ("GET", "/seizures/picker/<any(person, company, conveyance):kind>"): RECORDERS,
    ("GET", f"{SEIZURE}/link"): OTHERS_RECORD,
    ("POST", f"{SEIZURE}/link"): OTHERS_RECORD,
    ("POST", f"{SEIZURE}/unlink/<any(person, company, conveyance):kind>/<uuid:link_id>"): (
        OTHERS_RECORD
    ),
    ("POST", f"{SEIZURE}/submit"): OTHERS_RECORD,
    ("POST", f"{SEIZURE}/validate"): SUPERVISOR,
    ("POST", f"{SEIZURE}/return"): SUPERVISOR,
    **_record_area("/persons", "person_id"),
    **_record_area("/companies", "company_id"),
    **_record_area("/conveyances", "conveyance_id"),
    ("GET", f"{PICTURE}/thumbnail"): READ,
    ("GET", f"{PICTURE}/display"): READ,
    ("GET", f"{PICTURE}/original"): RECORDERS,
    ("GET", f"{PICTURE}/edit"): OTHERS_RECORD,
    ("POST", f"{PICTURE}/edit"): OTHERS_RECORD,
    # Attaching changes the record: the right to edit it (issue 12 item 13).
    ("GET", f"{ATTACH}/<uuid:record_id>"): OTHERS_RECORD,
    ("POST", f"{ATTACH}/<uuid:record_id>"): OTHERS_RECORD,
    ("POST", "/pictures/links/<uuid:link_id>/detach"): OTHERS_RECORD,
    # The gallery and similarity search show seizures: every reader of records (issue 9).
    ("GET", "/pictures/search"): READ,
    ("GET", "/pictures/similar"): READ,
    ("POST", "/pictures/similar"): READ,
    ("GET", f"{PICTURE}/similar"): READ,
    ("GET", "/pictures/duplicates"): READ,
    # Search finds nominal data: every role but the administrator (Action.SEARCH).
    ("GET", "/search"): READ,
    ("GET", "/search/persons"): READ,
    ("GET", "/search/companies"): READ,
    ("GET", "/search/seizures"): READ,
    ("GET", "/search/saved"): READ,
    ("POST", "/search/saved"): READ,
    ("POST", "/search/saved/<uuid:saved_id>/run"): READ,
    ("POST", "/search/saved/<uuid:saved_id>/delete"): READ,
    # Duplicates: candidates and the ledger are read like search results; merging, unmerging
    # and judging pairs are a supervisor's (Action.MERGE_RECORDS).
    ("GET", "/duplicates"): READ,
    ("GET", "/duplicates/compare/<any(person, company):record_type>/<uuid:first>/<uuid:second>"): (
        READ
    ),
    ("POST", "/duplicates/merge"): SUPERVISOR,
    ("POST", "/duplicates/decide"): SUPERVISOR,
    ("POST", "/duplicates/merges/<uuid:merge_id>/unmerge"): SUPERVISOR,
    ("GET", "/duplicates/decisions"): READ,
    # The spreadsheet import wizard (Action.IMPORT_RECORDS): supervisors only.
    ("GET", "/imports"): SUPERVISOR,
    ("POST", "/imports"): SUPERVISOR,
    ("GET", "/imports/<uuid:upload_id>"): SUPERVISOR,
    ("POST", "/imports/<uuid:upload_id>/preview"): SUPERVISOR,
    ("POST", "/imports/<uuid:upload_id>/import"): SUPERVISOR,
    ("GET", "/imports/<uuid:upload_id>/report.csv"): SUPERVISOR,
    ("POST", "/imports/mappings"): SUPERVISOR,
    # Watch-lists and alerts: analysts and supervisors (Action.MANAGE_WATCHLISTS).
    ("GET", "/targeting"): PROFILERS,
    ("GET", "/targeting/new"): PROFILERS,
    ("POST", "/targeting/new"): PROFILERS,
    ("GET", TARGETING): PROFILERS,
    ("GET", f"{TARGETING}/edit"): PROFILERS,
    ("POST", f"{TARGETING}/edit"): PROFILERS,
    ("POST", f"{TARGETING}/status"): PROFILERS,
    ("GET", f"{TARGETING}/compare"): PROFILERS,
    ("GET", f"{TARGETING}/backtest"): PROFILERS,
    ("GET", "/targeting/lists"): PROFILERS,
    ("POST", "/targeting/lists"): PROFILERS,
    ("GET", "/targeting/lists/<uuid:list_id>"): PROFILERS,
    ("POST", "/targeting/lists/<uuid:list_id>"): PROFILERS,
    ("POST", "/targeting/lists/<uuid:list_id>/entries/<uuid:entry_id>/delete"): PROFILERS,
    ("GET", "/targeting/hits"): HIT_READERS,
    ("GET", "/targeting/hits/<uuid:hit_id>"): HIT_READERS,
    ("POST", "/targeting/hits/<uuid:hit_id>/decide"): HIT_READERS,
    ("POST", "/targeting/hits/<uuid:hit_id>/assign"): PROFILERS,
    # From a hit to a case: OPEN_INVESTIGATION / WORK_ON_INVESTIGATION (the hit must be visible).
    ("POST", "/targeting/hits/<uuid:hit_id>/investigation"): CASES,
    ("POST", "/targeting/hits/<uuid:hit_id>/add-to-investigation"): CASES,
    # Profiles received from peers: read and adopted by those who write profiles.
    ("GET", "/targeting/foreign"): PROFILERS,
    ("GET", "/targeting/foreign/<uuid:foreign_id>"): PROFILERS,
    ("POST", "/targeting/foreign/<uuid:foreign_id>/adopt"): PROFILERS,
    # Sending profiles and returning feedback: the exchange officer's channel.
    ("GET", "/exchange/profiles"): EXCHANGE,
    ("POST", "/exchange/profiles"): EXCHANGE,
    ("POST", "/exchange/profiles/<uuid:foreign_id>/feedback"): EXCHANGE,
    ("GET", "/watch"): WATCHERS,
    ("POST", "/watch"): WATCHERS,
    ("POST", "/watch/record"): WATCHERS,
    ("POST", "/watch/<uuid:watch_id>/delete"): WATCHERS,
    ("GET", "/watch/alerts"): WATCHERS,
    ("POST", "/watch/alerts/read"): WATCHERS,
    # Retention review: supervisors only (Action.REVIEW_RETENTION).
    ("GET", "/retention/review"): SUPERVISOR,
    ("POST", f"{RETAINED}/keep"): SUPERVISOR,
    ("POST", f"{RETAINED}/delete"): SUPERVISOR,
    ("GET", "/retention/tombstones"): SUPERVISOR,
    # Link charts, saved charts and timelines; a chart of another user is a 404 (ALLOW here).
    ("GET", "/analysis/network"): NETWORK,
    ("GET", "/analysis/network/charts"): NETWORK,
    ("POST", "/analysis/network/charts/<uuid:chart_id>/delete"): NETWORK,
    ("GET", "/analysis/timeline"): NETWORK,
    ("GET", "/analysis/api/search"): NETWORK,
    ("GET", "/analysis/api/resolve"): NETWORK,
    ("GET", "/analysis/api/nodes"): NETWORK,
    ("GET", "/analysis/api/expand"): NETWORK,
    ("GET", "/analysis/api/paths"): NETWORK,
    ("POST", "/analysis/api/measures"): NETWORK,
    ("GET", "/analysis/api/central"): NETWORK,
    ("GET", "/analysis/api/charts"): NETWORK,
    ("POST", "/analysis/api/charts"): NETWORK,
    ("GET", CHART): NETWORK,
    ("POST", CHART): NETWORK,
    ("POST", f"{CHART}/delete"): NETWORK,
    ("GET", "/analysis/api/timeline"): NETWORK,
    # Statistics (Action.READ_STATISTICS): aggregate counts for investigators, analysts,
    # supervisors and exchange officers; each drill-down is the seizure list (READ).
    ("GET", "/analysis/statistics"): STATISTICS,
    ("GET", "/analysis/statistics/export.csv"): STATISTICS,
    # Personal API tokens on the account page (creating one needs two-step sign-in, which the
    # matrix's users lack: a 400 page, ALLOW here).
    ("POST", "/auth/api-tokens"): SIGNED_IN,
    ("POST", "/auth/api-tokens/<uuid:token_id>/revoke"): SIGNED_IN,
    # The REST API, called with a read-and-write token of the role's user (no cookie is read;
    # no token: 401, LOGIN here). The record-level rule shows as on the pages.
    ("GET", "/api/v1/openapi.json"): PUBLIC,
    ("GET", "/api/v1/docs"): PUBLIC,
    ("GET", "/api/v1/persons"): READ,
    ("POST", "/api/v1/persons"): RECORDERS,
    ("GET", "/api/v1/persons/<uuid:person_id>"): READ,
    ("PUT", "/api/v1/persons/<uuid:person_id>"): OTHERS_RECORD,
    ("GET", "/api/v1/seizures"): READ,
    ("POST", "/api/v1/seizures"): RECORDERS,
    ("GET", "/api/v1/seizures/<uuid:seizure_id>"): READ,
    ("PUT", "/api/v1/seizures/<uuid:seizure_id>"): OTHERS_RECORD,
    ("GET", "/api/v1/companies"): READ,
    ("GET", "/api/v1/companies/<uuid:company_id>"): READ,
    ("GET", "/api/v1/conveyances"): READ,
    ("GET", "/api/v1/conveyances/<uuid:conveyance_id>"): READ,
    ("GET", f"/api/v1/<{API_RECORDS}:records>/<uuid:record_id>/pictures"): READ,
    ("GET", "/api/v1/pictures"): READ,
    ("GET", "/api/v1/pictures/<uuid:picture_id>"): READ,
    ("GET", "/api/v1/pictures/<uuid:picture_id>/display"): READ,
    ("GET", "/api/v1/pictures/<uuid:picture_id>/thumbnail"): READ,
    ("GET", "/api/v1/pictures/<uuid:picture_id>/original"): RECORDERS,
    ("POST", "/api/v1/imports"): SUPERVISOR,
    ("GET", "/api/v1/imports/<uuid:job_id>"): SUPERVISOR,
    ("POST", "/api/v1/imports/<uuid:job_id>/run"): SUPERVISOR,
    ("GET", "/api/v1/imports/<uuid:job_id>/report.csv"): SUPERVISOR,
    ("GET", "/exports/<any(seizures, persons, companies, conveyances):kind>.<fmt>"): EXPORTERS,
    ("GET", "/exports/charts/<uuid:chart_id>.<fmt>"): EXPORTERS,
    ("GET", "/exports/investigations/<uuid:case_id>.<fmt>"): EXPORTERS,
    ("GET", "/exports/search.<fmt>"): EXPORTERS,
    ("GET", "/exports/search/companies.<fmt>"): EXPORTERS,
    ("GET", "/exports/search/persons.<fmt>"): EXPORTERS,
    ("GET", "/exports/search/seizures.<fmt>"): EXPORTERS,
    ("POST", "/exchange/rfis/<uuid:rfi_id>/investigation"): EXCHANGE,
    ("POST", "/exchange/rfis/<uuid:rfi_id>/investigation/<uuid:case_id>/remove"): EXCHANGE,
    ("GET", "/investigations"): CASES,
    ("GET", "/investigations/new"): CASES,
    ("POST", "/investigations/new"): CASES,
    ("GET", "/investigations/add"): CASES,
    ("POST", "/investigations/add"): CASES,
    ("GET", CASE): CASES,
    ("GET", f"{CASE}/edit"): OTHERS_CASE,
    ("POST", f"{CASE}/edit"): OTHERS_CASE,
    ("POST", f"{CASE}/status"): OTHERS_CASE,
    ("POST", f"{CASE}/team"): OTHERS_CASE,
    ("POST", f"{CASE}/team/<uuid:user_id>/remove"): OTHERS_CASE,
    ("POST", f"{CASE}/items"): OTHERS_CASE,
    ("POST", f"{CASE}/items/<uuid:item_id>/remove"): OTHERS_CASE,
    ("POST", f"{CASE}/tasks"): OTHERS_CASE,
    ("POST", f"{CASE}/tasks/<uuid:task_id>/done"): OTHERS_CASE,
    ("POST", f"{CASE}/notes"): OTHERS_CASE,
}

# Values for the URL variables of the rules; ``@name`` is replaced by the id of a real record
# (``@user``: a user's id), other values are used as they are.
URL_VALUES: dict[tuple[str, str], str] = {
    ("static", "filename"): "app.css",
    ("assets.vendor", "filename"): "bootstrap.min.css",
    ("admin.*", "user_id"): "@user",
    ("admin.*", "list_name"): "detection_methods",
    ("admin.*", "code"): "random_check",
    ("admin.*", "alert_id"): "@alert",
    ("seizures.*", "seizure_id"): "@seizure",
    ("seizures.unlink", "kind"): "person",
    ("seizures.picker", "kind"): "company",
    ("seizures.unlink", "link_id"): "@person_link",
    ("persons.*", "person_id"): "@person",
    ("companies.*", "company_id"): "@company",
    ("conveyances.*", "conveyance_id"): "@conveyance",
    ("pictures.*", "picture_id"): "@picture",
    ("pictures.attach", "record_type"): "seizure",
    ("pictures.attach", "record_id"): "@seizure",
    ("pictures.detach", "link_id"): "@picture_link",
    ("exchange.*", "node_id"): "no-such-peer",
    ("exchange.*", "bundle_id"): "@bundle",
    ("exchange.*", "rfi_id"): "@rfi",
    ("search.*", "saved_id"): "@saved_search",
    ("merging.*", "record_type"): "person",
    ("merging.*", "first"): "@person",
    ("merging.*", "second"): "@person",
    ("merging.*", "merge_id"): "@merge",
    ("watch.*", "watch_id"): "@watch",
    ("targeting.*", "profile_id"): "@profile",
    ("targeting.*", "hit_id"): "@hit",
    ("targeting.*", "list_id"): "@lookup_list",
    ("targeting.*", "entry_id"): "@lookup_entry",
    ("targeting.*", "foreign_id"): "@foreign_profile",
    ("exchange.*", "foreign_id"): "@foreign_profile",
    ("imports.*", "upload_id"): "@upload",
    ("retention.*", "record_type"): "person",
    ("retention.*", "record_id"): "@person",
    ("network.*", "chart_id"): "@chart",
    ("network_api.*", "chart_id"): "@chart",
    ("auth.revoke_api_token", "token_id"): "@token",
    ("api.*", "seizure_id"): "@seizure",
    ("api.*", "person_id"): "@person",
    ("api.*", "company_id"): "@company",
    ("api.*", "conveyance_id"): "@conveyance",
    ("api.*", "picture_id"): "@picture",
    ("api.*", "records"): "seizures",
    ("api.*", "record_id"): "@seizure",
    ("api.*", "job_id"): "@upload",
    ("exports.*", "kind"): "seizures",
    ("exports.*", "fmt"): "csv",
    ("exports.*", "chart_id"): "@chart",
    ("exports.*", "case_id"): "@investigation",
    ("investigations.*", "case_id"): "@investigation",
    ("exchange.rfi_unlink", "case_id"): "@investigation",
    ("investigations.*", "user_id"): "@user",
    ("investigations.*", "item_id"): "@no_item",
    ("investigations.*", "task_id"): "@no_task",
}
NO_RECORD = uuid.UUID(int=0)


def routes(app: Flask) -> list[tuple[str, Rule]]:
    """Every (method, rule) the application answers, HEAD and OPTIONS aside."""
    return sorted(
        (
            (method, rule)
            for rule in app.url_map.iter_rules()
            for method in rule.methods or ()
            if method not in {"HEAD", "OPTIONS"}
        ),
        key=lambda pair: (pair[1].rule, pair[0]),
    )


def url_for_rule(rule: Rule, ids: Mapping[str, uuid.UUID] | uuid.UUID) -> str:
    """A concrete URL for ``rule``; fails for a variable without a value in `URL_VALUES`.

    ``ids`` names the records that ``@name`` values stand for (a bare id: the ``@user``); a
    record not named there gets an id that exists nowhere.
    """
    known = {"user": ids} if isinstance(ids, uuid.UUID) else dict(ids)
    values: dict[str, object] = {}
    for argument in rule.arguments:
        blueprint = rule.endpoint.split(".")[0] + ".*"
        value = URL_VALUES.get((rule.endpoint, argument)) or URL_VALUES.get((blueprint, argument))
        assert value is not None, f"add a value for {rule.endpoint}:{argument} to URL_VALUES"
        values[argument] = known.get(value[1:], NO_RECORD) if value.startswith("@") else value
    path = rule.rule
    for name, value in values.items():
        converter = next(part for part in path.split("<") if part.split(">")[0].endswith(name))
        path = path.replace("<" + converter.split(">")[0] + ">", str(value))
    return path


def outcome(response: TestResponse) -> str:
    """Classify a response as ALLOW, DENY or LOGIN (an API's 401: no token)."""
    assert response.status_code < 500, response.text
    if response.status_code == 403:
        return DENY
    if response.status_code == 401 and response.mimetype == "application/problem+json":
        return LOGIN
    if response.status_code in {301, 302, 303}:
        location = urlsplit(response.location)
        if location.path == "/auth/sign-in" and "next" in parse_qs(location.query):
            return LOGIN
    return ALLOW


def test_table_covers_every_route(app: Flask) -> None:
    actual = {(method, rule.rule) for method, rule in routes(app)}
    assert sorted(actual - EXPECTED.keys()) == [], "routes without an expected entry"
    assert sorted(EXPECTED.keys() - actual) == [], "expected entries for routes that are gone"


def _signed_in(client: FlaskClient) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def _token_id(db: Session, text: str) -> uuid.UUID:
    with tx(db):
        return db.execute(
            select(ApiToken.id).where(ApiToken.secret_hash == digest(text))
        ).scalar_one()


def _alert_of(db: Session, user: User) -> uuid.UUID:
    with tx(db):
        stmt = select(AccountAlert.id).where(AccountAlert.user_id == user.id)
        return db.execute(stmt).scalars().first() or NO_RECORD


def make_records(db: Session, app: Flask, author: User) -> dict[str, uuid.UUID]:
    """A seizure with a linked person and a picture, a company and a conveyance by ``author``."""
    seizure = make_record(db, author, "seizure")
    person = make_record(db, author, "person")
    company = make_record(db, author, "company")
    conveyance = make_record(db, author, "conveyance")
    actor = Actor.of(author)
    settings = app.extensions["ncen.settings"]
    with tx(db):
        link = link_entity(
            db, actor, seizure.id, 1, kind="person", target_id=person.id, role="driver"
        )
        (picture,) = add_pictures(
            db,
            actor,
            PictureStore(settings.picture_path),
            settings,
            [("evidence.jpg", jpeg())],
            seizure_id=seizure.id,
        )
        picture_link = db.execute(
            select(PictureLink.id).where(PictureLink.picture_id == picture.id)
        ).scalar_one()
        case = open_case(db, actor, title="Role matrix case", items=[("seizure", seizure.id)])
    return {
        "user": author.id,
        "seizure": seizure.id,
        "person": person.id,
        "person_link": link.id,
        "company": company.id,
        "conveyance": conveyance.id,
        "picture": picture.id,
        "picture_link": picture_link,
        "investigation": case.id,
        # Creating the investigator raised an alert for the auditors.
        "alert": _alert_of(db, author),
    }


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_every_route_under_role(role: str, make_app: Callable[..., Flask], db: Session) -> None:
    app = make_app()
    app.config["WTF_CSRF_ENABLED"] = False
    target = make_user(db, Role.INVESTIGATOR, totp=True)
    ids = make_records(db, app, target)
    user = None if role == ANONYMOUS else make_user(db, Role(role))
    client = app.test_client()
    headers = {"Referer": "http://localhost/home"}
    # API routes authenticate by token only; the client's session cookie is sent but not read.
    token_headers = dict(headers)
    if user is not None:
        token_headers["Authorization"] = f"Bearer {make_token(db, user)}"
        # Someone else's token: revoking it is a 404 (ALLOW) that changes nothing.
        ids = {**ids, "token": _token_id(db, make_token(db, target))}
    observed: dict[tuple[str, str], str] = {}
    expected: dict[tuple[str, str], str] = {}
    for method, rule in routes(app):
        if user is not None and not _signed_in(client):
            assert sign_in(client, user).status_code == 302
        url = url_for_rule(rule, ids)
        is_api = rule.endpoint.startswith("api.")
        response = client.open(url, method=method, headers=token_headers if is_api else headers)
        observed[(method, rule.rule)] = outcome(response)
        response.close()  # file responses (static, vendor) hold the file open until closed
        expected[(method, rule.rule)] = EXPECTED[(method, rule.rule)][role]
    assert observed == expected
