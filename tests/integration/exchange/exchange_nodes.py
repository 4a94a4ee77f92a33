"""Nodes for the exchange integration tests: each its own database, instance folder and keys.

A `CliNode` runs ``ncen`` commands in-process (click's runner) with its own environment
(``NCEN_DATABASE_URL``, ``NCEN_INSTANCE_PATH``, ``NCEN_NODE_ID``, ``NCEN_NODE_COUNTRY`` and,
when the node encrypts its keys, ``NCEN_KEY_PASSPHRASE``), and reads or writes its database
directly for setting up records and checking results.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from PIL import Image, ImageDraw
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from exchange.netmodels import DistributionLevel
from exchange.network.outbox import set_distribution
from ncen.accounts.actor import Actor
from ncen.companies.services import create_company
from ncen.conveyances.services import create_conveyance
from ncen.persons.services import create_person
from ncen.pictures.services import add_pictures
from ncen.pictures.store import PictureStore
from ncen.records import RecordMixin
from ncen.seizures.services import (
    link_entity,
    record_seizure,
    submit_seizure,
    validate_seizure,
)
from ncen.settings import Settings
from tests.factories import company_data, conveyance_data, person_data, seizure_data
from web.cli import cli


def jpeg(seed: int = 1) -> bytes:
    """A small JPEG picture with some content."""
    rng = random.Random(seed)
    im = Image.new("RGB", (320, 240), (30, 90, rng.randrange(256)))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x0, y0 = rng.randrange(320), rng.randrange(240)
        box = (x0, y0, x0 + rng.randrange(10, 160), y0 + rng.randrange(10, 120))
        draw.rectangle(box, fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@dataclass
class CliNode:
    """One ncen node driven through its command line."""

    node_id: str
    country: str
    url: str
    instance: Path
    engine: Engine
    passphrase: str | None = None
    created: dict[str, Any] = field(default_factory=dict)
    owner_url: str | None = None

    @property
    def env(self) -> dict[str, str | None]:
        return {
            "NCEN_DATABASE_URL": self.url,
            "NCEN_DATABASE_OWNER_URL": self.owner_url,
            "NCEN_INSTANCE_PATH": str(self.instance),
            "NCEN_NODE_ID": self.node_id,
            "NCEN_NODE_COUNTRY": self.country,
            "NCEN_KEY_PASSPHRASE": self.passphrase,
            "NCEN_KEY_PASSPHRASE_FILE": None,
            "NCEN_CONFIG": None,
        }

    def run(self, *args: str | Path, input: str | None = None) -> Result:
        """Run ``ncen ARGS`` as this node; the result keeps exit code and output."""
        return CliRunner().invoke(
            cli, [str(a) for a in args], env=self.env, input=input, catch_exceptions=False
        )

    def ok(self, *args: str | Path) -> str:
        """Run a command that must succeed; return its output."""
        result = self.run(*args)
        assert result.exit_code == 0, result.output
        return result.output

    def setup(self, *, encrypted: bool = False) -> None:
        """Migrate the database and create the node's keys from the command line."""
        self.ok("db", "upgrade")
        self.ok("keys", "init", *([] if encrypted else ["--unencrypted"]))

    def export_keys(self, folder: Path) -> Path:
        path = folder / f"{self.node_id}-public.json"
        path.unlink(missing_ok=True)
        self.ok("keys", "export-public", "-o", path)
        return path

    def add_peer(self, other: CliNode, folder: Path, *extra: str) -> str:
        """Register ``other`` as a peer (nominal data and every handling code allowed)."""
        return self.ok(
            "peers", "add",
            "--node-id", other.node_id,
            "--country", other.country,
            "--endpoint", f"https://{other.node_id}.example/exchange",
            "--keyset", other.export_keys(folder),
            "--nominal", "--yes", *extra,
        )  # fmt: skip

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            yield session

    def record_case(
        self,
        *,
        handling: str = "H1",
        seed: int = 1,
        distribution: str | None = "all_peers",
        peers: tuple[str, ...] = (),
        validated: bool = True,
        narrative: str | None = None,
    ) -> str:
        """A seizure with a person, a company, a conveyance (linked with roles) and a picture,
        recorded through the services and committed; returns the seizure reference.

        By default the case may leave: validated by a supervisor and marked ``all_peers``. The
        dissemination tests pass ``distribution=None`` (unmarked) or ``validated=False``.
        """
        actor = Actor.system("test")
        settings = Settings(instance_path=self.instance)
        store = PictureStore(settings.picture_path)
        with Session(self.engine) as session, session.begin():
            restrictions = "Only for the joint investigation team ALPHA"
            person = create_person(
                session,
                actor,
                person_data(
                    handling_code=handling,
                    handling_restrictions=restrictions if handling == "H3" else None,
                ),
            )
            company = create_company(session, actor, company_data())
            conveyance = create_conveyance(session, actor, conveyance_data())
            extra: dict[str, Any] = {"handling_code": handling, "office_code": None}
            if handling == "H3":
                extra["handling_restrictions"] = restrictions
            if narrative is not None:
                extra["narrative"] = narrative
            seizure = record_seizure(session, actor, seizure_data(**extra))
            for kind, target, role in (
                ("person", person, "courier"),
                ("company", company, "importer"),
                ("conveyance", conveyance, "container"),
            ):
                link_entity(
                    session,
                    actor,
                    seizure.id,
                    seizure.version,
                    kind=kind,
                    target_id=target.id,
                    role=role,
                )
            add_pictures(
                session,
                actor,
                store,
                settings,
                [("evidence.jpg", jpeg(seed))],
                caption="Cigarettes behind the tiles",
                seizure_id=seizure.id,
            )
            if validated:
                submit_seizure(session, actor, seizure.id, seizure.version)
                validate_seizure(session, actor, seizure.id, seizure.version)
            if distribution is not None:
                set_distribution(
                    session, actor, seizure.reference, DistributionLevel(distribution), peers
                )
            self.created = {
                "seizure": seizure.id,
                "person": person.id,
                "company": company.id,
                "conveyance": conveyance.id,
            }
            return seizure.reference

    def count(self, model: type[RecordMixin], *, foreign: bool | None = None) -> int:
        with Session(self.engine) as session:
            stmt = select(func.count()).select_from(model)
            if foreign is not None:
                column = model.origin_node
                stmt = stmt.where(column.is_not(None) if foreign else column.is_(None))
            return int(session.execute(stmt).scalar_one())
