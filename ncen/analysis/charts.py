"""Saved link charts: save with a name, list "my charts", reopen with what changed, delete.

Contract of every function here: it takes the session and the acting user, requires
``Action.ANALYSE_NETWORK``, and leaves the transaction to the caller. A chart is its owner's
alone: for anybody else it does not exist (`NotFoundError`, never a hint that it does).

Input is checked once, here, with every problem reported together (`ValidationError`):
the name (1 to `MAX_NAME` characters on one line, without control or text-direction
characters, unique per owner), the nodes (1 to `MAX_NODES` distinct ``kind:uuid`` keys, each a
record the owner may see now), and the layout (finite coordinates, pinned flags, only for the
chart's nodes). An update names the version it edited; an older version is refused with
`ConflictError` so that two tabs cannot overwrite each other's save.

Writes are audited (``analysis_chart.create|update|delete``); reading a chart's nodes is
audited by the graph service it calls, and opening a chart by ``analysis_chart.read``.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ncen.accounts.actor import Actor
from ncen.analysis.chartdiff import (
    ChartChanges,
    GraphState,
    compare,
    graph_state,
    parse_keys,
    take_snapshot,
)
from ncen.analysis.chartmodels import MAX_NAME, AnalysisChart
from ncen.analysis.graph import NodeKey
from ncen.audit import record_event
from ncen.errors import ConflictError, NotFoundError, ValidationError
from ncen.policy import Action, require
from ncen.text import text_problem

MAX_NODES = 200
MAX_CHARTS = 500  # per owner: a list page, not an archive
RECORD_TYPE = "analysis_chart"
# A coordinate beyond this is a client bug, not a drawing (Cytoscape works in pixels).
MAX_COORDINATE = 1e7
DUPLICATE_NAME = "you already have a chart with this name: choose another"


@dataclass
class OpenedChart:
    """A chart as reopened: the stored row, the graph now, and what changed since the save."""

    chart: AnalysisChart
    state: GraphState
    changes: ChartChanges


def _owner(actor: Actor) -> uuid.UUID:
    require(actor, Action.ANALYSE_NETWORK)
    if actor.user_id is None:
        raise ValidationError({"owner": "charts belong to a signed-in user"})
    return actor.user_id


def _clean_name(errors: dict[str, str], name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        errors["name"] = "give the chart a name"
        return ""
    name = name.strip()
    if len(name) > MAX_NAME:
        errors["name"] = f"is too long ({len(name)} characters; at most {MAX_NAME})"
    elif problem := text_problem(name):
        errors["name"] = problem
    return name


def _clean_nodes(errors: dict[str, str], nodes: object) -> list[NodeKey]:
    if not isinstance(nodes, list | tuple) or not nodes:
        errors["nodes"] = "a chart needs at least one node"
        return []
    if len(nodes) > MAX_NODES:
        errors["nodes"] = f"has {len(nodes)} nodes; a saved chart holds at most {MAX_NODES}"
        return []
    keys: list[NodeKey] = []
    for index, raw in enumerate(nodes):
        try:
            key = NodeKey.parse(raw)
        except ValidationError as exc:
            errors[f"nodes.{index}"] = next(iter(exc.errors.values()))
            continue
        if key not in keys:
            keys.append(key)
    return keys


def _coordinate(value: object) -> TypeGuard[float]:
    """True for a finite number of pixels within `MAX_COORDINATE` (not a boolean)."""
    # The bound is checked before ``isfinite``: an integer past a float's range (10**400 in
    # JSON) makes ``math.isfinite`` raise OverflowError; ``abs`` of an int never does.
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and abs(value) <= MAX_COORDINATE
        and math.isfinite(value)
    )


def _clean_layout(
    errors: dict[str, str], layout: object, keys: Sequence[NodeKey]
) -> dict[str, Any]:
    if layout is None:
        return {}
    if not isinstance(layout, Mapping):
        errors["layout"] = "must map node keys to positions"
        return {}
    known = {str(key) for key in keys}
    clean: dict[str, Any] = {}
    for key, place in layout.items():
        if key not in known:
            errors["layout"] = "names a node that is not in the chart"
            break
        if not isinstance(place, Mapping):
            errors["layout"] = f"the position of {key} is not an object with x and y"
            break
        x, y = place.get("x"), place.get("y")
        if not (_coordinate(x) and _coordinate(y)):
            errors["layout"] = f"the position of {key} is not a pair of finite numbers"
            break
        clean[key] = {"x": float(x), "y": float(y), "pinned": bool(place.get("pinned"))}
    return clean


def _check(
    session: Session, actor: Actor, owner: uuid.UUID, *, name: object, nodes: object,
    layout: object, chart_id: uuid.UUID | None,
) -> tuple[str, list[NodeKey], dict[str, Any], GraphState]:  # fmt: skip
    errors: dict[str, str] = {}
    clean_name = _clean_name(errors, name)
    keys = _clean_nodes(errors, nodes)
    clean_layout = _clean_layout(errors, layout, keys)
    if "name" not in errors:
        taken = select(AnalysisChart.id).where(
            AnalysisChart.owner_id == owner, AnalysisChart.name == clean_name
        )
        if chart_id is not None:
            taken = taken.where(AnalysisChart.id != chart_id)
        if session.execute(taken).first() is not None:
            errors["name"] = DUPLICATE_NAME
    if errors:
        raise ValidationError(errors)
    state = graph_state(session, actor, keys)
    visible = {node.key for node in state.nodes}
    for index, key in enumerate(keys):
        if key not in visible:
            errors[f"nodes.{index}"] = f"{key} does not exist or you may not see it"
    if errors:
        raise ValidationError(errors)
    return clean_name, keys, clean_layout, state


def _flush_named(session: Session) -> None:
    """Flush in a savepoint: two saves racing for one name meet the unique constraint, which
    the check in `_check` could not see; the loser gets the same message as a plain clash."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise ValidationError({"name": DUPLICATE_NAME}) from None


def save_chart(
    session: Session, actor: Actor, *, name: object, nodes: object, layout: object = None
) -> AnalysisChart:
    """Save a new chart of ``actor``; returns it (flushed). Raises `ValidationError`."""
    owner = _owner(actor)
    count = session.execute(
        select(func.count()).select_from(AnalysisChart).where(AnalysisChart.owner_id == owner)
    ).scalar_one()
    if count >= MAX_CHARTS:
        raise ValidationError({"name": f"you have {count} charts: delete some before saving"})
    clean_name, keys, clean_layout, state = _check(
        session, actor, owner, name=name, nodes=nodes, layout=layout, chart_id=None
    )
    chart = AnalysisChart(
        owner_id=owner,
        name=clean_name,
        nodes=[str(key) for key in keys],
        layout=clean_layout,
        snapshot=take_snapshot(state),
        version=1,
    )
    session.add(chart)
    _flush_named(session)
    record_event(
        session, actor, f"{RECORD_TYPE}.create", record_type=RECORD_TYPE, record_id=chart.id,
        details={"name": clean_name, "nodes": chart.nodes},
    )  # fmt: skip
    return chart


def _load(session: Session, actor: Actor, chart_id: object, *, lock: bool = False) -> AnalysisChart:
    owner = _owner(actor)
    try:
        key = chart_id if isinstance(chart_id, uuid.UUID) else uuid.UUID(str(chart_id))
    except ValueError:
        raise NotFoundError(RECORD_TYPE, chart_id) from None
    stmt = select(AnalysisChart).where(AnalysisChart.id == key, AnalysisChart.owner_id == owner)
    chart = session.execute(stmt.with_for_update() if lock else stmt).scalar_one_or_none()
    if chart is None:
        raise NotFoundError(RECORD_TYPE, chart_id)
    return chart


def _check_version(chart: AnalysisChart, version: object) -> None:
    if isinstance(version, bool) or not isinstance(version, int | str):
        raise ValidationError({"version": "give the version of the chart you edited"})
    try:
        edited = int(version)
    except ValueError:
        raise ValidationError({"version": "give the version of the chart you edited"}) from None
    if edited != chart.version:
        raise ConflictError(RECORD_TYPE, chart.id, edited, chart.version)


def update_chart(
    session: Session, actor: Actor, chart_id: object, *, version: object, name: object,
    nodes: object, layout: object = None,
) -> AnalysisChart:  # fmt: skip
    """Replace a chart's name, nodes and layout, and take a new snapshot.

    ``version`` is the version the user edited. Raises `NotFoundError` (no such chart of the
    actor), `ConflictError` (saved meanwhile) or `ValidationError`.
    """
    chart = _load(session, actor, chart_id, lock=True)
    _check_version(chart, version)
    clean_name, keys, clean_layout, state = _check(
        session, actor, chart.owner_id, name=name, nodes=nodes, layout=layout, chart_id=chart.id
    )
    chart.name = clean_name
    chart.nodes = [str(key) for key in keys]
    chart.layout = clean_layout
    chart.snapshot = take_snapshot(state)
    chart.version += 1
    _flush_named(session)
    record_event(
        session, actor, f"{RECORD_TYPE}.update", record_type=RECORD_TYPE, record_id=chart.id,
        details={"name": clean_name, "nodes": chart.nodes, "version": chart.version},
    )  # fmt: skip
    return chart


def list_charts(session: Session, actor: Actor) -> list[AnalysisChart]:
    """The actor's charts, most recently saved first (names only: not a read of nominal data)."""
    owner = _owner(actor)
    stmt = (
        select(AnalysisChart)
        .where(AnalysisChart.owner_id == owner)
        .order_by(AnalysisChart.updated_at.desc(), AnalysisChart.name)
        .limit(MAX_CHARTS)
    )
    return list(session.execute(stmt).scalars())


def open_chart(session: Session, actor: Actor, chart_id: object) -> OpenedChart:
    """Reopen a chart: its nodes and edges as the actor sees them now, and what changed.

    Raises `NotFoundError` for a chart that is not the actor's. Audited as
    ``analysis_chart.read`` (and the graph reads audit the nodes shown).
    """
    chart = _load(session, actor, chart_id)
    state = graph_state(session, actor, parse_keys(chart.nodes))
    changes = compare(chart.snapshot, chart.nodes, state)
    record_event(
        session, actor, f"{RECORD_TYPE}.read", record_type=RECORD_TYPE, record_id=chart.id,
        details={"nodes": [str(node.key) for node in state.nodes], "gone": changes.gone},
    )  # fmt: skip
    return OpenedChart(chart, state, changes)


def chart_keys(session: Session, actor: Actor, chart_id: object) -> list[NodeKey]:
    """The node keys of one of the actor's charts (for its timeline). Raises `NotFoundError`."""
    return parse_keys(_load(session, actor, chart_id).nodes)


def delete_chart(session: Session, actor: Actor, chart_id: object) -> None:
    """Delete one of the actor's charts. Raises `NotFoundError`."""
    chart = _load(session, actor, chart_id, lock=True)
    record_event(
        session, actor, f"{RECORD_TYPE}.delete", record_type=RECORD_TYPE, record_id=chart.id,
        details={"name": chart.name},
    )  # fmt: skip
    session.delete(chart)
    session.flush()
