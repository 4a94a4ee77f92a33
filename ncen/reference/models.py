"""Reference code lists as tables: the targets of every coded field's foreign key.

They are seeded by migration (from `ncen.reference.codes` and pycountry) and extended by
administrators; a code, once used, is deactivated rather than deleted, because records and peers
refer to it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    func,
    select,
    text,
    true,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from ncen.db import Base


class CodeMixin:
    """The columns every code list shares."""

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Country(CodeMixin, Base):
    """ISO 3166-1 alpha-2 countries (plus user-assigned codes such as XK if an admin adds them)."""

    __tablename__ = "countries"
    alpha3: Mapped[str | None] = mapped_column(String(3))


class Currency(CodeMixin, Base):
    """ISO 4217 alphabetic currency codes."""

    __tablename__ = "currencies"


class EnforcementArea(CodeMixin, Base):
    """WCO CEN enforcement areas (drugs, revenue, IPR, security, environment, ...)."""

    __tablename__ = "enforcement_areas"


class CommodityGroup(CodeMixin, Base):
    """The CEN commodity groups, each in one enforcement area."""

    __tablename__ = "commodity_groups"
    parent: Mapped[str | None] = mapped_column(ForeignKey("enforcement_areas.code"))


class DetectionMethod(CodeMixin, Base):
    """How the case came to light (risk profiling, tip-off, random check, ...)."""

    __tablename__ = "detection_methods"


class DetectionTechnique(CodeMixin, Base):
    """What found the goods (x-ray, detector dog, physical examination, ...)."""

    __tablename__ = "detection_techniques"


class ConcealmentMethod(CodeMixin, Base):
    """How the goods were hidden."""

    __tablename__ = "concealment_methods"


class TransportMode(CodeMixin, Base):
    """UN/ECE Recommendation 19 transport modes, plus the CEN's passenger and express modes."""

    __tablename__ = "transport_modes"


class LocationType(CodeMixin, Base):
    """Kind of place of a seizure (airport, seaport, land border, ...)."""

    __tablename__ = "location_types"


class PersonRole(CodeMixin, Base):
    """Roles of a person in a seizure (offender, courier, driver, ...)."""

    __tablename__ = "person_roles"


class CompanyRole(CodeMixin, Base):
    """Roles of a company in a seizure (importer, carrier, forwarder, ...)."""

    __tablename__ = "company_roles"


class ConveyanceRole(CodeMixin, Base):
    """Roles of a conveyance in a seizure (means of transport, container, ...)."""

    __tablename__ = "conveyance_roles"


class PersonCompanyRole(CodeMixin, Base):
    """Roles of a person in a company (director, employee, owner, ...)."""

    __tablename__ = "person_company_roles"


class QuantityUnit(CodeMixin, Base):
    """Units of seized quantities (kg, litres, pieces, sticks, ...).

    ``family`` is the code of the base unit this unit converts to (kg for grams and tonnes, l
    for millilitres and cubic metres, sticks for packs and cartons) and ``factor`` how many base
    units one of this unit is. Statistics add up quantities per family; a unit without a family
    (an administrator's new unit before anyone set it) is left out of the quantities.
    """

    __tablename__ = "quantity_units"
    family: Mapped[str | None] = mapped_column(ForeignKey("quantity_units.code"))
    factor: Mapped[Decimal | None] = mapped_column(Numeric)


class HsSection(CodeMixin, Base):
    """The 21 sections of the Harmonized System (code = roman numeral)."""

    __tablename__ = "hs_sections"


class HsChapter(CodeMixin, Base):
    """The 97 chapters of HS 2022 (code = two digits), each in a section."""

    __tablename__ = "hs_chapters"
    parent: Mapped[str | None] = mapped_column(ForeignKey("hs_sections.code"))


# session.info key of the set of HS chapters that have codes loaded (see ncen.seizures.services).
HS_CHAPTERS_LOADED = "ncen.hs_chapters_loaded"


class HsSubheading(Base):
    """HS headings (4 digits) and subheadings (6 digits), loaded by ``ncen reference load``.

    Optional: an administration may not have the file. When the table holds no code of a
    chapter, a 6-digit code is validated for format and chapter only.
    """

    __tablename__ = "hs_subheadings"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    chapter: Mapped[str] = mapped_column(ForeignKey("hs_chapters.code"), index=True)
    description: Mapped[str] = mapped_column(Text)


class UnLocode(Base):
    """UN/LOCODE locations, loaded by ``ncen reference load``."""

    __tablename__ = "un_locodes"
    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    country: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ascii: Mapped[str] = mapped_column(String(200))
    subdivision: Mapped[str | None] = mapped_column(String(3))
    function: Mapped[str] = mapped_column(String(8), default="")
    coordinates: Mapped[str | None] = mapped_column(String(20))


class CustomsOffice(CodeMixin, Base):
    """A customs office of this administration (code as used nationally)."""

    __tablename__ = "customs_offices"
    country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    locode: Mapped[str | None] = mapped_column(String(5))


class ReferenceLabel(Base):
    """The label of one code of one list in one language other than English.

    English is the ``label`` column of the list itself; this table holds every other language,
    for built-in codes (seeded by migration 0024 from `ncen.reference.translations`) and for the
    codes administrators add, so every code can be shown in the reader's language. A code with
    no row for a language is shown with its English label. ``list_name`` is the table name of
    the list (no foreign key: one table serves every list; codes are never deleted).
    """

    __tablename__ = "reference_labels"
    __table_args__ = (
        CheckConstraint("label <> ''", name="label_not_empty"),
        CheckConstraint("locale ~ '^[a-z]{2,3}$' AND locale <> 'en'", name="locale_code"),
    )
    list_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    locale: Mapped[str] = mapped_column(String(3), primary_key=True)
    label: Mapped[str] = mapped_column(Text)


class ReferenceStamp(Base):
    """One row whose ``stamp`` changes with every change to any reference table.

    A statement-level trigger on each reference table (migration 0020) draws a new random stamp
    in the changing transaction, so a server process may keep code lists in memory as long as
    the stamp it reads is the one it loaded them under (`web.codes`). Random, not a counter: a
    rolled-back change must not give a later change a stamp already seen.
    """

    __tablename__ = "reference_stamp"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)
    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, server_default="1")
    stamp: Mapped[uuid.UUID] = mapped_column(server_default=text("gen_random_uuid()"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


def reference_stamp(session: Session) -> uuid.UUID | None:
    """The current stamp of the reference data (None if its row is missing: cache nothing)."""
    return session.scalar(select(ReferenceStamp.stamp).where(ReferenceStamp.id == 1))
