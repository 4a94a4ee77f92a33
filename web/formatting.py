"""Quantities, money and counts in the user's language (CLDR through Babel), and the main goods
of a seizure as the lists show them.

Pages never print a raw number: ``12000.000`` kilograms is "12,000 kg" in English, "12 000 kg"
in French (a narrow no-break space) and "12 000 kg" in Russian (a no-break space); 1234.5 euros
is "€1,234.50", "1 234,50 €" and "1 234,50 €". Templates call `format_quantity` and
`format_money`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from typing import Protocol, TypeVar, cast

from flask import Flask
from flask_babel import format_currency, format_decimal, format_number, ngettext

from web.codes import code_label, request_locale
from web.i18n import request_translations

# Numbers formatted, kept per process: the seizure list writes fifty quantities per page, a
# name search's explanations a hundred scores, the same values again and again, and Babel's
# number formatting is the slowest helper on those pages.
NUMBER_CACHE_SIZE = 8192


@functools.lru_cache(maxsize=NUMBER_CACHE_SIZE)
def _decimal_text(
    value: Decimal | float,
    _type: Hashable,
    _exponent: object,
    pattern: str | None,
    _locale: str,
    plain: bool,
) -> str:
    """Flask-Babel's ``format_decimal(value, format=pattern)`` (``format_number(value)`` when
    ``plain``), remembered per value, type, Decimal exponent, pattern and request language: a
    miss runs in the request whose language is the key's, so a hit gives the very same text."""
    if plain:
        return str(format_number(value))
    return str(format_decimal(value, format=pattern))


def _remembered(value: Decimal | float, pattern: str | None, plain: bool) -> str:
    # typeshed declares __hash__ on instances only, so mypy takes a class for unhashable.
    kind = cast(Hashable, type(value))
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else None
    return _decimal_text(value, kind, exponent, pattern, request_locale(), plain)


def cached_format_decimal(number: Decimal | float, format: str | None = None) -> str:
    """Flask-Babel's `format_decimal`, remembered (see `_decimal_text`)."""
    return _remembered(number, format, plain=False)


def cached_format_number(number: Decimal | float) -> str:
    """Flask-Babel's `format_number`, remembered (see `_decimal_text`)."""
    return _remembered(number, None, plain=True)


def format_quantity(quantity: Decimal | int | None, unit: str | None = None) -> str:
    """``quantity`` in the user's locale followed by the label of ``unit`` (a code of the
    quantity-unit list); "" for no quantity. Trailing zeros of the stored scale are dropped
    (``12.500`` kg is "12.5 kg")."""
    if quantity is None:
        return ""
    number = cached_format_decimal(quantity, "#,##0.###")
    if not unit:
        return number
    # Flask-Babel's gettext with the request's catalogue looked up once (a list shows a
    # quantity per row): the same translation, the same %-substitution.
    pattern = request_translations().ugettext("%(quantity)s %(unit)s")
    return str(pattern % {"quantity": number, "unit": code_label("quantity_units", unit)})


def format_money(value: Decimal | int | None, currency: str | None) -> str:
    """``value`` in ``currency`` (ISO 4217) as the user's locale writes money ("" for no value;
    the bare number in the locale when the currency is unknown)."""
    if value is None:
        return ""
    if not currency:
        return str(format_decimal(value, format="#,##0.00"))
    return str(format_currency(value, currency))


class ItemLike(Protocol):
    """What `main_item` reads of a seizure item."""

    position: int
    quantity: Decimal | None
    estimated_value: Decimal | None


T = TypeVar("T", bound=ItemLike)


def main_item(items: Iterable[T]) -> T | None:
    """The item a list shows for a seizure: the one of the highest estimated value; when no
    item has a value, the one of the largest quantity; ties go to the first recorded. Values in
    different currencies are compared as numbers (a seizure rarely mixes them, and the list
    only needs a representative line, not a ranking). None for a seizure without items."""

    def weight(item: T) -> tuple[int, Decimal, Decimal, int]:
        valued = item.estimated_value is not None
        return (
            1 if valued else 0,
            item.estimated_value or Decimal(0),
            item.quantity or Decimal(0),
            -item.position,
        )

    return max(items, key=weight, default=None)


def _counted(n: int) -> dict[str, Callable[[], str]]:
    # Literal ngettext calls, so that the extractor sees each plural pair; Flask-Babel passes
    # the count as ``num`` itself, so the placeholder holding the formatted count is ``count``.
    count = format_decimal(n)
    return {
        "seizure": lambda: ngettext("%(count)s seizure", "%(count)s seizures", n, count=count),
        "person": lambda: ngettext("%(count)s person", "%(count)s persons", n, count=count),
        "company": lambda: ngettext("%(count)s company", "%(count)s companies", n, count=count),
        "conveyance": lambda: ngettext(
            "%(count)s conveyance", "%(count)s conveyances", n, count=count
        ),
        "picture": lambda: ngettext("%(count)s picture", "%(count)s pictures", n, count=count),
    }


def record_count(kind: str, n: int) -> str:
    """ "3 seizures", "1 person"... in the user's language with its plural forms; a kind this
    module does not know is written "<n> <kind>" (the count still in the locale)."""
    render = _counted(n).get(kind)
    return render() if render else f"{format_decimal(n)} {kind}"


def init_app(app: Flask) -> None:
    """Expose the formatters and `main_item` to templates (``format_decimal`` and
    ``format_number`` as their remembered forms)."""
    app.jinja_env.globals.update(
        format_decimal=cached_format_decimal,
        format_number=cached_format_number,
        format_quantity=format_quantity,
        format_money=format_money,
        main_item=main_item,
        record_count=record_count,
    )
