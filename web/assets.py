"""Front-end packages installed from npm (``npm ci --prefix web``), served from this node.

Nothing is fetched from a CDN: the browser loads Bootstrap and Tom Select from ``/vendor/...``,
which maps a short allow-list of file names to files under ``web/node_modules``. Third-party
files are never copied into the repository. To add a package, add it to ``web/package.json`` (then
``npm install --prefix web`` to update the lock file) and list its dist files in `VENDOR_FILES`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory
from werkzeug.wrappers import Response

from web.security import public

log = logging.getLogger(__name__)
NODE_MODULES = Path(__file__).parent / "node_modules"

# Public name -> path inside node_modules. Only these files are served.
VENDOR_FILES: dict[str, str] = {
    "bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "bootstrap.min.css.map": "bootstrap/dist/css/bootstrap.min.css.map",
    "bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap.bundle.min.js.map": "bootstrap/dist/js/bootstrap.bundle.min.js.map",
    # Search-as-you-type selects and pickers (progressive enhancement, see static/app.js).
    "tom-select.bootstrap5.min.css": "tom-select/dist/css/tom-select.bootstrap5.min.css",
    "tom-select.bootstrap5.min.css.map": "tom-select/dist/css/tom-select.bootstrap5.min.css.map",
    "tom-select.complete.min.js": "tom-select/dist/js/tom-select.complete.min.js",
    "tom-select.complete.min.js.map": "tom-select/dist/js/tom-select.complete.min.js.map",
    # Analysis: statistics charts (bar, line, Sankey, choropleth) drawn offline.
    "echarts.min.js": "echarts/dist/echarts.min.js",
    # Country shapes for the choropleth (TopoJSON, ISO 3166 numeric ids), never a tile server.
    "countries-110m.json": "world-atlas/countries-110m.json",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    # Link charts: graph drawing, and the fCoSE force-directed layout with its two helpers.
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "layout-base.js": "layout-base/layout-base.js",
    "cose-base.js": "cose-base/cose-base.js",
    "cytoscape-fcose.js": "cytoscape-fcose/cytoscape-fcose.js",
    # Timelines (zoomable, grouped by entity).
    "vis-timeline-graph2d.min.js": "vis-timeline/standalone/umd/vis-timeline-graph2d.min.js",
    "vis-timeline-graph2d.min.css": "vis-timeline/styles/vis-timeline-graph2d.min.css",
}

bp = Blueprint("assets", __name__)


@bp.get("/vendor/<path:filename>")
@public
def vendor(filename: str) -> Response:
    """Serve one allow-listed file from ``node_modules`` (404 for anything else)."""
    relative = VENDOR_FILES.get(filename)
    if relative is None or not (NODE_MODULES / relative).is_file():
        abort(404)
    # The versions are pinned by package-lock.json; a day of caching is safe across upgrades.
    return send_from_directory(NODE_MODULES, relative, max_age=86400)


def check_installed() -> None:
    """Log a warning if ``npm ci --prefix web`` has not been run (pages then lack styling)."""
    missing = [name for name, rel in VENDOR_FILES.items() if not (NODE_MODULES / rel).is_file()]
    if missing:
        log.warning(
            "front-end packages missing (%s): run `npm ci --prefix web`", ", ".join(missing)
        )


def init_app(app: Flask) -> None:
    """Register the vendor route."""
    app.register_blueprint(bp)
    check_installed()
