"""``ncen pictures``: find stored pictures like a file, and compute missing perceptual hashes.

``ncen pictures similar FILE`` checks the file with the upload decoder and prints the nearest
stored pictures of live seizures (distance, picture id, seizures); the file is read, never
stored. It runs as ``Actor.system("cli")`` and is audited like the web search.
``ncen pictures rehash`` hashes the pictures stored before the similarity index existed (also
run by ``ncen serve`` at start-up).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.picture_index import DEFAULT_MAX_DISTANCE, MAX_DISTANCE
from ncen.analysis.picture_search import MAX_LIMIT, similar_to_upload
from ncen.clitools import database, fail_on_ncen_errors, opened_settings
from ncen.pictures.rehash import rehash_missing
from ncen.pictures.store import PictureStore


@click.group("pictures")
def pictures_group() -> None:
    """Concealment pictures: similarity search and hashes."""


@pictures_group.command("similar")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, MAX_LIMIT))
@click.option(
    "--max-distance",
    default=DEFAULT_MAX_DISTANCE,
    show_default=True,
    type=click.IntRange(0, MAX_DISTANCE),
    help="Largest combined distance (pHash + dHash bits, of 128).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
@fail_on_ncen_errors
def similar(ctx: click.Context, file: Path, limit: int, max_distance: int, as_json: bool) -> None:
    """Stored pictures that look like FILE, nearest first (FILE is not stored)."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        settings = opened_settings(ctx)
        with file.open("rb") as stream:
            query, hits = similar_to_upload(
                session,
                Actor.system("cli"),
                stream,
                settings,
                max_distance=max_distance,
                limit=limit,
            )
        results: list[dict[str, Any]] = [
            {
                "picture_id": str(hit.picture.id),
                "distance": hit.distance,
                "phash_distance": hit.phash_distance,
                "dhash_distance": hit.dhash_distance,
                "caption": hit.picture.caption,
                "concealment_method": hit.picture.concealment_method,
                "seizures": [
                    {"id": str(s.id), "reference": s.reference, "origin_node": s.origin_node}
                    for s in hit.seizures
                ],
            }
            for hit in hits
        ]
    if as_json:
        document = {
            "file": str(file),
            "sha256": query.sha256,
            "phash": query.phash,
            "dhash": query.dhash,
            "max_distance": max_distance,
            "count": len(results),
            "results": results,
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    if not results:
        click.echo(f"no stored picture within distance {max_distance}")
    for rank, r in enumerate(results, 1):
        refs = ", ".join(
            s["reference"] + (f" (from {s['origin_node']})" if s["origin_node"] else "")
            for s in r["seizures"]
        )
        click.echo(f"{rank:>3}. distance {r['distance']:>3}  {r['picture_id']}  {refs}")


@pictures_group.command("rehash")
@click.pass_context
@fail_on_ncen_errors
def rehash(ctx: click.Context) -> None:
    """Compute the perceptual hashes of pictures that have none yet."""
    with database(ctx) as engine:
        settings = opened_settings(ctx)
        report = rehash_missing(engine, PictureStore(settings.picture_path))
    click.echo(f"{report.hashed} pictures hashed")
    for sha256, reason in report.failed.items():
        click.echo(f"not hashed: {sha256}: {reason}", err=True)
    if report.failed:
        ctx.exit(1)
