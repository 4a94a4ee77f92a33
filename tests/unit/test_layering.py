"""The layering rule of DESIGN.md section 1: ncen <- exchange <- web, checked on the source.

Inside exchange, the pure core `exchange.crypto` (with `exchange.errors`) imports nothing of ncen,
web, the database or the other exchange subpackages.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str) -> dict[str, set[str]]:
    """Top-level names imported by each module of ``package`` (including lazy imports)."""
    result: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        result[str(path.relative_to(ROOT))] = names
    return result


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        (
            "ncen",
            {"flask", "flask_login", "flask_wtf", "flask_babel", "werkzeug", "exchange", "web"},
        ),
        ("exchange", {"flask", "flask_login", "flask_wtf", "flask_babel", "werkzeug", "web"}),
    ],
)
def test_lower_layers_do_not_import_upper_ones(package, forbidden):
    offenders = {
        module: sorted(names & forbidden)
        for module, names in imported_modules(package).items()
        if names & forbidden
    }
    assert offenders == {}


def full_imports(path: Path, root: Path = ROOT) -> set[str]:
    """Dotted names ``path`` imports, lazy and relative ones included (``from a import b`` gives
    ``a`` and ``a.b``, since ``b`` may be a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = list(path.relative_to(root).parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


# The pure core: the bundle format and its cryptography, which a foreign node reimplements from
# docs/exchange-protocol.md alone. It may use the standard library and ``cryptography``, its own
# modules and the exchange's exceptions; nothing of ncen, web, the database or the rest of
# exchange (records, network, services, the ORM models).
PURE_CRYPTO = [ROOT / "exchange" / "crypto", ROOT / "exchange" / "errors.py"]
PURE_ALLOWED_EXCHANGE = ("exchange.crypto", "exchange.errors")
PURE_FORBIDDEN_TOP = {"ncen", "web", "sqlalchemy", "flask", "werkzeug", "alembic", "psycopg"}


def crypto_violations(paths: list[Path], root: Path = ROOT) -> dict[str, list[str]]:
    """Imports of the pure core that break its rule, by module (empty when the rule holds)."""
    offenders: dict[str, list[str]] = {}
    for top in paths:
        for path in sorted(top.rglob("*.py")) if top.is_dir() else [top]:
            bad = sorted(
                name
                for name in full_imports(path, root)
                if name.split(".")[0] in PURE_FORBIDDEN_TOP
                or (
                    name.split(".")[0] == "exchange"
                    and name != "exchange"
                    and not any(
                        name == allowed or name.startswith(f"{allowed}.")
                        for allowed in PURE_ALLOWED_EXCHANGE
                    )
                )
            )
            if bad:
                offenders[path.relative_to(root).as_posix()] = bad
    return offenders


def test_exchange_crypto_imports_nothing_of_ncen_nor_of_the_rest_of_exchange():
    assert (ROOT / "exchange" / "crypto" / "opening.py").exists()  # the rule checks real files
    assert crypto_violations(PURE_CRYPTO) == {}


def test_crypto_rule_catches_a_bad_import(tmp_path):
    # The rule must fail when broken: a crypto module importing ncen, the ORM or a sibling
    # subpackage (lazily, inside a function, or relatively) is reported.
    fake = tmp_path / "exchange" / "crypto"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text(
        "from exchange.errors import FormatError\n"
        "from exchange.crypto.keys import NodeIdentity\n"
        "def f():\n"
        "    from ncen.db import Base\n"
        "    from ..network import outbox\n"
        "    import exchange.models\n",
        encoding="utf-8",
    )
    assert crypto_violations([fake], tmp_path) == {
        "exchange/crypto/bad.py": [
            "exchange.models",
            "exchange.network",
            "exchange.network.outbox",
            "ncen.db",
            "ncen.db.Base",
        ]
    }


def test_checker_sees_real_imports():
    # Guard against a checker that finds nothing: ncen must be seen importing sqlalchemy.
    assert any("sqlalchemy" in names for names in imported_modules("ncen").values())
