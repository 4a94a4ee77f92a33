"""Seizure tables: the case header, its items, route, concealment methods and its links."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ncen.db import Base, UUIDPrimaryKey, enum_column
from ncen.records import RecordMixin
from ncen.sources import SourceColumns, source_constraints


class Direction(enum.StrEnum):
    """Direction of the goods relative to the seizing country."""

    IMPORT = "import"
    EXPORT = "export"
    TRANSIT = "transit"
    DOMESTIC = "domestic"


class SeizureStatus(enum.StrEnum):
    """Workflow: an investigator drafts and submits; a supervisor validates."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"


class SourceReliability(enum.StrEnum):
    """4x4 grading of the source (A: always reliable ... X: cannot be judged)."""

    A = "A"
    B = "B"
    C = "C"
    X = "X"


# Full text is indexed with the ``ncen_search`` configuration (migration 0003): the 'simple'
# parser and dictionary behind unaccent, so that every language and script is indexed word for
# word, without a stemmer guessing the language (see `ncen.search.fulltext`).
SEIZURE_TEXT = (
    "to_tsvector('ncen_search'::regconfig, coalesce(narrative, '') || ' ' || "
    "coalesce(concealment_description, '') || ' ' || coalesce(place, ''))"
)
ITEM_TEXT = (
    "to_tsvector('ncen_search'::regconfig, coalesce(description, '') || ' ' || coalesce(brand, ''))"
)


class Seizure(SourceColumns, RecordMixin, Base):
    """One seizure or offence case."""

    __tablename__ = "seizures"
    __table_args__ = (
        CheckConstraint("information_grade BETWEEN 1 AND 4", name="information_grade_range"),
        Index("ix_seizures_search_vector", "search_vector", postgresql_using="gin"),
        # The investigator's desk: my latest live seizures (migration 0022).
        Index(
            "ix_seizures_created_by_id_updated_at",
            "created_by_id",
            "updated_at",
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # A case imported from a spreadsheet keeps its id there (migration 0028).
        *source_constraints("seizures"),
    )

    reference: Mapped[str] = mapped_column(String(64), unique=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    office_code: Mapped[str | None] = mapped_column(ForeignKey("customs_offices.code"))
    place: Mapped[str | None] = mapped_column(String(200))
    locode: Mapped[str | None] = mapped_column(String(5))
    location_type: Mapped[str | None] = mapped_column(ForeignKey("location_types.code"))
    direction: Mapped[Direction | None] = mapped_column(enum_column(Direction, 16))
    transport_mode: Mapped[str | None] = mapped_column(ForeignKey("transport_modes.code"))
    detection_method: Mapped[str | None] = mapped_column(ForeignKey("detection_methods.code"))
    detection_technique: Mapped[str | None] = mapped_column(ForeignKey("detection_techniques.code"))
    concealment_description: Mapped[str | None] = mapped_column(Text)
    departure_country: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    destination_country: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    narrative: Mapped[str | None] = mapped_column(Text)
    status: Mapped[SeizureStatus] = mapped_column(
        enum_column(SeizureStatus, 16), default=SeizureStatus.DRAFT, index=True
    )
    source_reliability: Mapped[SourceReliability] = mapped_column(
        enum_column(SourceReliability, 1), default=SourceReliability.X
    )
    information_grade: Mapped[int] = mapped_column(SmallInteger, default=4)
    validated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Maintained by PostgreSQL from the narrative, concealment description and place.
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, Computed(SEIZURE_TEXT, persisted=True), deferred=True
    )

    items: Mapped[list[SeizureItem]] = relationship(
        back_populates="seizure",
        cascade="all, delete-orphan",
        order_by="SeizureItem.position",
        lazy="selectin",
    )
    transit_countries: Mapped[list[SeizureTransitCountry]] = relationship(
        cascade="all, delete-orphan", order_by="SeizureTransitCountry.position", lazy="selectin"
    )
    concealment_methods: Mapped[list[SeizureConcealment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class SeizureItem(UUIDPrimaryKey, Base):
    """One kind of goods seized in a case."""

    __tablename__ = "seizure_items"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("estimated_value >= 0", name="value_not_negative"),
        CheckConstraint("hs_code ~ '^[0-9]{6}$'", name="hs_code_six_digits"),
        UniqueConstraint("seizure_id", "position"),
        Index("ix_seizure_items_search_vector", "search_vector", postgresql_using="gin"),
    )

    seizure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seizures.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    commodity_group: Mapped[str] = mapped_column(ForeignKey("commodity_groups.code"), index=True)
    hs_code: Mapped[str | None] = mapped_column(String(6), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    brand: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    unit: Mapped[str | None] = mapped_column(ForeignKey("quantity_units.code"))
    estimated_value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(ForeignKey("currencies.code"))
    # Maintained by PostgreSQL from the description and brand.
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, Computed(ITEM_TEXT, persisted=True), deferred=True
    )

    seizure: Mapped[Seizure] = relationship(back_populates="items")


class SeizureTransitCountry(Base):
    """A transit country of the route, in route order."""

    __tablename__ = "seizure_transit_countries"

    seizure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seizures.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)


class SeizureConcealment(Base):
    """A concealment method used in the case (a case may combine several)."""

    __tablename__ = "seizure_concealments"

    seizure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seizures.id", ondelete="CASCADE"), primary_key=True
    )
    method: Mapped[str] = mapped_column(ForeignKey("concealment_methods.code"), primary_key=True)


class SeizurePerson(UUIDPrimaryKey, Base):
    """A person involved in a seizure, in a role."""

    __tablename__ = "seizure_persons"
    __table_args__ = (UniqueConstraint("seizure_id", "person_id", "role"),)

    seizure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seizures.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(ForeignKey("person_roles.code"))
    note: Mapped[str | None] = mapped_column(Text)


class SeizureCompany(UUIDPrimaryKey, Base):
    """A company involved in a seizure, in a role."""

    __tablename__ = "seizure_companies"
    __table_args__ = (UniqueConstraint("seizure_id", "company_id", "role"),)

    seizure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seizures.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(ForeignKey("company_roles.code"))
    note: Mapped[str | None] = mapped_column(Text)


class SeizureConveyance(UUIDPrimaryKey, Base):
    """A conveyance used in a seizure, in a role."""

    __tablename__ = "seizure_conveyances"
    __table_args__ = (UniqueConstraint("seizure_id", "conveyance_id", "role"),)

    seizure_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("seizures.id", ondelete="CASCADE"), index=True
    )
    conveyance_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conveyances.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(ForeignKey("conveyance_roles.code"))
    note: Mapped[str | None] = mapped_column(Text)
