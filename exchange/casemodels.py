"""The link between requests for information and investigations (issue 10).

An RFI (`exchange.netmodels.InformationRequest`, sent or received) is linked to the case file
it is about, so that the case's team sees the question and the reply with the case. The table
is the exchange's (ncen never imports exchange; the investigation pages read it through
`exchange.services.caselinks`). Migration ``0031`` creates it with the investigation tables.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ncen.db import Base, utcnow


class InvestigationRfi(Base):
    """One RFI linked to one case, by whom and when. Deleting either side drops the link."""

    __tablename__ = "investigation_rfis"

    investigation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("investigations.id", ondelete="CASCADE"), primary_key=True
    )
    rfi_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exchange_rfis.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    linked_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
