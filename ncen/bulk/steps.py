"""The changes a bulk batch writes, in the order the per-record path would make them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from ncen.records import RecordMixin
from ncen.seizures.models import Seizure

# (kind: person, company or conveyance; target record id; role code; note or None)
LinkSpec = tuple[str, uuid.UUID, str, str | None]


@dataclass(slots=True)
class Create:
    """A new record built and validated in memory (`ncen.bulk.building`), written at version 1.

    ``details`` are added to its audit event (a received record's provenance). ``links`` are a
    seizure's links created with it in the same version (a received seizure arrives linked);
    their targets are records of this batch or records already stored, resolved by the caller.
    """

    record_type: str
    record: RecordMixin
    details: dict[str, Any] | None = None
    links: list[LinkSpec] = field(default_factory=list)


@dataclass(slots=True)
class Link:
    """A later version of a seizure created earlier in the same batch, which links it to
    ``links`` (as `ncen.seizures.services.link_entities` does after a spreadsheet row's records
    are created): one version, one history row, one ``seizure.link`` audit event."""

    seizure: Seizure
    links: list[LinkSpec]
    details: dict[str, Any] = field(default_factory=dict)


Step = Create | Link
