"""Seed the reference code lists: countries, currencies, CEN codes, HS sections and chapters.

Countries and currencies come from pycountry (ISO 3166-1 and ISO 4217 as published); the CEN
and HS lists from `ncen.reference.codes`. Codes are only ever added or deactivated later, by new
revisions or by administrators, because records and peers refer to them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import pycountry
import sqlalchemy as sa
from alembic import op

from ncen.reference.codes import ALL_LISTS

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Parents before children (commodity groups name an enforcement area, chapters a section).
ORDER = (
    "enforcement_areas",
    "commodity_groups",
    "detection_methods",
    "detection_techniques",
    "concealment_methods",
    "transport_modes",
    "location_types",
    "person_roles",
    "company_roles",
    "conveyance_roles",
    "person_company_roles",
    "quantity_units",
    "hs_sections",
    "hs_chapters",
)
WITH_PARENT = {"commodity_groups", "hs_chapters"}


def _code_table(name: str, *extra: sa.Column[str]) -> sa.TableClause:
    return sa.table(
        name,
        sa.column("code", sa.String),
        sa.column("label", sa.String),
        sa.column("sort_order", sa.Integer),
        *extra,
    )


def upgrade() -> None:
    countries = sorted(pycountry.countries, key=lambda c: c.alpha_2)
    op.bulk_insert(
        _code_table("countries", sa.column("alpha3", sa.String)),
        [
            {"code": c.alpha_2, "label": c.name, "alpha3": c.alpha_3, "sort_order": i}
            for i, c in enumerate(countries)
        ],
    )
    currencies = sorted(pycountry.currencies, key=lambda c: c.alpha_3)
    op.bulk_insert(
        _code_table("currencies"),
        [{"code": c.alpha_3, "label": c.name, "sort_order": i} for i, c in enumerate(currencies)],
    )
    assert set(ORDER) == set(ALL_LISTS), "every code list must have a place in ORDER"
    for name in ORDER:
        extra = (sa.column("parent", sa.String),) if name in WITH_PARENT else ()
        rows = []
        for i, code in enumerate(ALL_LISTS[name]):
            row: dict[str, object] = {"code": code.code, "label": code.label, "sort_order": i}
            if name in WITH_PARENT:
                row["parent"] = code.parent
            rows.append(row)
        op.bulk_insert(_code_table(name, *extra), rows)


def downgrade() -> None:
    for name in reversed(ORDER):
        op.execute(sa.text(f"DELETE FROM {name}"))  # noqa: S608 - names are constants above
    op.execute(sa.text("DELETE FROM currencies"))
    op.execute(sa.text("DELETE FROM countries"))
