"""The documents name files and modules that exist: every repository path (``exchange/...``,
``ncen/...``, ``web/...``, ``benchmarks/...``, ``tests/...``, ``migrations/...``) and every
dotted module (``exchange.crypto.opening``) in README.md and docs/*.md is in the tree, so a
module that moves (``exchange/opening.py`` became ``exchange/crypto/opening.py``) cannot leave
the documents pointing at nothing.

Not paths: a node's instance folders (``<instance>/exchange/outbox``), URL paths and audit event
names (``exchange.profile.send``), told apart as listed in ``NOT_PATHS``.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
PATH = re.compile(r"(?<![\w/.<>-])((?:exchange|ncen|web|benchmarks|tests|migrations)/[\w/.-]*\w)")
MODULE = re.compile(r"(?<![\w/.-])((?:exchange|ncen|web)(?:\.[a-z_]\w*)+)")
# Named in the documents but not files of the tree: instance folders, a glob, a language's
# catalogue (made by `pybabel init`), and the audit event names of the exchange.
NOT_PATHS = {
    "exchange/outbox",
    "exchange/incoming",
    "tests/assets/exchange/golden-v1",
    "web/translations/kk/LC_MESSAGES/messages.po",
}
AUDIT_EVENT = re.compile(r"exchange\.(profile|h3_confirmation)\b")


def _exists(path: str) -> bool:
    return (ROOT / path).exists()


def _module_exists(dotted: str) -> bool:
    """A package, a module, or a name inside a module."""
    parts = dotted.split(".")
    whole = "/".join(parts)
    return (
        _exists(f"{whole}.py") or (ROOT / whole).is_dir() or _exists("/".join(parts[:-1]) + ".py")
    )


def _references() -> list[tuple[str, str, str]]:
    found = []
    for document in DOCUMENTS:
        name = str(document.relative_to(ROOT))
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{name}:{number}"
            found += [(where, "path", m.group(1)) for m in PATH.finditer(line)]
            found += [(where, "module", m.group(1)) for m in MODULE.finditer(line)]
    return found


def test_every_path_and_module_the_documents_name_exists() -> None:
    references = _references()
    assert len({r for _, kind, r in references if kind == "path"}) > 50  # the parser finds them
    missing = [
        f"{where}: {reference}"
        for where, kind, reference in references
        if reference not in NOT_PATHS
        and not AUDIT_EVENT.match(reference)
        and not (_exists(reference) if kind == "path" else _module_exists(reference))
    ]
    assert missing == []


def test_a_moved_module_is_reported() -> None:
    assert not _module_exists("exchange.opening")
    assert not _exists("exchange/opening.py")
    assert _module_exists("exchange.crypto.opening.open_bundle")
