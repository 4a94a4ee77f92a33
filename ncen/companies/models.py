"""Company tables and the person–company link."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import Computed, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ncen.db import Base, UUIDPrimaryKey, enum_column
from ncen.persons.models import NameKind
from ncen.records import RecordMixin
from ncen.search.models import NameKeyColumns, name_key_indexes
from ncen.sources import SourceColumns, source_constraints


class AeoStatus(enum.StrEnum):
    """Authorised Economic Operator status (EU-style certificate kinds)."""

    NONE = "none"
    AEO_C = "aeo_c"  # customs simplifications
    AEO_S = "aeo_s"  # security and safety
    AEO_F = "aeo_f"  # full
    SUSPENDED = "suspended"


# Compared with `ncen.persons.models.PERSON_ADDRESS_KEY` in the entity graph (migration 0017).
COMPANY_ADDRESS_KEY = (
    "lower(regexp_replace(address_line || ' ' || coalesce(address_city, ''), "
    "'[^[:alnum:]]+', '', 'g')) || '|' || coalesce(address_country, '')"
)


class Company(SourceColumns, RecordMixin, Base):
    """A legal entity: importer, exporter, carrier, front company, ..."""

    __tablename__ = "companies"
    __table_args__ = source_constraints("companies")

    country: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    registration_number: Mapped[str | None] = mapped_column(String(64))
    registration_number_norm: Mapped[str | None] = mapped_column(String(64), index=True)
    tax_number: Mapped[str | None] = mapped_column(String(64))
    tax_number_norm: Mapped[str | None] = mapped_column(String(64), index=True)
    aeo_status: Mapped[AeoStatus] = mapped_column(
        enum_column(AeoStatus, 16), default=AeoStatus.NONE
    )
    address_line: Mapped[str | None] = mapped_column(String(300))
    address_city: Mapped[str | None] = mapped_column(String(120))
    address_country: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    address_key: Mapped[str | None] = mapped_column(
        Text, Computed(COMPANY_ADDRESS_KEY, persisted=True), index=True
    )
    description: Mapped[str | None] = mapped_column(Text)

    names: Mapped[list[CompanyName]] = relationship(
        cascade="all, delete-orphan", order_by="CompanyName.position", lazy="selectin"
    )

    @property
    def display_name(self) -> str:
        """The first primary name, else the first name of any kind."""
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.name
        return self.names[0].name if self.names else "(no name)"


class CompanyName(NameKeyColumns, UUIDPrimaryKey, Base):
    """A name or alias of a company, in one script, with its search keys (`ncen.search.index`)."""

    __tablename__ = "company_names"
    __table_args__ = name_key_indexes("company_names")

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[NameKind] = mapped_column(enum_column(NameKind, 16), default=NameKind.PRIMARY)
    name: Mapped[str] = mapped_column(String(300))
    script: Mapped[str] = mapped_column(String(4), default="Latn")


class PersonCompany(UUIDPrimaryKey, Base):
    """A person's role in a company (director, employee, owner, ...)."""

    __tablename__ = "person_companies"
    __table_args__ = (UniqueConstraint("person_id", "company_id", "role"),)

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(ForeignKey("person_company_roles.code"))
    note: Mapped[str | None] = mapped_column(Text)
