"""Alerts on new results of saved searches (Aleph-style), through `ncen.search.saved`.

A saved search with its ``alert`` flag is rerun by `check_saved_searches` (when its owner opens
the alerts page, and by ``ncen watch check``); every result its previous run had not seen
becomes an alert for the owner. The first run only records the baseline: what existed when
the search was saved is not news.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.accounts.models import User
from ncen.db import utcnow
from ncen.search.saved import SavedSearch, SearchKind, new_results
from ncen.watch.models import Alert

RECORD_TYPES = {
    SearchKind.PERSONS: "person",
    SearchKind.COMPANIES: "company",
    SearchKind.SEIZURES: "seizure",
}


def check_saved_searches(session: Session, owner_id: uuid.UUID | None = None) -> int:
    """Rerun the alerting saved searches (of ``owner_id``, or everyone's) as their owners and
    raise an alert per new result; return how many. Each run is audited by its search."""
    stmt = select(SavedSearch).where(SavedSearch.alert.is_(True)).order_by(SavedSearch.id)
    if owner_id is not None:
        stmt = stmt.where(SavedSearch.owner_id == owner_id)
    raised = 0
    for saved in session.execute(stmt).scalars().all():
        owner = session.get(User, saved.owner_id)
        if owner is None or not owner.active:
            continue
        baseline = saved.last_run_at is None
        fresh = new_results(session, saved, Actor.of(owner))
        if baseline:
            continue
        for record_id in fresh:
            session.add(
                Alert(
                    id=uuid.uuid4(),
                    watch_id=None,
                    owner_id=saved.owner_id,
                    record_type=RECORD_TYPES[saved.kind],
                    record_id=record_id,
                    event="saved_search",
                    score=None,
                    explanation={
                        "summary": f"new result of the saved search “{saved.name}”.",
                        # reason + values: what the pages translate (the summary is English)
                        "reason": "saved_search",
                        "name": saved.name,
                        "saved_search_id": str(saved.id),
                    },
                    created_at=utcnow(),
                )
            )
            raised += 1
    session.flush()
    return raised
