"""The profile file format (YAML or JSON; JSON is YAML too), for the command line.

A file holds one profile, or several under ``profiles:``::

    format: ncen-risk-profile/1
    name: Afghan drugs on the road
    purpose: Heroin leaving Afghanistan by lorry.
    lane: high            # high, medium, low
    score: 80             # 0-100
    starts_on: 2026-01-01 # optional dates (ISO 8601)
    ends_on: null
    review_on: 2026-06-30
    expression: |
      commodity_group == "drugs" && departure_country == "AF"
      && transport_mode == "road"

`read_profiles` parses a file safely (``yaml.safe_load``: no tags, no code) into the mappings
the profile services check; `export_profile` writes a profile's current version back in the
same shape (plus its status and version history, which an import ignores: imported profiles
are drafts until activated).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ncen.errors import ValidationError
from ncen.targeting.models import RiskProfile

FORMAT = "ncen-risk-profile/1"
MAX_FILE_BYTES = 1_000_000
FIELDS = ("name", "purpose", "lane", "score", "starts_on", "ends_on", "review_on", "expression")


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def read_profiles(path: Path) -> list[dict[str, Any]]:
    """The profiles of the file at ``path`` as mappings of text (dates as ISO strings).

    Raises `ValidationError` (key ``file``) for a file too large, not UTF-8, not YAML/JSON, of
    another format, or without profiles.
    """
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValidationError({"file": f"larger than {MAX_FILE_BYTES} bytes"})
    try:
        document = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError({"file": "not UTF-8 text"}) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ValidationError({"file": f"not YAML or JSON{where}"}) from None
    if not isinstance(document, dict):
        raise ValidationError({"file": "expected a profile (a mapping) or profiles: [...]"})
    if document.get("format", FORMAT) != FORMAT:
        raise ValidationError({"file": f"unknown format (expected {FORMAT})"})
    items = document.get("profiles", [document])
    if not isinstance(items, list) or not items:
        raise ValidationError({"file": "no profile in the file"})
    profiles: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationError({f"profiles.{index}": "expected a mapping"})
        profiles.append({key: _plain(item.get(key)) for key in FIELDS if item.get(key) is not None})
    return profiles


def export_profile(profile: RiskProfile) -> dict[str, Any]:
    """The profile in the file format, with its status and versions for information."""
    current = profile.current_version
    return {
        "format": FORMAT,
        "id": str(profile.id),
        "name": profile.name,
        "purpose": profile.purpose,
        "lane": profile.lane.value,
        "score": profile.score,
        "starts_on": profile.starts_on.isoformat() if profile.starts_on else None,
        "ends_on": profile.ends_on.isoformat() if profile.ends_on else None,
        "review_on": profile.review_on.isoformat() if profile.review_on else None,
        "status": profile.status.value,
        "expression": current.expression if current else "",
        "versions": [
            {
                "number": v.number,
                "created_at": v.created_at.isoformat(),
                "note": v.note,
                "expression": v.expression,
                "backtest": v.backtest,
            }
            for v in profile.versions
        ],
    }
