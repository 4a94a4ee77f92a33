"""Pagination for every list page: read the page number, cut one page, render the pager.

`paginate_select` counts and slices a ``select()`` in SQL (`paginate_rows` for a select of
columns); `paginate_list` slices a list that is
already small (e.g. user accounts). The ``pager`` macro in ``templates/_macros.html`` renders
links that keep the current filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of ``items`` out of ``total``; ``number`` starts at 1."""

    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least 1)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """True if there is an earlier page."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """True if there is a later page."""
        return self.number < self.pages


def link_args() -> dict[str, list[str]]:
    """The current query string, every value of repeated parameters kept, for building links
    to the same list with one thing changed (pager, sort headers, facets, CSV download).

    Parameters whose name starts with ``_`` are left out: ``url_for`` reads ``_scheme``,
    ``_anchor``, ``_method`` and ``_external`` as instructions, so a crafted query string would
    otherwise make it fail (a 500) or build absolute links. No page uses such a parameter.
    """
    return {
        name: values
        for name, values in request.args.to_dict(flat=False).items()
        if not name.startswith("_")
    }


def page_number(name: str = "page") -> int:
    """The requested page from the query string; anything malformed means page 1."""
    raw = request.args.get(name, "1")
    # ASCII digits only (``isdigit`` also accepts superscripts, which ``int`` refuses), and
    # few of them (``int`` refuses more than 4,300 digits; any page past MAX_PAGE is MAX_PAGE).
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw.lstrip("0")) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(int(raw), MAX_PAGE) if int(raw) >= 1 else 1


def paginate_select(session: Session, stmt: Select[Any], number: int, per_page: int) -> Page[Any]:
    """Run ``stmt`` for page ``number`` (scalars) and count all its rows."""
    total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
    count = int(total.scalar_one())
    rows = session.execute(stmt.limit(per_page).offset((number - 1) * per_page)).scalars().all()
    return Page(items=rows, number=number, per_page=per_page, total=count)


def paginate_rows(session: Session, stmt: Select[Any], number: int, per_page: int) -> Page[Any]:
    """`paginate_select` for a statement of columns: the page's items are its rows (named
    tuples), not scalars."""
    total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery()))
    count = int(total.scalar_one())
    rows = session.execute(stmt.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(items=rows, number=number, per_page=per_page, total=count)


def paginate_list(items: Sequence[T], number: int, per_page: int) -> Page[T]:
    """Cut page ``number`` out of ``items``."""
    start = (number - 1) * per_page
    return Page(
        items=items[start : start + per_page], number=number, per_page=per_page, total=len(items)
    )
