"""Timelines: what happened to a set of records, in time order, grouped by record.

For each record (a `NodeKey` the actor may see) the timeline gathers:

- seizures: a seizure's own date, and for a person, company or conveyance each seizure it
  took part in, with its role;
- dates on the record: a person's date of birth and the expiry of identity documents;
- record changes from the history (`ncen.history`): created, changed (which fields), deleted...;
- exchange events, which the caller gathers and passes in (`ncen` may not read the exchange
  tables; the web layer does, see ``web.network.exchange_events``).

Dates carry their precision (`PartialDate`): a birth year alone is the whole year, never the
first of January; the client draws it as a range spanning the year, labelled "2019".

Needs ``Action.ANALYSE_NETWORK``; the read is audited as ``timeline.read`` (one record) or
``timeline.list`` (several) with the records shown, like any read of nominal data.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.graph import GraphNode, NodeKey, load_nodes, roles
from ncen.errors import Codes, Message, ValidationError
from ncen.history import RecordVersion
from ncen.persons.models import IdentityDocument, Person
from ncen.policy import Action, require
from ncen.reading import note_read
from ncen.seizures.models import Seizure, SeizureCompany, SeizureConveyance, SeizurePerson

MAX_RECORDS = 200
MAX_EVENTS = 5000  # per timeline: beyond this the client would freeze; the newest are kept


class Precision(enum.StrEnum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
    MOMENT = "moment"


@dataclass(frozen=True)
class PartialDate:
    """A date of which only the year, or the year and month, may be known."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        """The most precise part known."""
        if self.month is None:
            return Precision.YEAR
        return Precision.MONTH if self.day is None else Precision.DAY

    def start(self) -> datetime:
        """The first moment the date may mean (UTC)."""
        return datetime(self.year, self.month or 1, self.day or 1, tzinfo=UTC)

    def end(self) -> datetime:
        """The first moment after the date (exclusive end of the range it spans)."""
        if self.month is None:
            return datetime(self.year + 1, 1, 1, tzinfo=UTC)
        if self.day is None:
            year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
            return datetime(year, month, 1, tzinfo=UTC)
        return datetime.combine(date.fromordinal(self.start().toordinal() + 1), time(), UTC)

    def label(self) -> str:
        """As much as is known: ``2019``, ``2019-03`` or ``2019-03-04``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class TimelineEvent:
    """One event of one record (``group``: its node key). ``when`` is a `PartialDate` or an
    exact moment; ``kind`` is seizure, birth, document, change, sent or received."""

    group: str
    kind: str
    label: str
    when: PartialDate | datetime

    @property
    def start(self) -> datetime:
        """Where the event begins on the time axis."""
        return self.when.start() if isinstance(self.when, PartialDate) else self.when

    @property
    def precision(self) -> Precision:
        """How much of the date is known."""
        return self.when.precision if isinstance(self.when, PartialDate) else Precision.MOMENT


@dataclass(frozen=True)
class Timeline:
    """The records shown (as groups, in the order asked) and their events, oldest first."""

    groups: list[GraphNode]
    events: list[TimelineEvent]
    truncated: bool


def build_timeline(
    session: Session,
    actor: Actor,
    keys: Sequence[NodeKey],
    *,
    extra_events: Iterable[TimelineEvent] = (),
) -> Timeline:
    """The timeline of the records ``keys`` that the actor may see (others are left out).

    ``extra_events`` (exchange events gathered by the caller) are kept only for those records.
    Raises `ValidationError` for more than `MAX_RECORDS` records; audits the read.
    """
    require(actor, Action.ANALYSE_NETWORK)
    if len(keys) > MAX_RECORDS:
        raise ValidationError({"records": f"at most {MAX_RECORDS} records on one timeline"})
    groups = load_nodes(session, actor, list(dict.fromkeys(keys)))
    visible = {node.key for node in groups}
    events = [
        *_seizure_events(session, visible),
        *_person_events(session, visible),
        *_history_events(session, visible),
        *(event for event in extra_events if event.group in {str(key) for key in visible}),
    ]
    events.sort(key=lambda event: (event.start, event.group, event.kind, event.label))
    truncated = len(events) > MAX_EVENTS
    if truncated:
        events = events[-MAX_EVENTS:]
    shown = [str(node.key) for node in groups]
    if len(shown) == 1:
        note_read(session, actor, "timeline", record_id=shown[0], details={"records": shown})
    else:
        note_read(session, actor, "timeline", details={"records": shown})
    return Timeline(groups, events, truncated)


def _ids(keys: Iterable[NodeKey], kind: str) -> list[object]:
    return [key.id for key in keys if key.kind == kind]


def _seizure_events(session: Session, keys: set[NodeKey]) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    own = select(Seizure.id, Seizure.reference, Seizure.occurred_at).where(
        Seizure.id.in_(_ids(keys, "seizure")), Seizure.deleted_at.is_(None)
    )
    for seizure_id, reference, occurred_at in session.execute(own):
        events.append(TimelineEvent(f"seizure:{seizure_id}", "seizure", reference, occurred_at))
    links = (("person", SeizurePerson, SeizurePerson.person_id),
             ("company", SeizureCompany, SeizureCompany.company_id),
             ("conveyance", SeizureConveyance, SeizureConveyance.conveyance_id))  # fmt: skip
    for kind, link, column in links:
        ids = _ids(keys, kind)
        if not ids:
            continue
        # The newest links only: a hub company takes part in tens of thousands of seizures,
        # and the timeline keeps the newest MAX_EVENTS events whatever it read.
        stmt = (
            select(column, link.role, Seizure.reference, Seizure.occurred_at)
            .join(Seizure, Seizure.id == link.seizure_id)
            .where(column.in_(ids), Seizure.deleted_at.is_(None))
            .order_by(Seizure.occurred_at.desc())
            .limit(MAX_EVENTS + 1)
        )
        for record_id, role, reference, occurred_at in session.execute(stmt):
            label = Message("%(role)s in %(record)s", role=roles(kind, role), record=reference)
            events.append(TimelineEvent(f"{kind}:{record_id}", "seizure", label, occurred_at))
    return events


def _person_events(session: Session, keys: set[NodeKey]) -> list[TimelineEvent]:
    ids = _ids(keys, "person")
    if not ids:
        return []
    events: list[TimelineEvent] = []
    births = select(Person.id, Person.birth_year, Person.birth_month, Person.birth_day).where(
        Person.id.in_(ids), Person.birth_year.is_not(None)
    )
    for person_id, year, month, day in session.execute(births):
        if year is None:  # excluded by the query; narrows the type
            continue
        when = PartialDate(year, month, day if month is not None else None)
        events.append(TimelineEvent(f"person:{person_id}", "birth", Message("born"), when))
    document = IdentityDocument
    documents = select(
        document.person_id, document.doc_type, document.number, document.expires_on
    ).where(document.person_id.in_(ids), document.expires_on.is_not(None))
    for person_id, doc_type, number, expires_on in session.execute(documents):
        if expires_on is None:  # excluded by the query; narrows the type
            continue
        when = PartialDate(expires_on.year, expires_on.month, expires_on.day)
        label = Message(
            "%(document)s %(number)s expires",
            document=Codes("document_type", doc_type.value),
            number=number,
        )
        events.append(TimelineEvent(f"person:{person_id}", "document", label, when))
    return events


def _history_events(session: Session, keys: set[NodeKey]) -> list[TimelineEvent]:
    by_id = {key.id: key for key in keys}
    if not by_id:
        return []
    # The newest versions only, and not their snapshots: a record edited thousands of times
    # would otherwise load every full snapshot for a timeline that shows MAX_EVENTS events.
    stmt = (
        select(
            RecordVersion.record_type,
            RecordVersion.record_id,
            RecordVersion.kind,
            RecordVersion.version,
            RecordVersion.changed_by_name,
            RecordVersion.changed_at,
            RecordVersion.changes,
        )
        .where(
            RecordVersion.record_id.in_(list(by_id)),
            RecordVersion.record_type.in_({key.kind for key in keys}),
        )
        .order_by(RecordVersion.changed_at.desc())
        .limit(MAX_EVENTS + 1)
    )
    events: list[TimelineEvent] = []
    for record_type, record_id, kind, version, changed_by, changed_at, changes in session.execute(
        stmt
    ):
        key = by_id.get(record_id)
        if key is None or record_type != key.kind:
            continue
        fields = sorted(changes or {})[:6] if kind.value == "update" else []
        change = Codes("change", kind.value)
        # The version is text, not a number: "v1234", never grouped as "v1 234".
        label = (
            Message(
                "%(change)s v%(version)s by %(who)s: %(fields)s", change=change,
                version=str(version), who=changed_by, fields=Codes("field", *fields, joiner=", "),
            )
            if fields
            else Message("%(change)s v%(version)s by %(who)s", change=change,
                         version=str(version), who=changed_by)
        )  # fmt: skip
        events.append(TimelineEvent(str(key), "change", label, changed_at))
    return events
