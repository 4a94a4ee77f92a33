"""What a backup holds besides the database and the pictures: the one list of instance files.

Every file a node keeps in its instance folder that cannot be rebuilt from the database is
listed here, once. ``secret`` items come back owner-only on restore (files 0600 or stricter,
folders 0700) whatever modes the archive recorded; other items keep their recorded mode without
group or other write permission. A feature that adds a file to the instance folder adds it here
(and the backup test checks the list is complete for the files the test node creates).

Deliberately NOT in a backup:

- ``pgdata/``: the embedded cluster's files; the database travels as a ``pg_dump`` instead,
  which is consistent without stopping the server and restores into any PostgreSQL 15+;
- ``exchange/incoming/``: bundles being opened; transient, re-sent by peers if lost;
- the settings file (``NCEN_CONFIG``), the key passphrase (``NCEN_KEY_PASSPHRASE``) and the
  backup passphrase itself: they must be kept apart from the archive (docs/operations.md);
- files the settings place outside the instance folder (a ``NCEN_SECRETS_KEY_FILE`` elsewhere,
  the TLS files of ``NCEN_EXCHANGE_TLS_*``): the operator keeps those with the settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class InstanceItem:
    """A file or folder, relative to the instance folder, carried by every backup."""

    path: str
    secret: bool
    why: str


INSTANCE_ITEMS: Final[tuple[InstanceItem, ...]] = (
    InstanceItem(
        "secret_key",
        secret=True,
        why="signs session cookies and CSRF tokens (ncen.settings.ensure_secret_key)",
    ),
    InstanceItem(
        "secrets_key",
        secret=True,
        why="seals TOTP secrets and hit-check keys stored in the database (ncen.secretbox); "
        "without it those columns cannot be opened after a restore",
    ),
    InstanceItem(
        "audit_signing_key",
        secret=True,
        why="signs audit checkpoints (ncen.audit.checkpoints); a restored node keeps signing "
        "with the same key, so checkpoints kept off the host still verify it",
    ),
    InstanceItem(
        "audit-checkpoints.jsonl",
        secret=True,
        why="the signed audit checkpoints up to the backup; newer ones kept off the host show "
        "which events a restore lost",
    ),
    InstanceItem(
        "keys",
        secret=True,
        why="the node's exchange identity and published key sets (exchange.crypto.keydir)",
    ),
    InstanceItem(
        "exchange/outbox",
        secret=True,
        why="sealed bundles the outbox rows still have to deliver (exchange.network.outbox)",
    ),
)
"""Every instance file or folder a backup carries. Missing ones are skipped (a node without
exchange keys has no ``keys`` folder)."""
