"""``ncen analyse``: the entity graph from the command line, for scripting.

- ``ncen analyse associates REF`` -- who shares seizures or identifiers with a record;
- ``ncen analyse path REF_A REF_B [--max-hops N]`` -- the shortest paths between two records;
- ``ncen analyse centrality [--seizures-from DATE] [--top N] [--store]`` -- the most connected
  records; with ``--store`` the run is also stored for the web (`ncen.analysis.centrality_store`)
  and its time and peak memory printed.

REF is a seizure reference, ``kind:uuid`` or a bare uuid (`ncen.analysis.graph.resolve_ref`).
Each prints text, or one JSON document with ``--json``. The commands run as
``Actor.system("cli")`` and are audited like the same reads on the web.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.associates import MAX_ASSOCIATES, associates
from ncen.analysis.centrality_store import (
    STORED_TOP,
    compute_and_store_centrality,
    latest_centrality,
)
from ncen.analysis.entities import GraphNode
from ncen.analysis.graph import resolve_ref
from ncen.analysis.measures import MAX_TOP, whole_graph_centrality
from ncen.analysis.paths import MAX_HOPS, MAX_PATHS, find_paths
from ncen.clitools import database, fail_on_ncen_errors

_JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")


def _shown(node: GraphNode) -> str:
    origin = f" [from {node.origin_node}]" if node.origin_node else ""
    return f"{node.label} ({node.key}){origin}"


def _emit(document: dict[str, Any]) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@click.group("analyse")
def analyse_group() -> None:
    """Link analysis: associates, shortest paths, most connected records."""


@analyse_group.command("associates")
@click.argument("ref")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, MAX_ASSOCIATES))
@_JSON
@click.pass_context
@fail_on_ncen_errors
def associates_command(ctx: click.Context, ref: str, limit: int, as_json: bool) -> None:
    """The records that share seizures or identifiers with REF, best first, with evidence."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        actor = Actor.system("cli")
        key = resolve_ref(session, actor, ref)
        found = associates(session, actor, key, limit=limit)
    if as_json:
        rows = [
            {
                **a.node.as_json(),
                "score": a.score,
                "shared_seizures": a.shared_seizures,
                "last_seen": a.last_seen.isoformat() if a.last_seen else None,
                "evidence": a.evidence,
            }
            for a in found
        ]
        _emit({"record": str(key), "count": len(rows), "associates": rows})
        return
    if not found:
        click.echo("no associates")
    for rank, a in enumerate(found, 1):
        seen = a.last_seen.isoformat() if a.last_seen else "-"
        click.echo(
            f"{rank:>3}. {a.score:7.3f}  {_shown(a.node)}  "
            f"seizures: {a.shared_seizures}  last: {seen}"
        )
        for line in a.evidence:
            click.echo(f"       {line}")


@analyse_group.command("path")
@click.argument("ref_a")
@click.argument("ref_b")
@click.option("--max-hops", default=MAX_HOPS, show_default=True, type=click.IntRange(1, MAX_HOPS))
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, MAX_PATHS))
@_JSON
@click.pass_context
@fail_on_ncen_errors
def path_command(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context, ref_a: str, ref_b: str, max_hops: int, limit: int, as_json: bool
) -> None:
    """The shortest paths between REF_A and REF_B, each step with its evidence."""
    with database(ctx) as engine, Session(engine) as session, session.begin():
        actor = Actor.system("cli")
        a, b = resolve_ref(session, actor, ref_a), resolve_ref(session, actor, ref_b)
        search = find_paths(session, actor, a, b, max_hops=max_hops, limit=limit)
    if as_json:
        paths = [
            {
                "hops": len(p.edges),
                "nodes": [n.as_json() for n in p.nodes],
                "edges": [e.as_json() for e in p.edges],
            }
            for p in search.paths
        ]
        _emit(
            {
                "from": str(a),
                "to": str(b),
                "complete": search.complete,
                "message": search.message,
                "count": len(paths),
                "paths": paths,
            }
        )
        return
    click.echo(search.message)
    for number, path in enumerate(search.paths, 1):
        click.echo(f"path {number}: {len(path.edges)} hops")
        click.echo(f"  {_shown(path.nodes[0])}")
        for edge, node in zip(path.edges, path.nodes[1:], strict=True):
            click.echo(f"    -- {edge.kind}: {edge.evidence}")
            click.echo(f"  {_shown(node)}")


@analyse_group.command("centrality")
@click.option("--seizures-from", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, MAX_TOP))
@click.option(
    "--store",
    is_flag=True,
    help="Also store the run for the web's 'most connected' list (what `ncen serve` does "
    "in the background).",
)
@_JSON
@click.pass_context
@fail_on_ncen_errors
def centrality_command(
    ctx: click.Context, seizures_from: datetime | None, top: int, store: bool, as_json: bool
) -> None:
    """The most connected records of the whole graph (or of the seizures since a date)."""
    since = seizures_from.date() if seizures_from else None
    actor = Actor.system("cli")
    run: dict[str, Any] | None = None
    with database(ctx) as engine, Session(engine) as session, session.begin():
        if store:
            stored = compute_and_store_centrality(
                session, actor, seizures_from=since, top=max(top, STORED_TOP)
            )
            if stored is None:
                raise click.ClickException(
                    "a centrality computation is already running; try again when it ends"
                )
            read = latest_centrality(session, actor, seizures_from=since, top=top)
            assert read is not None  # just stored, in this transaction
            ranked = read.ranked
            run = {
                "id": read.run_id,
                "computed_at": read.computed_at.isoformat(),
                "nodes": read.node_count,
                "edges": read.edge_count,
                "seconds": read.seconds,
                "peak_rss_mib": read.peak_rss_mib,
            }
        else:
            ranked = whole_graph_centrality(session, actor, seizures_from=since, top=top)
    if as_json:
        rows = [{**n.as_json(), **m.__dict__} for n, m in ranked]
        document = {"seizures_from": since.isoformat() if since else None, "count": len(rows)}
        _emit({**document, **({"run": run} if run else {}), "top": rows})
        return
    if run:
        click.echo(
            f"stored run {run['id']}: {run['nodes']} nodes, {run['edges']} edges, "
            f"{run['seconds']:.1f} s, peak {run['peak_rss_mib']:.0f} MiB"
        )
    if not ranked:
        click.echo("the graph is empty")
    for rank, (node, m) in enumerate(ranked, 1):
        click.echo(
            f"{rank:>3}. degree {m.degree:>6}  betweenness {m.betweenness:.4f}  "
            f"closeness {m.closeness:.4f}  eigenvector {m.eigenvector:.4f}  "
            f"component {m.component}  community {m.community}  {_shown(node)}"
        )
