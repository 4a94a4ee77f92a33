"""Person tables. A person has many names (any script, aliases), documents and contacts."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ncen.db import Base, UUIDPrimaryKey, enum_column
from ncen.records import RecordMixin
from ncen.search.models import NameKeyColumns, name_key_indexes
from ncen.sources import SourceColumns, source_constraints


class Gender(enum.StrEnum):
    """Gender as recorded on documents (ICAO 9303: F, M, X), or unknown."""

    FEMALE = "F"
    MALE = "M"
    OTHER = "X"
    UNKNOWN = "U"


class NameKind(enum.StrEnum):
    """What a name form is for the person."""

    PRIMARY = "primary"
    ALIAS = "alias"
    FORMER = "former"
    TRANSLITERATION = "transliteration"


class DocumentType(enum.StrEnum):
    """Identity and travel document types."""

    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    RESIDENCE_PERMIT = "residence_permit"
    DRIVING_LICENCE = "driving_licence"
    SEAMAN_BOOK = "seaman_book"
    TAX_ID = "tax_id"
    OTHER = "other"


class ContactKind(enum.StrEnum):
    """Kinds of contact details."""

    PHONE = "phone"
    EMAIL = "email"


class Person(SourceColumns, RecordMixin, Base):
    """A person of interest. Birth dates may be partial (year, or year and month)."""

    __tablename__ = "persons"
    __table_args__ = (
        CheckConstraint("birth_month BETWEEN 1 AND 12", name="birth_month_range"),
        CheckConstraint("birth_day BETWEEN 1 AND 31", name="birth_day_range"),
        CheckConstraint("birth_day IS NULL OR birth_month IS NOT NULL", name="day_needs_month"),
        CheckConstraint("birth_month IS NULL OR birth_year IS NOT NULL", name="month_needs_year"),
        *source_constraints("persons"),
        # The few deleted persons, read by the name search in place of a lookup of each
        # candidate form's person (`ncen.search.persons._names_only`).
        Index("ix_persons_deleted", "id", postgresql_where=text("deleted_at IS NOT NULL")),
    )

    gender: Mapped[Gender] = mapped_column(enum_column(Gender, 1), default=Gender.UNKNOWN)
    birth_year: Mapped[int | None] = mapped_column(SmallInteger, index=True)
    birth_month: Mapped[int | None] = mapped_column(SmallInteger)
    birth_day: Mapped[int | None] = mapped_column(SmallInteger)
    birth_place: Mapped[str | None] = mapped_column(String(200))
    birth_country: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    description: Mapped[str | None] = mapped_column(Text)

    names: Mapped[list[PersonName]] = relationship(
        cascade="all, delete-orphan", order_by="PersonName.position", lazy="selectin"
    )
    nationalities: Mapped[list[PersonNationality]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    documents: Mapped[list[IdentityDocument]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    addresses: Mapped[list[PersonAddress]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    contacts: Mapped[list[PersonContact]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def display_name(self) -> str:
        """The first primary name, else the first name of any kind."""
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.full_name
        return self.names[0].full_name if self.names else "(no name)"


class PersonName(NameKeyColumns, UUIDPrimaryKey, Base):
    """One name form of a person, in one script, with its search keys (`ncen.search.index`)."""

    __tablename__ = "person_names"
    __table_args__ = name_key_indexes("person_names")

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[NameKind] = mapped_column(enum_column(NameKind, 16), default=NameKind.PRIMARY)
    full_name: Mapped[str] = mapped_column(String(300))
    given_names: Mapped[str | None] = mapped_column(String(200))
    family_name: Mapped[str | None] = mapped_column(String(200))
    patronymic: Mapped[str | None] = mapped_column(String(200))
    # ISO 15924 code of the script the name is written in (Latn, Cyrl, Arab, Hani, ...).
    script: Mapped[str] = mapped_column(String(4), default="Latn")


class PersonNationality(Base):
    """A nationality held by a person."""

    __tablename__ = "person_nationalities"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(ForeignKey("countries.code"), primary_key=True)


class IdentityDocument(UUIDPrimaryKey, Base):
    """A passport, ID card or other document. ``number_norm`` is the indexed search key."""

    __tablename__ = "identity_documents"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    doc_type: Mapped[DocumentType] = mapped_column(enum_column(DocumentType, 24))
    number: Mapped[str] = mapped_column(String(40))
    number_norm: Mapped[str] = mapped_column(String(40), index=True)
    issuing_country: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    expires_on: Mapped[date | None] = mapped_column(Date)


# The key two addresses are compared on in the entity graph (`ncen.analysis.edges`): the
# letters and digits of line and city in lower case, and the country (migration 0017).
PERSON_ADDRESS_KEY = (
    "lower(regexp_replace(line || ' ' || coalesce(city, ''), '[^[:alnum:]]+', '', 'g'))"
    " || '|' || coalesce(country, '')"
)


class PersonAddress(UUIDPrimaryKey, Base):
    """A postal address of a person; ``address_key`` is maintained by PostgreSQL."""

    __tablename__ = "person_addresses"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[str] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    address_key: Mapped[str | None] = mapped_column(
        Text, Computed(PERSON_ADDRESS_KEY, persisted=True), index=True
    )


class PersonContact(UUIDPrimaryKey, Base):
    """A phone number or e-mail address of a person; ``value_norm`` is the search key."""

    __tablename__ = "person_contacts"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ContactKind] = mapped_column(enum_column(ContactKind, 8))
    value: Mapped[str] = mapped_column(String(254))
    value_norm: Mapped[str] = mapped_column(String(254), index=True)
