"""Back-tests: what a profile would have hit in the history, in one pass of SQL.

`run_backtest` compiles the profile to SQL (`ncen.targeting.sql`) and counts, over the live
seizures of a period (by ``occurred_at``), how many it hits and how many of those are validated;
then what the hits have in common (the most frequent office, route, mode and commodity group),
and a sample of hits explained by the in-memory matcher (the same explanation a real hit
carries). The sample shows seizure references: it is audited as a read of seizures.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as dtime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    cast,
    func,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.policy import Action, require
from ncen.reading import note_read
from ncen.seizures.models import Seizure, SeizureItem, SeizureStatus
from ncen.targeting.ast import Node, criteria
from ncen.targeting.facts import load_facts
from ncen.targeting.lookup import load_lists
from ncen.targeting.matcher import explain
from ncen.targeting.sql import to_sql
from ncen.targeting.validation import validate_expression

# Memory for each hash of the back-test's query (PostgreSQL's default is 4MB). The sets of
# seizures that an EXISTS yields (all those with a TJ or AF national: some 300,000 ids at 1M) are
# computed once and hashed only when they fit; otherwise the EXISTS runs once per seizure, some
# ten microseconds each. Set for the back-test's statements only, then put back.
WORK_MEM = "64MB"

TRAITS = {
    "office": Seizure.office_code,
    "departure_country": Seizure.departure_country,
    "destination_country": Seizure.destination_country,
    "transport_mode": Seizure.transport_mode,
}


@dataclass(slots=True)
class BacktestResult:
    """Counts, shares, common traits and an explained sample of a back-test."""

    total: int
    hits: int
    validated: int
    traits: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    sample: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    start: date | None = None
    end: date | None = None

    @property
    def share(self) -> float:
        """The hit rate: the share of the period's seizures hit (0 when there are none)."""
        return self.hits / self.total if self.total else 0.0

    def summary(self) -> dict[str, Any]:
        """The counts as JSON (kept on the profile version, shown in its history)."""
        return {
            "total": self.total,
            "hits": self.hits,
            "validated": self.validated,
            "share": round(self.share, 6),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }


def run_backtest(
    session: Session,
    actor: Actor,
    expression: str | Node,
    *,
    start: date | None = None,
    end: date | None = None,
    sample: int = 10,
) -> BacktestResult:
    """Back-test ``expression`` (text, checked here, or a checked tree) over the live seizures
    that occurred from ``start`` to ``end`` inclusive (either open). Raises `ExpressionError`,
    `PermissionDeniedError`. Audited (the sample is a read of seizures)."""
    require(actor, Action.MANAGE_PROFILES)
    began = time.perf_counter()
    tree = validate_expression(session, expression) if isinstance(expression, str) else expression
    names = {str(c.value) for c in criteria(tree) if c.op == "lookup"}
    lists = load_lists(session, names)
    condition = to_sql(tree, lists)
    window: list[ColumnElement[bool]] = [Seizure.deleted_at.is_(None)]
    if start is not None:
        window.append(Seizure.occurred_at >= datetime.combine(start, dtime.min, UTC))
    if end is not None:
        window.append(Seizure.occurred_at <= datetime.combine(end, dtime.max, UTC))
    hits_cte = (
        select(Seizure.id, Seizure.status, Seizure.occurred_at, Seizure.reference, *TRAITS.values())
        .where(*window, condition)
        .cte("hits")
        .prefix_with("MATERIALIZED")
    )
    total = session.execute(select(func.count()).select_from(Seizure).where(*window)).scalar_one()
    before = session.execute(
        text("SELECT current_setting('work_mem'), set_config('work_mem', :mem, true)"),
        {"mem": WORK_MEM},
    ).first()
    parts: list[Select[Any, Any, Any]] = [
        select(literal_column("'_count'"), literal_column("''"), func.count()).select_from(
            hits_cte
        ),
        select(literal_column("'_validated'"), literal_column("''"), func.count())
        .select_from(hits_cte)
        .where(hits_cte.c.status == SeizureStatus.VALIDATED),
    ]
    for name, column in TRAITS.items():
        col = hits_cte.c[column.key]
        parts.append(
            select(literal_column(f"'{name}'"), col, func.count())
            .select_from(hits_cte)
            .where(col.is_not(None))
            .group_by(col)
        )
    # The sample (most recent hits) from the same materialised pass: no second scan.
    latest = (
        select(hits_cte.c.id, hits_cte.c.reference)
        .order_by(hits_cte.c.occurred_at.desc(), hits_cte.c.id)
        .limit(max(sample, 0))
        .subquery()
    )
    parts.append(
        select(
            literal_column("'_sample'"),
            cast(latest.c.id, String) + literal_column("' '") + latest.c.reference,
            literal_column("0"),
        )
    )
    parts.append(
        select(
            literal_column("'commodity_group'"),
            SeizureItem.commodity_group,
            func.count(SeizureItem.seizure_id.distinct()),
        )
        .select_from(hits_cte)
        .join(SeizureItem, SeizureItem.seizure_id == hits_cte.c.id)
        .group_by(SeizureItem.commodity_group)
    )
    result = BacktestResult(0, 0, 0, start=start, end=end)
    result.total = int(total)
    ids: list[tuple[uuid.UUID, str]] = []
    rows = session.execute(union_all(*parts)).all()
    # On an error the transaction (or savepoint) is rolled back, and the setting with it.
    assert before is not None
    session.execute(text("SELECT set_config('work_mem', :mem, true)"), {"mem": before[0]})
    for dimension, value, count in rows:
        if dimension == "_sample":
            raw_id, label = str(value).split(" ", 1)
            ids.append((uuid.UUID(raw_id), label))
        elif dimension == "_count":
            result.hits = int(count)
        elif dimension == "_validated":
            result.validated = int(count)
        else:
            result.traits.setdefault(dimension, []).append((str(value), int(count)))
    for values in result.traits.values():
        values.sort(key=lambda item: (-item[1], item[0]))
        del values[5:]
    if ids:
        facts = load_facts(session, [sid for sid, _ in ids])
        for sid, reference in ids:
            if sid in facts:
                result.sample.append(
                    {
                        "seizure_id": sid,
                        "reference": reference,
                        "explanation": explain(tree, facts[sid], lists),
                    }
                )
        note_read(
            session,
            actor,
            "seizure",
            details={"backtest_sample": [str(sid) for sid, _ in ids]},
        )
    result.seconds = time.perf_counter() - began
    return result
