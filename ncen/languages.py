"""Language codes: which strings name a language the node could speak.

Which languages a node actually offers is the web's business (a compiled catalogue per
language, see ``web/i18n.py``); the services only check that a stored or configured code is a
language CLDR knows, so that adding a language needs no code edit here.
"""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

# "fr", "ru", "kk", "pt_BR", "zh_Hant": the forms pybabel gives catalogue directories.
_CODE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")


def is_language_code(code: str) -> bool:
    """Whether ``code`` names a language CLDR knows (such as ``en``, ``kk``, ``pt_BR``)."""
    if not _CODE.match(code):
        return False
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def parse_language_list(raw: str) -> tuple[tuple[str, ...], list[str]]:
    """The codes of a comma-separated list, and those of them that are not language codes."""
    codes = tuple(part.strip() for part in raw.split(",") if part.strip())
    return codes, [code for code in codes if not is_language_code(code)]
