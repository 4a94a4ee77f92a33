"""Pictures (blueprint ``pictures``): the files behind a gallery, uploads, captions, detaching.

Thumbnails and display files need the right to read records; the sealed original needs
`Action.DOWNLOAD_ORIGINAL_PICTURE` and each download is audited by the domain
(`ncen.pictures.queries.open_original`). Galleries themselves are drawn by the record pages
(`web.pictures.gallery`).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("pictures", __name__, url_prefix="/pictures")


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    from web.pictures import search, views  # noqa: F401  (the modules attach their routes to bp)

    app.register_blueprint(bp)
