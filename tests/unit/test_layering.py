"""The layering rule of DESIGN.md section 1: ncen <- exchange <- web, checked on the source."""

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


def test_pure_crypto_in_exchange_imports_nothing_from_ncen():
    pure = {"canonical", "signing", "sealing", "keys", "bundle", "errors"}
    offenders = {
        module: "ncen"
        for module, names in imported_modules("exchange").items()
        if Path(module).stem in pure and "ncen" in names
    }
    assert offenders == {}


def test_checker_sees_real_imports():
    # Guard against a checker that finds nothing: ncen must be seen importing sqlalchemy.
    assert any("sqlalchemy" in names for names in imported_modules("ncen").values())
