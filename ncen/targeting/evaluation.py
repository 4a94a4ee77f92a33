"""Evaluation: every written seizure, person, company or conveyance is matched against the
active profiles in the same transaction as the write, and each match becomes an explained hit.

`evaluate_change` is called by `ncen.recordkeeping.commit_change` (the one hook every service
write passes: creates, updates, links, JSON Lines and spreadsheet imports, exchange imports). A
seizure is evaluated itself; a person, company or conveyance through the seizures it is linked
to (a profile's subject is a seizure). `evaluate_records` is the batched entry point for bulk
loads that bypass the services (the demo loader): it loads facts set-based, in chunks.
`evaluate_batch` is the bulk path's (`ncen.bulk.checks`, spreadsheet and exchange imports): the
batch gives the seizures it led to, so a batch costs the cached matcher's one check, one facts
statement and one insert (both prepared once per connection), with the garbage collector paused
over the chunk's temporaries (`ncen.collector`). Hits are inserted with ``ON CONFLICT DO
NOTHING`` on (profile version, seizure): the same record evaluated twice, or by two concurrent
transactions, never raises two hits.

The compiled matcher is cached per database and rebuilt when a profile or a lookup list
changes (one small query per evaluation checks that; a rebuild parses only versions it has not
seen, and the last few generations are kept); with no active profile an evaluation costs that
one query. Facts are read for the fields the active profiles refer to only.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import DateTime, bindparam, func, or_, select, text
from sqlalchemy.orm import Session

from ncen.collector import collector_paused
from ncen.db import utcnow
from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson
from ncen.targeting.ast import Node, criteria
from ncen.targeting.facts import Facts, load_facts, own_facts
from ncen.targeting.language import ExpressionError, parse_profile
from ncen.targeting.lookup import load_lists
from ncen.targeting.matcher import CompiledProfile, Matcher
from ncen.targeting.models import (
    HitStatus,
    LookupList,
    ProfileStatus,
    RiskProfile,
    RiskProfileVersion,
)

EVALUATED_TYPES = frozenset({"seizure", "person", "company", "conveyance"})
# A person linked to thousands of seizures (a notorious courier) is evaluated through the most
# recent ones only: a profile hit on an old case adds nothing the first evaluation did not say.
MAX_LINKED_SEIZURES = 500
CHUNK = 2000

_LINKS = {
    "person": (SeizurePerson.seizure_id, SeizurePerson.person_id),
    "company": (SeizureCompany.seizure_id, SeizureCompany.company_id),
    "conveyance": (SeizureConveyance.seizure_id, SeizureConveyance.conveyance_id),
}
KEPT_GENERATIONS = 4
MAX_TREES = 20_000
_lock = threading.Lock()
_cache: dict[str, OrderedDict[tuple[Any, ...], Matcher]] = {}
_trees: dict[uuid.UUID, Node] = {}


def _generation(session: Session) -> tuple[Any, ...]:
    # Three scalar subqueries: the two maxima are read from the updated_at indexes, the count
    # (a profile removed) from the primary key's; no profile row is scanned.
    profiles = select(func.count()).select_from(RiskProfile).scalar_subquery()
    changed = select(func.max(RiskProfile.updated_at)).scalar_subquery()
    lists = select(func.max(LookupList.updated_at)).scalar_subquery()
    return tuple(session.execute(select(profiles, changed, lists)).one())


def _tree(version_id: uuid.UUID, expression: str) -> Node | None:
    """The parsed tree of a profile version, parsed once per process: a version's expression
    never changes (an edit is a new version), and parsing is most of a rebuild's cost."""
    with _lock:
        tree = _trees.get(version_id)
    if tree is None:
        try:
            tree = parse_profile(expression)
        except ExpressionError:  # pragma: no cover - stored versions were checked on save
            return None
        with _lock:
            if len(_trees) >= MAX_TREES:
                _trees.clear()
            _trees[version_id] = tree
    return tree


def active_profiles(session: Session, today: date) -> list[CompiledProfile]:
    """The active profiles not ended by ``today``, compiled with their lookup lists."""
    rows = session.execute(
        select(
            RiskProfile.id, RiskProfileVersion.id, RiskProfile.name, RiskProfile.score,
            RiskProfile.lane, RiskProfile.starts_on, RiskProfile.ends_on,
            RiskProfileVersion.expression,
        )
        .join(RiskProfileVersion, RiskProfileVersion.id == RiskProfile.current_version_id)
        .where(
            RiskProfile.status == ProfileStatus.ACTIVE,
            or_(RiskProfile.ends_on.is_(None), RiskProfile.ends_on >= today),
        )
    ).all()  # fmt: skip
    trees = [(row, tree) for row in rows if (tree := _tree(row[1], row[7])) is not None]
    names = {str(c.value) for _, tree in trees for c in criteria(tree) if c.op == "lookup"}
    lists = load_lists(session, names) if names else {}
    return [
        CompiledProfile(
            profile_id, version_id, name, score, lane.value, starts_on, ends_on, tree, lists
        )
        for (profile_id, version_id, name, score, lane, starts_on, ends_on, _), tree in trees
    ]


def current_matcher(session: Session) -> Matcher:
    """The matcher of the active profiles, rebuilt only when profiles or lists changed.

    The last few generations are kept (a change undone, as by a rolled-back transaction, finds
    its matcher again), and a rebuild parses only the versions not seen before."""
    key = str(session.get_bind().engine.url)
    generation = (*_generation(session), utcnow().date())
    with _lock:
        cached = _cache.setdefault(key, OrderedDict())
        matcher = cached.get(generation)
        if matcher is not None:
            cached.move_to_end(generation)
            return matcher
    matcher = Matcher(active_profiles(session, utcnow().date()))
    with _lock:
        cached[generation] = matcher
        while len(cached) > KEPT_GENERATIONS:
            cached.popitem(last=False)
    return matcher


def _hit_rows(
    matcher: Matcher,
    facts: Iterable[Facts],
    today: date,
    trigger_type: str | Mapping[uuid.UUID, str],
) -> list[dict[str, Any]]:
    """The hits of ``facts`` against ``matcher``, explained, as `_INSERT` takes them;
    ``trigger_type`` is one type for all, or the type per seizure id."""
    rows: list[dict[str, Any]] = []
    for record in facts:
        trigger = trigger_type if isinstance(trigger_type, str) else trigger_type[record.seizure_id]
        seizure_id = str(record.seizure_id)
        for profile in matcher.match(record, today):
            rows.append(
                {
                    "id": str(uuid.uuid4()),
                    "profile_id": str(profile.profile_id),
                    "profile_version_id": str(profile.version_id),
                    "seizure_id": seizure_id,
                    "seizure_version": record.version,
                    "trigger_type": trigger,
                    "score": profile.score,
                    "lane": profile.lane,
                    "explanation": profile.explain(record),
                }
            )
    return rows


# The hits of a batch go in as one JSON parameter unpacked by the server: one statement text
# whatever the number of rows (prepared once per connection by the driver, planned once), where
# a multi-row VALUES list has a new text, and thousands of placeholders to parse, per size (and
# one array parameter per column costs the driver more to send than this one string).
# Conflicts on (profile version, seizure) are skipped; the count is of the rows really inserted.
_INSERT = text(
    """
WITH inserted AS (
  INSERT INTO targeting_hits (id, profile_id, profile_version_id, seizure_id, seizure_version,
    trigger_type, event, score, lane, explanation, status, reason, created_at)
  SELECT r.id, r.profile_id, r.profile_version_id, r.seizure_id, r.seizure_version,
    r.trigger_type, :event, r.score, r.lane, r.explanation, :status, '', :now
  FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id uuid, profile_id uuid,
    profile_version_id uuid, seizure_id uuid, seizure_version int, trigger_type text,
    score int, lane text, explanation jsonb)
  ON CONFLICT (profile_version_id, seizure_id) DO NOTHING
  RETURNING 1
)
SELECT count(*) FROM inserted
"""
).bindparams(bindparam("now", type_=DateTime(timezone=True)))


def _insert(session: Session, rows: list[dict[str, Any]], event: str) -> int:
    if not rows:
        return 0
    payload = json.dumps(rows, default=str, ensure_ascii=False)
    params = {"rows": payload, "event": event[:16], "status": HitStatus.NEW.value, "now": utcnow()}
    return int(session.execute(_INSERT, params).scalar_one())


def evaluate_seizures(
    session: Session,
    seizure_ids: Sequence[uuid.UUID],
    *,
    trigger_type: str,
    event: str,
    matcher: Matcher | None = None,
) -> int:
    """Match the live seizures among ``seizure_ids`` (against ``matcher``, default the current
    one); insert their new hits; return how many."""
    return _evaluate_triggered(
        session,
        dict.fromkeys(seizure_ids, trigger_type),
        event,
        matcher or current_matcher(session),
    )


def _evaluate_triggered(
    session: Session, triggers: Mapping[uuid.UUID, str], event: str, matcher: Matcher
) -> int:
    """Match the live seizures keyed in ``triggers`` (seizure id -> the type of the record
    whose write led to it), ``CHUNK`` at a time: one facts statement and one insert per chunk,
    whatever the record types."""
    if not triggers or not matcher.profiles:
        return 0
    today = utcnow().date()
    ids = list(triggers)
    raised = 0
    for start in range(0, len(ids), CHUNK):
        # A chunk's facts, matches and explanations are thousands of acyclic temporaries,
        # freed when it is done: no collection of the whole heap for them (`ncen.collector`).
        with collector_paused():
            facts = load_facts(session, ids[start : start + CHUNK], matcher.fields)
            rows = _hit_rows(matcher, facts.values(), today, triggers)
            del facts
            raised += _insert(session, rows, event)
            del rows
    return raised


def linked_seizures(
    session: Session, record_type: str, record_ids: Sequence[uuid.UUID], *, limit: int | None
) -> list[uuid.UUID]:
    """The live seizures linked to the records (most recent first, at most ``limit`` each
    call when given)."""
    if record_type == "seizure":
        return list(record_ids)
    seizure_column, record_column = _LINKS[record_type]
    stmt = (
        select(Seizure.id)
        .join_from(Seizure, seizure_column.table, seizure_column == Seizure.id)
        .where(record_column.in_(list(record_ids)), Seizure.deleted_at.is_(None))
        .distinct()
    )
    if limit is not None:
        stmt = (
            select(Seizure.id)
            .where(Seizure.id.in_(stmt.scalar_subquery()))
            .order_by(Seizure.occurred_at.desc())
            .limit(limit)
        )
    return list(session.execute(stmt).scalars())


def evaluate_change(session: Session, record_type: str, record: Any, event: str) -> int:
    """Evaluate one record just written (flushed) in the caller's transaction; return how
    many hits it raised. Deleted records and other record types raise none."""
    if record_type not in EVALUATED_TYPES or record.deleted_at is not None:
        return 0
    matcher = current_matcher(session)
    if not matcher.profiles:
        return 0
    if record_type == "seizure":
        own = own_facts(record)
        if event == "create":
            # A national seizure is created without links (they are added by later LINK
            # changes; a foreign one, created with its links, comes as "import"): its own
            # values are all its facts, and no query is needed to read them.
            hits = _hit_rows(matcher, [own], utcnow().date(), record_type)
            return _insert(session, hits, event)
        if not matcher.could_match_own(own):
            # No profile can match the seizure's own values, and none depends on linked
            # records alone: nothing to read.
            return 0
    ids = linked_seizures(session, record_type, [record.id], limit=MAX_LINKED_SEIZURES)
    return evaluate_seizures(session, ids, trigger_type=record_type, event=event, matcher=matcher)


def evaluate_records(
    session: Session,
    record_type: str,
    record_ids: Sequence[uuid.UUID],
    *,
    event: str = "bulk_import",
) -> int:
    """The batched entry point for bulk loads and imports: evaluate the records (seizures, or
    the seizures linked to persons, companies or conveyances) in chunks; return the hits
    raised. Call it in the transaction that wrote the records."""
    return evaluate_written(session, {record_type: record_ids}, event=event)


def evaluate_written(
    session: Session,
    records: Mapping[str, Sequence[uuid.UUID]],
    *,
    event: str = "bulk_import",
) -> int:
    """Evaluate a batch's written records of several types at once (``records``: record type
    -> ids, in the order the types were written); return the hits raised. Each seizure is
    matched once, however many of the batch's records lead to it (its hits name the first
    type that did): one query per linked record type, and one facts statement per ``CHUNK``
    seizures, not one per type and record. Raises `ValueError` for a type not evaluated."""
    for record_type in records:
        if record_type not in EVALUATED_TYPES:
            raise ValueError(f"cannot evaluate records of type {record_type!r}")
    matcher = current_matcher(session)
    if not matcher.profiles:
        return 0
    triggers: dict[uuid.UUID, str] = {}
    for record_type, ids in records.items():
        for start in range(0, len(ids), CHUNK):
            linked = linked_seizures(session, record_type, ids[start : start + CHUNK], limit=None)
            for seizure_id in linked:
                triggers.setdefault(seizure_id, record_type)
    return _evaluate_triggered(session, triggers, event, matcher)


def evaluate_batch(
    session: Session, triggers: Mapping[uuid.UUID, str], *, event: str = "bulk_import"
) -> int:
    """Evaluate the seizures a bulk batch wrote or led to, in the batch's transaction, each
    once; return the hits raised. ``triggers`` maps each seizure to the type of the first of
    the batch's records that led to it, as `evaluate_written` finds it from the stored links:
    the bulk path knows them from its own steps (`ncen.bulk.checks.batch_triggers`), which
    spares a query per record type. Then one facts statement and one insert per ``CHUNK``
    seizures, with the cached compiled profiles."""
    if not triggers:
        return 0
    return _evaluate_triggered(session, triggers, event, current_matcher(session))


def scan_bulk_load(session: Session, since: datetime) -> int:
    """Hits for the seizures created at or after ``since`` by a load that bypassed the
    services (the demo loader); return how many were raised."""
    if not current_matcher(session).profiles:
        return 0
    ids = list(
        session.execute(
            select(Seizure.id).where(Seizure.created_at >= since, Seizure.deleted_at.is_(None))
        ).scalars()
    )
    return evaluate_records(session, "seizure", ids)
