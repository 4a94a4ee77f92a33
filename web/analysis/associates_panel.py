"""The associates panel of the person, company and conveyance pages.

The record pages call `associates_panel` inside their transaction. It returns None (no panel)
for users without ``ANALYSE_NETWORK``, so the page is the same as before for them; otherwise the
`PANEL_SIZE` best associates from `ncen.analysis.associates` (a bounded query, audited there as
``analysis.associates``) with the URL of each associate's record page, and its evidence with the
role codes named in the reader's language (`evidence_lines`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.associates import Associate, associates
from ncen.analysis.entities import NodeKey
from ncen.policy import Action, is_allowed
from web.network.sentences import sentence

PANEL_SIZE = 10

_PAGES = {
    "person": ("persons.show", "person_id"),
    "company": ("companies.show", "company_id"),
    "conveyance": ("conveyances.show", "conveyance_id"),
}


@dataclass(frozen=True)
class PanelRow:
    """One associate as the panel shows it, with the link to its record page and its evidence
    in the reader's language."""

    associate: Associate
    url: str
    evidence: list[str]


def evidence_lines(associate: Associate) -> list[str]:
    """The associate's evidence in the reader's language (`ncen.analysis` writes it as
    `ncen.errors.Message`s with the role and document codes as values)."""
    return [sentence(line) for line in associate.evidence]


def record_url(key: NodeKey) -> str:
    """The page of the record ``key`` names."""
    if key.kind == "seizure":
        return url_for("seizures.show", seizure_id=key.id)
    endpoint, argument = _PAGES[key.kind]
    values: dict[str, Any] = {argument: key.id}
    return url_for(endpoint, **values)


def associates_panel(
    db: Session, actor: Actor, kind: str, record_id: uuid.UUID
) -> list[PanelRow] | None:
    """The panel's rows for the record, or None when ``actor`` may not analyse networks."""
    if not is_allowed(actor, Action.ANALYSE_NETWORK):
        return None
    found = associates(db, actor, NodeKey(kind, record_id), limit=PANEL_SIZE)
    return [PanelRow(a, record_url(a.node.key), evidence_lines(a)) for a in found]
