"""The associates panel of the person, company and conveyance pages.

The record pages call `associates_panel` inside their transaction. It returns None (no panel)
for users without ``ANALYSE_NETWORK``, so the page is the same as before for them; otherwise the
`PANEL_SIZE` best associates from `ncen.analysis.associates` (a bounded query, audited there as
``analysis.associates``) with the URL of each associate's record page, and its evidence with the
role codes named in the reader's language (`evidence_lines`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.associates import Associate, associates
from ncen.analysis.entities import NodeKey
from ncen.policy import Action, is_allowed
from web.codes import code_label

PANEL_SIZE = 10

_PAGES = {
    "person": ("persons.show", "person_id"),
    "company": ("companies.show", "company_id"),
    "conveyance": ("conveyances.show", "conveyance_id"),
}


_ROLE_LISTS = {
    "person": "person_roles",
    "company": "company_roles",
    "conveyance": "conveyance_roles",
}
# The evidence sentences of `ncen.analysis.associates` and `ncen.analysis.graph` that carry
# role codes ("offender / courier": a record's roles in one seizure, joined by " / ").
_BOTH_IN = re.compile(r"^both in (?P<seizure>.+?) as (?P<roles>[\w/ -]+)$")
_EMPLOYMENT = re.compile(r"^(?P<roles>[\w/ -]+?) of (?P<record>.+)$")


@dataclass(frozen=True)
class PanelRow:
    """One associate as the panel shows it, with the link to its record page and its evidence
    in the reader's language."""

    associate: Associate
    url: str
    evidence: list[str]


def _roles(codes: str, *lists: str) -> str | None:
    """Each " / "-separated role code named from the first of ``lists`` that holds it; None
    when a part is no role code (the sentence is then not one about roles).

    The two records' roles are joined by the same " / " as one record's several roles, so a
    code is looked up in this record's list first, then in the associate's.
    """
    named = []
    for code in codes.split(" / "):
        label = next((found for name in lists if (found := code_label(name, code)) != code), None)
        if label is None:
            return None
        named.append(label)
    return " / ".join(named)


def evidence_lines(kind: str, associate: Associate) -> list[str]:
    """The associate's evidence with its role codes named in the reader's language; other
    sentences (shared phone, document, address) as `ncen.analysis` wrote them."""
    lists = (_ROLE_LISTS.get(kind, "person_roles"), _ROLE_LISTS.get(associate.node.key.kind, ""))
    lines = []
    for line in associate.evidence:
        if (both := _BOTH_IN.match(line)) and (
            roles := _roles(both["roles"], *(name for name in lists if name))
        ):
            lines.append(
                gettext("both in %(seizure)s as %(roles)s", seizure=both["seizure"], roles=roles)
            )
        elif (
            {kind, associate.node.key.kind} == {"person", "company"}
            and (employment := _EMPLOYMENT.match(line))
            and (roles := _roles(employment["roles"], "person_company_roles"))
        ):
            lines.append(gettext("%(role)s of %(record)s", role=roles, record=employment["record"]))
        else:
            lines.append(line)
    return lines


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
    return [PanelRow(a, record_url(a.node.key), evidence_lines(kind, a)) for a in found]
