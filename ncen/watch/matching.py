"""Does a record just written match a watch? The check behind every alert.

`raise_alerts` is called once per record change by `ncen.recordkeeping.commit_change` (the one
hook: national creates and updates, CLI and JSON Lines imports, and exchange imports all pass
through it). It costs one indexed query when nobody watches. A name watch is scored by the
search matcher (`ncen.search.matching.Matcher`) over every name form of the record and explained
like a search hit; an identifier watch compares the normalised keys the identifier search uses.
`scan_bulk_load` is the set-based check for the demo loader, which writes with COPY and never
passes through the services.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Uuid, and_, any_, bindparam, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from ncen.companies.models import Company, CompanyName
from ncen.conveyances.models import Conveyance, ConveyanceIdentifier
from ncen.db import utcnow
from ncen.persons.models import IdentityDocument, Person, PersonName
from ncen.records import RecordMixin
from ncen.search.candidates import retrieve
from ncen.search.explain import Explanation
from ncen.search.keys import analyse
from ncen.search.matching import Matcher, NameComparison
from ncen.watch.models import Alert, Watch, WatchKind

WATCHED_TYPES = frozenset({"person", "company", "conveyance", "seizure"})
NAMED_TYPES = frozenset({"person", "company"})
IDENTIFIED_TYPES = frozenset({"person", "company", "conveyance"})


def name_forms(record: Any, record_type: str) -> list[tuple[str, str, str, str | None]]:
    """(name, kind, script, patronymic) of each name form of a person or company."""
    if record_type == "person":
        return [(n.full_name, n.kind.value, n.script, n.patronymic) for n in record.names]
    return [(n.name, n.kind.value, n.script, None) for n in record.names]


def score_name(
    value: str, record_type: str, forms: Iterable[tuple[str, str, str, str | None]]
) -> Explanation | None:
    """The best match of the watched name ``value`` among ``forms``, explained (or None)."""
    company = record_type == "company"
    tokens = analyse(value, company=company)
    if not tokens:
        return None
    matcher = Matcher(tokens, phonetic=True)
    best: Explanation | None = None
    query_form = " ".join(t.text for t in tokens)
    for name, kind, script, patronymic in forms:
        form_tokens = analyse(name, company=company, patronymic=patronymic)
        comparison = matcher.compare(form_tokens)
        if best is None or comparison.score > best.score:
            best = Explanation(
                query_form,
                name,
                " ".join(t.text for t in form_tokens),
                kind,
                script,
                comparison.words,
                comparison.transformations,
                comparison.score,
                (),
                comparison.score,
            )
    return best


def identifier_keys_of(record: Any, record_type: str) -> set[str]:
    """The normalised identifiers a record carries (the keys identifier search looks up)."""
    if record_type == "person":
        return {d.number_norm for d in record.documents}
    if record_type == "company":
        return {k for k in (record.registration_number_norm, record.tax_number_norm) if k}
    if record_type == "conveyance":
        return {i.value for i in record.identifiers}
    return set()


NO_MATCH: tuple[float | None, dict[str, Any]] = (-1.0, {})


def _match_identifier(
    watch: Watch, record: Any, record_type: str
) -> tuple[float | None, dict[str, Any]]:
    if record_type not in IDENTIFIED_TYPES:
        return NO_MATCH
    shared = sorted(identifier_keys_of(record, record_type) & set(watch.keys))
    if not shared:
        return NO_MATCH
    return 1.0, _identifier_reason(watch, shared)


def _identifier_reason(watch: Watch, keys: list[str]) -> dict[str, Any]:
    """An identifier alert's explanation: an English ``summary`` (CLI, API) and the ``reason``
    with its value, which the pages translate."""
    return {
        "summary": f"carries the identifier “{watch.value}”.",
        "reason": "identifier",
        "value": watch.value,
        "identifier": keys,
    }


def _match(watch: Watch, record: Any, record_type: str) -> tuple[float | None, dict[str, Any]]:
    """(score, explanation) when ``watch`` matches ``record``; score -1 when it does not."""
    if watch.kind is WatchKind.RECORD:
        return None, {
            "summary": f"“{watch.label}” changed.",
            "reason": "record_changed",
            "label": watch.label,
        }
    if watch.kind is WatchKind.IDENTIFIER:
        return _match_identifier(watch, record, record_type)
    if record_type not in NAMED_TYPES or watch.value is None:
        return NO_MATCH
    explanation = score_name(watch.value, record_type, name_forms(record, record_type))
    if explanation is None or explanation.score < (watch.threshold or 1.0):
        return NO_MATCH
    return explanation.score, explanation.as_dict()


def raise_alerts(session: Session, record_type: str, record: RecordMixin, event: str) -> int:
    """Raise an alert for every watch that ``record`` (just written) matches; return how many.

    ``event`` is create, update or import. Writes `Alert` rows for the watches' owners only.
    """
    return raise_alerts_many(session, [(record_type, record, event)])


def raise_alerts_many(session: Session, changes: Sequence[tuple[str, RecordMixin, str]]) -> int:
    """`raise_alerts` for many changes ``(record_type, record, event)`` at once, with the
    same alerts: the watches are read with one query for all of them (bulk writers,
    `ncen.bulk`), then each record is matched in memory. Returns how many alerts were raised.
    """
    live = [(t, r, e) for t, r, e in changes if t in WATCHED_TYPES and r.deleted_at is None]
    if not live:
        return 0
    condition = and_(
        Watch.kind == WatchKind.RECORD,
        # One array parameter: an IN list of a batch's thousand ids costs more to build and
        # send than the query takes.
        Watch.record_id == any_(bindparam("ids", list({r.id for _, r, _ in live}), ARRAY(Uuid))),
    )
    if any(t in IDENTIFIED_TYPES for t, _, _ in live):
        condition = or_(condition, Watch.kind.in_((WatchKind.NAME, WatchKind.IDENTIFIER)))
    watches = session.execute(select(Watch).where(condition)).scalars().all()
    if not watches:
        return 0
    alerts: list[Alert] = []
    for record_type, record, event in live:
        for watch in watches:
            if watch.kind is WatchKind.RECORD:
                if watch.record_id != record.id:
                    continue
            elif record_type not in IDENTIFIED_TYPES:
                continue
            score, explanation = _match(watch, record, record_type)
            if score is not None and score < 0:
                continue
            alerts.append(
                Alert(
                    id=uuid.uuid4(),
                    watch_id=watch.id,
                    owner_id=watch.owner_id,
                    record_type=record_type,
                    record_id=record.id,
                    event=event,
                    score=score,
                    explanation=explanation,
                    created_at=utcnow(),
                )
            )
    session.add_all(alerts)
    return len(alerts)


def _bulk_name_alerts(session: Session, watch: Watch, since: datetime) -> list[Alert]:
    alerts: list[Alert] = []
    assert watch.value is not None
    for record_type in ("person", "company"):
        company = record_type == "company"
        tokens = analyse(watch.value, company=company)
        if not tokens:
            continue
        matcher = Matcher(tokens, phonetic=True)
        base: Any
        if company:
            base = (
                select(CompanyName.company_id.label("owner"), CompanyName.name.label("label"))
                .add_columns(CompanyName.kind, CompanyName.script)
                .join(Company, Company.id == CompanyName.company_id)
                .where(Company.created_at >= since, Company.deleted_at.is_(None))
            )
            columns: Any = (
                CompanyName.search_text,
                CompanyName.search_terms,
                CompanyName.phonetic_codes,
            )
        else:
            base = (
                select(PersonName.person_id.label("owner"), PersonName.full_name.label("label"))
                .add_columns(PersonName.kind, PersonName.script, PersonName.patronymic)
                .join(Person, Person.id == PersonName.person_id)
                .where(Person.created_at >= since, Person.deleted_at.is_(None))
            )
            columns = (PersonName.search_text, PersonName.search_terms, PersonName.phonetic_codes)

        def compare(
            row: Row[Any], company: bool = company, matcher: Matcher = matcher
        ) -> tuple[uuid.UUID, NameComparison]:
            patronymic = None if company else row.patronymic
            form = analyse(row.label, company=company, patronymic=patronymic)
            return row.owner, matcher.compare(form)

        # The search domain's own retrieval, limited to the records of the load.
        best, _ = retrieve(session, base, columns, tokens, phonetic=True, compare=compare)
        query_form = " ".join(t.text for t in tokens)
        for record_id, (comparison, row) in best.items():
            if comparison.score < (watch.threshold or 1.0):
                continue
            explanation = Explanation(
                query_form,
                row.label,
                " ".join(t.text for t in analyse(row.label, company=company)),
                row.kind.value,
                row.script,
                comparison.words,
                comparison.transformations,
                comparison.score,
                (),
                comparison.score,
            )
            alerts.append(
                _bulk_alert(watch, record_type, record_id, comparison.score, explanation.as_dict())
            )
    return alerts


def _bulk_alert(
    watch: Watch, record_type: str, record_id: uuid.UUID, score: float, explanation: Any
) -> Alert:
    return Alert(
        id=uuid.uuid4(),
        watch_id=watch.id,
        owner_id=watch.owner_id,
        record_type=record_type,
        record_id=record_id,
        event="bulk_import",
        score=score,
        explanation=explanation,
        created_at=utcnow(),
    )


def _bulk_identifier_alerts(session: Session, watch: Watch, since: datetime) -> list[Alert]:
    keys = list(watch.keys)
    statements: list[tuple[str, Any]] = [
        (
            "person",
            select(IdentityDocument.person_id)
            .join(Person, Person.id == IdentityDocument.person_id)
            .where(Person.created_at >= since, IdentityDocument.number_norm.in_(keys)),
        ),
        (
            "company",
            select(Company.id).where(
                Company.created_at >= since,
                or_(Company.registration_number_norm.in_(keys), Company.tax_number_norm.in_(keys)),
            ),
        ),
        (
            "conveyance",
            select(ConveyanceIdentifier.conveyance_id)
            .join(Conveyance, Conveyance.id == ConveyanceIdentifier.conveyance_id)
            .where(Conveyance.created_at >= since, ConveyanceIdentifier.value.in_(keys)),
        ),
    ]
    summary = _identifier_reason(watch, keys)
    return [
        _bulk_alert(watch, record_type, record_id, 1.0, summary)
        for record_type, statement in statements
        for record_id in set(session.execute(statement).scalars())
    ]


def scan_bulk_load(session: Session, since: datetime) -> int:
    """Alerts for the name and identifier watches matched by records created at or after
    ``since`` (a bulk load that bypassed the services); return how many were raised."""
    watches = session.execute(
        select(Watch).where(Watch.kind.in_((WatchKind.NAME, WatchKind.IDENTIFIER)))
    ).scalars()
    alerts: list[Alert] = []
    for watch in watches:
        if watch.kind is WatchKind.NAME:
            alerts.extend(_bulk_name_alerts(session, watch, since))
        else:
            alerts.extend(_bulk_identifier_alerts(session, watch, since))
    session.add_all(alerts)
    session.flush()
    return len(alerts)
