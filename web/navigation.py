"""The navigation bar: each blueprint registers its entries, each shown only if allowed.

Blueprints call `add_nav_item` from their ``init_app`` with the `Action` a user needs; the base
template shows `nav_entries()`, so a user never sees a link to a page that would answer 403.

The bar must fit on one line at 1280 px in every language (Russian and French labels run up to
twice as long as English ones), so secondary pages are grouped into small menus: the grouping is
decided here, in one place, by blueprint (`MENU_GROUPS`), rather than by each blueprint. A group
the user can see only one entry of is shown as that plain link: a menu of one is a wasted click.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from ncen.accounts.models import Role
from ncen.policy import Action, is_allowed
from web.security import WebUser

_KEY = "ncen.nav"
_VISIBLE_KEY = "ncen.nav.visible"  # roles -> the entries they may follow
_ENTRIES_KEY = "ncen.nav.entries"  # roles -> those entries grouped into menus
_MENU_KEY = "ncen.nav.menu"  # (roles, locale, endpoint, script root) -> the rendered menu
_URLS_KEY = "ncen.nav.urls"  # (endpoint, arguments, script root) -> its URL
MENUS_KEPT = 4096  # rendered menus kept per application (a few kB each)


@dataclass(frozen=True)
class NavItem:
    """One link: where it goes, its (lazily translated) label, and what it needs."""

    endpoint: str
    label: object  # a lazy string, rendered in the request's language
    action: Action | None = None  # None: any signed-in user
    order: int = 100

    @property
    def active(self) -> bool:
        """Whether the current request is this entry's page."""
        return request.endpoint == self.endpoint


@dataclass(frozen=True)
class NavGroup:
    """A menu of secondary entries (shown as a ``<details>`` disclosure, so it opens without
    JavaScript)."""

    key: str
    label: object
    items: list[NavItem] = field(default_factory=list)

    @property
    def active(self) -> bool:
        """Whether one of the group's pages is the current request's."""
        return any(item.active for item in self.items)


# Blueprint name -> (group key, label). Blueprints not listed here stay on the bar itself.
MENU_GROUPS: dict[str, tuple[str, object]] = {
    "companies": ("records", _l("Other records")),
    "conveyances": ("records", _l("Other records")),
    "imports": ("records", _l("Other records")),
    "watch": ("review", _l("Review")),
    "targeting": ("review", _l("Review")),
    "merging": ("review", _l("Review")),
    "retention": ("review", _l("Review")),
    "admin": ("admin", _l("Administration")),
    # Investigations join the work that waits for review: a bar entry of its own made the
    # supervisor's bar overflow 1280 px in French. A user who has only this entry of the group
    # (an investigator) sees it as a plain link.
    "investigations": ("review", _l("Review")),
}


def add_nav_item(
    app: Flask, endpoint: str, label: object, action: Action | None = None, order: int = 100
) -> None:
    """Register a navigation entry on ``app``."""
    items: list[NavItem] = app.extensions.setdefault(_KEY, [])
    items.append(NavItem(endpoint, label, action, order))
    items.sort(key=lambda item: item.order)
    app.extensions.pop(_VISIBLE_KEY, None)  # worked out again with the new entry
    app.extensions.pop(_ENTRIES_KEY, None)
    app.extensions.pop(_MENU_KEY, None)


def visible_nav_items() -> list[NavItem]:
    """The entries the current user may follow, in order (none when signed out)."""
    user = current_user._get_current_object()
    if not isinstance(user, WebUser):
        return []
    # What a user may follow depends on their roles alone (`ncen.policy.is_allowed` without a
    # record), so the list is worked out once per set of roles and process, not per page.
    by_roles: dict[frozenset[Role], list[NavItem]] = current_app.extensions.setdefault(
        _VISIBLE_KEY, {}
    )
    found = by_roles.get(user.roles)
    if found is None:
        items: list[NavItem] = current_app.extensions.get(_KEY, [])
        found = by_roles[user.roles] = [
            item for item in items if item.action is None or is_allowed(user.actor, item.action)
        ]
    return found


def group_entries(items: list[NavItem]) -> list[NavItem | NavGroup]:
    """``items`` (in order) with those of a `MENU_GROUPS` blueprint gathered into their group,
    placed where its first entry was; a group holding one entry is replaced by that entry."""
    entries: list[NavItem | NavGroup] = []
    groups: dict[str, NavGroup] = {}
    for item in items:
        grouping = MENU_GROUPS.get(item.endpoint.partition(".")[0])
        if grouping is None:
            entries.append(item)
            continue
        key, label = grouping
        if key not in groups:
            groups[key] = NavGroup(key, label)
            entries.append(groups[key])
        groups[key].items.append(item)
    return [
        entry.items[0] if isinstance(entry, NavGroup) and len(entry.items) == 1 else entry
        for entry in entries
    ]


def nav_entries() -> list[NavItem | NavGroup]:
    """What the bar shows to the current user: links and menus, in order."""
    user = current_user._get_current_object()
    if not isinstance(user, WebUser):
        return []
    # Per set of roles, like `visible_nav_items`; `active` is a property, read at each render.
    by_roles: dict[frozenset[Role], list[NavItem | NavGroup]] = current_app.extensions.setdefault(
        _ENTRIES_KEY, {}
    )
    found = by_roles.get(user.roles)
    if found is None:
        found = by_roles[user.roles] = group_entries(visible_nav_items())
    return found


def nav_menu() -> Markup:
    """The bar's menu (``templates/_nav.html``: `nav_entries` as links and menus) for the
    current user and page.

    Its markup depends only on the user's roles, the language, the page (which entry is
    active) and the application's root path, so it is rendered once per such combination and
    reused: every page shows it, and rendering it (a dozen links, lazy labels, URL building)
    was a fifth of the cheapest page's CPU. Empty when signed out.
    """
    user = current_user._get_current_object()
    if not isinstance(user, WebUser):
        return Markup("")
    key = (user.roles, str(get_locale()), request.endpoint, request.script_root)
    rendered: dict[tuple[object, ...], Markup] = current_app.extensions.setdefault(_MENU_KEY, {})
    found = rendered.get(key)
    if found is None:
        # An autoescaped template (.html): its output is markup already.
        html = current_app.jinja_env.get_template("_nav.html").render()
        found = Markup(html)  # noqa: S704
        if len(rendered) < MENUS_KEPT:  # endpoints x role sets x languages: bounded anyway
            rendered[key] = found
    return found


def fixed_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` for the links every page has (style sheets, scripts,
    the bar's own links): the same URL, built once per application root path.

    Building a URL costs Werkzeug's router a few dozen microseconds and the frame of every page
    has a dozen. Only for absolute endpoints with constant text arguments (not record ids:
    the cache would grow with them); the application has no URL defaults to depend on.
    """
    key = (endpoint, tuple(sorted(values.items())), request.script_root)
    urls: dict[tuple[object, ...], str] = current_app.extensions.setdefault(_URLS_KEY, {})
    found = urls.get(key)
    if found is None:
        found = url_for(endpoint, **values)
        if len(urls) < MENUS_KEPT:
            urls[key] = found
    return found


def init_app(app: Flask) -> None:
    """Expose `visible_nav_items`, `nav_entries`, `nav_menu` and `fixed_url` to templates."""
    app.jinja_env.globals["visible_nav_items"] = visible_nav_items
    app.jinja_env.globals["nav_entries"] = nav_entries
    app.jinja_env.globals["nav_menu"] = nav_menu
    app.jinja_env.globals["fixed_url"] = fixed_url
