"""Small text helpers shared by validation and queries: which characters may be stored.

One rule for every service (applied by `ncen.validation.Checker.text` and by the list filters):

- **C0/C1 control characters** (NUL, ESC, DEL, NEL...) are refused everywhere; they break
  exports and terminals, and PostgreSQL refuses NUL in text and JSON.
- **Bidirectional formatting characters** (the embeddings, overrides and isolates U+202A-U+202E
  and U+2066-U+2069, the marks U+200E/U+200F and the Arabic letter mark U+061C) are refused in
  every stored text and every query: they are invisible, and an override makes "Ali" display
  as another name or "exe.jpg" as "gpj.exe". Right-to-left scripts never need them to be
  stored (browsers lay out Arabic and Hebrew by themselves); the zero-width (non-)joiners that
  Persian and Indic spelling needs are not direction controls and stay allowed.
- **Lone surrogates** (half of a UTF-16 pair, from broken decoders or JSON ``\\ud800``) are
  refused: they cannot be encoded as UTF-8.
- **Line breaks and tabs** are refused in one-line text (names, identifiers, codes, places,
  queries) and allowed in free text (descriptions, narratives, notes).

File names of uploads are not evidence (the content is): `neutralise` removes the same
characters from them instead of refusing the file.
"""

from __future__ import annotations

import unicodedata
from typing import Final

# Every bidirectional formatting character of Unicode (UAX #9, "explicit" and "implicit").
BIDI_CONTROLS: Final = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\u200e\u200f\u061c"  # LRM, RLM, ALM
)
# What a multi-line text may contain besides printable characters.
_MULTILINE_ALLOWED: Final = frozenset("\n\r\t\u2028\u2029")
# Line breaks that are not C0/C1 controls.
_SEPARATORS: Final = frozenset("\u2028\u2029")
_LINE_BREAK_CONTROLS: Final = frozenset("\n\r\t\x0b\x0c\x85")


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` may not be stored or searched for, as a message for the user; else None.

    ``multiline`` allows line breaks and tabs (free text). The first bad character found is
    named by its code point, so that the user can find an invisible one. Pure; never raises.
    """
    for char in text:
        code = ord(char)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            if multiline and char in _MULTILINE_ALLOWED:
                continue
            if char in _LINE_BREAK_CONTROLS:
                return (
                    f"contains a control character (U+{code:04X}, a line break or tab): "
                    "keep it on one line"
                )
            return f"contains a control character (U+{code:04X}): remove it"
        if char in BIDI_CONTROLS:
            return (
                f"contains an invisible text-direction control character (U+{code:04X}), "
                "which can make text display as something else: remove it"
            )
        if char in _SEPARATORS and not multiline:
            return f"contains a line break character (U+{code:04X}): keep it on one line"
        if 0xD800 <= code <= 0xDFFF:
            return f"contains an invalid character (U+{code:04X}, half of a surrogate pair)"
    return None


def neutralise(text: str) -> str:
    """``text`` without the characters `text_problem` refuses in one-line text.

    For labels that are shown but are not evidence (uploaded file names). Also drops other
    invisible format characters (category Cf), which have no use in a file name.
    """
    return "".join(
        char
        for char in text
        if not (
            unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp"} or char in BIDI_CONTROLS
        )
    )


def escape_like(text: str) -> str:
    """Escape ``%``, ``_`` and the escape character itself for ``LIKE … ESCAPE '\\'``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
