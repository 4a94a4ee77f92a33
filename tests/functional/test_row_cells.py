"""List cells worked out in Python (`web.rowcells`) write what the templates' own macros and
helpers write, character for character: the record badges, links, quantities, amounts and
counts."""

from __future__ import annotations

import uuid
from decimal import Decimal
from types import SimpleNamespace

from flask import Flask, url_for

from ncen.records import HandlingCode
from web.formatting import format_money, format_quantity
from web.rowcells import RowCells, money

BADGES = (
    '{% from "records/_macros.html" import provenance, handling %}'
    "{{ provenance(record) }}|{{ handling(record) }}"
)
COUNT = (
    '{{ ngettext("and %(num)s other item", "and %(num)s other items", n, num=format_number(n)) }}'
)


def test_badges_are_the_record_macros(app: Flask) -> None:
    with app.test_request_context("/"):
        badges = app.jinja_env.from_string(BADGES)
        cells = RowCells()
        for origin in (None, "", "NODE-KZ", 'NODE <"&">'):
            for code in HandlingCode:
                record = SimpleNamespace(origin_node=origin, handling_code=code)
                expected = badges.render(record=record)
                assert f"{cells.provenance(origin)}|{cells.handling(code)}" == expected, (
                    origin,
                    code,
                )


def test_links_quantities_and_counts_are_the_templates(app: Flask) -> None:
    with app.test_request_context("/"):
        cells = RowCells()
        record_id = uuid.uuid4()
        for endpoint, argument in (("seizures.show", "seizure_id"), ("persons.show", "person_id")):
            prefix = cells.link_prefix(endpoint, argument)
            assert prefix + str(record_id) == url_for(endpoint, **{argument: record_id})
        for quantity in (None, Decimal("12000.000"), Decimal("12.500"), Decimal("0.001")):
            for unit in (None, "", "kg", "unknown-unit"):
                assert cells.quantity(quantity, unit) == format_quantity(quantity, unit)
        for value in (None, Decimal("1234.50"), Decimal("1234.5"), Decimal("0.00")):
            for currency in (None, "", "EUR", "KZT", "USD"):
                assert money(value, currency) == format_money(value, currency)
        count = app.jinja_env.from_string(COUNT)
        for n in (1, 2, 5, 1234):
            expected = count.render(n=n)
            one, many = "and %(num)s other item", "and %(num)s other items"
            assert cells.counted(cells.ngettext(one, many, n), n) == expected
