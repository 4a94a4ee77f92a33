"""The exchange area (blueprint ``exchange``): the peer endpoint and the exchange officer pages.

- ``/exchange/v1/...`` (`web.exchange.api`): what other nodes call. These views are ``public``
  and exempt from CSRF: there is no session, the bundle's signature (or the signed pull request
  or receipt) is the authentication, and bodies are size-limited before anything is read.
- ``/exchange/...`` (`web.exchange.pages`, `web.exchange.messages`): peers and keys, outbox and
  ledger, inbox, sending a selection with its preview, RFIs, hit checks, retractions, the CEN
  export; all need ``RUN_EXCHANGE`` except linking foreign records to national ones
  (``LINK_FOREIGN_RECORDS``: analysts and supervisors).
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ncen.policy import Action

bp = Blueprint("exchange", __name__, url_prefix="/exchange")


def init_app(app: Flask) -> None:
    """Register the blueprint, exempt the peer endpoint from CSRF, add the navigation entry."""
    from web.exchange import (  # noqa: F401  (routes attach to bp)
        api,
        caselinks,
        messages,
        pages,
        profiles,
    )
    from web.extensions import csrf
    from web.navigation import add_nav_item

    app.register_blueprint(bp)
    for view in api.PEER_VIEWS:
        csrf.exempt(view)
    add_nav_item(app, "exchange.overview", _l("Exchange"), Action.RUN_EXCHANGE, order=800)
