"""Tables behind the statistics: per-seizure facts, a monthly rollup, and the queue of changes.

- `StatFact`: what one live seizure contributes to the statistics, one row per (dimension,
  value, measure). ``measure`` is ``''`` for the seizure count (amount 1) or a unit family (the
  code of its base unit, e.g. ``kg``) for a converted quantity. Quantity rows are kept only for
  the ``total`` and item-level dimensions (commodity group, HS chapter); the quantity of a
  seizure-level value (an office, a country...) is its seizure's ``total`` quantity. The pair
  dimension ``flow`` (``DEPARTURE>DESTINATION``, see `ncen.analysis.dimensions.PAIRS`) makes
  the route-flow cross-tabulation a rollup read.
- `StatRollup`: the sum of every fact per (dimension, value, measure, month, provenance), so an
  unfiltered panel, or one filtered by whole months, reads a few thousand rows instead of every
  seizure (a month grain keeps it about 30 times smaller than a day grain would).
- `StatCross`: the rollup of the pages filtered by one value of a filter-bar dimension
  (`ncen.analysis.dimensions.CROSS_FILTERS`): for each such value, the facts of the seizures
  having it, summed like `StatRollup` but only for the panel dimensions
  (`ncen.analysis.dimensions.CROSS_PANELS`), so a one-filter page reads a rollup too.
- `StatDirty`: seizures whose facts are out of date. PostgreSQL triggers (migration 0016) add a
  row in the same transaction as any change to a seizure, its items, route, concealment
  methods, linked persons or their nationalities; `ncen.analysis.rollups.refresh_statistics`
  recomputes them. The application role only needs DML on these tables (least privilege).

No foreign keys: a seizure removed for good must still find and subtract its old facts.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, Index, Numeric, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base

# A value is a code (at most 32 characters) or a pair of codes joined by ">" (``flow``).
VALUE_LENGTH = 65


class StatFact(Base):
    """One contribution of one live seizure to the statistics (see the module docstring)."""

    __tablename__ = "stat_facts"
    __table_args__ = (
        # Filters ("seizures having this value") and group-bys read this index only.
        Index("ix_stat_facts_dimension_value", "dimension", "value", "seizure_id"),
        # The same for the count rows only: "seizures having this value" is then an
        # index-only scan (the index above must visit the heap to check ``measure``).
        Index(
            "ix_stat_facts_count_value",
            "dimension",
            "value",
            "seizure_id",
            postgresql_where=text("measure = ''"),
            postgresql_include=["day"],
        ),
        # The seizures of a date range: one row per seizure (its "total" count row).
        Index(
            "ix_stat_facts_total_day",
            "day",
            postgresql_where=text("dimension = 'total' AND measure = ''"),
        ),
    )

    seizure_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(VALUE_LENGTH), primary_key=True)
    measure: Mapped[str] = mapped_column(String(32), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric)
    day: Mapped[date] = mapped_column(Date)
    is_foreign: Mapped[bool] = mapped_column(Boolean)


class StatRollup(Base):
    """The facts summed per month (its first day) and provenance (see the module docstring)."""

    __tablename__ = "stat_rollup"

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(VALUE_LENGTH), primary_key=True)
    measure: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    is_foreign: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric)


class StatCross(Base):
    """The panels' facts of the seizures having (``filter_dim``, ``filter_value``), summed
    per month and provenance (see the module docstring)."""

    __tablename__ = "stat_cross"

    filter_dim: Mapped[str] = mapped_column(String(16), primary_key=True)
    filter_value: Mapped[str] = mapped_column(String(32), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(VALUE_LENGTH), primary_key=True)
    measure: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    is_foreign: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric)


class StatDirty(Base):
    """A seizure whose facts must be recomputed, and since when."""

    __tablename__ = "stat_dirty"

    seizure_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    marked_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp(), index=True
    )
