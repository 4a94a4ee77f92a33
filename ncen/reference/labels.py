"""Labels of reference codes in a reader's language, and the order people expect them in.

Two sources, one rule per list:

- **countries, currencies and languages** are named by CLDR through Babel
  (`babel.Locale.territories`, ``currencies``, ``languages``): nobody here translates a
  country name by hand. A code CLDR does not know (a user-assigned one an administrator
  added) keeps the label of its table row;
- **every other list** has its English label in its table and the other languages in
  ``reference_labels`` (`ncen.reference.models.ReferenceLabel`); a language without a row
  falls back to English.

`sort_key` orders labels the way a reader of the language expects without ICU (PyICU is not a
dependency): case and accents are ignored first (``É`` sorts with ``E``, ``ё`` with ``е``),
then used to break ties so the order is total and stable. It is not full UCA collation (no
per-language tailoring, such as Swedish ``ä`` after ``z``), which the three languages of the
node do not need.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping

from babel import Locale, UnknownLocaleError
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ncen.reference.models import ReferenceLabel

#: Lists whose names come from CLDR, and the attribute of `babel.Locale` that holds them.
CLDR_LISTS: Mapping[str, str] = {"countries": "territories", "currencies": "currencies"}


@functools.lru_cache(maxsize=32)
def _locale(locale: str) -> Locale | None:
    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return None


def cldr_names(list_name: str, locale: str) -> Mapping[str, str]:
    """CLDR's names of ``list_name`` ("countries", "currencies" or "languages") in ``locale``,
    by code (ISO 3166-1 alpha-2, ISO 4217, ISO 639); empty for an unknown locale or list.

    Currency names are given a capital first letter: CLDR writes them in running-text case
    ("доллар США"), and they are shown as labels.
    """
    parsed = _locale(locale)
    attribute = CLDR_LISTS.get(list_name) or ("languages" if list_name == "languages" else None)
    if parsed is None or attribute is None:
        return {}
    names: Mapping[str, str] = getattr(parsed, attribute)
    if list_name == "currencies":
        return {code: name[:1].upper() + name[1:] for code, name in names.items()}
    return names


def language_name(code: str, locale: str) -> str:
    """The name of the language ``code`` in ``locale`` (CLDR); the code itself if unknown."""
    return cldr_names("languages", locale).get(code, code)


def sort_key(label: str) -> tuple[str, str]:
    """A key that sorts ``label`` ignoring case and accents first (see the module docstring)."""
    folded = unicodedata.normalize("NFKD", label.casefold())
    base = "".join(char for char in folded if not unicodedata.combining(char))
    return base, label


def translated(
    session: Session,
    list_name: str,
    english: Mapping[str, str],
    locale: str,
) -> dict[str, str]:
    """The labels in ``locale`` of the codes of ``english`` (code -> English label, as read
    from the list's table): CLDR names for countries and currencies, the rows of
    ``reference_labels`` for other lists, English where neither has one. Reads only."""
    if list_name in CLDR_LISTS:
        names = cldr_names(list_name, locale)
        return {code: names.get(code, label) for code, label in english.items()}
    if locale == "en":
        return dict(english)
    rows = session.execute(
        select(ReferenceLabel.code, ReferenceLabel.label).where(
            ReferenceLabel.list_name == list_name, ReferenceLabel.locale == locale
        )
    )
    found = {str(code): str(label) for code, label in rows}
    return {code: found.get(code, label) for code, label in english.items()}


def labels_of(
    session: Session, list_name: str, codes: Iterable[str], locale: str, *, known: Iterable[str]
) -> dict[str, str]:
    """The labels in ``locale`` of some ``codes`` of the table ``list_name``, which must be one
    of ``known`` (the name goes into SQL). Codes not in the table are left out."""
    if list_name not in set(known):
        raise ValueError(list_name)
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = session.execute(
        text(f"SELECT code, label FROM {list_name} WHERE code = ANY(:codes)"),  # noqa: S608
        {"codes": wanted},
    )
    return translated(session, list_name, {str(c): str(label) for c, label in rows}, locale)
