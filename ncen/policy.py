"""The one authorisation policy of the node, used by services and by the web views alike.

`is_allowed` answers "may this actor do this action (to this record)?"; `require` raises
`PermissionDeniedError` instead. Views use `is_allowed` to hide what a user cannot do; services
call `require` so that no entry point can skip the check. The role matrix is tested in full.

Separation of duties lives here too: `NOMINAL_DATA_ROLES` (derived from `GRANTS`) are the roles
that read nominal data, and `role_conflict` refuses to combine an oversight role (administrator,
auditor) with any of them, or the two oversight roles with each other.
"""

from __future__ import annotations

import enum
from typing import Protocol

from ncen.accounts.actor import Actor
from ncen.accounts.models import Role
from ncen.errors import PermissionDeniedError


class Action(enum.StrEnum):
    """Everything a user can be allowed or denied."""

    READ_RECORDS = "records.read"  # nominal data: persons, seizures with their links
    CREATE_RECORDS = "records.create"
    UPDATE_RECORD = "records.update"
    DELETE_RECORD = "records.delete"
    SUBMIT_SEIZURE = "seizures.submit"
    VALIDATE_SEIZURE = "seizures.validate"
    DOWNLOAD_ORIGINAL_PICTURE = "pictures.original"
    SEARCH = "search"
    MANAGE_WATCHLISTS = "watchlists.manage"
    MERGE_RECORDS = "records.merge"
    LINK_FOREIGN_RECORDS = "records.link_foreign"  # state that a received record is one of ours
    RUN_EXCHANGE = "exchange.run"
    MANAGE_USERS = "users.manage"
    MANAGE_REFERENCE = "reference.manage"
    READ_AUDIT = "audit.read"  # the audit trail, nominal details hidden
    READ_AUDIT_DETAILS = "audit.read_details"  # ... with the nominal details (search terms)
    REVIEW_ACCOUNT_ALERTS = "accounts.review_alerts"  # accounts given access to nominal data
    REVIEW_RETENTION = "retention.review"  # the review queue: keep or delete due records
    READ_STATISTICS = "analysis.statistics"  # aggregate counts; each drill-down is READ_RECORDS
    ANALYSE_NETWORK = "analysis.network"  # link charts, associates, paths, measures, timelines
    IMPORT_RECORDS = "records.import"  # spreadsheet imports of many records at once
    EXPORT_RECORDS = "records.export"  # lists, search results, charts as CSV/XLSX/FtM files
    EXPORT_NODE = "node.export"  # everything in the node's own format, and its import back
    MANAGE_PROFILES = "targeting.profiles"  # write, back-test and activate risk profiles
    READ_HITS = "targeting.hits"  # the hits queue (investigators: hits assigned to them)
    TRIAGE_HITS = "targeting.triage"  # confirm, dismiss, assign hits of the queue
    # Investigations (case files). Case-level limits (the team, the lead, need to know) are
    # applied on top by `ncen.investigations.access`.
    READ_INVESTIGATIONS = "investigations.read"  # list cases, open those one may see
    OPEN_INVESTIGATION = "investigations.open"
    WORK_ON_INVESTIGATION = "investigations.work"  # items, tasks, notes: the team (+ supervisors)
    MANAGE_INVESTIGATION = (
        "investigations.manage"  # details, team, status: the lead (+ supervisors)
    )
    REOPEN_INVESTIGATION = "investigations.reopen"  # a closed case back to active
    SEE_ALL_INVESTIGATIONS = "investigations.see_all"  # restricted cases of other teams too


_I, _A, _S, _E, _ADM, _AUD = (
    Role.INVESTIGATOR,
    Role.ANALYST,
    Role.SUPERVISOR,
    Role.EXCHANGE_OFFICER,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)

# Which roles may do each action at all. Record-level limits (an investigator edits only own
# drafts) are applied on top by `_record_allows`. The administrator reads no nominal data: it
# manages users and reference data, and reads the audit trail without its nominal details. The
# auditor reads the whole audit trail and the alerts about accounts, and no records.
GRANTS: dict[Action, frozenset[Role]] = {
    Action.READ_RECORDS: frozenset({_I, _A, _S, _E}),
    Action.CREATE_RECORDS: frozenset({_I, _S}),
    Action.UPDATE_RECORD: frozenset({_I, _S}),
    Action.DELETE_RECORD: frozenset({_S}),
    Action.SUBMIT_SEIZURE: frozenset({_I, _S}),
    Action.VALIDATE_SEIZURE: frozenset({_S}),
    Action.DOWNLOAD_ORIGINAL_PICTURE: frozenset({_I, _S}),
    Action.SEARCH: frozenset({_I, _A, _S, _E}),
    Action.MANAGE_WATCHLISTS: frozenset({_A, _S}),
    Action.MERGE_RECORDS: frozenset({_S}),
    Action.LINK_FOREIGN_RECORDS: frozenset({_A, _S}),
    Action.RUN_EXCHANGE: frozenset({_E}),
    Action.MANAGE_USERS: frozenset({_ADM}),
    Action.MANAGE_REFERENCE: frozenset({_ADM}),
    Action.READ_AUDIT: frozenset({_ADM, _AUD}),
    Action.READ_AUDIT_DETAILS: frozenset({_AUD}),
    Action.REVIEW_ACCOUNT_ALERTS: frozenset({_AUD}),
    Action.REVIEW_RETENTION: frozenset({_S}),
    Action.READ_STATISTICS: frozenset({_I, _A, _S, _E}),
    Action.ANALYSE_NETWORK: frozenset({_I, _A, _S}),
    # Bulk imports write hundreds of records at once past the usual review: supervisors only.
    Action.IMPORT_RECORDS: frozenset({_S}),
    # Files leave the node's audit reach: the roles that work on records, not the exchange
    # officer (whose channel is the sealed, policy-checked exchange) nor oversight roles.
    Action.EXPORT_RECORDS: frozenset({_I, _A, _S}),
    # A full copy of every record: no web user; the node's operator at the console
    # (`is_allowed` lets the console actor do everything).
    Action.EXPORT_NODE: frozenset(),
    # Risk profiles are the analysts' tool (supervisors too). Their hits show seizures and the
    # values that matched (nominal data): never the oversight roles. An investigator sees and
    # settles only the hits assigned to them (`ncen.targeting.hits`).
    Action.MANAGE_PROFILES: frozenset({_A, _S}),
    Action.READ_HITS: frozenset({_I, _A, _S}),
    Action.TRIAGE_HITS: frozenset({_I, _A, _S}),
    # Case files hold nominal data and the team's communications: the roles that work on
    # records; not the exchange officer (RFIs reach a case through the exchange pages), nor the
    # oversight roles.
    Action.READ_INVESTIGATIONS: frozenset({_I, _A, _S}),
    Action.OPEN_INVESTIGATION: frozenset({_I, _A, _S}),
    Action.WORK_ON_INVESTIGATION: frozenset({_I, _A, _S}),
    Action.MANAGE_INVESTIGATION: frozenset({_I, _A, _S}),
    # Supervisors oversee every case: they reopen closed ones and see restricted ones.
    Action.REOPEN_INVESTIGATION: frozenset({_S}),
    Action.SEE_ALL_INVESTIGATIONS: frozenset({_S}),
}

# The roles that read nominal data: whoever may read or search records.
NOMINAL_DATA_ROLES: frozenset[Role] = GRANTS[Action.READ_RECORDS] | GRANTS[Action.SEARCH]
# The roles that oversee the others; each stands alone (see `role_conflict`).
OVERSIGHT_ROLES: frozenset[Role] = frozenset({_ADM, _AUD})


def role_conflict(roles: frozenset[Role]) -> str | None:
    """Why ``roles`` may not be held together, or None if they may.

    An administrator could otherwise give itself access to the data it administers, and an
    auditor who reads records, or administers accounts, would audit itself.
    """
    oversight = roles & OVERSIGHT_ROLES
    if oversight and (len(oversight) > 1 or roles & NOMINAL_DATA_ROLES):
        return (
            "the administrator and auditor roles cannot be combined with each other or with "
            "the investigator, analyst, supervisor or exchange officer roles"
        )
    return None


class OwnedRecord(Protocol):
    """What the policy needs to know about a record for record-level rules."""

    @property
    def created_by_id(self) -> object: ...

    @property
    def origin_node(self) -> str | None: ...


def _record_allows(actor: Actor, action: Action, record: OwnedRecord | None) -> bool:
    if record is None or actor.has(Role.SUPERVISOR):
        return True
    if action in {Action.UPDATE_RECORD, Action.SUBMIT_SEIZURE}:
        # Foreign records belong to their originator: only a supervisor may annotate them.
        if record.origin_node is not None:
            return False
        if actor.user_id is None or record.created_by_id != actor.user_id:
            return False
        # A seizure leaves the investigator's hands once submitted.
        status = getattr(record, "status", None)
        return status is None or str(status) == "draft"
    return True


def is_allowed(actor: Actor, action: Action, record: OwnedRecord | None = None) -> bool:
    """True if ``actor`` may do ``action`` (to ``record``, when the rule depends on it)."""
    if actor.user_id is None:  # the node itself, at the console
        return True
    if not actor.roles & GRANTS[action]:
        return False
    return _record_allows(actor, action, record)


def require(actor: Actor, action: Action, record: OwnedRecord | None = None) -> None:
    """Raise `PermissionDeniedError` unless `is_allowed`. Services call this first."""
    if not is_allowed(actor, action, record):
        raise PermissionDeniedError(str(action))
