"""The table of saved link charts: an analyst's named selection of graph nodes and their layout.

A chart belongs to one user (``owner_id``) and is seen by nobody else. It keeps the node keys
(``"person:<uuid>"``...), where each node was drawn and whether the analyst pinned it, and a
``snapshot`` of what the graph looked like when it was saved (each record's version and last
change, the edges among the nodes, each node's number of neighbours), so that reopening it can
say what changed since (`ncen.analysis.chartdiff`). ``version`` counts saves: an update that
names an older version is refused instead of silently overwriting another tab's save.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, Timestamps, UUIDPrimaryKey

MAX_NAME = 120


class AnalysisChart(UUIDPrimaryKey, Timestamps, Base):
    """A saved link chart of one user."""

    __tablename__ = "analysis_charts"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    # Node keys in the order they were added.
    nodes: Mapped[list[str]] = mapped_column(JSONB, default=list)
    # {key: {"x": float, "y": float, "pinned": bool}} for the nodes the client placed.
    layout: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # {"records": {key: {"version", "updated_at"}}, "edges": [[source, target, kind]],
    #  "degrees": {key: int}} as of the last save.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
