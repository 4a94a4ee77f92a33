"""Profile patterns (``field.matches("…")``) compiled for linear-time matching.

Every write of a seizure, person, company or conveyance is checked against the active profiles
inside its transaction, so a pattern must never take long. Python's `re` backtracks: a pattern
such as ``(A+)+B`` takes seconds on 25 characters and doubles with each one more, so one
profile could stall recording. RE2 (the ``google-re2`` package) runs in time linear in the text
whatever the pattern, and refuses what it cannot do so (back-references, look-arounds). The
profile language's own checks (`ncen.targeting.language`) keep to the subset that means the
same in RE2, Python and PostgreSQL (whose engine runs back-tests).
"""

from __future__ import annotations

from collections.abc import Callable

import re2


class PatternError(ValueError):
    """RE2 refuses the pattern; the message says why."""


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # the refusal is ours to report, not a line on stderr
    return options


def compile_pattern(pattern: str) -> Callable[[str], bool]:
    """A test of whether ``pattern`` occurs in a text, in linear time. Raises `PatternError`
    if RE2 cannot compile it."""
    try:
        compiled = re2.compile(pattern, _options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise PatternError(text) from None
    return lambda value: compiled.search(value) is not None
