"""Keeping the statistics tables current: recompute the seizures that triggers marked dirty.

Why not a materialised view: the application connects as a least-privilege role that owns
nothing (`ncen.dbroles.check_least_privilege`), and only a view's owner may REFRESH it (before
PostgreSQL 17's MAINTAIN privilege); a full refresh also recomputes a million seizures to
reflect one change. Instead, triggers created by migration 0016 queue every changed seizure in
``stat_dirty`` within the writer's own transaction, and `refresh_statistics` (plain DML, so the
application role may run it) replaces the facts of the queued seizures and applies the
difference to the monthly rollup and to the per-filter rollup (`ncen.analysis.cross`). The
statistics page and the CLI refresh before they read, so
what they show is at most one refresh old; `StatisticsFreshness` says as of when.

Concurrency: refreshers take queued rows ``FOR UPDATE SKIP LOCKED`` and a transaction-level
advisory lock, so two never update the rollup at once (no lost update, no deadlock); a writer
that changes a seizure being refreshed waits for the refresher and queues it again (see the
trigger functions in migration 0016).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ncen.analysis.cross import BATCH as BATCH_FACTS
from ncen.analysis.cross import apply_to_cross, per_seizure_facts, rebuild_cross
from ncen.analysis.models import StatDirty
from ncen.db import utcnow

# Seizures recomputed per statement; the page refreshes at most `PAGE_REFRESH_LIMIT` before it
# reads, so a bulk import cannot stall a page (the rest waits for ``ncen stats refresh``).
BATCH = 5000
# Each seizure also updates about 100 rows of the per-filter rollup (~3 ms a seizure at the
# demo's shape, measured at 20,000 seizures): 5,000 keep a page's wait to seconds.
PAGE_REFRESH_LIMIT = 5000
# Above this many queued seizures (a bulk load), ``ncen stats refresh`` rebuilds both tables
# set-based: one pass over the base tables is much cheaper than millions of keyed updates.
REBUILD_ABOVE = 100_000
# Any constant shared by every refresher (the advisory lock key space is per database).
_LOCK_KEY = 0x6E63656E5354  # "ncenST"

# The facts of the live seizures among :ids (see `ncen.analysis.models.StatFact`).
_NEW_FACTS = """
WITH s AS (
  SELECT id, (occurred_at AT TIME ZONE 'UTC')::date AS day, origin_node IS NOT NULL AS is_foreign,
         office_code, transport_mode, detection_method, departure_country, destination_country
  FROM {source}
  WHERE deleted_at IS NULL
),
items AS (
  SELECT i.seizure_id, i.commodity_group, left(i.hs_code, 2) AS chapter, u.family,
         i.quantity * u.factor AS amount
  FROM seizure_items i JOIN s ON s.id = i.seizure_id
  LEFT JOIN quantity_units u ON u.code = i.unit
),
vals (seizure_id, dimension, value) AS (
  SELECT id, 'total', '' FROM s
  UNION ALL SELECT id, 'office', office_code FROM s WHERE office_code IS NOT NULL
  UNION ALL SELECT id, 'transport', transport_mode FROM s WHERE transport_mode IS NOT NULL
  UNION ALL SELECT id, 'detection', detection_method FROM s WHERE detection_method IS NOT NULL
  UNION ALL SELECT id, 'departure', departure_country FROM s WHERE departure_country IS NOT NULL
  UNION ALL SELECT id, 'destination', destination_country FROM s
            WHERE destination_country IS NOT NULL
  UNION ALL SELECT id, 'flow', departure_country || '>' || destination_country FROM s
            WHERE departure_country IS NOT NULL AND destination_country IS NOT NULL
  UNION ALL SELECT id, 'provenance', CASE WHEN is_foreign THEN 'received' ELSE 'national' END
            FROM s
  UNION ALL SELECT DISTINCT t.seizure_id, 'transit', t.country
            FROM seizure_transit_countries t JOIN s ON s.id = t.seizure_id
  UNION ALL SELECT DISTINCT c.seizure_id, 'concealment', c.method
            FROM seizure_concealments c JOIN s ON s.id = c.seizure_id
  UNION ALL SELECT r.seizure_id, 'route', r.country FROM (
              SELECT id AS seizure_id, departure_country AS country FROM s
              UNION SELECT id, destination_country FROM s
              UNION SELECT t.seizure_id, t.country
                    FROM seizure_transit_countries t JOIN s ON s.id = t.seizure_id
            ) r WHERE r.country IS NOT NULL
  UNION ALL SELECT DISTINCT sp.seizure_id, 'nationality', n.country
            FROM seizure_persons sp JOIN s ON s.id = sp.seizure_id
            JOIN persons p ON p.id = sp.person_id AND p.deleted_at IS NULL
            JOIN person_nationalities n ON n.person_id = p.id
  UNION ALL SELECT DISTINCT seizure_id, 'commodity', commodity_group FROM items
  UNION ALL SELECT DISTINCT seizure_id, 'hs_chapter', chapter FROM items WHERE chapter IS NOT NULL
),
qty (seizure_id, dimension, value, measure, amount) AS (
  SELECT seizure_id, 'total', '', family, sum(amount) FROM items
  WHERE family IS NOT NULL AND amount IS NOT NULL GROUP BY seizure_id, family
  UNION ALL SELECT seizure_id, 'commodity', commodity_group, family, sum(amount) FROM items
  WHERE family IS NOT NULL AND amount IS NOT NULL GROUP BY seizure_id, commodity_group, family
  UNION ALL SELECT seizure_id, 'hs_chapter', chapter, family, sum(amount) FROM items
  WHERE family IS NOT NULL AND amount IS NOT NULL AND chapter IS NOT NULL
  GROUP BY seizure_id, chapter, family
),
new_facts AS (
  SELECT v.seizure_id, v.dimension, v.value, '' AS measure, 1::numeric AS amount, s.day,
         s.is_foreign
  FROM vals v JOIN s ON s.id = v.seizure_id
  UNION ALL
  SELECT q.seizure_id, q.dimension, q.value, q.measure, q.amount, s.day, s.is_foreign
  FROM qty q JOIN s ON s.id = q.seizure_id
)
"""

# Add the facts of the seizures :ids, signed by :sign, to the rollup. Seizure-level and
# multi-valued dimensions take their seizure's total quantity per family (not the pair ``flow``:
# a cross-tabulation shows counts only), paired within each seizure by a window
# (`ncen.analysis.cross.per_seizure_facts` says why not by a join).
_APPLY_TO_ROLLUP = (
    "WITH "  # noqa: S608 - fixed fragments
    + per_seizure_facts(BATCH_FACTS)
    + """
INSERT INTO stat_rollup (dimension, value, measure, month, is_foreign, amount)
SELECT dimension, value, measure, month, is_foreign, sum(amount) * :sign FROM (
  SELECT dimension, value, measure, date_trunc('month', day)::date AS month, is_foreign, amount
  FROM w
  UNION ALL
  SELECT w.dimension, w.value, q.measure, date_trunc('month', w.day)::date, w.is_foreign,
         q.amount
  FROM w CROSS JOIN LATERAL unnest(w.q_measures, w.q_amounts) AS q (measure, amount)
  WHERE w.measure = '' AND w.dimension NOT IN ('total', 'commodity', 'hs_chapter', 'flow')
) x
GROUP BY dimension, value, measure, month, is_foreign
ORDER BY dimension, value, measure, month, is_foreign
ON CONFLICT (dimension, value, measure, month, is_foreign)
DO UPDATE SET amount = stat_rollup.amount + EXCLUDED.amount
"""
)

_COLUMNS = "seizure_id, dimension, value, measure, amount, day, is_foreign"
# Assembled from the constants above only; values are bind parameters.
_INSERT_FACTS = (
    _NEW_FACTS.strip()  # noqa: S608
    + " INSERT INTO stat_facts ("
    + _COLUMNS
    + ") SELECT * FROM new_facts"
)
_ADD_NEW = _INSERT_FACTS.replace(
    "{source}", "unnest(CAST(:ids AS uuid[])) AS i (id) JOIN seizures USING (id)"
)
_ADD_ALL = _INSERT_FACTS.replace("{source}", "seizures")
# The whole rollup from the whole facts table, after a rebuild.
_ROLLUP_ALL = """
INSERT INTO stat_rollup (dimension, value, measure, month, is_foreign, amount)
SELECT dimension, value, measure, month, is_foreign, sum(amount) FROM (
  SELECT dimension, value, measure, date_trunc('month', day)::date AS month, is_foreign, amount
  FROM stat_facts
  UNION ALL
  SELECT c.dimension, c.value, q.measure, date_trunc('month', c.day)::date, c.is_foreign,
         q.amount
  FROM stat_facts c JOIN stat_facts q ON q.seizure_id = c.seizure_id
    AND q.dimension = 'total' AND q.value = '' AND q.measure <> ''
  WHERE c.measure = '' AND c.dimension NOT IN ('total', 'commodity', 'hs_chapter', 'flow')
) x
GROUP BY dimension, value, measure, month, is_foreign
"""


@dataclass(frozen=True)
class StatisticsFreshness:
    """How current the statistics are: ``as_of`` is the moment up to which every committed
    change is counted; ``pending`` is how many changed seizures are still queued."""

    as_of: datetime
    pending: int


def refresh_statistics(session: Session, limit: int | None = None, *, wait: bool = True) -> int:
    """Recompute the facts and rollup of up to ``limit`` queued seizures (all when None).

    Writes stat_facts, stat_rollup and stat_dirty; the caller owns (and should commit soon)
    the transaction, which holds the refresh lock. With ``wait=False`` (a page view) it returns
    0 at once when another refresher holds the lock (a rebuild may take minutes): the reader
    then shows the statistics as of before the queued changes. Returns how many seizures were
    recomputed. Not audited: statistics are not nominal data.
    """
    if wait:
        session.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))
    elif not session.execute(select(func.pg_try_advisory_xact_lock(_LOCK_KEY))).scalar_one():
        return 0
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        ids: list[uuid.UUID] = list(
            session.scalars(
                select(StatDirty.seizure_id)
                .order_by(StatDirty.marked_at)
                .limit(size)
                .with_for_update(skip_locked=True)
            )
        )
        if not ids:
            break
        # Dequeue first: a writer that changes one of these seizures from now on waits for
        # this transaction and queues it again (see migration 0016).
        session.execute(
            text(
                "DELETE FROM stat_dirty d USING unnest(CAST(:ids AS uuid[])) AS i (id)"
                " WHERE d.seizure_id = i.id"
            ),
            {"ids": ids},
        )
        session.execute(text(_APPLY_TO_ROLLUP), {"ids": ids, "sign": -1})
        apply_to_cross(session, ids, -1)
        session.execute(
            text(
                "DELETE FROM stat_facts f USING unnest(CAST(:ids AS uuid[])) AS i (id)"
                " WHERE f.seizure_id = i.id"
            ),
            {"ids": ids},
        )
        session.execute(text(_ADD_NEW), {"ids": ids})
        session.execute(text(_APPLY_TO_ROLLUP), {"ids": ids, "sign": 1})
        apply_to_cross(session, ids, 1)
        done += len(ids)
    return done


def rebuild_statistics(session: Session) -> int:
    """Recompute every live seizure's facts and the whole rollup, set-based (after a bulk
    load). Dequeues every queued seizure that no writer holds; one whose writer has not
    committed stays queued for the next refresh. Same locking and transaction contract as
    `refresh_statistics`. Returns how many seizures have facts now.
    """
    session.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))
    session.execute(
        text(
            "DELETE FROM stat_dirty WHERE seizure_id IN"
            " (SELECT seizure_id FROM stat_dirty FOR UPDATE SKIP LOCKED)"
        )
    )
    # The aggregations below group tens of millions of rows at 1M seizures: give them memory
    # for this transaction only, rather than spilling to disk in 4 MB batches.
    session.execute(text("SET LOCAL work_mem = '256MB'"))
    session.execute(text("DELETE FROM stat_cross"))
    session.execute(text("DELETE FROM stat_rollup"))
    session.execute(text("DELETE FROM stat_facts"))
    session.execute(text(_ADD_ALL))
    session.execute(text(_ROLLUP_ALL))
    rebuild_cross(session)
    counted = session.execute(
        text("SELECT count(*) FROM stat_facts WHERE dimension = 'total' AND measure = ''")
    ).scalar_one()
    return int(counted)


def statistics_freshness(session: Session) -> StatisticsFreshness:
    """As of when the statistics are complete: now when nothing is queued, otherwise just
    before the oldest queued change. Pure read."""
    pending, oldest = session.execute(select(func.count(), func.min(StatDirty.marked_at))).one()
    return StatisticsFreshness(as_of=oldest if oldest is not None else utcnow(), pending=pending)
