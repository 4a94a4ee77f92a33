"""Reading the investigation forms: plain HTML forms, checked by the services.

The views pass what the user typed to `ncen.investigations` as it is (the services validate);
these helpers only gather repeated fields and turn a `ValidationError` into messages in the
user's language, keyed by field, so that a refused form is shown again with its input.
"""

from __future__ import annotations

import uuid

from flask import request

from ncen.errors import ValidationError
from ncen.investigations.items import parse_item
from ncen.investigations.models import ItemType
from web.fielderrors import translate_message


def field_errors(exc: ValidationError) -> dict[str, str]:
    """The messages of ``exc`` in the user's language, by field path."""
    return {path: translate_message(message) for path, message in exc.errors.items()}


def item_keys(name: str = "item") -> list[tuple[ItemType, uuid.UUID]]:
    """The ``kind:uuid`` values of the repeated field ``name`` (query string or form), in
    order, without duplicates; `ValidationError` for a malformed one."""
    values = request.values.getlist(name)
    keys: list[tuple[ItemType, uuid.UUID]] = []
    for raw in values[:500]:
        key = parse_item(raw)
        if key not in keys:
            keys.append(key)
    return keys
