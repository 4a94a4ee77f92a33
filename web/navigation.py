"""The navigation bar: each blueprint registers its entries, each shown only if allowed.

Blueprints added later (seizures, persons, search, exchange…) call `add_nav_item` from their
``init_app`` with the `Action` a user needs; the base template shows `visible_nav_items()`, so a
user never sees a link to a page that would answer 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from flask_login import current_user

from ncen.policy import Action
from web.security import can

_KEY = "ncen.nav"


@dataclass(frozen=True)
class NavItem:
    """One link: where it goes, its (lazily translated) label, and what it needs."""

    endpoint: str
    label: object  # a lazy string, rendered in the request's language
    action: Action | None = None  # None: any signed-in user
    order: int = 100


def add_nav_item(
    app: Flask, endpoint: str, label: object, action: Action | None = None, order: int = 100
) -> None:
    """Register a navigation entry on ``app``."""
    items: list[NavItem] = app.extensions.setdefault(_KEY, [])
    items.append(NavItem(endpoint, label, action, order))
    items.sort(key=lambda item: item.order)


def visible_nav_items() -> list[NavItem]:
    """The entries the current user may follow, in order (none when signed out)."""
    if not current_user.is_authenticated:
        return []
    items: list[NavItem] = current_app.extensions.get(_KEY, [])
    return [item for item in items if item.action is None or can(item.action)]


def init_app(app: Flask) -> None:
    """Expose `visible_nav_items` to templates."""
    app.jinja_env.globals["visible_nav_items"] = visible_nav_items
