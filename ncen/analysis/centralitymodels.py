"""The table of stored whole-graph centrality runs (issue 9).

Measuring the whole graph takes minutes and gigabytes on a large node, so it runs in the
background (`ncen.analysis.centrality_job`) or from the command line, and the web reads the
latest stored run. A run keeps only node keys and their measures, never a name: what a key
stands for, and whether the viewer may still see it, is looked up when the run is read
(`ncen.analysis.centrality_store.latest_centrality`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Float, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, UUIDPrimaryKey, utcnow


class CentralityRun(UUIDPrimaryKey, Base):
    """One computation of the most connected records of the whole graph (``seizures_from``
    None) or of the seizures since a date and their participants."""

    __tablename__ = "centrality_runs"

    computed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow, index=True
    )
    seizures_from: Mapped[date | None] = mapped_column(Date)
    node_count: Mapped[int] = mapped_column(Integer)
    edge_count: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    peak_rss_mib: Mapped[float] = mapped_column(Float)
    # [{"key": "person:<uuid>", "degree": int, "betweenness": float, ...}], best first.
    top: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    # The actor's username ("[centrality]" for the background job): who asked for it.
    requested_by: Mapped[str] = mapped_column(String(120))
