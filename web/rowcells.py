"""Cells of list rows, written once per page instead of once per row in the template.

A list page shows fifty rows; calling ``url_for``, a code-list look-up, a translation or a
record macro per cell costs several request-context reads each (measured: most of a list
page's CPU time). `RowCells` looks each of these up once per page and then builds the same
text per row with plain dict and string operations:

- `RowCells.link`: a record's URL from a prefix built once with ``url_for`` (the URL converter
  of a UUID writes ``str(uuid)``, so prefix + id is the URL ``url_for`` gives);
- `RowCells.code` / `RowCells.enum`: `web.codes.code_label` / `web.labels.enum_label`,
  remembered for the page;
- `RowCells.provenance` / `RowCells.handling`: the HTML of the ``provenance`` and
  ``handling`` macros of ``templates/records/_macros.html``, character for character (a test
  renders both and compares).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any

from flask import current_app, url_for
from markupsafe import Markup

from web.codes import code_list, request_locale
from web.formatting import cached_format_decimal, cached_format_number, format_money
from web.i18n import request_translations
from web.labels import enum_label

_ZERO = uuid.UUID(int=0)
MONEY_CACHE_SIZE = 4096  # amounts written, kept per process (see `money`)


@functools.lru_cache(maxsize=MONEY_CACHE_SIZE)
def _money_text(value: Decimal, _exponent: object, currency: str | None, _locale: str) -> str:
    """`web.formatting.format_money`, remembered per value, Decimal exponent, currency and
    request language: a miss runs in the request whose language is the key's, so a hit gives
    the very same text."""
    return format_money(value, currency)


def money(value: Decimal | None, currency: str | None) -> str:
    """`web.formatting.format_money` (the same text), remembered: Babel's currency formatting
    is the costliest cell of a seizure's items table."""
    if value is None:
        return ""
    return _money_text(value, value.as_tuple().exponent, currency, request_locale())


class RowCells:
    """Per-page helpers for the rows of a list (create one per request)."""

    def __init__(self) -> None:
        translations = request_translations()
        self.gettext: Callable[[str], str] = translations.ugettext
        self.ngettext: Callable[[str, str, int], str] = translations.ungettext
        globals_ = current_app.jinja_env.globals
        # The templates' own (cached) formatters: the same text as ``format_date(...)`` there.
        self.format_date: Callable[..., str] = globals_["format_date"]  # type: ignore[assignment]
        self.format_datetime: Callable[..., str] = globals_["format_datetime"]  # type: ignore[assignment]
        self._labels: dict[str, dict[str, str]] = {}
        self._enums: dict[tuple[str, object], str] = {}
        # Translations are markup, as the templates' autoescaping gettext takes them.
        self._received = Markup(self.gettext("Received from %(node)s"))  # noqa: S704
        self._handling: dict[object, Markup] = {}
        self._counted: dict[tuple[str, int], Markup] = {}
        self._quantity_pattern = self.gettext("%(quantity)s %(unit)s")

    @staticmethod
    def link_prefix(endpoint: str, argument: str) -> str:
        """The URL of ``endpoint`` for a record, without the record's id (see `link`)."""
        # Any: the type of url_for's **values (mypy would otherwise match them against its
        # typed _external, _anchor... options; no key here starts with _).
        values: dict[str, Any] = {argument: _ZERO}
        url = url_for(endpoint, **values)
        return url[: -len(str(_ZERO))]

    def code(self, name: str, code: str | None) -> str:
        """`web.codes.code_label` of ``code`` in list ``name`` ("" for none)."""
        if not code:
            return ""
        labels = self._labels.get(name)
        if labels is None:
            labels = self._labels[name] = code_list(name).labels
        return labels.get(code, code)

    def enum(self, kind: str, value: Enum | str | None) -> str:
        """`web.labels.enum_label` of ``value`` in the enumeration ``kind``."""
        key = (kind, value)
        found = self._enums.get(key)
        if found is None:
            found = self._enums[key] = enum_label(kind, value)
        return found

    def provenance(self, origin_node: str | None) -> Markup:
        """What ``{{ provenance(record) }}`` writes for a record received from ``origin_node``
        (None: a national record)."""
        if not origin_node:
            return Markup("\n\n")
        badge = self._received % {"node": origin_node}
        return Markup('\n\n<span class="badge text-bg-info">') + badge + Markup("</span>\n\n")

    def handling(self, code: Enum) -> Markup:
        """What ``{{ handling(record) }}`` writes for a record of handling code ``code``."""
        found = self._handling.get(code)
        if found is None:
            value = str(code.value)
            colour = "warning" if value in ("H2", "H3") else "secondary"
            found = self._handling[code] = Markup(
                '\n<span class="badge text-bg-{}" title="{}">{}</span>\n'
            ).format(colour, self.enum("handling", code), value)
        return found

    def counted(self, translation: str, n: int) -> Markup:
        """A template's ``ngettext(singular, plural, n, num=format_number(n))`` where
        ``translation`` is ``self.ngettext(singular, plural, n)`` (called with the literal
        strings, so that the extractor finds them); remembered for the page (a list writes the
        same few counts again and again)."""
        key = (translation, n)
        found = self._counted.get(key)
        if found is None:
            # The translation as markup, as the templates' autoescaping ngettext takes it.
            markup = Markup(translation)  # noqa: S704
            found = self._counted[key] = markup % {"num": cached_format_number(n)}
        return found

    def quantity(self, quantity: Decimal | None, unit: str | None) -> str:
        """`web.formatting.format_quantity` (the same text), its pattern and unit labels
        looked up once per page."""
        if quantity is None:
            return ""
        number = cached_format_decimal(quantity, "#,##0.###")
        if not unit:
            return number
        label = self.code("quantity_units", unit)
        return str(self._quantity_pattern % {"quantity": number, "unit": label})
