"""Reading the API's query strings and JSON bodies into checked values.

Every problem becomes `ValidationError` naming the parameter, so that bad ids, unknown kinds,
huge numbers or too many nodes get a 400 with a message and never reach a query.
"""

from __future__ import annotations

import json
from typing import Any

from flask import request

from ncen.analysis.graph import EDGE_KINDS, NodeKey
from ncen.errors import ValidationError
from ncen.text import text_problem

MAX_NODES = 200
# A chart of MAX_NODES nodes with its layout is about 25 kB.
MAX_JSON_BYTES = 256 * 1024


def node_key(name: str) -> NodeKey:
    """The node named by query parameter ``name`` (``kind:uuid``)."""
    raw = request.args.get(name, "")
    if not raw:
        raise ValidationError({name: "choose a node (kind:id)"})
    try:
        return NodeKey.parse(raw)
    except ValidationError as exc:
        raise ValidationError({name: next(iter(exc.errors.values()))}) from None


def node_keys(raw: object, name: str = "nodes", *, limit: int = MAX_NODES) -> list[NodeKey]:
    """Distinct node keys from a JSON list or a comma-separated text, at most ``limit``."""
    if isinstance(raw, str):
        raw = [part for part in raw.split(",") if part.strip()]
    if not isinstance(raw, list) or not raw:
        raise ValidationError({name: "choose at least one node"})
    if len(raw) > limit:
        raise ValidationError({name: f"{len(raw)} nodes asked; at most {limit} at a time"})
    keys: list[NodeKey] = []
    for item in raw:
        try:
            key = NodeKey.parse(item)
        except ValidationError as exc:
            raise ValidationError({name: next(iter(exc.errors.values()))}) from None
        if key not in keys:
            keys.append(key)
    return keys


def query_keys(name: str = "nodes") -> list[NodeKey]:
    """Node keys from repeated or comma-separated query parameters ``name``."""
    values = request.args.getlist(name)
    return node_keys(",".join(values), name)


def whole_number(name: str, default: int, lowest: int, highest: int) -> int:
    """An integer query parameter within ``[lowest, highest]`` (``default`` when absent)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    # ``isdigit`` alone also accepts superscripts and circled digits, which ``int`` refuses.
    if len(raw) > 6 or not raw.isascii() or not raw.lstrip("-").isdigit():
        raise ValidationError({name: f"give a whole number from {lowest} to {highest}"})
    value = int(raw)
    if not lowest <= value <= highest:
        raise ValidationError({name: f"give a whole number from {lowest} to {highest}"})
    return value


def edge_kinds(name: str = "kinds") -> list[str] | None:
    """Edge kinds to follow (comma-separated); None for all. Unknown kinds are refused."""
    raw = ",".join(request.args.getlist(name))
    kinds = [part.strip() for part in raw.split(",") if part.strip()]
    if not kinds:
        return None
    unknown = [kind for kind in kinds if kind not in EDGE_KINDS]
    if unknown:
        raise ValidationError(
            {name: f"unknown edge kind {unknown[0][:40]!r}: use {', '.join(EDGE_KINDS)}"}
        )
    return kinds


def one_line(name: str, *, max_len: int = 200) -> str:
    """A one-line text query parameter, checked like every searched text."""
    text = request.args.get(name, "").strip()
    if len(text) > max_len:
        raise ValidationError({name: f"is too long (at most {max_len} characters)"})
    if problem := text_problem(text):
        raise ValidationError({name: problem})
    return text


def json_body() -> dict[str, Any]:
    """The request's JSON object; refused when the body is not one, is larger than
    `MAX_JSON_BYTES`, or nests so deeply that decoding it would overflow the stack (a
    `RecursionError` that ``request.get_json(silent=True)`` would let through as a 500)."""
    length = request.content_length
    if length is not None and length > MAX_JSON_BYTES:
        raise ValidationError(
            {"body": f"the request is too large (at most {MAX_JSON_BYTES} bytes)"}
        )
    raw = request.get_data(cache=False)
    if len(raw) > MAX_JSON_BYTES:
        raise ValidationError(
            {"body": f"the request is too large (at most {MAX_JSON_BYTES} bytes)"}
        )
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        raise ValidationError({"body": "send a JSON object"})
    return body
