"""Conveyance tables. Identifiers live in their own table so one index serves every kind."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ncen.db import Base, UUIDPrimaryKey, enum_column
from ncen.records import RecordMixin
from ncen.sources import SourceColumns, source_constraints


class ConveyanceKind(enum.StrEnum):
    """What the conveyance is."""

    VEHICLE = "vehicle"
    TRAILER = "trailer"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    CONTAINER = "container"
    RAIL_WAGON = "rail_wagon"
    POSTAL_ITEM = "postal_item"
    EXPRESS_ITEM = "express_item"


class IdentifierKind(enum.StrEnum):
    """Kinds of conveyance identifier; each has a checker in `ncen.identifiers`."""

    PLATE = "plate"
    VIN = "vin"
    IMO = "imo"
    MMSI = "mmsi"
    CALL_SIGN = "call_sign"
    AIRCRAFT_REGISTRATION = "aircraft_registration"
    FLIGHT = "flight"
    CONTAINER = "container"
    AWB = "awb"
    BILL_OF_LADING = "bill_of_lading"
    POSTAL_ITEM = "postal_item"


class Conveyance(SourceColumns, RecordMixin, Base):
    """A means of transport or a unit load used in a case."""

    __tablename__ = "conveyances"
    __table_args__ = source_constraints("conveyances")

    kind: Mapped[ConveyanceKind] = mapped_column(enum_column(ConveyanceKind, 16), index=True)
    name: Mapped[str | None] = mapped_column(String(200))  # vessel name, vehicle make/model
    flag: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    description: Mapped[str | None] = mapped_column(Text)

    identifiers: Mapped[list[ConveyanceIdentifier]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def display_name(self) -> str:
        """The name, else the first identifier, else the kind."""
        if self.name:
            return self.name
        if self.identifiers:
            first = self.identifiers[0]
            return f"{first.kind.value.upper()} {first.value}"
        return self.kind.value


class ConveyanceIdentifier(UUIDPrimaryKey, Base):
    """One identifier of a conveyance. ``value`` is the checked canonical form, also the key."""

    __tablename__ = "conveyance_identifiers"
    __table_args__ = (UniqueConstraint("conveyance_id", "kind", "value"),)

    conveyance_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conveyances.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[IdentifierKind] = mapped_column(enum_column(IdentifierKind, 24))
    value: Mapped[str] = mapped_column(String(40), index=True)
    # Plates are only unique with their country; other identifiers are global.
    country: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
