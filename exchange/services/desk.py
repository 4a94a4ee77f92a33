"""The exchange officer's desk panels: the latest received bundles, failed deliveries and open
requests for information.

Each is one bounded query (``LIMIT size + 1``, see `ncen.analysis.desk.Panel`) built from the
statement of the full page it links to (`exchange.network.ledger`, `exchange.services.rfi`), so the
page lists the same items in the same order. Each requires ``RUN_EXCHANGE``. They show bundle ids,
peers, states and RFI subjects, as the exchange pages do; none lists persons or seizures, so they
are not audited as reads (the exchange pages are not either).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.netmodels import Delivery, InboxEntry, InformationRequest, RequestState
from exchange.network.ledger import FAILED, deliveries_statement, inbox_statement
from exchange.services.rfi import rfis_statement
from ncen.accounts.actor import Actor
from ncen.analysis.desk import PANEL_SIZE, Panel, panel_of
from ncen.policy import Action, require


def latest_received(session: Session, actor: Actor, size: int = PANEL_SIZE) -> Panel[InboxEntry]:
    """The latest incoming bundles, accepted or rejected, newest first (the inbox page)."""
    require(actor, Action.RUN_EXCHANGE)
    return panel_of(session, inbox_statement(), size)


def failed_deliveries(session: Session, actor: Actor, size: int = PANEL_SIZE) -> Panel[Delivery]:
    """Deliveries refused, expired, or failing their retries, newest first (the outbox page
    with ``state=failed``)."""
    require(actor, Action.RUN_EXCHANGE)
    return panel_of(session, deliveries_statement(state=FAILED), size)


def open_rfis(session: Session, actor: Actor, size: int = PANEL_SIZE) -> Panel[InformationRequest]:
    """Requests for information still waiting for a reply, received (ours to answer) or sent,
    newest first (the RFI page with ``state=open``)."""
    require(actor, Action.RUN_EXCHANGE)
    return panel_of(session, rfis_statement(RequestState.OPEN), size)
