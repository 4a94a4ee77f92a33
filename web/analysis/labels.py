"""Labels of the statistics' dimensions and values, in the user's language, and the facets a
seizure list shows ("also having: Transit country: Kazakhstan ×")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from ncen.analysis.dimensions import DIMENSIONS
from ncen.seizures.facets import Facet
from web.codes import code_label
from web.pagination import link_args

DIMENSION_LABELS: dict[str, object] = {
    "commodity": _l("Commodity group"),
    "hs_chapter": _l("HS chapter"),
    "month": _l("Month"),
    "year": _l("Year"),
    "office": _l("Customs office"),
    "transport": _l("Transport mode"),
    "detection": _l("Detection method"),
    "concealment": _l("Concealment method"),
    "departure": _l("Departure country"),
    "transit": _l("Transit country"),
    "destination": _l("Destination country"),
    "route": _l("Any country of the route"),
    "nationality": _l("Nationality of linked persons"),
    "provenance": _l("Provenance"),
}
PROVENANCE_LABELS: dict[str, object] = {"national": _l("National"), "received": _l("Received")}
assert set(DIMENSION_LABELS) == set(DIMENSIONS)


def value_label(dimension: str, value: str) -> str:
    """The label of one value of ``dimension`` (the code itself when it has none)."""
    if dimension == "provenance":
        return str(PROVENANCE_LABELS.get(value, value))
    codes = DIMENSIONS[dimension].codes
    if codes == "hs_chapters":
        return f"{value} · {code_label(codes, value)}"
    return code_label(codes, value) if codes else value


@dataclass(frozen=True)
class ShownFacet:
    """A facet of the current list, labelled, with the address of the list without it."""

    param: str
    dimension_label: str
    value_label: str
    without_url: str


def shown_facets(facets: tuple[Facet, ...]) -> list[ShownFacet]:
    """The facets of the current request's list, for its "also having" line."""
    shown = []
    for dimension, value in facets:
        param = f"{dimension}:{value}"
        # Any: the type of url_for's **values (mypy would otherwise match them against its typed
        # _external, _anchor... options; no key here starts with _).
        args: dict[str, Any] = link_args()
        args["facet"] = [f for f in args.get("facet", []) if f != param]
        args.pop("page", None)
        shown.append(
            ShownFacet(
                param=param,
                dimension_label=str(DIMENSION_LABELS[dimension]),
                value_label=value_label(dimension, value),
                without_url=url_for(str(request.endpoint), **args),
            )
        )
    return shown
